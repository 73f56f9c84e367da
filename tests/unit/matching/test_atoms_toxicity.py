"""ResidualToxicity: a graded, unresolved, current adverse event of prior anticancer therapy above the
grade limit and not excepted meets it; nothing rules it out (AE records are incomplete), so "recovered
to <= grade 1" (its negation) is NOT_MET or UNKNOWN, never MET. Read from AdverseEvent resources of the
HL7 CTCAE IG shape (mCODE Extraction Framework fixtures) and through the service."""

from datetime import date, timedelta
import copy
import json

import pytest

from trialmatch.catalogue import build_catalogue
from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.facts_json import facts_from_json, facts_to_json
from trialmatch.domain.verdict import MISSING, TO_CONFIRM, Verdict
from trialmatch.errors import RuleFileError
from trialmatch.matching.match_rules import load_rules
from trialmatch.matching.toxicity_terms import load_toxicity_terms
from trialmatch.mcode.extract import extract_facts
from trialmatch.services import match_bundle
from tests.unit.mcode.bundle_builder import added_to, load_bundle
from tests.unit.matching.helpers import AS_OF, VOCAB, outcome, patient, trial

MDR = "http://terminology.hl7.org/CodeSystem/mdr"
NEUROPATHY = f.Coding(MDR, "10034620", "Peripheral sensory neuropathy")
ALOPECIA = f.Coding(MDR, "10001760", "Alopecia")
NAUSEA = f.Coding(MDR, "10028813", "Nausea")
SNOMED_RASH = f.Coding(f.SNOMED, "271807003", "Eruption of skin (disorder)")
CHEMO = f.Medication("MedicationStatement/paclitaxel", ingredients=("paclitaxel",), status="completed",
                     start=date(2026, 6, 1), end=date(2026, 9, 1))
RADIATION = f.Procedure("Procedure/rt", "radiation", date=date(2026, 8, 1))
ABOVE_1 = c.ResidualToxicity(above_grade=1)
EXCEPT = c.ResidualToxicity(above_grade=1, exceptions=(c.ToxicityException("alopecia"),
                                                       c.ToxicityException("peripheral_neuropathy", max_grade=2)))


def ae(code=NEUROPATHY, grade=2, outcome_code="ongoing", days_ago=10, resolved=None, suspects=(CHEMO.evidence,), n=0):
    when = None if days_ago is None else AS_OF - timedelta(days=days_ago)
    return f.AdverseEvent(f"AdverseEvent/ae{n}", (code,) if code else (), None, grade, outcome_code, resolved, when,
                          when, suspects)


def facts(*events, meds=(CHEMO,), procedures=()):
    return patient(adverse_events=tuple(events), medications=meds, procedures=procedures)


