"""Washout windows (issue #5, session 3): more time points a window is counted to, lists of
treatments and procedures sharing one window, and the lists that must stay unread. Item texts
are from tests/data/trials/oncology-trials.jsonl (NCT id beside each)."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.therapy import build_therapy
from trialmatch.nlp.builders.treatment_words import window_at_end
from trialmatch.nlp.terms import terms_for
from tests.unit.nlp.test_therapy_recall import NOT, SYSTEMIC, parse_one, surgery


def radiation(days=None):
    return {"type": "procedure", "kind": "radiation", **({"within_days": days} if days else {})}


def major_surgery(days):
    return {**surgery(days), "major": True}


# The time point a window is counted to is the trial's start (first dose, enrolment, randomisation,
# leukapheresis, ...): the matcher counts it back from the as-of date of the match, the nearest a
# screening can know of a future first dose (docs/nlp.md).
@pytest.mark.parametrize("text, days", [
    ("chemotherapy within 4 weeks prior to the first dose of nx-1607", 28),  # the study drug named
    ("chemotherapy within 4 weeks before the planned first dose of nx-1607", 28),
    ("radiotherapy within 2 weeks of first dose of bi-1206", 14),
    ("immunotherapy within 4 weeks of start of repotrectinib treatment", 28),
    ("chemotherapy within 2 weeks prior to entering the study", 14),
    ("chemotherapy within 28 days of study day 1", 28),
    ("cladribine within 3 months prior to leukapheresis", 91),
    ("chemotherapy within 28 days of pre-dose leukapheresis visit", 28),
    ("chemotherapy within 3 weeks prior to starting ip", 21),
    ("chemotherapy within 4 weeks prior to the first imp administration", 28),
    ("chemotherapy <= 14 days prior to planned treatment start date", 14),
    ("chemotherapy within 12 weeks prior to enrollment into the study", 84),
    ("radiotherapy within 14 days of receiving the study drug", 14),
    # cell therapy trials: the protocol's conditioning chemotherapy
    ("chemotherapy within 2 weeks prior to lymphodepleting chemotherapy", 14),
    ("radiotherapy within 2 weeks of the start of lymphodepleting chemotherapy", 14),
    ("car-t therapy within 8 weeks prior to the planned start of conditioning", 56),
])
def test_window_anchors(text, days):
    head, within = window_at_end(text)
    assert (head, within) == (text.split(" within")[0].split(" <=")[0], days)


@pytest.mark.parametrize("text", [
    # the last dose of a named drug is not the trial's start: the window is not counted from today
    "anti-pd-1 therapy within 12 months of the last dose of nivolumab",
    "chemotherapy within 4 weeks of the first dose of prior therapy",
    # "starting" a named treatment may be a prior one's start
    "radiotherapy within 4 weeks of starting hormone therapy",
])
def test_window_anchors_not_read(text):
    assert window_at_end(text)[1] is None


READ = [
    ("Treatment with CAR-T therapy within 100 days prior to first dose of epcoritamab.",  # NCT05783609
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy", "classes": ["car_t"], "within_days": 100}})),
    ("Patients who have had chemotherapy or radiotherapy within 4 weeks prior to entering the study",  # NCT04071236
     ("fully_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": ["chemotherapy"], "within_days": 28}, radiation(28)]}})),
    ("Anti-tumor therapy within 28 days of study day 1.",  # NCT05094336
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": 28}})),
    # "treatment with" says a procedure was done, as "prior" does
    ("Treatment with radiation therapy within 7 days",  # NCT05798897
     ("fully_structured", {"type": NOT, "item": radiation(7)})),
    # stereotactic radiosurgery is radiation: any radiation in the window is necessary
    ("Stereotactic radiosurgery within 7 days prior to start of study treatment",  # NCT04589845
     ("partly_structured", {"type": NOT, "item": {"type": "all", "items": [
         radiation(7), {"type": "unparsed", "text": "Stereotactic"}]}})),
    # "systemic treatment for cancer" is systemic anticancer therapy
    ("Received systemic treatment for cancer, including immunotherapy, within 14 days prior to initiation of "
     "conditioning chemotherapy administration within this protocol",  # NCT04119024 (labels)
     ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": 14},
         {"type": "unparsed", "text": "including immunotherapy"}]}})),
    # a list whose members share the window at its end, with no "prior" in front
    ("Treatment with radiation therapy or surgery within 4 weeks prior to starting treatment.",  # NCT04421820
     ("fully_structured", {"type": NOT, "item": {"type": "any", "items": [radiation(28), surgery(28)]}})),
    ("Radiation, chemotherapy, or immunotherapy or any other anticancer therapy ≤2 weeks prior to cycle 1 day 1.",  # NCT05636111
     ("fully_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": 14}, radiation(14)]}})),
    # "major surgery" in such a list takes the list's window
    ("Major surgery, radiation therapy, or systemic anti-cancer therapy within 3 weeks prior to study entry.",  # NCT04606446
     ("fully_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": 21}, major_surgery(21), radiation(21)]}})),
    # an event that is no treatment stays unparsed as an alternative (never a wrong "no")
    ("Major surgery or significant traumatic injury within 4 weeks of the first dose of study treatment.",  # NCT04862663
     ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
         major_surgery(28), {"type": "unparsed", "text": "significant traumatic injury"}]}})),
    # "anti-cancer antibodies" are not all systemic therapy: an unknown alternative
    ("Chemotherapy, radiation, gene therapy, vaccine therapy, or anti-cancer antibodies / ADCs within 28 days of "
     "Cycle 1 Day 1",  # NCT06326411
     ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": ["chemotherapy", "adc"], "within_days": 28}, radiation(28),
         {"type": "unparsed", "text": "gene therapy, vaccine therapy, or anti-cancer antibodies"}]}})),
]


@pytest.mark.parametrize("text, expected", READ)
def test_read(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == expected


REFUSED = [
    # each member has its own window: the list's window is not theirs
    "Patient has undergone a major surgical procedure ≤ 28 days, or minor surgical procedure ≤ 7 days, prior to "
    "Cycle 1 Day 1",  # NCT06526819
    "Major surgery within 4 weeks or minor surgery within 1 week of starting therapy.",  # NCT06919666
    # ("Has received prior radiotherapy within 2 weeks of start of study intervention, or has radiation-related
    # toxicities, requiring corticosteroids", NCT06843447, is read since round 7: Any(radiation within 14 days,
    # Unparsed(the toxicity)), the window the radiotherapy's only: tests/unit/nlp/test_r7_procedures2.py)
    # "pelvic" / "major" written once may qualify the radiotherapy or surgery too
    "Prior major pelvic surgery or radiotherapy",  # NCT05155501
]


@pytest.mark.parametrize("text", REFUSED)
def test_refused(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node


def _build(vocab, text, section="exclusion"):
    return build_therapy(Clause(text, terms_for(vocab), section))


def test_size_word_before_a_list_with_surgery_refused(vocab):
    # NCT06366347 (head): "major" may be the surgery's too
    assert _build(vocab, "major injuries or surgery within 14 days prior to randomization") is None


def test_anti_cancer_antibodies_are_not_all_systemic_therapy(vocab):
    assert _build(vocab, "prior anti-cancer antibodies") is None
    assert _build(vocab, "prior anti-cancer therapy") == c.PriorTherapy(classes=tuple(SYSTEMIC))


# a longer window for some drugs written as an aside: an added alternative, kept unparsed (exclusion)
ASIDE_READ = [
    ("Patients who have received chemotherapy or radiotherapy within 4 weeks (6 weeks for nitrosoureas or mitomycin "
     "C) prior to registration",  # NCT05554328
     ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "any", "items": [{"type": "prior_therapy", "classes": ["chemotherapy"], "within_days": 28},
                                   radiation(28)]},
         {"type": "unparsed", "text": "6 weeks for nitrosoureas or mitomycin C"}]}})),
    ("Received an anticancer therapy within 4 weeks (6 weeks for nitrosoureas, mitomycin C, or pembrolizumab) prior "
     "to the first dose of study drug.",
     ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": 28},
         {"type": "unparsed", "text": "6 weeks for nitrosoureas, mitomycin C, or pembrolizumab"}]}})),
    # "whichever is the shorter period" is "whichever is shorter"
    ("Systemic anticancer treatment within 14 days or 5 half-lives (whichever is the shorter period) from the first "
     "dose of the investigational product",  # NCT05394831
     ("partly_structured", {"type": NOT, "item": {"type": "all", "items": [
         {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": 14},
         {"type": "unparsed", "text": "or 5 half-lives (whichever is the shorter period)"}]}})),
]


@pytest.mark.parametrize("text, expected", ASIDE_READ)
def test_longer_window_aside(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == expected


def test_shorter_window_aside_is_an_exception_not_read(vocab):
    # NCT05067283: palliative radiation 3 weeks ago is allowed, so radiation within 4 weeks is not excluding
    node = _build(vocab, "received chemotherapy or radiation within 4 weeks (2 weeks for palliative radiation) "
                         "before first dose of study intervention")
    assert node is None
    # an inclusion is not read this way
    assert _build(vocab, "chemotherapy within 4 weeks (6 weeks for nitrosoureas)", "inclusion") is None


# a last alternative repeating "with" is its own alternative, kept unparsed (the KEYNOTE wording)
def test_or_with_alternative(vocab):
    status, node = parse_one(vocab, "exc", "Has received prior therapy with an anti-PD-1, anti-PD-L1, or anti PD L2 agent "
                                           "or with an agent directed to another stimulatory or co-inhibitory T-cell "
                                           "receptor (eg, CTLA-4, OX 40, CD137).")  # NCT04946370
    assert (status, node) == ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
        {"type": "prior_therapy", "classes": ["anti_pd1", "anti_pdl1"]},
        {"type": "unparsed", "text": "anti PD L2 agent"},
        {"type": "unparsed", "text": "with an agent directed to another stimulatory or co-inhibitory T-cell receptor"}]}})


@pytest.mark.parametrize("text", [
    # "and discontinued ... due to an irAE" narrows the whole list: not an alternative
    "received prior therapy with an anti-pd-1 or anti-pd-l1 agent or with an agent directed to another t-cell "
    "receptor and discontinued from that treatment due to a grade 3 irae",
    # a clause cut before what the agent is directed to
    "received prior therapy with an anti-pd-1 or anti-pd-l1 agent or with an agent directed",
    # a time in the last alternative may be the whole list's
    "prior therapy with an anti-pd-1 agent or with an anti-ctla-4 agent within 4 weeks",
])
def test_or_with_alternative_refused(vocab, text):
    assert _build(vocab, text) is None



# a setting adjective ("neo-adjuvant chemotherapy or radiation therapy") may qualify every member of a
# list the compound reading splits, so it is not read as a narrowing adjective (a radiotherapy given
# for metastases would otherwise exclude)
def test_setting_adjective_not_read(vocab):
    status, node = parse_one(vocab, "exc", "The subject has received neo-adjuvant chemotherapy or radiation therapy")
    assert status == "unparsed", node  # NCT05321134
    assert _build(vocab, "prior adjuvant cdk4/6 inhibitor therapy") is None


def test_verb_before_a_therapy_is_not_a_kind(vocab):
    # "receiving" is under way now, not a kind of chemotherapy
    assert _build(vocab, "prior receiving cytotoxic chemotherapy") is None
