"""Verdict codes: the small integers the fast path (``trial_class``) reduces outcomes to.

- ``0`` NOT_MET, ``2`` MET;
- UNKNOWN: ``10`` with no missing item, ``11`` when every missing item is ``to_confirm``,
  ``12`` otherwise.

An atom compiler may attach a ``verdict_code(ctx) -> int`` function to the evaluator it
returns (``evaluate.verdict_code``): the code of ``outcome_code(evaluate(ctx))``, computed
without building the outcome (no reason, evidence or label). It must agree with the
evaluator on every context (tested for each atom type that has one,
tests/unit/matching/test_verdict_codes.py).
"""

from __future__ import annotations

from trialmatch.domain.verdict import TO_CONFIRM, Verdict

NOT_MET, MET, UNKNOWN_BARE, UNKNOWN_TO_CONFIRM, UNKNOWN_MISSING = 0, 2, 10, 11, 12


def outcome_code(out) -> int:
    v = out.verdict
    if v is Verdict.MET:
        return MET
    if v is Verdict.NOT_MET:
        return NOT_MET
    if not out.missing:
        return UNKNOWN_BARE
    for m in out.missing:
        if m.kind != TO_CONFIRM:
            return UNKNOWN_MISSING
    return UNKNOWN_TO_CONFIRM