@pytest.mark.parametrize("node, events, verdict", [
    (ABOVE_1, [ae()], Verdict.MET),  # grade 2 neuropathy of paclitaxel, ongoing
    (ABOVE_1, [ae(grade=1)], Verdict.UNKNOWN),  # at the limit: shows nothing either way
    (ABOVE_1, [ae(grade=None)], Verdict.UNKNOWN),  # no CTCAE grade
    (ABOVE_1, [ae(outcome_code="resolved")], Verdict.UNKNOWN),  # over: never read as "recovered from all"
    (ABOVE_1, [ae(outcome_code="resolvedWithSequelae")], Verdict.UNKNOWN),
    (ABOVE_1, [ae(resolved=AS_OF - timedelta(days=5))], Verdict.UNKNOWN),  # resolved-date extension
    (ABOVE_1, [ae(suspects=())], Verdict.UNKNOWN),  # no cause named
    (ABOVE_1, [ae(suspects=("MedicationStatement/an-antibiotic",))], Verdict.UNKNOWN),  # not anticancer therapy
    (ABOVE_1, [ae(outcome_code=None, days_ago=10)], Verdict.MET),  # no outcome, graded within 28 days
    (ABOVE_1, [ae(outcome_code=None, days_ago=29)], Verdict.UNKNOWN),  # older: may have improved since
    (ABOVE_1, [ae(outcome_code="recovering", days_ago=200)], Verdict.UNKNOWN),
    (ABOVE_1, [ae(outcome_code="ongoing", days_ago=400)], Verdict.UNKNOWN),  # "ongoing" but old: may have improved
    (ABOVE_1, [ae(outcome_code=None, days_ago=None)], Verdict.UNKNOWN),  # undated
    (ABOVE_1, [], Verdict.UNKNOWN),  # no record is no evidence of recovery
    (EXCEPT, [ae(grade=2)], Verdict.UNKNOWN),  # neuropathy <= 2 is accepted
    (EXCEPT, [ae(grade=3)], Verdict.MET),  # above its own limit
    (EXCEPT, [ae(code=ALOPECIA, grade=2)], Verdict.UNKNOWN),  # alopecia at any grade
    (EXCEPT, [ae(code=NAUSEA, grade=2)], Verdict.MET),  # a MedDRA-coded other event
    (EXCEPT, [ae(code=SNOMED_RASH, grade=2)], Verdict.UNKNOWN),  # not shown to be another event
    (EXCEPT, [ae(code=f.Coding(None, None, "chemotherapy-induced peripheral neuropathy"), grade=2)], Verdict.UNKNOWN),
    (ABOVE_1, [ae(code=SNOMED_RASH, grade=3)], Verdict.MET),  # no exceptions: any graded event counts
    (c.ResidualToxicity(above_grade=1, or_baseline=True), [ae()], Verdict.UNKNOWN),  # baseline: to confirm
    (c.ResidualToxicity(above_grade=1, therapy="radiotherapy"), [ae()], Verdict.UNKNOWN),  # chemo is not radiation
    (c.ResidualToxicity(above_grade=1, therapy="chemotherapy"), [ae()], Verdict.MET),
    (c.ResidualToxicity(above_grade=1, therapy="systemic"), [ae()], Verdict.MET),  # chemotherapy is systemic
    (c.ResidualToxicity(above_grade=2), [ae(grade=2)], Verdict.UNKNOWN),
    (c.Not(ABOVE_1), [ae()], Verdict.NOT_MET),  # "recovered to <= grade 1": a grade 2 toxicity fails it
    (c.Not(ABOVE_1), [ae(grade=1)], Verdict.UNKNOWN),  # never MET from records alone
])
def test_evidence_rules(node, events, verdict):
    assert outcome(node, facts(*events)).verdict is verdict


def test_a_clinician_assessment_newer_than_the_records_decides():
    """The entered ``residual_toxicity`` assessment (worst grade left, 0 = none) decides when fresh and
    not older than a counting record; an older one gives way to the record."""
    def assessed(grade, days_ago):
        return (f.ToxicityAssessment("entered:residual_toxicity[0]", grade, AS_OF - timedelta(days=days_ago)),)

    neuropathy_10_days_ago = ae(outcome_code=None, days_ago=10)
    later = patient(adverse_events=(neuropathy_10_days_ago,), medications=(CHEMO,), residual_toxicity=assessed(1, 2))
    out = outcome(ABOVE_1, later)
    assert out.verdict is Verdict.NOT_MET
    assert out.reason == "worst residual toxicity grade 1, assessed 2026-11-24: not above grade 1"
    earlier = patient(adverse_events=(neuropathy_10_days_ago,), medications=(CHEMO,), residual_toxicity=assessed(1, 20))
    assert outcome(ABOVE_1, earlier).verdict is Verdict.MET  # the record of 10 days ago is newer
    assert outcome(ABOVE_1, patient(residual_toxicity=assessed(3, 1))).verdict is Verdict.MET
    assert outcome(c.ResidualToxicity(above_grade=1, or_baseline=True),
                   patient(residual_toxicity=assessed(3, 1))).verdict is Verdict.UNKNOWN


def test_a_systemic_drug_other_than_chemotherapy():
    pembro = f.Medication("MedicationStatement/pembro", ingredients=("pembrolizumab",), status="completed",
                          start=date(2026, 6, 1), end=date(2026, 9, 1))
    colitis = ae(code=f.Coding(MDR, "10009887", "Colitis"), suspects=(pembro.evidence,))
    assert outcome(c.ResidualToxicity(1, therapy="systemic"), facts(colitis, meds=(pembro,))).verdict is Verdict.MET
    assert outcome(c.ResidualToxicity(1, therapy="chemotherapy"), facts(colitis, meds=(pembro,))).verdict is Verdict.UNKNOWN
    assert outcome(ABOVE_1, facts(colitis, meds=(pembro,))).verdict is Verdict.MET


