"""Hypersensitivity: a recorded allergy to the drug (or a drug of the class) meets it; only a fresh,
uncontradicted "no known (drug) allergy" statement rules it out; no record, other allergies or a
study-treatment atom with drug allergies on record stay UNKNOWN naming the allergy list. Read from
AllergyIntolerance resources of a real Bundle (one added to a CodeX example), through the service."""

from datetime import date, timedelta
import json

import pytest

from trialmatch.catalogue import build_catalogue
from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.facts_json import facts_from_json, facts_to_json
from trialmatch.domain.verdict import MISSING, TO_CONFIRM, Verdict
from trialmatch.matching.render import render
from trialmatch.mcode.extract import extract_facts
from trialmatch.services import match_bundle
from tests.unit.mcode.bundle_builder import added_to
from tests.unit.matching.helpers import AS_OF, VOCAB, outcome, patient, trial

PEMBRO = c.Hypersensitivity(drugs=("pembrolizumab",))
PLATINUM = c.Hypersensitivity(classes=("platinum",))
STUDY = c.Hypersensitivity(study_treatment=True)
RX = f.Coding(f.RXNORM, "1547545", "pembrolizumab")  # RxNorm ingredient (drug_rxnorm.tsv)


def allergy(codes=(), substances=(), days_ago=30, n=0, **kw):
    return f.Allergy(f"AllergyIntolerance/a{n}", tuple(codes), tuple(substances), date=AS_OF - timedelta(days=days_ago),
                     **kw)


NKDA = dict(codes=(f.Coding(f.SNOMED, "409137002", "No known drug allergy"),), no_known="drug_allergy")
NKA = dict(codes=(f.Coding(f.SNOMED, "716186003", "No known allergy"),), no_known="allergy")
PENICILLIN = dict(codes=(f.Coding(f.SNOMED, "91936005", "Allergy to penicillin"),), category=("medication",))
PEANUT = dict(codes=(f.Coding(f.SNOMED, "91935009", "Allergy to peanut"),), category=("food",))


@pytest.mark.parametrize("node, records, verdict", [
    (PEMBRO, [allergy(substances=("pembrolizumab",))], Verdict.MET),
    (c.Not(PEMBRO), [allergy(substances=("pembrolizumab",))], Verdict.NOT_MET),  # the exclusion excludes
    (PLATINUM, [allergy(substances=("carboplatin",))], Verdict.MET),  # a drug of the class
    (PEMBRO, [allergy(substances=("pembrolizumab",), verification_status="refuted")], Verdict.UNKNOWN),
    (PEMBRO, [allergy(substances=("pembrolizumab",), clinical_status="resolved")], Verdict.UNKNOWN),
    (PEMBRO, [allergy(substances=("pembrolizumab",), verification_status="unconfirmed")], Verdict.UNKNOWN),
    (PEMBRO, [allergy(substances=("pembrolizumab",), kind="intolerance")], Verdict.UNKNOWN),
    (PEMBRO, [allergy(**NKDA)], Verdict.NOT_MET),
    (c.Not(PEMBRO), [allergy(**NKDA)], Verdict.MET),
    (PEMBRO, [allergy(**NKA)], Verdict.NOT_MET),
    (PEMBRO, [allergy(days_ago=366, **NKDA)], Verdict.UNKNOWN),  # stale statement
    (PEMBRO, [allergy(days_ago=365, **NKDA)], Verdict.NOT_MET),  # the window is inclusive
    (PEMBRO, [allergy(**NKDA), allergy(n=1, **PENICILLIN)], Verdict.UNKNOWN),  # contradicted
    (PEMBRO, [allergy(**NKDA), allergy(n=1, **PEANUT)], Verdict.NOT_MET),  # a food allergy is not a drug allergy
    (PEMBRO, [allergy(**NKA), allergy(n=1, **PEANUT)], Verdict.UNKNOWN),  # "no known allergy" contradicted
    (PEMBRO, [allergy(n=1, **PENICILLIN)], Verdict.UNKNOWN),  # other allergies: not evidence of none
    (PEMBRO, [allergy(substances=("carboplatin",))], Verdict.UNKNOWN),
    (PEMBRO, [], Verdict.UNKNOWN),
    (STUDY, [allergy(**NKDA)], Verdict.NOT_MET),
    (STUDY, [allergy(n=1, **PENICILLIN)], Verdict.UNKNOWN),  # is penicillin in the study treatment? not known
    (STUDY, [allergy(**NKDA), allergy(n=1, **PEANUT)], Verdict.NOT_MET),
])
def test_evidence_rules(node, records, verdict):
    assert outcome(node, patient(allergies=tuple(records))).verdict is verdict


