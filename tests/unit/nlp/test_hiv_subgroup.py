"""The HIV subgroup's requirement in an inclusion (nlp/clauses.py), read through the public parser from real
items of tests/data/trials/oncology-trials.jsonl (NCT id beside each): "HIV-infected participants must have
well controlled HIV on ART" holds for a patient without HIV and is to confirm for one with HIV:
Any(Not(Condition(hiv)), Unparsed(requirement)). The shapes that stay Unparsed: permissions ("... are eligible
for this trial"), subjects wider than HIV, plans of the study, exclusions."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.criteria_json import to_json
from trialmatch.domain.verdict import Verdict
from trialmatch.nlp import parse_eligibility

from tests.unit.matching.helpers import SNOMED_HIV, outcome, patient


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def subgroup(requirement: str):
    # any HIV record, whatever its status, puts the patient in the subgroup (HIV is not cured)
    hiv = {"type": "condition", "keys": ["hiv"], "active_only": False}
    return {"type": "any", "items": [{"type": "not", "item": hiv},
                                     {"type": "unparsed", "text": requirement}]}


READ = [
    ("Human immunodeficiency virus (HIV)-infected participants must have well controlled HIV on antiretroviral "
     "therapy (ART)", "must have well controlled HIV on antiretroviral therapy (ART)"),  # NCT06136650
    ("Participants with known human immunodeficiency virus (HIV)-infection must be on effective anti-retroviral "
     "therapy at time of registration and have undetectable HIV viral load within 6 months of registration",
     "must be on effective anti-retroviral therapy at time of registration and have undetectable HIV viral load "
     "within 6 months of registration"),  # NCT05058651
    ("HIV-infected participants must have well-controlled HIV on ART, defined as:",
     "must have well-controlled HIV on ART, defined as"),  # NCT05319015
    # "are eligible but must": the permission is the requirement's (NCT04317534, labelled)
    ("HIV-infected participants are eligible but must have well-controlled HIV on anti-retroviral therapy (ART), "
     "defined as:", "must have well-controlled HIV on anti-retroviral therapy (ART), defined as"),
    # the subgroup after the requirement (NCT04499053, labelled)
    ("CD4 T-cell count ≥ 100 per mm3 for HIV-infected patients", "CD4 T-cell count ≥ 100 per mm3"),
]


@pytest.mark.parametrize("text, requirement", READ, ids=[x[0][:40] for x in READ])
def test_subgroup_requirement(vocab, text, requirement):
    assert parse_one(vocab, "inc", text) == ("partly_structured", subgroup(requirement))


NOT_READ = [
    # a permission restricts nobody by its words (the parser's reading of "Patients with X are eligible"; the
    # labels read it unparsed): NCT04858256, NCT05319015
    ("inc", "HIV-infected patients on effective anti-retroviral therapy with undetectable viral load within 6 months "
            "are eligible for this trial."),
    ("inc", "HIV-positive participants may be enrolled."),
    # a second sentence the requirement does not hold
    ("inc", "HIV-infected participants are eligible but must have well-controlled HIV on ART. Testing is not required."),
    # a subject wider than HIV, or HIV with a second condition: not the HIV subgroup
    ("inc", "Patients with HIV or hepatitis B must be on treatment"),
    ("inc", "ECOG 0-1 and CD4 > 200 for HIV-infected patients"),
    # a plan of the study, not a requirement of the patient (NCT04704661's last sentence)
    ("inc", "HIV-infected patients should be monitored every 12 weeks for viral load and CD4 counts"),
    ("inc", "Patients with HIV must be tested for viral load at screening"),
    # an exclusion naming the subgroup is another shape (NCT06074588), not read here
    ("exc", "HIV-infected participants with a history of Kaposi's sarcoma and/or Multicentric Castleman's Disease."),
]


@pytest.mark.parametrize("section, text", NOT_READ, ids=[x[1][:40] for x in NOT_READ])
def test_not_read(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed" and node["type"] == "unparsed"


def test_the_subgroup_requirement_evaluated(vocab):
    """The parsed NCT06136650 item against patients: without an HIV record it stays to confirm (never a
    "no HIV"); with HIV, active or recorded as resolved, the requirement is to confirm (a resolved record
    must not clear it: HIV is not cured); nobody is ruled out by it."""
    items = parse_eligibility("Inclusion Criteria:\n\n* Human immunodeficiency virus (HIV)-infected participants must "
                              "have well controlled HIV on antiretroviral therapy (ART)\n", vocab).criteria_items
    node = items[0].node
    assert isinstance(node, c.Any)
    hiv = f.Condition("Condition/hiv", codes=(SNOMED_HIV,), clinical_status="active")
    resolved = f.Condition("Condition/hiv", codes=(SNOMED_HIV,), clinical_status="resolved")
    verdicts = [outcome(node, p).verdict for p in (patient(), patient(conditions=(hiv,)), patient(conditions=(resolved,)))]
    assert verdicts == [Verdict.UNKNOWN, Verdict.UNKNOWN, Verdict.UNKNOWN]
    # the subgroup atom alone: any HIV record, whatever its status, puts the patient in the subgroup
    subgroup = node.items[0]
    assert [outcome(subgroup, p).verdict for p in (patient(conditions=(hiv,)), patient(conditions=(resolved,)))] == [
        Verdict.NOT_MET, Verdict.NOT_MET]
