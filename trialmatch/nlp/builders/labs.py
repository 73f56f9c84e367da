"""Laboratory thresholds: ``ANC >= 1.5 x10^9/l``, ``AST and ALT <= 2.5 x ULN``.

Values and units are kept as written, in UCUM-like spelling (``10*9/L``, ``10*3/uL``,
``/mm3``, ``g/dL``, ``umol/L``, ``mL/min/{1.73_m2}``); the matcher converts them to the
analyte's canonical unit. A unit of the wrong dimension for the analyte, or one the engine's
unit table (``trialmatch.matching.units``) cannot convert, is refused. A value with no unit is not
structured (a guessed unit is worse than none), except for INR, a ratio (unit ``{ratio}``).
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.matching.units import load_units
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.patterns import CMP, NUM, days, number

# normalised unit -> (UCUM-like unit, as written: the matcher converts within a dimension)
_UNITS: dict[str, tuple[str, float]] = {
    "x10^9/l": ("10*9/L", 1.0),
    "x10^3/ul": ("10*3/uL", 1.0),
    "x10^3/mm3": ("10*3/mm3", 1.0),
    "/mm3": ("/mm3", 1.0),
    "/ul": ("/uL", 1.0),
    "k/ul": ("10*3/uL", 1.0),
    "g/dl": ("g/dL", 1.0),
    "gm/dl": ("g/dL", 1.0),
    "g/l": ("g/L", 1.0),
    "mg/dl": ("mg/dL", 1.0),
    "umol/l": ("umol/L", 1.0),
    "mmol/l": ("mmol/L", 1.0),
    "ml/min": ("mL/min", 1.0),
    "ml/minute": ("mL/min", 1.0),
    "ml/minutes": ("mL/min", 1.0),
    "ml/min/1.73 m2": ("mL/min/{1.73_m2}", 1.0),
    "ml/min/1.73m2": ("mL/min/{1.73_m2}", 1.0),
    "ml/min/1.73 m^2": ("mL/min/{1.73_m2}", 1.0),
    "ml/min/1.73m^2": ("mL/min/{1.73_m2}", 1.0),
    "u/l": ("U/L", 1.0),
    "iu/l": ("U/L", 1.0),
    "ng/dl": ("ng/dL", 1.0),
    "nmol/l": ("nmol/L", 1.0),
}
_COUNT_UNITS = {"10*9/L", "10*3/uL", "10*3/mm3", "/mm3", "/uL"}
# units that make sense for an analyte (a unit of another dimension is a parse we refuse)
_ANALYTE_UNITS = {
    "ANC": _COUNT_UNITS, "PLT": _COUNT_UNITS, "WBC": _COUNT_UNITS, "LYMPH": _COUNT_UNITS,
    "HGB": {"g/dL", "g/L", "mmol/L"}, "CREAT": {"mg/dL", "umol/L"}, "TBILI": {"mg/dL", "umol/L"},
    "DBILI": {"mg/dL", "umol/L"}, "CRCL": {"mL/min", "mL/min/{1.73_m2}"}, "GFR": {"mL/min/{1.73_m2}", "mL/min"},
    "AST": {"U/L"}, "ALT": {"U/L"}, "ALP": {"U/L"}, "ALB": {"g/dL", "g/L"}, "INR": {"{ratio}"}, "APTT": set(),
    "TESTOSTERONE": {"ng/dL", "nmol/L"},
}
_UNIT_RX = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_WITHIN = (r"(?:,? \(?(?:obtained |performed |measured |done |drawn |collected |assessed )?(?:within|<=|<) (\d+) (days?|weeks?) "
           r"(?:prior to|before|of|from) [a-z0-9 ,/-]{0,60}?\)?)?")
_TAIL = (r"(?: \(?(?:at|during) screening\)?)?(?:,? \(?(?:by|using|per|calculated by|as calculated by|according to|based on) (?:the )?"
         r"(?:cockcroft[- ]gault|cockroft[- ]gault|mdrd|ckd-epi)(?: formula| equation| method)?\)?)?")
# "(serum glutamic oxaloacetic transaminase)", "/SGPT": other names of AST and ALT, said again
_SYNONYMS = re.compile(r"\s*(?:\(|/)\s*(?:serum )?glutam[a-z]*[ -](?:oxaloacetic|oxalacetic|pyruvic|pyruvate)[ -]transaminase"
                       r"(?:\s*[\[(]sg[op]t[\])])?\s*\)?|\s*/\s*sg[op]t\b|\s*[(\[](?:ast|alt|sgot|sgpt)(?:/sg[op]t)?[)\]]")
_VALUE = re.compile(rf"^(?P<an>.+?)(?: levels?| values?| counts?| concentration)?(?: of| is| must be| should be|:)? ?{CMP} ?{NUM} ?(?P<unit>{_UNIT_RX})?{_WITHIN}{_TAIL}$")
_ULN = re.compile(rf"^(?P<an>.+?)(?: levels?| values?)?(?: of| is| must be| should be|:)? ?{CMP} ?(?:{NUM} ?x ?)?uln(?: for the institution| \(institutional\))?{_WITHIN}{_TAIL}$")
_SPLIT = re.compile(r"\s*(?:,? and/or |,? and |,? or |/|, )\s*")


def _analytes(clause: Clause, phrase: str) -> tuple[tuple[str, ...], str] | None:
    """The analyte keys named by ``phrase`` and the connector ("and", "or", "" for one)."""
    phrase = phrase.strip()
    key = clause.terms.key("LAB", phrase)
    if key:
        return (key,), ""
    parts = _SPLIT.split(phrase)
    if len(parts) < 2:
        return None
    keys = tuple(clause.terms.key("LAB", p) for p in parts)
    if None in keys:
        return None
    connector = "or" if re.search(r"\bor\b", phrase) and "and/or" not in phrase else "and"
    if "and/or" in phrase:
        connector = "and/or"
    return keys, connector


def _combine(clause: Clause, atoms: list[c.Lab], connector: str) -> c.Node | None:
    if len(atoms) == 1:
        return atoms[0]
    # inclusion "AST and ALT <= 2.5 x ULN": each must hold. Exclusion "AST or ALT > 3 x ULN":
    # either excludes. Other readings ("AST and ALT > 3 x ULN" in an exclusion) are ambiguous.
    if clause.section == "inclusion" and connector in ("and", "and/or"):
        return c.All(tuple(atoms))
    if clause.section == "exclusion" and connector in ("or", "and/or"):
        return c.Any(tuple(atoms))
    return None


def convertible(vocab, analyte: str, unit: str) -> bool:
    """True when the engine's unit table converts ``unit`` to the analyte's canonical unit
    (a threshold the matcher cannot convert would only ever give UNKNOWN: not emitted)."""
    key = (id(vocab), analyte, unit)
    if key not in _CONVERTIBLE:
        try:
            concept = vocab.lab(analyte)
        except (KeyError, AttributeError):
            concept = None
        _CONVERTIBLE[key] = concept is not None and load_units().convert(
            1.0, unit, concept.canonical_unit, concept.molar_mass) is not None
    return _CONVERTIBLE[key]


_CONVERTIBLE: dict = {}


def _within(groups) -> int | None:
    return days(*groups)


_EQUIVALENT = re.compile(rf"({CMP} ?{NUM} ?(?:{_UNIT_RX})) (?:or|/) \2 ?{NUM} ?(?:{_UNIT_RX})")


def build_lab(clause: Clause) -> c.Node | None:
    # "hemoglobin >= 9 g/dl or >= 5.6 mmol/l": the same threshold in two units, keep the first
    t = _SYNONYMS.sub("", clause.text)
    t = _EQUIVALENT.sub(r"\1", re.sub(r"(?<=[a-z)\]])(?=(?:>=|<=|>|<) )", " ", t))
    m = _ULN.match(t)
    if m:
        found = _analytes(clause, m.group("an"))
        if not found:
            return None
        keys, connector = found
        multiple = number(m.group(3)) if m.group(3) else 1
        within = _within((m.group(4), m.group(5)))
        atoms = [c.Lab(k, m.group(2), uln_multiple=multiple, within_days=within) for k in keys]
        return _combine(clause, atoms, connector)
    m = _VALUE.match(t)
    if not m:
        return None
    found = _analytes(clause, m.group("an"))
    if not found:
        return None
    keys, connector = found
    value = number(m.group(3))
    unit_text = m.group("unit")
    if unit_text is None:
        if set(keys) != {"INR"}:
            return None
        unit, factor = None, 1.0
    else:
        unit, factor = _UNITS[unit_text]
    if unit is None:
        unit = "{ratio}"  # INR: a ratio, written without a unit
    for k in keys:
        if unit not in _ANALYTE_UNITS.get(k, set()) or not convertible(clause.terms.vocab, k, unit):
            return None
    within = _within((m.group(5), m.group(6)))
    atoms = [c.Lab(k, m.group(2), value=value if factor == 1.0 else number(str(round(value * factor, 6))), unit=unit, within_days=within) for k in keys]
    return _combine(clause, atoms, connector)
