"""Sixth round, procedures and neighbours (issue #5): the KEYNOTE trial-participation template,
hypersensitivity to the study drug named by its parts ("the active
substance", "the drug substance or inactive ingredients in the drug product"), "( grade 3)" with its
comparator lost, "hypersensitivity or allergy to X", live vaccines in more words (attenuated, "given 28
days prior to", "vaccine therapy", "received or will receive"), and radiotherapy to a site above a dose
within a window. Item texts are from tests/data/trials/oncology-trials.jsonl (NCT id beside each); each
verdict is worked out for a patient in the matcher tests at the end."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.matching.helpers import outcome, patient
from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from tests.unit.nlp.test_therapy_round2 import parse_one

NOT, ALL, ANY = "not", "all", "any"


def unp(text):
    return {"type": "unparsed", "text": text}


SP28 = {"type": "study_participation", "within_days": 28, "drug_only": True}
STUDY_ALLERGY = {"type": "hypersensitivity", "study_treatment": True}


def vacc(days):
    return {"type": "vaccination", "within_days": days}


def radiation(days):
    return {"type": "procedure", "kind": "radiation", "within_days": days}


KEYNOTE = ("Is currently participating in or has participated in a study of an investigational agent or has used an "
           "investigational device within 4 weeks prior to the first dose of study intervention.")

READ = [
    # trial participation: now or within the window is the windowed atom; the device an Unparsed alternative
    ("exc", KEYNOTE,  # NCT04946370 and about 20 KEYNOTE-template trials
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [SP28, unp(KEYNOTE[3:].rstrip("."))]}})),
    # hypersensitivity to the study drug named by its parts, no drug named
    ("exc", "Known hypersensitivity to the active substances or to any of the excipients",  # NCT06860815
     ("fully_structured", {"type": NOT, "item": STUDY_ALLERGY})),
    ("exc", "Known hypersensitivity to the active agent or any of the excipients",  # NCT06710756
     ("fully_structured", {"type": NOT, "item": STUDY_ALLERGY})),
    ("exc", "Has known hypersensitivity to either the drug substances or inactive ingredients in the drug product.",  # NCT05746897
     ("fully_structured", {"type": NOT, "item": STUDY_ALLERGY})),
    ("exc", "Known allergy to any of the components within the study agents and/or their excipients",  # NCT04887805
     ("fully_structured", {"type": NOT, "item": STUDY_ALLERGY})),
    ("exc", "Known history of hypersensitivity or anaphylaxis to study drug(s) including active product or excipient "
            "components",  # NCT04883437
     ("fully_structured", {"type": NOT, "item": STUDY_ALLERGY})),
    ("exc", "Known allergy or hypersensitivity to investigational product(s) or any of the excipients of the "
            "investigational product(s).",  # NCT05417594, NCT05938270
     ("fully_structured", {"type": NOT, "item": STUDY_ALLERGY})),
    ("exc", "Known hypersensitivity or allergy to any of the ingredients of any of the study interventions, or to MMAE.",  # NCT06840483
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [STUDY_ALLERGY, unp("MMAE")]}})),
    # the ">=" of "(>= grade 3)" lost in the registry's text: a narrowing kept beside the atom
    ("exc", "Has severe hypersensitivity ( Grade 3) to pembrolizumab and/or any of its excipients.",  # NCT04104893
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "hypersensitivity", "drugs": ["pembrolizumab"]}, unp("severe ( grade 3)")]}})),
    # a major-surgery window in brackets, or with a comparator after "within"
    ("exc", "Has had major surgery (\\< 3 weeks prior to the first dose).",  # NCT06697301
     ("fully_structured", {"type": NOT, "item": {"type": "procedure", "kind": "surgery", "within_days": 21, "major": True}})),
    ("exc", "Major surgery within ≤ 2 weeks before randomization.",  # NCT04747912
     ("fully_structured", {"type": NOT, "item": {"type": "procedure", "kind": "surgery", "within_days": 14, "major": True}})),
    # live vaccines in more words
    ("exc", "Live vaccines given in 28 days prior to lymphodepleting chemotherapy",  # NCT05418088
     ("fully_structured", {"type": NOT, "item": vacc(28)})),
    ("exc", "Treatment with any live/attenuated vaccine in the 7 days prior to enrollment",  # NCT06710756
     ("fully_structured", {"type": NOT, "item": vacc(7)})),
    ("exc", "Live vaccine therapy within 4 weeks before study drug administration.",  # NCT05094336
     ("fully_structured", {"type": NOT, "item": vacc(28)})),
    ("exc", "Treatment with live and live-attenuated vaccines within 4 weeks before the first dose of study "
            "treatment.",  # NCT06691984
     ("fully_structured", {"type": NOT, "item": vacc(28)})),
    ("exc", "Vaccination with a live vaccine =\\< 35 days before the first dose of the study drug",  # NCT06839053 (first sentence)
     ("fully_structured", {"type": NOT, "item": vacc(35)})),
    ("exc", "Receipt of live (growth/replication competent) attenuated vaccine within 30 days prior to enrollment.",  # NCT04585477 (first sentence)
     ("fully_structured", {"type": NOT, "item": vacc(30)})),
    # plural surgery nouns
    ("exc", "Major surgical procedures within 28 days prior to first dose of study treatment.",  # NCT06117774
     ("fully_structured", {"type": NOT, "item": {"type": "procedure", "kind": "surgery", "within_days": 28, "major": True}})),
    # a plan is one more way to be excluded, which no record shows
    ("exc", "Received or plans to receive any live, attenuated vaccine within 4 weeks prior to the first dose of "
            "study drug",  # NCT04898634
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [vacc(28), unp(
         "Received or plans to receive any live, attenuated vaccine within 4 weeks prior to the first dose of study drug")]}})),
    # radiotherapy to a site above a dose, within a window: any radiation in the window is necessary
    ("exc", "Has received prior radiation therapy to the lung that is \\>30 Gray (Gy) within 6 months of the first "
            "dose of study treatment",  # NCT04165070
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [radiation(183),
                                                                         unp("to the lung that is \\>30 Gray")]}})),
    ("exc", "Radiation to the lung \\> 30 Gy within 6 months prior to first dose of study treatment",  # NCT05609578
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [radiation(183), unp("to the lung \\> 30 Gy")]}})),
]


@pytest.mark.parametrize("section,text,expected", READ, ids=[t[:50] for _, t, _ in READ])
def test_read(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


REFUSED = [
    # future procedures are no procedure done
    ("exc", "Radical prostatectomy has been scheduled"),
    ("exc", "Planned major surgery during the study period"),  # NCT06746012
    ("inc", "Subjects must be planned to receive radiation therapy or to undergo prostatectomy."),  # NCT02997709
    # past participation with no window: ever is not now
    ("exc", "Is currently participating in or has participated in a study of an investigational agent"),
    # a site list: which sites? not read
    ("exc", "Received radiotherapy to the skull, spine, thorax, or pelvis within ≤30 days."),  # NCT04486833
    # an aside that is no definition of "live" stays
    ("exc", "Receipt of live (any kind) attenuated vaccine within 30 days prior to enrollment."),
    # an upper dose bound is not a radiation that excludes
    ("exc", "Radiation to the lung < 30 Gy within 6 months"),
    # the allergy word is no substance: "..., or hypersensitivity to Chinese hamster ovary cell products"
    ("exc", "History of severe hypersensitivity or allergic reactions attributed to compounds of similar chemical or "
            "biologic composition to SG, SN-38, irinotecan, or atezolizumab, or hypersensitivity to Chinese hamster "
            "ovary cell products."),  # NCT06161532
    # a suspicion is not read (test_allergy_builder: "known or suspected" stays unparsed)
    ("exc", "Suspected hypersensitivity to pembrolizumab"),
    ("exc", "Known or suspected allergy to the study drug or any component of the study drug."),  # NCT06234423
    # intolerance is wider than an allergy
    ("exc", "Hypersensitivity or intolerance to cyclophosphamide, fludarabine, or their components"),  # NCT05989828
    # an inclusion never requires an allergy or a vaccine
    ("inc", "Known hypersensitivity to the active substances or to any of the excipients"),
    ("inc", "Live vaccines given in 28 days prior to lymphodepleting chemotherapy"),
]


@pytest.mark.parametrize("section,text", REFUSED, ids=[t[:50] for _, t in REFUSED])
def test_refused(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


def test_site_without_dose_stays_with_the_list(vocab):
    # "prior surgery or radiation therapy to the operative site": the site may reach the surgery too, so
    # the site stays beside the whole list (All), never beside the radiation alone (Any(surgery, ...) would
    # exclude every patient with any surgery)
    status, node = parse_one(vocab, "exc", "Prior surgery or radiation therapy to the operative site")  # NCT04473781
    assert node == {"type": NOT, "item": {"type": ALL, "items": [
        {"type": ANY, "items": [{"type": "procedure", "kind": "surgery"}, {"type": "procedure", "kind": "radiation"}]},
        unp("to the operative site")]}}


AS_OF = date(2026, 11, 26)


def _radiation(on: date) -> f.Procedure:
    return f.Procedure("Procedure/rt", "radiation", date=on)


def test_lung_dose_verdicts():
    # Not(All(radiation within 183 days, Unparsed(site and dose)))
    item = c.Not(c.All((c.Procedure("radiation", within_days=183), c.Unparsed("to the lung that is > 30 gy"))))
    # radiation a year ago only: no radiation at all in the window, so none to the lung: eligible
    assert outcome(item, patient(procedures=(_radiation(date(2025, 10, 1)),))).verdict.label == "met"
    # radiation two months ago: whether it reached the lung above 30 Gy is to confirm
    assert outcome(item, patient(procedures=(_radiation(date(2026, 9, 20)),))).verdict.label == "unknown"


def test_study_allergy_verdicts():
    # Not(Hypersensitivity(study_treatment)): a recorded drug allergy leaves it to confirm, never "eligible"
    item = c.Not(c.Hypersensitivity(study_treatment=True))
    assert outcome(item, patient()).verdict.label == "unknown"
