"""A key that groups several conditions (conditions.yaml ``group: true``): an inactive record of one
member covers that member only. A resolved COVID-19 does not clear "active infection" (another
infection may be active): the patient reads as one with no record, to confirm in an exclusion, the
resolved record shown. A single-disease key recorded inactive (hepatitis C resolved) still clears
its criterion; for hepatitis B and C only "resolved" does (``settled_by``: an inactive hepatitis B
carrier is still HBsAg positive).

COVID-19 is SNOMED CT 840539006 "Disease caused by severe acute respiratory syndrome coronavirus 2
(disorder)", checked in the HL7 COVID-19 FHIR Profile Library value set covid-19-snomed-diagnosis-vs
(hl7.org/fhir/us/covid19library) and listed under active_infection in conditions.yaml."""

from __future__ import annotations

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.verdict import Verdict
from trialmatch.matching import TrialIndex, compile_trial, match_patient
from trialmatch.mcode import extract_facts
from trialmatch.nlp.trial_records import trial_from_record

from tests.unit.matching.helpers import AS_OF, BREAST, VOCAB, outcome, patient
from tests.unit.mcode.bundle_builder import SNOMED, bundle, cc, condition
from tests.unit.mcode.bundle_builder import patient as fhir_patient

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
STATUS = "http://terminology.hl7.org/CodeSystem/condition-clinical"
COVID = "840539006"
BREAST_CANCER = "254837009"  # Malignant neoplasm of breast (tests/unit/mcode/test_extract_rules.py)


def comorbidity(cid, system, code, display, status, onset="2026-03-01"):
    r = condition(cid, code, clinicalStatus=cc(STATUS, status), onsetDateTime=onset)
    r["code"] = cc(system, code, display)
    return r


def bundle_with(*conditions):
    cancer = condition("breast", BREAST_CANCER, "mcode-primary-cancer-condition",
                       clinicalStatus=cc(STATUS, "active"), onsetDateTime="2025-06-01")
    return extract_facts(bundle(fhir_patient(), cancer, *conditions), VOCAB)


def trial_class(facts, exclusion: str) -> str:
    text = f"Inclusion Criteria:\n\n* Breast cancer\n\nExclusion Criteria:\n\n* {exclusion}\n"
    trial, _ = trial_from_record({"nct_id": "NCT00000001", "title": "T", "eligibility": {"raw_text": text}}, VOCAB)
    index = TrialIndex([compile_trial(trial, VOCAB)], VOCAB)
    [result] = match_patient(facts, index, as_of=AS_OF).results
    return result.result_class


# --- at the level a user meets it: a bundle, a parsed trial, the trial's class --------------------

def test_resolved_covid_leaves_active_infection_to_confirm_not_eligible():
    facts = bundle_with(comorbidity("covid", SNOMED, COVID, "COVID-19", "resolved"))
    assert trial_class(facts, "Active infection requiring systemic therapy") == "possible"
    assert trial_class(facts, "Active infection") == "possible"
    # exactly what a patient with no infection record gets
    assert trial_class(bundle_with(), "Active infection") == "possible"


def test_active_covid_makes_the_trial_ineligible():
    facts = bundle_with(comorbidity("covid", SNOMED, COVID, "COVID-19", "active"))
    assert trial_class(facts, "Active infection") == "ineligible"


def test_resolved_hepatitis_c_still_clears_active_hepatitis_c():
    facts = bundle_with(comorbidity("hcv", ICD10, "B18.2", "Chronic viral hepatitis C", "resolved"))
    assert trial_class(facts, "Active hepatitis C infection") == "eligible"


# --- each branch of the atom ---------------------------------------------------------------------

def _cond(ref, system, code, display, status, onset=date(2026, 3, 1), recorded=None):
    return f.Condition(ref, (f.Coding(system, code, display),), status, onset, recorded)


def _out(node, *conditions, cancers=(BREAST,)):
    return outcome(node, patient(conditions=conditions, cancers=cancers))


INFECTION = c.Condition(("active_infection",))
RESOLVED_COVID = _cond("Condition/covid", f.SNOMED, COVID, "COVID-19", "resolved")


