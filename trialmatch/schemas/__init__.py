"""The published JSON Schemas (draft 2020-12), shipped as package data.

- ``criteria.schema.json``: one criteria node tree (served at ``GET /api/v1/schema/criteria``);
- ``trial.schema.json``: a whole trial criteria document (refers to the first).

``criteria_schema()`` / ``trial_schema()`` return fresh copies (callers may change them);
``trial_validator()`` is the cached validator ``trialmatch.trial_document`` uses. A schema
file that is missing, not JSON, or not a valid schema raises ``RuleFileError`` naming it.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource

from trialmatch.errors import RuleFileError

__all__ = ["CRITERIA_SCHEMA_FILE", "TRIAL_SCHEMA_FILE", "criteria_schema", "trial_schema", "trial_validator"]

CRITERIA_SCHEMA_FILE = "criteria.schema.json"
TRIAL_SCHEMA_FILE = "trial.schema.json"


@lru_cache(maxsize=None)
def _load(name: str) -> dict:
    where = f"trialmatch/schemas/{name}"
    try:
        text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
        schema = json.loads(text)
    except (OSError, ValueError) as exc:
        raise RuleFileError(f"{where}: cannot be read as JSON: {exc}") from None
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        path = ".".join(str(p) for p in exc.absolute_path) or "(root)"
        raise RuleFileError(f"{where}: {path}: {exc.message}") from None
    return schema


def criteria_schema() -> dict:
    return copy.deepcopy(_load(CRITERIA_SCHEMA_FILE))


def trial_schema() -> dict:
    return copy.deepcopy(_load(TRIAL_SCHEMA_FILE))


@lru_cache(maxsize=1)
def trial_validator() -> Draft202012Validator:
    criteria = _load(CRITERIA_SCHEMA_FILE)
    trial = _load(TRIAL_SCHEMA_FILE)
    registry = Registry().with_resources(
        [(s["$id"], Resource.from_contents(s)) for s in (criteria, trial)]
    )
    return Draft202012Validator(trial, registry=registry)
