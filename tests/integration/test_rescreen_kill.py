"""SIGKILL a worker in the middle of a rescreen: the rescreen completes on another worker and
its results equal those of an uninterrupted run (matching each patient one by one)."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import delete

from tests import services as real
from tests.integration.conftest import BUNDLES, create_keys, load_catalogue, stack_env
from tests.integration.test_rescreen_api import expected_classes, own_postgres_schema
from trialmatch import rescreen
from trialmatch.api import create_app
from trialmatch.config import Settings
from trialmatch.errors import PatientDataError
from trialmatch.mcode import extract_facts
from trialmatch.store import registry
from trialmatch.vocab import load_vocabulary
from workers.rescreen_tasks import DISPATCH_TASK

pytestmark = pytest.mark.integration
COPIES = 1  # each accepted test bundle once: about 23 one-patient chunks


def register_without_results(sessionmaker, vocab) -> dict:
    """Register the accepted test bundles and drop the rescreens that planned (theirs, and the
    first screening against the catalogue), so the registry starts with no stored results and
    nothing else to run."""
    now = datetime.now(timezone.utc)
    bundles = {}
    for path in sorted(BUNDLES.rglob("*.json")):
        bundle = json.loads(path.read_text(encoding="utf-8"))
        try:
            extract_facts(bundle, vocab)
        except PatientDataError:
            continue
        for copy in range(COPIES):
            patient_id = f"k{copy}-{path.stem}"[:64]
            rescreen.save_patient(sessionmaker=sessionmaker, bundle=bundle, vocab=vocab, now=now,
                                  patient_id=patient_id)
            bundles[patient_id] = bundle
    with sessionmaker.begin() as session:
        rescreen.trial_changed(session, now=now)
        session.flush()
        session.execute(delete(registry.Rescreen))
    return bundles


def wait_done_with_beat(client, location: str, celery_app, seconds: float) -> dict:
    """Wait for the rescreen as a deployment runs it: beat sends the dispatcher periodically (every
    15 s there, every 2 s here), which sends again the chunks pending longer than twice the
    visibility timeout. The broker's redelivery covers a chunk the killed worker held; a message
    the worker had taken off the queue but not yet recorded as unacknowledged (the Redis
    transport's gap between BRPOP and its bookkeeping) is lost to the broker, and only the
    dispatcher recovers it (the likely cause of two fresh-clone CI runs whose rescreen stalled
    with one chunk never redelivered)."""
    deadline, next_beat = time.monotonic() + seconds, 0.0
    while time.monotonic() < deadline:
        body = client.get(location).get_json()
        if body["status"] == "done":
            return body
        if time.monotonic() >= next_beat:
            celery_app.send_task(DISPATCH_TASK)
            next_beat = time.monotonic() + 2
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {location} to be done")


def test_a_killed_worker_chunk_runs_again_and_the_rescreen_completes(redis_url, postgres_base_url, tmp_path):
    with own_postgres_schema() as database_url:
        killed_worker_run(database_url, redis_url, tmp_path)


def killed_worker_run(database_url, redis_url, tmp_path):
    queue = "test-kill-" + uuid.uuid4().hex[:8]
    env = stack_env(database_url, redis_url, queue)
    env.update(TRIALMATCH_RESCREEN_CHUNK_SIZE="1", TRIALMATCH_VISIBILITY_TIMEOUT_SECONDS="3")
    load_catalogue(database_url)
    app = create_app(Settings.from_env(env))
    runtime = app.extensions["trialmatch"]
    bundles = register_without_results(runtime.sessionmaker, load_vocabulary())
    admin = app.test_client()
    admin.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {create_keys(database_url)['admin']}"
    first = real.Worker(env, queue, tmp_path / "first.log")
    second = None
    try:
        first.wait_ready(app.extensions["celery"])
        response = admin.post("/api/v1/rescreens", json={})
        assert response.status_code == 202
        location = response.headers["Location"]
        deadline = time.monotonic() + 60
        while admin.get(location).get_json()["chunks"]["done"] < 3:
            assert time.monotonic() < deadline, "the first worker did not start the rescreen"
            time.sleep(0.02)
        os.killpg(first.proc.pid, signal.SIGKILL)  # the worker's own process group (start_new_session)
        first.proc.wait(10)
        interrupted = admin.get(location).get_json()
        assert interrupted["status"] != "done", "the rescreen finished before the kill: nothing was tested"
        second = real.Worker(env, queue, tmp_path / "second.log")
        second.wait_ready(app.extensions["celery"])
        status = wait_done_with_beat(admin, location, app.extensions["celery"], seconds=90)
    finally:
        for worker in (first, second):
            if worker is not None:
                worker.stop()
    n_trials = len(runtime.catalogues.current().trials)
    expected = expected_classes(bundles, runtime.today())
    with runtime.sessionmaker() as session:
        stored = registry.all_records(session)
        events = registry.events_of(session, status["id"])
    runtime.engine.dispose()
    assert status["chunks"] == {"done": len(bundles), "total": len(bundles)}
    assert status["counts"]["pairs"] == len(bundles) * n_trials and status["errors"] == []
    assert stored == expected
    # from an empty registry every stored pair is one "newly" event, each recorded exactly once
    assert sorted((e.patient_id, e.trial_id, e.after) for e in events) == sorted(
        (p, t, c) for (p, t), c in expected.items())
