"""The first vertical slice at the level an EHR app meets it: HTTP in, a real Celery worker
process doing the matching, results cached in a real Redis, trials stored in SQLite and in
PostgreSQL (each test runs against both)."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from tests.integration.conftest import BUNDLES

pytestmark = pytest.mark.integration

AS_OF = "2026-11-26"
BUNDLE = BUNDLES / "mcode-ig-assembled" / "Bundle-assembled-cancer-patient-john-anyperson.json"
CLASS_ORDER = {"eligible": 0, "possible": 1, "ineligible": 2}


def post_match(stack, body: bytes, *, query: str = f"as_of={AS_OF}", headers: dict | None = None):
    return stack.client.post(f"/api/v1/match?{query}", data=body, content_type="application/fhir+json",
                             headers=headers or {})


def poll_job(stack, location: str, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = stack.client.get(location).get_json()
        if body["status"] not in ("queued", "running"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"job {location} not finished in {seconds} s")


def walk(outcome: dict):
    yield outcome
    for child in outcome["children"]:
        yield from walk(child)


def cached_keys(stack) -> list[bytes]:
    return list(stack.redis.scan_iter(match="trialmatch:match:*"))


def test_match_runs_on_the_worker_and_returns_ranked_trials_with_evidence(stack):
    response = post_match(stack, BUNDLE.read_bytes())
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["mode"] == "worker" and body["cached"] is False and body["job"]
    assert body["as_of"] == AS_OF
    trials = body["results"]
    assert trials, "the catalogue is not empty, so some trial must be reported"
    ranks = [CLASS_ORDER[t["result_class"]] for t in trials]
    assert ranks == sorted(ranks)
    for trial in trials:
        assert trial["criteria"]["children"], trial["trial_id"]
        for criterion in walk(trial["criteria"]):
            assert criterion["verdict"] in ("met", "not_met", "unknown")
            if criterion["verdict"] == "unknown" and criterion["type"] not in ("all", "any", "not"):
                assert criterion["missing"], criterion
    evidence = [e["reference"] for t in trials for c in walk(t["criteria"]) for e in c["evidence"]]
    assert any(ref.startswith("Patient/") for ref in evidence)
    assert any(ref.startswith("Condition/") for ref in evidence)


def test_a_second_identical_request_is_served_from_the_redis_cache(stack):
    first = post_match(stack, BUNDLE.read_bytes())
    assert first.status_code == 200
    keys = cached_keys(stack)
    assert len(keys) == 1 and AS_OF in keys[0].decode()
    second = post_match(stack, BUNDLE.read_bytes())
    assert second.status_code == 200 and second.headers["X-Cache"] == "hit"
    hit = second.get_json()
    assert hit["mode"] == "cache" and hit["cached"] is True
    assert hit["results"] == first.get_json()["results"]
    # the same bundle re-serialised with other whitespace and key order is the same key
    same = json.dumps(json.loads(BUNDLE.read_bytes()), indent=4, sort_keys=True).encode()
    assert post_match(stack, same).headers["X-Cache"] == "hit"
    assert cached_keys(stack) == keys


def test_another_as_of_date_is_another_cache_entry(stack):
    before = set(cached_keys(stack))
    response = post_match(stack, BUNDLE.read_bytes(), query="as_of=2025-01-01")
    assert response.status_code == 200 and response.headers["X-Cache"] == "miss"
    assert len(set(cached_keys(stack)) - before) == 1


def test_respond_async_answers_202_with_a_job_that_completes(stack):
    response = post_match(stack, BUNDLE.read_bytes(), headers={"Prefer": "respond-async"})
    assert response.status_code == 202
    location = response.headers["Location"]
    assert location.startswith("/api/v1/jobs/")
    job = poll_job(stack, location)
    assert job["status"] == "done"
    direct = post_match(stack, BUNDLE.read_bytes()).get_json()
    assert job["result"]["results"] == direct["results"]


def test_mode_async_query_parameter_is_the_same_as_prefer(stack):
    response = post_match(stack, BUNDLE.read_bytes(), query=f"as_of={AS_OF}&mode=async")
    assert response.status_code == 202
    assert poll_job(stack, response.headers["Location"])["status"] == "done"


def test_an_unknown_job_is_404(stack):
    response = stack.client.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


def test_a_bundle_with_nothing_usable_is_400_from_the_worker(stack):
    response = post_match(stack, json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []}).encode())
    assert response.status_code == 400
    outcome = response.get_json()
    assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"]


def test_a_failed_async_job_reports_its_outcome(stack):
    body = json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []}).encode()
    response = post_match(stack, body, headers={"Prefer": "respond-async"})
    job = poll_job(stack, response.headers["Location"])
    assert job["status"] == "failed"
    assert job["outcome"]["resourceType"] == "OperationOutcome"


def test_readyz_is_ready_with_database_and_redis(stack):
    response = stack.client.get("/readyz")
    assert response.status_code == 200 and response.get_json() == {"status": "ready"}


def test_an_idempotency_key_returns_the_same_job_and_refuses_another_request(stack):
    headers = {"Prefer": "respond-async", "Idempotency-Key": f"visit-{uuid.uuid4().hex}"}  # Redis outlives runs
    first = post_match(stack, BUNDLE.read_bytes(), headers=headers)
    again = post_match(stack, BUNDLE.read_bytes(), headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.headers["Location"] == again.headers["Location"]
    other = post_match(stack, BUNDLE.read_bytes(), query="as_of=2024-01-01", headers=headers)
    assert other.status_code == 400 and "Idempotency-Key" in other.get_json()["detail"]
    assert poll_job(stack, first.headers["Location"])["status"] == "done"


def find(outcome: dict, node_id: str) -> dict:
    return next(o for o in walk(outcome) if o["id"] == node_id)


def test_clinician_entered_facts_decide_what_the_record_left_unknown(stack):
    bundle = json.loads(BUNDLE.read_bytes())
    before = post_match(stack, json.dumps(bundle).encode()).get_json()
    # John's only ECOG is from 2019: too old to count, so ECOG criteria are UNKNOWN ...
    stale = [(r["trial_id"], o["id"]) for r in before["results"] for o in walk(r["criteria"])
             if o["type"] == "performance_status" and o["verdict"] == "unknown"]
    assert stale
    envelope = {"bundle": bundle,
                "entered_facts": {"performance": [{"scale": "ECOG", "value": 0, "date": "2026-11-20"}]}}
    after = post_match(stack, json.dumps(envelope).encode())
    assert after.status_code == 200 and after.headers["X-Cache"] == "miss"  # another patient state, another key
    results = {r["trial_id"]: r for r in after.get_json()["results"]}
    for trial_id, node_id in stale:  # ... and an ECOG 0 entered by the clinician decides them
        ecog = find(results[trial_id]["criteria"], node_id)
        assert ecog["verdict"] == "met", ecog
        assert [e["reference"] for e in ecog["evidence"]] == ["entered:performance[0]"]


@pytest.mark.parametrize("entered, where", [
    ({"performance": [{"scale": "ECOG", "value": 9, "date": "2026-11-20"}]}, "entered_facts.performance[0]"),
    # a misspelt drug would match nothing: refused with the vocabulary's words
    ({"allergies": [{"substances": ["carboplatn"], "date": "2026-11-20"}]}, "entered_facts.allergies[0].substances"),
    ({"immunizations": [{"codes": [{"system": "http://snomed.info/sct", "code": "03"}], "date": "2026-11-20"}]},
     "entered_facts.immunizations[0].codes[0]"),
])
def test_bad_entered_facts_are_refused_before_any_job(stack, entered, where):
    envelope = {"bundle": json.loads(BUNDLE.read_bytes()), "entered_facts": entered}
    response = post_match(stack, json.dumps(envelope).encode())
    assert response.status_code == 400
    assert response.get_json()["issue"][0]["expression"] == [where]
