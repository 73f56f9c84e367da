"""Focused behaviours of extract_facts on small hand-made bundles."""

from datetime import date

import pytest

from tests.unit.mcode.bundle_builder import LOINC, SNOMED, bundle, cc, condition, observation, patient
from trialmatch.errors import PatientDataError
from trialmatch.mcode import extract_facts

BREAST = "254837009"  # Malignant neoplasm of breast
NSCLC = "254637007"  # Non-small cell lung cancer
POS, NEG = cc(SNOMED, "10828004"), cc(SNOMED, "260385009")


def _warned(facts, location):
    return [w.message for w in facts.warnings if w.location == location]


def test_patient_demographics_and_age(vocab):
    facts = extract_facts(bundle(patient()), vocab)
    assert (facts.patient_ref, facts.birth_date, facts.sex, facts.postal_code, facts.country) == (
        "Patient/p1", date(1970, 5, 1), "female", "02139", "US")
    assert facts.age_on(date(2026, 11, 26)) == 56


def test_deceased_patient(vocab):
    p = dict(patient(), deceasedDateTime="2025-02-03")
    facts = extract_facts(bundle(p), vocab)
    assert (facts.deceased, facts.deceased_date) == (True, date(2025, 2, 3))


def test_no_patient_is_accepted_with_a_warning(vocab):
    facts = extract_facts(bundle(condition("c1", BREAST, "mcode-primary-cancer-condition")), vocab)
    assert facts.patient_ref is None and facts.age_on(date(2026, 1, 1)) is None
    assert [c.cancer_type for c in facts.cancers] == ["BREAST"]
    assert _warned(facts, "Bundle.entry") == ["no Patient resource; age and sex unknown"]


def test_two_different_patients_raise_with_issues(vocab):
    with pytest.raises(PatientDataError) as caught:
        extract_facts(bundle(patient("p1"), patient("p2")), vocab)
    assert caught.value.issues == [("Bundle.entry[1].resource", "a second, different Patient")]


@pytest.mark.parametrize("body, location", [
    ([], "$"), ("Bundle", "$"), ({"resourceType": "Patient"}, "resourceType"),
    ({"resourceType": "Bundle", "type": "collection", "entry": {}}, "Bundle.entry"),
])
def test_not_a_bundle_raises(body, location, vocab):
    with pytest.raises(PatientDataError) as caught:
        extract_facts(body, vocab)
    assert caught.value.issues[0][0] == location


def test_refuted_and_entered_in_error_conditions_are_ignored(vocab):
    b = bundle(patient(), condition("c1", BREAST, "mcode-primary-cancer-condition", verification="refuted"),
               condition("c2", NSCLC, "mcode-primary-cancer-condition", verification="entered-in-error"))
    assert extract_facts(b, vocab).cancers == ()


def test_facts_stay_with_their_cancer(vocab):
    b = bundle(patient(),
               condition("breast", BREAST, "mcode-primary-cancer-condition"),
               condition("lung", NSCLC, "mcode-primary-cancer-condition"),
               observation("her2", "48676-1", focus="Condition/breast", valueCodeableConcept=POS),
               observation("pdl1-unlinked", "48676-1", valueCodeableConcept=NEG))
    facts = extract_facts(b, vocab)
    assert [(m.evidence, m.cancer_ref) for m in facts.markers] == [
        ("Observation/her2", "Condition/breast"), ("Observation/pdl1-unlinked", None)]


def test_single_primary_takes_unlinked_facts(vocab):
    b = bundle(patient(), condition("breast", BREAST, "mcode-primary-cancer-condition"),
               observation("er", "16112-5", valueCodeableConcept=POS))
    assert [m.cancer_ref for m in extract_facts(b, vocab).markers] == ["Condition/breast"]


def test_link_to_missing_condition_is_unknown_not_guessed(vocab):
    b = bundle(patient(), condition("breast", BREAST, "mcode-primary-cancer-condition"),
               observation("er", "16112-5", focus="Condition/elsewhere", valueCodeableConcept=POS))
    facts = extract_facts(b, vocab)
    assert [m.cancer_ref for m in facts.markers] == [None]
    assert _warned(facts, "Bundle.entry[2].resource.focus") == [
        "links to a condition that is not in the bundle; cancer unknown"]


