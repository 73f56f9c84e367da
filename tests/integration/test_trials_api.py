"""Sponsors at the HTTP level: upload, review, override, versions, retire, roles and ownership,
and the cache invalidation a new criteria version causes."""

from __future__ import annotations

import copy
import json
import time

import pytest

from tests.integration.conftest import BUNDLES, CATALOGUE, ROOT

pytestmark = pytest.mark.integration
BUNDLE = BUNDLES / "mcode-ig-assembled" / "Bundle-assembled-cancer-patient-john-anyperson.json"
CTML_DIR = ROOT / "tests" / "data" / "matchminer" / "wintermutant-demo"


def new_trial(trial_id: str) -> dict:
    document = json.loads((CATALOGUE / "NCT05266105.json").read_text())
    document["trial_id"] = trial_id
    return document


def upload(client, body: dict):
    return client.post("/api/v1/trials", data=json.dumps(body), content_type="application/json")


def poll(client, location: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = client.get(location).get_json()
        if body["status"] not in ("queued", "running"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{location} not finished")


def test_a_sponsor_uploads_reviews_overrides_and_retires_its_trial(stack):
    sponsor = stack.client_as("sponsor")
    trial_id = f"TEST-{stack.database}-1"
    created = upload(sponsor, new_trial(trial_id))
    assert created.status_code == 201, created.get_json()
    assert created.get_json() == {"trial_id": trial_id, "version": 1, "created": True}
    assert upload(sponsor, new_trial(trial_id)).status_code == 200  # unchanged: no new version

    items = sponsor.get(f"/api/v1/trials/{trial_id}/criteria").get_json()
    assert items["version"] == 1
    unparsed = [i for i in items["items"] if i["status"] == "unparsed"]
    assert unparsed, "the document has unparsed items to correct"
    target = unparsed[0]
    override = {"overrides": [{"id": target["id"], "node": {"type": "performance_status", "max": 1}}]}
    changed = sponsor.put(f"/api/v1/trials/{trial_id}/criteria", data=json.dumps(override),
                          content_type="application/json")
    assert changed.status_code == 200 and changed.get_json()["version"] == 2
    after = sponsor.get(f"/api/v1/trials/{trial_id}/criteria").get_json()
    corrected = next(i for i in after["items"] if i["id"] == target["id"])
    assert corrected["status"] == "structured" and corrected["parse"]["type"] == "performance_status"
    assert corrected["text"] == target["text"]  # the source text stays visible
    old = sponsor.get(f"/api/v1/trials/{trial_id}/criteria?version=1").get_json()
    assert next(i for i in old["items"] if i["id"] == target["id"])["status"] == "unparsed"

    versions = sponsor.get(f"/api/v1/trials/{trial_id}/versions").get_json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    assert all(v["author"] == "test sponsor" and v["created_at"] for v in versions)

    assert sponsor.delete(f"/api/v1/trials/{trial_id}").status_code == 204
    listed = [t["trial_id"] for t in sponsor.get("/api/v1/trials").get_json()["trials"]]
    assert trial_id not in listed
    assert stack.client.get(f"/api/v1/trials/{trial_id}").get_json()["active"] is False


def test_roles_and_ownership(stack):
    trial_id = f"TEST-{stack.database}-2"
    sponsor, other, clinician, admin = (stack.client_as(r) for r in ("sponsor", "other_sponsor", "clinician", "admin"))
    assert upload(sponsor, new_trial(trial_id)).status_code == 201
    assert upload(clinician, new_trial(trial_id + "-c")).status_code == 403
    denied = other.put(f"/api/v1/trials/{trial_id}/criteria",
                       data=json.dumps({"overrides": [{"id": "inc-1", "node": {"type": "age", "min": 21}}]}),
                       content_type="application/json")
    assert denied.status_code == 403 and "another sponsor" in denied.get_json()["detail"]
    assert other.delete(f"/api/v1/trials/{trial_id}").status_code == 403
    changed = copy.deepcopy(new_trial(trial_id))
    changed["title"] = "hijacked"
    assert upload(other, changed).status_code == 403
    assert admin.delete(f"/api/v1/trials/{trial_id}").status_code == 204
    assert stack.app.test_client().get("/api/v1/trials").status_code == 401


def test_bad_uploads_name_the_problem(stack):
    sponsor = stack.client_as("sponsor")
    bad = new_trial("TEST-bad")
    bad["criteria"]["items"][0] = {"type": "age", "min": "eighteen"}
    response = upload(sponsor, bad)
    assert response.status_code == 400 and "criteria.items[0]" in response.get_json()["detail"]
    response = sponsor.post("/api/v1/trials", data=b"{oops", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.get_json()["detail"]
    response = upload(sponsor, {"hello": "world"})
    assert response.status_code == 400 and "not a recognised trial format" in response.get_json()["detail"]
    assert sponsor.get("/api/v1/trials/NO-SUCH/criteria").status_code == 404


def test_a_ctml_trial_is_converted_and_stored(stack):
    sponsor = stack.client_as("sponsor")
    ctml_file = sorted((CTML_DIR / "trials").iterdir())[0] if (CTML_DIR / "trials").is_dir() else None
    if ctml_file is None:
        ctml_file = next(p for p in (ROOT / "tests" / "data" / "matchminer").rglob("*.json") if "trial" in p.name.lower())
    ctml = json.loads(ctml_file.read_text())
    ctml = ctml[0] if isinstance(ctml, list) else ctml
    response = upload(sponsor, ctml)
    assert response.status_code in (200, 201), response.get_json()
    trial_id = response.get_json()["trial_id"]
    items = sponsor.get(f"/api/v1/trials/{trial_id}/criteria").get_json()["items"]
    assert any(i["scope"].startswith("arm:") for i in items)


def test_a_new_criteria_version_stops_old_cache_entries_from_being_served(stack):
    clinician, admin = stack.client_as("clinician"), stack.client_as("admin")
    body = BUNDLE.read_bytes()
    first = clinician.post("/api/v1/match?as_of=2026-11-26", data=body, content_type="application/fhir+json")
    second = clinician.post("/api/v1/match?as_of=2026-11-26", data=body, content_type="application/fhir+json")
    assert first.status_code == 200, first.get_json()
    assert second.headers.get("X-Cache") == "hit", (second.status_code, second.get_json())
    trial_id = f"TEST-{stack.database}-3"
    assert upload(admin, new_trial(trial_id)).status_code == 201
    stack.app.extensions["trialmatch"].catalogues._checked_at = float("-inf")  # skip the 1 s re-check interval
    after = clinician.post("/api/v1/match?as_of=2026-11-26", data=body, content_type="application/fhir+json")
    assert after.headers["X-Cache"] == "miss"
    assert after.get_json()["catalogue_version"] != first.get_json()["catalogue_version"]
    assert after.get_json()["trials_indexed"] == first.get_json()["trials_indexed"] + 1
    admin.delete(f"/api/v1/trials/{trial_id}")
