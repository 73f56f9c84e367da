"""Ranking trials without building their explanations, and the score.

Score in [0, 1], ranking within a class: over the top-level items (the items of a root
``All``, else the root itself; common items then the arm's), each MET counts 1, each UNKNOWN
whose missing items are all ``to_confirm`` 0.5, any other UNKNOWN 0.25, NOT_MET 0;
score = sum / number of items (1.0 with no items).

``assess(ct, ctx)`` gives a trial's class rank, score and deciding missing items from
per-node codes cached in the context; ``trial_result.evaluate_trial`` gives the same
class and score with the full explanation, built only for the results returned.
"""

from __future__ import annotations

from itertools import chain

from trialmatch.domain.criteria import All
from trialmatch.domain.verdict import MISSING, TO_CONFIRM, Missing, Outcome, Verdict
from trialmatch.matching.trial_class import RANK_CODE, node_code

WEIGHTS = {"met": 1.0, TO_CONFIRM: 0.5, MISSING: 0.25, "not_met": 0.0}


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


# Ranking code of one top-level item: its score weight, plus 1e3 if UNKNOWN, plus 1e6 if
# NOT_MET. Summed over a trial's items (exact in floating point: weights are multiples of
# 0.25 and counts are small) it gives the NOT_MET count, the UNKNOWN count and the weight sum.
_UNKNOWN_CODE, _NOT_MET_CODE = 1e3, 1e6


def _code(ch, ctx) -> float:
    code = ctx.codes[ch] = RANK_CODE[node_code(ch, ctx)]  # no Outcome built for composite nodes
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


def assess(ct, ctx) -> tuple[int, float, tuple[Missing, ...]]:  # noqa: C901 (one hot path)
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
        missing = [ch.evaluate(ctx).missing for ch in common]
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
    return 1, sc, tuple(dict.fromkeys(chain.from_iterable([ch.evaluate(ctx).missing for ch in chosen])))
