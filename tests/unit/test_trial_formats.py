import json
from pathlib import Path

import pytest

from trialmatch.errors import CriteriaError
from trialmatch.trial_formats import detect_format, research_study_record

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("body, fmt", [
    ({"trial_id": "NCT1", "criteria": {}}, "trialmatch"),
    ({"protocolSection": {}}, "ctgov_v2"),
    ({"resourceType": "ResearchStudy"}, "research_study"),
    ({"protocol_no": "1", "treatment_list": {}}, "ctml"),
    ({"nct_id": "NCT1", "eligibility": {"raw_text": ""}}, "ctgov_flat"),
])
def test_each_format_is_recognised(body, fmt):
    assert detect_format(body) == fmt


@pytest.mark.parametrize("body", [{}, {"resourceType": "Patient"}, [], "NCT1"])
def test_anything_else_is_refused_naming_the_formats(body):
    with pytest.raises(CriteriaError, match="body"):
        detect_format(body)


def test_a_codex_research_study_becomes_a_flat_record():
    study = json.loads((DATA / "trial-formats" / "clinical-trial-matching-service__complete_study.json").read_text())
    record = research_study_record(study)
    assert record["nct_id"] == "NCT02513394"
    assert record["eligibility"]["raw_text"].startswith("Inclusion Criteria:")
    assert record["phase"] == "Phase 3" and record["conditions"] == ["Breast Cancer"]


def test_a_research_study_without_eligibility_text_is_refused_naming_the_field():
    with pytest.raises(CriteriaError, match=r"enrollment\[0\]\.display"):
        research_study_record({"resourceType": "ResearchStudy", "id": "x"})


@pytest.mark.parametrize("raw, status", [("Recruiting", "RECRUITING"), ("Not yet recruiting", "NOT_YET_RECRUITING"),
                                         ("Active, not recruiting", "ACTIVE_NOT_RECRUITING"), ("active", "RECRUITING"),
                                         ("RECRUITING", "RECRUITING"), ("open-ish", None), (None, None)])
def test_statuses_become_the_registry_enum_or_nothing(raw, status):
    from trialmatch.trial_formats import normalise_status

    assert normalise_status(raw) == status


@pytest.mark.parametrize("raw, phase", [("Phase 2", "PHASE2"), ("Phase 1/Phase 2", "PHASE1_PHASE2"),
                                        ("PHASE2_PHASE3", "PHASE2_PHASE3"), ("Early Phase 1", "EARLY_PHASE1"),
                                        ("N/A", "NA"), ("Phase 1/Phase 3", None), ("", None)])
def test_phases_become_the_registry_enum_or_nothing(raw, phase):
    from trialmatch.trial_formats import normalise_phase

    assert normalise_phase(raw) == phase


def test_the_study_type_of_either_record_shape_is_read_and_normalised():
    from trialmatch.trial_formats import normalise_study_type, record_study_type

    assert record_study_type({"nct_id": "N", "study_type": "Interventional"}) == "Interventional"
    assert record_study_type({"protocolSection": {"designModule": {"studyType": "OBSERVATIONAL"}}}) == "OBSERVATIONAL"
    assert normalise_study_type("Interventional") == "INTERVENTIONAL"
    assert normalise_study_type("Expanded Access") == "EXPANDED_ACCESS"
    assert normalise_study_type("N/A") is None and normalise_study_type(None) is None


def test_a_bad_study_type_filter_is_refused_naming_the_parameter():
    from trialmatch.result_filters import parse_filters

    assert parse_filters(study_type="Interventional,observational").study_types == {"INTERVENTIONAL", "OBSERVATIONAL"}
    with pytest.raises(CriteriaError, match="studyType"):
        parse_filters(study_type="randomised")
