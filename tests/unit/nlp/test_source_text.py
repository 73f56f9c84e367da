"""Unparsed remainders keep the protocol's wording; recognised concepts are counted."""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import to_json, walk
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.source_text import restore_unparsed, source_slice


def test_source_slice_finds_the_words_behind_normalised_text():
    original = "Total bilirubin ≤ 1.5 × upper limit of normal (ULN). For participants with Gilbert's ≤3× ULN is permitted."
    assert source_slice("for participants with gilbert's <= 3 x uln is permitted", original) == (
        "For participants with Gilbert's ≤3× ULN is permitted")
    assert source_slice("major", "Major surgery within 4 weeks") == "Major"
    assert source_slice("nothing like it", "Major surgery within 4 weeks") is None


def test_restore_unparsed_rebuilds_only_what_changes():
    node = c.Not(c.All((c.Procedure("surgery", within_days=28), c.Unparsed("major"))))
    assert restore_unparsed(node, "Major surgery within 4 weeks") == c.Not(
        c.All((c.Procedure("surgery", within_days=28), c.Unparsed("Major"))))
    same = c.All((c.Unparsed("Major"),))
    assert restore_unparsed(same, "Major surgery") is same


def test_every_remainder_of_a_partly_structured_item_is_source_text(vocab):
    text = ("Exclusion Criteria:\n\n* Prior radiotherapy to the Region of the study cancer\n"
            "* Total bilirubin ≤ 1.5 × ULN. For participants with known Gilbert Syndrome ≤3× ULN is permitted.\n")
    items = parse_eligibility(text, vocab).criteria_items
    assert [i.status for i in items] == ["partly_structured", "partly_structured"]
    remainders = [n.text for i in items for n in walk(i.node) if isinstance(n, c.Unparsed)]
    assert remainders == ["to the Region of the study cancer",
                          "For participants with known Gilbert Syndrome ≤3× ULN is permitted."]
    assert all(r in text for r in remainders)


def test_recognised_concepts_are_counted_when_not_structured(vocab):
    # measurable disease and life expectancy have atoms (builders/assessment.py): structured items
    # are no longer "recognised"; the shapes the builder refuses still are
    text = ("Inclusion Criteria:\n\n* Measurable or non-measurable disease per RECIST v1.1 will be allowed\n"
            "* Life expectancy of at least 12 weeks\n* Life expectancy not limited by other diseases\n"
            "* Signed informed consent\n")
    parsed = parse_eligibility(text, vocab)
    assert [(i.status, i.recognised, to_json(i.node)["type"]) for i in parsed.criteria_items] == [
        ("unparsed", "measurable_disease", "unparsed"), ("fully_structured", None, "life_expectancy"),
        ("unparsed", "life_expectancy", "unparsed"), ("non_clinical", None, "unparsed")]
    assert parsed.report()["recognised"] == {"life_expectancy": 1, "measurable_disease": 1}


def test_a_remainder_ending_past_its_last_word_is_source_text(vocab):
    # NCT06663072: the remainder ends in "%" (and holds an HTML entity): the protocol's words, not the
    # normalised ones; NCT04166409: a remainder ending in ")"
    original = ("Patients must have histologically confirmed pancreatic neuroendocrine tumor, WHO grades 1-2, Ki-67 index "
                "of \\&lt;20%.")
    assert source_slice("who grades 1-2, ki-67 index of <20%", original) == "WHO grades 1-2, Ki-67 index of \\&lt;20%"
    original = ("Patients \\>= 18 years of age must have a blood pressure =\\< 130/80 mmHg at the time of enrollment (with "
                "or without the use of anti-hypertensive medications)")
    assert source_slice("of age must have a blood pressure <= 130/80 mmhg at the time of enrollment (with or without the "
                        "use of anti-hypertensive medications)", original) == original[original.index("of age"):]


def test_an_html_entity_comparator_is_read(vocab):
    # NCT06168812
    items = parse_eligibility("Exclusion Criteria:\n\n* Glomerular filtration rate \\&lt;30 mL/min/1.73m2\n", vocab)
    assert to_json(items.criteria_items[0].node)["item"]["comparator"] == "<"
