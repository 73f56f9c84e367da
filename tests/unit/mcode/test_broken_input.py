"""Any JSON input gives PatientFacts or PatientDataError, never another exception, and no
warning carries a patient value."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.mcode.conftest import BUNDLES, load_bundle
from trialmatch.errors import PatientDataError
from trialmatch.mcode import extract_facts

SAMPLE = "codex/clinical-trial-matching-service/patient_data.json"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20)

BROKEN = [
    None, 0, "Bundle", [], {}, {"resourceType": "Bundle"},
    {"resourceType": "Bundle", "type": "collection", "entry": None},
    {"resourceType": "Bundle", "type": "collection", "entry": [None, 1, "x", []]},
    {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": 5}}]},
    {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Observation"}}]},
    {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Patient", "birthDate": 1}}]},
    {"resourceType": "Bundle", "type": "collection",
     "entry": [{"resource": {"resourceType": "Observation", "status": "final", "code": {"coding": "x"},
                             "valueQuantity": {"value": "NaN"}, "component": [1, None]}}]},
    {"resourceType": "Bundle", "type": "collection",
     "entry": [{"resource": {"resourceType": "Condition", "code": {"coding": [{"code": {}}]},
                             "subject": {"reference": 7}, "stage": "IV"}}]},
]


def _run(body, vocab):
    try:
        extract_facts(body, vocab)
    except PatientDataError as exc:
        assert exc.issues and all(isinstance(loc, str) and isinstance(msg, str) for loc, msg in exc.issues)


@pytest.mark.parametrize("body", BROKEN, ids=range(len(BROKEN)))
def test_broken_shapes(body, vocab):
    _run(body, vocab)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_values)
def test_random_json(vocab, body):
    _run(body, vocab)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=10_000), json_values)
def test_one_element_of_a_real_bundle_replaced(vocab, seed, junk):
    """Replace one element somewhere inside a real CodeX bundle with random JSON."""
    body = copy.deepcopy(load_bundle(SAMPLE))
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                paths.append(path + [k])
                walk(v, path + [k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                paths.append(path + [i])
                walk(v, path + [i])

    walk(body, [])
    path = paths[seed % len(paths)]
    parent = body
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = junk
    _run(body, vocab)


def _strings(node, out):
    if isinstance(node, dict):
        for v in node.values():
            _strings(v, out)
    elif isinstance(node, list):
        for v in node:
            _strings(v, out)
    elif isinstance(node, str):
        out.add(node)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        out.add(str(node))
    return out


@pytest.mark.parametrize("rel", sorted(p.relative_to(BUNDLES).as_posix() for p in BUNDLES.glob("codex/*/*.json")))
def test_warnings_name_locations_not_values(rel, vocab):
    """No warning contains a birth date, postal code, id, code or number taken from the bundle
    (short strings such as 'final', and resource type names, are words of the messages
    themselves and are skipped)."""
    body = load_bundle(rel)
    types = {e.get("resource", {}).get("resourceType") for e in body.get("entry", []) if isinstance(e, dict)}
    values = {v for v in _strings(body, set()) if len(v) >= 6} - types - {"Bundle"}
    try:
        warnings = extract_facts(body, vocab).warnings
        messages = [w.message for w in warnings]
    except PatientDataError as exc:
        messages = [m for _, m in exc.issues]
    assert [m for m in messages if any(v in m for v in values)] == []
    assert json.dumps(messages)  # plain strings