@pytest.mark.parametrize("value, ecog", [(100, (0,)), (90, (0, 1)), (80, (1,)), (70, (1, 2)), (60, (2,)),
                                         (50, (2, 3)), (40, (3,)), (30, (3, 4)), (10, (4,)), (0, (5,))])
def test_karnofsky_maps_to_ecog_grades(value, ecog, vocab):
    b = bundle(patient(), observation("kps", "89243-0", valueInteger=value))
    assert [(p.scale, p.value, p.ecog) for p in extract_facts(b, vocab).performance] == [("Karnofsky", value, ecog)]


def test_invalid_performance_scores_are_dropped_with_warnings(vocab):
    b = bundle(patient(), observation("e", "89247-1", valueInteger=7), observation("k", "89243-0", valueInteger=85))
    facts = extract_facts(b, vocab)
    assert facts.performance == ()
    assert _warned(facts, "Bundle.entry[1].resource.valueInteger") == ["ECOG score outside 0-5; not used"]
    assert _warned(facts, "Bundle.entry[2].resource.valueInteger") == [
        "Karnofsky score not one of 0, 10, ..., 100; not used"]


def test_two_values_that_agree_are_kept_with_a_warning(vocab):
    b = bundle(patient(), observation("h", "48676-1", valueCodeableConcept=NEG, valueQuantity={"value": 1}))
    facts = extract_facts(b, vocab)
    assert [(m.status, m.value, m.scale) for m in facts.markers] == [("negative", 1.0, "IHC")]
    assert _warned(facts, "Bundle.entry[1].resource.valueQuantity") == [
        "second value of the result given; it agrees with the first and is kept"]


@pytest.mark.parametrize("status, score", [(POS, 0), (NEG, 3)])
def test_two_values_that_conflict_drop_the_fact(status, score, vocab):
    b = bundle(patient(), observation("h", "48676-1", valueCodeableConcept=status, valueQuantity={"value": score}))
    facts = extract_facts(b, vocab)
    assert facts.markers == ()
    assert _warned(facts, "Bundle.entry[1].resource.valueQuantity") == [
        "second value of the result conflicts with the first or cannot be compared with it; fact dropped"]


def test_her2_ihc_2_is_compatible_with_a_final_negative(vocab):
    b = bundle(patient(), observation("h", "48676-1", valueCodeableConcept=NEG, valueQuantity={"value": 2}))
    assert [(m.status, m.value) for m in extract_facts(b, vocab).markers] == [("negative", 2.0)]


