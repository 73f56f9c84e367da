from datetime import date

import pytest

from trialmatch.domain import facts as f
from trialmatch.entered_facts import merge, parse_entered_facts
from trialmatch.errors import PatientDataError

AS_OF = date(2026, 11, 26)


def test_entered_facts_become_dated_evidence_marked_as_entered():
    facts = parse_entered_facts({
        "markers": [{"marker": "HER2", "status": "positive", "date": "2026-11-01"}],
        "performance": [{"scale": "ECOG", "value": 1, "date": "2026-11-20"}],
    }, as_of=AS_OF)
    assert facts.markers == (f.TumorMarker(evidence="entered:markers[0]", marker="HER2", status="positive",
                                           date=date(2026, 11, 1)),)
    assert facts.performance == (f.PerformanceStatus(evidence="entered:performance[0]", scale="ECOG", value=1,
                                                     ecog=(1,), date=date(2026, 11, 20)),)


def test_merge_adds_to_the_record_and_keeps_what_it_had():
    record = f.PatientFacts(sex="female", markers=(f.TumorMarker("Observation/1", "ER", "positive"),))
    entered = parse_entered_facts({"markers": [{"marker": "HER2", "status": "negative", "date": "2026-01-02"}]},
                                  as_of=AS_OF)
    merged = merge(record, entered)
    assert [m.marker for m in merged.markers] == ["ER", "HER2"] and merged.sex == "female"
    assert merge(record, parse_entered_facts(None, as_of=AS_OF)) is record


@pytest.mark.parametrize("data, location", [
    ([], "entered_facts"),
    ({"labs": []}, "entered_facts.labs"),
    ({"markers": {}}, "entered_facts.markers"),
    ({"markers": [{"marker": "HER2", "status": "positive"}]}, "entered_facts.markers[0].date"),
    ({"markers": [{"marker": "HER2", "status": "pos", "date": "2026-11-01"}]}, "entered_facts.markers[0].status"),
    ({"markers": [{"marker": "HER2", "date": "2026-11-01"}]}, "entered_facts.markers[0]"),
    ({"markers": [{"marker": "HER2", "status": "positive", "date": "2027-01-01"}]}, "entered_facts.markers[0].date"),
    ({"markers": [{"marker": "HER2", "status": "positive", "date": "2026-11-01", "evidence": "x"}]},
     "entered_facts.markers[0].evidence"),
    ({"markers": [{"marker": "HER2", "colour": "red", "date": "2026-11-01"}]}, "entered_facts.markers[0]"),
    ({"performance": [{"scale": "Karnofsky", "value": 80, "date": "2026-11-01"}]}, "entered_facts.performance[0]"),
    ({"performance": [{"scale": "ECOG", "value": 7, "date": "2026-11-01"}]}, "entered_facts.performance[0]"),
])
def test_each_problem_is_refused_naming_its_location(data, location):
    with pytest.raises(PatientDataError) as caught:
        parse_entered_facts(data, as_of=AS_OF)
    assert caught.value.issues[0][0] == location


# --- allergies and vaccines a clinician enters ---------------------------------------------------

def test_entered_allergies_and_vaccines_are_read_as_records_would_be():
    from trialmatch.vocab import load_vocabulary

    facts = parse_entered_facts({
        "allergies": [{"no_known": "drug_allergy", "date": "2026-11-20"},
                      {"substances": ["Carboplatin"], "date": "2026-11-20"}],
        "immunizations": [{"codes": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "03"}], "date": "2026-11-10"}],
    }, as_of=AS_OF, vocab=load_vocabulary())
    statement, allergy = facts.allergies
    assert statement == f.Allergy(evidence="entered:allergies[0]", no_known="drug_allergy", date=date(2026, 11, 20))
    assert allergy == f.Allergy(evidence="entered:allergies[1]", substances=("carboplatin",), category=("medication",),
                                kind="allergy", clinical_status="active", verification_status="confirmed",
                                date=date(2026, 11, 20))
    assert facts.immunizations == (f.Immunization("entered:immunizations[0]",
                                                  (f.Coding("http://hl7.org/fhir/sid/cvx", "03"),), "completed",
                                                  date(2026, 11, 10)),)


