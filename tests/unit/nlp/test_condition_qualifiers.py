"""A condition's state written beside it becomes the Condition's qualifier (condition_qualifiers.py,
CONDITION_QUALIFIER context rules); any other words stay Unparsed beside the atom."""

from __future__ import annotations

import json

import pytest

from trialmatch.domain import criteria as c
from trialmatch.errors import RuleFileError
from trialmatch.nlp.condition_qualifiers import fold_condition_qualifiers
from trialmatch.nlp.context import default_context
from trialmatch.nlp.rule_file import ContextRule, parse_rules

from tests.unit.nlp.test_therapy_round2 import parse_one
from tests.unit.nlp.tree_json import all_, no, un


# autoimmune_disease includes the IBD keys (round 7)
AUTOIMMUNE = ["autoimmune_disease", "inflammatory_bowel_disease", "crohns_disease", "ulcerative_colitis"]


def cond(key, **kw):
    return {"type": "condition", "keys": [key], **kw}


@pytest.mark.parametrize("text,expected", [
    # NCT04919629, NCT05100862: the NCI infection template, both wordings
    ("Has an active infection requiring systemic therapy",
     no(cond("active_infection", qualifier="requiring_systemic_treatment"))),
    ("Active fungal, bacterial, and/or viral infection that requires systemic therapy",
     no(cond("active_infection", qualifier="requiring_systemic_treatment"))),
    ("Uncontrolled diabetes.", no(cond("diabetes", qualifier="uncontrolled"))),  # NCT06257264
    # NCT06586515: "active uncontrolled ... infection"
    ("Have active uncontrolled systemic bacterial, viral, fungal, or parasitic infection.",
     no(cond("active_infection", qualifier="uncontrolled"))),
    ("History of severe autoimmune disease.", no(dict(cond("autoimmune_disease", active_only=False, qualifier="severe"), keys=AUTOIMMUNE))),
])
def test_a_state_beside_a_condition_is_its_qualifier(vocab, text, expected):
    status, node = parse_one(vocab, "exc", text)
    assert (status, node) == ("fully_structured", expected)


@pytest.mark.parametrize("text,expected", [
    # NCT06026410-like: two states, one folded, the other kept
    ("Severe active infection requiring systemic treatment within 28 days before the first dose of study treatment",
     no(all_(cond("active_infection", qualifier="severe"),
             un("requiring systemic treatment within 28 days before the first dose of study treatment")))),
    # a state with a window is not one the rules name: it stays beside the atom
    ("Active autoimmune disease that has required systemic treatment in the past 2 years",
     no(all_(dict(cond("autoimmune_disease"), keys=AUTOIMMUNE), un("that has required systemic treatment in the past 2 years")))),
])
def test_other_words_stay_unparsed_beside_the_atom(vocab, text, expected):
    status, node = parse_one(vocab, "exc", text)
    assert (status, node) == ("partly_structured", expected)


def test_two_atoms_beside_the_words_are_never_folded():
    node = c.All((c.Condition(("diabetes",)), c.Lab("HbA1c", ">", 8.0, "%"), c.Unparsed("uncontrolled")))
    assert fold_condition_qualifiers(node, default_context()) == node


def test_a_non_clinical_remainder_is_never_a_state():
    node = c.All((c.Condition(("diabetes",)), c.Unparsed("uncontrolled", non_clinical=True)))
    assert fold_condition_qualifiers(node, default_context()) == node


@pytest.mark.parametrize("words,state", [
    ("Uncontrolled", "uncontrolled"), ("poorly controlled", "uncontrolled"), ("that is not well controlled", "uncontrolled"),
    ("clinically relevant", "clinically_significant"), ("Significant", "clinically_significant"),
    ("that required steroids", "requiring_steroids"), ("requiring systemic therapy.", "requiring_systemic_treatment"),
    ("requiring treatment", "requiring_treatment"),
    ("moderate or severe", None), ("uncontrolled or significant", None), ("requiring antibiotics", None),
    ("that has required systemic treatment in the past 2 years", None),
])
def test_the_rules_match_the_whole_words(words, state):
    assert default_context().condition_qualifier(words) == state


def test_a_rule_naming_an_unknown_state_is_refused():
    data = {"rules": [{"literal": "mild", "category": "CONDITION_QUALIFIER", "value": "mild"}]}
    with pytest.raises(RuleFileError, match=r"rules\[0\]\.value"):
        parse_rules(json.loads(json.dumps(data)), "context.json", ContextRule)


def test_every_shipped_rule_names_a_known_state():
    rules = [r for r in default_context().rules if r.category == "CONDITION_QUALIFIER"]
    assert rules and {r.value for r in rules} <= set(c.CONDITION_QUALIFIERS)
