"""Vaccination(live): a completed Immunization with a live CVX code inside the window meets it (in an
exclusion the window is a wait still running: UNKNOWN, eligible from a date); nothing else ever rules
it in or out (records are incomplete): UNKNOWN naming the immunization record. Read from Immunization
resources of real Bundles (CodeX and Synthea), through the service."""

from datetime import date, timedelta
import json

import pytest

from trialmatch.catalogue import build_catalogue
from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.facts_json import facts_from_json, facts_to_json
from trialmatch.domain.verdict import MISSING, TO_CONFIRM, Verdict
from trialmatch.errors import RuleFileError
from trialmatch.matching.live_vaccines import load_live_vaccines
from trialmatch.matching.match_rules import load_rules
from trialmatch.matching.render import render
from trialmatch.mcode.extract import extract_facts
from trialmatch.services import match_bundle
from tests.unit.mcode.bundle_builder import added_to, load_bundle
from tests.unit.matching.helpers import AS_OF, VOCAB, outcome, patient, trial

LIVE30 = c.Vaccination(live=True, within_days=30)
CVX = "http://hl7.org/fhir/sid/cvx"
MMR = f.Coding(CVX, "03", "MMR")
FLU = f.Coding(CVX, "140", "Influenza, seasonal, injectable, preservative free")
ZOSTER_LIVE = f.Coding(CVX, "121", "zoster live")
SHINGRIX = f.Coding(CVX, "187", "zoster recombinant")


def shot(code, days_ago=10, status="completed", n=0):
    when = None if days_ago is None else AS_OF - timedelta(days=days_ago)
    return f.Immunization(f"Immunization/i{n}", (code,), status, when)


@pytest.mark.parametrize("node, records, verdict", [
    (LIVE30, [shot(MMR)], Verdict.MET),
    (LIVE30, [shot(f.Coding(CVX, "3", "MMR"))], Verdict.MET),  # "3" is CVX 03
    (LIVE30, [shot(ZOSTER_LIVE, days_ago=30)], Verdict.MET),  # the window is inclusive
    (LIVE30, [shot(ZOSTER_LIVE, days_ago=31)], Verdict.UNKNOWN),  # older: a later one is not ruled out
    (LIVE30, [shot(MMR, days_ago=None)], Verdict.UNKNOWN),  # undated
    (LIVE30, [shot(MMR, status="not-done")], Verdict.UNKNOWN),
    (LIVE30, [shot(FLU), shot(SHINGRIX, n=1)], Verdict.UNKNOWN),  # non-live vaccines never meet it
    (LIVE30, [], Verdict.UNKNOWN),
    (c.Not(LIVE30), [shot(MMR)], Verdict.UNKNOWN),  # exclusion: a wait, never a permanent "ineligible"
    (c.Not(LIVE30), [shot(FLU)], Verdict.UNKNOWN),  # never "eligible" from absence
    (c.Vaccination(live=False, within_days=30), [shot(FLU)], Verdict.MET),
    (c.Vaccination(live=True), [shot(MMR, days_ago=4000)], Verdict.MET),  # no window: ever
])
def test_evidence_rules(node, records, verdict):
    assert outcome(node, patient(immunizations=tuple(records))).verdict is verdict


def test_explanations_name_the_record_and_the_date_the_wait_ends():
    out = outcome(c.Not(LIVE30), patient(immunizations=(shot(MMR, days_ago=10),)))
    assert out.reason == "MMR on 2026-11-16; eligible after a 30-day wait (from 2026-12-17)"
    assert [(m.item, m.kind) for m in out.missing] == [("live vaccine within 30 days", TO_CONFIRM)]
    assert out.children[0].evidence[0].reference == "Immunization/i0"
    out = outcome(c.Not(LIVE30), patient())
    assert [(m.item, m.kind) for m in out.missing] == [("immunization record", TO_CONFIRM)]
    assert outcome(LIVE30, patient()).missing[0].kind == MISSING
    assert render(LIVE30) == "live vaccine within 30 days"
    assert render(c.Vaccination(live=False, within_days=28)) == "vaccine within 28 days"


