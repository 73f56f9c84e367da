"""Brief H, round 2: comorbidity, cardiac and procedure shapes. Item texts are from
tests/data/trials/oncology-trials.jsonl; each case lists the shapes that must stay unparsed too."""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility
from tests.unit.nlp.tree_json import any_, no

IMMUNO = {"type": "condition", "keys": ["immunodeficiency", "primary_immunodeficiency"]}


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


@pytest.mark.parametrize("text,expected", [
    ("Has a diagnosis of immunodeficiency", no(IMMUNO)),
    ("Known diagnosis of immunodeficiency.", no(IMMUNO)),
    ("Has a known history of immunodeficiency.", no(dict(IMMUNO, active_only=False))),
    ("History of immunodeficiency disease or autoimmune disease",
     no(any_(dict(IMMUNO, active_only=False), {"type": "condition", "keys": ["autoimmune_disease"], "active_only": False}))),
    # the primary key alone stays primary; HIV and AIDS stay the hiv key
    ("Any form of primary immunodeficiency.", no({"type": "condition", "keys": ["primary_immunodeficiency"]})),
    ("Acquired immunodeficiency syndrome", no({"type": "condition", "keys": ["hiv"]})),
    ("Human immunodeficiency virus (HIV) infection", no({"type": "condition", "keys": ["hiv"]})),
])
def test_immunodeficiency_names_the_key_and_the_primary_one(vocab, text, expected):
    status, node = parse_one(vocab, "exc", text)
    assert node == expected, (status, node)


@pytest.mark.parametrize("text", [
    "Immunocompromised patients",  # a state (drugs, chemotherapy) no diagnosis code need show
    "Uncontrolled immunodeficiency",
])
def test_immunodeficiency_words_no_key_carries_stay_open(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status != "fully_structured", node


MALABS = {"type": "condition", "keys": ["malabsorption"]}


@pytest.mark.parametrize("section,text,expected", [
    ("exc", "Malabsorption syndrome", no(MALABS)),  # NCT (several)
    ("exc", "Known diagnosis of malabsorption disorder.", no(MALABS)),
    ("exc", "History of malabsorption syndrome", no(dict(MALABS, active_only=False))),
    ("inc", "Participants must not have a known history of a prior diagnosis of malabsorption syndrome",
     no(dict(MALABS, active_only=False))),
    # the vague word stays beside the atom
    ("exc", "Clinically significant active malabsorption syndrome",
     no({"type": "all", "items": [MALABS, {"type": "unparsed", "text": "Clinically significant"}]})),
])
def test_malabsorption_key(vocab, section, text, expected):
    status, node = parse_one(vocab, section, text)
    assert node == expected, (status, node)


@pytest.mark.parametrize("text", [
    # no diagnosis named: a condition that may affect absorption is the investigator's call
    "Has impairment of GI function or disease that may significantly alter the absorption of the oral medications",
    "Gastrointestinal condition which could impair absorption of CA-4948 or inability to ingest CA-4948",
])
def test_absorption_without_a_diagnosis_stays_open(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node