def test_unknowns_name_what_would_decide_them():
    out = outcome(c.Not(PEMBRO), patient())
    assert (out.verdict, [(m.item, m.kind) for m in out.missing]) == (Verdict.UNKNOWN, [("allergy list", TO_CONFIRM)])
    assert outcome(PEMBRO, patient()).missing[0].kind == MISSING
    out = outcome(STUDY, patient(allergies=(allergy(n=1, **PENICILLIN),)))
    assert [(m.item, m.kind) for m in out.missing] == [("allergy to the study treatment", TO_CONFIRM)]
    assert "Allergy to penicillin" in out.reason and out.evidence[0].reference == "AllergyIntolerance/a1"
    met = outcome(PEMBRO, patient(allergies=(allergy(substances=("pembrolizumab",)),)))
    assert met.reason.startswith("allergy to pembrolizumab recorded")
    assert render(c.Hypersensitivity(drugs=("nivolumab",), classes=("anti_pd1",), study_treatment=True)) == \
        "hypersensitivity to nivolumab or anti pd1 or the study treatment"


def test_facts_json_round_trip():
    facts = patient(allergies=(allergy(codes=(RX,), substances=("pembrolizumab",), category=("medication",),
                                       kind="allergy", clinical_status="active", verification_status="confirmed"),
                               allergy(n=1, **NKDA)))
    assert facts_from_json(json.loads(json.dumps(facts_to_json(facts)))) == facts


# ---- from a Bundle ---------------------------------------------------------------------------

BUNDLE = "tests/data/bundles/codex/mcode-cql/Bundle-mCODECQLExample01.json"


def _with(real: dict, *resources) -> dict:
    return added_to(real, *resources, resource_type="AllergyIntolerance", prefix="allergy", reference="patient")


ACTIVE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]}
PEMBRO_ALLERGY = {"clinicalStatus": ACTIVE, "category": ["medication"], "recordedDate": "2026-10-01",
                  "code": {"coding": [{"system": f.RXNORM, "code": "1547545", "display": "pembrolizumab"}]}}
KEYTRUDA_TEXT = {"clinicalStatus": ACTIVE, "code": {"text": "Keytruda"}, "recordedDate": "2026-10-01"}
NKDA_RECORD = {"clinicalStatus": ACTIVE, "recordedDate": "2026-10-01",
               "code": {"coding": [{"system": f.SNOMED, "code": "409137002", "display": "No known drug allergy"}]}}


def test_allergy_records_are_extracted_and_defects_dropped_with_their_location():
    with open(BUNDLE) as fh:
        base = json.load(fh)
    facts = extract_facts(_with(base, PEMBRO_ALLERGY, KEYTRUDA_TEXT, NKDA_RECORD, {"clinicalStatus": ACTIVE},
                                {**PEMBRO_ALLERGY, "verificationStatus": {"coding": [{"code": "entered-in-error"}]}}),
                          VOCAB)
    assert [(a.substances, a.no_known, a.category, a.date) for a in facts.allergies] == [
        (("pembrolizumab",), None, ("medication",), date(2026, 10, 1)),
        (("pembrolizumab",), None, (), date(2026, 10, 1)),  # the brand name, exactly
        ((), "drug_allergy", (), date(2026, 10, 1)),
    ]
    where = [w for w in facts.warnings if "allergy" in w.message]
    assert [w.message for w in where] == ["allergy record names no substance; not used"]
    assert where[0].location.endswith(".code") and "Bundle.entry[" in where[0].location


CRITERIA = c.All((c.Not(c.Hypersensitivity(drugs=("pembrolizumab",), text="Hypersensitivity to pembrolizumab or any "
                                           "of its excipients", id="exc-1")),))


@pytest.mark.parametrize("record, klass, verdict", [
    (PEMBRO_ALLERGY, "ineligible", "not_met"), (NKDA_RECORD, "eligible", "met"), (None, "possible", "unknown")])
def test_match_of_a_real_bundle_shows_the_atom_and_its_explanation(record, klass, verdict):
    with open(BUNDLE) as fh:
        bundle = json.load(fh)
    if record is not None:
        bundle = _with(bundle, record)
    catalogue = build_catalogue([trial("T-ALLERGY", CRITERIA)], version="t1", vocab=VOCAB)
    view = match_bundle(bundle=bundle, as_of=AS_OF, catalogue=catalogue, vocab=VOCAB)
    result = next(r for r in view["results"] if r["trial_id"] == "T-ALLERGY")
    assert result["result_class"] == klass
    text = json.dumps(result)
    assert verdict in text and "Hypersensitivity to pembrolizumab" in text
    if record is None:
        assert "allergy list" in text


@pytest.mark.parametrize("display, found", [
    ("Allergy to carboplatin (finding)", ("carboplatin",)), ("Carboplatin allergy", ("carboplatin",)),
    ("Keytruda", ("pembrolizumab",)), ("Allergy to penicillin", ()), ("pembrolizumab injection", ()),
])
def test_a_substance_is_a_drug_only_by_its_exact_name(display, found):
    from trialmatch.mcode.allergies import substances
    assert substances((f.Coding(f.SNOMED, "0", display),), (), VOCAB) == found
