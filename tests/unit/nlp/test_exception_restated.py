"""An exception tail that only restates its head (context rules DEPENDENT age_restated /
pregnancy_test) leaves the head whole (exceptions.py)."""

from __future__ import annotations

import pytest

from tests.unit.nlp.test_therapy_round2 import parse_one


@pytest.mark.parametrize("text", [
    # NCT06412198, NCT04107077, NCT04724018: the NCI age template, cut at "in patients" / "but will be eligible"
    "Age ≥ 18 years. Because no dosing or adverse event data are currently available on the use of the proposed "
    "combination in patients \\<18 years of age, children are excluded from this study.",
    "Age ≥18 years. Because no dosing or adverse event data are currently available on the use of HIPEC for GC/PM in "
    "patients under 18 years of age, children are excluded from this study, but will be eligible for future pediatric trials.",
    "Age ≥18 years; children are excluded from this study, but will be eligible for future pediatric trials.",
])
def test_the_age_template_restates_the_age(vocab, text):
    assert parse_one(vocab, "inc", text) == ("fully_structured", {"type": "age", "min": 18})


def test_after_another_head_the_template_is_a_requirement_of_its_own(vocab):
    status, node = parse_one(vocab, "inc", "ECOG 0-1. Because no dosing or adverse event data are currently available "
                                           "on the use of X in patients \\<18 years of age, children are excluded from this study.")
    assert status == "partly_structured" and "unparsed" in str(node)


@pytest.mark.parametrize("text", [
    # NCT05319015, NCT06177171: RECIST 1.1's own rule on irradiated lesions (section 3.1.3) after the RECIST atom
    "Have measurable disease based on RECIST 1.1. Lesions situated in a previously irradiated area are considered "
    "measurable if progression has been demonstrated in such lesions.",
    "Has measurable disease per RECIST 1.1 as assessed by the investigator. Lesions situated in previously irradiated "
    "areas are considered measurable if progression has been demonstrated in such lesions.",
    # NCT05479812: the same rule in a bracket glued to the head
    "Has at least 1 measurable lesion per RECIST 1.1(lesions situated in a previously irradiated area are considered "
    "measurable if progression has been demonstrated in such lesions);",
])
def test_recists_rule_on_irradiated_lesions_is_documentation(vocab, text):
    assert parse_one(vocab, "inc", text) == ("fully_structured", {"type": "measurable", "criteria": "RECIST 1.1"})


def test_the_stricter_irradiated_lesion_note_is_kept(vocab):
    # NCT05269381: "not considered measurable" narrows beyond RECIST's default: not documentation
    status, node = parse_one(vocab, "inc", "Measurable disease as defined by RECIST (version 1.1) criteria. NOTE: Tumor "
                                           "lesions in a previously irradiated area are not considered measurable disease")
    assert status != "fully_structured"
