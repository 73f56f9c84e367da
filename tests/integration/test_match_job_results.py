"""How a match job's outcome reaches the requests waiting for it (issue #7, throughput): the
worker publishes it to the job's result list in Redis (trialmatch.cache.JobResults) and waiting
requests block on that list; the Celery result backend keeps only the outcome's header, so the
rendered body is neither JSON-encoded a second time nor stored twice."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
import redis

from tests.integration.conftest import BUNDLES, create_keys, load_catalogue
from trialmatch.api import create_app
from trialmatch.api.jobs import JOB_KEY
from trialmatch.cache import RESULT_KEY_PREFIX, JobResults, decode_outcome, encode_outcome
from trialmatch.config import Settings

pytestmark = pytest.mark.integration

AS_OF = "2026-11-26"
BUNDLE = BUNDLES / "mcode-ig-assembled" / "Bundle-assembled-cancer-patient-john-anyperson.json"


def post_match(client, *, headers: dict | None = None, query: str = f"as_of={AS_OF}"):
    return client.post(f"/api/v1/match?{query}", data=BUNDLE.read_bytes(), content_type="application/fhir+json",
                       headers=headers or {})


def test_an_outcome_round_trips_with_its_body_text_unchanged():
    body = '{"results":[{"trial_id":"NCT1","title":"≥ 18 years\\nand \\"quoted\\""}],"n":1}'
    outcome = decode_outcome(encode_outcome({"status": "done", "body": body}))
    assert outcome == {"status": "done", "body": body}
    failed = {"status": "failed", "error": {"kind": "patient_data", "message": "m", "issues": [["a", "b\nc"]]}}
    assert decode_outcome(encode_outcome(failed)) == failed


def test_every_waiter_gets_the_outcome_and_it_stays_for_later_reads(redis_url):
    client = redis.Redis.from_url(redis_url)
    results = JobResults(client, ttl_seconds=60)
    job_id = "test-" + uuid.uuid4().hex
    got = []

    def waiter():
        got.append(results.wait(job_id, 20))

    waiters = [threading.Thread(target=waiter) for _ in range(3)]
    for thread in waiters:
        thread.start()
    results.publish(job_id, {"status": "done", "body": '{"results":[]}'})
    for thread in waiters:
        thread.join(30)
    assert got == [{"status": "done", "body": '{"results":[]}'}] * 3
    assert results.get(job_id) == {"status": "done", "body": '{"results":[]}'}
    assert results.wait(job_id, 0.1) == {"status": "done", "body": '{"results":[]}'}
    assert 0 < client.ttl(RESULT_KEY_PREFIX + job_id) <= 60
    client.delete(RESULT_KEY_PREFIX + job_id)


def test_a_job_delivered_twice_keeps_one_outcome_and_an_unfinished_job_has_none(redis_url):
    client = redis.Redis.from_url(redis_url)
    results = JobResults(client, ttl_seconds=60)
    job_id = "test-" + uuid.uuid4().hex
    assert results.wait(job_id, 0.05) is None and results.get(job_id) is None
    results.publish(job_id, {"status": "done", "body": "{}"})
    results.publish(job_id, {"status": "done", "body": '{"second":true}'})
    assert client.llen(RESULT_KEY_PREFIX + job_id) == 1
    assert results.get(job_id) == {"status": "done", "body": '{"second":true}'}
    client.delete(RESULT_KEY_PREFIX + job_id)


def test_the_result_backend_keeps_the_header_and_the_job_list_the_body(stack):
    response = post_match(stack.client, headers={"Cache-Control": "no-cache"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = response.get_json()
    job_id = body["job"]
    backend = stack.app.extensions["celery"].backend
    deadline = time.monotonic() + 30
    while backend.get_task_meta(job_id)["status"] == "STARTED":  # the answer may leave before Celery records it
        assert time.monotonic() < deadline, "the task never finished"
        time.sleep(0.05)
    meta = backend.get_task_meta(job_id)
    assert meta["status"] == "SUCCESS" and meta["result"] == {"status": "done"}
    stored = stack.app.extensions["trialmatch"].job_results.get(job_id)
    assert json.loads(stored["body"])["results"] == body["results"]
    job = stack.client.get(f"/api/v1/jobs/{job_id}").get_json()
    assert job["status"] == "done" and job["result"]["results"] == body["results"]


def test_requests_sharing_an_idempotency_key_all_get_the_result(stack):
    headers = {"Idempotency-Key": f"wait-{uuid.uuid4().hex}", "Cache-Control": "no-cache"}
    answers = []

    def request():
        answers.append(post_match(stack.app.test_client(), headers={
            **headers, "Authorization": f"Bearer {stack.keys['clinician']}"}))

    threads = [threading.Thread(target=request) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in answers] == [200, 200, 200]
    bodies = [a.get_json() for a in answers]
    assert len({b["job"] for b in bodies}) == 1
    assert bodies[0]["results"] and all(b["results"] == bodies[0]["results"] for b in bodies)


def test_a_job_that_raised_is_reported_at_once_not_after_the_wait(stack):
    # a task message the worker cannot run (as_of is not a date): the task raises
    celery_app = stack.app.extensions["celery"]
    job = celery_app.send_task("trialmatch.match", kwargs={"bundle": {}, "as_of": "not a date"})
    stack.redis.set(JOB_KEY + job.id, "trialmatch.match", ex=60)
    results = stack.app.extensions["trialmatch"].job_results
    assert results.wait(job.id, 30) == {"status": "error"}
    answer = stack.client.get(f"/api/v1/jobs/{job.id}").get_json()
    assert answer["status"] == "error" and "not a date" not in json.dumps(answer)


@pytest.fixture
def sqlite_url(tmp_path):
    url = f"sqlite:///{tmp_path}/trialmatch.db"
    load_catalogue(url)
    return url


def test_redis_lost_while_a_request_waits_the_request_is_answered_in_process(sqlite_url):
    from tests.services import EmbeddedRedis

    server = EmbeddedRedis()
    try:
        # no worker consumes this queue: the request waits until Redis goes away
        settings = Settings(database_url=sqlite_url, redis_url=server.url, broker_timeout_seconds=0.2,
                            match_wait_seconds=30, queue="lost-" + uuid.uuid4().hex[:8])
        app = create_app(settings)
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {create_keys(sqlite_url)['clinician']}"
        answers = []
        waiting = threading.Thread(target=lambda: answers.append(post_match(client)))
        waiting.start()
        watcher = redis.Redis.from_url(server.url)
        deadline = time.monotonic() + 30
        while not any(watcher.scan_iter(match=JOB_KEY + "*")):  # the job is submitted: the request waits
            assert time.monotonic() < deadline, "the request never submitted its job"
            time.sleep(0.05)
        watcher.close()
    finally:
        server.stop()
    waiting.join(60)
    assert answers and answers[0].status_code == 200, answers and answers[0].get_data(as_text=True)[:300]
    assert answers[0].get_json()["mode"] == "in-process" and answers[0].get_json()["results"]


def test_sending_a_job_subscribes_to_nothing(stack):
    response = post_match(stack.client, headers={"Cache-Control": "no-cache", "Prefer": "respond-async"})
    assert response.status_code == 202
    job_id = response.get_json()["id"]
    channel = f"celery-task-meta-{job_id}"
    assert stack.redis.pubsub_numsub(channel) == [(channel.encode(), 0)]


def test_the_job_message_names_its_arguments_without_their_values(sqlite_url, redis_url):
    queue = "nobody-" + uuid.uuid4().hex[:8]  # no worker: the message stays in the queue to be read
    settings = Settings(database_url=sqlite_url, redis_url=redis_url, queue=queue)
    client = create_app(settings).test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {create_keys(sqlite_url)['clinician']}"
    assert post_match(client, headers={"Prefer": "respond-async"}).status_code == 202
    broker = redis.Redis.from_url(redis_url)
    [raw] = broker.lrange(queue, 0, -1)
    broker.delete(queue)
    headers = json.loads(raw)["headers"]
    assert headers["kwargsrepr"] == "{as_of, bundle, catalogue_version, entered, filters, fmt}"
    assert "Anyperson" in BUNDLE.read_text() and "Anyperson" not in json.dumps(headers)  # the patient's name
