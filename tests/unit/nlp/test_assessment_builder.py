"""The assessment builder (nlp/builders/assessment.py) through the public parser: measurable
disease and life expectancy read from real items of tests/data/trials/oncology-trials.jsonl
(NCT id beside each), and the shapes that must not become an atom (or only a necessary part)."""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.entered_facts import months_to_days
from trialmatch.matching.match_rules import load_rules
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.assessment import _CRITERIA, build_assessment, to_days


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def life(days, inclusive=True):
    return {"type": "life_expectancy", "min_days": days, **({} if inclusive else {"min_inclusive": False})}


RECIST = {"type": "measurable", "criteria": "RECIST 1.1"}

FULL = [
    ("inc", "Life expectancy of at least 12 weeks", life(84)),  # NCT04889716
    ("inc", "Life expectancy \\> 12 weeks", life(84, False)),  # NCT03257033
    ("inc", "Life expectancy \\> 3 months", life(91, False)),  # NCT04361708
    ("inc", "Life expectancy ≥ 3 months, in the opinion of the PI or designee.", life(91)),  # NCT06598007
    ("inc", "Participants must have a life expectancy ≥ 16 weeks.", life(112)),  # NCT03786796
    ("inc", "Minimum life expectancy of 3 months or more", life(91)),  # NCT04260022
    ("inc", "Expected survival greater than 3 months.", life(91, False)),  # NCT04107077
    ("inc", "Subjects are expected to have a life expectancy of at least 12 weeks from the time of enrollment.",
     life(84)),  # NCT04282044
    ("inc", "Participants who are expected to survive a minimum of 3 months after the first administration of the "
            "study drug.", life(91)),  # NCT04300556
    # exclusions: "< X" is not(life expectancy >= X), excluded: not(not(...))
    ("exc", "Life expectancy \\< 3 months", {"type": "not", "item": {"type": "not", "item": life(91)}}),  # NCT04553770
    ("exc", "Life expectancy of less than 12 weeks", {"type": "not", "item": {"type": "not", "item": life(84)}}),  # NCT05048212
    ("exc", "Patients with an expected life expectancy \\< 2 years",
     {"type": "not", "item": {"type": "not", "item": life(730)}}),  # NCT04844528
    ("inc", "Measurable disease per RECIST v1.1", RECIST),  # NCT05123482
    ("inc", "Measurable disease according to RECIST v1.1", RECIST),  # NCT05903092
    ("inc", "Has at least one measurable lesion as defined by RECIST version 1.1", RECIST),  # NCT05663710
    ("inc", "Have measurable disease according to RECIST v1.1 (at least one measurable lesion).", RECIST),  # NCT04421820
    ("inc", "Have at least 1 measurable lesion as defined by mRECIST, v1.1",
     {"type": "measurable", "criteria": "mRECIST"}),  # NCT06630234
    ("inc", "Measurable disease", {"type": "measurable"}),  # NCT04585750
    ("inc", "ECOG performance status 0 or 1 and have a life expectancy ≥ 3 months.",
     {"type": "all", "items": [{"type": "performance_status", "max": 1}, life(91)]}),  # NCT04918186
    ("inc", "A predicted life expectancy of ≥ 3 months and an ECOG performance status ≤ 2",
     {"type": "all", "items": [life(91), {"type": "performance_status", "max": 2}]}),  # NCT05546268
]


@pytest.mark.parametrize("section, text, expected", FULL, ids=[t for _, t, _ in FULL])
def test_items_read_whole(vocab, section, text, expected):
    status, node = parse_one(vocab, section, text)
    assert (status, node) == ("fully_structured", expected)