def test_interpretation_conflicting_with_value_drops_the_marker(vocab):
    interp = [cc("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "NEG")]
    b = bundle(patient(), observation("er", "16112-5", valueCodeableConcept=POS, interpretation=interp))
    assert extract_facts(b, vocab).markers == ()


def test_lab_converted_with_molar_mass_and_reference_range(vocab):
    creat = observation("cr", "14682-9", valueQuantity={"value": 88.4, "unit": "umol/L", "code": "umol/L"},
                        referenceRange=[{"high": {"value": 110.0, "code": "umol/L"}}])
    facts = extract_facts(bundle(patient(), creat), vocab)
    assert [(l.analyte, l.value, l.unit, l.original_value, l.original_unit, l.ref_high, l.implausible)
            for l in facts.labs] == [("CREAT", 0.999981, "mg/dL", 88.4, "umol/L", 1.24432, False)]


def test_implausible_lab_is_kept_and_flagged(vocab):
    anc = observation("anc", "751-8", valueQuantity={"value": 3000, "code": "10*3/uL"})
    facts = extract_facts(bundle(patient(), anc), vocab)
    assert [(l.value, l.unit, l.implausible) for l in facts.labs] == [(3000.0, "10*9/L", True)]
    assert _warned(facts, "Bundle.entry[1].resource.valueQuantity") == [
        "value implausible for the analyte (unit error?); kept and flagged"]


def test_lab_with_unconvertible_unit_keeps_no_value(vocab):
    hgb = observation("hgb", "718-7", valueQuantity={"value": 12, "code": "mmol/L"})
    facts = extract_facts(bundle(patient(), hgb), vocab)
    assert [(l.value, l.original_value, l.original_unit) for l in facts.labs] == [(None, 12.0, "mmol/L")]


def test_stage_group_takes_its_members(vocab):
    ajcc = "http://cancerstaging.org"
    t = observation("t", "21905-5", valueCodeableConcept=cc(ajcc, "cT2"))
    n = observation("n", "21906-3", valueCodeableConcept=cc(ajcc, "cN1a"))
    group = observation("g", "21908-9", valueCodeableConcept=cc(ajcc, "c2B"),
                        hasMember=[{"reference": "Observation/t"}, {"reference": "urn:uuid:n"}])
    facts = extract_facts(bundle(patient(), t, n, group), vocab)
    assert [(s.evidence, s.group, s.t, s.n, s.m, s.staging_type) for s in facts.stages] == [
        ("Observation/g", "IIB", "T2", "N1a", None, "clinical")]


def test_region_studied_without_variant_is_wild_type(vocab):
    gene = {"code": cc(LOINC, "48018-6"), "valueCodeableConcept": cc("http://www.genenames.org", "HGNC:3236", "EGFR")}
    region = observation("r", "53041-0", component=[gene])
    facts = extract_facts(bundle(patient(), region), vocab)
    assert [(g.gene, g.wild_type) for g in facts.genes_tested] == [("EGFR", True)]


def test_entry_without_id_uses_its_full_url(vocab):
    er = observation("x", "16112-5", valueCodeableConcept=POS)
    del er["id"]
    b = {"resourceType": "Bundle", "type": "batch",
         "entry": [{"fullUrl": "urn:uuid:p", "resource": patient()}, {"fullUrl": "urn:uuid:er-1", "resource": er}]}
    assert [m.evidence for m in extract_facts(b, vocab).markers] == ["urn:uuid:er-1"]


def test_resource_about_another_patient_is_not_used(vocab):
    er = observation("er", "16112-5", valueCodeableConcept=POS, subject={"reference": "Patient/someone-else"})
    facts = extract_facts(bundle(patient(), er), vocab)
    assert facts.markers == ()
    assert _warned(facts, "Bundle.entry[1].resource.subject") == [
        "subject is not the Bundle's Patient; resource not used"]


def test_unsupported_and_unknown_resource_types_are_skipped_with_warnings(vocab):
    b = bundle(patient(), {"resourceType": "Flag", "id": "f", "status": "active", "code": {"text": "x"},
                           "subject": {"reference": "Patient/p1"}}, {"resourceType": "NotAThing", "id": "z"})
    facts = extract_facts(b, vocab)
    assert [(w.location, w.message) for w in facts.warnings] == [
        ("Bundle.entry[2].resource.resourceType", "missing or unknown resource type; skipped"),
        ("Bundle.entry[1]", "resource type Flag is not supported; 1 entries skipped")]


def test_pregnancy_status(vocab):
    preg = observation("pg", "82810-3", valueCodeableConcept=cc(LOINC, "LA15173-0"))
    assert [p.status for p in extract_facts(bundle(patient(), preg), vocab).pregnancy] == ["pregnant"]


def test_invalid_element_drops_only_that_element(vocab):
    er = observation("er", "16112-5", valueCodeableConcept=POS, effectiveDateTime="2026-13-45")
    facts = extract_facts(bundle(patient(), er), vocab)
    assert [(m.status, m.date) for m in facts.markers] == [("positive", None)]
    assert _warned(facts, "Bundle.entry[1].resource.effectiveDateTime") == ["invalid element (value_error); dropped"]


def test_medication_reference_resolves_to_a_contained_medication(vocab):
    med = {"resourceType": "Medication", "id": "m1",
           "code": cc("http://www.nlm.nih.gov/research/umls/rxnorm", "583214", "Paclitaxel 100 MG Injection")}
    admin = {"resourceType": "MedicationAdministration", "id": "a1", "status": "completed",
             "medicationReference": {"reference": "Medication/m1"}, "subject": {"reference": "Patient/p1"},
             "effectivePeriod": {"start": "2026-01-05", "end": "2026-01-06"}}
    facts = extract_facts(bundle(patient(), med, admin), vocab)
    assert [(m.evidence, m.ingredients, m.start, m.end) for m in facts.medications] == [
        ("MedicationAdministration/a1", ("paclitaxel",), date(2026, 1, 5), date(2026, 1, 6))]
