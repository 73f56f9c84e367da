"""Measurable disease and life expectancy over HTTP: a trial asking for them is UNKNOWN (to
confirm, naming what) for a Bundle alone, and decided by the clinician's entered facts
(measurable_disease, life_expectancy), with the entered evidence shown; a bad entered
assessment is refused before any job. Real Redis, a real Celery worker, SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import BUNDLES, CATALOGUE

pytestmark = pytest.mark.integration

AS_OF = "2026-11-26"
BUNDLE = BUNDLES / "mcode-ig-assembled" / "Bundle-assembled-cancer-patient-john-anyperson.json"
CRITERIA = {"type": "all", "id": "root", "items": [
    {"type": "measurable", "criteria": "RECIST 1.1", "text": "Measurable disease per RECIST 1.1", "id": "meas"},
    {"type": "life_expectancy", "min_days": 84, "text": "Life expectancy of at least 12 weeks", "id": "life"},
    {"type": "not", "id": "short", "item": {"type": "not", "item": {"type": "life_expectancy", "min_days": 182}}},
]}


def walk(outcome: dict):
    yield outcome
    for child in outcome["children"]:
        yield from walk(child)


def node(result: dict, node_id: str) -> dict:
    return next(o for o in walk(result["criteria"]) if o["id"] == node_id)


def match(stack, body: dict):
    return stack.client.post(f"/api/v1/match?as_of={AS_OF}", data=json.dumps(body), content_type="application/json")


@pytest.fixture
def assessment_trial(stack):
    admin = stack.client_as("admin")
    document = json.loads((CATALOGUE / "NCT05266105.json").read_text())
    trial_id = f"TEST-{stack.database}-assessment"
    document.update(trial_id=trial_id, criteria=CRITERIA, conditions=[], study_type="INTERVENTIONAL")
    document.pop("arms", None)
    created = admin.post("/api/v1/trials", data=json.dumps(document), content_type="application/json")
    assert created.status_code in (200, 201), created.get_json()
    stack.app.extensions["trialmatch"].catalogues._checked_at = float("-inf")  # skip the 1 s re-check interval
    yield trial_id
    admin.delete(f"/api/v1/trials/{trial_id}")
    stack.app.extensions["trialmatch"].catalogues._checked_at = float("-inf")


def test_entered_assessments_decide_measurable_disease_and_life_expectancy(stack, assessment_trial):
    bundle = json.loads(BUNDLE.read_bytes())
    before = match(stack, {"bundle": bundle})
    assert before.status_code == 200, before.get_data(as_text=True)[:500]
    result = next(r for r in before.get_json()["results"] if r["trial_id"] == assessment_trial)
    assert result["result_class"] == "possible"
    for node_id, item in (("meas", "measurable disease per RECIST 1.1"), ("life", "life expectancy ≥ 12 weeks")):
        unknown = node(result, node_id)
        assert unknown["verdict"] == "unknown"
        assert unknown["missing"] == [{"item": item, "kind": "to_confirm"}]

    entered = {"measurable_disease": [{"value": True, "criteria": "RECIST 1.1", "date": "2026-11-20"}],
               "life_expectancy": [{"months": 4, "date": "2026-11-20"}]}
    after = match(stack, {"bundle": bundle, "entered_facts": entered})
    assert after.status_code == 200 and after.headers["X-Cache"] == "miss"
    result = next(r for r in after.get_json()["results"] if r["trial_id"] == assessment_trial)
    measurable, life, short = node(result, "meas"), node(result, "life"), node(result, "short")
    assert measurable["verdict"] == "met"
    assert [e["reference"] for e in measurable["evidence"]] == ["entered:measurable_disease[0]"]
    assert life["verdict"] == "met"  # 4 months = 121 days >= 84
    assert [(e["reference"], e["value"]) for e in life["evidence"]] == [("entered:life_expectancy[0]", "estimated 121 days")]
    assert short["verdict"] == "not_met"  # excluded: life expectancy < 6 months
    assert result["result_class"] == "ineligible"

    stale = {"measurable_disease": [{"value": True, "criteria": "RECIST 1.1", "date": "2026-08-01"}]}
    old = match(stack, {"bundle": bundle, "entered_facts": stale})
    result = next(r for r in old.get_json()["results"] if r["trial_id"] == assessment_trial)
    assert node(result, "meas")["verdict"] == "unknown"  # older than the 60-day window
    assert node(result, "meas")["missing"] == [{"item": "measurable disease per RECIST 1.1", "kind": "to_confirm"}]


def test_bad_entered_assessments_are_refused_before_any_job(stack):
    bundle = json.loads(BUNDLE.read_bytes())
    for entered, where in (
            ({"life_expectancy": [{"days": 90, "months": 3, "date": "2026-11-20"}]}, "entered_facts.life_expectancy[0]"),
            ({"measurable_disease": [{"value": True, "criteria": "RECIST v1.1", "date": "2026-11-20"}]},
             "entered_facts.measurable_disease[0].criteria")):
        response = match(stack, {"bundle": bundle, "entered_facts": entered})
        assert response.status_code == 400
        assert response.get_json()["issue"][0]["expression"] == [where]
