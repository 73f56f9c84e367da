"""Comorbid conditions: condition key ("hiv", "heart_failure", ...) <- SNOMED CT codes and
ICD-10-CM prefixes. Data: ``data/conditions.yaml``.

SNOMED CT codes match exactly (no hierarchy ships with trialmatch); ICD-10-CM codes match
the longest listed prefix. ``other_malignancy`` has no codes: the matcher decides it from
the patient's cancers.

``group: true`` (optional, a boolean) marks a key that gathers several distinct conditions:
an inactive record of one member covers that member only, never the key (the matcher reads
it; the rule and the flagged keys are explained at the head of the data file).

``settled_by`` (optional, a list of FHIR condition-clinical codes among inactive, remission,
resolved) narrows which inactive statuses of a record show the condition gone (default: all
of them, as the matcher's rules list them): an inactive hepatitis B carrier is still HBsAg
positive, so for ``hepatitis_b`` only "resolved" answers "no"; HIV is lifelong (``[]``: none).

``includes`` (optional, a list of other condition keys) names narrower keys the key's words
cover: a criterion naming the key names them too ("immunodeficiency" is a primary one as well as
a secondary or unspecified one; a code has one key, so the primary codes stay under their own).
The parser writes the key and its included keys into one atom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from trialmatch.domain.facts import Coding
from trialmatch.errors import RuleFileError
from trialmatch.vocab.crosswalk import normalise_icd, system_key
from trialmatch.vocab.data_file import (
    DataDir,
    check_dict,
    check_mapping,
    check_str,
    check_str_list,
    read_yaml,
)

FILE = "conditions.yaml"
# "lookup": checked in a public reference looked up by hand; the entry's ``ref`` names it
CODE_SOURCES = ("valueset", "valueset-filter", "bundle", "brief", "lookup", "unverified")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# the inactive codes of FHIR condition-clinical (http://terminology.hl7.org/CodeSystem/condition-clinical)
_INACTIVE_CODES = frozenset({"inactive", "remission", "resolved"})
_ICD_PREFIX = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


@dataclass(frozen=True)
class CodeEntry:
    code: str  # SNOMED code or ICD-10-CM prefix (dotted)
    display: str
    source: str
    ref: str | None = None  # where a "lookup" code was checked


@dataclass(frozen=True)
class ConditionConcept:
    key: str
    name: str
    synonyms: tuple[str, ...]
    snomed: tuple[CodeEntry, ...]
    icd10cm: tuple[CodeEntry, ...]
    group: bool = False  # several distinct conditions: an inactive member does not cover the key
    settled_by: tuple[str, ...] | None = None  # inactive statuses that show it gone (None: every one)
    includes: tuple[str, ...] = ()  # narrower keys a criterion naming this key names too


def parse_entries(value: Any, where: str, code_field: str) -> tuple[CodeEntry, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RuleFileError(f"{where}: expected a list")
    entries = []
    for index, item in enumerate(value):
        at = f"{where}[{index}]"
        check_mapping(item, at, required=(code_field, "display", "source"), optional=("ref",))
        if item["source"] not in CODE_SOURCES:
            raise RuleFileError(f"{at}.source: {item['source']!r} is not one of {list(CODE_SOURCES)}")
        if (item["source"] == "lookup") != ("ref" in item):
            raise RuleFileError(f"{at}: a 'ref' naming the reference goes with source 'lookup', and only with it")
        code = check_str(str(item[code_field]), f"{at}.{code_field}")
        if code_field == "prefix":
            code = normalise_icd(code)
            if not _ICD_PREFIX.match(code):
                raise RuleFileError(f"{at}.prefix: {code!r} is not an ICD-10-CM code prefix")
        elif not code.isdigit():
            raise RuleFileError(f"{at}.code: {code!r} is not a SNOMED CT code")
        ref = check_str(item["ref"], f"{at}.ref") if "ref" in item else None
        entries.append(CodeEntry(code, check_str(item["display"], f"{at}.display"), item["source"], ref))
    return tuple(entries)


@dataclass(frozen=True, eq=False, repr=False)
class CodeIndex:
    """SNOMED exact codes and ICD-10-CM prefixes -> key (longest prefix wins)."""

    snomed: dict[str, str]
    icd_prefixes: tuple[tuple[str, str], ...]  # (prefix, key), longest first

    def key_for(self, coding: Coding) -> str | None:
        if not coding.code:
            return None
        system = system_key(coding.system)
        if system == "snomed":
            return self.snomed.get(coding.code.strip())
        if system == "icd10cm":
            code = normalise_icd(coding.code)
            for prefix, key in self.icd_prefixes:
                if code.startswith(prefix):
                    return key or None
        return None


def build_index(pairs_snomed: list[tuple[str, str]], pairs_icd: list[tuple[str, str]], file: str) -> CodeIndex:
    snomed: dict[str, str] = {}
    for code, key in pairs_snomed:
        if code in snomed and snomed[code] != key:
            raise RuleFileError(f"{file}: SNOMED code {code} listed under both {snomed[code]} and {key}")
        snomed[code] = key
    seen: dict[str, str] = {}
    for prefix, key in pairs_icd:
        if prefix in seen and seen[prefix] != key:
            raise RuleFileError(f"{file}: ICD-10-CM prefix {prefix} listed under both {seen[prefix]} and {key}")
        seen[prefix] = key
    ordered = tuple(sorted(seen.items(), key=lambda item: -len(item[0])))
    return CodeIndex(snomed=snomed, icd_prefixes=ordered)


def load_conditions(data_dir: DataDir) -> tuple[dict[str, ConditionConcept], CodeIndex]:
    document = check_mapping(read_yaml(data_dir, FILE), FILE, required=("conditions",))
    concepts: dict[str, ConditionConcept] = {}
    for key, body in check_dict(document["conditions"], f"{FILE}: conditions").items():
        where = f"{FILE}: conditions.{key}"
        if not isinstance(key, str) or not _KEY.match(key):
            raise RuleFileError(f"{where}: condition key must be snake_case")
        check_mapping(body, where, required=("name", "snomed", "icd10cm"), optional=("synonyms", "group", "settled_by", "includes"))
        group = body.get("group", False)
        if not isinstance(group, bool):
            raise RuleFileError(f"{where}.group: expected true or false, got {group!r}")
        settled_by = body.get("settled_by")
        if settled_by is not None:
            settled_by = check_str_list(settled_by, f"{where}.settled_by")
            if not set(settled_by) <= _INACTIVE_CODES:
                raise RuleFileError(f"{where}.settled_by: expected a list of {sorted(_INACTIVE_CODES)} (empty: no "
                                    f"status shows it gone), got {list(settled_by)!r}")
        concepts[key] = ConditionConcept(
            key=key,
            name=check_str(body["name"], f"{where}.name"),
            synonyms=check_str_list(body.get("synonyms"), f"{where}.synonyms"),
            snomed=parse_entries(body["snomed"], f"{where}.snomed", "code"),
            icd10cm=parse_entries(body["icd10cm"], f"{where}.icd10cm", "prefix"),
            group=group,
            settled_by=settled_by,
            includes=check_str_list(body.get("includes"), f"{where}.includes"),
        )
    for key, concept in concepts.items():
        unknown = [k for k in concept.includes if k not in concepts or k == key]
        if unknown:
            raise RuleFileError(f"{FILE}: conditions.{key}.includes: {unknown!r} are not other condition keys")
    index = build_index(
        [(e.code, c.key) for c in concepts.values() for e in c.snomed],
        [(e.code, c.key) for c in concepts.values() for e in c.icd10cm],
        FILE,
    )
    return concepts, index
