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
     no(any_(dict(IMMUNO, active_only=False), {"type": "condition", "keys": ["autoimmune_disease", "inflammatory_bowel_disease", "crohns_disease", "ulcerative_colitis"], "active_only": False}))),
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
])
def test_immunodeficiency_words_no_key_carries_stay_open(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status != "fully_structured", node


def test_uncontrolled_immunodeficiency_is_the_keys_state_to_confirm(vocab):
    status, node = parse_one(vocab, "exc", "Uncontrolled immunodeficiency")
    assert (status, node) == ("fully_structured", no({"type": "condition", "keys": ["immunodeficiency", "primary_immunodeficiency"],
                                                      "qualifier": "uncontrolled"}))


MALABS = {"type": "condition", "keys": ["malabsorption"]}


@pytest.mark.parametrize("section,text,expected", [
    ("exc", "Malabsorption syndrome", no(MALABS)),  # NCT (several)
    ("exc", "Known diagnosis of malabsorption disorder.", no(MALABS)),
    ("exc", "History of malabsorption syndrome", no(dict(MALABS, active_only=False))),
    ("inc", "Participants must not have a known history of a prior diagnosis of malabsorption syndrome",
     no(dict(MALABS, active_only=False))),
    # the vague word is the atom's qualifier: a record leaves it to confirm
    ("exc", "Clinically significant active malabsorption syndrome", no(dict(MALABS, qualifier="clinically_significant"))),
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


def surgery(days, major=True):
    out = {"type": "procedure", "kind": "surgery", "within_days": days}
    if major:
        out["major"] = True
    return out


def narrowed(atom, words):
    return {"type": "all", "items": [atom, {"type": "unparsed", "text": words}]}


@pytest.mark.parametrize("section,text,expected", [
    # "recent" before a window says the window again
    ("exc", "Recent major surgery within 4 weeks prior to starting study treatment", no(surgery(28))),
    # a requirement narrows which surgeries count: kept beside the atom
    ("exc", "Major surgery requiring general anesthesia within 3 weeks", no(narrowed(surgery(21), "requiring general anesthesia"))),
    ("exc", "Surgery requiring general anaesthesia within 28 days prior to randomization",
     no(narrowed(surgery(28, major=False), "requiring general anaesthesia"))),
    # inverted washout: the requirement stays inside the Not (no recent surgery of that kind)
    ("inc", "At least 4 weeks since major surgery requiring general anesthesia",
     no(narrowed(surgery(28), "requiring general anesthesia"))),
])
def test_surgery_shapes(vocab, section, text, expected):
    status, node = parse_one(vocab, section, text)
    assert node == expected, (status, node)


@pytest.mark.parametrize("text", [
    "Recent surgery",  # no window: when?
    "recent major surgery",
    "Major surgery requiring general anesthesia",  # a major surgery needs its window
    "Major surgery requiring general anesthesia and hospitalization within 3 weeks",  # two requirements
])
def test_surgery_shapes_that_stay_unparsed(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node


def test_recent_major_surgery_beside_minor_surgery_keeps_the_minor_one_an_alternative(vocab):
    # NCT04657068 (was unread for its "Recent"): the minor-surgery window stays an Unparsed alternative of
    # the Any, so a patient with no surgery recorded is never cleared by the major-surgery atom alone
    status, node = parse_one(vocab, "exc", "Recent major surgery within 4 weeks prior to entry into the study or minor "
                                           "surgery within 1 week of entry into the study")
    alternatives = node["item"]["items"]
    assert node["type"] == "not" and node["item"]["type"] == "any"
    assert {"type": "unparsed", "text": "minor surgery within 1 week of entry into the study"} in alternatives
    assert alternatives[0]["items"][0] == surgery(28)


HF = {"type": "condition", "keys": ["heart_failure"]}


@pytest.mark.parametrize("text,expected", [
    # NCT (KEYNOTE-style) "Has symptomatic congestive heart failure[New York Heart Association (NYHA) Classes II-IV]":
    # the class in square brackets and the word before both narrow the one condition (the word is its qualifier)
    ("Has symptomatic congestive heart failure[New York Heart Association (NYHA) Classes II-IV]",
     no({"type": "all", "items": [dict(HF, qualifier="symptomatic"),
                                  {"type": "unparsed", "text": "New York Heart Association (NYHA) Classes II-IV"}]})),
    ("NYHA Classes II-IV heart failure", no({"type": "all", "items": [HF, {"type": "unparsed", "text": "NYHA Classes II-IV"}]})),
])
def test_nyha_classes_and_brackets(vocab, text, expected):
    status, node = parse_one(vocab, "exc", text)
    assert node == expected, (status, node)


@pytest.mark.parametrize("text", [
    "heart failure [NYHA class II",  # an unclosed bracket
])
def test_nyha_and_narrowing_shapes_that_stay_open(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node


SCT = {"type": "condition", "keys": ["stem_cell_transplant"], "active_only": False}


@pytest.mark.parametrize("text,expected", [
    # "allogeneic" is not in the codes (Z94.84 covers autologous too): kept beside the atom
    ("History of allogeneic hematopoietic stem cell transplantation.", no(narrowed(SCT, "allogeneic"))),
    ("Prior allogeneic stem cell transplant", no(narrowed(SCT, "allogeneic"))),
    ("Prior allogeneic stem cell transplantation", no(narrowed(SCT, "allogeneic"))),  # NCT06757647
    ("Prior bone marrow transplant", no(SCT)),
    # NCT04191551: a bone marrow transplant excludes on either reading (solid tumor, or solid-tumor transplant)
    ("Have history of solid tumor or bone marrow transplant", no(any_({"type": "unparsed", "text": "solid tumor"}, SCT))),
    ("Prior bone marrow stem cell transplant.", no(SCT)),
    # solid organ transplant keeps its own key; "allogeneic stem cell" there is this key (round 7), the word beside it
    ("Prior allogeneic stem cell or solid organ transplantation.",
     no(any_({"type": "condition", "keys": ["organ_transplant"], "active_only": False},
             {"type": "all", "items": [SCT, {"type": "unparsed", "text": "allogeneic"}]}))),
])
def test_stem_cell_transplant(vocab, text, expected):
    status, node = parse_one(vocab, "exc", text)
    assert node == expected, (status, node)


def test_no_window_over_a_transplant_status(vocab):
    # a status code's onset is when it was written, not the transplant's date: the window is not read
    status, node = parse_one(vocab, "exc", "Bone marrow transplant within 100 days prior to enrollment")
    assert "within_days" not in str(node), node
    assert status != "fully_structured"
