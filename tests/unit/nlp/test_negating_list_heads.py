"""Inclusion list heads that negate their entries ("Patient must not have any of the following:"):
the entries are exclusions (issue #5 review). Texts are items of tests/data/trials/oncology-trials.jsonl
(NCT id beside each, shortened where said)."""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility

HIV = c.Condition(keys=("hiv",))


def item(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n{text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0]


def verdict(node: c.Node, present: tuple[c.Node, ...] = ()):
    """Three-valued value of a node for a patient who has exactly the atoms ``present`` (every
    other atom false; Unparsed unknown): None is unknown."""
    if isinstance(node, c.Unparsed):
        return None
    if isinstance(node, c.Not):
        v = verdict(node.item, present)
        return None if v is None else not v
    if isinstance(node, (c.All, c.Any)):
        values = [verdict(n, present) for n in node.items]
        stop = isinstance(node, c.Any)  # Any stops at a True, All at a False
        if stop in values:
            return stop
        return None if None in values else not stop
    return node in present


def test_should_not_be_list_is_an_exclusion_list(vocab):
    # NCT05031897: was All(head, HIV, ...): every patient had to be HIV positive (a wrong "ineligible")
    it = item(vocab, "inc", "* Patients should not be:\n\n  * Human immunodeficiency virus positive\n"
              "  * Have active involvement of the central nervous system with malignancy. This can be documented "
              "by a normal neurological exam, magnetic resonance imaging (MRI) of the head, and/or a negative "
              "cerebral spinal fluid analysis")
    assert it.node.__class__ is c.Not and HIV in it.node.item.items
    assert verdict(it.node, (HIV,)) is False  # HIV positive: not eligible
    assert verdict(it.node) is None  # CNS involvement unread: unknown, never "ineligible"


def test_must_not_have_any_of_the_following_clears_a_patient_with_none(vocab):
    # NCT06475989 (first entries): the head's own words stay Unparsed beside the list
    it = item(vocab, "inc", "* Patient must not have any of the following cardiovascular and thromboembolic disorders "
              "or medical conditions:\n\n  * Uncontrolled hypertension defined as sustained blood pressure \\> 150 mm Hg "
              "systolic or \\> 100 mm Hg diastolic despite optimal antihypertensive treatment.\n"
              "  * Stroke, myocardial infarction, or thromboembolic event (e.g., deep venous thrombosis, pulmonary "
              "embolism) within 6 months prior to randomization.")
    node = to_json(it.node)
    assert node["type"] == "not" and node["item"]["type"] == "all"
    assert node["item"]["items"][1]["type"] == "any"
    assert verdict(it.node) is None  # "thromboembolic event" is not read: unknown (was "ineligible")
    first = item(vocab, "inc", it.text.split("\n  * Stroke")[0])
    assert verdict(first.node) is True  # none of the entries: eligible


def test_defined_as_follows_comorbidities(vocab):
    # NCT04155034 (shortened): read like the same list under an exclusion heading
    text = ("* Patient must not have any severe active comorbidities, defined as follows:\n\n"
            "  * Human immunodeficiency virus (HIV) positive\n  * Known HIV infection")
    inc, exc = item(vocab, "inc", text), item(vocab, "exc", text.replace("must not have", "has"))
    assert inc.node.__class__ is c.Not and verdict(inc.node) is True
    assert to_json(inc.node)["item"]["items"][1] == to_json(exc.node)["item"]["items"][1]


def test_none_of_the_following(vocab):
    # NCT06671912 head; the entry is shortened to one the parser reads
    it = item(vocab, "inc", "* None of the following conditions:\n\n  * Known HIV infection")
    assert to_json(it.node) == {"type": "not", "item": {"type": "any", "items": [{"type": "condition", "keys": ["hiv"]}]}}


def test_not_eligible_if_examples_keep_the_head_and_the_arm(vocab):
    # NCT04005690 (first entries): examples of what excludes ("including, but not limited to"), for one
    # arm only: an entry excludes only that arm's patients; having none of them clears nobody
    it = item(vocab, "inc", "* AZENOSERTIB SPECIFIC CRITERIA: Patients are not eligible if there is a serious illness or "
              "medical condition(s) including, but not limited to, the following:\n\n  * Symptomatic brain metastases\n"
              "  * Known HIV infection")
    node = to_json(it.node)
    assert node["item"]["items"][0] == {"type": "unparsed", "text": "AZENOSERTIB SPECIFIC CRITERIA:"}
    assert verdict(it.node) is None and verdict(it.node, (HIV,)) is None


def test_exceptions_to_a_negation_are_not_read(vocab):
    # NCT06849713 (shortened): the entries are permissions; All(head, entries) required radiation
    it = item(vocab, "inc", "* Participants must have no prior systemic therapy for CLL or SLL, except:\n\n"
              "  * Prior local radiation for symptomatic disease is permitted.\n  * Known HIV infection")
    assert it.status == "unparsed"


def test_a_negation_beside_a_requirement_list_is_not_read(vocab):
    # NCT04971499: "must not be pregnant ... and meet at least one of the following": the list is required
    it = item(vocab, "inc", "* Female participants must not be pregnant or breast feeding and meet at least one of the "
              "following conditions:\n\n  * Known HIV infection\n  * Human immunodeficiency virus positive")
    assert "not" not in [n["type"] for n in [to_json(it.node)]]


def test_a_negation_in_an_earlier_sentence_leaves_the_list_a_requirement(vocab):
    # NCT06046040: "... and must not be dependent on transfusions ... Adequate hematologic reserve is defined as:"
    it = item(vocab, "inc", "* Patients must have adequate hematologic reserve within 4 weeks of eligibility confirmation by a "
              "physician-investigator and must not be dependent on transfusions to maintain these hematologic parameters. "
              "Adequate hematologic reserve is defined as:\n\n   1. Hemoglobin ≥ 8 g/dL\n   2. Absolute neutrophil count "
              "≥ 1000/μL\n   3. Platelet count ≥ 75,000/μL")
    node = to_json(it.node)
    assert node["type"] == "all" and [n["analyte"] for n in node["items"][1]["items"]] == ["HGB", "ANC", "PLT"]


def test_must_not_have_under_an_exclusion_heading_is_unchanged(vocab):
    # the exclusion section's own Not: "must not have any of the following" there restates the exclusion
    it = item(vocab, "exc", "* Patient must not have any of the following:\n\n  * Known HIV infection")
    assert it.node.__class__ is c.Not and verdict(it.node) is True and verdict(it.node, (HIV,)) is not True


def test_an_exclusion_list_of_examples_clears_nobody_with_none_of_them(vocab):
    # NCT06834373 (first entry): "including, but not limited to": a patient with none of the entries may
    # still have the cardiac disease the head names; All(head, Any(entries)) cleared them (a wrong "eligible")
    it = item(vocab, "exc", "* Impaired cardiac function or clinically significant cardiac diseases including, but not "
              "limited to:\n\n  * Known HIV infection")
    assert to_json(it.node) == {"type": "not", "item": {"type": "any", "items": [
        {"type": "unparsed", "text": "Impaired cardiac function or clinically significant cardiac diseases including, but "
                                     "not limited to:"}, {"type": "condition", "keys": ["hiv"]}]}}
    assert verdict(it.node) is None and verdict(it.node, (HIV,)) is False
    # a bare "including:" is read as the list it introduces (NCT04322955 head)
    it = item(vocab, "exc", "* Cardiovascular disorders including:\n\n  * Known HIV infection")
    assert verdict(it.node) is True