def test_live_vaccine_list_is_validated_data():
    codes = load_rules().live_vaccines  # loaded with the other rule files
    assert {"3", "94", "21", "121", "37", "19", "25", "111", "149", "116", "119", "174"} <= codes
    assert not {"140", "187", "188", "10", "101", "206", "207", "208"} & codes  # inactivated / recombinant / mRNA


def test_a_bad_live_vaccine_file_is_refused_by_name(tmp_path):
    (tmp_path / "live_vaccines.yaml").write_text("source: x\nvaccines:\n  - {cvx: 3, name: MMR}\n")
    with pytest.raises(RuleFileError, match=r"live_vaccines.yaml: vaccines\[0\]\.cvx"):
        load_live_vaccines(tmp_path)
    (tmp_path / "live_vaccines.yaml").write_text("source: x\nvaccines:\n  - {cvx: '03', name: MMR}\n"
                                                "  - {cvx: '3', name: MMR again}\n")
    with pytest.raises(RuleFileError, match=r"vaccines\[1\]\.cvx: 3 listed twice"):
        load_live_vaccines(tmp_path)


def test_facts_json_round_trip():
    facts = patient(immunizations=(shot(MMR), shot(FLU, days_ago=None, n=1)))
    assert facts_from_json(json.loads(json.dumps(facts_to_json(facts)))) == facts


# ---- from Bundles -----------------------------------------------------------------------------

CODEX = "tests/data/bundles/codex/mcode-cql/Bundle-mCODECQLExample01.json"
SYNTHEA = ("tests/data/bundles/synthea/longitudinalMCODEBreast/"
           "Corrie32_Boyle917_d65197b3-056a-2136-b584-77f43c29da3f.json")


def _with(real: dict, *resources) -> dict:
    return added_to(real, *resources, resource_type="Immunization", prefix="imm", reference="patient")


MMR_RECORD = {"status": "completed", "occurrenceDateTime": "2026-11-10",
              "vaccineCode": {"coding": [{"system": CVX, "code": "03", "display": "MMR"}]}}


def test_immunizations_are_extracted_and_defects_dropped_with_their_location():
    facts = extract_facts(load_bundle(SYNTHEA), VOCAB)
    assert len(facts.immunizations) == 17 and all(i.status == "completed" for i in facts.immunizations)
    assert {x.code for i in facts.immunizations for x in i.codes} >= {"140"}
    facts = extract_facts(_with(load_bundle(CODEX), MMR_RECORD, {**MMR_RECORD, "status": "not-done"},
                                {"status": "completed", "occurrenceDateTime": "2026-11-10",
                                 "vaccineCode": {"text": "a vaccine"}}), VOCAB)
    assert facts.immunizations[-1] == f.Immunization("Immunization/imm-0", (f.Coding(CVX, "03", "MMR"),), "completed",
                                                     date(2026, 11, 10))
    where = [w for w in facts.warnings if "vaccine" in w.message]
    assert [w.message for w in where] == ["immunization names no coded vaccine; not used"]
    assert where[0].location.endswith(".vaccineCode")


CRITERIA = c.All((c.Not(c.Vaccination(live=True, within_days=30, text="Received a live vaccine within 30 days",
                                      id="exc-1")),))


@pytest.mark.parametrize("record, reason", [
    (MMR_RECORD, "eligible after a 30-day wait (from 2026-12-11)"),
    (None, "before the 30-day window; a later one not recorded is not ruled out")])  # the patient's childhood MMR
def test_match_of_a_real_bundle_shows_the_atom_and_its_explanation(record, reason):
    bundle = load_bundle(CODEX) if record is None else _with(load_bundle(CODEX), record)
    catalogue = build_catalogue([trial("T-VACCINE", CRITERIA)], version="t1", vocab=VOCAB)
    view = match_bundle(bundle=bundle, as_of=AS_OF, catalogue=catalogue, vocab=VOCAB)
    result = next(r for r in view["results"] if r["trial_id"] == "T-VACCINE")
    assert result["result_class"] == "possible"  # the CodeX patient's many flu shots never decide it
    text = json.dumps(result)
    assert reason in text and "Received a live vaccine within 30 days" in text
