"""Ages are completed years, but "over 18" / "older than 18" (Age min 18, not inclusive) speaks of the
real age: an 18-year-old is over 18 from the day after the 18th birthday (audit of session 6: read
as completed age > 18, an 18.5-year-old was ineligible for NCT05715229, and an 80.5-year-old was not
excluded by "above age 80"). The batch fast path keys the atom by the same facts."""

from __future__ import annotations

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import Verdict
from trialmatch.matching.atoms_patient import birthday_today
from tests.unit.matching.helpers import outcome, patient

OVER_18 = c.Age(min=18, min_inclusive=False)
AS_OF = date(2026, 11, 26)


def test_over_18_holds_for_an_18_year_old_after_the_birthday():
    assert outcome(OVER_18, patient(birth_date=date(2008, 5, 20)), as_of=AS_OF).verdict is Verdict.MET  # 18.5
    assert outcome(OVER_18, patient(birth_date=date(2008, 11, 26)), as_of=AS_OF).verdict is Verdict.NOT_MET  # today
    assert outcome(OVER_18, patient(birth_date=date(2008, 11, 27)), as_of=AS_OF).verdict is Verdict.NOT_MET  # 17
    above_80 = c.Not(c.Age(min=80, min_inclusive=False))
    assert outcome(above_80, patient(birth_date=date(1946, 5, 20)), as_of=AS_OF).verdict is Verdict.NOT_MET  # 80.5


def test_other_bounds_keep_completed_years():
    assert outcome(c.Age(min=18), patient(birth_date=date(2008, 11, 26)), as_of=AS_OF).verdict is Verdict.MET
    assert outcome(c.Age(max=75, max_inclusive=False), patient(birth_date=date(1951, 5, 20)),
                   as_of=AS_OF).verdict is Verdict.NOT_MET  # 75.5 is not under 75
    assert outcome(c.Age(max=75), patient(birth_date=date(1951, 5, 20)), as_of=AS_OF).verdict is Verdict.MET


def test_leap_day_birthday():
    assert birthday_today(date(2008, 2, 29), date(2027, 3, 1))
    assert birthday_today(date(2008, 2, 29), date(2028, 2, 29)) and not birthday_today(date(2008, 2, 29),
                                                                                      date(2028, 3, 1))
