"""Vaccination: a (live) vaccine received within a window before the as-of date.

Evidence is the patient's Immunization records (``PatientFacts.immunizations``) with status
"completed". A live vaccine is a CVX code of ``data/live_vaccines.yaml`` (validated at load);
an atom with ``live`` False counts any vaccine. Rules:

- A completed record of a (live) vaccine dated within ``within_days`` (inclusive; no window:
  any date) -> MET in an inclusion. In an exclusion the window is a washout counted back from
  a future first dose, as for prior therapy (atoms_therapy): the patient can wait, so it is
  UNKNOWN (to_confirm, "eligible from <date>"), never a permanent "ineligible".
- Any other case -> UNKNOWN: immunization records are incomplete (a vaccine given at a
  pharmacy or abroad is often missing), so no record, an older live vaccine, an undated one
  or only non-live vaccines never show that none was given. Non-live vaccines never meet a
  live atom. The missing item is the "immunization record".
"""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import TO_CONFIRM
from trialmatch.matching.outcome_build import absent_kind, day, evidence, met, unknown, washout_over
from trialmatch.matching.live_vaccines import cvx_key

CVX = "http://hl7.org/fhir/sid/cvx"
RECORD = "immunization record"


def _named(record) -> str:
    return next((x.display for x in record.codes if x.display), None) or next(x.code for x in record.codes)


def compile_vaccination(node: c.Vaccination, negated, vocab, units):
    window = node.within_days
    kind = "live vaccine" if node.live else "vaccine"
    item = RECORD

    def counts(record, live: frozenset[str]) -> bool:
        if record.status != "completed":
            return False
        return not node.live or any(x.system == CVX and cvx_key(x.code or "") in live for x in record.codes)

    def evaluate(ctx):
        hits = [r for r in ctx.view.facts.immunizations if counts(r, ctx.rules.live_vaccines)]
        if not hits:
            return unknown(node, f"no {kind} recorded; immunization records are often incomplete", item,
                           absent_kind(negated))
        ev = tuple(evidence(r.evidence, _named(r), r.date) for r in hits)
        if window is None:
            return met(node, f"{_named(hits[0])} recorded ({day(hits[0].date)})", ev)
        recent = [r for r in hits if r.date is not None and 0 <= (ctx.as_of - r.date).days <= window]
        if not recent:
            dated = [r for r in hits if r.date is not None]
            said = (f"last {kind} {day(max(r.date for r in dated))}, before the {window}-day window" if dated
                    else f"{kind} recorded without a date")
            return unknown(node, f"{said}; a later one not recorded is not ruled out", item, absent_kind(negated), ev)
        last = max(recent, key=lambda r: r.date)
        if not negated:
            return met(node, f"{_named(last)} on {day(last.date)}, within {window} days", ev)
        return unknown(node, f"{_named(last)} on {day(last.date)}; eligible after a {window}-day wait "
                       f"(from {washout_over(last.date, window)})", f"{kind} within {window} days",
                       TO_CONFIRM, ev)

    return evaluate
