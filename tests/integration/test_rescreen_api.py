"""The registry and rescreens as an admin meets them: HTTP (Flask test client) against a real
Redis, a real Celery worker process and the store on SQLite and on PostgreSQL; change events
delivered to a local webhook receiver."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from datetime import date
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis

from tests import services as real
from tests.integration.conftest import BUNDLES, CATALOGUE, create_keys, load_catalogue, stack_env
from trialmatch import services
from trialmatch.api import create_app
from trialmatch.catalogue import build_catalogue
from trialmatch.config import Settings
from trialmatch.matching import match_patient
from trialmatch.mcode import extract_facts
from trialmatch.trial_document import load_document
from trialmatch.vocab import load_vocabulary
from trialmatch.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

pytestmark = pytest.mark.integration
SECRET = "integration-secret"
CHANGES = ("newly_eligible", "newly_possible", "no_longer_eligible", "no_longer_possible")
PATIENT_FILES = [
    "mcode-ig-assembled/Bundle-assembled-cancer-patient-john-anyperson.json",
    "mcode-ig-assembled/Bundle-assembled-cancer-patient-jenny-m.json",
    "mcode-ig-assembled/Bundle-assembled-gx-cancer-patient-adam-anyperson.json",
    "codex/clinical-trial-matching-app/TrialMatching_Patient01.json",
]


class Receiver:
    """A webhook receiver on 127.0.0.1 that keeps every verified delivery."""

    def __init__(self):
        self.deliveries: list[dict] = []
        self.rejected = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if verify(SECRET, self.headers[TIMESTAMP_HEADER], body, self.headers[SIGNATURE_HEADER]):
                    outer.deliveries.append(json.loads(body))
                    self.send_response(204)
                else:
                    outer.rejected += 1
                    self.send_response(401)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict]:
        return [e for d in self.deliveries for e in d["events"]]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def wait_until(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def wait_done(client, location: str, seconds: float = 60) -> dict:
    def done():
        body = client.get(location).get_json()
        return body if body["status"] == "done" else None

    return wait_until(done, seconds, f"{location} to be done")


def expected_classes(bundles: dict, as_of: date) -> dict:
    """{(patient id, trial id): class} of matching each patient one by one, in-process."""
    vocab = load_vocabulary()
    trials = [load_document(doc, where) for where, doc in services.read_documents(CATALOGUE)]
    catalogue = build_catalogue(trials, version="file", vocab=vocab)
    out = {}
    for patient_id, bundle in bundles.items():
        for r in match_patient(extract_facts(bundle, vocab), catalogue.index, as_of=as_of).results:
            if r.result_class in ("eligible", "possible"):
                out[(patient_id, r.trial_id)] = r.result_class
    return out


@contextmanager
def own_postgres_schema():
    """A PostgreSQL schema of its own (these tests retire trials and register patients: they
    must not share the session's schema with other modules)."""
    base = os.environ.get("TRIALMATCH_TEST_POSTGRES_URL", real.DEFAULT_POSTGRES)
    schema, url = real.postgres_schema_url(base)
    try:
        yield url
    finally:
        real.drop_postgres_schema(base, schema)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def rstack(request, redis_url, tmp_path_factory):
    with ExitStack() as cleanup:
        if request.param == "sqlite":
            database_url = f"sqlite:///{tmp_path_factory.mktemp('db')}/trialmatch.db"
        else:
            request.getfixturevalue("postgres_base_url")  # reachable (else skip, or fail in CI)
            database_url = cleanup.enter_context(own_postgres_schema())
        yield from _stack(database_url, redis_url, tmp_path_factory)


def _stack(database_url, redis_url, tmp_path_factory):
    receiver = Receiver()
    queue = "test-rescreen-" + uuid.uuid4().hex[:8]
    env = stack_env(database_url, redis_url, queue)
    env.update(TRIALMATCH_RESCREEN_CHUNK_SIZE="2", TRIALMATCH_VISIBILITY_TIMEOUT_SECONDS="30",
               TRIALMATCH_WEBHOOK_URL=receiver.url, TRIALMATCH_WEBHOOK_SECRET=SECRET)
    load_catalogue(database_url)
    app = create_app(Settings.from_env(env))
    worker = real.Worker(env, queue, tmp_path_factory.mktemp("worker") / "worker.log")
    try:
        worker.wait_ready(app.extensions["celery"])
        keys = create_keys(database_url)
        admin = app.test_client()
        admin.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {keys['admin']}"
        clinician = app.test_client()
        clinician.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {keys['clinician']}"
        yield {"app": app, "admin": admin, "clinician": clinician, "receiver": receiver,
               "celery": app.extensions["celery"], "today": app.extensions["trialmatch"].today()}
    finally:
        worker.stop()
        receiver.close()
        app.extensions["trialmatch"].engine.dispose()
        client = redis.Redis.from_url(redis_url)
        client.delete(queue)
        client.close()


def put_bundle(client, patient_id: str, path: str):
    return client.put(f"/api/v1/patients/{patient_id}", data=(BUNDLES / path).read_bytes(),
                      content_type="application/fhir+json")


def test_registered_patients_are_rescreened_and_match_as_one_by_one(rstack):
    admin = rstack["admin"]
    bundles = {f"p{i}": json.loads((BUNDLES / path).read_text()) for i, path in enumerate(PATIENT_FILES)}
    registered = []
    for i, path in enumerate(PATIENT_FILES):
        response = put_bundle(admin, f"p{i}", path)
        assert response.status_code == 201, response.get_json()
        registered.append(response.get_json())
        assert registered[-1]["changed"] is True and response.headers["Location"] == f"/api/v1/patients/p{i}"
    for body in registered:
        wait_done(admin, body["rescreen"])
    response = admin.post("/api/v1/rescreens", json={})
    assert response.status_code == 202
    status = wait_done(admin, response.headers["Location"])
    n = len(PATIENT_FILES)
    assert status["chunks"] == {"done": n // 2, "total": n // 2}
    assert status["counts"]["patients"] == n and status["errors"] == []
    assert {k: status["counts"][k] for k in CHANGES} == dict.fromkeys(CHANGES, 0)
    assert admin.get(response.headers["Location"] + "/events").get_json()["events"] == []
    got = {}
    for patient_id in bundles:
        view = admin.get(f"/api/v1/patients/{patient_id}").get_json()
        got.update({(patient_id, m["trial_id"]): m["class"] for m in view["matches"]})
    expected = expected_classes(bundles, rstack["today"])
    assert got == expected
    assert status["counts"]["eligible"] + status["counts"]["possible"] == len(expected)
    # every recorded change reached the webhook, signed
    wait_until(lambda: len(rstack["receiver"].events()) >= len(expected), 30, "webhook deliveries")
    delivered = {(e["patient_id"], e["trial_id"]): e["after"] for e in rstack["receiver"].events()}
    assert delivered == expected and rstack["receiver"].rejected == 0


def test_the_same_bundle_again_changes_nothing(rstack):
    response = put_bundle(rstack["admin"], "p0", PATIENT_FILES[0])
    assert response.status_code == 200
    assert response.get_json()["changed"] is False and response.get_json()["rescreen_id"] is None


def test_named_rescreen_and_unknown_names(rstack):
    admin = rstack["admin"]
    response = admin.post("/api/v1/rescreens", json={"trials": ["NCT05919329"], "patients": ["p0", "p1"]})
    assert response.status_code == 202
    status = wait_done(admin, response.headers["Location"])
    assert status["counts"]["pairs"] == 2 and status["trials"] == ["NCT05919329"]
    missing = admin.post("/api/v1/rescreens", json={"patients": ["p0", "nobody"]})
    assert missing.status_code == 404 and "nobody" in missing.get_json()["detail"]
    bad = admin.post("/api/v1/rescreens", json={"trial": ["x"]})
    assert bad.status_code == 400 and "trial" in bad.get_json()["detail"]
    assert admin.get("/api/v1/rescreens/nope").status_code == 404


def test_registry_is_for_admins_and_refuses_bad_bundles(rstack):
    assert put_bundle(rstack["clinician"], "p9", PATIENT_FILES[0]).status_code == 403
    assert rstack["clinician"].post("/api/v1/rescreens", json={}).status_code == 403
    bad = rstack["admin"].post("/api/v1/patients", data=b'{"resourceType": "Patient"}',
                               content_type="application/fhir+json")
    assert bad.status_code == 400 and bad.get_json()["resourceType"] == "OperationOutcome"
    assert rstack["admin"].put("/api/v1/patients/bad id!", json={"resourceType": "Bundle"}).status_code in (400, 404)


def test_a_retired_trial_is_rescreened_and_its_patients_told(rstack):
    admin = rstack["admin"]
    view = admin.get("/api/v1/patients/p0").get_json()
    trial_id = view["matches"][0]["trial_id"]
    before = {p: admin.get(f"/api/v1/patients/{p}").get_json() for p in ("p0", "p1", "p2", "p3")}
    holders = {p: next(m["class"] for m in v["matches"] if m["trial_id"] == trial_id)
               for p, v in before.items() if any(m["trial_id"] == trial_id for m in v["matches"])}
    assert admin.delete(f"/api/v1/trials/{trial_id}").status_code == 204
    rstack["celery"].send_task("trialmatch.rescreen.dispatch")  # what beat does every 15 s

    def withdrawn():
        return [e for e in rstack["receiver"].events() if e["trial_id"] == trial_id and e["after"] == "ineligible"]

    events = wait_until(lambda: len(withdrawn()) >= len(holders) and withdrawn(), 30, "withdrawal events")
    assert sorted((e["patient_id"], e["before"], e["change"]) for e in events) == sorted(
        (p, cls, "no_longer_eligible" if cls == "eligible" else "no_longer_possible") for p, cls in holders.items())
    for p in holders:
        assert trial_id not in [m["trial_id"] for m in admin.get(f"/api/v1/patients/{p}").get_json()["matches"]]


def test_delete_removes_the_patient_and_its_results(rstack):
    admin = rstack["admin"]
    assert admin.delete("/api/v1/patients/p3").status_code == 204
    assert admin.get("/api/v1/patients/p3").status_code == 404
    assert admin.delete("/api/v1/patients/p3").status_code == 404
