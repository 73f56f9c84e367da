"""Building atom outcomes: verdict, readable reason, evidence, and the missing data item."""

from __future__ import annotations

from datetime import date, timedelta

from trialmatch.domain.criteria_json import TYPE_NAMES
from trialmatch.domain.verdict import MISSING, TO_CONFIRM, Evidence, Missing, Outcome, Verdict
from trialmatch.matching.render import display_text

NOT_APPLICABLE = "not applicable"
EPSILON = 1e-9


def _base(node, verdict, reason, evidence=(), missing=()):
    return Outcome(verdict=verdict, reason=reason, node_type=TYPE_NAMES[type(node)],
                   text=display_text(node), id=getattr(node, "id", None),
                   evidence=tuple(evidence), missing=tuple(missing))


def met(node, reason, evidence=()) -> Outcome:
    return _base(node, Verdict.MET, reason, evidence)


def not_met(node, reason, evidence=()) -> Outcome:
    return _base(node, Verdict.NOT_MET, reason, evidence)


def unknown(node, reason, item, kind=MISSING, evidence=()) -> Outcome:
    return _base(node, Verdict.UNKNOWN, reason, evidence, (Missing(item, kind),))


def absent_kind(negated: bool) -> str:
    """The unknown kind of a fact the record does not show: ``to_confirm`` for an exclusion
    (something a record would usually show if present; the clinician confirms), ``missing``
    for an inclusion (DESIGN.md, "Verdict")."""
    return TO_CONFIRM if negated else MISSING


def evidence(ref: str, value: str | None, when: date | None = None) -> Evidence:
    return Evidence(reference=ref, value=value, date=when.isoformat() if when else None)


def day(when: date | None) -> str:
    return when.isoformat() if when else "undated"


def washout_over(last: date, window: int) -> str:
    """The first day a washout of ``window`` days after ``last`` is over (the day eligibility
    opens, said in every washout reason: drugs, procedures, vaccines, study participation)."""
    return day(last + timedelta(days=window + 1))


def age_days(when: date | None, as_of: date) -> int | None:
    return None if when is None else (as_of - when).days


def is_fresh(when: date | None, window: int | None, as_of: date) -> bool:
    """Within the freshness window (inclusive). No window: always fresh; undated facts
    under a window are never fresh (their age cannot be shown)."""
    if window is None:
        return True
    if when is None:
        return False
    return (as_of - when).days <= window


def compare(value: float, comparator: str, threshold: float) -> bool:
    """``value comparator threshold`` with a tolerance for unit-conversion rounding."""
    tol = EPSILON * max(1.0, abs(threshold))
    if comparator == ">=":
        return value >= threshold - tol
    if comparator == ">":
        return value > threshold + tol
    if comparator == "<=":
        return value <= threshold + tol
    if comparator == "<":
        return value < threshold - tol
    if comparator == "==":
        return abs(value - threshold) <= tol
    raise ValueError(f"unknown comparator {comparator!r}")


def fmt(value: float) -> str:
    return f"{value:g}"


SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
NEGATED = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "==": "≠"}
