"""Unit conversion for lab thresholds (DESIGN.md, "Units"), with pint.

Spellings come from ``data/units.yaml`` (validated at load: every expression must parse).
``convert(value, from_unit, to_unit, molar_mass=None)`` returns the value in ``to_unit``,
or ``None`` when the units are unknown or of different dimensions that the analyte's
molar mass (g/mol) cannot bridge. ``None`` is never guessed around: the caller reports
UNKNOWN.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pint

from trialmatch.errors import RuleFileError
from trialmatch.matching.rule_file import mapping, read_yaml, str_list


@dataclass(frozen=True)
class UnitTable:
    registry: pint.UnitRegistry
    expressions: dict[str, pint.Quantity]
    folded: dict[str, str]
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def quantity(self, unit: str) -> pint.Quantity | None:
        q = self.expressions.get(unit)
        if q is None:
            key = self.folded.get(unit.strip().lower())
            q = self.expressions.get(key) if key else None
        return q

    def known(self, unit: str) -> bool:
        return self.quantity(unit) is not None

    def convert(self, value: float, from_unit: str, to_unit: str, molar_mass: float | None = None) -> float | None:
        if from_unit == to_unit:
            return value
        key = (value, from_unit, to_unit, molar_mass)
        if key not in self._memo:
            self._memo[key] = self._convert(value, from_unit, to_unit, molar_mass)
        return self._memo[key]

    def _convert(self, value, from_unit, to_unit, molar_mass):
        src, dst = self.quantity(from_unit), self.quantity(to_unit)
        if src is None or dst is None:
            return None
        q = value * src
        if q.dimensionality != dst.dimensionality and molar_mass:
            mm = self.registry.Quantity(molar_mass, "gram / mole")
            for candidate in (q * mm, q / mm):
                if candidate.dimensionality == dst.dimensionality:
                    q = candidate
                    break
        if q.dimensionality != dst.dimensionality:
            return None
        return float((q / dst).to("dimensionless").magnitude)


@functools.lru_cache(maxsize=1)
def load_units() -> UnitTable:
    name = "units.yaml"
    data = mapping(read_yaml(name), name, required=("define", "units"))
    registry = pint.UnitRegistry()
    for i, line in enumerate(str_list(data["define"], f"{name}: define")):
        try:
            registry.define(line)
        except Exception as exc:  # pint raises several kinds
            raise RuleFileError(f"{name}: define[{i}]: cannot define {line!r}: {exc}") from exc
    expressions: dict[str, pint.Quantity] = {}
    for unit, expr in mapping(data["units"], f"{name}: units", optional=None).items():
        try:
            q = registry.parse_expression(str(expr))
        except Exception as exc:
            raise RuleFileError(f"{name}: units.{unit}: cannot parse {expr!r}: {exc}") from exc
        if not isinstance(q, pint.Quantity):
            q = registry.Quantity(float(q), "dimensionless")
        expressions[str(unit)] = q
    folded = {u.lower(): u for u in expressions}
    return UnitTable(registry, expressions, folded)
