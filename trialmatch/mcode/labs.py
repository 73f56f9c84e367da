"""Lab Observations -> Lab facts in the analyte's canonical unit.

The analyte comes from the vocabulary (``lab_for_loinc``); the value is converted with
``lab_units`` (pint within a dimension, the analyte's molar mass between mass and
substance). A value whose unit cannot be converted keeps value=None (the original is
kept in original_value/original_unit) and a Warning is given. A converted value outside the
analyte's plausible range (``lab_plausibility.yaml``) is kept, flagged implausible, with a
Warning. The reference range, where given, is converted the same way (for "x ULN").
"""

from __future__ import annotations

import math

from trialmatch.domain.facts import LOINC, Lab
from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import codings
from trialmatch.mcode.lab_units import UnitError, conversion
from trialmatch.mcode.mcode_rules import McodeRules


def lab(entry: Entry, vocab, rules: McodeRules, warnings: Warnings, date) -> Lab | None:
    r = entry.resource
    concept, loinc = None, None
    for c in codings(r.get("code")):
        if c.system == LOINC and c.code:
            concept = vocab.lab_for_loinc(c.code)
            if concept is not None:
                loinc = c.code
                break
    if concept is None:
        return None
    q = r.get("valueQuantity")
    if not isinstance(q, dict) or not _number(q.get("value")):
        warnings.add(f"{entry.location}.valueQuantity", "lab result without a numeric value; not used")
        return None
    if q.get("comparator"):
        warnings.add(f"{entry.location}.valueQuantity.comparator", "lab value given with a comparator; not used")
        return None
    original = float(q["value"])
    unit = q.get("code") or q.get("unit")
    unit = unit if isinstance(unit, str) and unit else None
    canonical = concept.canonical_unit
    factor = _factor(unit, canonical, concept.molar_mass)
    if factor is None:
        warnings.add(f"{entry.location}.valueQuantity", "unit missing or not convertible to the analyte's unit")
        return Lab(entry.evidence, loinc, concept.key, None, None, original, unit, date=date)
    value = _round(original * factor)
    low, high = _reference_range(r, canonical, concept.molar_mass)
    implausible = False
    bounds = rules.lab_plausible.get(concept.key)
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        implausible = True
        warnings.add(f"{entry.location}.valueQuantity", "value implausible for the analyte "
                     "(unit error?); kept and flagged")
    return Lab(entry.evidence, loinc, concept.key, value, canonical, original, unit, low, high,
               implausible, date)


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _factor(unit, canonical, molar_mass) -> float | None:
    if unit is None:
        return None
    try:
        return conversion(unit, canonical, molar_mass)
    except UnitError:
        return None


def _round(x: float) -> float:
    return float(f"{x:.6g}")


def _reference_range(r: dict, canonical: str, molar_mass) -> tuple[float | None, float | None]:
    for rr in r.get("referenceRange") or ():
        out = []
        for key in ("low", "high"):
            q = rr.get(key)
            value = None
            if isinstance(q, dict) and _number(q.get("value")):
                unit = q.get("code") or q.get("unit")
                factor = _factor(unit if isinstance(unit, str) else None, canonical, molar_mass)
                value = _round(q["value"] * factor) if factor is not None else None
            out.append(value)
        if out[0] is not None or out[1] is not None:
            return out[0], out[1]
    return None, None
