"""MatchRules: the evidence rules the matcher applies, loaded from package data and
validated at load (``load_rules()``; a bad file raises RuleFileError naming file and field).

Files (each documents the reasoning of its values): ``freshness.yaml``, ``extent.yaml``,
``biomarkers.yaml``, ``performance.yaml``, ``therapy.yaml``, ``histology.yaml``, ``genomics.yaml``,
``assessment.yaml``, ``surgery.yaml`` (``surgery_classes.py``), ``live_vaccines.yaml``
(``live_vaccines.py``), ``toxicity_terms.yaml`` (``toxicity_terms.py``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trialmatch.errors import RuleFileError
from trialmatch.matching.rule_file import mapping, number, read_yaml, str_list
from trialmatch.matching.live_vaccines import load_live_vaccines
from trialmatch.matching.toxicity_terms import ToxicityTerm, load_toxicity_terms
from trialmatch.matching.surgery_classes import EMPTY, SurgeryClasses, load_surgery_classes

FRESHNESS_KEYS = ("performance_status", "lab", "tumor_marker", "stage", "extent_negative", "pregnancy_test", "variant",
                  "measurable_disease", "life_expectancy", "no_known_allergy", "adverse_event")
EXTENT_KEYS = ("metastatic", "advanced", "locally_advanced")


@dataclass(frozen=True)
class ValueStatusRule:
    scales: tuple[str, ...]
    status: str
    min: float | None = None
    max: float | None = None

    def applies(self, value: float, scales: set[str]) -> bool:
        """``scales``: the result's scale and unit, lower case."""
        if not scales & {s.lower() for s in self.scales}:
            return False
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True)
class ExcludedValues:
    """Values on ``scale`` in [min, max] (None = unbounded) that a status in ``statuses`` rules out."""

    statuses: frozenset[str]
    scale: str
    min: float | None = None
    max: float | None = None

    def covers(self, comparator: str, threshold: float) -> bool:
        """Every value ``comparator threshold`` accepts lies in the excluded range."""
        lo_ok = {"==": True, ">=": True, ">": True}.get(comparator, False)
        hi_ok = {"==": True, "<=": True, "<": True}.get(comparator, False)
        above = self.min is None or (lo_ok and threshold >= self.min)
        below = self.max is None or (hi_ok and threshold <= self.max)
        if comparator == "==":
            return above and below
        if comparator in (">=", ">"):
            return above and self.max is None
        return below and self.min is None


@dataclass(frozen=True)
class HistologyKey:
    key: str
    icdo3: tuple[tuple[int, int], ...]
    snomed: frozenset[str]
    oncotree: tuple[str, ...]
    excludes: frozenset[str]
    refines: dict[str, str] = field(default_factory=dict)  # coded OncoTree type -> narrower type


@dataclass(frozen=True)
class MatchRules:
    freshness: dict[str, int | None]
    extent_met: dict[str, tuple[str, ...]]
    extent_not_met: dict[str, tuple[str, ...]]
    stage_iv_is_m1: tuple[str, ...]
    m1_not_always_stage_iv: tuple[str, ...]
    status_from_value: dict[str, tuple[ValueStatusRule, ...]]
    aliases: dict[str, dict[str, str]]
    implies: dict[str, dict[str, frozenset[str]]]
    ambiguous: dict[str, dict[str, frozenset[str]]]
    same_scale_only: frozenset[str]
    scale_precedence: dict[str, tuple[str, ...]]
    status_excludes_values: dict[str, tuple[ExcludedValues, ...]]
    karnofsky_to_ecog: dict[int, tuple[int, ...]]
    ecog_to_karnofsky: dict[int, tuple[int, int]]
    not_given_statuses: frozenset[str]
    ongoing_statuses: frozenset[str]
    ongoing_order_days: int
    ongoing_order_days_by_class: dict[str, int]
    systemic_classes: frozenset[str]
    active_statuses: frozenset[str]
    inactive_statuses: frozenset[str]
    histology: dict[str, HistologyKey]
    variant_categories: dict[str, frozenset[str]]
    variant_not_counted: frozenset[str]
    variant_uncertain: frozenset[str]
    response_criteria: tuple[str, ...] = ()
    surgery: SurgeryClasses = EMPTY  # surgical codes classified major / minor (surgery.yaml)
    live_vaccines: frozenset[str] = frozenset()  # CVX keys of live vaccines (live_vaccines.yaml)
    toxicity_terms: dict[str, ToxicityTerm] = field(default_factory=dict)  # toxicity_terms.yaml

    def window(self, kind: str) -> int | None:
        return self.freshness[kind]