def test_no_measurable_disease_under_exclusion_never_excludes_patients_with_it(vocab):
    # NCT04499053 (stage IV NSCLC, treatment trial), exclusion "No measurable disease.": lacking it
    # excludes. Read as not(not(measurable)), or left unparsed (the negation's direction is doubtful
    # under an exclusion heading); never not(measurable), which would exclude every patient who has it.
    status, node = parse_one(vocab, "exc", "No measurable disease.")
    assert (status, node) in (
        ("fully_structured", {"type": "not", "item": {"type": "not", "item": {"type": "measurable"}}}),
        ("unparsed", {"type": "unparsed", "text": "No measurable disease."}))


PARTLY = [
    # the atom is necessary; the rest is kept beside it
    ("inc", "Participants must have at least 1 measurable lesion as defined by RECIST version 1.1 that has not been "
            "previously irradiated.",  # NCT04606446
     {"type": "all", "items": [RECIST, {"type": "unparsed", "text": "that has not been previously irradiated"}]}),
    ("inc", "Patients must have measurable disease per RECIST.",  # NCT04969835: no version, criteria not read
     {"type": "all", "items": [{"type": "measurable"}, {"type": "unparsed", "text": "per RECIST"}]}),
]


@pytest.mark.parametrize("section, text, expected", PARTLY, ids=[t[:40] for _, t, _ in PARTLY])
def test_items_with_a_necessary_atom(vocab, section, text, expected):
    _, node = parse_one(vocab, section, text)
    assert node == expected


NO_ATOM = [
    # life expectancy for other reasons than the cancer: the patient's own estimate is not required
    "Patients should have a life expectancy of \\>= 6 months for reasons other than their underlying "
    "hematologic/oncologic disorder",  # NCT05031897
    "Clinically and/or radiologically documented and evaluable disease. Measurable disease as defined by RECIST is "
    "not required.",  # NCT04093167
    # (NCT03203525 "measurable or evaluable disease": now Any(Measurable, Unparsed), tests/unit/nlp/test_r7_disease.py)
    "Measurable disease by RECIST 1.1 criteria or bone only metastases with measurable PSA ( ≥ 1 ng/mL)",  # NCT06236139
    "Participants with SLL must have measurable disease by computed tomography/magnetic resonance imaging, defined as "
    "≥ 1 lymph node \\> 1.5 cm in longest diameter and measurable in 2 perpendicular diameters.",  # NCT06973187
    "Measurable disease as defined by RECIST v1.1, RANO, or INRC",  # NCT04589845
    "Radiographically measurable lymphadenopathy (or measurable extra-nodal disease) per Lugano criteria",  # NCT05873712
]


@pytest.mark.parametrize("text", NO_ATOM, ids=[t[:40] for t in NO_ATOM])
def test_shapes_that_stay_unparsed(vocab, text):
    status, node = parse_one(vocab, "inc", text)
    assert status == "unparsed", node


def test_an_atom_only_as_part_of_an_alternative_when_it_is_not_necessary(vocab):
    # NCT04585750: the atom holds for phase 2 only; it may decide only as a sufficient part (any)
    _, node = parse_one(vocab, "inc", "Measurable disease per RECIST v1.1 (Phase 2)")
    assert not (node.get("type") == "all" and RECIST in node["items"]) and node != RECIST


@pytest.mark.parametrize("text", [
    "at least 2 measurable lesions per recist 1.1", "bidimensionally measurable disease",
    "measurable disease outside the radiation field", "measurable disease per recist 1.0",
    "life expectancy of >= 12 weeks for disease-related mortality",
])
def test_clauses_that_give_no_atom(text):
    node = build_assessment(Clause(text, None, "inclusion"))
    assert node is None or type(node).__name__ == "Unparsed"


def test_durations_round_down_as_entered_facts_do():
    assert [to_days(n, u) for n, u in ((12, "weeks"), (3, "months"), (6, "months"), (2, "years"), (1.5, "years"))] == [
        84, 91, 182, 730, 547]
    assert all(to_days(m, "months") == months_to_days(m) for m in (1, 2, 3, 4, 6, 9, 12, 18, 24))


def test_criteria_names_are_the_rule_file_names():
    assert {name for _, name in _CRITERIA} <= set(load_rules().response_criteria)
