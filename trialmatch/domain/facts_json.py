"""PatientFacts to JSON and back, exactly.

Each fact is an object of its dataclass fields with defaults left out; dates are ISO
strings, codings ``{"system", "code", "display"}`` (None members left out), tuples lists.
The top level holds the PatientFacts fields the same way, plus ``"age"`` when ``as_of``
is given (read-only: ``facts_from_json`` ignores it). Warnings are
``{"location", "message"}``. Unknown keys are refused by name (a typo must not silently
drop a fact).
"""

from __future__ import annotations

import dataclasses
from datetime import date

from trialmatch.domain import facts as f

FACT_TYPES: dict[str, type] = {
    "cancers": f.Cancer, "stages": f.Stage, "markers": f.TumorMarker, "variants": f.Variant,
    "genes_tested": f.GeneTested, "performance": f.PerformanceStatus, "medications": f.Medication,
    "procedures": f.Procedure, "labs": f.Lab, "conditions": f.Condition,
    "pregnancy": f.ObservedStatus, "disease_status": f.ObservedStatus, "warnings": f.Warning,
    "measurable_disease": f.MeasurableDisease, "life_expectancy": f.LifeExpectancy,
    "allergies": f.Allergy,
    "immunizations": f.Immunization,
    "studies": f.StudyEnrolment,
    "adverse_events": f.AdverseEvent,
    "residual_toxicity": f.ToxicityAssessment,
}
CODING_FIELDS = frozenset({"codes", "histology", "body_site", "laterality", "code", "system"})
DATE_FIELDS = frozenset({"birth_date", "deceased_date", "onset", "recorded", "date", "start", "end", "resolved"})


def facts_to_json(facts: f.PatientFacts, as_of: date | None = None) -> dict:
    out = _object(facts)
    if as_of is not None:
        out["age"] = facts.age_on(as_of)
    return out


def facts_from_json(data: dict) -> f.PatientFacts:
    if not isinstance(data, dict):
        raise ValueError("facts JSON must be an object")
    data = {k: v for k, v in data.items() if k != "age"}
    return _build(f.PatientFacts, data, "facts")


def _object(obj) -> dict:
    out: dict = {}
    for field in dataclasses.fields(obj):
        value = getattr(obj, field.name)
        if value == field.default:
            continue
        out[field.name] = _to_json(field.name, value)
    return out


def _to_json(name: str, value):
    if isinstance(value, tuple):
        return [_to_json(name, v) for v in value]
    if isinstance(value, f.Coding):
        return {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
    if dataclasses.is_dataclass(value):
        return _object(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _build(cls: type, data: dict, where: str):
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object")
    fields = {fl.name: fl for fl in dataclasses.fields(cls)}
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(fields)}")
    kwargs = {}
    for name, value in data.items():
        kwargs[name] = _from_json(cls, name, value, f"{where}.{name}")
    return cls(**kwargs)


def _from_json(cls: type, name: str, value, where: str):
    if value is None:
        return None
    if cls is f.PatientFacts and name in FACT_TYPES:
        return tuple(_build(FACT_TYPES[name], v, f"{where}[{i}]") for i, v in enumerate(_list(value, where)))
    if name in CODING_FIELDS:
        if isinstance(value, list):
            return tuple(_coding(v, f"{where}[{i}]") for i, v in enumerate(value))
        return _coding(value, where)
    if name in DATE_FIELDS:
        if not isinstance(value, str):
            raise ValueError(f"{where}: expected an ISO date")
        return date.fromisoformat(value)
    if isinstance(value, list):
        return tuple(value)
    if cls in (f.TumorMarker, f.Lab) and name in ("value", "original_value", "ref_low", "ref_high") \
            and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _list(value, where: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list")
    return value


def _coding(value, where: str) -> f.Coding:
    if not isinstance(value, dict) or set(value) - {"system", "code", "display"}:
        raise ValueError(f"{where}: expected a coding {{system, code, display}}")
    return f.Coding(value.get("system"), value.get("code"), value.get("display"))
