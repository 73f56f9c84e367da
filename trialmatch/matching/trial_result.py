"""Trial results (DESIGN.md, "Trial result"): class, score, arms, deciding criteria.

- Class: the root verdict: MET -> ``eligible``, UNKNOWN -> ``possible``, NOT_MET ->
  ``ineligible``. An arm's verdict is the trial's common criteria AND the arm's criteria.
  The trial takes the best class of its arms that are not suspended; suspended arms are
  reported but never count (all suspended: ``ineligible``, "all arms suspended").
- Score in [0, 1], ranking within a class: over the top-level items (the items of a root
  ``All``, else the root itself; common items then the arm's), each MET counts 1, each
  UNKNOWN whose missing items are all ``to_confirm`` 0.5, any other UNKNOWN 0.25, NOT_MET 0;
  score = sum / number of items (1.0 with no items).
- Deciding: for ``ineligible``, the NOT_MET top-level items; for ``possible``, the missing
  items of the UNKNOWN top-level items.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialmatch.domain.verdict import MISSING, TO_CONFIRM, Missing, Outcome, Verdict

CLASSES = {Verdict.MET: "eligible", Verdict.UNKNOWN: "possible", Verdict.NOT_MET: "ineligible"}
CLASS_RANK = {"eligible": 2, "possible": 1, "ineligible": 0}
WEIGHTS = {"met": 1.0, TO_CONFIRM: 0.5, MISSING: 0.25, "not_met": 0.0}


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


def weight(out: Outcome) -> float:
    if out.verdict is Verdict.MET:
        return WEIGHTS["met"]
    if out.verdict is Verdict.NOT_MET:
        return WEIGHTS["not_met"]
    if out.missing and all(m.kind == TO_CONFIRM for m in out.missing):
        return WEIGHTS[TO_CONFIRM]
    return WEIGHTS[MISSING]


def score(items: tuple[Outcome, ...]) -> float:
    if not items:
        return 1.0
    return round(sum(weight(o) for o in items) / len(items), 6)


def summarise(items: tuple[Outcome, ...]):
    verdict = min((o.verdict for o in items), default=Verdict.MET)
    cls = CLASSES[verdict]
    deciding = tuple(o for o in items if o.verdict is Verdict.NOT_MET) if verdict is Verdict.NOT_MET else ()
    unknowns = ()
    if verdict is Verdict.UNKNOWN:
        unknowns = tuple(dict.fromkeys(m for o in items if o.verdict is Verdict.UNKNOWN for m in o.missing))
    return cls, score(items), deciding, unknowns


def evaluate_trial(ct, ctx) -> TrialResult:
    """The result of one compiled trial in one patient context (one focus cancer)."""
    t = ct.trial
    common = ct.root.evaluate(ctx)
    common_items = top_items(common)
    focus = ctx.focus.evidence if ctx.focus is not None else None
    base = dict(trial_id=t.trial_id, title=t.title, version=t.version, outcome=common, focus_cancer=focus,
                phase=t.phase, status=t.status)
    if not ct.arms:
        cls, sc, deciding, unknowns = summarise(common_items)
        return TrialResult(result_class=cls, score=sc, deciding=deciding, unknowns=unknowns, **base)
    arms = []
    for ca in ct.arms:
        own = ca.root.evaluate(ctx)
        cls, sc, deciding, unknowns = summarise(common_items + top_items(own))
        arms.append(ArmResult(ca.arm.id, ca.arm.label, ca.arm.suspended, cls, sc, own, deciding, unknowns))
    open_arms = [a for a in arms if not a.suspended]
    if not open_arms:
        cls, sc, deciding, unknowns = summarise(common_items)
        return TrialResult(result_class="ineligible", score=0.0, arms=tuple(arms), deciding=deciding,
                           note="all arms suspended", **base)
    best = max(open_arms, key=lambda a: (CLASS_RANK[a.result_class], a.score))
    return TrialResult(result_class=best.result_class, score=best.score, arms=tuple(arms), deciding=best.deciding,
                       unknowns=best.unknowns, **base)
