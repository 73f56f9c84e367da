"""Atoms about the patient as a whole: Age, Sex, Pregnancy, Unparsed.

Each ``compile_*`` takes the atom, whether it sits under an odd number of ``Not``
(``negated``), the vocabulary and the unit table, and returns ``evaluate(ctx) -> Outcome``.
"""

from __future__ import annotations

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import MISSING, TO_CONFIRM
from trialmatch.matching.outcome_build import (
    NOT_APPLICABLE, absent_kind, day, evidence, fmt, is_fresh, met, not_met, unknown,
)
from trialmatch.matching.verdict_codes import MET, NOT_MET, UNKNOWN_MISSING


def birthday_today(birth: date | None, as_of: date) -> bool:
    """Whether ``as_of`` is the patient's birthday (a 29 February birth has it on 1 March in
    other years)."""
    if birth is None:
        return False
    if (birth.month, birth.day) == (2, 29) and not _leap(as_of.year):
        return (as_of.month, as_of.day) == (3, 1)
    return (birth.month, birth.day) == (as_of.month, as_of.day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def compile_age(node: c.Age, negated, vocab, units):
    strict_whole = node.min is not None and not node.min_inclusive and float(node.min).is_integer()

    def low_ok(age, ctx):
        if node.min is None:
            return True
        if node.min_inclusive:
            return age >= node.min
        if strict_whole and age == node.min:
            # ages are completed years: "over 18" holds for an 18-year-old from the day after the
            # 18th birthday (read as completed age > 18 it failed everyone aged 18: a wrong "ineligible")
            return not birthday_today(ctx.view.facts.birth_date, ctx.as_of)
        return age > node.min

    def high_ok(age):
        return node.max is None or (age <= node.max if node.max_inclusive else age < node.max)

    bounds = _age_bounds(node)

    def evaluate(ctx):
        age = ctx.view.age
        if age is None:
            return unknown(node, "birth date not recorded", "age (birth date)")
        ev = (evidence(ctx.view.facts.patient_ref or "Patient", f"age {age}"),)
        if low_ok(age, ctx) and high_ok(age):
            return met(node, f"age {age} within {bounds}", ev)
        return not_met(node, f"age {age} outside {bounds}", ev)

    def verdict_code(ctx):  # evaluate's verdict code (verdict_codes), without the outcome
        age = ctx.view.age
        if age is None:
            return UNKNOWN_MISSING
        return MET if low_ok(age, ctx) and high_ok(age) else NOT_MET

    evaluate.verdict_code = verdict_code
    return evaluate


def _age_bounds(node: c.Age) -> str:
    parts = []
    if node.min is not None:
        parts.append(f"{'≥' if node.min_inclusive else '>'} {fmt(node.min)}")
    if node.max is not None:
        parts.append(f"{'≤' if node.max_inclusive else '<'} {fmt(node.max)}")
    return " and ".join(parts) or "any age"


def compile_sex(node: c.Sex, negated, vocab, units):
    wanted = node.sex.lower()

    def evaluate(ctx):
        sex = ctx.view.facts.sex
        ev = (evidence(ctx.view.facts.patient_ref or "Patient", f"sex {sex}"),) if sex else ()
        if sex not in ("female", "male"):
            return unknown(node, f"sex recorded as {sex or 'nothing'}", "sex", MISSING, ev)
        if sex == wanted:
            return met(node, f"sex {sex}", ev)
        return not_met(node, f"sex {sex}, criterion {wanted}", ev)

    return evaluate


def compile_pregnancy(node: c.Pregnancy, negated, vocab, units):
    """Not applicable (NOT_MET with reason "not applicable", so MET under ``Not``) for a
    male patient. For others, a status recorded within the pregnancy-test window decides;
    anything older or absent is UNKNOWN (to_confirm in an exclusion). Age alone is never
    taken to rule out pregnancy (childbearing potential is a clinical judgement)."""
    wanted = node.status
    item = "breastfeeding status" if wanted == "breastfeeding" else "pregnancy status"

    def evaluate(ctx):
        v = ctx.view
        if v.facts.sex == "male":
            return not_met(node, f"{NOT_APPLICABLE}: male patient",
                           (evidence(v.facts.patient_ref or "Patient", "sex male"),))
        window = ctx.rules.window("pregnancy_test")
        relevant = [p for p in v.pregnancy if (p.status == "breastfeeding") == (wanted == "breastfeeding")]
        if not relevant:
            return unknown(node, f"no {item} recorded", item, absent_kind(negated))
        latest = relevant[0]
        ev = (evidence(latest.evidence, latest.status, latest.date),)
        if not is_fresh(latest.date, window, ctx.as_of):
            return unknown(node, f"{latest.status} ({day(latest.date)}) older than {window} days", item,
                           absent_kind(negated), ev)
        if latest.status == wanted:
            return met(node, f"{latest.status} ({day(latest.date)})", ev)
        return not_met(node, f"{latest.status} ({day(latest.date)})", ev)

    return evaluate


def compile_unparsed(node: c.Unparsed, negated, vocab, units):
    kind = TO_CONFIRM if node.non_clinical else MISSING
    reason = "to be confirmed by the clinician" if node.non_clinical else "criterion not understood"
    item = node.text

    def evaluate(ctx):
        return unknown(node, reason, item, kind)

    return evaluate
