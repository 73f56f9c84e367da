"""The service without parts of its infrastructure: no Redis, no worker, no database."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.integration.conftest import BUNDLES, create_keys, load_catalogue
from trialmatch.api import create_app
from trialmatch.config import Settings
from trialmatch.embedded_redis import free_port

pytestmark = pytest.mark.integration
BUNDLE = BUNDLES / "mcode-ig-assembled" / "Bundle-assembled-cancer-patient-john-anyperson.json"


@pytest.fixture
def sqlite_url(tmp_path):
    url = f"sqlite:///{tmp_path}/trialmatch.db"
    load_catalogue(url)
    return url


def test_without_redis_matching_runs_in_process_and_readyz_says_degraded(sqlite_url):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    app = create_app(Settings(database_url=sqlite_url, redis_url=dead_redis, broker_timeout_seconds=0.2))
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {create_keys(sqlite_url)['clinician']}"
    response = client.post("/api/v1/match?as_of=2026-11-26", data=BUNDLE.read_bytes(),
                           content_type="application/fhir+json")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["mode"] == "in-process" and body["cached"] is False and body["results"]
    assert client.get("/readyz").get_json() == {"status": "degraded", "degraded": ["redis"]}
    asynchronous = client.post("/api/v1/match?mode=async", data=BUNDLE.read_bytes(),
                               content_type="application/fhir+json")
    assert asynchronous.status_code == 503 and asynchronous.headers["Retry-After"]


def test_when_the_wait_runs_out_the_answer_is_202_and_the_job_stays_queued(sqlite_url, redis_url):
    # A queue no worker consumes: the job cannot finish within the (zero) wait.
    settings = Settings(database_url=sqlite_url, redis_url=redis_url, match_wait_seconds=0.0,
                        queue="nobody-" + uuid.uuid4().hex[:8])
    client = create_app(settings).test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {create_keys(sqlite_url)['clinician']}"
    response = client.post("/api/v1/match?as_of=2026-11-26", data=BUNDLE.read_bytes(),
                           content_type="application/fhir+json", headers={"Cache-Control": "no-cache"})
    assert response.status_code == 202
    time.sleep(0.2)
    assert client.get(response.headers["Location"]).get_json()["status"] == "queued"


def test_readyz_is_503_when_postgres_is_unreachable():
    app = create_app(Settings(database_url=f"postgresql://postgres@127.0.0.1:{free_port()}/test"))
    assert app.test_client().get("/readyz").status_code == 503


def test_redis_stopped_mid_test_the_service_keeps_matching_uncached(sqlite_url):
    from tests.services import EmbeddedRedis

    server = EmbeddedRedis()
    try:
        settings = Settings(database_url=sqlite_url, redis_url=server.url, broker_timeout_seconds=0.2,
                            match_wait_seconds=0.0, queue="stopped-" + uuid.uuid4().hex[:8])
        client = create_app(settings).test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {create_keys(sqlite_url)['clinician']}"
        assert client.get("/readyz").get_json() == {"status": "ready"}
        queued = client.post("/api/v1/match?mode=async", data=BUNDLE.read_bytes(), content_type="application/fhir+json")
        assert queued.status_code == 202
    finally:
        server.stop()  # Redis goes away while the service runs
    response = client.post("/api/v1/match?as_of=2026-11-26", data=BUNDLE.read_bytes(),
                           content_type="application/fhir+json")
    assert response.status_code == 200 and response.get_json()["mode"] == "in-process"
    assert client.get("/readyz").get_json() == {"status": "degraded", "degraded": ["redis"]}
    job = client.get(queued.headers["Location"])
    assert job.status_code == 503 and job.headers["Retry-After"]
    assert client.post("/api/v1/match?mode=async", data=BUNDLE.read_bytes(),
                       content_type="application/fhir+json").status_code == 503


def test_a_match_request_is_logged_with_key_and_patient_hash_but_no_patient_data(sqlite_url, caplog):
    import json
    import logging

    app = create_app(Settings(database_url=sqlite_url))
    client = app.test_client()
    keys = create_keys(sqlite_url)
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {keys['clinician']}"
    bundle = json.loads(BUNDLE.read_bytes())
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    with caplog.at_level(logging.DEBUG, logger="trialmatch"):
        assert client.post("/api/v1/match?as_of=2026-11-26", data=BUNDLE.read_bytes(),
                           content_type="application/fhir+json").status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "trialmatch.requests"]
    assert len(lines) == 1 and lines[0].startswith("match key=") and "patient=" in lines[0]
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for value in (patient.get("birthDate"), patient["name"][0]["family"], patient.get("id"),
                  patient["address"][0].get("postalCode")):
        assert value and value not in everything