@functools.lru_cache(maxsize=4)
def load_rules(directory: Path | None = None) -> MatchRules:
    """The matcher's rules from ``directory`` (default: the package data); cached."""
    fr = _freshness(read_yaml("freshness.yaml", directory))
    ex = mapping(read_yaml("extent.yaml", directory), "extent.yaml",
                 required=("extents", "stage_iv_is_m1", "m1_not_always_stage_iv"))
    extents = mapping(ex["extents"], "extent.yaml: extents", required=EXTENT_KEYS)
    met, not_met = {}, {}
    for key in EXTENT_KEYS:
        entry = mapping(extents[key], f"extent.yaml: extents.{key}", required=("met", "not_met"))
        met[key] = _list(entry["met"], f"extent.yaml: extents.{key}.met")
        not_met[key] = _list(entry["not_met"], f"extent.yaml: extents.{key}.not_met")
    bm = mapping(read_yaml("biomarkers.yaml", directory), "biomarkers.yaml",
                 required=("status_from_value", "aliases", "implies", "ambiguous", "same_scale_only", "scale_precedence",
                           "status_excludes_values"))
    pf = mapping(read_yaml("performance.yaml", directory), "performance.yaml",
                 required=("karnofsky_to_ecog", "ecog_to_karnofsky"))
    th = mapping(read_yaml("therapy.yaml", directory), "therapy.yaml",
                 required=("not_given_statuses", "ongoing_statuses", "systemic_classes",
                           "active_condition_statuses", "inactive_condition_statuses",
                           "ongoing_order_days", "ongoing_order_why", "ongoing_order_days_by_class"))
    hi = mapping(read_yaml("histology.yaml", directory), "histology.yaml", required=("keys",))
    ge = mapping(read_yaml("genomics.yaml", directory), "genomics.yaml", required=("categories", "not_counted", "uncertain"))
    asm = mapping(read_yaml("assessment.yaml", directory), "assessment.yaml", required=("response_criteria", "why"))
    if not isinstance(asm["why"], str) or not asm["why"].strip():
        raise RuleFileError("assessment.yaml: why: the reasoning must be written down")
    return MatchRules(
        freshness=fr,
        extent_met=met,
        extent_not_met=not_met,
        stage_iv_is_m1=str_list(ex["stage_iv_is_m1"], "extent.yaml: stage_iv_is_m1"),
        m1_not_always_stage_iv=str_list(ex["m1_not_always_stage_iv"], "extent.yaml: m1_not_always_stage_iv"),
        status_from_value=_value_rules(bm["status_from_value"]),
        aliases={m: {str(k): str(v) for k, v in mapping(a, f"biomarkers.yaml: aliases.{m}", optional=None).items()}
                 for m, a in mapping(bm["aliases"], "biomarkers.yaml: aliases", optional=None).items()},
        implies=_status_sets(bm["implies"], "implies"),
        ambiguous=_status_sets(bm["ambiguous"], "ambiguous"),
        same_scale_only=frozenset(str_list(bm["same_scale_only"], "biomarkers.yaml: same_scale_only")),
        scale_precedence={m: str_list(v, f"biomarkers.yaml: scale_precedence.{m}")
                          for m, v in mapping(bm["scale_precedence"], "biomarkers.yaml: scale_precedence", optional=None).items()},
        status_excludes_values=_excluded_values(bm["status_excludes_values"]),
        karnofsky_to_ecog=_karnofsky(pf["karnofsky_to_ecog"]),
        ecog_to_karnofsky=_ecog(pf["ecog_to_karnofsky"]),
        not_given_statuses=frozenset(str_list(th["not_given_statuses"], "therapy.yaml: not_given_statuses")),
        ongoing_statuses=frozenset(str_list(th["ongoing_statuses"], "therapy.yaml: ongoing_statuses")),
        ongoing_order_days=_days(th, "ongoing_order_days", "therapy.yaml"),
        ongoing_order_days_by_class=_class_days(th["ongoing_order_days_by_class"]),
        systemic_classes=frozenset(str_list(th["systemic_classes"], "therapy.yaml: systemic_classes")),
        active_statuses=frozenset(str_list(th["active_condition_statuses"], "therapy.yaml: active_condition_statuses")),
        inactive_statuses=frozenset(str_list(th["inactive_condition_statuses"], "therapy.yaml: inactive_condition_statuses")),
        histology=_histology(hi["keys"]),
        variant_categories={str(k).lower(): frozenset(x.lower() for x in str_list(v, f"genomics.yaml: categories.{k}"))
                            for k, v in mapping(ge["categories"], "genomics.yaml: categories", optional=None).items()},
        variant_not_counted=frozenset(x.lower() for x in str_list(ge["not_counted"], "genomics.yaml: not_counted")),
        variant_uncertain=frozenset(x.lower() for x in str_list(ge["uncertain"], "genomics.yaml: uncertain")),
        response_criteria=_unique(str_list(asm["response_criteria"], "assessment.yaml: response_criteria"),
                                  "assessment.yaml: response_criteria"),
        surgery=load_surgery_classes(directory),
        live_vaccines=load_live_vaccines(directory),
        toxicity_terms=load_toxicity_terms(directory),
    )


