"""Performance status (ECOG, Karnofsky), cancer disease status and pregnancy status (from
Observations, and from current pregnancy Conditions: ``pregnancy_from_condition``)."""

from __future__ import annotations

from trialmatch.domain.facts import LOINC, ObservedStatus, PerformanceStatus
from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import codings, first_code, parse_date, status_code
from trialmatch.mcode.mcode_rules import McodeRules

ECOG_LOINC = "89247-1"
KARNOFSKY_LOINC = "89243-0"
# LOINC answer codes of the ECOG answer list (LL529-9), for an ECOG given only as a code.
ECOG_ANSWERS = {"LA9622-7": 0, "LA9623-5": 1, "LA9624-3": 2, "LA9625-0": 3, "LA9626-8": 4, "LA9627-6": 5}


def performance(entry: Entry, kind: str, rules: McodeRules, warnings: Warnings, date):
    r = entry.resource
    code = first_code(r.get("code"), LOINC)
    expected = ECOG_LOINC if kind == "ecog" else KARNOFSKY_LOINC
    if code is not None and code != expected and code in (ECOG_LOINC, KARNOFSKY_LOINC):
        warnings.add(f"{entry.location}.code", "profile and code name different performance scales; not used")
        return None
    value = r.get("valueInteger")
    if not isinstance(value, int) or isinstance(value, bool):
        value = None
        if kind == "ecog":
            for c in codings(r.get("valueCodeableConcept")):
                if c.system == LOINC and c.code in ECOG_ANSWERS:
                    value = ECOG_ANSWERS[c.code]
    if value is None:
        warnings.add(f"{entry.location}.value[x]", "performance status without a readable score; not used")
        return None
    if kind == "ecog":
        if not 0 <= value <= 5:
            warnings.add(f"{entry.location}.valueInteger", "ECOG score outside 0-5; not used")
            return None
        return PerformanceStatus(entry.evidence, "ECOG", value, (value,), date)
    grades = rules.karnofsky.get(value)
    if grades is None:
        warnings.add(f"{entry.location}.valueInteger", "Karnofsky score not one of 0, 10, ..., 100; not used")
        return None
    return PerformanceStatus(entry.evidence, "Karnofsky", value, grades, date)


def coded_status(entry: Entry, table: dict[str, str], what: str, warnings: Warnings, date):
    concept = entry.resource.get("valueCodeableConcept")
    for c in codings(concept):
        key = f"{c.system}|{c.code}"
        if key in table:
            return ObservedStatus(entry.evidence, table[key], c, date)
    warnings.add(f"{entry.location}.valueCodeableConcept", f"{what} not recognised; not used")
    return None


CURRENT = frozenset({"active", "recurrence", "relapse"})


def pregnancy_from_condition(entry: Entry, table: dict[str, str]):
    """A pregnancy status from a Condition coded in ``table`` (value_codes.yaml
    ``pregnancy_condition``), only while the Condition is current and confirmed (or has no
    verification status) and has no abatement; dated by onset, else recorded date."""
    r = entry.resource
    if status_code(r.get("clinicalStatus")) not in CURRENT:
        return None
    if status_code(r.get("verificationStatus")) not in (None, "confirmed"):
        return None
    if any(key.startswith("abatement") for key in r):
        return None
    for c in codings(r.get("code")):
        key = f"{c.system}|{c.code}"
        if key in table:
            date = parse_date(r.get("onsetDateTime")) or parse_date(r.get("recordedDate"))
            return ObservedStatus(entry.evidence, table[key], c, date)
    return None
