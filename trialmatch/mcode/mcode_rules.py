"""McodeRules: the data files that steer mCODE extraction, loaded and validated once.

Files (package data, ``trialmatch/mcode/data``): ``mcode_profiles.yaml`` (profile URL ->
kind), ``content_rules.yaml`` (codes that identify a kind without a profile),
``mcode_value_sets.tsv`` (mCODE STU4 value-set codes), ``value_codes.yaml`` (coded values
-> normalised values, Karnofsky -> ECOG), ``marker_scales.yaml``,
``lab_plausibility.yaml`` and ``hgnc_genes.tsv`` (HGNC id -> symbol, the genes seen in
the test bundles plus a few common ones; the vocabulary has no HGNC table yet). A bad file raises RuleFileError naming file and field.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from trialmatch.errors import RuleFileError

KINDS = (
    "patient primary_cancer secondary_cancer comorbid_condition stage_group cancer_stage tnm_t "
    "tnm_n tnm_m tumor_marker genomic_variant region_studied ecog karnofsky disease_status "
    "pregnancy medication surgery radiation"
).split()
VALUE_TABLES = (
    "marker_status disease_status pregnancy_status variant_presence genomic_source_class "
    "variant_interpretation variant_category stage_snomed variant_classification variant_copy_number "
    "consequence_category fusion_change_type pregnancy_condition"
).split()

COPY_NUMBERS = ("gain", "high_amplification", "homozygous_deletion", "heterozygous_deletion")


@dataclass(frozen=True)
class MarkerBand:
    statuses: tuple[str, ...]
    low: float
    high: float


@dataclass(frozen=True)
class MarkerScale:
    scale: str
    unit: str
    bands: tuple[MarkerBand, ...]


@dataclass(frozen=True)
class McodeRules:
    profile_bases: tuple[str, ...]
    profile_kinds: dict[str, str]  # last URL segment -> kind
    supported_types: frozenset[str]
    ignored_types: frozenset[str]
    observation_kinds: dict[str, str]  # "system|code" -> kind
    staging_type: dict[str, str]  # "system|code" -> clinical | pathological
    secondary_snomed: frozenset[str]
    primary_snomed: frozenset[str]
    secondary_prefixes: tuple[str, ...]
    value_sets: dict[str, frozenset[str]]  # value set key -> {"system|code"}
    values: dict[str, dict[str, str]]  # table -> {"system|code": value}
    karnofsky: dict[int, tuple[int, ...]]
    marker_scales: dict[str, tuple[MarkerScale, ...]]
    lab_plausible: dict[str, tuple[float, float]]
    hgnc_symbols: dict[str, str]  # "HGNC:1100" -> "BRCA1"


def _text(name: str) -> str:
    return resources.files("trialmatch.mcode").joinpath("data", name).read_text(encoding="utf-8")


def _yaml(name: str) -> dict:
    try:
        data = yaml.safe_load(_text(name))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleFileError(f"{name}: cannot be read as YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise RuleFileError(f"{name}: top level must be a mapping")
    return data


def _need(cond: bool, name: str, field: str, what: str) -> None:
    if not cond:
        raise RuleFileError(f"{name}: field {field!r} {what}")


def _str_list(data: dict, name: str, field: str) -> list[str]:
    value = data.get(field)
    _need(isinstance(value, list) and all(isinstance(v, str) for v in value), name, field,
          "must be a list of strings")
    return value


def _profiles() -> tuple:
    name = "mcode_profiles.yaml"
    data = _yaml(name)
    kinds = data.get("kinds")
    _need(isinstance(kinds, dict), name, "kinds", "must be a mapping")
    table: dict[str, str] = {}
    for kind, names in kinds.items():
        _need(kind in KINDS, name, f"kinds.{kind}", f"is not a known kind ({', '.join(KINDS)})")
        for profile in _str_list(kinds, name, kind):
            _need(profile not in table, name, f"kinds.{kind}", f"repeats profile {profile}")
            table[profile] = kind
    return (tuple(_str_list(data, name, "bases")), table,
            frozenset(_str_list(data, name, "supported_resource_types")),
            frozenset(_str_list(data, name, "ignored_resource_types")))


def _code_table(data: dict, name: str, field: str, allowed) -> dict[str, str]:
    section = data.get(field)
    _need(isinstance(section, dict), name, field, "must be a mapping")
    out: dict[str, str] = {}
    for key, codes in section.items():
        _need(key in allowed, name, f"{field}.{key}", "is not allowed here")
        for code in _str_list(section, name, key):
            _need("|" in code, name, f"{field}.{key}", f"entry {code!r} is not 'system|code'")
            out[code] = key
    return out


def _value_sets() -> dict[str, frozenset[str]]:
    name = "mcode_value_sets.tsv"
    sets: dict[str, set[str]] = {}
    reader = csv.DictReader(io.StringIO(_text(name)), delimiter="\t")
    _need(reader.fieldnames == ["value_set", "system", "code", "display"], name, "header",
          "must be value_set, system, code, display")
    for n, row in enumerate(reader, start=2):
        _need(bool(row["value_set"] and row["system"] and row["code"]), name, f"line {n}",
              "needs value_set, system and code")
        sets.setdefault(row["value_set"], set()).add(f"{row['system']}|{row['code']}")
    return {k: frozenset(v) for k, v in sets.items()}


def _values() -> tuple[dict, dict]:
    name = "value_codes.yaml"
    data = _yaml(name)
    tables = {}
    for table in VALUE_TABLES:
        section = data.get(table)
        _need(isinstance(section, dict) and all(isinstance(k, str) and "|" in k and isinstance(v, str)
                                                for k, v in section.items()),
              name, table, "must map 'system|code' to a string")
        tables[table] = dict(section)
    bad = [v for v in tables["variant_copy_number"].values() if v not in COPY_NUMBERS]
    _need(not bad, name, "variant_copy_number", f"values must be one of {', '.join(COPY_NUMBERS)}")
    kps = data.get("karnofsky_to_ecog")
    _need(isinstance(kps, dict), name, "karnofsky_to_ecog", "must be a mapping")
    karnofsky = {}
    for score, grades in kps.items():
        _need(isinstance(score, int) and isinstance(grades, list) and grades
              and all(isinstance(g, int) and 0 <= g <= 5 for g in grades),
              name, f"karnofsky_to_ecog.{score}", "must map a score to ECOG grades 0-5")
        karnofsky[score] = tuple(sorted(grades))
    return tables, karnofsky


def _marker_scales() -> dict[str, tuple[MarkerScale, ...]]:
    name = "marker_scales.yaml"
    out = {}
    for marker, scales in _yaml(name).items():
        _need(isinstance(scales, list), name, marker, "must be a list of scales")
        parsed = []
        for i, s in enumerate(scales):
            where = f"{marker}[{i}]"
            _need(isinstance(s, dict) and set(s) == {"scale", "unit", "bands"}, name, where,
                  "must have exactly scale, unit, bands")
            bands = []
            for b in s["bands"]:
                _need(isinstance(b, list) and len(b) == 3 and isinstance(b[0], list)
                      and all(isinstance(s, str) for s in b[0])
                      and all(isinstance(x, (int, float)) for x in b[1:]) and b[1] < b[2],
                      name, f"{where}.bands", "entries must be [[statuses], low, high], low < high")
                bands.append(MarkerBand(tuple(b[0]), float(b[1]), float(b[2])))
            parsed.append(MarkerScale(str(s["scale"]), str(s["unit"]), tuple(bands)))
        out[marker] = tuple(parsed)
    return out


def _plausible() -> dict[str, tuple[float, float]]:
    name = "lab_plausibility.yaml"
    out = {}
    for key, rng in _yaml(name).items():
        _need(isinstance(rng, list) and len(rng) == 2 and all(isinstance(x, (int, float)) for x in rng)
              and rng[0] < rng[1], name, str(key), "must be [low, high] with low < high")
        out[str(key)] = (float(rng[0]), float(rng[1]))
    return out


def _hgnc() -> dict[str, str]:
    name = "hgnc_genes.tsv"
    reader = csv.DictReader(io.StringIO(_text(name)), delimiter="\t")
    _need(reader.fieldnames == ["hgnc_id", "symbol"], name, "header", "must be hgnc_id, symbol")
    out = {}
    for n, row in enumerate(reader, start=2):
        _need(row["hgnc_id"].startswith("HGNC:") and row["hgnc_id"][5:].isdigit()
              and bool(row["symbol"]) and row["symbol"] == row["symbol"].upper(),
              name, f"line {n}", "needs an HGNC:<digits> id and an upper-case symbol")
        out[row["hgnc_id"]] = row["symbol"]
    return out


@lru_cache(maxsize=1)
def load_rules() -> McodeRules:
    bases, profile_kinds, supported, ignored = _profiles()
    name = "content_rules.yaml"
    content = _yaml(name)
    values, karnofsky = _values()
    return McodeRules(
        profile_bases=bases,
        profile_kinds=profile_kinds,
        supported_types=supported,
        ignored_types=ignored,
        observation_kinds=_code_table(content, name, "observation_codes", KINDS),
        staging_type=_code_table(content, name, "staging_type", ("clinical", "pathological")),
        secondary_snomed=frozenset(_str_list(content, name, "secondary_snomed")),
        primary_snomed=frozenset(_str_list(content, name, "primary_snomed")),
        secondary_prefixes=tuple(p.lower() for p in _str_list(content, name, "secondary_display_prefixes")),
        value_sets=_value_sets(),
        values=values,
        karnofsky=karnofsky,
        marker_scales=_marker_scales(),
        lab_plausible=_plausible(),
        hgnc_symbols=_hgnc(),
    )
