"""StudyParticipation (matching/atoms_study.py): each evidence rule on StudyEnrolment facts, the trial
being matched skipped, and a real CodeX bundle matched through the service with its explanation."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from trialmatch.catalogue import build_catalogue
from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.verdict import Verdict
from trialmatch.matching import TrialIndex, match_patient
from trialmatch.matching.render import render
from trialmatch.services import match_bundle
from tests.unit.matching.helpers import AS_OF, VOCAB, compiled, outcome, patient, trial

BUNDLES = Path(__file__).resolve().parents[2] / "data" / "bundles" / "codex" / "mcode-cql"

NOW = c.StudyParticipation()  # "currently participating in another interventional clinical trial"
AGENT_NOW = c.StudyParticipation(drug_only=True)  # "receiving any other investigational agents"
AGENT_28 = c.StudyParticipation(within_days=28, drug_only=True)  # "investigational agent within 28 days"


def enrolment(status="on-study-intervention", *, start=AS_OF - timedelta(days=60), end=None, ids=("NCT09999999",),
              study="ResearchStudy/s1", study_status="active", phase="phase-2", design="interventional"):
    return f.StudyEnrolment("ResearchSubject/r1", status, start, end, ids, study, study_status, phase, None, design)


def verdict(node, *studies, negated=False):
    out = outcome(c.Not(node) if negated else node, patient(studies=tuple(studies)))
    return out.verdict, out


def test_no_record_is_unknown_never_not_met_and_names_the_missing_item():
    v, out = verdict(NOW)
    assert v is Verdict.UNKNOWN
    assert [(m.item, m.kind) for m in out.missing] == [("trial participation history", "missing")]
    v, out = verdict(NOW, negated=True)  # in an exclusion: to confirm
    assert v is Verdict.UNKNOWN
    assert [(m.item, m.kind) for m in out.missing] == [("trial participation history", "to_confirm")]


def test_on_an_interventional_drug_study_now_is_met_and_excludes():
    assert verdict(NOW, enrolment())[0] is Verdict.MET
    assert verdict(AGENT_NOW, enrolment())[0] is Verdict.MET
    v, out = verdict(AGENT_NOW, enrolment(), negated=True)
    assert v is Verdict.NOT_MET
    assert out.reason.startswith("excluded: on a study of an investigational agent now")
    assert [e.reference for e in out.children[0].evidence] == ["ResearchSubject/r1", "ResearchStudy/s1"]


@pytest.mark.parametrize("status", ["withdrawn", "not-registered", "ineligible", "candidate", "screening",
                                    "potential-candidate", "pending-on-study", "eligible"])
def test_records_not_on_study_do_not_count(status):
    v, out = verdict(NOW, enrolment(status))
    assert v is Verdict.UNKNOWN and out.evidence == ()


def test_a_period_ended_before_the_window_does_not_count():
    ended = enrolment(start=AS_OF - timedelta(days=400), end=AS_OF - timedelta(days=40))
    assert verdict(AGENT_28, ended)[0] is Verdict.UNKNOWN
    assert verdict(AGENT_NOW, ended)[0] is Verdict.UNKNOWN
    inside = enrolment(start=AS_OF - timedelta(days=400), end=AS_OF - timedelta(days=10))
    assert verdict(AGENT_28, inside)[0] is Verdict.MET  # an inclusion asking for it
    off = enrolment("off-study", start=AS_OF - timedelta(days=400), end=AS_OF - timedelta(days=10))
    assert verdict(AGENT_28, off)[0] is Verdict.MET
    assert verdict(NOW, off)[0] is Verdict.UNKNOWN  # not participating now
    assert verdict(NOW, enrolment(start=AS_OF + timedelta(days=5)))[0] is Verdict.UNKNOWN  # not started yet


def test_in_an_exclusion_a_window_is_a_washout_never_a_permanent_ineligible():
    inside = enrolment(start=AS_OF - timedelta(days=400), end=AS_OF - timedelta(days=10))
    v, out = verdict(AGENT_28, inside, negated=True)
    assert v is Verdict.UNKNOWN
    assert out.reason == ("on a study of an investigational agent (on-study-intervention since 2025-10-22 until "
                          "2026-11-16, phase-2); eligible after a 28-day washout (from 2026-12-15)")
    assert [(m.item, m.kind) for m in out.missing] == [("trial participation history", "to_confirm")]
    v, out = verdict(AGENT_28, enrolment(), negated=True)  # still on it
    assert v is Verdict.UNKNOWN and "eligible 28 days after its intervention ends" in out.reason


def test_a_study_of_unknown_design_or_phase_is_unknown_and_an_observational_one_does_not_count():
    v, out = verdict(NOW, enrolment(design=None, phase=None))
    assert v is Verdict.UNKNOWN and "design (interventional or not) is not recorded" in out.reason
    v, out = verdict(NOW, enrolment(study=None, study_status=None, phase=None, design=None))
    assert v is Verdict.UNKNOWN and "not in the record" in out.reason
    v, out = verdict(NOW, enrolment(design="observational", phase=None))
    assert v is Verdict.UNKNOWN and out.evidence == ()
    # an interventional study with no drug phase shows participation, not an investigational agent
    assert verdict(NOW, enrolment(phase="n-a"))[0] is Verdict.MET
    v, out = verdict(AGENT_NOW, enrolment(phase="n-a"))
    assert v is Verdict.UNKNOWN and "does not show a drug under test" in out.reason
    assert verdict(AGENT_NOW, enrolment(phase="phase-4"))[0] is Verdict.UNKNOWN


def test_a_therapeutic_study_needs_treatment_as_its_primary_purpose():
    therapeutic = c.StudyParticipation(purpose="treatment")  # "another therapeutic clinical trial"
    assert verdict(therapeutic, dataclasses.replace(enrolment(), purpose="treatment"))[0] is Verdict.MET
    v, out = verdict(therapeutic, dataclasses.replace(enrolment(), purpose="supportive-care"))
    assert v is Verdict.UNKNOWN and "primary purpose (supportive-care) is not treatment" in out.reason
    assert verdict(therapeutic, enrolment())[0] is Verdict.UNKNOWN  # purpose not recorded


def test_a_stale_on_study_record_of_a_finished_study_is_to_confirm():
    v, out = verdict(NOW, enrolment(study_status="completed"), negated=True)
    assert v is Verdict.UNKNOWN and "its study is 'completed'" in out.reason


def test_follow_up_is_open_for_participation_but_not_receiving_an_agent_now():
    v, out = verdict(NOW, enrolment("follow-up"))
    assert v is Verdict.UNKNOWN and "follow-up record" in out.reason and out.evidence
    v, out = verdict(AGENT_NOW, enrolment("on-study-observation"))
    assert v is Verdict.UNKNOWN and out.evidence == ()
    assert verdict(AGENT_28, enrolment("follow-up"))[0] is Verdict.UNKNOWN


def test_the_trial_being_matched_is_not_another_study():
    own = enrolment(ids=("nct01174121", "local-7"))
    trials = [trial("NCT01174121", c.Not(AGENT_NOW)), trial("NCT02000000", c.Not(AGENT_NOW))]
    result = match_patient(patient(studies=(own,)), TrialIndex(compiled(*trials), VOCAB), as_of=AS_OF)
    classes = {r.trial_id: r.result_class for r in result.results}
    # the same atom in two trials is two compiled nodes: one skips its own enrolment
    assert classes == {"NCT01174121": "possible", "NCT02000000": "ineligible"}


def test_render():
    assert [render(n) for n in (NOW, AGENT_NOW, AGENT_28, c.StudyParticipation(within_days=10))] == [
        "participation in another interventional study now", "investigational agent (study of a drug) now",
        "investigational agent (study of a drug) within 4 weeks",
        "participation in another interventional study within 10 days"]


# ---- a real bundle through the service -----------------------------------------------------------
EXCLUSION = c.Not(c.StudyParticipation(drug_only=True, text="Patients who are receiving any other investigational "
                                                            "agents."))  # NCT01174121, exclusion


def _match(bundle, as_of=date(2026, 11, 27)):
    catalogue = build_catalogue([c.TrialCriteria(trial_id="NCT01174121", title="A trial", criteria=c.All((EXCLUSION,)))],
                                version="1", vocab=VOCAB)
    return match_bundle(bundle=bundle, as_of=as_of, catalogue=catalogue, vocab=VOCAB)["results"][0]


def _leaf(result):
    return result["criteria"]["children"][0]["children"][0]


def test_codex_patient_2_on_a_completed_study_is_to_confirm():
    # mcode-extraction-patient-2: ResearchSubject on-study-intervention, no period, its ResearchStudy
    # "completed" with no phase or design: the record cannot say the patient is on a drug study now
    result = _match(json.loads((BUNDLES / "mcode-extraction-patient-2.json").read_text()))
    assert result["result_class"] == "possible"
    assert result["unknowns"] == [{"item": "trial participation history", "kind": "to_confirm"}]
    leaf = _leaf(result)
    assert (leaf["type"], leaf["verdict"]) == ("study_participation", "unknown")
    assert leaf["reason"] == "on-study record, but its study is 'completed': whether the patient is still on it is to confirm"
    assert [e["value"] for e in leaf["evidence"]] == ["on-study-intervention", "completed"]


def test_codex_patient_2_on_an_active_phase_2_study_is_ineligible():
    bundle = json.loads((BUNDLES / "mcode-extraction-patient-2.json").read_text())
    edited = copy.deepcopy(bundle)
    for entry in edited["entry"]:
        r = entry["resource"]
        if r["resourceType"] == "ResearchStudy":
            r.update(status="active", phase={"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/research-study-phase", "code": "phase-2"}]})
        if r["resourceType"] == "ResearchSubject":
            r["period"] = {"start": "2026-09-01"}
    result = _match(edited)
    assert result["result_class"] == "ineligible"
    assert [d["text"] for d in result["deciding"]] == ["not: investigational agent (study of a drug) now"]
    assert _leaf(result)["reason"] == "on a study of an investigational agent now: on-study-intervention since 2026-09-01, phase-2"
    # the same record is this trial's own enrolment when its study carries the trial's NCT number
    for entry in edited["entry"]:
        if entry["resource"]["resourceType"] == "ResearchStudy":
            entry["resource"]["identifier"].append({"system": "https://clinicaltrials.gov", "value": "NCT01174121"})
    assert _match(edited)["result_class"] == "possible"


def test_codex_patient_1_a_potential_candidate_does_not_count():
    result = _match(json.loads((BUNDLES / "mcode-extraction-patient-1.json").read_text()))
    leaf = _leaf(result)
    assert leaf["verdict"] == "unknown" and leaf["evidence"] == []
    assert leaf["reason"].startswith("no participation in a study of an investigational agent recorded")


def test_enrolments_round_trip_through_facts_json():
    from trialmatch.domain.facts_json import facts_from_json, facts_to_json

    facts = patient(studies=(enrolment(), dataclasses.replace(enrolment("off-study"), end=AS_OF, study=None)))
    assert facts_from_json(json.loads(json.dumps(facts_to_json(facts)))) == facts
