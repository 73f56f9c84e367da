"""Trial results (DESIGN.md, "Trial result"): class, score, arms, deciding criteria.

- Class: the root verdict: MET -> ``eligible``, UNKNOWN -> ``possible``, NOT_MET ->
  ``ineligible``. An arm's verdict is the trial's common criteria AND the arm's criteria.
  The trial takes the best class of its arms that are not suspended; suspended arms are
  reported but never count (all suspended: ``ineligible``, "all arms suspended").
- Score in [0, 1], ranking within a class: see ``trial_rank``.
- Deciding: for ``ineligible``, the NOT_MET top-level items; for ``possible``, the missing
  items of the UNKNOWN top-level items.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialmatch.domain.criteria import All
from trialmatch.domain.verdict import Missing, Outcome, Verdict
from trialmatch.matching.trial_rank import weight

CLASSES = {Verdict.MET: "eligible", Verdict.UNKNOWN: "possible", Verdict.NOT_MET: "ineligible"}
CLASS_RANK = {"eligible": 2, "possible": 1, "ineligible": 0}


@dataclass(frozen=True)
class ArmResult:
    arm_id: str
    label: str | None
    suspended: bool
    result_class: str
    score: float
    outcome: Outcome  # the arm's own criteria
    deciding: tuple[Outcome, ...] = ()
    unknowns: tuple[Missing, ...] = ()


@dataclass(frozen=True)
class TrialResult:
    trial_id: str
    title: str
    version: int
    result_class: str
    score: float
    outcome: Outcome  # the trial's common criteria
    arms: tuple[ArmResult, ...] = ()
    deciding: tuple[Outcome, ...] = ()
    unknowns: tuple[Missing, ...] = ()
    focus_cancer: str | None = None
    phase: str | None = None
    status: str | None = None
    note: str | None = None

    @property
    def rank_key(self):
        return (CLASS_RANK[self.result_class], self.score)


def top_items(out: Outcome) -> tuple[Outcome, ...]:
    return out.children if out.node_type == "all" else (out,)


def summarise(items: tuple[Outcome, ...]):
    """(class, score, deciding NOT_MET items, deciding missing items) in one pass."""
    if not items:
        return "eligible", 1.0, (), ()
    total = 0.0
    failed = []
    unknown = []
    met = Verdict.MET
    for o in items:
        v = o.verdict
        if v is met:
            total += 1.0
        elif v is Verdict.NOT_MET:
            failed.append(o)
        else:
            unknown.append(o)
            total += weight(o)
    sc = round(total / len(items), 6)
    if failed:
        return "ineligible", sc, tuple(failed), ()
    if unknown:
        return "possible", sc, (), tuple(dict.fromkeys(m for o in unknown for m in o.missing))
    return "eligible", sc, (), ()


def _tally(root, ctx):
    """One pass over a root ``All``'s children: (items, total weight, NOT_MET items,
    UNKNOWN items). Children outcomes come from the context cache, and the weights of
    unknown items are cached per context."""
    cache, weights = ctx.cache, ctx.weights
    items, failed, unknown = [], [], []
    total = 0.0
    met, not_met = Verdict.MET, Verdict.NOT_MET
    for ch in root.children:
        o = cache.get(ch)
        if o is None:
            o = ch.evaluate(ctx)
        items.append(o)
        v = o.verdict
        if v is met:
            total += 1.0
        elif v is not_met:
            failed.append(o)
        else:
            unknown.append(o)
            w = weights.get(ch)
            if w is None:
                w = weights[ch] = weight(o)
            total += w
    return items, total, failed, unknown


def _evaluate_root(root, ctx):
    """(outcome, top-level items, summary) of a compiled criteria root; a root ``All`` is
    assembled from ``_tally`` (the outcome equals what ``root.evaluate`` gives)."""
    node = root.node
    if type(node) is not All:
        out = root.evaluate(ctx)
        return out, (out,), summarise((out,))
    items, total, failed, unknown = _tally(root, ctx)
    n = len(items)
    sc = round(total / n, 6) if n else 1.0
    if failed:
        summary = ("ineligible", sc, tuple(failed), ())
        verdict, reason, missing = Verdict.NOT_MET, f"{len(failed)} of {n} not met", ()
    elif unknown:
        missing = tuple(dict.fromkeys(m for o in unknown for m in o.missing))
        summary = ("possible", sc, (), missing)
        verdict, reason = Verdict.UNKNOWN, f"{len(unknown)} of {n} unknown, none not met"
    else:
        summary = ("eligible", sc, (), ())
        verdict, reason, missing = Verdict.MET, f"all {n} met", ()
    items = tuple(items)
    out = Outcome(verdict=verdict, reason=reason, node_type="all", text=root.text, id=node.id,
                  missing=missing, children=items)
    return out, items, summary


def evaluate_trial(ct, ctx) -> TrialResult:
    """The result of one compiled trial in one patient context (one focus cancer)."""
    t = ct.trial
    common, common_items, summary = _evaluate_root(ct.root, ctx)
    focus = ctx.focus.evidence if ctx.focus is not None else None
    if not ct.arms:
        cls, sc, deciding, unknowns = summary
        return TrialResult(t.trial_id, t.title, t.version, cls, sc, common, (), deciding, unknowns, focus,
                           t.phase, t.status)
    base = dict(trial_id=t.trial_id, title=t.title, version=t.version, outcome=common, focus_cancer=focus,
                phase=t.phase, status=t.status)
    arms = []
    for ca in ct.arms:
        own = ca.root.evaluate(ctx)
        cls, sc, deciding, unknowns = summarise(common_items + top_items(own))
        arms.append(ArmResult(ca.arm.id, ca.arm.label, ca.arm.suspended, cls, sc, own, deciding, unknowns))
    open_arms = [a for a in arms if not a.suspended]
    if not open_arms:
        cls, sc, deciding, unknowns = summary
        return TrialResult(result_class="ineligible", score=0.0, arms=tuple(arms), deciding=deciding,
                           note="all arms suspended", **base)
    best = max(open_arms, key=lambda a: (CLASS_RANK[a.result_class], a.score))
    return TrialResult(result_class=best.result_class, score=best.score, arms=tuple(arms), deciding=best.deciding,
                       unknowns=best.unknowns, **base)
