"""The clinical families of the second round (issue #5), through the public parser: one item
in a section -> (status, node JSON). Texts are real ClinicalTrials.gov wordings from
tests/data/trials/oncology-trials.jsonl."""

from __future__ import annotations

import pytest

from tests.unit.nlp.test_builders import parse_one

NOT, ALL, ANY = "not", "all", "any"


def cond(key, active=True, qualifier=None):
    out = {"type": "condition", "keys": [key]} if active else {"type": "condition", "keys": [key], "active_only": False}
    return out if qualifier is None else {**out, "qualifier": qualifier}


def unparsed(text):
    return {"type": "unparsed", "text": text}


INCLUSION = [
    ("Absolute neutrophil count (ANC): \\>= 1,500/µL",
     ("fully_structured", {"type": "lab", "analyte": "ANC", "comparator": ">=", "value": 1500, "unit": "/uL"})),
    ("Total bilirubin ≤ 1.5 x upper limit of normal (ULN) (obtained ≤ 14 days prior to registration)",
     ("fully_structured", {"type": "lab", "analyte": "TBILI", "comparator": "<=", "uln_multiple": 1.5, "within_days": 14})),
    ("Aspartate aminotransferase (AST) (serum glutamic oxaloacetic transaminase \\[SGOT\\])/alanine aminotransferase (ALT) "
     "(serum glutamate pyruvate transaminase \\[SGPT\\]) =\\< 3 x institutional ULN",
     ("fully_structured", {"type": ALL, "items": [
         {"type": "lab", "analyte": "AST", "comparator": "<=", "uln_multiple": 3},
         {"type": "lab", "analyte": "ALT", "comparator": "<=", "uln_multiple": 3}]})),
    ("Has adequate renal function (creatinine clearance ≥50 mL/min by Cockcroft-Gault formula)",
     ("fully_structured", {"type": "lab", "analyte": "CRCL", "comparator": ">=", "value": 50, "unit": "mL/min"})),
    ("INR ≤ 1.5", ("fully_structured", {"type": "lab", "analyte": "INR", "comparator": "<=", "value": 1.5, "unit": "{ratio}"})),
    ("Have a performance status of 0 or 1 on the Eastern Cooperative Oncology Group (ECOG) Performance Scale.",
     ("fully_structured", {"type": "performance_status", "max": 1})),
    ("Participants must have a Zubrod performance status of =\\< 2",
     ("fully_structured", {"type": "performance_status", "max": 2})),
    ("Eastern Cooperative Oncology Group (ECOG) performance status of 2 or lower",
     ("fully_structured", {"type": "performance_status", "max": 2})),
    ("Histologically or cytologically documented non-squamous NSCLC.",
     ("fully_structured", {"type": ALL, "items": [
         {"type": "cancer_type", "codes": ["NSCLC"]}, {"type": NOT, "item": {"type": "histology", "keys": ["squamous"]}}]})),
    ("Histologically or cytologically confirmed adenocarcinoma of the prostate without small cell features.",
     ("fully_structured", {"type": ALL, "items": [
         {"type": "cancer_type", "codes": ["PRAD"]}, {"type": NOT, "item": {"type": "histology", "keys": ["small_cell"]}}]})),
    ("Participants must have cytologically or histologically confirmed endometrial cancer that is recurrent or metastatic",
     ("fully_structured", {"type": ALL, "items": [
         {"type": "cancer_type", "codes": ["UCEC"]},
         {"type": ANY, "items": [{"type": "metastasis", "extent": "recurrent"}, {"type": "metastasis", "extent": "metastatic"}]}]})),
    ("Histologically or cytologically confirmed diagnosis of pancreatic ductal adenocarcinoma.",
     ("fully_structured", {"type": "cancer_type", "codes": ["PAAD"]})),
    ("Has received more than 2 prior lines of therapy", ("fully_structured", {"type": "prior_therapy", "min_lines": 3})),
    ("1 to 2 prior lines of therapy", ("fully_structured", {"type": "prior_therapy", "min_lines": 1, "max_lines": 2})),
    ("Measurable disease per RECIST v1.1", ("fully_structured", {"type": "measurable", "criteria": "RECIST 1.1"})),
]

