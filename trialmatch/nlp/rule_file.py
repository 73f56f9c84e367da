"""Rule objects and the loader of the rule files shipped in ``trialmatch/nlp/rules/``.

Each rule is plain data with declared allowed keys (medspacy's habit): unknown keys, a
missing ``literal`` or an unknown ``category``/``label`` raise ``RuleFileError`` naming the
file, the rule's index and the field. ``pattern`` chooses how a rule matches: absent, the
literal as a phrase; a string, a regular expression (over normalised, lower-case text).

- ``ContextRule`` (``context.json``): words that change what a mention means. Categories:
  ``NEGATION`` ("no", "without" at the start of a clause), ``HISTORICAL`` ("history of"),
  ``QUALIFIER`` (qualifiers of a metastatic site: ``value`` "active", "untreated",
  "symptomatic", "stable"; "" adds nothing ("known"); no value: not structured),
  ``EXCEPTION`` ("unless", "except": the clause after it is kept unparsed), ``NON_CLINICAL``
  (consent, willingness, ability to swallow: the item is non-clinical), ``RECOGNISED`` (a
  clinical requirement no atom can hold yet, "measurable disease per RECIST", "life
  expectancy": ``value`` names the concept; the item stays Unparsed but is counted by concept,
  as the proposed atoms of docs/nlp.md), ``DEPENDENT`` (a sentence not understood that depends on
  the one before: ``value`` "definition" or "permission"; "independent" rules are counter-rules, a
  requirement of its own), ``DOCUMENTATION`` (a whole sentence that says how the protocol checks,
  never who is eligible: "Screening is not required."), ``CONDITION_QUALIFIER`` (the whole words left
  beside a Condition atom that name a state of it no record holds, "uncontrolled", "requiring systemic
  therapy": ``value`` one of ``criteria.CONDITION_QUALIFIERS``; the pattern matches the whole remainder).
- ``LexiconRule`` (``lexicon/*.json``, one file per label, read in file-name order): phrases that name a concept with a vocabulary key, for
  the concepts whose keys are fixed by the shared interface (labs, markers, conditions,
  metastatic sites, drug classes, genes). Cancer types and drugs come from ``trialmatch.vocab``;
  ``CANCER`` rules only override names that span several OncoTree branches (their ``key`` is
  a space-separated list of codes: "melanoma" is cutaneous, mucosal and ocular melanoma).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources

from trialmatch.domain.criteria import CONDITION_QUALIFIERS
from trialmatch.errors import RuleFileError

CONTEXT_CATEGORIES = ("NEGATION", "HISTORICAL", "QUALIFIER", "EXCEPTION", "NON_CLINICAL", "RECOGNISED", "DEPENDENT",
                      "DOCUMENTATION", "CONDITION_QUALIFIER")
DEPENDENT_VALUES = ("definition", "permission", "pregnancy_test", "age_restated", "independent")
LEXICON_LABELS = ("LAB", "MARKER", "CONDITION", "SITE", "DRUG_CLASS", "GENE", "CANCER")


@dataclass(frozen=True)
class ContextRule:
    literal: str
    category: str
    pattern: str | None = None
    value: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class LexiconRule:
    literal: str
    label: str
    key: str
    pattern: str | None = None
    comment: str | None = None


def _build(cls, data, where: str, allowed_values: tuple[str, ...], value_field: str):
    allowed = [f.name for f in fields(cls)]
    if not isinstance(data, dict):
        raise RuleFileError(f"{where}: a rule must be an object with keys {allowed}")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise RuleFileError(f"{where}.{unknown[0]}: unknown key; allowed keys: {allowed}")
    for name in ("literal", value_field):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise RuleFileError(f"{where}.{name}: required, a non-empty string")
    if data[value_field] not in allowed_values:
        raise RuleFileError(f"{where}.{value_field}: {data[value_field]!r} is not one of {list(allowed_values)}")
    pattern = data.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise RuleFileError(f"{where}.pattern: must be a regular expression string")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RuleFileError(f"{where}.pattern: invalid regular expression: {exc}") from None
    if "value" in data and data["value"] is not None and not isinstance(data["value"], str):
        raise RuleFileError(f"{where}.value: must be a string")
    if cls is ContextRule and data["category"] == "RECOGNISED" and not (isinstance(data.get("value"), str) and data["value"]):
        raise RuleFileError(f"{where}.value: required for RECOGNISED rules, the concept's name")
    if cls is ContextRule and data["category"] == "DEPENDENT" and data.get("value") not in DEPENDENT_VALUES:
        raise RuleFileError(f"{where}.value: required for DEPENDENT rules, one of {list(DEPENDENT_VALUES)}")
    if cls is ContextRule and data["category"] == "CONDITION_QUALIFIER" and data.get("value") not in CONDITION_QUALIFIERS:
        raise RuleFileError(f"{where}.value: required for CONDITION_QUALIFIER rules, one of {list(CONDITION_QUALIFIERS)}")
    if cls is LexiconRule and (not isinstance(data.get("key"), str) or not data["key"].strip()):
        raise RuleFileError(f"{where}.key: required, a non-empty string")
    return cls(**data)


def parse_rules(data, file: str, cls):
    """Validate the JSON content of a rule file: ``{"rules": [...]}``."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleFileError(f"{file}: expected an object with a 'rules' list")
    extra = sorted(set(data) - {"rules", "comment"})
    if extra:
        raise RuleFileError(f"{file}.{extra[0]}: unknown key; allowed keys: ['comment', 'rules']")
    if cls is ContextRule:
        return tuple(_build(cls, r, f"{file}: rules[{i}]", CONTEXT_CATEGORIES, "category")
                     for i, r in enumerate(data["rules"]))
    return tuple(_build(cls, r, f"{file}: rules[{i}]", LEXICON_LABELS, "label")
                 for i, r in enumerate(data["rules"]))


def rule_to_json(rule) -> dict:
    return {f.name: getattr(rule, f.name) for f in fields(rule) if getattr(rule, f.name) is not None}


def _load(name: str, cls):
    path = resources.files("trialmatch.nlp").joinpath("rules", name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RuleFileError(f"rules/{name}: cannot be read as JSON: {exc}") from None
    return parse_rules(data, f"rules/{name}", cls)


@lru_cache(maxsize=None)
def context_rules() -> tuple[ContextRule, ...]:
    return _load("context.json", ContextRule)


@lru_cache(maxsize=None)
def lexicon_rules() -> tuple[LexiconRule, ...]:
    folder = resources.files("trialmatch.nlp").joinpath("rules", "lexicon")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json"))
    if not names:
        raise RuleFileError("rules/lexicon: no rule files")
    return tuple(rule for name in names for rule in _load(f"lexicon/{name}", LexiconRule))
