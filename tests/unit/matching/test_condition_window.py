"""Condition(within_days): an event inside a window ending on the as-of date ("myocardial
infarction within 6 months"). Onset inside -> counts; onset before -> does not count (the
answer is then the absent one: UNKNOWN, never a silent "no"); no onset -> the recorded date
bounds it; undated -> to confirm."""

from __future__ import annotations

from datetime import date

from jsonschema import Draft202012Validator

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.criteria_json import from_json, to_json
from trialmatch.domain.verdict import MISSING, TO_CONFIRM, Verdict
from trialmatch.schemas import criteria_schema

from tests.unit.matching.helpers import AS_OF, outcome, patient

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
MI = f.Coding(ICD10, "I21.4", "Non-ST elevation (NSTEMI) myocardial infarction")
WINDOW = c.Condition(("myocardial_infarction",), active_only=False, within_days=183)


def mi(onset=None, recorded=None, status="resolved"):
    return f.Condition(evidence="Condition/mi", codes=(MI,), clinical_status=status, onset=onset, recorded=recorded)


def test_onset_inside_the_window_counts_and_excludes():
    facts = patient(conditions=(mi(onset=date(2026, 8, 1)),))
    assert outcome(WINDOW, facts).verdict is Verdict.MET
    assert outcome(c.Not(WINDOW), facts).verdict is Verdict.NOT_MET


def test_onset_on_the_first_day_of_the_window_counts():
    facts = patient(conditions=(mi(onset=date.fromordinal(AS_OF.toordinal() - 183)),))
    assert outcome(WINDOW, facts).verdict is Verdict.MET


def test_older_onset_does_not_count_but_is_no_silent_no():
    facts = patient(conditions=(mi(onset=date(2024, 1, 10)),))
    out = outcome(c.Not(WINDOW), facts)
    assert out.verdict is Verdict.UNKNOWN
    assert [m.kind for m in out.missing] == [TO_CONFIRM]
    assert "2024-01-10" in out.reason
    # without the window the same record is a history of MI: excluded
    assert outcome(c.Not(c.Condition(("myocardial_infarction",), active_only=False)), facts).verdict is Verdict.NOT_MET


def test_old_event_in_an_inclusion_is_missing_not_to_confirm():
    out = outcome(WINDOW, patient(conditions=(mi(onset=date(2020, 5, 1)),)))
    assert out.verdict is Verdict.UNKNOWN
    assert [m.kind for m in out.missing] == [MISSING]


def test_recorded_date_before_the_window_bounds_an_undated_onset():
    facts = patient(conditions=(mi(recorded=date(2025, 2, 1)),))
    assert outcome(c.Not(WINDOW), facts).verdict is Verdict.UNKNOWN
    assert outcome(WINDOW, facts).verdict is not Verdict.MET


def test_recorded_inside_the_window_without_onset_is_to_confirm():
    facts = patient(conditions=(mi(recorded=date(2026, 10, 1)),))
    out = outcome(c.Not(WINDOW), facts)
    assert out.verdict is Verdict.UNKNOWN
    assert [m.kind for m in out.missing] == [TO_CONFIRM]
    assert "whether within 183 days" in out.reason


def test_undated_record_is_to_confirm():
    out = outcome(c.Not(WINDOW), patient(conditions=(mi(),)))
    assert out.verdict is Verdict.UNKNOWN
    assert [m.kind for m in out.missing] == [TO_CONFIRM]


def test_one_recent_record_among_old_ones_counts():
    facts = patient(conditions=(mi(onset=date(2019, 3, 3)),
                                f.Condition(evidence="Condition/mi2", codes=(MI,), onset=date(2026, 11, 1))))
    out = outcome(c.Not(WINDOW), facts)
    assert out.verdict is Verdict.NOT_MET
    assert [e.reference for e in out.children[0].evidence] == ["Condition/mi2"]


def test_no_record_is_to_confirm_in_an_exclusion():
    out = outcome(c.Not(WINDOW), patient())
    assert out.verdict is Verdict.UNKNOWN
    assert [m.kind for m in out.missing] == [TO_CONFIRM]


def test_active_only_applies_to_the_records_inside_the_window():
    node = c.Condition(("myocardial_infarction",), active_only=True, within_days=183)
    facts = patient(conditions=(mi(onset=date(2026, 9, 1), status="resolved"),))
    assert outcome(node, facts).verdict is Verdict.NOT_MET
    facts = patient(conditions=(mi(onset=date(2026, 9, 1), status="active"),))
    assert outcome(node, facts).verdict is Verdict.MET


def test_json_and_schema_carry_the_window():
    data = to_json(c.Not(WINDOW))
    assert data == {"type": "not", "item": {"type": "condition", "keys": ["myocardial_infarction"],
                                            "active_only": False, "within_days": 183}}
    assert from_json(data) == c.Not(WINDOW)
    assert list(Draft202012Validator(criteria_schema()).iter_errors(data)) == []
    bad = {"type": "condition", "keys": ["stroke"], "within_days": -1}
    assert list(Draft202012Validator(criteria_schema()).iter_errors(bad)) != []
