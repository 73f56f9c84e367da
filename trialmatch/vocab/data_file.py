"""Reading and validating the vocabulary's data files (package data under ``vocab/data``).

Every loader goes through these helpers, so that a bad file raises
:class:`trialmatch.errors.RuleFileError` naming the file and the field, and unknown keys
are refused with a message listing the allowed ones (medspacy's habit).

``package`` lets tests point the loaders at a temporary copy of the data (a
``pathlib.Path`` or any ``importlib.resources`` traversable).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from trialmatch.errors import RuleFileError

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster
DataDir = Path | Any  # a Path or an importlib.resources Traversable


def default_data_dir() -> DataDir:
    return resources.files("trialmatch.vocab") / "data"


def read_text(data_dir: DataDir, name: str) -> str:
    try:
        return (data_dir / name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise RuleFileError(f"{name}: cannot read vocabulary file ({exc.__class__.__name__})") from exc


def read_yaml(data_dir: DataDir, name: str) -> Any:
    try:
        return yaml.load(read_text(data_dir, name), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{name}: not valid YAML: {exc}") from exc


def read_json(data_dir: DataDir, name: str) -> Any:
    try:
        return json.loads(read_text(data_dir, name))
    except json.JSONDecodeError as exc:
        raise RuleFileError(f"{name}: not valid JSON: {exc}") from exc


def read_tsv(data_dir: DataDir, name: str, columns: Iterable[str]) -> list[dict[str, str]]:
    """Rows of a tab-separated file whose header must be exactly ``columns``."""
    text = read_text(data_dir, name)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    expected = list(columns)
    if reader.fieldnames != expected:
        raise RuleFileError(f"{name}: header is {reader.fieldnames}, expected columns {expected}")
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            raise RuleFileError(f"{name}: line {number}: expected {len(expected)} tab-separated fields")
        rows.append(row)
    return rows


def check_mapping(
    value: Any,
    where: str,
    *,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> Mapping[str, Any]:
    """Check that ``value`` is a mapping with the required keys and no others."""
    required = tuple(required)
    allowed = required + tuple(optional)
    if not isinstance(value, Mapping):
        raise RuleFileError(f"{where}: expected a mapping, got {type(value).__name__}")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise RuleFileError(f"{where}: unknown key(s) {unknown}; allowed keys are {sorted(allowed)}")
    missing = [key for key in required if key not in value]
    if missing:
        raise RuleFileError(f"{where}: missing required key(s) {missing}")
    return value


def check_dict(value: Any, where: str) -> Mapping[str, Any]:
    """A mapping whose keys are data (concept keys), not field names."""
    if not isinstance(value, Mapping):
        raise RuleFileError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def check_str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleFileError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def check_str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RuleFileError(f"{where}: expected a list of strings, got {type(value).__name__}")
    return tuple(check_str(item, f"{where}[{index}]") for index, item in enumerate(value))


def check_number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleFileError(f"{where}: expected a number, got {value!r}")
    return float(value)
