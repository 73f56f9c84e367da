"""Reading the matcher's rule files (package data under ``trialmatch/matching/data``).

Every loader goes through these helpers so that a bad file raises
:class:`trialmatch.errors.RuleFileError` naming the file and the field, and unknown keys
are refused with the allowed ones listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from trialmatch.errors import RuleFileError


def data_dir() -> Any:
    return resources.files("trialmatch.matching") / "data"


def read_yaml(name: str, directory: Path | Any | None = None) -> Any:
    base = data_dir() if directory is None else directory
    try:
        text = (base / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(f"{name}: cannot read rule file ({exc.__class__.__name__})") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{name}: not valid YAML: {exc}") from exc


def mapping(value: Any, where: str, *, required: Iterable[str] = (), optional: Iterable[str] | None = ()) -> Mapping:
    """``value`` as a mapping with the required keys; ``optional=None`` allows any other key."""
    if not isinstance(value, Mapping):
        raise RuleFileError(f"{where}: expected a mapping, got {type(value).__name__}")
    required = tuple(required)
    missing = [k for k in required if k not in value]
    if missing:
        raise RuleFileError(f"{where}: missing field(s) {missing}")
    if optional is not None:
        allowed = set(required) | set(optional)
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            raise RuleFileError(f"{where}: unknown field(s) {unknown}; allowed: {sorted(allowed)}")
    return value


def str_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RuleFileError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleFileError(f"{where}: expected a number, got {value!r}")
    return float(value)
