"""Golden match tests: real mCODE bundles x the reviewed catalogue (criteria/), as of 2026-11-26.

The expected verdicts in expected/<patient>__<trial>.json were written by reading the bundle and
the trial document (see README.md), not by running the code. Per pair the test compares the
whole list of top-level items (id, verdict, missing kinds), the trial's class, each arm's
class and items, and the inner atoms the expectation names. A trial the prefilter drops (certainly
excluded by age, sex or cancer type) must be absent from the results and its full evaluation
still agrees. A pair whose expected file carries "disputed" is a known disagreement with the
engine, the extractor or the criteria document: its whole comparison is xfail(strict=True), and
its undisputed items are still compared exactly.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

from trialmatch.catalogue import build_catalogue
from trialmatch.matching import load_rules
from trialmatch.matching.match_result import evaluate_for_patient
from trialmatch.matching.patient_view import PatientView
from trialmatch.matching.result_json import trial_result_to_json
from trialmatch.mcode import extract_facts
from trialmatch.services import match_bundle
from trialmatch.trial_document import load_catalogue
from trialmatch.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).resolve().parent / "expected"
BUNDLES = ROOT / "tests" / "data" / "bundles"
CRITERIA = ROOT / "criteria"
AS_OF = date(2026, 11, 26)
VERDICTS = {"met", "not_met", "unknown"}
CLASSES = {"eligible", "possible", "ineligible"}
KINDS = {"missing", "to_confirm"}


def _expected_files() -> list[Path]:
    return sorted(EXPECTED.glob("*__*.json"))


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _catalogue():
    vocab = load_vocabulary()
    return build_catalogue(load_catalogue(CRITERIA), version="golden", vocab=vocab), vocab


@lru_cache(maxsize=None)
def _view(bundle: str) -> dict:
    catalogue, vocab = _catalogue()
    return match_bundle(bundle=_bundle(bundle), as_of=AS_OF, catalogue=catalogue, vocab=vocab)


def _bundle(bundle: str) -> dict:
    return json.loads((BUNDLES / bundle).read_text(encoding="utf-8"))


def _dropped_trial_result(doc: dict) -> dict:
    """Full evaluation of a trial the prefilter dropped (a certainly NOT_MET age, sex or cancer
    type): the same evaluation match_patient gives a candidate, so its items can be compared."""
    catalogue, vocab = _catalogue()
    [compiled] = [ct for ct in catalogue.index.trials if ct.trial.trial_id == doc["trial_id"]]
    view = PatientView(extract_facts(_bundle(doc["bundle"]), vocab), vocab, load_rules(), AS_OF)
    return trial_result_to_json(evaluate_for_patient(compiled, view))


def _top_items(node: dict) -> list[dict]:
    """Top-level items: the children of a root `all`, else the root itself."""
    return node["children"] if node["type"] == "all" else [node]


def _row(node: dict) -> tuple:
    kinds = sorted({m["kind"] for m in node["missing"] or []}) if node["verdict"] == "unknown" else []
    return (node["id"], node["verdict"], kinds)


def _expected_row(item: dict) -> tuple:
    return (item["id"], item["verdict"], sorted(item["missing"]))


def _find(node: dict, node_id: str) -> dict | None:
    if node["id"] == node_id:
        return node
    for child in node["children"] or []:
        hit = _find(child, node_id)
        if hit is not None:
            return hit
    return None


def _inner_row(result: dict, node_id: str) -> tuple:
    """An inner node named by the expectation (an atom whose verdict the top-level item hides)."""
    for root in [result["criteria"], *(a["criteria"] for a in result["arms"])]:
        hit = _find(root, node_id)
        if hit is not None:
            return _row(hit)
    return (node_id, "absent", [])


def _actual(doc: dict) -> dict:
    view = _view(doc["bundle"])
    found = [r for r in view["results"] if r["trial_id"] == doc["trial_id"]]
    assert len(found) == (0 if doc.get("dropped_by_prefilter") else 1), "candidate or not, against the expectation"
    result = found[0] if found else _dropped_trial_result(doc)
    return {
        "dropped_by_prefilter": not found,
        "result_class": result["result_class"],
        "items": [_row(n) for n in _top_items(result["criteria"])],
        "arms": [{"arm_id": a["arm_id"], "suspended": a["suspended"], "result_class": a["result_class"],
                  "items": [_row(n) for n in _top_items(a["criteria"])]} for a in result["arms"]],
        "inner": [_inner_row(result, i["id"]) for i in doc.get("inner", [])],
    }


def _expected(doc: dict, *, drop_disputed: bool = False) -> dict:
    def rows(items):
        return [_expected_row(i) for i in items if not (drop_disputed and "disputed" in i)]

    return {
        "dropped_by_prefilter": bool(doc.get("dropped_by_prefilter")),
        "result_class": doc["result_class"],
        "items": rows(doc["items"]),
        "arms": [{"arm_id": a["arm_id"], "suspended": a["suspended"], "result_class": a["result_class"],
                  "items": rows(a["items"])} for a in doc["arms"]],
        "inner": rows(doc.get("inner", [])),
    }


def _params(mark_disputed: bool = False):
    out = []
    for path in _expected_files():
        doc = _read(path)
        marks = ()
        if "disputed" in doc and mark_disputed:
            marks = (pytest.mark.xfail(strict=True, reason=f"disputed: {doc['disputed']}"),)
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


@pytest.mark.parametrize("path", _params(mark_disputed=True))
def test_golden_pair_whole(path):
    doc = _read(path)
    assert _actual(doc) == _expected(doc)


@pytest.mark.parametrize("path", _params())
def test_golden_pair_undisputed_items(path):
    """In every pair, every item the engine is not disputed on agrees exactly (the classes are
    left out: they follow from the disputed items). Run on all pairs so that it never becomes
    an empty (skipped) set when no pair is disputed."""
    doc = _read(path)
    actual = _actual(doc)
    disputed = {i["id"] for i in doc["items"] if "disputed" in i}
    arm_disputed = {(a["arm_id"], i["id"]) for a in doc["arms"] for i in a["items"] if "disputed" in i}
    inner_disputed = {i["id"] for i in doc.get("inner", []) if "disputed" in i}
    got = {
        "items": [r for r in actual["items"] if r[0] not in disputed],
        "inner": [r for r in actual["inner"] if r[0] not in inner_disputed],
        "arms": [{"arm_id": a["arm_id"], "suspended": a["suspended"],
                  "items": [r for r in a["items"] if (a["arm_id"], r[0]) not in arm_disputed]} for a in actual["arms"]],
    }
    want = _expected(doc, drop_disputed=True)
    want = {"items": want["items"], "inner": want["inner"],
            "arms": [{k: a[k] for k in ("arm_id", "suspended", "items")} for a in want["arms"]]}
    assert got == want


def _all_ids(node: dict) -> list[str]:
    return [node["id"], *(i for c in node.get("items", []) for i in _all_ids(c)),
            *(_all_ids(node["item"]) if "item" in node else [])]


def _document_items(node: dict) -> list[str]:
    return [c["id"] for c in node["items"]] if node["type"] == "all" else [node["id"]]


@pytest.mark.parametrize("path", _params())
def test_expected_file_covers_every_item_of_the_trial(path):
    """The expectation names every top-level item of the trial document (and of each arm), in
    order, each with a verdict, its missing kinds (only for unknown) and a reason."""
    doc = _read(path)
    trial = _read(CRITERIA / f"{doc['trial_id']}.json")
    assert path.stem == f"{doc['patient']}__{doc['trial_id']}"
    assert doc["as_of"] == AS_OF.isoformat()
    assert [i["id"] for i in doc["items"]] == _document_items(trial["criteria"])
    assert [(a["arm_id"], a["suspended"]) for a in doc["arms"]] == [
        (a["id"], bool(a.get("suspended", False))) for a in trial.get("arms", [])]
    for arm, spec in zip(doc["arms"], trial.get("arms", []), strict=True):
        assert [i["id"] for i in arm["items"]] == _document_items(spec["criteria"])
        assert arm["result_class"] in CLASSES
    assert doc["result_class"] in CLASSES
    known = set(_all_ids(trial["criteria"])) | {i for a in trial.get("arms", []) for i in _all_ids(a["criteria"])}
    assert {i["id"] for i in doc.get("inner", [])} <= known
    for item in doc["items"] + doc.get("inner", []) + [i for a in doc["arms"] for i in a["items"]]:
        assert item["verdict"] in VERDICTS
        assert set(item["missing"]) <= KINDS
        assert bool(item["missing"]) == (item["verdict"] == "unknown"), item["id"]
        assert item["reason"].strip()
    assert ("disputed" in doc) == any("disputed" in i for i in doc["items"] + doc.get("inner", []) + [
        i for a in doc["arms"] for i in a["items"]])


def test_golden_set_spans_patients_and_trials():
    docs = [_read(p) for p in _expected_files()]
    assert len(docs) >= 8
    assert len({d["patient"] for d in docs}) >= 4
    assert len({d["trial_id"] for d in docs}) >= 3
