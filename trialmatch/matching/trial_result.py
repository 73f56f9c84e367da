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
from itertools import chain

from trialmatch.domain.criteria import All
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
    if not out.missing:
        return WEIGHTS[MISSING]
    for m in out.missing:
        if m.kind != TO_CONFIRM:
            return WEIGHTS[MISSING]
    return WEIGHTS[TO_CONFIRM]


def score(items: tuple[Outcome, ...]) -> float:
    if not items:
        return 1.0
    return round(sum(weight(o) for o in items) / len(items), 6)


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


# Ranking code of one top-level item: its score weight, plus 1e3 if UNKNOWN, plus 1e6 if
# NOT_MET. Summed over a trial's items (exact in floating point: weights are multiples of
# 0.25 and counts are small) it gives the NOT_MET count, the UNKNOWN count and the weight sum.
_UNKNOWN_CODE, _NOT_MET_CODE = 1e3, 1e6


def _code(ch, ctx) -> float:
    o = ch.evaluate(ctx)
    v = o.verdict
    code = 1.0 if v is Verdict.MET else _NOT_MET_CODE if v is Verdict.NOT_MET else _UNKNOWN_CODE + weight(o)
    ctx.codes[ch] = code
    return code


def _items(root):
    return root.children if type(root.node) is All else (root,)


def _total(children, ctx) -> float:
    codes = ctx.codes
    try:
        return sum(map(codes.__getitem__, children))
    except KeyError:
        for ch in children:
            if ch not in codes:
                _code(ch, ctx)
        return sum(map(codes.__getitem__, children))


def _classify(total: float, n: int) -> tuple[int, float]:
    if not n:
        return 2, 1.0
    failed, rest = divmod(total, _NOT_MET_CODE)
    unknown, weights = divmod(rest, _UNKNOWN_CODE)
    return (0 if failed else 1 if unknown else 2), round(weights / n, 6)


def assess(ct, ctx) -> tuple[int, float, tuple[Missing, ...]]:
    """(class rank, score, deciding missing items) of a trial, the same as
    ``evaluate_trial`` gives, without building the explanation (built later for the
    results returned only)."""
    root = ct.root
    common = root.children if type(root.node) is All else (root,)
    total = _total(common, ctx)
    if not ct.arms:
        n = len(common)
        if not n:
            return 2, 1.0, ()
        failed, rest = divmod(total, _NOT_MET_CODE)
        if failed:
            return 0, round(rest % _UNKNOWN_CODE / n, 6), ()
        unknown, weights = divmod(rest, _UNKNOWN_CODE)
        if not unknown:
            return 2, round(weights / n, 6), ()
        cache = ctx.cache
        missing = [cache[ch].missing for ch in common]
        return 1, round(weights / n, 6), tuple(dict.fromkeys(chain.from_iterable(missing)))
    else:
        best = None
        for ca in ct.arms:
            if ca.arm.suspended:
                continue
            own = _items(ca.root)
            rank, sc = _classify(total + _total(own, ctx), len(common) + len(own))
            if best is None or (rank, sc) > best[:2]:
                best = (rank, sc, own)
        if best is None:
            return 0, 0.0, ()
        rank, sc, own = best
        chosen = common + own
    if rank != 1:
        return rank, sc, ()
    cache = ctx.cache
    return 1, sc, tuple(dict.fromkeys(chain.from_iterable([cache[ch].missing for ch in chosen])))


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
