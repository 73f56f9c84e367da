"""Review dates: when a registered patient's results may change with time alone."""

from __future__ import annotations

from datetime import date

from tests.unit.rescreen.conftest import CATALOGUE
from trialmatch import services
from trialmatch.domain import criteria as c
from trialmatch.domain.facts import LifeExpectancy, MeasurableDisease, Medication, PatientFacts, PerformanceStatus
from trialmatch.matching.match_rules import load_rules
from trialmatch.rescreen_review import TimeBounds, next_review, time_bounds
from trialmatch.trial_document import load_document


def trial(node, arms=()):
    return c.TrialCriteria(trial_id="T1", title="t", criteria=node, arms=arms)


def test_bounds_come_from_age_atoms_windows_and_freshness():
    node = c.All((c.Age(min=18, max=75.5), c.Not(c.PriorTherapy(classes=("anti_pd1",), within_days=28))))
    arm = c.Arm(id="a", label=None, criteria=c.Lab(analyte="ANC", comparator=">=", value=1.5, within_days=14))
    bounds = time_bounds([trial(node, (arm,))], {"ecog": 90, "labs": None})
    assert bounds == TimeBounds(ages=frozenset({18, 19, 75, 76}), windows=frozenset({28, 14, 90}))


def test_the_real_catalogue_has_age_bounds_and_windows():
    trials = [load_document(doc, where) for where, doc in services.read_documents(CATALOGUE)]
    bounds = time_bounds(trials, load_rules().freshness)
    assert 18 in bounds.ages and bounds.windows
    assert all(days > 0 for days in bounds.windows)


def test_the_next_birthday_that_reaches_a_bound():
    facts = PatientFacts(birth_date=date(2009, 3, 10))
    bounds = TimeBounds(ages=frozenset({18, 19, 75}), windows=frozenset())
    assert next_review(facts, bounds, date(2026, 11, 26)) == date(2027, 3, 10)  # turns 18
    assert next_review(facts, bounds, date(2027, 3, 10)) == date(2028, 3, 10)  # turns 19
    assert next_review(facts, bounds, date(2028, 3, 10)) == date(2084, 3, 10)


def test_a_leap_day_birthday_counts_from_the_first_of_march():
    facts = PatientFacts(birth_date=date(2008, 2, 29))
    assert next_review(facts, TimeBounds(frozenset({18}), frozenset()), date(2025, 12, 1)) == date(2026, 3, 1)


def test_a_window_ends_the_day_after_its_last_day_and_both_are_taken():
    facts = PatientFacts(medications=(Medication(evidence="MedicationStatement/1", ingredients=("pembrolizumab",),
                                                 start=date(2026, 10, 1), end=date(2026, 11, 20)),),
                         performance=(PerformanceStatus(evidence="Observation/2", scale="ECOG", value=1,
                                                        date=date(2026, 9, 1)),))
    bounds = TimeBounds(ages=frozenset(), windows=frozenset({28, 90}))
    # end + 28 = 18 Dec; start + 28 (29 Oct) is past; ECOG + 90 = 30 Nov
    assert next_review(facts, bounds, date(2026, 11, 26)) == date(2026, 11, 30)
    assert next_review(facts, bounds, date(2026, 11, 30)) == date(2026, 12, 1)
    assert next_review(facts, bounds, date(2026, 12, 1)) == date(2026, 12, 18)
    assert next_review(facts, bounds, date(2027, 6, 1)) is None


def test_no_birth_date_and_no_dates_no_review():
    assert next_review(PatientFacts(), TimeBounds(frozenset({18}), frozenset({28})), date(2026, 1, 1)) is None


def test_clinician_entered_assessments_have_review_days_too():
    # a measurable-disease assessment or a life-expectancy estimate leaves its freshness window
    # (60 days) like any dated fact: the rescreen must take the patient on that day
    facts = PatientFacts(measurable_disease=(MeasurableDisease(evidence="entered:0", value=True, date=date(2026, 11, 1)),),
                         life_expectancy=(LifeExpectancy(evidence="entered:1", days=180, date=date(2026, 11, 10)),))
    bounds = TimeBounds(ages=frozenset(), windows=frozenset({60}))
    assert next_review(facts, bounds, date(2026, 11, 26)) == date(2026, 12, 31)  # 1 Nov + 60
    assert next_review(facts, bounds, date(2027, 1, 1)) == date(2027, 1, 9)  # 10 Nov + 60
