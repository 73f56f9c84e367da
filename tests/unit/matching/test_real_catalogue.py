"""The engine on real inputs: the repository's reviewed catalogue (criteria/) against the
golden PatientFacts of the mCODE test bundles (tests/data/bundles/golden, see its
SOURCES.md). Invariants, not answers: the prefilter keeps every trial that full
evaluation does not rule out, classes agree with verdicts, the JSON view is complete."""

import json
from datetime import date
from pathlib import Path

import pytest

from trialmatch.domain.facts_json import facts_from_json
from trialmatch.domain.verdict import Verdict
from trialmatch.matching import TrialIndex, compile_trial, match_patient, result_to_json
from trialmatch.matching.match_result import evaluate_for_patient
from trialmatch.matching.patient_view import PatientView
from trialmatch.trial_document import load_catalogue
from tests.unit.matching.helpers import RULES, VOCAB

ROOT = Path(__file__).resolve().parents[3]
# golden files of bundles that yield facts (a bundle rejected as a whole records an error)
GOLDEN = sorted(p for p in (ROOT / "tests" / "data" / "bundles" / "golden").glob("*.facts.json")
                if "facts" in json.loads(p.read_text(encoding="utf-8")))
AS_OF = date(2026, 11, 26)
CLASS_OF = {Verdict.MET: "eligible", Verdict.UNKNOWN: "possible", Verdict.NOT_MET: "ineligible"}


@pytest.fixture(scope="module")
def index():
    return TrialIndex([compile_trial(t, VOCAB) for t in load_catalogue(ROOT / "criteria")], VOCAB)


def _facts(path):
    return facts_from_json(json.loads(path.read_text(encoding="utf-8"))["facts"])


def test_inputs_present():
    assert len(GOLDEN) >= 10


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name.removesuffix(".facts.json"))
def test_real_patient_against_real_catalogue(index, path):
    facts = _facts(path)
    view = PatientView(facts, VOCAB, RULES, AS_OF)
    kept = {ct.trial.trial_id for ct in index.candidates(view)}
    full = {ct.trial.trial_id: evaluate_for_patient(ct, view) for ct in index.trials}
    assert sorted(t for t, r in full.items() if t not in kept and r.result_class != "ineligible") == []
    result = match_patient(facts, index, as_of=AS_OF)
    assert sorted(r.trial_id for r in result.results) == sorted(kept)
    for r in result.results:
        if not r.arms:
            assert r.result_class == CLASS_OF[r.outcome.verdict]
        assert (r.result_class == "ineligible") == bool(r.deciding) or r.note or r.arms
    data = result_to_json(result)
    assert json.loads(json.dumps(data)) == data
    order = [(-{"eligible": 2, "possible": 1, "ineligible": 0}[r["result_class"]], -r["score"]) for r in data["results"]]
    assert order == sorted(order)


def _item(node, node_id):
    if getattr(node, "id", None) == node_id:
        return node
    kids = list(getattr(node, "items", ())) + ([node.item] if hasattr(node, "item") else [])
    return next((hit for k in kids if (hit := _item(k, node_id)) is not None), None)


def test_pregnancy_intention_does_not_apply_to_a_male_patient():
    """NCT05581004 exc-1 (pregnant, breastfeeding, or intending to become pregnant): the
    intention part is `all[sex female, unparsed]`, so a man is not excluded by it (MET) and a
    woman's intention stays to confirm."""
    from tests.unit.matching.helpers import outcome, patient
    from tests.unit.matching.test_evidence_rules import view

    [doc] = [t for t in load_catalogue(ROOT / "criteria") if t.trial_id == "NCT05581004"]
    exc1 = _item(doc.criteria, "exc-1")
    man, woman = patient(sex="male"), patient(sex="female")
    assert view(outcome(exc1, man))[0] == "met"
    got = view(outcome(exc1, woman))
    assert (got[0], sorted({kind for _, kind in got[2]})) == ("unknown", ["to_confirm"])