def test_resolved_member_reads_as_absent_with_the_record_shown():
    out = _out(c.Not(INFECTION), RESOLVED_COVID)
    assert out.verdict is Verdict.UNKNOWN
    assert "COVID-19 recorded as resolved; another active infection is not ruled out" in out.reason
    assert [(m.item, m.kind) for m in out.missing] == [("active_infection", "to_confirm")]
    [atom] = out.children  # the Not shows its atom's evidence
    assert [(e.reference, e.value) for e in atom.evidence] == [("Condition/covid", "COVID-19 (resolved)")]
    # in an inclusion (no Not) the unknown kind is "missing", as for an absent record
    assert [m.kind for m in _out(INFECTION, RESOLVED_COVID).missing] == ["missing"]


def test_active_member_is_met_and_unstated_member_to_confirm():
    active = _cond("Condition/pna", f.SNOMED, "233604007", "Pneumonia (disorder)", "active")
    assert _out(INFECTION, RESOLVED_COVID, active).verdict is Verdict.MET
    unstated = _cond("Condition/pna", f.SNOMED, "233604007", "Pneumonia (disorder)", None)
    out = _out(INFECTION, RESOLVED_COVID, unstated)
    assert out.verdict is Verdict.UNKNOWN and out.missing[0].kind == "to_confirm"
    assert "whether active is not stated" in out.reason


def test_every_flagged_group_is_left_open_by_an_inactive_member():
    members = {
        "autoimmune_disease": (ICD10, "M05.79", "Rheumatoid arthritis with rheumatoid factor"),
        "bleeding_disorder": (ICD10, "D68.4", "Acquired coagulation factor deficiency"),
        "arrhythmia": (ICD10, "I48.91", "Unspecified atrial fibrillation"),
        "hypertension_uncontrolled": (ICD10, "I16.0", "Hypertensive urgency"),
        "organ_transplant": (ICD10, "Z94.0", "Kidney transplant status"),
    }
    for key, (system, code, display) in members.items():
        out = _out(c.Not(c.Condition((key,))), _cond("Condition/x", system, code, display, "inactive"))
        assert out.verdict is Verdict.UNKNOWN, key
        assert f"{display} recorded as inactive" in out.reason


def test_single_disease_key_recorded_inactive_is_not_met():
    hcv = _cond("Condition/hcv", ICD10, "B18.2", "Chronic viral hepatitis C", "resolved")
    out = _out(c.Condition(("hepatitis_c",)), hcv)
    assert out.verdict is Verdict.NOT_MET
    assert out.reason == "hepatitis_c recorded as resolved"


def test_criterion_code_names_the_member_itself_so_its_resolution_settles_it():
    node = c.Condition(codes=(f.Coding(f.SNOMED, COVID, "COVID-19"),))
    assert _out(node, RESOLVED_COVID).verdict is Verdict.NOT_MET


def test_several_keys_need_each_covered_before_not_met():
    hcv = _cond("Condition/hcv", ICD10, "B18.2", "Chronic viral hepatitis C", "resolved")
    tb = _cond("Condition/tb", ICD10, "A15.0", "Tuberculosis of lung", "inactive")
    node = c.Condition(("hepatitis_c", "tuberculosis"))
    assert _out(node, hcv).verdict is Verdict.UNKNOWN  # nothing says the tuberculosis part is inactive
    assert _out(node, hcv, tb).verdict is Verdict.NOT_MET
    # a group key among them can never be covered by a record
    assert _out(c.Condition(("hepatitis_c", "active_infection")), hcv, RESOLVED_COVID).verdict is Verdict.UNKNOWN


def test_not_active_only_criterion_counts_a_resolved_member():
    # "history of infection": any record counts, whatever its status
    out = _out(c.Condition(("active_infection",), active_only=False), RESOLVED_COVID)
    assert out.verdict is Verdict.MET


def test_window_resolved_member_inside_is_absent_old_one_too():
    node = c.Not(c.Condition(("active_infection",), within_days=30))
    recent = _cond("Condition/covid", f.SNOMED, COVID, "COVID-19", "resolved", onset=date(2026, 11, 10))
    out = _out(node, recent)
    assert out.verdict is Verdict.UNKNOWN and out.missing[0].kind == "to_confirm"
    assert "recorded as resolved" in out.reason
    old = _cond("Condition/covid", f.SNOMED, COVID, "COVID-19", "resolved", onset=date(2025, 1, 10))
    out = _out(node, old)
    assert out.verdict is Verdict.UNKNOWN and "more than 30 days ago" in out.reason


