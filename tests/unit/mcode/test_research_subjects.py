"""ResearchSubject / ResearchStudy -> StudyEnrolment facts (mcode/research_subjects.py): the real CodeX
bundles that hold them, study found by reference or by identifier, design and phase, defects dropped
with a warning naming the location (never a value)."""

from __future__ import annotations

from datetime import date

from trialmatch.domain.facts import StudyEnrolment
from trialmatch.mcode.extract import extract_facts
from tests.unit.mcode.bundle_builder import bundle, cc, patient
from tests.unit.mcode.conftest import load_bundle

PHASE = "http://terminology.hl7.org/CodeSystem/research-study-phase"
PURPOSE = "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type"


def subject(sid="rs1", status="on-study-intervention", study=None, individual="Patient/p1", **extra):
    r = {"resourceType": "ResearchSubject", "id": sid, "status": status,
         "study": study or {"reference": "ResearchStudy/st1"}, "individual": {"reference": individual}}
    r.update(extra)
    return r


def study(stid="st1", status="active", **extra):
    r = {"resourceType": "ResearchStudy", "id": stid, "status": status,
         "identifier": [{"system": "https://clinicaltrials.gov", "value": "NCT09999999"}]}
    r.update(extra)
    return r


def test_codex_bundles_hold_one_enrolment_each(vocab):
    one = extract_facts(load_bundle("codex/mcode-cql/mcode-extraction-patient-1.json"), vocab)
    two = extract_facts(load_bundle("codex/mcode-cql/mcode-extraction-patient-2.json"), vocab)
    assert [(s.status, s.study_ids, s.study_status, s.design) for s in one.studies] == [
        ("potential-candidate", ("researchId-1",), "approved", None)]
    # patient 2's study is a logical reference (study.identifier) matched to the Bundle's ResearchStudy
    assert [(s.status, s.study_ids, s.study is not None, s.study_status) for s in two.studies] == [
        ("on-study-intervention", ("researchId-1",), True, "completed")]


def test_period_phase_purpose_and_category(vocab):
    facts = extract_facts(bundle(
        patient(),
        subject(period={"start": "2026-09-01", "end": "2026-11-01"}),
        study(phase=cc(PHASE, "phase-2"), primaryPurposeType=cc(PURPOSE, "treatment")),
        subject("rs2", study={"reference": "ResearchStudy/st2"}),
        study("st2", category=[{"text": "Observational"}]),
    ), vocab)
    assert facts.studies == (
        StudyEnrolment("ResearchSubject/rs1", "on-study-intervention", date(2026, 9, 1), date(2026, 11, 1),
                       ("NCT09999999",), "ResearchStudy/st1", "active", "phase-2", "treatment", "interventional"),
        StudyEnrolment("ResearchSubject/rs2", "on-study-intervention", None, None, ("NCT09999999",),
                       "ResearchStudy/st2", "active", None, None, "observational"),
    )


def test_a_study_not_in_the_bundle_keeps_the_enrolment_without_design(vocab):
    facts = extract_facts(bundle(patient(), subject(study={"identifier": {"system": "x", "value": "NCT01"}})), vocab)
    assert facts.studies == (StudyEnrolment("ResearchSubject/rs1", "on-study-intervention", study_ids=("NCT01",)),)


def test_defects_are_dropped_with_a_warning_naming_the_location(vocab):
    facts = extract_facts(bundle(
        patient(),
        subject("other", individual="Patient/p2"),
        subject("backwards", period={"start": "2026-09-01", "end": "2026-01-01"}),
        study(),
    ), vocab)
    assert facts.studies == ()
    messages = {(w.location, w.message) for w in facts.warnings}
    assert ("Bundle.entry[1].resource.individual", "individual is not the Bundle's Patient; resource not used") in messages
    assert ("Bundle.entry[2].resource.period", "period ends before it starts; resource not used") in messages
    assert not any("2026" in w.message or "NCT" in w.message for w in facts.warnings)
