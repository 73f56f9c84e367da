"""Pregnancy status from Conditions (issue #3): only a current, confirmed pregnancy
Condition gives "pregnant"; resolved ones (as all in the Synthea bundles) give nothing."""

import copy
from datetime import date

import pytest

from tests.unit.mcode.bundle_builder import SNOMED, bundle, cc, condition, patient
from tests.unit.mcode.conftest import load_bundle
from trialmatch.domain.facts import Coding
from trialmatch.mcode import extract_facts

REYNALDA = "synthea/10YearsMcodeBreast/Reynalda736_Lockman863_4ee616bf-9a87-54cf-f4c8-99b1ada91a51.json"
PREGNANCY_2020 = "cf506bf9-2ff8-880e-af8c-ebf307cf9083"  # Normal pregnancy, resolved 2020-03-05
STATUS = "http://terminology.hl7.org/CodeSystem/condition-clinical"
NORMAL_PREGNANCY = Coding(SNOMED, "72892002", "Normal pregnancy")


def _pregnancy(clinical="active", **extra):
    return condition("preg", "72892002", clinicalStatus=cc(STATUS, clinical), onsetDateTime="2026-10-01", **extra)


def test_active_pregnancy_condition_is_pregnant(vocab):
    facts = extract_facts(bundle(patient(), _pregnancy()), vocab)
    assert [(s.evidence, s.status, s.date) for s in facts.pregnancy] == [
        ("Condition/preg", "pregnant", date(2026, 10, 1))]
    assert [c.evidence for c in facts.conditions] == ["Condition/preg"]


@pytest.mark.parametrize("changes", [
    {"clinicalStatus": cc(STATUS, "resolved")},
    {"clinicalStatus": cc(STATUS, "inactive")},
    {"abatementDateTime": "2026-11-01"},
    {"verificationStatus": cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", "provisional")},
])
def test_ended_or_unconfirmed_pregnancy_gives_no_status(changes, vocab):
    b = bundle(patient(), dict(_pregnancy(), **changes))
    assert extract_facts(b, vocab).pregnancy == ()


def test_real_bundle_resolved_pregnancies_give_no_status(vocab):
    assert extract_facts(load_bundle(REYNALDA), vocab).pregnancy == ()


def test_real_bundle_pregnancy_condition_made_current(vocab):
    b = copy.deepcopy(load_bundle(REYNALDA))
    for e in b["entry"]:
        if e["resource"].get("id") == PREGNANCY_2020:
            e["resource"]["clinicalStatus"] = cc(STATUS, "active")
            del e["resource"]["abatementDateTime"]
    facts = extract_facts(b, vocab)
    assert [(s.evidence, s.status, s.code, s.date) for s in facts.pregnancy] == [
        (f"Condition/{PREGNANCY_2020}", "pregnant", NORMAL_PREGNANCY, date(2020, 2, 14))]