def _unique(values: tuple[str, ...], where: str) -> tuple[str, ...]:
    if not values or len(set(values)) != len(values):
        raise RuleFileError(f"{where}: expected a non-empty list without repeats")
    return values


def _list(value: Any, where: str) -> tuple[str, ...]:
    return () if value == [] else str_list(value, where)


def _days(data: dict, key: str, file: str) -> int:
    days = data[key]
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise RuleFileError(f"{file}: {key}: expected a positive integer, got {days!r}")
    why = data.get(key.removesuffix("_days") + "_why")
    if not isinstance(why, str) or not why.strip():
        raise RuleFileError(f"{file}: {key.removesuffix('_days')}_why: the reasoning must be written down")
    return days


def _class_days(data: Any) -> dict[str, int]:
    where = "therapy.yaml: ongoing_order_days_by_class"
    out = {}
    for key, days in mapping(data, where, optional=None).items():
        if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
            raise RuleFileError(f"{where}.{key}: expected a positive integer, got {days!r}")
        out[str(key)] = days
    return out


def _freshness(data: Any) -> dict[str, int | None]:
    data = mapping(data, "freshness.yaml", required=FRESHNESS_KEYS)
    out: dict[str, int | None] = {}
    for key in FRESHNESS_KEYS:
        entry = data[key]
        if entry is None:
            raise RuleFileError(f"freshness.yaml: {key}: needs 'days' and 'why'")
        entry = mapping(entry, f"freshness.yaml: {key}", required=("days", "why"))
        days = entry["days"]
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days <= 0):
            raise RuleFileError(f"freshness.yaml: {key}.days: expected a positive integer or null, got {days!r}")
        if not isinstance(entry["why"], str) or not entry["why"].strip():
            raise RuleFileError(f"freshness.yaml: {key}.why: the reasoning must be written down")
        out[key] = days
    return out


def _value_rules(data: Any) -> dict[str, tuple[ValueStatusRule, ...]]:
    out = {}
    for marker, rules in mapping(data, "biomarkers.yaml: status_from_value", optional=None).items():
        where = f"biomarkers.yaml: status_from_value.{marker}"
        if not isinstance(rules, list):
            raise RuleFileError(f"{where}: expected a list")
        parsed = []
        for i, rule in enumerate(rules):
            r = mapping(rule, f"{where}[{i}]", required=("scales", "status"), optional=("min", "max"))
            parsed.append(ValueStatusRule(
                scales=str_list(r["scales"], f"{where}[{i}].scales"), status=str(r["status"]),
                min=None if r.get("min") is None else number(r["min"], f"{where}[{i}].min"),
                max=None if r.get("max") is None else number(r["max"], f"{where}[{i}].max"),
            ))
        out[str(marker)] = tuple(parsed)
    return out


