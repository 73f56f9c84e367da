"""The batch fast path: trial classes and scores without explanations.

``classify_patient(facts, index, *, as_of, rules=None) -> tuple[TrialClass, ...]`` gives,
for every candidate trial, the same class, score, focus cancer and arm classes as
``match_patient(..., limit=None)`` (proved by tests over golden and synthetic patients),
in the same ranking order, without building ``Outcome`` trees for composite nodes; a batch
shares a ``classify_memo.ClassifyMemo``.

Atoms share the compiled closures (and the per-context outcome cache) of the full path;
All / Any / Not nodes are reduced to a small verdict code, cached per context
(``EvalContext.vcodes``):

- ``0`` NOT_MET, ``2`` MET;
- UNKNOWN: ``10`` with no missing item, ``11`` when every missing item is ``to_confirm``,
  ``12`` otherwise. An UNKNOWN composite's missing items are the union of its UNKNOWN
  children's, so its code is the largest of theirs (``trial_rank.weight`` gives 0.5 for
  ``11`` and 0.25 for ``10`` / ``12``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.matching.classify_memo import ClassifyMemo
from trialmatch.matching.verdict_codes import (
    MET, NOT_MET, UNKNOWN_BARE, UNKNOWN_MISSING, UNKNOWN_TO_CONFIRM, outcome_code,
)
# contribution of one top-level item to ``trial_rank``'s ranking sum (see there)
RANK_CODE = {NOT_MET: 1e6, MET: 1.0, UNKNOWN_BARE: 1e3 + 0.25, UNKNOWN_TO_CONFIRM: 1e3 + 0.5,
             UNKNOWN_MISSING: 1e3 + 0.25}
CLASS_NAMES = ("ineligible", "possible", "eligible")


@dataclass(frozen=True)
class ArmClass:
    arm_id: str
    suspended: bool
    result_class: str
    score: float


@dataclass(frozen=True)
class TrialClass:
    trial_id: str
    result_class: str
    score: float
    arms: tuple[ArmClass, ...] = ()
    focus_cancer: str | None = None


def _atom_code(cn, ctx) -> int:
    if cn.code is not None:  # the atom's verdict code without its outcome (verdict_codes)
        return cn.code(ctx)
    return outcome_code(cn.evaluate(ctx))


def node_code(cn, ctx) -> int:
    """The verdict code of a compiled node in a context (cached)."""
    codes = ctx.vcodes
    code = codes.get(cn)
    if code is not None:
        return code
    if cn.fn is not None:
        memo = ctx.view.batch_memo
        fam = None if memo is None else memo.family_of.get(id(cn))
        if fam is None:
            code = outcome_code(cn.evaluate(ctx))
        else:
            code = memo.family_codes(fam, ctx, _atom_code)[fam.index[id(cn)]]
    else:
        t = type(cn.node)
        if t is c.Not:
            code = node_code(cn.children[0], ctx)
            code = MET if code == NOT_MET else NOT_MET if code == MET else code
        elif t is c.All:
            code, worst = MET, 0
            for ch in cn.children:
                x = node_code(ch, ctx)
                if x == NOT_MET:
                    code = NOT_MET
                    break
                if x != MET and x > worst:
                    worst = x
            if code == MET and worst:
                code = worst
        else:  # Any
            code, worst = NOT_MET, 0
            for ch in cn.children:
                x = node_code(ch, ctx)
                if x == MET:
                    code = MET
                    break
                if x != NOT_MET and x > worst:
                    worst = x
            if code == NOT_MET and worst:
                code = worst
    codes[cn] = code
    return code


def _items(root):
    return root.children if type(root.node) is c.All else (root,)


def _rank(total: float, n: int) -> tuple[int, float]:
    if not n:
        return 2, 1.0
    failed, rest = divmod(total, 1e6)
    unknown, weights = divmod(rest, 1e3)
    return (0 if failed else 1 if unknown else 2), round(weights / n, 6)


def _total(items, ctx) -> float:
    return sum(RANK_CODE[node_code(ch, ctx)] for ch in items)


def classify_trial(ct, ctx) -> tuple[int, float, tuple[ArmClass, ...]]:
    """(class rank 0-2, score, arm classes) of one compiled trial in one context. In a batch,
    a function of its atoms' verdict codes only, so memoised on them."""
    memo = ctx.view.batch_memo
    if memo is None:
        return _classify_trial(ct, ctx)
    families = memo.trial_families.get(ct)
    if families is None:  # a trial outside the memo's index
        return _classify_trial(ct, ctx)
    codes, known = memo.family_codes, ctx.vcodes.get
    key = (ct, tuple([x if (x := known(f)) is not None else codes(f, ctx, _atom_code) for f in families]))
    found = memo.trials.get(key)
    if found is None:
        found = memo.trials[key] = _classify_trial(ct, ctx)
    return found


