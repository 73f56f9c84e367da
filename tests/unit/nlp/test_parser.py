"""parse_eligibility on whole texts: statuses, exceptions, scopes, lists, to_node, report."""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import PARSER_VERSION, parse_eligibility
from trialmatch.nlp.terms import terms_for

TEXT = """Inclusion Criteria:

* Age \\>= 18 years
* Total bilirubin ≤ 1.5 x ULN unless Gilbert's syndrome
* Adequate organ function defined as:
  * ANC ≥ 1.5 x 10^9/L
  * Platelets ≥ 100 x 10^9/L
* Signed informed consent
* Measurable disease per RECIST 1.1

Cohort B:

* ECOG 0-1

Exclusion Criteria:

* Brain metastases, unless treated and stable
* Known HIV infection
"""


def test_items_statuses_and_nodes(vocab):
    parsed = parse_eligibility(TEXT, vocab)
    got = [(i.section, i.kind, i.status, to_json(i.node)) for i in parsed.items]
    assert got == [
        ("inclusion", "heading", "not_counted", {"type": "unparsed", "text": "Inclusion Criteria:"}),
        ("inclusion", "criterion", "fully_structured", {"type": "age", "min": 18}),
        ("inclusion", "criterion", "partly_structured", {"type": "any", "items": [
            {"type": "lab", "analyte": "TBILI", "comparator": "<=", "uln_multiple": 1.5},
            {"type": "unparsed", "text": "unless Gilbert's syndrome"}]}),
        ("inclusion", "criterion", "fully_structured", {"type": "all", "items": [
            {"type": "lab", "analyte": "ANC", "comparator": ">=", "value": 1.5, "unit": "10*9/L"},
            {"type": "lab", "analyte": "PLT", "comparator": ">=", "value": 100, "unit": "10*9/L"}]}),
        ("inclusion", "criterion", "non_clinical",
         {"type": "unparsed", "text": "Signed informed consent", "non_clinical": True}),
        ("inclusion", "criterion", "fully_structured", {"type": "measurable", "criteria": "RECIST 1.1"}),
        ("inclusion", "heading", "not_counted", {"type": "unparsed", "text": "Cohort B:"}),
        ("inclusion", "criterion", "partly_structured", {"type": "any", "items": [
            {"type": "unparsed", "text": "Cohort B:"}, {"type": "performance_status", "max": 1}]}),
        ("exclusion", "heading", "not_counted", {"type": "unparsed", "text": "Exclusion Criteria:"}),
        ("exclusion", "criterion", "partly_structured", {"type": "not", "item": {"type": "all", "items": [
            {"type": "metastasis", "site": "brain"}, {"type": "unparsed", "text": "unless treated and stable"}]}}),
        ("exclusion", "criterion", "fully_structured", {"type": "not", "item": {"type": "condition", "keys": ["hiv"]}}),
    ]
    assert all(i.parser_version == PARSER_VERSION for i in parsed.items)
    assert parsed.parser_version == PARSER_VERSION


def test_offsets_point_into_the_text(vocab):
    parsed = parse_eligibility(TEXT, vocab)
    assert [TEXT[i.start:i.end] for i in parsed.items] == [i.text for i in parsed.items]


def test_to_node_is_the_all_of_criterion_items(vocab):
    parsed = parse_eligibility(TEXT, vocab)
    node = parsed.to_node()
    assert isinstance(node, c.All)
    assert node.items == tuple(i.node for i in parsed.items if i.kind == "criterion")


def test_report_counts_items_not_headings(vocab):
    assert parse_eligibility(TEXT, vocab).report() == {
        "items": 8, "fully_structured": 4, "partly_structured": 3, "unparsed": 0, "non_clinical": 1,
        "by_kind": {"age": 1, "condition": 1, "lab": 3, "measurable": 1, "metastasis": 1, "performance_status": 1},
        "recognised": {},
    }


def test_cohort_scoped_exclusion_never_excludes_on_the_scope(vocab):
    text = "Exclusion Criteria:\n\nPart 2 only:\n\n* Known HIV infection\n"
    item = parse_eligibility(text, vocab).criteria_items[0]
    assert to_json(item.node) == {"type": "not", "item": {"type": "all", "items": [
        {"type": "unparsed", "text": "Part 2 only:"}, {"type": "condition", "keys": ["hiv"]}]}}


def test_one_of_the_following_list_is_any(vocab):
    text = "Inclusion Criteria:\n\n* One of the following:\n  * HER2-positive\n  * KRAS G12C mutation\n"
    item = parse_eligibility(text, vocab).criteria_items[0]
    assert to_json(item.node) == {"type": "any", "items": [
        {"type": "biomarker", "marker": "HER2", "status": ["positive"]},
        {"type": "variant", "gene": "KRAS", "protein_change": "G12C"}]}


def test_text_without_a_section_is_not_structured(vocab):
    parsed = parse_eligibility("* Age >= 18 years\n", vocab)
    assert [(i.section, i.status, to_json(i.node)) for i in parsed.items] == [
        ("unknown", "unparsed", {"type": "unparsed", "text": "Age >= 18 years"})]


def test_empty_text(vocab):
    parsed = parse_eligibility("", vocab)
    assert parsed.items == () and parsed.to_node() == c.All(())


def test_vocabulary_terms_are_built_once(vocab):
    assert terms_for(vocab) is terms_for(vocab)
