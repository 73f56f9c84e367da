"""Atoms a clinician assesses: Measurable (measurable disease) and LifeExpectancy.

No mCODE element records either fact reliably, so their only evidence is a clinician-entered
fact (``trialmatch.entered_facts``: ``measurable_disease``, ``life_expectancy``), counted
within its freshness window (``freshness.yaml``: ``measurable_disease``, ``life_expectancy``).
Without a fresh fact the atom is UNKNOWN of kind ``to_confirm`` whatever its polarity: the
record cannot hold it, so only the clinician can settle it, and the missing item names what
to confirm ("measurable disease per RECIST 1.1", "life expectancy ≥ 12 weeks").

- Measurable: the newest fact that can decide the atom counts: one under the atom's criteria
  (both None included), or, for an atom naming no criteria, a positive fact under any criteria.
  True -> MET, false -> NOT_MET. A fact under other criteria (or none, when the atom names
  some) says nothing certain about the atom's criteria (assessment.yaml): UNKNOWN.
- LifeExpectancy: the newest estimate; ``days >= min_days`` (``>`` when not inclusive) -> MET,
  else NOT_MET.

A stale (or undated) fact gives UNKNOWN with the old value shown, never MET or NOT_MET.
"""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import TO_CONFIRM
from trialmatch.matching.outcome_build import day, evidence, is_fresh, met, not_met, unknown
from trialmatch.matching.render import render
from trialmatch.matching.verdict_codes import MET, NOT_MET, UNKNOWN_TO_CONFIRM


def _deciding_measurable(node: c.Measurable, facts):
    """The newest fact (facts newest first) that can decide ``node``, or None."""
    for fact in facts:
        if fact.criteria == node.criteria or (node.criteria is None and fact.value):
            return fact
    return None


def compile_measurable(node: c.Measurable, negated, vocab, units):
    item = render(node)

    def evaluate(ctx):
        facts = ctx.view.measurable_disease
        window = ctx.rules.window("measurable_disease")
        fact = _deciding_measurable(node, facts)
        if fact is None:
            if facts:
                latest = facts[0]
                said = f"{'measurable' if latest.value else 'no measurable'} disease per {latest.criteria or 'unnamed criteria'}"
                return unknown(node, f"entered assessment under other criteria: {said} ({day(latest.date)})", item,
                               TO_CONFIRM, (evidence(latest.evidence, said, latest.date),))
            return unknown(node, "not recorded: to be assessed by the clinician", item, TO_CONFIRM)
        said = f"{'measurable' if fact.value else 'no measurable'} disease" + (f" per {fact.criteria}" if fact.criteria else "")
        ev = (evidence(fact.evidence, said, fact.date),)
        if not is_fresh(fact.date, window, ctx.as_of):
            return unknown(node, f"{said} ({day(fact.date)}) older than {window} days", item, TO_CONFIRM, ev)
        if fact.value:
            return met(node, f"{said} ({day(fact.date)})", ev)
        return not_met(node, f"{said} ({day(fact.date)})", ev)

    def verdict_code(ctx):  # evaluate's verdict code (verdict_codes), without the outcome
        fact = _deciding_measurable(node, ctx.view.measurable_disease)
        if fact is None or not is_fresh(fact.date, ctx.rules.window("measurable_disease"), ctx.as_of):
            return UNKNOWN_TO_CONFIRM
        return MET if fact.value else NOT_MET

    evaluate.verdict_code = verdict_code
    return evaluate


def compile_life_expectancy(node: c.LifeExpectancy, negated, vocab, units):
    item = render(node)

    def enough(days: int) -> bool:
        return days >= node.min_days if node.min_inclusive else days > node.min_days

    def evaluate(ctx):
        estimates = ctx.view.life_expectancy
        if not estimates:
            return unknown(node, "not recorded: to be estimated by the clinician", item, TO_CONFIRM)
        window = ctx.rules.window("life_expectancy")
        latest = estimates[0]
        said = f"estimated {latest.days} days"
        ev = (evidence(latest.evidence, said, latest.date),)
        if not is_fresh(latest.date, window, ctx.as_of):
            return unknown(node, f"{said} ({day(latest.date)}) older than {window} days", item, TO_CONFIRM, ev)
        if enough(latest.days):
            return met(node, f"{said} ({day(latest.date)})", ev)
        return not_met(node, f"{said} ({day(latest.date)}), criterion {item}", ev)

    def verdict_code(ctx):
        estimates = ctx.view.life_expectancy
        if not estimates or not is_fresh(estimates[0].date, ctx.rules.window("life_expectancy"), ctx.as_of):
            return UNKNOWN_TO_CONFIRM
        return MET if enough(estimates[0].days) else NOT_MET

    evaluate.verdict_code = verdict_code
    return evaluate