def test_radiotherapy_and_surgery_causes():
    rt = ae(suspects=(RADIATION.evidence,))
    assert outcome(c.ResidualToxicity(1, therapy="radiotherapy"), facts(rt, procedures=(RADIATION,))).verdict is Verdict.MET
    assert outcome(ABOVE_1, facts(rt, procedures=(RADIATION,))).verdict is Verdict.MET
    assert outcome(c.ResidualToxicity(1, therapy="surgery"), facts(rt, procedures=(RADIATION,))).verdict is Verdict.UNKNOWN


def test_explanations_name_the_record_and_what_would_decide():
    out = outcome(c.Not(ABOVE_1), facts(ae()))
    assert "grade 2 Peripheral sensory neuropathy (ongoing): above grade 1, not resolved" in out.children[0].reason
    assert out.children[0].evidence[0].reference == "AdverseEvent/ae0"
    out = outcome(EXCEPT, facts(ae(code=SNOMED_RASH)))
    assert out.reason.startswith("whether grade 2 Eruption of skin (disorder) is one of the accepted toxicities")
    assert [(m.item, m.kind) for m in out.missing] == [("grade of residual toxicities of prior therapy", TO_CONFIRM)]
    assert outcome(ABOVE_1, facts()).missing[0].kind == MISSING  # nothing recorded, in an inclusion
    assert outcome(c.Not(ABOVE_1), facts()).missing[0].kind == TO_CONFIRM  # an exclusion: to confirm
    out = outcome(c.ResidualToxicity(1, or_baseline=True), facts(ae()))
    assert "whether it is the patient's baseline is to confirm" in out.reason


def test_toxicity_terms_are_validated_data(tmp_path):
    terms = load_rules().toxicity_terms
    assert terms["alopecia"].meddra == {"10001760"}
    assert {"10034620", "10034580"} <= terms["peripheral_neuropathy"].meddra  # sensory and motor included
    (tmp_path / "toxicity_terms.yaml").write_text(
        "source: x\nterms:\n  alopecia: {name: Alopecia, meddra: [10001760], names: [alopecia], phrases: [alopecia]}\n")
    with pytest.raises(RuleFileError, match=r"toxicity_terms.yaml: terms.alopecia.meddra"):
        load_toxicity_terms(tmp_path)
    (tmp_path / "toxicity_terms.yaml").write_text(
        "source: x\nterms:\n  a: {name: A, meddra: [], names: [a], phrases: [a], includes: [b]}\n")
    with pytest.raises(RuleFileError, match=r"terms.a.includes: 'b' is not another term"):
        load_toxicity_terms(tmp_path)


def test_facts_json_round_trip():
    data = facts(ae(), ae(code=None, grade=None, outcome_code=None, days_ago=None, resolved=date(2026, 1, 2), n=1))
    assert facts_from_json(json.loads(json.dumps(facts_to_json(data)))) == data


# ---- from FHIR resources (mCODE Extraction Framework fixtures, HL7 CTCAE IG shape) --------------

DATA = "tests/data/adverse-events/"
CODEX = "tests/data/bundles/codex/mcode-cql/Bundle-mCODECQLExample01.json"
PACLITAXEL = "MedicationStatement/d6d5e888-fe94-457f-9564-d151695c1b36"  # in the CodeX bundle


def _with(real: dict, *resources) -> dict:
    return added_to(real, *resources, resource_type="AdverseEvent", prefix="ae", reference="subject")


def test_extraction_framework_bundle_is_read():
    events = extract_facts(load_bundle(DATA + "csv-ctc-adverse-event-bundle.json"), VOCAB).adverse_events
    assert events == (f.AdverseEvent(
        "AdverseEvent/adverseEventId-1",
        (f.Coding("code-system", "109006", "Anxiety disorder of childhood OR adolescence"),), "event-text", 1, None,
        date(2021, 12, 1), date(1994, 12, 9), date(1994, 12, 9), ("urn:uuid:procedure-id",)),)