def test_window_undated_record_keeps_an_inactive_one_from_clearing():
    node = c.Condition(("hepatitis_c",), within_days=30)
    recent = _cond("Condition/a", ICD10, "B17.1", "Acute hepatitis C", "resolved", onset=date(2026, 11, 10))
    undated = _cond("Condition/b", ICD10, "B17.1", "Acute hepatitis C", "active", onset=None)
    assert _out(node, recent).verdict is Verdict.NOT_MET
    out = _out(node, recent, undated)
    assert out.verdict is Verdict.UNKNOWN and out.missing[0].kind == "to_confirm"
    assert "whether within 30 days is not stated" in out.reason


def test_other_malignancy_in_remission_with_a_related_primary_is_to_confirm():
    lung = f.Cancer("Condition/lung", "primary", cancer_type="LUAD", clinical_status="remission")
    second_breast = f.Cancer("Condition/breast2", "primary", cancer_type="BREAST", clinical_status="active")
    node = c.Not(c.Condition(("other_malignancy",)))
    out = outcome(node, patient(cancers=(BREAST, lung, second_breast)), focus=BREAST)
    assert out.verdict is Verdict.UNKNOWN and out.missing[0].kind == "to_confirm"
    assert {e.reference for e in out.children[0].evidence} == {"Condition/lung", "Condition/breast2"}


# --- settled_by (conditions.yaml): which inactive statuses show the disease gone ------------------

def test_inactive_hepatitis_b_carrier_is_to_confirm_only_resolved_clears_it():
    # the inactive HBsAg carrier state is still HBsAg positive: "inactive" never reads "no hepatitis B"
    for status in ("inactive", "remission"):
        carrier = _cond("Condition/hbv", ICD10, "B18.1", "Chronic viral hepatitis B without delta-agent", status)
        out = _out(c.Not(c.Condition(("hepatitis_b",))), carrier)
        assert out.verdict is Verdict.UNKNOWN, status
        assert f"recorded as {status}; only a resolved record shows it gone" in out.reason
        assert [(m.item, m.kind) for m in out.missing] == [("hepatitis_b", "to_confirm")]
    resolved = _cond("Condition/hbv", ICD10, "B18.1", "Chronic viral hepatitis B without delta-agent", "resolved")
    assert _out(c.Condition(("hepatitis_b",)), resolved).verdict is Verdict.NOT_MET


def test_inactive_hepatitis_b_through_a_parsed_trial_is_possible_not_eligible():
    carrier = comorbidity("hbv", ICD10, "B18.1", "Chronic viral hepatitis B without delta-agent", "inactive")
    assert trial_class(bundle_with(carrier), "Positive hepatitis B surface antigen (HBsAg)") == "possible"
    hcv = comorbidity("hcv", ICD10, "B18.2", "Chronic viral hepatitis C", "inactive")
    assert trial_class(bundle_with(hcv), "Active hepatitis C infection") == "possible"
    # the same items do clear a resolved record (the parse reads both as the condition, not as text)
    resolved = comorbidity("hbv", ICD10, "B18.1", "Chronic viral hepatitis B without delta-agent", "resolved")
    assert trial_class(bundle_with(resolved), "Positive hepatitis B surface antigen (HBsAg)") == "eligible"


def test_hiv_is_lifelong_no_inactive_status_clears_it():
    # a suppressed viral load recorded as "inactive" is still HIV infection (audit, NCT04903873)
    for status in ("inactive", "remission", "resolved"):
        hiv = _cond("Condition/hiv", ICD10, "B20", "HIV disease", status)
        out = _out(c.Not(c.Condition(("hiv",))), hiv)
        assert out.verdict is Verdict.UNKNOWN, status
        assert [(m.item, m.kind) for m in out.missing] == [("hiv", "to_confirm")]
    suppressed = comorbidity("hiv", ICD10, "B20", "HIV disease", "inactive")
    assert trial_class(bundle_with(suppressed), "HIV infection") == "possible"
    assert trial_class(bundle_with(comorbidity("hiv", ICD10, "B20", "HIV disease", "active")), "HIV infection") \
        == "ineligible"


def test_settled_by_is_validated(tmp_path):
    import pytest

    from trialmatch.errors import RuleFileError
    from trialmatch.vocab.conditions import load_conditions

    (tmp_path / "conditions.yaml").write_text(
        "conditions:\n  hepatitis_b:\n    name: Hepatitis B\n    settled_by: [cured]\n    snomed: []\n    icd10cm: []\n")
    with pytest.raises(RuleFileError, match=r"conditions.hepatitis_b.settled_by: expected a list of"):
        load_conditions(tmp_path)
