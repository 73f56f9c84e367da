"""The hand-labelled NLP evaluation set (tests/data/nlp-labels/labels.jsonl) is well formed.

Every line's ``expected`` must load with the criteria JSON reader, and the set must keep the
size, spread and conventions documented in tests/data/nlp-labels/README.md.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import from_json, to_json, walk
from trialmatch.schemas import criteria_schema

LABELS = Path(__file__).resolve().parents[1] / "data" / "nlp-labels" / "labels.jsonl"
KEYS = {"nct_id", "section", "text", "expected", "status", "note"}
STATUSES = {"full", "partial", "unparsed", "non_clinical"}


def _load() -> list[dict]:
    with LABELS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


ITEMS = _load()
SCHEMA = Draft202012Validator(criteria_schema())


def test_set_size_and_spread():
    assert len(ITEMS) >= 300
    assert len({item["nct_id"] for item in ITEMS}) >= 60
    sections = Counter(item["section"] for item in ITEMS)
    assert set(sections) == {"inclusion", "exclusion"}
    assert set(Counter(item["status"] for item in ITEMS)) <= STATUSES


def test_items_are_unique_per_trial():
    keys = [(item["nct_id"], item["section"], item["text"]) for item in ITEMS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("item", ITEMS, ids=[f"{i}-{it['nct_id']}" for i, it in enumerate(ITEMS)])
def test_label_loads_and_follows_conventions(item):
    assert set(item) == KEYS
    assert item["nct_id"].startswith("NCT") and len(item["nct_id"]) == 11
    assert item["section"] in {"inclusion", "exclusion"}
    assert item["status"] in STATUSES
    assert item["text"] == item["text"].strip() and item["text"]
    assert [e.message for e in SCHEMA.iter_errors(item["expected"])] == []
    node = from_json(item["expected"], f"labels[{item['nct_id']}]")
    assert to_json(node) == item["expected"]  # canonical form: no defaults, no text/id
    nodes = list(walk(node))
    unparsed = [n for n in nodes if isinstance(n, c.Unparsed)]
    assert all(getattr(n, "text", None) is None or isinstance(n, c.Unparsed) for n in nodes)
    assert all(getattr(n, "id", None) is None for n in nodes)
    if item["status"] in {"unparsed", "non_clinical"}:
        assert node == c.Unparsed(item["text"], non_clinical=item["status"] == "non_clinical")
    elif item["status"] == "partial":
        assert unparsed and len(nodes) > len(unparsed)
        assert all(u.text in item["text"] for u in unparsed)
    else:
        assert not unparsed
    if item["status"] in {"full", "partial"} and item["section"] == "exclusion":
        assert isinstance(node, c.Not)