@pytest.mark.parametrize("data, location", [
    ({"allergies": [{"date": "2026-11-01"}]}, "entered_facts.allergies[0]"),
    ({"allergies": [{"no_known": "drug_allergy", "substances": ["cisplatin"], "date": "2026-11-01"}]},
     "entered_facts.allergies[0]"),
    ({"allergies": [{"no_known": "food", "date": "2026-11-01"}]}, "entered_facts.allergies[0].no_known"),
    ({"allergies": [{"substances": ["carboplatn"], "date": "2026-11-01"}]}, "entered_facts.allergies[0].substances"),
    ({"allergies": [{"substances": [], "date": "2026-11-01"}]}, "entered_facts.allergies[0].substances"),
    ({"allergies": [{"substances": ["cisplatin"], "kind": "rash", "date": "2026-11-01"}]},
     "entered_facts.allergies[0].kind"),
    ({"allergies": [{"substances": ["cisplatin"], "clinical_status": "resolved", "date": "2026-11-01"}]},
     "entered_facts.allergies[0].clinical_status"),
    ({"allergies": [{"substances": ["cisplatin"]}]}, "entered_facts.allergies[0].date"),
    ({"immunizations": [{"codes": [], "date": "2026-11-01"}]}, "entered_facts.immunizations[0].codes"),
    ({"immunizations": [{"codes": [{"system": "http://snomed.info/sct", "code": "03"}], "date": "2026-11-01"}]},
     "entered_facts.immunizations[0].codes[0]"),
    ({"immunizations": [{"codes": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "03"}], "status": "not-done",
                         "date": "2026-11-01"}]}, "entered_facts.immunizations[0].status"),
    ({"immunizations": [{"codes": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "03"}], "date": "2027-01-01"}]},
     "entered_facts.immunizations[0].date"),
])
def test_bad_allergies_and_vaccines_are_refused_naming_the_field(data, location):
    from trialmatch.vocab import load_vocabulary

    with pytest.raises(PatientDataError) as caught:
        parse_entered_facts(data, as_of=AS_OF, vocab=load_vocabulary())
    assert caught.value.issues[0][0] == location


def test_entered_allergy_statement_and_vaccine_decide_a_parsed_trial_through_the_service():
    """A real CodeX patient with no allergy or immunization records: the trial is "possible" (allergy
    list and vaccines to confirm); the clinician's "no known drug allergy" rules the allergy
    exclusion out; an entered carboplatin allergy makes the trial ineligible; an entered live vaccine
    10 days ago is a wait with the date eligibility opens, not a permanent "no"."""
    import json as json_module
    from pathlib import Path

    from trialmatch.catalogue import build_catalogue
    from trialmatch.nlp.trial_records import trial_from_record
    from trialmatch.services import match_bundle
    from trialmatch.vocab import load_vocabulary

    vocab = load_vocabulary()
    text = ("Inclusion Criteria:\n\n* Age 18 years or older\n\nExclusion Criteria:\n\n"
            "* Known hypersensitivity to carboplatin\n* Live vaccine within 30 days prior to the first dose\n")
    trial, _ = trial_from_record({"nct_id": "NCT00000002", "title": "T", "eligibility": {"raw_text": text}}, vocab)
    catalogue = build_catalogue([trial], version="t1", vocab=vocab)
    bundle = json_module.loads((Path(__file__).parents[1] / "data" / "bundles" / "codex" / "clinical-trial-matching-app"
                                / "TrialMatching_Patient02.json").read_text())

    def verdicts(entered):
        view = match_bundle(bundle=bundle, as_of=AS_OF, catalogue=catalogue, vocab=vocab, entered=entered)
        [result] = view["results"]
        atoms, reasons = {}, {}

        def walk(o):
            if not o["children"]:
                atoms[o["type"]] = (o["verdict"], [e["reference"] for e in o["evidence"]])
                reasons[o["type"]] = o["reason"]
            for child in o["children"]:
                walk(child)
        walk(result["criteria"])
        return result["result_class"], atoms, reasons

    cls, atoms, reasons = verdicts(None)
    assert cls == "possible"
    assert atoms["hypersensitivity"][0] == "unknown"
    cls, atoms, reasons = verdicts({"allergies": [{"no_known": "drug_allergy", "date": "2026-11-20"}]})
    assert atoms["hypersensitivity"] == ("not_met", ["entered:allergies[0]"])
    cls, atoms, reasons = verdicts({"allergies": [{"substances": ["carboplatin"], "date": "2026-11-20"}]})
    assert cls == "ineligible" and atoms["hypersensitivity"] == ("met", ["entered:allergies[0]"])
    vaccine = {"codes": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "03", "display": "MMR"}], "date": "2026-11-16"}
    cls, atoms, reasons = verdicts({"immunizations": [vaccine]})
    # in an exclusion a live vaccine 10 days ago is a wait still running, never a permanent "no"
    assert atoms["vaccination"] == ("unknown", ["entered:immunizations[0]"]) and cls == "possible"
    assert reasons["vaccination"] == "MMR on 2026-11-16; eligible after a 30-day wait (from 2026-12-17)"


