"""Rule files: shipped files load and validate; bad rules are refused by file and field."""

from __future__ import annotations

import pytest

from trialmatch.errors import RuleFileError
from trialmatch.nlp.rule_file import (
    CONTEXT_CATEGORIES, LEXICON_LABELS, ContextRule, LexiconRule, context_rules, lexicon_rules, parse_rules, rule_to_json,
)


def test_shipped_rule_files_load():
    ctx, lex = context_rules(), lexicon_rules()
    assert {r.category for r in ctx} == set(CONTEXT_CATEGORIES)
    assert {r.label for r in lex} == set(LEXICON_LABELS)
    assert ContextRule("no", "NEGATION", comment="at the start of a clause: Not(clause)") in ctx


def test_rules_round_trip_through_json():
    for rule in context_rules():
        assert parse_rules({"rules": [rule_to_json(rule)]}, "f.json", ContextRule) == (rule,)
    for rule in lexicon_rules():
        assert parse_rules({"rules": [rule_to_json(rule)]}, "f.json", LexiconRule) == (rule,)


@pytest.mark.parametrize("data, cls, message", [
    ({"rules": [{"literal": "no", "category": "NEGATION", "colour": "red"}]}, ContextRule,
     "f.json: rules[0].colour: unknown key; allowed keys: ['literal', 'category', 'pattern', 'value', 'comment']"),
    ({"rules": [{"literal": "no", "category": "NEGATED"}]}, ContextRule,
     "f.json: rules[0].category: 'NEGATED' is not one of"),
    ({"rules": [{"category": "NEGATION"}]}, ContextRule, "f.json: rules[0].literal: required"),
    ({"rules": [{"literal": "x", "category": "NEGATION", "pattern": "("}]}, ContextRule,
     "f.json: rules[0].pattern: invalid regular expression"),
    ({"rules": [{"literal": "anc", "label": "LAB"}]}, LexiconRule, "f.json: rules[0].key: required"),
    ({"rules": [{"literal": "i.e.", "category": "DEPENDENT"}]}, ContextRule,
     "f.json: rules[0].value: required for DEPENDENT rules, one of"),
    ({"rules": [{"literal": "i.e.", "category": "DEPENDENT", "value": "maybe"}]}, ContextRule,
     "f.json: rules[0].value: required for DEPENDENT rules, one of"),
    ({"rules": {}}, LexiconRule, "f.json: expected an object with a 'rules' list"),
    ({"rules": [], "extra": 1}, LexiconRule, "f.json.extra: unknown key"),
])
def test_bad_rules_name_file_and_field(data, cls, message):
    with pytest.raises(RuleFileError) as info:
        parse_rules(data, "f.json", cls)
    assert str(info.value).startswith(message)