def _classify_trial(ct, ctx) -> tuple[int, float, tuple[ArmClass, ...]]:
    common = _items(ct.root)
    total = _total(common, ctx)
    if not ct.arms:
        rank, score = _rank(total, len(common))
        return rank, score, ()
    arms, best = [], None
    for ca in ct.arms:
        own = _items(ca.root)
        rank, score = _rank(total + _total(own, ctx), len(common) + len(own))
        arms.append(ArmClass(ca.arm.id, ca.arm.suspended, CLASS_NAMES[rank], score))
        if not ca.arm.suspended and (best is None or (rank, score) > best):
            best = (rank, score)
    if best is None:  # all arms suspended
        return 0, 0.0, tuple(arms)
    return best[0], best[1], tuple(arms)


def classify_patients(patients, index, *, as_of: date, rules=None):
    """``classify_patient`` for each PatientFacts of an iterable, sharing one memo."""
    from trialmatch.matching.match_rules import load_rules

    rules = rules or load_rules()
    memo = ClassifyMemo(as_of, rules)
    for facts in patients:
        yield classify_patient(facts, index, as_of=as_of, rules=rules, memo=memo)


def classify_patient(facts: f.PatientFacts, index, *, as_of: date, rules=None,
                     memo: ClassifyMemo | None = None) -> tuple[TrialClass, ...]:
    """Class, score, arm classes and focus of every candidate trial, ranked as
    ``match_patient`` ranks them (class, score descending, trial id). ``memo`` shares atom
    verdicts across the patients of a batch (see ``classify_patients``)."""
    from trialmatch.matching.match_result import candidate_foci
    from trialmatch.matching.match_rules import load_rules
    from trialmatch.matching.patient_view import PatientView

    rules = rules or load_rules()
    view = PatientView(facts, index.vocab, rules, as_of)
    if memo is not None:
        memo.check(as_of, rules, index)
        view.batch_memo = memo
    candidates = index.candidates(view)
    if facts.deceased:
        out = [TrialClass(ct.trial.trial_id, "ineligible", 0.0) for ct in candidates]
        return tuple(sorted(out, key=lambda x: x.trial_id))
    ranked = []
    single = view.single_primary
    only = view.context(single) if single is not None else None
    for ct in candidates:
        if only is not None and not ct.focus_any_role:  # one primary cancer: the only focus
            rank, score, arms = classify_trial(ct, only)
            focus = single
        else:
            best = None
            for focus in candidate_foci(ct, view):
                rank, score, arms = classify_trial(ct, view.context(focus))
                if best is None or (rank, score) > best[:2]:
                    best = (rank, score, arms, focus)
            rank, score, arms, focus = best
        ranked.append((-rank, -score, ct.trial.trial_id,
                       TrialClass(ct.trial.trial_id, CLASS_NAMES[rank], score, arms,
                                  focus.evidence if focus is not None else None)))
    ranked.sort(key=lambda x: x[:3])
    return tuple(x[3] for x in ranked)


__all__ = ["ArmClass", "ClassifyMemo", "TrialClass", "classify_patient", "classify_patients", "classify_trial", "node_code"]
