"""Golden facts of every test bundle, written by reading the bundles (tests/data/bundles/golden).

Each golden names the keys it covers; the extracted facts_to_json (as of 2026-11-26) must
equal it on exactly those keys, whole lists. The same bundle with every meta.profile
stripped must give the same facts, except the keys listed under "profile_stripped", whose
expected values (and the reason: the profile was the only evidence) the golden gives.
"""

import copy
import json
from datetime import date

import pytest

from tests.unit.mcode.conftest import BUNDLES, load_bundle
from trialmatch.domain.facts_json import facts_to_json
from trialmatch.errors import PatientDataError
from trialmatch.mcode import extract_facts

GOLDENS = sorted((BUNDLES / "golden").glob("*.facts.json"))


def _golden(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _covered(facts_json: dict, covers: list[str]) -> dict:
    return {key: facts_json.get(key) if facts_json.get(key) != [] else None for key in covers}


def strip_profiles(node):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "meta" and isinstance(value, dict):
                value = {k: v for k, v in value.items() if k != "profile"}
            out[key] = strip_profiles(value)
        return out
    if isinstance(node, list):
        return [strip_profiles(v) for v in node]
    return node


def test_every_bundle_has_a_golden():
    bundles = {p.relative_to(BUNDLES).as_posix() for p in BUNDLES.rglob("*.json") if "golden" not in p.parts}
    covered = {_golden(p)["bundle"] for p in GOLDENS}
    assert bundles - covered == set()


@pytest.mark.parametrize("path", GOLDENS, ids=lambda p: p.name)
def test_golden_facts(path, vocab):
    golden = _golden(path)
    if "error" in golden:
        with pytest.raises(PatientDataError) as caught:
            extract_facts(load_bundle(golden["bundle"]), vocab)
        assert [list(issue) for issue in caught.value.issues] == golden["error"]["issues"]
        return
    facts = extract_facts(load_bundle(golden["bundle"]), vocab)
    got = facts_to_json(facts, as_of=date.fromisoformat(golden["as_of"]))
    assert _covered(got, golden["covers"]) == _covered(golden["facts"], golden["covers"])
    if "warnings" in golden:
        assert [[w.location, w.message] for w in facts.warnings] == golden["warnings"]


@pytest.mark.parametrize("path", GOLDENS, ids=lambda p: p.name)
def test_golden_facts_without_profiles(path, vocab):
    golden = _golden(path)
    if "error" in golden:
        with pytest.raises(PatientDataError):
            extract_facts(strip_profiles(load_bundle(golden["bundle"])), vocab)
        return
    bundle = strip_profiles(copy.deepcopy(load_bundle(golden["bundle"])))
    facts = extract_facts(bundle, vocab)
    got = facts_to_json(facts, as_of=date.fromisoformat(golden["as_of"]))
    expected = dict(golden["facts"])
    differences = golden.get("profile_stripped", {}).get("differences", {})
    expected.update(differences)
    assert _covered(got, golden["covers"]) == _covered(expected, golden["covers"])
