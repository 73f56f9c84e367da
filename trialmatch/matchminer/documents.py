"""Reading MatchMiner documents: CTML trials and clinical / genomic patient documents.

MatchMiner keeps its documents in MongoDB; exports come as JSON, YAML, JSON arrays,
newline-delimited JSON, and MongoDB Extended JSON (``{"$oid": ...}``, ``{"$date": ...}``,
``{"$numberInt": ...}``). :func:`decode_extended` turns the latter into plain Python values:
object ids into their hex string, dates into ``datetime.date``, numbers into ``int``/``float``.

These are the only I/O functions of the package; the conversions themselves are pure.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import yaml

from trialmatch.errors import CriteriaError, PatientDataError

__all__ = ["decode_extended", "parse_documents", "read_ctml_path", "read_matchminer_documents"]

_SUFFIXES = (".json", ".ndjson", ".jsonl", ".yaml", ".yml")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def decode_extended(value):
    """MongoDB Extended JSON (canonical or relaxed) to plain values, recursively."""
    if isinstance(value, list):
        return [decode_extended(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (key, inner), = value.items()
        if key == "$oid":
            return str(inner)
        if key == "$numberInt" or key == "$numberLong":
            return int(inner)
        if key == "$numberDouble" or key == "$numberDecimal":
            return float(inner)
        if key == "$date":
            return _decode_date(inner)
    return {k: decode_extended(v) for k, v in value.items()}


def _decode_date(inner) -> date:
    if isinstance(inner, dict):
        inner = decode_extended(inner)
    if isinstance(inner, (int, float)):
        return (_EPOCH + timedelta(milliseconds=inner)).date()
    return datetime.fromisoformat(str(inner).replace("Z", "+00:00")).date()


def parse_documents(text: str, where: str) -> list[dict]:
    """The documents of one file's text: a JSON object, a JSON array, newline-delimited
    JSON, or YAML (one document or a list). Raises ``ValueError`` naming ``where``."""
    stripped = text.strip()
    if not stripped:
        return []
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError:
        data = _ndjson(stripped) if stripped.startswith("{") else _yaml(stripped, where)
    docs = data if isinstance(data, list) else [data]
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict):
            raise ValueError(f"{where}[{i}]: a document must be an object, not {type(doc).__name__}")
    return [decode_extended(doc) for doc in docs]


def _ndjson(text: str):
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON, nor newline-delimited JSON: {exc.msg}") from None


def _yaml(text: str, where: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{where}: neither JSON nor YAML ({exc.__class__.__name__})") from None


def _files(path) -> list[Path]:
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)
    return [path]


def _read(path, error_type) -> list[dict]:
    docs: list[dict] = []
    for file in _files(path):
        try:
            docs.extend(parse_documents(file.read_text(encoding="utf-8"), str(file)))
        except (OSError, ValueError) as exc:
            raise error_type(f"{file}: {exc}") from None
    return docs


def read_ctml_path(path) -> list[dict]:
    """Every CTML trial document in a file or (recursively) a folder, in file order.
    Documents without a ``treatment_list`` are kept: :func:`ctml_to_trial` refuses them by name."""
    return _read(path, CriteriaError)


def read_matchminer_documents(path) -> list[dict]:
    """Every MatchMiner clinical or genomic document in a file or folder."""
    return _read(path, PatientDataError)
