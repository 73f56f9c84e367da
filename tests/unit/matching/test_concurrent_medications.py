"""Concurrent (non-oncology) medications: systemic corticosteroids and immunosuppressants are
patient facts for the criteria naming them, never a cancer therapy or a line of therapy; a
steroid counts as systemic only in a systemic dose form; within_days 0 is current use."""

import json
from datetime import date
from pathlib import Path

from tests.unit.matching.helpers import VOCAB, outcome, patient
from tests.unit.matching.test_evidence_rules import view
from tests.unit.mcode.conftest import load_bundle
from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.matching.match_rules import load_rules
from trialmatch.mcode import extract_facts

RX = f.RXNORM
STEROIDS = ("systemic_corticosteroid",)


def rx(code, display, start, end=None, status="completed", ref="MedicationRequest/s"):
    return f.Medication(ref, codes=(f.Coding(RX, code, display),), status=status, start=start, end=end)


def tablet(start, end=None, status="completed", ref="MedicationRequest/pred"):
    """A prednisone order as Synthea writes it (an SCD display naming the dose form; code from medications.json)."""
    return f.Medication(ref, codes=(f.Coding(RX, "198145", "PredniSONE 10 MG Oral Tablet"),),
                        ingredients=("prednisone",), status=status, start=start, end=end)


def test_systemic_classes_of_the_rules_are_oncology_classes():
    assert all(VOCAB.is_oncology_class(k) for k in load_rules().systemic_classes)


def test_a_steroid_is_never_prior_systemic_therapy_or_a_line():
    p = patient(medications=(tablet(date(2026, 11, 1), status="active"),))
    for node in (c.PriorTherapy(), c.PriorTherapy(within_days=28), c.PriorTherapy(min_lines=1),
                 c.PriorTherapy(classes=("chemotherapy", "immunotherapy", "targeted_therapy", "endocrine_therapy"))):
        assert view(outcome(node, p))[0] == "unknown", node  # nothing recorded
    assert view(outcome(c.PriorTherapy(max_lines=0), p))[0] == "unknown"  # never "a line was given"
    assert view(outcome(c.PriorTherapy(classes=STEROIDS), p))[0] == "met"


def test_current_use_is_within_zero_days():
    current = c.Not(c.PriorTherapy(classes=STEROIDS, within_days=0))
    on = patient(medications=(tablet(date(2026, 11, 1), status="active"),))
    assert view(outcome(current, on)) == (
        "unknown", "on prednisone now; eligible if it is stopped", [("current systemic-corticosteroid", "to_confirm")])
    assert view(outcome(c.PriorTherapy(classes=STEROIDS, within_days=0), on))[0] == "met"
    stopped = patient(medications=(tablet(date(2026, 3, 1), date(2026, 3, 10)),))
    # an ended record shows that course stopped, not that no steroid is taken now: as with no record
    # (review of session 6: an old ended warfarin cleared a current-anticoagulant exclusion)
    assert view(outcome(current, stopped)) == (
        "unknown", "last systemic-corticosteroid record ended 2026-03-10; none recorded as given now",
        [("current systemic-corticosteroid", "to_confirm")])
    nothing = patient()
    assert view(outcome(current, nothing)) == (
        "unknown", "no systemic-corticosteroid recorded", [("current systemic-corticosteroid", "to_confirm")])
    # an order left 'active' for years does not show the drug is taken today
    stale = patient(medications=(tablet(date(2024, 1, 1), status="active"),))
    assert view(outcome(current, stale))[0] == "unknown"


