"""Precision and recall of the parser against the hand-labelled items (tests/data/nlp-labels).

Each labelled item is parsed alone, in its section. An atom is compared with the labels'
atoms by its canonical JSON (no text/id) and its polarity (under an odd number of Not).
- precision: produced atoms that are among the expected atoms of the item / produced atoms (each
  distinct atom of an item counted once: the both-or-open readings hold their atoms twice);
- recall: expected atoms produced / expected atoms;
- exact: items whose whole tree (Unparsed texts ignored) equals the label.
Precision outranks coverage: the assertion is the issue's target, 0.95.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import from_json, to_json
from trialmatch.nlp import parse_eligibility

LABELS = Path(__file__).resolve().parents[2] / "data" / "nlp-labels" / "labels.jsonl"


def _atoms(node: c.Node, negated: bool = False) -> Counter:
    out: Counter = Counter()
    if isinstance(node, c.Not):
        return _atoms(node.item, not negated)
    if isinstance(node, (c.All, c.Any)):
        for child in node.items:
            out += _atoms(child, negated)
        return out
    if isinstance(node, c.Unparsed):
        return out
    data = {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in to_json(node).items()}
    data.pop("text", None)
    out[(negated, json.dumps(data, sort_keys=True))] += 1
    return out


def _distinct(atoms: Counter) -> Counter:
    """Each atom once per item: a reading that must agree both ways ("both readings agree, or
    UNKNOWN": Any(All(parts), All(Any(parts), Unparsed))) holds its atoms twice, one claim each."""
    return Counter(dict.fromkeys(atoms, 1))


def _shape(node: c.Node):
    """The tree with Unparsed texts blanked, for item-level exactness."""
    data = to_json(node)

    def blank(d):
        if isinstance(d, dict):
            return {k: ("" if (d.get("type") == "unparsed" and k == "text") else blank(v)) for k, v in d.items()
                    if k != "non_clinical"}
        if isinstance(d, list):
            return [blank(v) for v in d]
        return d

    return blank(data)


def _parse_alone(section: str, text: str, vocab) -> c.Node:
    heading = "Inclusion Criteria:" if section == "inclusion" else "Exclusion Criteria:"
    parsed = parse_eligibility(f"{heading}\n\n* {text}\n", vocab)
    items = parsed.criteria_items
    return items[0].node if len(items) == 1 else parsed.to_node()


@pytest.fixture(scope="module")
def scores(vocab):
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    produced = expected = right = exact = 0
    wrong: list[tuple[str, list]] = []
    for row in rows:
        got = _parse_alone(row["section"], row["text"], vocab)
        want = from_json(row["expected"]) if row["expected"] else c.Unparsed(row["text"])
        got_atoms, want_atoms = _distinct(_atoms(got)), _distinct(_atoms(want))
        produced += sum(got_atoms.values())
        expected += sum(want_atoms.values())
        hit = got_atoms & want_atoms
        right += sum(hit.values())
        if got_atoms - want_atoms:
            wrong.append((row["text"], sorted(got_atoms - want_atoms)))
        exact += _shape(got) == _shape(want)
    return {"items": len(rows), "produced": produced, "expected": expected, "right": right,
            "precision": right / produced if produced else 1.0, "recall": right / expected if expected else 0.0,
            "exact": exact / len(rows), "wrong": wrong}


def test_labels_are_there():
    assert LABELS.exists()


def test_precision_is_at_least_095(scores):
    assert scores["precision"] >= 0.95, (scores["precision"], scores["wrong"])


def test_recall_and_exactness_are_measured(scores):
    # figures reported, not targets: recall and exact items must at least be non-trivial
    assert scores["produced"] > 0 and scores["right"] > 0
    assert 0 < scores["recall"] <= 1 and 0 < scores["exact"] <= 1
