"""Condition(qualifier): a state of the condition no record holds ("uncontrolled diabetes",
"pneumonitis that required steroids"). A record that would make the atom MET leaves it to be
confirmed; an inactive record still settles it (a resolved condition is in no such state); no
record reads as without the qualifier (UNKNOWN, never a silent "no")."""

from __future__ import annotations

from datetime import date

import pytest
from jsonschema import Draft202012Validator

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.criteria_json import from_json, to_json
from trialmatch.domain.verdict import TO_CONFIRM, Verdict
from trialmatch.matching.render import render
from trialmatch.schemas import criteria_schema

from tests.unit.matching.helpers import outcome, patient

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
DM2 = f.Coding(ICD10, "E11.9", "Type 2 diabetes mellitus without complications")
PNEUMONITIS = f.Coding(ICD10, "J70.2", "Acute drug-induced interstitial lung disorders")
UNCONTROLLED_DM = c.Condition(("diabetes",), qualifier="uncontrolled")


def record(code, status):
    return f.Condition(evidence="Condition/x", codes=(code,), clinical_status=status, onset=date(2025, 3, 1))


def test_an_active_record_leaves_the_state_to_confirm_in_an_exclusion():
    out = outcome(c.Not(UNCONTROLLED_DM), patient(conditions=(record(DM2, "active"),)))
    assert out.verdict is Verdict.UNKNOWN
    assert [m.kind for m in out.missing] == [TO_CONFIRM]
    assert "whether uncontrolled is not recorded" in out.reason
    assert out.children[0].evidence[0].reference == "Condition/x"  # the diabetes record is shown


def test_without_the_qualifier_the_same_record_excludes():
    facts = patient(conditions=(record(DM2, "active"),))
    assert outcome(c.Not(c.Condition(("diabetes",))), facts).verdict is Verdict.NOT_MET


def test_a_resolved_record_settles_it_as_without_the_condition():
    out = outcome(c.Not(UNCONTROLLED_DM), patient(conditions=(record(DM2, "resolved"),)))
    assert out.verdict is Verdict.MET


def test_no_record_is_unknown_never_a_silent_no():
    out = outcome(c.Not(UNCONTROLLED_DM), patient())
    assert out.verdict is Verdict.UNKNOWN


def test_a_history_with_a_qualifier_is_to_confirm_even_when_resolved():
    # "History of (non-infectious) pneumonitis that required steroids": any record counts
    node = c.Not(c.Condition(("pneumonitis",), active_only=False, qualifier="requiring_steroids"))
    out = outcome(node, patient(conditions=(record(PNEUMONITIS, "resolved"),)))
    assert out.verdict is Verdict.UNKNOWN
    assert "whether requiring steroids is not recorded" in out.reason


def test_json_round_trip_schema_and_rendering():
    data = to_json(UNCONTROLLED_DM)
    assert data == {"type": "condition", "keys": ["diabetes"], "qualifier": "uncontrolled"}
    assert from_json(data) == UNCONTROLLED_DM
    assert not list(Draft202012Validator(criteria_schema()).iter_errors(data))
    assert render(UNCONTROLLED_DM) == "active diabetes (uncontrolled)"


def test_the_schema_lists_exactly_the_domain_qualifiers():
    listed = criteria_schema()["$defs"]["condition"]["properties"]["qualifier"]["enum"]
    assert tuple(listed) == c.CONDITION_QUALIFIERS


@pytest.mark.parametrize("value", ["controlled", "mild", ""])
def test_the_schema_refuses_other_states(value):
    data = {"type": "condition", "keys": ["diabetes"], "qualifier": value}
    assert list(Draft202012Validator(criteria_schema()).iter_errors(data))


@pytest.mark.parametrize("conditions", [
    (), (record(DM2, "active"),), (record(DM2, "resolved"),), (record(DM2, None),), (record(DM2, "remission"),),
])
@pytest.mark.parametrize("active_only", [True, False])
def test_same_verdicts_as_the_condition_beside_unparsed_state_words(conditions, active_only):
    # the parser folds All(Condition, Unparsed("uncontrolled")) into Condition(qualifier): no verdict may move
    facts = patient(conditions=conditions)
    bare = c.Condition(("diabetes",), active_only=active_only)
    folded = c.Condition(("diabetes",), active_only=active_only, qualifier="uncontrolled")
    for wrap in (lambda n: n, c.Not):
        assert outcome(wrap(folded), facts).verdict is outcome(wrap(c.All((bare, c.Unparsed("uncontrolled")))), facts).verdict


@pytest.mark.parametrize("key,code,status,verdict", [
    # round 7 audit (NCT06462521 "Patients with Ulcerative Colitis or Crohn's disease"): remission is no absence
    ("crohns_disease", "K50.90", "remission", Verdict.UNKNOWN),
    ("crohns_disease", "K50.90", "resolved", Verdict.UNKNOWN),
    ("ulcerative_colitis", "K51.90", "remission", Verdict.UNKNOWN),
    ("ulcerative_colitis", "K51.90", "resolved", Verdict.MET),  # cured by proctocolectomy: the exclusion does not apply
])
def test_inflammatory_bowel_disease_in_remission_is_not_cleared(key, code, status, verdict):
    facts = patient(conditions=(record(f.Coding(ICD10, code, key), status),))
    assert outcome(c.Not(c.Condition((key,))), facts).verdict is verdict