def test_local_forms_do_not_count_and_unshown_forms_are_to_confirm():
    current = c.Not(c.PriorTherapy(classes=STEROIDS, within_days=0))
    paste = rx("10760", "Triamcinolone Oral Paste", date(2026, 11, 1), status="active")
    paste = f.Medication(paste.evidence, paste.codes, ("triamcinolone",), "active", date(2026, 11, 1))
    assert view(outcome(current, patient(medications=(paste,))))[1] == "no systemic-corticosteroid recorded"
    # an ingredient code shows no dose form: an old record clears the patient only if it would
    # also clear them as a systemic one; a current one is to confirm either way
    old = f.Medication("MedicationRequest/i", (f.Coding(RX, "8640", "predniSONE"),), ("prednisone",), "completed",
                       date(2025, 1, 1), date(2025, 1, 10))
    assert view(outcome(current, patient(medications=(old,))))[0] == "unknown"
    # an unshown form that would decide differently from the systemic one is to confirm
    within_year = c.PriorTherapy(classes=STEROIDS, within_days=365)
    recent = f.Medication("MedicationRequest/i", (f.Coding(RX, "8640", "predniSONE"),), ("prednisone",), "completed",
                          date(2026, 6, 1), date(2026, 6, 10))
    assert view(outcome(within_year, patient(medications=(recent,)))) == (
        "unknown", "prednisone recorded without a dose form: whether it was systemic is to confirm",
        [("prior systemic-corticosteroid within 365 days", "to_confirm")])  # systemic: met; local: none
    # the drug named by the criterion counts in any form
    assert view(outcome(c.PriorTherapy(drugs=("prednisone",)), patient(medications=(old,))))[0] == "met"


def test_immunosuppressants_include_systemic_steroids_and_l04a_drugs():
    imm = c.Not(c.PriorTherapy(classes=("immunosuppressant",), within_days=0))
    tacro = f.Medication("MedicationRequest/t", (f.Coding(RX, "42316", "tacrolimus"),), ("tacrolimus",), "active",
                         date(2026, 10, 1))
    assert view(outcome(imm, patient(medications=(tacro,))))[0] == "unknown"  # on it now: to confirm
    on_steroid = patient(medications=(tablet(date(2026, 11, 1), status="active"),))
    assert view(outcome(imm, on_steroid))[0] == "unknown"
    # an ingredient code of tacrolimus needs no dose form (only the steroids are route: systemic)
    stopped = f.Medication("MedicationRequest/t", (f.Coding(RX, "42316", "tacrolimus"),), ("tacrolimus",), "completed",
                           date(2025, 1, 1), date(2025, 2, 1))
    assert view(outcome(imm, patient(medications=(stopped,))))[0] == "unknown"  # ended: not shown taken now
    assert view(outcome(c.PriorTherapy(classes=("immunosuppressant",)), patient(medications=(stopped,))))[0] == "met"


def test_mcode_prednisone_record_is_kept_but_not_a_line(vocab=VOCAB):
    """The mCODE IG's Brian L: an R-CHOP-like regimen whose prednisone (RxNorm 8640) is now a
    fact with its ingredient, read by a steroid criterion, while the lines of therapy come from
    the cytotoxic drugs only."""
    golden = json.loads(Path("tests/data/bundles/golden/ig_brian_l.facts.json").read_text(encoding="utf-8"))
    facts = extract_facts(load_bundle(golden["bundle"]), vocab)
    pred = [m for m in facts.medications if "prednisone" in m.ingredients]
    assert len(pred) == 2
    without_chemo = f.PatientFacts(**{**facts.__dict__, "medications": tuple(pred)})
    as_of = date(2024, 1, 20)
    assert view(outcome(c.PriorTherapy(min_lines=1), without_chemo, as_of=as_of))[0] == "unknown"
    assert view(outcome(c.PriorTherapy(), without_chemo, as_of=as_of))[0] == "unknown"
    # the IG codes the ingredient only (no dose form): whether it was systemic is to confirm
    assert view(outcome(c.PriorTherapy(classes=STEROIDS), without_chemo, as_of=as_of))[1] == (
        "prednisone recorded without a dose form: whether it was systemic is to confirm")
    assert view(outcome(c.PriorTherapy(drugs=("prednisone",)), without_chemo, as_of=as_of))[0] == "met"
    assert view(outcome(c.PriorTherapy(min_lines=1), facts, as_of=as_of))[0] == "met"