# --- the residual toxicity a clinician assesses --------------------------------------------------

def test_entered_residual_toxicity_decides_the_recovery_criterion():
    from trialmatch.domain import criteria as c
    from trialmatch.domain.verdict import Verdict
    from tests.unit.matching.helpers import outcome, patient

    def assessed(grade, when="2026-11-20"):
        return parse_entered_facts({"residual_toxicity": [{"max_grade": grade, "date": when}]},
                                   as_of=AS_OF).residual_toxicity

    recovered = c.Not(c.ResidualToxicity(above_grade=1))  # "recovered to <= grade 1 from prior therapy"
    out = outcome(recovered, patient(residual_toxicity=assessed(1)))
    assert out.verdict is Verdict.MET
    assert [e.reference for e in out.children[0].evidence] == ["entered:residual_toxicity[0]"]
    assert outcome(recovered, patient(residual_toxicity=assessed(2))).verdict is Verdict.NOT_MET
    # a grade 2 left may be the alopecia the criterion accepts: to confirm
    with_exception = c.Not(c.ResidualToxicity(above_grade=1, exceptions=(c.ToxicityException("alopecia"),)))
    out = outcome(with_exception, patient(residual_toxicity=assessed(2)))
    assert out.verdict is Verdict.UNKNOWN and "one of the accepted toxicities" in out.reason
    assert outcome(with_exception, patient(residual_toxicity=assessed(0))).verdict is Verdict.MET
    # older than the 28-day window: as if none were entered
    out = outcome(recovered, patient(residual_toxicity=assessed(0, "2026-09-01")))
    assert out.verdict is Verdict.UNKNOWN
    assert out.missing[0].item == "grade of residual toxicities of prior therapy"


@pytest.mark.parametrize("item, field", [
    ({"max_grade": 6, "date": "2026-11-20"}, "max_grade"), ({"max_grade": "1", "date": "2026-11-20"}, "max_grade"),
    ({"max_grade": True, "date": "2026-11-20"}, "max_grade"), ({"max_grade": 1.0, "date": "2026-11-20"}, "max_grade"),
    ({"max_grade": 1, "term": "alopecia", "date": "2026-11-20"}, "term")])
def test_bad_residual_toxicity_is_refused_naming_the_field(item, field):
    with pytest.raises(PatientDataError) as caught:
        parse_entered_facts({"residual_toxicity": [item]}, as_of=AS_OF)
    assert caught.value.issues[0][0] == f"entered_facts.residual_toxicity[0].{field}"
