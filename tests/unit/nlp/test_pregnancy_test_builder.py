"""builders/pregnancy_test.py, round 2 (issue #5, brief I): the result said after the test, the hormone
spelled out, the assay's sensitivity in brackets, a definition of the subgroup, and a window written with
a comparator kept beside the atom; the shapes that must stay unparsed. Every text is an item of
tests/data/trials/oncology-trials.jsonl (NCT id beside it) or a variant, parsed alone in its section."""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.builders.pregnancy_test import build_pregnancy_test


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


NOT_PREGNANT = {"type": "not", "item": {"type": "pregnancy"}}


def beside(node, window):
    return {"type": "all", "items": [node, {"type": "unparsed", "text": window}]}


FULLY = [
    ("For females of childbearing potential, a negative urine pregnancy test must be documented"),  # NCT03263572
    ("For females of childbearing potential, a serum pregnancy test must be negative"),
    ("Women of childbearing potential (defined as all subjects physiologically capable of becoming pregnant) must have "
     "negative serum ß-human chorionic gonadotropin (hCG) or urine pregnancy test."),  # NCT04282044
    ("A woman of childbearing potential must have a negative serum (β-human chorionic gonadotropin [β-hCG]) or urine "
     "pregnancy test at screening."),
    ("All women of childbearing potential must have negative pregnancy test results"),
    ("Women of childbearing age must be negative for pregnancy test"),
    ("Female subjects of childbearing potential must have negative results for pregnancy test."),
]


@pytest.mark.parametrize("text", FULLY, ids=[t[:60] for t in FULLY])
def test_negative_test_shapes_read_as_not_pregnant(vocab, text):
    assert parse_one(vocab, "inc", text) == ("fully_structured", NOT_PREGNANT)


def test_assay_notes_and_the_hormone_spelled_out_add_nothing_the_window_stays(vocab):
    # NCT06971744
    assert parse_one(vocab, "inc", "Participants of childbearing potential must have a negative serum or urine pregnancy "
                                   "test (beta human chorionic gonadotropin [hCG]) within 7 days before receiving the "
                                   "first dose of study treatment.") == (
        "partly_structured", beside(NOT_PREGNANT, "within 7 days before receiving the first dose of study treatment"))
    assert parse_one(vocab, "inc", "WOCBP must have a negative serum or urine pregnancy test (minimum sensitivity 25 "
                                   "IU/L or equivalent units of human chorionic gonadotropin [HCG]) within 1 week prior "
                                   "to Cycle 1 Day 1.") == (
        "partly_structured", beside(NOT_PREGNANT, "within 1 week prior to Cycle 1 Day 1"))


def test_a_window_with_a_comparator_is_kept_beside_the_atom(vocab):
    # NCT03943316: the qualifier pattern does not read "<= 2 weeks"; the builder keeps it, never drops it
    status, node = parse_one(vocab, "inc", "Women of childbearing potential must have a negative qualitative serum "
                                           "pregnancy test ≤ 2 weeks prior to study entry.")
    assert status == "partly_structured"
    assert node["items"][0] == NOT_PREGNANT and node["items"][1]["type"] == "unparsed"
    assert "2 weeks prior to study entry" in node["items"][1]["text"]
    assert build_pregnancy_test("negative pregnancy test <= 7 days prior to registration", "inclusion") is not None


def test_a_window_never_swallows_an_alternative(vocab):
    # NCT05438420: "... (within 72 hours) prior to treatment or breast-feeding women" is two exclusions: a
    # breastfeeding woman who is not pregnant must still be excluded
    status, node = parse_one(vocab, "exc", "A WOCBP who has a positive urine pregnancy test (within 72 hours) prior to "
                                           "treatment or breast-feeding women")
    assert node == {"type": "not", "item": {"type": "any", "items": [
        beside({"type": "pregnancy"}, "(within 72 hours) prior to treatment"),
        {"type": "pregnancy", "status": "breastfeeding"}]}}


@pytest.mark.parametrize("section,text", [
    ("exc", "Women of child-bearing potential must have a negative pregnancy test"),  # a misplaced inclusion
    ("exc", "A serum pregnancy test must be negative"),
    ("inc", "Women of childbearing potential must be willing to undergo a pregnancy test"),  # no result named
    ("inc", "Women of childbearing age are required to have a blood and/or urine pregnancy test"),
    ("inc", "A serum pregnancy test must be positive"),
])
def test_shapes_that_stay_unparsed(vocab, section, text):
    assert parse_one(vocab, section, text)[0] == "unparsed"
