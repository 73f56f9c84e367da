import json

from trialmatch.geo import Site
from trialmatch.match_view import engine_limit, render_body, with_fields
from trialmatch.result_filters import Filters

VIEW = {
    "results": [
        {"trial_id": "NCT1", "title": "a", "phase": "PHASE2", "status": "RECRUITING", "result_class": "possible",
         "score": 0.5, "criteria": {"id": "c", "type": "all", "text": None, "verdict": "unknown", "reason": "r",
                                    "evidence": [], "missing": [], "children": []}, "arms": []},
        {"trial_id": "NCT2", "title": "b", "phase": "PHASE3", "status": "COMPLETED", "result_class": "ineligible",
         "score": 0.0, "criteria": {"id": "c", "type": "all", "text": None, "verdict": "not_met", "reason": "r",
                                    "evidence": [], "missing": [], "children": []}, "arms": []},
    ],
    "patient_postal_code": "02115", "engine_version": "e", "catalogue_version": "v", "service_version": "s",
}
SITES = {"NCT1": (Site("Boston", "02114", "RECRUITING", country="United States"),), "NCT2": ()}


def test_with_fields_adds_keys_without_decoding():
    assert json.loads(with_fields('{"a":1}', {"mode": "cache", "cached": True})) == {"mode": "cache", "cached": True,
                                                                                     "a": 1}
    assert json.loads(with_fields("{}", {"x": 1})) == {"x": 1}
    assert with_fields('{"a":1}', {}) == '{"a":1}'


def test_the_engine_explains_only_the_limit_unless_a_filter_may_drop_top_results():
    assert engine_limit(Filters(limit=50)) == 50
    assert engine_limit(Filters()) is None
    assert engine_limit(Filters(limit=50, phases=frozenset({"PHASE2"}))) is None
    assert engine_limit(Filters(limit=50, zip_code="02115")) is None


def test_the_patient_postal_code_is_used_for_distances_and_never_returned():
    body = render_body(VIEW, filters=Filters(), fmt="json", sites=SITES)
    assert "patient_postal_code" not in body
    assert body["results"][0]["distance"] < 5 and body["results"][1]["distance"] == "unknown"


def test_filters_then_formats():
    body = render_body(VIEW, filters=Filters(statuses=frozenset({"RECRUITING"})), fmt="fhir", sites=SITES)
    assert body["resourceType"] == "Bundle" and [e["resource"]["id"] for e in body["entry"]] == ["NCT1"]
    wrapped = render_body(VIEW, filters=Filters(), fmt="fhir-parameters", sites=SITES)
    assert wrapped["parameter"][0]["name"] == "trialMatchOutput"
    assert wrapped["parameter"][0]["resource"]["total"] == 2


def test_a_study_type_filter_keeps_unknown_types_and_marks_them():
    types = {"NCT1": "INTERVENTIONAL", "NCT2": None}
    body = render_body(VIEW, filters=Filters(study_types=frozenset({"OBSERVATIONAL"})), fmt="json", sites=SITES,
                       study_types=types)
    assert [(r["trial_id"], r.get("study_type_unknown")) for r in body["results"]] == [("NCT2", True)]
    body = render_body(VIEW, filters=Filters(study_types=frozenset({"INTERVENTIONAL"})), fmt="json", sites=SITES,
                       study_types=types)
    assert [r["trial_id"] for r in body["results"]] == ["NCT1", "NCT2"]
