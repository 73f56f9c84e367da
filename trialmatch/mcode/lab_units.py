"""UCUM unit strings -> conversion factors, through pint (within a dimension) and a molar
mass (between mass and substance concentrations).

Only the UCUM forms labs use are understood: products (``.``) and quotients (``/``) of
prefixed atoms (g, L, mol, s, min, h, d, U, [IU], m with an exponent), powers of ten
(``10*9``), annotations (``{cells}``: ignored) and ``%``. Anything else is not converted:
the caller keeps the original value and says so, never guesses.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ANNOTATION = re.compile(r"\{[^}]*\}")
_TEN = re.compile(r"^10[*^]([+-]?\d+)$")
_PREFIX = {"": "", "k": "kilo", "d": "deci", "c": "centi", "m": "milli", "u": "micro",
           "n": "nano", "p": "pico", "f": "femto"}
_BASE = {"L": "liter", "l": "liter", "g": "gram", "mol": "mole", "s": "second",
         "U": "catalytic_unit_u", "[IU]": "IU", "[iU]": "IU", "m": "meter"}
_WHOLE = {"min": "minute", "h": "hour", "d": "day", "%": "percent", "1": "dimensionless"}
_ATOM = re.compile(r"^([kdcmunpf]?)(\[IU\]|\[iU\]|mol|L|l|g|s|U|m)(\d*)$")


class UnitError(ValueError):
    """The unit string is not one this module understands."""


@lru_cache(maxsize=1)
def _registry():
    import pint

    reg = pint.UnitRegistry(cache_folder=None)
    reg.define("IU = [international_unit]")
    reg.define("catalytic_unit_u = [enzyme_activity]")
    return reg


def stripped(unit: str) -> str:
    return _ANNOTATION.sub("", unit).strip()


def _atom(atom: str) -> tuple[float, str]:
    if atom in _WHOLE:
        return 1.0, _WHOLE[atom]
    m = _TEN.match(atom)
    if m:
        return 10.0 ** int(m.group(1)), "dimensionless"
    m = _ATOM.match(atom)
    if not m:
        raise UnitError("unknown unit atom")
    prefix, base, power = m.groups()
    expr = f"{_PREFIX[prefix]}{_BASE[base]}"
    return 1.0, f"{expr}**{power}" if power else expr


@lru_cache(maxsize=512)
def parse(unit: str) -> tuple[float, str]:
    """(factor, pint expression) of a UCUM unit string."""
    text = _ANNOTATION.sub("1", unit).strip() or "1"
    parts = text.split("/")
    factor, exprs = 1.0, []
    for i, part in enumerate(parts):
        if part == "" and i == 0:
            part = "1"
        for atom in part.split("."):
            if not atom:
                raise UnitError("empty unit atom")
            f, e = _atom(atom)
            factor = factor * f if i == 0 else factor / f
            exprs.append(f"({e})" if i == 0 else f"/({e})")
    return factor, "".join(exprs).lstrip("/") if exprs else "dimensionless"


@lru_cache(maxsize=1024)
def conversion(src: str, dst: str, molar_mass: float | None) -> float:
    """Multiplier taking a value in ``src`` to ``dst``. Raises UnitError when impossible."""
    if stripped(src) == stripped(dst):
        return 1.0
    import pint

    reg = _registry()
    f_src, e_src = parse(src)
    f_dst, e_dst = parse(dst)
    one = reg.Quantity(1.0, e_src)
    try:
        return f_src * one.to(e_dst).magnitude / f_dst
    except pint.errors.DimensionalityError:
        pass
    except pint.errors.UndefinedUnitError as exc:
        raise UnitError("unit not known to pint") from exc
    if molar_mass:
        mm = reg.Quantity(molar_mass, "gram/mole")
        for candidate in (one * mm, one / mm):
            try:
                return f_src * candidate.to(e_dst).magnitude / f_dst
            except pint.errors.DimensionalityError:
                continue
    raise UnitError("units of different dimensions")