EXCLUSION = [
    ("Participant has known human immunodeficiency virus (HIV) infection, or active hepatitis B virus (HBV)/hepatitis C "
     "virus (HCV) infection",
     ("fully_structured", {"type": NOT, "item": {"type": ANY, "items": [
         cond("hiv"), cond("hepatitis_b"), cond("hepatitis_c")]}})),
    ("History of testing positive for human immunodeficiency virus (HIV) or acquired immunodeficiency syndrome (AIDS).",
     ("fully_structured", {"type": NOT, "item": cond("hiv", active=False)})),
    ("Uncontrolled HIV infection",  # a state no record holds: the atom's qualifier (a record: to confirm)
     ("fully_structured", {"type": NOT, "item": cond("hiv", qualifier="uncontrolled")})),
    ("History of another primary malignancy except for malignancy treated with curative intent",
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         cond("other_malignancy", active=False), unparsed("except for malignancy treated with curative intent")]}})),
    ("Prior or co-existing invasive malignancy", ("fully_structured", {"type": NOT, "item": cond("other_malignancy", False)})),
    ("Current symptomatic central nervous system (CNS) metastasis.",
     ("fully_structured", {"type": NOT, "item": {"type": ANY, "items": [
         {"type": "metastasis", "site": "cns", "qualifier": "symptomatic"},
         {"type": "metastasis", "site": "brain", "qualifier": "symptomatic"}]}})),
    ("Patients with uncontrolled brain metastases",
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "metastasis", "site": "brain"}, unparsed("uncontrolled")]}})),
    ("Subjects who are pregnant, breastfeeding, or planning to become pregnant during the study",
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [
         {"type": "pregnancy"}, {"type": "pregnancy", "status": "breastfeeding"},
         unparsed("planning to become pregnant during the study")]}})),
    ("Pregnant women are excluded from this study because there is an unknown but potential risk",
     ("fully_structured", {"type": NOT, "item": {"type": "pregnancy"}})),
    ("Has a history of (non-infectious) pneumonitis/interstitial lung disease that required steroids or has current "
     "pneumonitis/interstitial lung disease.",
     ("fully_structured", {"type": NOT, "item": {"type": ANY, "items": [
         {"type": ANY, "items": [cond("pneumonitis", False, "requiring_steroids"),
                                 cond("interstitial_lung_disease", False, "requiring_steroids")]},
         {"type": ANY, "items": [cond("pneumonitis"), cond("interstitial_lung_disease")]}]}})),
    # a washout window after a list of treatments is every treatment's (labels, line 184)
    ("Prior chemotherapy or radiotherapy within 4 weeks",
     ("fully_structured", {"type": NOT, "item": {"type": ANY, "items": [
         {"type": "prior_therapy", "classes": ["chemotherapy"], "within_days": 28},
         {"type": "procedure", "kind": "radiation", "within_days": 28}]}})),
    ("Participants must not have received more than three previous lines of systemic treatment",
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy", "max_lines": 3}})),
]

# precision first: shapes whose reading would be a guess stay unparsed
REFUSED = [
    ("exc", "Creatinine clearance >= 60 mL/min/1.73 m2"),  # CRCL in mL/min/1.73m2: the engine cannot convert it
    ("exc", "History of pneumonitis requiring steroids, or uncontrolled seizures"),  # pneumonitis is not necessary
    ("exc", "Participants must not have received more than three previous lines of systemic treatment for metastatic disease"),
    ("exc", "Known or suspected brain metastases"),
]


@pytest.mark.parametrize("text, expected", INCLUSION)
def test_inclusion_families(vocab, text, expected):
    assert parse_one(vocab, "inc", text) == expected


@pytest.mark.parametrize("text, expected", EXCLUSION)
def test_exclusion_families(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == expected


@pytest.mark.parametrize("section, text", REFUSED)
def test_guesses_are_refused(vocab, section, text):
    assert parse_one(vocab, section, text)[0] == "unparsed"