def test_ctcae_resources_in_a_patient_bundle_and_defects_with_their_location():
    maximal = load_bundle(DATA + "maximal-ctc-adverse-event-resource.json")
    minimal = load_bundle(DATA + "minimal-ctc-adverse-event-resource.json")
    bad_grade = copy.deepcopy(minimal)
    bad_grade["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = "7"
    potential = {**copy.deepcopy(minimal), "actuality": "potential"}
    got = extract_facts(_with(load_bundle(CODEX), maximal, minimal, bad_grade, potential), VOCAB)
    events = {e.evidence: e for e in got.adverse_events}
    assert set(events) == {"AdverseEvent/ae-0", "AdverseEvent/ae-1", "AdverseEvent/ae-2"}  # the potential one dropped
    assert (events["AdverseEvent/ae-0"].grade, events["AdverseEvent/ae-0"].resolved) == (2, date(2021, 12, 9))
    assert (events["AdverseEvent/ae-1"].grade, events["AdverseEvent/ae-1"].resolved) == (2, None)
    assert events["AdverseEvent/ae-2"].grade is None
    where = [w for w in got.warnings if "CTCAE grade" in w.message]
    assert [w.location for w in where] == ["Bundle.entry[%d].resource.extension" % (len(load_bundle(CODEX)["entry"]) + 2)]


NEUROPATHY_AE = {
    "resourceType": "AdverseEvent",
    "extension": [{"url": "http://hl7.org/fhir/us/ctcae/StructureDefinition/ctcae-grade",
                   "valueCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/us/ctcae/CodeSystem/ctcae-grade-code-system",
                                                        "code": "2", "display": "Moderate Adverse Event"}]}}],
    "actuality": "actual",
    "event": {"coding": [{"system": MDR, "code": "10034620", "display": "Peripheral sensory neuropathy"}]},
    "date": "2026-11-10",
    "outcome": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/adverse-event-outcome", "code": "ongoing"}]},
    "suspectEntity": [{"instance": {"reference": PACLITAXEL}}],
}
EXCLUSION = c.All((c.Not(c.ResidualToxicity(above_grade=1, text="Persistent toxicity > grade 1 of prior therapy",
                                            id="exc-1")),))
EXCEPTED = c.All((c.Not(c.ResidualToxicity(above_grade=1, exceptions=(c.ToxicityException("peripheral_neuropathy", 2),),
                                           text="Persistent toxicity > grade 1 except neuropathy <= grade 2",
                                           id="exc-1")),))


@pytest.mark.parametrize("criteria, result_class, reason", [
    (EXCLUSION, "ineligible", "grade 2 Peripheral sensory neuropathy (ongoing): above grade 1, not resolved"),
    (EXCEPTED, "possible", "no unresolved adverse event above grade 1"),
])
def test_match_of_a_real_bundle_with_a_graded_neuropathy(criteria, result_class, reason):
    bundle = _with(load_bundle(CODEX), NEUROPATHY_AE)
    catalogue = build_catalogue([trial("T-TOX", criteria)], version="t1", vocab=VOCAB)
    view = match_bundle(bundle=bundle, as_of=AS_OF, catalogue=catalogue, vocab=VOCAB)
    result = next(r for r in view["results"] if r["trial_id"] == "T-TOX")
    assert result["result_class"] == result_class
    assert reason in json.dumps(result)


def test_an_old_ongoing_record_is_to_confirm_not_ineligible():
    # review: an "ongoing" grade 3 record from long ago read MET (ineligible); records are seldom closed
    old = dict(NEUROPATHY_AE, date="2026-09-15")
    bundle = _with(load_bundle(CODEX), old)
    catalogue = build_catalogue([trial("T-TOX", EXCLUSION)], version="t1", vocab=VOCAB)
    view = match_bundle(bundle=bundle, as_of=AS_OF, catalogue=catalogue, vocab=VOCAB)
    result = next(r for r in view["results"] if r["trial_id"] == "T-TOX")
    assert result["result_class"] == "possible"
    assert "(2026-09-15) persists is to confirm" in json.dumps(result)


def test_a_port_placement_is_no_anticancer_therapy():
    port = f.Procedure("Procedure/port", "other", date=date(2026, 10, 1))
    out = outcome(ABOVE_1, patient(adverse_events=(ae(suspects=(port.evidence,)),), procedures=(port,)))
    assert out.verdict is Verdict.UNKNOWN and "was caused by prior anticancer therapy" in out.reason



def test_an_assessment_older_than_any_unresolved_record_above_the_limit_gives_way():
    # review: a grade 3 record of yesterday whose cause is not shown must not be outweighed by an older
    # "grade 0" assessment (it was, since only counting records were compared)
    newer = ae(grade=3, days_ago=1, suspects=())
    older_assessment = (f.ToxicityAssessment("entered:residual_toxicity[0]", 0, AS_OF - timedelta(days=5)),)
    out = outcome(ABOVE_1, patient(adverse_events=(newer,), medications=(CHEMO,), residual_toxicity=older_assessment))
    assert out.verdict is Verdict.UNKNOWN
