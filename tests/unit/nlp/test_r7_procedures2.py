"""Seventh round, second wave of procedures (issue #5): the KEYNOTE radiotherapy washout with a radiation-toxicity
alternative, current or planned participation in a study of an investigational agent or device, and "systemic
anticancer therapy (including investigational) within N weeks" read as the therapy or a drug study in the same
window. Item texts are from tests/data/trials/oncology-trials.jsonl (NCT id beside each)."""

from __future__ import annotations

import pytest

from tests.unit.matching.helpers import outcome, patient
from tests.unit.nlp.test_therapy_round2 import parse_one
from trialmatch.domain import criteria as c

NOT, ANY = "not", "any"
SYSTEMIC = ["chemotherapy", "immunotherapy", "targeted_therapy", "endocrine_therapy"]


def unp(text):
    return {"type": "unparsed", "text": text}


def rt(within):
    return {"type": "procedure", "kind": "radiation", "within_days": within}


def excluded(node):
    return {"type": NOT, "item": node}


def therapy_or_study(within):
    return excluded({"type": ANY, "items": [
        {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": within},
        {"type": "study_participation", "within_days": within, "drug_only": True}]})


READ = [
    # the radiotherapy washout or a radiation toxicity requiring steroids: excluded by either
    ("exc", "Has received prior radiotherapy within 2 weeks of start of study intervention, or radiation-related "
            "toxicities, requiring corticosteroids",  # NCT06312137
     "partly_structured", excluded({"type": ANY, "items": [rt(14), unp("radiation-related toxicities, requiring corticosteroids")]})),
    ("exc", "Has received prior radiotherapy within 2 weeks of the start of study intervention, or has radiation-related "
            "toxicities, requiring corticosteroids",  # NCT06843447
     "partly_structured",
     excluded({"type": ANY, "items": [rt(14), unp("has radiation-related toxicities, requiring corticosteroids")]})),
    # without the comma before "or" (read before as All(radiation, Unparsed(...)): a patient with the toxicity and no
    # radiotherapy in the window was cleared)
    ("exc", "Received prior radiotherapy within 2 weeks of start of study intervention or radiation-related toxicities, "
            "requiring corticosteroids.",  # NCT06353386
     "partly_structured", excluded({"type": ANY, "items": [rt(14), unp("radiation-related toxicities, requiring corticosteroids")]})),
    ("exc", "Receives prior radiotherapy within 2 weeks before the first dose of study intervention, or radiation-related "
            "toxicities, requiring corticosteroids",  # NCT06136650
     "partly_structured", excluded({"type": ANY, "items": [rt(14), unp("radiation-related toxicities, requiring corticosteroids")]})),
    # taking part now in a drug study meets it; the plan and a device study stay Unparsed beside it
    ("exc", "Currently participating in or has planned participation in a study of another investigational agent or "
            "device",  # NCT05732831, NCT05887492
     "partly_structured", excluded({"type": ANY, "items": [
         {"type": "study_participation", "drug_only": True},
         unp("Currently participating in or has planned participation in a study of another investigational agent or "
             "device")]})),
    # the investigational part is a drug study in the same window
    ("exc", "Receipt of any type of cytotoxic, biologic or other systemic anticancer therapy (including investigational) "
            "within 4 weeks before first dose of study treatment.",  # NCT07043608
     "fully_structured", therapy_or_study(28)),
    ("exc", "Receipt of any type of cytotoxic, biologic or other systemic anticancer therapy (including investigational) "
            "within 2 weeks before first dose of study treatment.",  # NCT04820179
     "fully_structured", therapy_or_study(14)),
]


@pytest.mark.parametrize("section, text, status, expected", READ, ids=[t[:60] for _, t, _, _ in READ])
def test_read(vocab, section, text, status, expected):
    assert parse_one(vocab, section, text) == (status, expected)


REFUSED = [
    # the radiation-toxicity alternative in an inclusion, or with a radiotherapy narrowed by a site
    ("inc", "Has received prior radiotherapy within 2 weeks of start of study intervention, or radiation-related "
            "toxicities, requiring corticosteroids"),
    ("exc", "Has received prior radiotherapy for non-central nervous system (CNS) disease or required corticosteroids for "
            "radiation-related toxicities including radiation pneumonitis, within 14 days of the first dose of study "
            "intervention"),  # NCT06428396: the window is both alternatives'
    # the aside is not just before the window, or a half-lives alternative beside the window
    ("exc", "Receipt of any small molecule kinase inhibitor (including investigational) or vascular endothelial growth "
            "factor (VEGF)-targeted therapy within 2 weeks before the first dose of study treatment."),  # NCT07043608
    ("exc", "Receipt of any type of small molecule kinase inhibitor, cytotoxic, biologic or other systemic anticancer "
            "therapy (including investigational) within 2 weeks or at least 5 half-lives, whichever shorter before first "
            "dose of study treatment."),  # NCT06568562
    # an inclusion's washout with the aside: not read here
    ("inc", "Receipt of any type of cytotoxic, biologic or other systemic anticancer therapy (including investigational) "
            "within 4 weeks before first dose of study treatment"),
    # plans alone, and past participation with no window
    ("exc", "Has planned participation in a study of another investigational agent or device"),
    ("exc", "Is currently participating in or has participated in a study of an investigational agent"),
]


@pytest.mark.parametrize("section, text", REFUSED, ids=[t[:60] for _, t in REFUSED])
def test_refused(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


def test_therapy_or_study_is_never_cleared_by_an_empty_record():
    # no therapy and no study on record: the drug study is never ruled out by absence (UNKNOWN, not eligible)
    item = c.Not(c.Any((c.PriorTherapy(classes=tuple(SYSTEMIC), within_days=28),
                        c.StudyParticipation(within_days=28, drug_only=True))))
    assert outcome(item, patient()).verdict.label == "unknown"
