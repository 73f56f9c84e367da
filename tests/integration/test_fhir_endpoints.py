"""The FHIR faces of matching: Accept: application/fhir+json, the CodeX /getClinicalTrial and
ResearchStudy/$match forms, and the search filters, validated with the R4B models."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.parameters import Parameters

from tests.integration.conftest import BUNDLES

pytestmark = pytest.mark.integration
BUNDLE = BUNDLES / "mcode-ig-assembled" / "Bundle-assembled-cancer-patient-john-anyperson.json"
FHIR = "application/fhir+json"
EXT = "http://trialmatch.dev/fhir/StructureDefinition/"


def searchset_studies(bundle: dict) -> dict:
    Bundle.model_validate(bundle)  # a valid R4 resource
    assert bundle["type"] == "searchset"
    return {e["resource"]["id"]: e for e in bundle["entry"]}


def test_accept_fhir_gives_a_searchset_of_research_studies_with_explanations(stack):
    plain = stack.client.post("/api/v1/match?as_of=2026-11-26", data=BUNDLE.read_bytes(), content_type=FHIR).get_json()
    response = stack.client.post("/api/v1/match?as_of=2026-11-26", data=BUNDLE.read_bytes(), content_type=FHIR,
                                 headers={"Accept": FHIR})
    assert response.status_code == 200 and response.mimetype == FHIR
    studies = searchset_studies(response.get_json())
    assert list(studies) == [r["trial_id"] for r in plain["results"]]
    for result in plain["results"]:
        entry = studies[result["trial_id"]]
        assert entry["search"] == {"mode": "match", "score": result["score"]}
        extensions = entry["resource"]["extension"]
        assert {"url": EXT + "match-result", "valueCode": result["result_class"]} in extensions
        criteria = [e for e in extensions if e["url"] == EXT + "criterion"]
        assert len(criteria) >= len(result["criteria"]["children"])


def test_get_clinical_trial_takes_parameters_inside_the_bundle(stack):
    bundle = json.loads(BUNDLE.read_bytes())
    bundle["entry"].append({"resource": {"resourceType": "Parameters", "parameter": [
        {"name": "zipCode", "valueString": "02115"}, {"name": "travelRadius", "valueString": "5000"},
        {"name": "recruitmentStatus", "valueString": "RECRUITING"}]}})
    response = stack.client.post("/getClinicalTrial?as_of=2026-11-26", data=json.dumps(bundle), content_type=FHIR)
    assert response.status_code == 200, response.get_json()
    studies = searchset_studies(response.get_json())
    assert studies
    assert all(e["resource"]["status"] == "active" for e in studies.values())
    for entry in studies.values():
        site = [e for e in entry["resource"]["extension"] if e["url"] == EXT + "nearest-site"]
        assert len(site) == 1


def test_research_study_match_answers_parameters_with_the_output_bundle(stack):
    body = {"resourceType": "Parameters", "parameter": [
        {"name": "trialMatchClinicalData", "resource": json.loads(BUNDLE.read_bytes())},
        {"name": "phase", "valueString": "PHASE1,PHASE2"}]}
    response = stack.client.post("/ResearchStudy/$match?as_of=2026-11-26", data=json.dumps(body), content_type=FHIR)
    assert response.status_code == 200, response.get_json()
    parameters = response.get_json()
    Parameters.model_validate(parameters)
    output = parameters["parameter"][0]
    assert output["name"] == "trialMatchOutput"
    studies = searchset_studies(output["resource"])
    assert studies


def test_research_study_match_without_patient_data_names_the_parameter(stack):
    response = stack.client.post("/ResearchStudy/$match", data=json.dumps({"resourceType": "Parameters"}),
                                 content_type=FHIR)
    assert response.status_code == 400
    assert "trialMatchClinicalData" in response.get_json()["issue"][0]["diagnostics"]


def test_filters_keep_unknown_distances_and_limit_results(stack):
    url = "/api/v1/match?as_of=2026-11-26&zipCode=02115&travelRadius=100000&limit=3"
    body = stack.client.post(url, data=BUNDLE.read_bytes(), content_type=FHIR).get_json()
    assert len(body["results"]) <= 3
    assert body["filters"]["limit"] == 3 and body["filters"]["zip"] == "02115"
    for result in body["results"]:
        assert result["distance"] == "unknown" or isinstance(result["distance"], float)
    narrow = stack.client.post("/api/v1/match?as_of=2026-11-26&zipCode=02115&travelRadius=1", data=BUNDLE.read_bytes(),
                               content_type=FHIR).get_json()
    assert all(r["distance"] == "unknown" or r["distance"] <= 1 for r in narrow["results"])
    bad = stack.client.post("/api/v1/match?travelRadius=far", data=BUNDLE.read_bytes(), content_type=FHIR)
    assert bad.status_code == 400 and "travelRadius" in bad.get_json()["detail"]


def test_codex_endpoints_answer_errors_as_operation_outcomes(stack):
    bundle = json.loads(BUNDLE.read_bytes())
    bundle["entry"].append({"resource": {"resourceType": "Parameters",
                                         "parameter": [{"name": "travelRadius", "valueString": "far"}]}})
    response = stack.client.post("/getClinicalTrial", data=json.dumps(bundle), content_type=FHIR)
    assert response.status_code == 400
    assert response.get_json()["resourceType"] == "OperationOutcome"
    assert "travelRadius" in response.get_json()["issue"][0]["diagnostics"]
    sponsor = stack.client_as("sponsor")
    assert sponsor.post("/getClinicalTrial", data=json.dumps(bundle), content_type=FHIR).get_json()[
        "resourceType"] == "OperationOutcome"


def test_a_study_type_filter_keeps_only_that_type(stack):
    body = stack.client.post("/api/v1/match?as_of=2026-11-26&studyType=OBSERVATIONAL", data=BUNDLE.read_bytes(),
                             content_type=FHIR).get_json()
    assert body["filters"]["study_types"] == ["OBSERVATIONAL"]
    # NCT07124000 is the catalogue's one observational study; every document records its type
    assert {r["trial_id"] for r in body["results"]} <= {"NCT07124000"}
    assert not any(r.get("study_type_unknown") for r in body["results"])
