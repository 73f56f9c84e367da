"""Condition keys added or checked for issue #5 (peripheral_neuropathy; the codes of
unstable_angina, transient_ischemic_attack, bleeding_disorder, myocardial_infarction), read from a
constructed FHIR Condition resource through the mCODE extraction, then matched: the key's SNOMED
and ICD-10-CM codes are found, an unrelated condition does not satisfy it, and parsed items
decide only where their unparsed parts cannot matter."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import Verdict
from trialmatch.mcode import extract_facts
from trialmatch.nlp import parse_eligibility

from tests.unit.matching.helpers import VOCAB, outcome
from tests.unit.mcode.bundle_builder import SNOMED, bundle, cc, patient

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
STATUS = "http://terminology.hl7.org/CodeSystem/condition-clinical"


def facts_with(system, code, status="active", onset="2026-10-01"):
    cond = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
            "code": cc(system, code), "clinicalStatus": cc(STATUS, status), "onsetDateTime": onset}
    return extract_facts(bundle(patient(), cond), VOCAB)


# key, a SNOMED code, an ICD-10-CM code of it, and a near but unrelated ICD-10-CM code
KEYS = [
    ("peripheral_neuropathy", "302226006", "G62.0", "G56.00"),  # carpal tunnel: a mononeuropathy, not this key
    ("peripheral_neuropathy", "302226006", "G63", "E11.42"),  # diabetic polyneuropathy is coded under diabetes
    ("unstable_angina", "4557003", "I20.0", "I20.9"),  # angina, unspecified: not unstable
    ("transient_ischemic_attack", "266257000", "G45.9", "G45.4"),  # transient global amnesia
    ("bleeding_disorder", "128105004", "D68.0", "D68.51"),  # factor V Leiden: thrombophilia
    ("bleeding_disorder", "28293008", "D66", "D68.32"),  # bleeding due to an anticoagulant drug
    ("myocardial_infarction", "22298006", "I21.4", "I20.0"),
    ("myocarditis", "50920009", "I40.1", "I30.9"),  # acute pericarditis is not myocarditis
    ("myocarditis", "50920009", "I51.4", "I42.9"),  # nor a cardiomyopathy
    ("primary_immunodeficiency", "58606001", "D83.9", "D84.821"),  # immunodeficiency due to drugs: secondary
    ("primary_immunodeficiency", "58606001", "D80.2", "D84.9"),  # immunocompromised NOS: not primary
]


@pytest.mark.parametrize("key,snomed,icd,other", KEYS)
def test_codes_of_a_key_are_found_and_an_unrelated_condition_is_not(key, snomed, icd, other):
    atom = c.Condition((key,))
    for system, code in ((SNOMED, snomed), (ICD10, icd)):
        out = outcome(atom, facts_with(system, code), focus=None)
        assert out.verdict is Verdict.MET, (system, code, out.reason)
        assert outcome(c.Not(atom), facts_with(system, code), focus=None).verdict is Verdict.NOT_MET
    unrelated = outcome(c.Not(atom), facts_with(ICD10, other), focus=None)
    assert unrelated.verdict is Verdict.UNKNOWN  # absent: to confirm, never a silent "no"


def _item(text: str) -> c.Node:
    items = parse_eligibility(f"Exclusion Criteria:\n\n* {text}\n", VOCAB).criteria_items
    assert len(items) == 1
    return items[0].node


def test_graded_neuropathy_item_excludes_nobody_on_the_condition_alone():
    # NCT06074588 "Has Grade >= 2 peripheral neuropathy": the grade is not read; an active neuropathy
    # leaves the item open, a resolved one clears it, none recorded is to confirm
    node = _item("Has Grade ≥2 peripheral neuropathy.")
    assert outcome(node, facts_with(ICD10, "G62.0"), focus=None).verdict is Verdict.UNKNOWN
    assert outcome(node, facts_with(ICD10, "G62.0", status="resolved"), focus=None).verdict is Verdict.MET
    assert outcome(node, facts_with(ICD10, "G56.00"), focus=None).verdict is Verdict.UNKNOWN


def test_transplant_list_excludes_a_solid_organ_recipient_only():
    # NCT04820179 "Prior allogeneic stem cell or solid organ transplantation"
    node = _item("Prior allogeneic stem cell or solid organ transplantation.")
    kidney = facts_with(ICD10, "Z94.0", onset="2015-01-01")
    assert outcome(node, kidney, focus=None).verdict is Verdict.NOT_MET
    # a stem-cell transplant status (Z94.84) is no solid organ: the unparsed alternative stays open
    assert outcome(node, facts_with(ICD10, "Z94.84"), focus=None).verdict is Verdict.UNKNOWN


def test_infection_named_by_its_pathogens_is_the_serious_infection_key():
    # NCT06241456 "Active bacterial, fungal, or viral infections"
    node = _item("Active bacterial, fungal, or viral infections")
    pneumonia = facts_with(SNOMED, "233604007")
    assert outcome(node, pneumonia, focus=None).verdict is Verdict.NOT_MET
    assert outcome(node, facts_with(ICD10, "I20.0"), focus=None).verdict is Verdict.UNKNOWN


def test_uncontrolled_hypertension_key_reads_a_hypertensive_crisis_not_plain_hypertension():
    atom = c.Not(c.Condition(("hypertension_uncontrolled",)))
    assert outcome(atom, facts_with(ICD10, "I16.1"), focus=None).verdict is Verdict.NOT_MET
    assert outcome(atom, facts_with(ICD10, "I10"), focus=None).verdict is Verdict.UNKNOWN


def test_intercurrent_illness_item_excludes_on_an_example_and_never_clears():
    # NCT03516617: unstable angina is an example of an uncontrolled illness: excluded; an atrial
    # fibrillation may be controlled ("uncontrolled" is not read): open; nothing recorded: open
    node = _item("Uncontrolled intercurrent illness including, but not limited to, ongoing or active infection, "
                 "symptomatic congestive heart failure, unstable angina pectoris, cardiac arrhythmia, or psychiatric "
                 "illness/social situations that would limit compliance with study requirements.")
    assert outcome(node, facts_with(ICD10, "I20.0"), focus=None).verdict is Verdict.NOT_MET
    assert outcome(node, facts_with(ICD10, "I48.91"), focus=None).verdict is Verdict.UNKNOWN
    assert outcome(node, facts_with(ICD10, "I20.0", status="resolved"), focus=None).verdict is Verdict.UNKNOWN


def test_a_list_with_an_unread_alternative_excludes_on_the_key_only():
    # NCT05963074 "Stroke or intracranial hemorrhage within 6 months": a recent stroke excludes; an old one
    # leaves the item open (intracranial hemorrhage is not read), never clears it
    node = _item("Stroke or intracranial hemorrhage within 6 months prior to enrollment")
    assert outcome(node, facts_with(ICD10, "I63.9", onset="2026-09-01"), focus=None).verdict is Verdict.NOT_MET
    assert outcome(node, facts_with(ICD10, "I63.9", onset="2019-09-01"), focus=None).verdict is Verdict.UNKNOWN
