"""The MatchMiner field table (``data/ctml_fields.yaml``): CTML leaf fields -> atoms, MatchMiner
patient values -> facts. Loaded once with importlib.resources and validated: a bad table raises
RuleFileError naming the file and the field."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Mapping

import yaml

from trialmatch.errors import RuleFileError

FILE = "ctml_fields.yaml"
FIELD_KINDS = frozenset({
    "age", "cancer_type", "sex", "marker_value", "marker_status", "gene", "protein_change",
    "protein_prefix", "category", "exon", "fusion_partner", "wild_type", "cnv_call",
    "not_expressible", "mmr", "signature", "label", "disease_status", "classification",
})
EXTENTS = frozenset({"metastatic", "locally_advanced", "advanced", "unresectable", "recurrent"})
VARIANT_CATEGORIES = frozenset({"mutation", "fusion", "amplification", "deletion", "CNV", "SNV", "insertion"})
MARKER_STATUSES = frozenset({"positive", "negative", "equivocal", "high", "low", "deficient", "proficient", "stable"})
_TOP_KEYS = {"clinical_fields", "genomic_fields", "sex", "marker_status", "disease_status", "variant_category", "cnv_call",
             "cnv_call_category", "mmr", "signature", "oncotree_aliases", "trial_status", "patient",
             "variant_classifications"}
# Variant.copy_number values (criteria and facts)
COPY_NUMBERS = frozenset({"gain", "high_amplification", "homozygous_deletion", "heterozygous_deletion"})
_PATIENT_KEYS = {"variant_category", "gender", "vital_status", "mmr_status", "mmr_unassessable",
                 "signature_fields", "signature_values", "status_fields", "status_values", "sv_comment_pattern",
                 "variant_classification", "cnv_call", "cnv_copy_number"}
# fact categories the engine reads (trialmatch/matching/data/genomics.yaml) besides the criteria ones
FACT_CATEGORIES = VARIANT_CATEGORIES | {"missense", "nonsense", "frameshift", "splice", "gain", "loss"}
_FIELD_KEYS = {"kind", "marker", "scale", "label"}


@dataclass(frozen=True)
class FieldRule:
    kind: str
    marker: str | None = None
    scale: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class FieldTable:
    clinical: Mapping[str, FieldRule]
    genomic: Mapping[str, FieldRule]
    sex: Mapping[str, str]
    marker_status: Mapping[str, str]
    disease_status: Mapping[str, str]
    variant_category: Mapping[str, tuple[str, ...]]
    cnv_call: Mapping[str, str]
    cnv_call_category: Mapping[str, str]
    variant_classifications: Mapping[str, str]  # lower case -> the MAF term as written
    mmr: Mapping[str, tuple[tuple[str, str], ...]]
    signature: Mapping[str, str]
    oncotree_aliases: Mapping[str, str]
    trial_status: Mapping[str, str]
    patient: Mapping[str, object]


def _fail(field: str, message: str):
    raise RuleFileError(f"trialmatch/matchminer/data/{FILE}: {field}: {message}")


def _mapping(value, field: str) -> dict:
    if not isinstance(value, dict):
        _fail(field, "must be a mapping")
    return value


def _keys(value: dict, allowed: set, field: str, required=()) -> None:
    unknown = set(value) - allowed
    if unknown:
        _fail(f"{field}.{sorted(unknown)[0]}", f"unknown key; allowed: {sorted(allowed)}")
    for key in required:
        if key not in value:
            _fail(f"{field}.{key}", "required")


def _fields(value, field: str) -> Mapping[str, FieldRule]:
    rules = {}
    for name, spec in _mapping(value, field).items():
        where = f"{field}.{name}"
        _keys(_mapping(spec, where), _FIELD_KEYS, where, required=("kind",))
        if spec["kind"] not in FIELD_KINDS:
            _fail(f"{where}.kind", f"{spec['kind']!r} is not one of {sorted(FIELD_KINDS)}")
        if spec["kind"] in {"marker_value", "marker_status", "signature"} and not spec.get("marker"):
            _fail(f"{where}.marker", f"required for kind {spec['kind']}")
        rules[str(name).lower()] = FieldRule(**spec)
    return MappingProxyType(rules)


def _strings(value, field: str, allowed: frozenset | None = None) -> Mapping[str, str]:
    out = {}
    for key, item in _mapping(value, field).items():
        if not isinstance(item, str) or (allowed is not None and item not in allowed):
            _fail(f"{field}.{key}", f"{item!r} must be one of {sorted(allowed)}" if allowed else "must be a string")
        out[str(key).lower()] = item
    return MappingProxyType(out)


def _optional_strings(value, field: str) -> Mapping[str, str | None]:
    out = {}
    for key, item in _mapping(value, field).items():
        if item is not None and item not in FACT_CATEGORIES:
            _fail(f"{field}.{key}", f"{item!r} must be null or one of {sorted(FACT_CATEGORIES)}")
        out[str(key).lower()] = item
    return MappingProxyType(out)


def _pairs(value, field: str) -> Mapping[str, tuple[tuple[str, str], ...]]:
    out = {}
    for key, items in _mapping(value, field).items():
        if not isinstance(items, list) or not items:
            _fail(f"{field}.{key}", "must be a non-empty list of [marker, status]")
        for i, pair in enumerate(items):
            if not (isinstance(pair, list) and len(pair) == 2 and pair[1] in MARKER_STATUSES):
                _fail(f"{field}.{key}[{i}]", f"must be [marker, status] with status in {sorted(MARKER_STATUSES)}")
        out[str(key).lower()] = tuple((str(m), str(s)) for m, s in items)
    return MappingProxyType(out)


def _categories(value, field: str) -> Mapping[str, tuple[str, ...]]:
    out = {}
    for key, items in _mapping(value, field).items():
        if not isinstance(items, list) or not items or not set(items) <= VARIANT_CATEGORIES:
            _fail(f"{field}.{key}", f"must be a list of categories from {sorted(VARIANT_CATEGORIES)}")
        out[str(key).lower()] = tuple(items)
    return MappingProxyType(out)


def _terms(value, field: str) -> Mapping[str, str]:
    if not isinstance(value, list) or not value or not all(isinstance(x, str) and x for x in value):
        _fail(field, "must be a non-empty list of strings")
    return MappingProxyType({x.lower(): x for x in value})


def parse_table(data) -> FieldTable:
    """Validate the parsed YAML of the field table; RuleFileError names the bad field."""
    _keys(_mapping(data, "(top)"), _TOP_KEYS, "(top)", required=sorted(_TOP_KEYS))
    patient = _mapping(data["patient"], "patient")
    _keys(patient, _PATIENT_KEYS, "patient", required=sorted(_PATIENT_KEYS))
    vital = _mapping(patient["vital_status"], "patient.vital_status")
    for key, item in vital.items():
        if not isinstance(item, bool):
            _fail(f"patient.vital_status.{key}", "must be true or false")
    try:
        sv_pattern = re.compile(patient["sv_comment_pattern"])
    except (re.error, TypeError):
        _fail("patient.sv_comment_pattern", "must be a regular expression")
    if sv_pattern.groups != 2:
        _fail("patient.sv_comment_pattern", "must have two groups (the partner genes)")
    if not isinstance(patient["mmr_unassessable"], list):
        _fail("patient.mmr_unassessable", "must be a list")
    return FieldTable(
        clinical=_fields(data["clinical_fields"], "clinical_fields"),
        genomic=_fields(data["genomic_fields"], "genomic_fields"),
        sex=_strings(data["sex"], "sex", frozenset({"female", "male"})),
        marker_status=_strings(data["marker_status"], "marker_status", MARKER_STATUSES),
        disease_status=_strings(data["disease_status"], "disease_status", EXTENTS),
        variant_category=_categories(data["variant_category"], "variant_category"),
        cnv_call=_strings(data["cnv_call"], "cnv_call", COPY_NUMBERS),
        cnv_call_category=_strings(data["cnv_call_category"], "cnv_call_category", VARIANT_CATEGORIES),
        variant_classifications=_terms(data["variant_classifications"], "variant_classifications"),
        mmr=_pairs(data["mmr"], "mmr"),
        signature=_strings(data["signature"], "signature", MARKER_STATUSES),
        oncotree_aliases=_strings(data["oncotree_aliases"], "oncotree_aliases"),
        trial_status=_strings(data["trial_status"], "trial_status"),
        patient=MappingProxyType({
            "variant_category": _optional_strings(patient["variant_category"], "patient.variant_category"),
            "variant_classification": _strings(patient["variant_classification"], "patient.variant_classification",
                                               FACT_CATEGORIES),
            "cnv_call": _strings(patient["cnv_call"], "patient.cnv_call", FACT_CATEGORIES),
            "cnv_copy_number": _strings(patient["cnv_copy_number"], "patient.cnv_copy_number", COPY_NUMBERS),
            "gender": _strings(patient["gender"], "patient.gender", frozenset({"female", "male", "other", "unknown"})),
            "vital_status": MappingProxyType({str(k).lower(): v for k, v in vital.items()}),
            "mmr_status": _pairs(patient["mmr_status"], "patient.mmr_status"),
            "mmr_unassessable": frozenset(str(v).lower() for v in patient["mmr_unassessable"]),
            "signature_fields": _strings(patient["signature_fields"], "patient.signature_fields"),
            "signature_values": _strings(patient["signature_values"], "patient.signature_values", MARKER_STATUSES),
            "status_fields": _strings(patient["status_fields"], "patient.status_fields"),
            "status_values": _strings(patient["status_values"], "patient.status_values", MARKER_STATUSES),
            "sv_comment_pattern": sv_pattern,
        }),
    )


@functools.cache
def load_field_table() -> FieldTable:
    text = resources.files("trialmatch.matchminer").joinpath("data", FILE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleFileError(f"trialmatch/matchminer/data/{FILE}: not YAML ({exc.__class__.__name__})") from None
    return parse_table(data)
