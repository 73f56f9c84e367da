"""Bad requests are refused before any matching, with a FHIR OperationOutcome naming the problem."""

import json
from datetime import datetime, timezone

import pytest

from trialmatch.api import create_app
from trialmatch.config import Settings
from trialmatch.store import keys
from trialmatch.store.database import make_engine, make_sessionmaker, migrate


def api_key(database_url: str, role: str) -> str:
    engine = make_engine(database_url)
    migrate(engine)
    with make_sessionmaker(engine).begin() as session:
        _caller, secret = keys.create_key(session, role=role, name=f"test {role}", now=datetime.now(timezone.utc))
    engine.dispose()
    return secret


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path}/t.db"


@pytest.fixture
def client(database_url):
    secret = api_key(database_url, "clinician")
    app = create_app(Settings(database_url=database_url, max_body_bytes=1000), vocab=object())
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def post(client, data, content_type="application/fhir+json"):
    return client.post("/api/v1/match", data=data, content_type=content_type)


def diagnostics(response) -> str:
    body = response.get_json()
    assert body["resourceType"] == "OperationOutcome"
    assert all(issue["severity"] == "error" for issue in body["issue"])
    return " ".join(issue["diagnostics"] for issue in body["issue"])


def test_malformed_json_is_400_naming_the_position(client):
    response = post(client, b'{"resourceType": "Bundle",')
    assert response.status_code == 400
    assert response.mimetype == "application/fhir+json"
    assert "not valid JSON" in diagnostics(response)


def test_a_resource_that_is_not_a_bundle_is_400_naming_resource_type(client):
    response = post(client, json.dumps({"resourceType": "Patient", "id": "p"}))
    assert response.status_code == 400
    body = response.get_json()
    assert body["issue"][0]["expression"] == ["resourceType"]
    assert "'Patient'" in diagnostics(response)


def test_a_json_array_is_400(client):
    response = post(client, b"[]")
    assert response.status_code == 400
    assert "expected a FHIR Bundle" in diagnostics(response)


def test_an_unsupported_content_type_is_400(client):
    response = post(client, b"<Bundle/>", content_type="application/xml")
    assert response.status_code == 400
    assert "content type" in diagnostics(response)


def test_an_oversized_body_is_413_with_an_outcome(client):
    response = post(client, b'{"resourceType": "Bundle", "entry": [' + b" " * 2000 + b"]}")
    assert response.status_code == 413
    assert "over the limit" in diagnostics(response)


def test_a_bad_as_of_is_400_naming_the_parameter(client):
    response = client.post("/api/v1/match?as_of=yesterday", data=json.dumps({"resourceType": "Bundle"}),
                           content_type="application/fhir+json")
    assert response.status_code == 400
    assert "as_of" in response.get_json()["detail"]


def test_an_unknown_job_without_redis_is_404_not_500(client):
    response = client.get("/api/v1/jobs/no-such-job")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_healthz_answers(client):
    assert client.get("/healthz").get_json() == {"status": "alive"}


def test_readyz_reports_redis_degraded_when_there_is_none(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded", "degraded": ["redis"]}


def test_readyz_is_503_when_the_database_is_down():
    app = create_app(Settings(database_url="postgresql://nobody@127.0.0.1:1/none"), vocab=object())
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["down"] == ["database"]


def test_an_unknown_route_is_a_json_problem(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_no_key_is_401_with_a_challenge(database_url):
    app = create_app(Settings(database_url=database_url), vocab=object())
    api_key(database_url, "clinician")
    response = app.test_client().post("/api/v1/match", data=b"{}", content_type="application/fhir+json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_key_is_401(database_url):
    api_key(database_url, "clinician")
    app = create_app(Settings(database_url=database_url), vocab=object())
    response = app.test_client().post("/api/v1/match", data=b"{}", content_type="application/fhir+json",
                                      headers={"X-API-Key": "tm_not-a-key"})
    assert response.status_code == 401


def test_a_sponsor_may_not_match(database_url):
    secret = api_key(database_url, "sponsor")
    app = create_app(Settings(database_url=database_url), vocab=object())
    response = app.test_client().post("/api/v1/match", data=b"{}", content_type="application/fhir+json",
                                      headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 403
    assert "sponsor" in response.get_json()["detail"]
