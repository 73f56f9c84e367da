"""Condition keys of brief H, round 2, read from a constructed FHIR Condition through the mCODE
extraction: "a diagnosis of immunodeficiency" is one atom over ``immunodeficiency`` (secondary and
unspecified codes, D84.8/D84.9) and the primary key it includes; ``malabsorption`` (K90 but celiac
disease and intolerances, K91.2)."""

from __future__ import annotations

import pytest

from trialmatch.domain.verdict import Verdict
from trialmatch.mcode import extract_facts
from trialmatch.nlp import parse_eligibility

from tests.unit.matching.helpers import VOCAB, outcome
from tests.unit.mcode.bundle_builder import bundle, cc, patient

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
STATUS = "http://terminology.hl7.org/CodeSystem/condition-clinical"


def facts_with(code, status="active"):
    cond = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
            "code": cc(ICD10, code), "clinicalStatus": cc(STATUS, status), "onsetDateTime": "2025-10-01"}
    return extract_facts(bundle(patient(), cond), VOCAB)


def _item(text: str):
    items = parse_eligibility(f"Exclusion Criteria:\n\n* {text}\n", VOCAB).criteria_items
    assert len(items) == 1
    return items[0].node


@pytest.mark.parametrize("code", ["D84.821", "D84.9", "D83.9", "D80.2"])
def test_a_recorded_immunodeficiency_primary_or_secondary_excludes(code):
    # NCT-template "Has a diagnosis of immunodeficiency": drug-induced (D84.821), immunocompromised NOS
    # (D84.9), common variable (D83.9, primary) all are immunodeficiencies
    node = _item("Has a diagnosis of immunodeficiency")
    assert outcome(node, facts_with(code), focus=None).verdict is Verdict.NOT_MET


def test_hiv_alone_and_nothing_recorded_leave_it_to_confirm():
    node = _item("Has a diagnosis of immunodeficiency")
    assert outcome(node, facts_with("B20"), focus=None).verdict is Verdict.UNKNOWN  # HIV: its own key
    assert outcome(node, facts_with("I10"), focus=None).verdict is Verdict.UNKNOWN  # absent: never a "no"


def test_a_resolved_drug_induced_immunodeficiency_does_not_clear_a_group_key():
    # the immunosuppressant stopped: that member is over, another immunodeficiency is not ruled out
    node = _item("Has a diagnosis of immunodeficiency")
    assert outcome(node, facts_with("D84.821", status="resolved"), focus=None).verdict is Verdict.UNKNOWN


@pytest.mark.parametrize("code,verdict", [
    ("K90.9", Verdict.NOT_MET),  # intestinal malabsorption, unspecified
    ("K91.2", Verdict.NOT_MET),  # postsurgical malabsorption
    ("K90.0", Verdict.UNKNOWN),  # celiac disease: not this key (treated on a diet), to confirm
])
def test_malabsorption_syndrome_excludes_on_its_codes(code, verdict):
    node = _item("Malabsorption syndrome")
    assert outcome(node, facts_with(code), focus=None).verdict is verdict


def test_prior_allogeneic_transplant_leaves_an_autologous_recipient_to_confirm():
    # Z94.84 (stem cells transplant status) covers autologous and allogeneic: "allogeneic" decides, unread
    allo = _item("Prior allogeneic stem cell transplant")
    assert outcome(allo, facts_with("Z94.84"), focus=None).verdict is Verdict.UNKNOWN
    # "prior bone marrow transplant" names any: a recorded one excludes, whatever its status
    any_bmt = _item("Prior bone marrow transplant")
    assert outcome(any_bmt, facts_with("Z94.81", status="inactive"), focus=None).verdict is Verdict.NOT_MET
    assert outcome(any_bmt, facts_with("Z94.0"), focus=None).verdict is Verdict.UNKNOWN  # a kidney: no marrow
