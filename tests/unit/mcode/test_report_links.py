"""Markers and variants reach their cancer through Specimen and DiagnosticReport (issue #3),
only when the link is explicit. Real bundle: Jenny M (mCODE IG) with a second primary added,
so that the one-primary default no longer decides."""

import copy

from tests.unit.mcode.bundle_builder import SNOMED, bundle, cc, condition, observation, patient
from tests.unit.mcode.conftest import load_bundle
from trialmatch.mcode import extract_facts

BREAST, NSCLC = "254837009", "254637007"
POS = cc(SNOMED, "10828004")
JENNY = "mcode-ig-assembled/Bundle-assembled-cancer-patient-jenny-m.json"
JENNY_CANCER = "Condition/primary-cancer-condition-jenny-m"
JENNY_MARKERS = ["Observation/tumor-marker-test-er-jenny-m", "Observation/tumor-marker-test-her2-jenny-m",
                 "Observation/tumor-marker-test-pr-jenny-m"]
RELATED = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-related-condition"


def _two_primaries(*extra):
    return [patient(), condition("breast", BREAST, "mcode-primary-cancer-condition"),
            condition("lung", NSCLC, "mcode-primary-cancer-condition"), *extra]


def _specimen(sid, **extra):
    return {"resourceType": "Specimen", "id": sid, "subject": {"reference": "Patient/p1"}, **extra}


def _request(rid, *reasons):
    return {"resourceType": "ServiceRequest", "id": rid, "status": "completed", "intent": "order",
            "subject": {"reference": "Patient/p1"}, "reasonReference": [{"reference": r} for r in reasons]}


def _report(rid, results, **extra):
    return {"resourceType": "DiagnosticReport", "id": rid, "status": "final", "code": cc(SNOMED, "x"),
            "subject": {"reference": "Patient/p1"}, "result": [{"reference": r} for r in results], **extra}


def _refs(facts):
    return [(m.evidence, m.cancer_ref) for m in facts.markers]


def test_specimen_request_reason_links_a_marker(vocab):
    b = bundle(*_two_primaries(
        _specimen("s1", request=[{"reference": "ServiceRequest/biopsy"}]), _request("biopsy", "Condition/lung"),
        observation("pdl1", "48676-1", valueCodeableConcept=POS, specimen={"reference": "Specimen/s1"})))
    assert _refs(extract_facts(b, vocab)) == [("Observation/pdl1", "Condition/lung")]


def test_specimen_related_condition_extension_links_a_marker(vocab):
    ext = [{"url": RELATED, "valueReference": {"reference": "Condition/breast"}}]
    b = bundle(*_two_primaries(_specimen("s1", extension=ext),
                               observation("er", "16112-5", valueCodeableConcept=POS,
                                           specimen={"reference": "Specimen/s1"})))
    assert _refs(extract_facts(b, vocab)) == [("Observation/er", "Condition/breast")]


def test_specimen_naming_two_cancers_or_none_gives_no_link(vocab):
    b = bundle(*_two_primaries(
        _specimen("s1", request=[{"reference": "ServiceRequest/r"}]), _request("r", "Condition/lung", "Condition/breast"),
        _specimen("s2", collection={"bodySite": cc(SNOMED, "80248007", "Left breast structure")}),
        observation("a", "48676-1", valueCodeableConcept=POS, specimen={"reference": "Specimen/s1"}),
        observation("b", "48676-1", valueCodeableConcept=POS, specimen={"reference": "Specimen/s2"})))
    assert _refs(extract_facts(b, vocab)) == [("Observation/a", None), ("Observation/b", None)]


def test_report_conclusion_code_links_its_results(vocab):
    b = bundle(*_two_primaries(
        _report("rep", ["Observation/her2"], conclusionCode=[cc(SNOMED, BREAST)]),
        observation("her2", "48676-1", valueCodeableConcept=POS)))
    assert _refs(extract_facts(b, vocab)) == [("Observation/her2", "Condition/breast")]


def test_report_extension_and_specimen_link_its_results(vocab):
    ext = [{"url": RELATED, "valueReference": {"reference": "Condition/lung"}}]
    b = bundle(*_two_primaries(
        _specimen("s1", request=[{"reference": "ServiceRequest/r"}]), _request("r", "Condition/breast"),
        _report("rep1", ["Observation/a"], extension=ext),
        _report("rep2", ["Observation/b"], specimen=[{"reference": "Specimen/s1"}]),
        observation("a", "48676-1", valueCodeableConcept=POS), observation("b", "16112-5", valueCodeableConcept=POS)))
    assert _refs(extract_facts(b, vocab)) == [("Observation/a", "Condition/lung"), ("Observation/b", "Condition/breast")]


def test_focus_still_wins_over_a_report_link(vocab):
    b = bundle(*_two_primaries(
        _report("rep", ["Observation/her2"], conclusionCode=[cc(SNOMED, BREAST)]),
        observation("her2", "48676-1", focus="Condition/lung", valueCodeableConcept=POS)))
    assert _refs(extract_facts(b, vocab)) == [("Observation/her2", "Condition/lung")]


def test_another_patients_specimen_is_not_followed(vocab):
    other = dict(_specimen("s1", request=[{"reference": "ServiceRequest/r"}]), subject={"reference": "Patient/p2"})
    b = bundle(*_two_primaries(other, _request("r", "Condition/lung"),
                               observation("a", "48676-1", valueCodeableConcept=POS,
                                           specimen={"reference": "Specimen/s1"})))
    assert _refs(extract_facts(b, vocab)) == [("Observation/a", None)]


def _jenny_with_lung_primary():
    b = copy.deepcopy(load_bundle(JENNY))
    b["entry"].append({"fullUrl": "urn:uuid:lung", "resource": dict(
        condition("lung", NSCLC, "mcode-primary-cancer-condition"),
        subject={"reference": "Patient/cancer-patient-jenny-m"})})
    return b


def _jenny_markers(facts):
    return sorted((m.evidence, m.cancer_ref) for m in facts.markers if m.evidence in JENNY_MARKERS)


def test_real_bundle_markers_unlinked_when_a_second_primary_appears(vocab):
    facts = extract_facts(_jenny_with_lung_primary(), vocab)
    assert _jenny_markers(facts) == [(e, None) for e in JENNY_MARKERS]


def test_real_bundle_markers_follow_the_lab_report_specimen(vocab):
    b = _jenny_with_lung_primary()
    b["entry"].append({"fullUrl": "urn:uuid:req", "resource": dict(
        _request("breast-biopsy", JENNY_CANCER), subject={"reference": "Patient/cancer-patient-jenny-m"})})
    for e in b["entry"]:
        if e["resource"].get("id") == "tumor-specimen-left-breast-jenny-m":
            e["resource"]["request"] = [{"reference": "ServiceRequest/breast-biopsy"}]
    facts = extract_facts(b, vocab)
    assert _jenny_markers(facts) == [(e, JENNY_CANCER) for e in JENNY_MARKERS]