def test_service_match_of_the_ig_bundle_reads_prednisone_for_a_parsed_steroid_exclusion():
    """Parse -> compile -> match on a real bundle (the mCODE IG's Brian L, prednisone ordered
    2024-01-09 as RxNorm 8640, an ingredient code): the steroid exclusion is read from the protocol
    text and the prednisone order decides it as current use, to confirm (the form is not coded,
    but either reading keeps the patient open: on a steroid now, eligible if it is stopped)."""
    from trialmatch.catalogue import build_catalogue
    from trialmatch.nlp import parse_eligibility
    from trialmatch.services import match_bundle
    from tests.unit.matching.helpers import trial

    parsed = parse_eligibility("Exclusion Criteria:\n\n* Concurrent systemic steroid therapy.\n", VOCAB)
    criteria = parsed.to_node()
    atom = criteria.items[0].item
    assert isinstance(atom, c.PriorTherapy) and (atom.classes, atom.within_days) == (STEROIDS, 0)
    golden = json.loads(Path("tests/data/bundles/golden/ig_brian_l.facts.json").read_text(encoding="utf-8"))
    catalogue = build_catalogue([trial("T-STEROID", criteria)], version="t1", vocab=VOCAB)
    view = match_bundle(bundle=load_bundle(golden["bundle"]), as_of=date(2024, 1, 20), catalogue=catalogue, vocab=VOCAB)
    result = next(r for r in view["results"] if r["trial_id"] == "T-STEROID")
    assert result["result_class"] == "possible"
    assert "on prednisone now; eligible if it is stopped" in json.dumps(result)


def test_a_record_ending_later_is_current_use():
    course = patient(medications=(tablet(date(2026, 11, 20), date(2026, 12, 10)),))
    current = c.PriorTherapy(classes=STEROIDS, within_days=0)
    assert view(outcome(c.Not(current), course)) == (
        "unknown", "on prednisone until 2026-12-10; eligible if it is stopped",
        [("current systemic-corticosteroid", "to_confirm")])
    assert view(outcome(current, course)) == ("met", "prednisone given now (until 2026-12-10)", [])


def test_an_uncoded_current_anticoagulant_keeps_an_old_one_from_clearing_the_patient():
    """A switch from warfarin to apixaban: the apixaban code is not in the table (no verified code),
    but its display names it, so it is read; without it the old warfarin order alone read 'no
    anticoagulant given now' and cleared the patient of a current-anticoagulant exclusion."""
    from trialmatch.mcode import treatments

    apixaban_codes = (f.Coding(RX, "999999001", "apixaban 5 MG Oral Tablet"),)  # a code the table lacks
    assert treatments.ingredients(apixaban_codes, VOCAB) == ("apixaban",)
    assert treatments.ingredients((f.Coding(RX, "999999002", "Heparin Lock Flush 100 UNT/ML"),), VOCAB) == ()
    # oncology drugs are read from checked codes only (examples carry codes with wrong displays)
    assert treatments.ingredients((f.Coding(RX, "34566", "Paclitaxel 100 MG Injection"),), VOCAB) == ()
    warfarin = f.Medication("MedicationRequest/w", (f.Coding(RX, "11289", "warfarin"),), ("warfarin",), "stopped",
                            date(2025, 1, 1), date(2026, 9, 1))
    apixaban = f.Medication("MedicationRequest/a", apixaban_codes, ("apixaban",), "active", date(2026, 9, 2))
    current = c.Not(c.PriorTherapy(classes=("anticoagulant",), within_days=0))
    assert view(outcome(current, patient(medications=(warfarin,))))[0] == "unknown"  # ended: apixaban may be unrecorded
    assert view(outcome(current, patient(medications=(warfarin, apixaban))))[:2] == (
        "unknown", "on apixaban now; eligible if it is stopped")


def test_a_combination_product_gives_every_ingredient_at_extraction():
    # review: the Kisqali Femara co-pack (RxNorm 1923053, medications.json) gave no ingredient, so an
    # unprofiled record of it was dropped while the matcher's view read both
    from trialmatch.mcode import treatments

    assert treatments.ingredients((f.Coding(RX, "1923053"),), VOCAB) == ("letrozole", "ribociclib")
