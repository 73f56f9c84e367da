"""TNM staging: stage group and T, N, M categories -> Stage facts.

A stage group Observation gives one Stage; the T, N and M Observations it lists in
``hasMember`` fill that Stage's t, n, m (they are not repeated as Stages of their own).
T, N or M Observations nobody lists give a Stage with only that category. A Condition's
``stage.summary`` gives a Stage (evidence: the Condition) unless its ``stage.assessment``
points at a stage Observation of the Bundle, which then carries the facts.

Values are normalised from the AJCC code (cancerstaging.org: ``c3A``, ``3C``, ``4``,
``cT3``, ``pN1a``), the SNOMED CT code table (``value_codes.yaml``, ``stage_snomed``) or a
SNOMED CT display that states the stage outright ("Stage 3A", "American Joint Committee on
Cancer cT3", "T3 category"). Codings that disagree, or none understood: no value.
"""

from __future__ import annotations

import re

from trialmatch.domain.facts import SNOMED, Coding, Stage
from trialmatch.mcode.fhir_read import code_keys, codings

AJCC = "http://cancerstaging.org"
ROMAN = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"}
_AJCC_GROUP = re.compile(r"^(?:y?[cpa]|r)?([0-4]|IV|I{1,3})([A-Ca-c][0-9]?)?(is)?$")
_SCT_GROUP = re.compile(r"^(?:American Joint Committee on Cancer )?stage ([0-4]|IV|I{1,3})([A-C][0-9]?)?(?: \(|$)", re.I)
_CATEGORY = re.compile(r"^(?:y?[cpa]|r)?([TNM])((?:X|is|[0-4])[a-z0-9]*(?:\([a-z+]+\))?)$")
_SCT_CATEGORY = re.compile(r"^(?:American Joint Committee on Cancer )?(?:y?[cpa]|r)?([TNM])((?:X|is|[0-4])[a-z0-9]*)(?: category)?(?: \(|$)")
FIELD_OF_KIND = {"tnm_t": "T", "tnm_n": "N", "tnm_m": "M"}


def _agreed(concept: object, snomed: dict[str, str], ajcc: re.Pattern, sct: re.Pattern, render) -> set[str]:
    """Every reading of a concept's codings: the SNOMED table first, else the AJCC code or the
    SNOMED display parsed by the given patterns and rendered by ``render(match)``."""
    found = set()
    for c in codings(concept):
        key = f"{c.system}|{c.code}"
        if key in snomed:
            found.add(snomed[key])
            continue
        m = None
        if c.system == AJCC and c.code:
            m = ajcc.match(c.code)
        elif c.system == SNOMED and c.display:
            m = sct.match(c.display)
        if m:
            found.add(render(m))
    return found


def _group(m: re.Match) -> str:
    number, letter, in_situ = (m.groups() + (None,))[:3]
    return ROMAN.get(number, number) + (letter or "").upper() + (in_situ or "")


def normalise_group(concept: object, snomed: dict[str, str]) -> str | None:
    """The stage group all codings agree on; None when none is understood or they differ."""
    found = _agreed(concept, snomed, _AJCC_GROUP, _SCT_GROUP, _group)
    return found.pop() if len(found) == 1 else None


def normalise_category(concept: object, letter: str, snomed: dict[str, str]) -> str | None:
    """The T, N or M category (``letter``) all codings agree on; None otherwise."""
    found = _agreed(concept, snomed, _CATEGORY, _SCT_CATEGORY, lambda m: m.group(1) + m.group(2))
    if len(found) == 1 and next(iter(found)).startswith(letter):
        return found.pop()
    return None


def staging_type(resource: dict, profile_name: str | None, table: dict[str, str]) -> str | None:
    for key in code_keys(resource.get("code")):
        if key in table:
            return table[key]
    if profile_name and "pathological" in profile_name:
        return "pathological"
    if profile_name and "clinical" in profile_name:
        return "clinical"
    return None


def staging_system(resource: dict) -> Coding | None:
    return next(iter(codings(resource.get("method"))), None)


def stage_from_group(evidence: str, resource: dict, members: dict[str, str | None], stype, date,
                     cancer_ref, snomed: dict[str, str]) -> Stage:
    return Stage(evidence=evidence, group=normalise_group(resource.get("valueCodeableConcept"), snomed),
                 t=members.get("T"), n=members.get("N"), m=members.get("M"), staging_type=stype,
                 system=staging_system(resource), date=date, cancer_ref=cancer_ref)


def stage_from_category(evidence: str, resource: dict, kind: str, stype, date, cancer_ref,
                        snomed: dict[str, str]) -> Stage:
    letter = FIELD_OF_KIND[kind]
    value = normalise_category(resource.get("valueCodeableConcept"), letter, snomed)
    return Stage(evidence=evidence, t=value if letter == "T" else None,
                 n=value if letter == "N" else None, m=value if letter == "M" else None,
                 staging_type=stype, system=staging_system(resource), date=date,
                 cancer_ref=cancer_ref)


def stage_from_summary(evidence: str, stage: dict, cancer_ref: str, snomed: dict[str, str]) -> Stage | None:
    group = normalise_group(stage.get("summary"), snomed)
    if group is None:
        return None
    stype = None
    for c in codings(stage.get("type")):
        text = (c.display or "").lower()
        stype = "clinical" if "clinical" in text else "pathological" if "patholog" in text else None
    return Stage(evidence=evidence, group=group, staging_type=stype, cancer_ref=cancer_ref)
