"""LVEF, QTc and oxygen saturation as labs, end to end: an mCODE Observation with the LOINC code and unit -> a Lab
fact (trialmatch.mcode) -> the parsed eligibility text's Lab atom -> the matcher's verdict.

QTc is one lab key per correction method (labs.yaml): a value by one formula, or by none named,
never decides a criterion on another formula.
"""

from __future__ import annotations

import pytest

from tests.unit.matching.helpers import outcome
from tests.unit.mcode.bundle_builder import bundle, observation, patient
from trialmatch.mcode import extract_facts
from trialmatch.nlp import parse_eligibility

DATE = "2026-11-20"  # within the 28-day lab window of the helpers' as-of date (2026-11-26)


def quantity(value, code, unit=None):
    return {"valueQuantity": {"value": value, "unit": unit or code, "system": "http://unitsofmeasure.org",
                              "code": code}}


def facts(vocab, *observations):
    return extract_facts(bundle(patient(), *observations), vocab)


def criterion(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    [item] = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert item.status == "fully_structured", item.node
    return item.node


def verdict(vocab, section, text, patient_facts):
    return outcome(criterion(vocab, section, text), patient_facts, focus=None).verdict.label


def test_lvef_observation_becomes_a_lab_fact_in_percent(vocab):
    got = facts(vocab, observation("ef", "10230-1", date=DATE, **quantity(55, "%")),
                observation("ef-us", "18043-0", date="2026-11-01", **quantity(0.62, "1")))
    by_loinc = {lab.loinc: lab for lab in got.labs}
    assert (by_loinc["10230-1"].analyte, by_loinc["10230-1"].value, by_loinc["10230-1"].unit) == ("LVEF", 55, "%")
    # a fraction sent with unit "1" is converted to percent
    assert (by_loinc["18043-0"].analyte, by_loinc["18043-0"].value) == ("LVEF", 62)


def test_lvef_fraction_sent_as_percent_is_flagged_implausible(vocab):
    [lab] = facts(vocab, observation("ef", "10230-1", date=DATE, **quantity(0.55, "%"))).labs
    assert lab.implausible


@pytest.mark.parametrize("value, expected", [(55, "met"), (50, "met"), (45, "not_met")])
def test_lvef_inclusion_threshold(vocab, value, expected):
    p = facts(vocab, observation("ef", "10230-1", date=DATE, **quantity(value, "%")))
    # NCT06176261
    text = "Left ventricular ejection fraction (LVEF) ≥ 50% by echocardiogram (ECHO) or multigated acquisition (MUGA) scan."
    assert verdict(vocab, "inc", text, p) == expected


def test_lvef_exclusion_and_missing_value(vocab):
    text = "Left ventricular ejection fraction \\<50%"  # NCT06989437
    low = facts(vocab, observation("ef", "10230-1", date=DATE, **quantity(40, "%")))
    assert verdict(vocab, "exc", text, low) == "not_met"
    no_echo = facts(vocab, observation("qtcf", "76634-5", date=DATE, **quantity(430, "ms")))
    assert verdict(vocab, "exc", text, no_echo) == "unknown"


def test_qtcf_in_seconds_or_milliseconds(vocab):
    got = facts(vocab, observation("q", "76634-5", date=DATE, **quantity(0.462, "s")))
    [lab] = got.labs
    assert (lab.analyte, lab.value, lab.unit) == ("QTCF", 462, "ms")
    text = "QT interval corrected by Fridericia's formula (QTcF) ≥ 470 msec"  # NCT06562192
    assert verdict(vocab, "exc", text, got) == "met"  # 462 < 470: not excluded
    high = facts(vocab, observation("q", "76634-5", date=DATE, **quantity(480, "ms")))
    assert verdict(vocab, "exc", text, high) == "not_met"


def test_qtc_by_another_formula_never_decides(vocab):
    text = "Has a QTcF interval \\> 480 msec."  # NCT03592472
    bazett = facts(vocab, observation("q", "76635-2", date=DATE, **quantity(520, "ms")))
    unnamed = facts(vocab, observation("q", "8636-3", date=DATE, **quantity(400, "ms")))
    assert [lab.analyte for lab in bazett.labs + unnamed.labs] == ["QTCB", "QTC"]
    assert verdict(vocab, "exc", text, bazett) == "unknown"
    assert verdict(vocab, "exc", text, unnamed) == "unknown"


@pytest.mark.parametrize("value, inclusion, exclusion", [(88, "not_met", "not_met"), (95, "unknown", "unknown")])
def test_saturation_on_room_air_is_settled_only_by_a_low_value(vocab, value, inclusion, exclusion):
    """The recorded saturation (59408-5 with 2708-6, as in the Synthea bundles) may have been taken
    on oxygen: 88% settles ">= 92% on room air" (not met) and "< 90% on room air" (excluded);
    95% settles neither."""
    obs = observation("sat", "59408-5", date=DATE, **quantity(value, "%"))
    obs["code"]["coding"].append({"system": "http://loinc.org", "code": "2708-6"})
    p = facts(vocab, obs)
    assert [(lab.analyte, lab.value) for lab in p.labs] == [("SPO2", value)]
    inc, exc = "O2 saturation ≥ 92% on room air.", "Has a pulse oximetry \\< 90% on room air."  # NCT04690595, NCT05254184
    heading = {"inc": "Inclusion Criteria:", "exc": "Exclusion Criteria:"}
    got = []
    for section, text in (("inc", inc), ("exc", exc)):
        [item] = parse_eligibility(f"{heading[section]}\n\n* {text}\n", vocab).criteria_items
        got.append(outcome(item.node, p, focus=None).verdict.label)
    assert got == [inclusion, exclusion]
