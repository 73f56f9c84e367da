"""trial_from_record: a ClinicalTrials.gov trial record -> (TrialCriteria, ParsedEligibility).

Two shapes are read:
- a line of ``oncology-trials.jsonl`` (``nct_id``, ``title``, ``phase``, ``status``,
  ``conditions``, ``eligibility{raw_text, minimum_age, maximum_age, sex}``);
- a ClinicalTrials.gov API v2 study (``protocolSection.eligibilityModule.eligibilityCriteria``,
  ``minimumAge``, ``maximumAge``, ``sex``; identification, status, design, conditions modules).

The structured age and sex fields become atoms too (before the parsed items), each with a
``text`` saying where it came from. A record with neither shape raises CriteriaError.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.errors import CriteriaError
from trialmatch.nlp.parsed_eligibility import ParsedEligibility
from trialmatch.nlp.parser import PARSER_VERSION, parse_eligibility

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(years?|months?|weeks?|days?)\s*$", re.IGNORECASE)
_PER_YEAR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 365.0}


def _age_years(value) -> float | None:
    """"18 Years" -> 18.0; "6 Months" -> 0.5; "N/A", None or anything else -> None."""
    if not isinstance(value, str):
        return None
    m = _AGE.match(value)
    if not m:
        return None
    unit = m.group(2).lower().rstrip("s")
    return round(float(m.group(1)) / _PER_YEAR[unit], 4)


def _structured_atoms(min_age, max_age, sex) -> list[c.Node]:
    atoms: list[c.Node] = []
    lo, hi = _age_years(min_age), _age_years(max_age)
    if lo is not None or hi is not None:
        said = ", ".join(f"{k}: {v}" for k, v in (("minimum age", min_age), ("maximum age", max_age)) if _age_years(v) is not None)
        atoms.append(c.Age(min=lo, max=hi, text=said))
    sex_key = (sex or "").strip().lower()
    if sex_key in ("female", "male"):
        atoms.append(c.Sex(sex_key, text=f"sex: {sex}"))
    return atoms


def _fields(record: dict) -> dict:
    if isinstance(record.get("protocolSection"), dict):
        ps = record["protocolSection"]
        ident, status = ps.get("identificationModule") or {}, ps.get("statusModule") or {}
        design, conds = ps.get("designModule") or {}, ps.get("conditionsModule") or {}
        elig = ps.get("eligibilityModule") or {}
        phases = design.get("phases") or []
        return {
            "id": ident.get("nctId"), "title": ident.get("briefTitle") or ident.get("officialTitle") or "",
            "phase": "/".join(phases) if phases else None, "status": status.get("overallStatus"),
            "conditions": tuple(conds.get("conditions") or ()), "text": elig.get("eligibilityCriteria") or "",
            "min_age": elig.get("minimumAge"), "max_age": elig.get("maximumAge"), "sex": elig.get("sex"),
            "format": "ctgov-api-v2",
        }
    if "nct_id" in record and isinstance(record.get("eligibility"), dict):
        elig = record["eligibility"]
        return {
            "id": record.get("nct_id"), "title": record.get("title") or "", "phase": record.get("phase"),
            "status": record.get("status"), "conditions": tuple(record.get("conditions") or ()),
            "text": elig.get("raw_text") or "", "min_age": elig.get("minimum_age"),
            "max_age": elig.get("maximum_age"), "sex": elig.get("sex"), "format": "ctgov-jsonl",
        }
    raise CriteriaError("record: neither a ClinicalTrials.gov API v2 study (protocolSection) "
                        "nor a trials.jsonl line (nct_id, eligibility)")


def trial_from_record(record: dict, vocab) -> tuple[c.TrialCriteria, ParsedEligibility]:
    if not isinstance(record, dict):
        raise CriteriaError("record: expected a JSON object")
    f = _fields(record)
    if not f["id"]:
        raise CriteriaError("record: no NCT id (identificationModule.nctId / nct_id)")
    parsed = parse_eligibility(f["text"], vocab)
    atoms = _structured_atoms(f["min_age"], f["max_age"], f["sex"])
    criteria = c.All(tuple(atoms) + parsed.to_node().items)
    trial = c.TrialCriteria(
        trial_id=f["id"], title=f["title"], criteria=criteria, phase=f["phase"], status=f["status"],
        conditions=f["conditions"],
        source={"format": f["format"], "parser_version": PARSER_VERSION},
    )
    return trial, parsed
