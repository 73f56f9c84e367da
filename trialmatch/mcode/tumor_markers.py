"""Tumor marker Observations -> TumorMarker facts.

Status comes from valueCodeableConcept and/or interpretation (``value_codes.yaml``,
``marker_status``); a number from valueQuantity, valueInteger or valueRatio. Where one
Observation gives two values of one element (valueCodeableConcept and valueQuantity: not
valid FHIR, seen in CodeX test bundles) the number is read on the marker's scale
(``marker_scales.yaml``): if it agrees with the status the fact is kept, with a Warning;
if it conflicts, or cannot be placed on a scale, the fact is dropped, with a Warning.
A number given with a comparator (">= 10 %") keeps no value (its exact value is not
known) but may still confirm a status.
"""

from __future__ import annotations

import math

from trialmatch.domain.facts import LOINC, TumorMarker
from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import code_keys, codings, concept_list
from trialmatch.mcode.mcode_rules import MarkerScale, McodeRules


def tumor_marker(entry: Entry, vocab, rules: McodeRules, warnings: Warnings, date, cancer_ref):
    r = entry.resource
    marker, code = None, None
    for c in codings(r.get("code")):
        if c.system == LOINC and c.code and vocab is not None:
            marker = vocab.marker_for_loinc(c.code)
            if marker:
                code = c
                break
    if marker is None:
        warnings.add(f"{entry.location}.code", "tumor marker test not recognised; not used")
        return None
    table = rules.values["marker_status"]
    status = None
    if "valueCodeableConcept" in r:
        status = _status(r["valueCodeableConcept"], table)
        if status is None:
            warnings.add(f"{entry.location}.valueCodeableConcept", "result code not recognised; status unknown")
    interpreted = {_status(i, table) for i in concept_list(r.get("interpretation"))} - {None}
    if len(interpreted) > 1 or (status and interpreted and interpreted != {status}):
        warnings.add(f"{entry.location}.interpretation", "interpretation conflicts with the value; fact dropped")
        return None
    status = status or next(iter(interpreted), None)
    value, unit, comparator = _number(r)
    scale = None
    for key, extra in entry.extra_values.items():
        where = f"{entry.location}.{key}"
        e_value, e_unit, e_comp = _number({key: extra})
        placed = _place(rules.marker_scales.get(marker, ()), e_value, e_unit, e_comp, status)
        if placed is None:
            warnings.add(where, "second value of the result conflicts with the first or cannot be "
                         "compared with it; fact dropped")
            return None
        warnings.add(where, "second value of the result given; it agrees with the first and is kept")
        scale = placed
        value, unit, comparator = e_value, e_unit, e_comp
    if value is not None and scale is None:
        scale = _scale_of(rules.marker_scales.get(marker, ()), unit)
    if comparator:
        value = None
    return TumorMarker(evidence=entry.evidence, marker=marker, status=status, value=value,
                       unit=unit if value is not None else None, scale=scale, code=code,
                       date=date, cancer_ref=cancer_ref)


def _status(concept, table) -> str | None:
    for key in code_keys(concept):
        if key in table:
            return table[key]
    return None


def _number(r: dict) -> tuple[float | None, str | None, str | None]:
    if isinstance(r.get("valueInteger"), int) and not isinstance(r.get("valueInteger"), bool):
        return float(r["valueInteger"]), None, None
    q = r.get("valueQuantity")
    if isinstance(q, dict) and isinstance(q.get("value"), (int, float)) and not isinstance(q.get("value"), bool):
        v = float(q["value"])
        if math.isfinite(v):
            unit = q.get("code") or q.get("unit")
            comp = q.get("comparator")
            return v, unit if isinstance(unit, str) else None, comp if isinstance(comp, str) else None
    ratio = r.get("valueRatio")
    if isinstance(ratio, dict):
        num, den = ratio.get("numerator"), ratio.get("denominator")
        n = num.get("value") if isinstance(num, dict) else None
        d = den.get("value") if isinstance(den, dict) else None
        if isinstance(n, (int, float)) and isinstance(d, (int, float)) and d \
                and math.isfinite(float(n) / float(d)):
            comp = num.get("comparator") or den.get("comparator")
            return float(n) / float(d), "{ratio}", comp if isinstance(comp, str) else None
    return None, None, None


def _unit_matches(scale: MarkerScale, unit: str | None) -> bool:
    if scale.unit == "":
        return unit in (None, "", "{score}", "1")
    return unit == scale.unit


def _scale_of(scales, unit) -> str | None:
    return next((s.scale for s in scales if _unit_matches(s, unit)), None)


def _place(scales, value, unit, comparator, status) -> str | None:
    """The scale name when the number is compatible with ``status`` on one of the marker's
    scales, else None (conflict, or no scale to judge by)."""
    if value is None or status is None:
        return None
    for scale in scales:
        if not _unit_matches(scale, unit):
            continue
        bands = scale.bands
        top, bottom = max(b.high for b in bands), min(b.low for b in bands)
        for band in bands:
            if comparator in (None, "="):
                inside = band.low <= value < band.high
            elif comparator in (">=", ">"):
                inside = band.low <= value and band.high == top
            elif comparator == "<":
                inside = band.low == bottom and value <= band.high
            elif comparator == "<=":
                inside = band.low == bottom and value < band.high
            else:
                inside = False
            if inside:
                return scale.scale if status in band.statuses else None
    return None