def _excluded_values(data: Any) -> dict[str, tuple[ExcludedValues, ...]]:
    out = {}
    for marker, rules in mapping(data, "biomarkers.yaml: status_excludes_values", optional=None).items():
        where = f"biomarkers.yaml: status_excludes_values.{marker}"
        if not isinstance(rules, list):
            raise RuleFileError(f"{where}: expected a list")
        parsed = []
        for i, rule in enumerate(rules):
            r = mapping(rule, f"{where}[{i}]", required=("statuses", "scale"), optional=("min", "max"))
            low = None if r.get("min") is None else number(r["min"], f"{where}[{i}].min")
            high = None if r.get("max") is None else number(r["max"], f"{where}[{i}].max")
            if low is None and high is None:
                raise RuleFileError(f"{where}[{i}]: needs min or max")
            parsed.append(ExcludedValues(frozenset(str_list(r["statuses"], f"{where}[{i}].statuses")),
                                         str(r["scale"]), low, high))
        out[str(marker)] = tuple(parsed)
    return out


def _status_sets(data: Any, name: str) -> dict[str, dict[str, frozenset[str]]]:
    out = {}
    for marker, entry in mapping(data, f"biomarkers.yaml: {name}", optional=None).items():
        entry = mapping(entry, f"biomarkers.yaml: {name}.{marker}", optional=None)
        out[str(marker)] = {str(s): frozenset(str_list(v, f"biomarkers.yaml: {name}.{marker}.{s}")) for s, v in entry.items()}
    return out


def _karnofsky(data: Any) -> dict[int, tuple[int, ...]]:
    data = mapping(data, "performance.yaml: karnofsky_to_ecog", optional=None)
    out = {}
    for score, grades in data.items():
        if not isinstance(score, int) or not isinstance(grades, list) or not all(isinstance(g, int) and 0 <= g <= 5 for g in grades) or not grades:
            raise RuleFileError(f"performance.yaml: karnofsky_to_ecog.{score}: expected a list of ECOG grades 0-5")
        out[score] = tuple(grades)
    if sorted(out) != list(range(0, 101, 10)):
        raise RuleFileError("performance.yaml: karnofsky_to_ecog: needs every score 0, 10, ..., 100")
    return out


def _ecog(data: Any) -> dict[int, tuple[int, int]]:
    data = mapping(data, "performance.yaml: ecog_to_karnofsky", optional=None)
    out = {}
    for grade, rng in data.items():
        if not isinstance(grade, int) or not isinstance(rng, list) or len(rng) != 2 or not all(isinstance(v, int) for v in rng):
            raise RuleFileError(f"performance.yaml: ecog_to_karnofsky.{grade}: expected [low, high]")
        out[grade] = (rng[0], rng[1])
    if sorted(out) != list(range(6)):
        raise RuleFileError("performance.yaml: ecog_to_karnofsky: needs every ECOG grade 0-5")
    return out


def _histology(data: Any) -> dict[str, HistologyKey]:
    out = {}
    for key, entry in mapping(data, "histology.yaml: keys", optional=None).items():
        where = f"histology.yaml: keys.{key}"
        e = mapping(entry, where, required=("icdo3", "snomed", "oncotree", "excludes"), optional=("refines",))
        refines = mapping(e.get("refines") or {}, f"{where}.refines", optional=None)
        for coded, narrow in refines.items():
            if not isinstance(coded, str) or not isinstance(narrow, str) or not coded.isupper() or not narrow.isupper():
                raise RuleFileError(f"{where}.refines: expected OncoTree codes (upper case), got {coded!r}: {narrow!r}")
        ranges = []
        for text in str_list(e["icdo3"], f"{where}.icdo3"):
            low, _, high = text.partition("-")
            if not (low.isdigit() and high.isdigit() and len(low) == len(high) == 4 and low <= high):
                raise RuleFileError(f"{where}.icdo3: expected ranges like '8140-8389', got {text!r}")
            ranges.append((int(low), int(high)))
        out[str(key)] = HistologyKey(str(key), tuple(ranges), frozenset(str_list(e["snomed"], f"{where}.snomed")),
                                     str_list(e["oncotree"], f"{where}.oncotree"),
                                     frozenset(str_list(e["excludes"], f"{where}.excludes")), dict(refines))
    for key, h in out.items():
        unknown = sorted(h.excludes - set(out))
        if unknown:
            raise RuleFileError(f"histology.yaml: keys.{key}.excludes: unknown key(s) {unknown}")
    return out
