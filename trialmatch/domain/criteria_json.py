"""Criteria trees to JSON and back.

A node is an object whose ``"type"`` is the snake_case name of its class (``"all"``,
``"cancer_type"``, ``"prior_therapy"``, ...); its other keys are the dataclass fields, with
defaults left out, tuples as lists and codings as ``{"system", "code", "display"}``.
Structural checking is the JSON Schema's job (``trialmatch.schemas``); this module assumes
a document that passed it, and still refuses unknown types and keys by name.
"""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.domain.facts import Coding
from trialmatch.errors import CriteriaError


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


TYPE_NAMES: dict[type, str] = {cls: _snake(cls.__name__) for cls in c.NODE_TYPES}
TYPES_BY_NAME: dict[str, type] = {name: cls for cls, name in TYPE_NAMES.items()}


def to_json(node: c.Node) -> dict:
    out: dict = {"type": TYPE_NAMES[type(node)]}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        out[f.name] = _value_to_json(value)
    return out


def _value_to_json(value):
    if isinstance(value, c.NODE_TYPES):
        return to_json(value)
    if isinstance(value, (Coding, c.ToxicityException)):
        return {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
    if isinstance(value, tuple):
        return [_value_to_json(v) for v in value]
    return value


def from_json(data: dict, path: str = "criteria") -> c.Node:
    if not isinstance(data, dict) or "type" not in data:
        raise CriteriaError(f"{path}: a criteria node must be an object with a 'type'")
    cls = TYPES_BY_NAME.get(data["type"])
    if cls is None:
        raise CriteriaError(f"{path}.type: unknown node type {data['type']!r}; known: {sorted(TYPES_BY_NAME)}")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key == "type":
            continue
        if key not in fields:
            raise CriteriaError(f"{path}.{key}: not a field of {data['type']}; allowed: {sorted(fields)}")
        kwargs[key] = _value_from_json(key, value, f"{path}.{key}")
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise CriteriaError(f"{path}: {exc}") from None


def _value_from_json(key: str, value, path: str):
    if key == "items":
        return tuple(from_json(v, f"{path}[{i}]") for i, v in enumerate(value))
    if key == "item":
        return from_json(value, path)
    if key == "exceptions":
        return tuple(_toxicity_exception(v, f"{path}[{i}]") for i, v in enumerate(value))
    if isinstance(value, list):
        return tuple(_coding(v) if isinstance(v, dict) else v for v in value)
    return value


def _coding(data: dict) -> Coding:
    return Coding(data.get("system"), data.get("code"), data.get("display"))


def _toxicity_exception(data, path: str) -> c.ToxicityException:
    if not isinstance(data, dict) or "term" not in data or set(data) - {"term", "max_grade"}:
        raise CriteriaError(f"{path}: a toxicity exception is an object {{term, max_grade}}")
    return c.ToxicityException(data["term"], data.get("max_grade"))


def positive_atoms(node: c.Node, negated: bool = False):
    """The atoms of a tree a patient is asked to meet: those under an even number of Not."""
    if isinstance(node, (c.All, c.Any)):
        for child in node.items:
            yield from positive_atoms(child, negated)
    elif isinstance(node, c.Not):
        yield from positive_atoms(node.item, not negated)
    elif not negated:
        yield node


def walk(node: c.Node):
    """Every node of a tree, depth first, parents before children."""
    yield node
    if isinstance(node, (c.All, c.Any)):
        for child in node.items:
            yield from walk(child)
    elif isinstance(node, c.Not):
        yield from walk(node.item)
