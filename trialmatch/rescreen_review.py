"""When may a registered patient's results change by the mere passing of time?

A result computed on day D can change on a later day without any new data when
- the patient's age (completed years) reaches a trial's age bound: on a birthday;
- a dated fact leaves a time window: a washout ("no anti-PD-1 within 28 days"), a recency
  requirement ("labs within 14 days"), or the matcher's freshness window of that kind of
  fact (an ECOG older than 90 days becomes UNKNOWN).

``next_review(facts, bounds, as_of)`` is the earliest such day after ``as_of``, so the daily
rescreen takes only the patients whose day has come. It is conservative: it takes every
window length against every dated fact, and both the last day inside a window and the first
day outside it (whichever way a criterion counts), so it may rescreen a patient for nothing,
never miss one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, timedelta

from trialmatch.domain import criteria as c
from trialmatch.domain.facts import PatientFacts

DATE_FIELDS = ("date", "onset", "recorded", "start", "end")


@dataclass(frozen=True)
class TimeBounds:
    """Age bounds (years) and window lengths (days) that appear in a catalogue."""

    ages: frozenset[int]
    windows: frozenset[int]


def _atoms(node):
    if isinstance(node, (c.All, c.Any)):
        for item in node.items:
            yield from _atoms(item)
    elif isinstance(node, c.Not):
        yield from _atoms(node.item)
    else:
        yield node


def time_bounds(trials, freshness: dict[str, int | None]) -> TimeBounds:
    """The bounds of ``trials`` (TrialCriteria) and of the matcher's freshness windows."""
    ages: set[int] = set()
    windows = {days for days in freshness.values() if days}
    for trial in trials:
        roots = [trial.criteria, *(arm.criteria for arm in trial.arms)]
        for atom in (a for root in roots for a in _atoms(root)):
            if isinstance(atom, c.Age):
                for bound in (atom.min, atom.max):
                    if bound is not None:
                        # completed years change on birthdays; both sides of a fractional or
                        # exclusive bound are taken
                        ages.update({math.floor(bound), math.floor(bound) + 1, math.ceil(bound)})
            within = getattr(atom, "within_days", None)
            if within:
                windows.add(int(within))
    return TimeBounds(frozenset(ages), frozenset(windows))


def _birthday(birth: date, years: int) -> date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year: the age changes on 1 March
        return date(birth.year + years, 3, 1)


def fact_dates(facts: PatientFacts) -> set[date]:
    """Every date a fact of ``facts`` carries (each kind of fact: a new kind is never forgotten)."""
    out: set[date] = set()
    for kind in fields(facts):
        value = getattr(facts, kind.name)
        if kind.name == "warnings" or not isinstance(value, tuple):
            continue
        for fact in value:
            if not is_dataclass(fact):
                continue
            for field in fields(fact):
                if field.name in DATE_FIELDS:
                    value = getattr(fact, field.name)
                    if isinstance(value, date):
                        out.add(value)
    return out


def next_review(facts: PatientFacts, bounds: TimeBounds, as_of: date) -> date | None:
    """The earliest day after ``as_of`` on which a result may change with time alone."""
    candidates: list[date] = []
    age = facts.age_on(as_of)
    if age is not None and facts.birth_date is not None:
        candidates += [_birthday(facts.birth_date, years) for years in bounds.ages if years > age]
    for day in fact_dates(facts):
        for window in bounds.windows:
            for end in (day + timedelta(days=window), day + timedelta(days=window + 1)):
                if end > as_of:
                    candidates.append(end)
    return min(candidates, default=None)
