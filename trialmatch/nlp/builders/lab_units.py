"""Units a lab threshold may be written in: the normalised spelling -> the UCUM-like unit kept in the
criterion, the units each analyte takes (a unit of another dimension is a parse refused), whether
the engine's unit table converts a unit to the analyte's canonical one, and whether the threshold,
so converted, is one a result can have at all."""

from __future__ import annotations

import re

from trialmatch.matching.units import load_units
from trialmatch.mcode.mcode_rules import load_rules

# normalised unit -> (UCUM-like unit, as written: the matcher converts within a dimension)
UNITS: dict[str, tuple[str, float]] = {
    "x10^9/l": ("10*9/L", 1.0),
    "x10^3/ul": ("10*3/uL", 1.0),
    "x10^3/mm3": ("10*3/mm3", 1.0),
    "/mm3": ("/mm3", 1.0),
    "/ul": ("/uL", 1.0),
    "k/ul": ("10*3/uL", 1.0),
    "k/mm3": ("10*3/mm3", 1.0),  # "K/cumm" (normalised "cu mm" -> "mm3")
    "g/dl": ("g/dL", 1.0),
    "gm/dl": ("g/dL", 1.0),
    "g/l": ("g/L", 1.0),
    "mg/dl": ("mg/dL", 1.0),
    "umol/l": ("umol/L", 1.0),
    "mmol/l": ("mmol/L", 1.0),
    "ml/min": ("mL/min", 1.0),
    "ml/minute": ("mL/min", 1.0),
    "ml/minutes": ("mL/min", 1.0),
    "cc/min": ("mL/min", 1.0),  # a cubic centimetre is a millilitre
    "ml per minute": ("mL/min", 1.0),
    "milliliters per minute": ("mL/min", 1.0),
    "millilitres per minute": ("mL/min", 1.0),
    "ml/min/1.73 m2": ("mL/min/{1.73_m2}", 1.0),
    "ml/min/1.73m2": ("mL/min/{1.73_m2}", 1.0),
    "ml/min/1.73 m^2": ("mL/min/{1.73_m2}", 1.0),
    "ml/min/1.73m^2": ("mL/min/{1.73_m2}", 1.0),
    "u/l": ("U/L", 1.0),
    "iu/l": ("U/L", 1.0),
    "ng/dl": ("ng/dL", 1.0),
    "ng/ml": ("ng/mL", 1.0),  # testosterone "<= 0.5 ng/ml" (= 50 ng/dL); read only where the analyte takes it
    "nmol/l": ("nmol/L", 1.0),
    "nm": ("nmol/L", 1.0),  # "nM", read only where the analyte takes nmol/L (testosterone)
    "miu/l": ("m[IU]/L", 1.0),
    "uiu/ml": ("u[IU]/mL", 1.0),
    "%": ("%", 1.0),
    # HbA1c in IFCC units, said beside the % as a restatement: no analyte takes it (the relation to % is
    # not a unit conversion), so only the % threshold is kept
    "mmol/mol": ("mmol/mol", 1.0),
    "ms": ("ms", 1.0),
    "msec": ("ms", 1.0),
    "msecs": ("ms", 1.0),
    "millisecond": ("ms", 1.0),
    "milliseconds": ("ms", 1.0),
    "milli-second": ("ms", 1.0),
    "milli-seconds": ("ms", 1.0),
}
COUNT_UNITS = {"10*9/L", "10*3/uL", "10*3/mm3", "/mm3", "/uL"}
# units that make sense for an analyte (a unit of another dimension is a parse we refuse)
ANALYTE_UNITS = {
    "ANC": COUNT_UNITS, "PLT": COUNT_UNITS, "WBC": COUNT_UNITS, "LYMPH": COUNT_UNITS,
    "HGB": {"g/dL", "g/L", "mmol/L"}, "CREAT": {"mg/dL", "umol/L"}, "TBILI": {"mg/dL", "umol/L"},
    "DBILI": {"mg/dL", "umol/L"}, "CRCL": {"mL/min", "mL/min/{1.73_m2}"}, "GFR": {"mL/min/{1.73_m2}", "mL/min"},
    "AST": {"U/L"}, "ALT": {"U/L"}, "ALP": {"U/L"}, "ALB": {"g/dL", "g/L"}, "INR": {"{ratio}"}, "APTT": set(), "PT": set(),
    "TESTOSTERONE": {"ng/dL", "ng/mL", "nmol/L"}, "LDH": {"U/L"}, "K": {"mmol/L"}, "NA": {"mmol/L"},
    "CA": {"mg/dL", "mmol/L"}, "MG": {"mg/dL", "mmol/L"}, "TSH": {"m[IU]/L", "u[IU]/mL"}, "HBA1C": {"%"},
    "LIPASE": {"U/L"}, "AMYLASE": {"U/L"}, "LVEF": {"%"}, "QTC": {"ms"}, "QTCF": {"ms"}, "QTCB": {"ms"}, "SPO2": {"%"},
}
# the spellings as one alternation, longest first (a regular expression matches the first it can)
UNIT_RX = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))


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


def plausible(vocab, analyte: str, value: float, unit: str) -> bool:
    """Whether ``value`` ``unit`` lies in the range a result of the analyte can have (the plausibility
    table the mCODE reader flags results with, lab_plausibility.yaml). "Platelet count > 100,000 x
    10^9/L" (a unit slip for /mm3) would make every patient fail: such a threshold is a typing error
    in the protocol, not a criterion, and is not read. True when the table has no range."""
    bounds = load_rules().lab_plausible.get(analyte)
    if bounds is None:
        return True
    try:
        concept = vocab.lab(analyte)
    except (KeyError, AttributeError):
        return True
    canonical = load_units().convert(value, unit, concept.canonical_unit, concept.molar_mass)
    return canonical is None or bounds[0] <= canonical <= bounds[1]
