"""Prior therapy, washouts and procedures (issue #5): shapes read since session 2, and the
shapes that must stay unread. Item texts are from tests/data/trials/oncology-trials.jsonl
(NCT id beside each)."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.therapy import build_therapy
from trialmatch.nlp.terms import terms_for

NOT, ALL = "not", "all"
SYSTEMIC = ["chemotherapy", "immunotherapy", "targeted_therapy", "endocrine_therapy"]


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def surgery(days=None):
    return {"type": "procedure", "kind": "surgery", **({"within_days": days} if days else {})}


READ = [
    # "at least N weeks since X" in an inclusion: a washout, Not(X within N days)
    ("inc", "At least 4 weeks from any prior major surgery.",  # NCT06249048
     ("fully_structured", {"type": NOT, "item": {**surgery(28), "major": True}})),
    ("inc", "Prior major surgery must be at least 12 weeks prior to study entry.",  # NCT05413850 (labels)
     ("fully_structured", {"type": NOT, "item": {**surgery(84), "major": True}})),
    ("inc", "More than four weeks must have elapsed since completion of any prior systemic therapy at the time of "
            "enrollment.",  # NCT05155033
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": 28}})),
    ("inc", "Have completed prior radiotherapy at least 2 weeks prior to study treatment administration.",  # NCT06697301
     ("fully_structured", {"type": NOT, "item": {"type": "procedure", "kind": "radiation", "within_days": 14}})),
    # stacked lead words and more anchors of a washout
    ("exc", "Has received prior radiotherapy within 2 weeks of start of study intervention",  # NCT04712851 (first sentence)
     ("fully_structured", {"type": NOT, "item": {"type": "procedure", "kind": "radiation", "within_days": 14}})),
    ("exc", "Systemic cytotoxic chemotherapy within 4 weeks prior to enrollment",  # NCT05787587
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy", "classes": ["chemotherapy"],
                                                 "within_days": 28}})),
    # "history of" says the therapy was given, as "prior" does
    ("exc", "History of immune checkpoint inhibitor therapy, ever.",  # NCT06790602
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy",
                                                 "classes": ["immune_checkpoint_inhibitor"]}})),
    ("inc", "Patients must have received prior PD-1/PD-L1 inhibitor therapy",  # NCT03607890
     ("fully_structured", {"type": "prior_therapy", "classes": ["anti_pd1", "anti_pdl1"]})),
    ("exc", "Previous receipt of immunotherapy.",  # NCT05500092
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy", "classes": ["immunotherapy"]}})),
    ("exc", "Received a PARPi previously.",  # NCT05417594
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy", "classes": ["parp_inhibitor"]}})),
    # alternatives the vocabulary does not know stay Unparsed inside the Any (labels: anti-PD-L2)
    ("exc", "Has received prior therapy with an anti-PD-1, anti-PD-L1, or anti-PD-L2 agent",  # NCT03428802
     ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": ["anti_pd1", "anti_pdl1"]},
         {"type": "unparsed", "text": "anti-PD-L2 agent"}]}})),
    ("exc", "Have previously received topoisomerase 1 inhibitors, SG or EV",  # NCT04724018
     ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": ["topoisomerase_1_inhibitor"]},
         {"type": "unparsed", "text": "SG or EV"}]}})),
    # a kind or site of radiation the atom cannot carry: any radiation is necessary (labels: external beam)
    ("exc", "Previous pelvic radiation",  # NCT06205316
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "procedure", "kind": "radiation"}, {"type": "unparsed", "text": "pelvic"}]}})),
    ("exc", "Received external beam radiotherapy within the 4 weeks prior to randomization.",  # NCT03574571 (labels)
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "procedure", "kind": "radiation", "within_days": 28}, {"type": "unparsed", "text": "external beam"}]}})),
    # "X including Y": X met meets the item (labels)
    ("exc", "Receives prior systemic anticancer therapy including investigational agents within 4 weeks before the "
            "first dose of study intervention",  # NCT06136650 (labels)
     ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": 28},
         {"type": "unparsed", "text": "including investigational agents"}]}})),
    # "naive to X" = never treated with X (labels)
    ("inc", "Patients naïve to anti-EGFR antibodies treatment.",  # NCT04235114 (labels)
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy", "classes": ["anti_egfr_antibody"]}})),
    # a head noun written once for the list: "MEK or BRAF inhibitor"
    ("exc", "Prior treatment with any MEK or BRAF inhibitor",  # NCT06326411
     ("fully_structured", {"type": NOT, "item": {"type": "prior_therapy",
                                                 "classes": ["mek_inhibitor", "braf_inhibitor"]}})),
    ("exc", "Prior hematopoietic cell transplantation (HCT) or chimeric antigen receptor (CAR) T cell therapy within "
            "the previous year",  # NCT05672355
     ("partly_structured", {"type": NOT, "item": {"type": "any", "items": [
         {"type": "prior_therapy", "classes": ["car_t"], "within_days": 365},
         {"type": "unparsed", "text": "hematopoietic cell transplantation"}]}})),
    # an adjective narrowing a known therapy stays unparsed beside it (labels: "covalent" BTK inhibitor)
    ("inc", "Have received a covalent BTK inhibitor",  # NCT06588478
     ("partly_structured", {"type": ALL, "items": [
         {"type": "prior_therapy", "classes": ["btk_inhibitor"]}, {"type": "unparsed", "text": "covalent"}]})),
    # ... even before a list it may qualify all of ("weekly" paclitaxel or docetaxel): still necessary
    ("exc", "Patients who have received prior weekly paclitaxel or docetaxel",
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "prior_therapy", "drugs": ["paclitaxel", "docetaxel"]}, {"type": "unparsed", "text": "weekly"}]}})),
    # lines of a class: at least one line is necessary, the setting is kept unparsed
    ("inc", "Must have received at least one prior platinum-based chemotherapy for advanced disease",  # NCT06253130
     ("partly_structured", {"type": ALL, "items": [
         {"type": "prior_therapy", "classes": ["platinum"], "min_lines": 1},
         {"type": "unparsed", "text": "for advanced disease"}]})),
]

REFUSED = [
    # "since" in an exclusion would exclude the patients the item admits
    ("exc", "At least 4 weeks from any prior major surgery."),
    # under way now, not within a past window (concurrent medications, read as current use with
    # within_days 0, are in test_concurrent_medications.py: "Patients receiving immunosuppressive therapy.")
    ("exc", "Currently receiving any treatment for cancer"),  # NCT05366881
    # "exposure to radiation" may not be radiotherapy
    ("exc", "Prior exposure to radiation"),
    # the time must be the treatment's end: here it reads "none within 2 weeks", not a washout since
    ("inc", "No systemic chemotherapy at least 2 weeks prior to treatment on study"),  # NCT07297160 (head)
    # the receipt itself is required too: not a washout alone
    ("inc", "Patients must have received prior radiotherapy \\>12 weeks prior to enrollment."),  # NCT06712875
    # ("Has had major surgery from which the subject has not yet recovered", NCT04219254, is read since round 7 as
    # All(major surgery, Unparsed(recovery)): tests/unit/nlp/test_major_surgery_parse.py)
    # "X including Y for metastatic disease": the setting may be X's too, so "including" is not read there
    ("exc", "Received any radiation therapy including palliative radiation within 2 weeks"),
    ("exc", "Prior exposure to ionizing radiation"),
    # investigational agents are no class: "investigational anti-cancer drug" is not read as anti-cancer therapy
    ("exc", "Patients having received investigational anti-cancer drug within 28 days"),  # NCT05141149 (head)
    # "non-" negates: not a narrowing adjective
    ("exc", "Prior non-platinum chemotherapy"),
    # a cancer named before "radiation" is not a kind of radiation ("prior breast cancer or thoracic radiation")
    ("exc", "Prior ipsilateral breast cancer or thoracic radiation"),  # NCT04985032
    # both alternatives unknown: nothing to read
    ("exc", "Prior treatment with a MAT2A inhibitor or a PRMT5 inhibitor."),  # NCT06333951
]


@pytest.mark.parametrize("section, text, expected", READ)
def test_read(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


@pytest.mark.parametrize("section, text", REFUSED)
def test_refused(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


def _build(vocab, text, section="exclusion"):
    return build_therapy(Clause(text, terms_for(vocab), section))


def test_half_lives_whichever_is_shorter_keeps_the_days_as_a_necessary_window(vocab):
    # NCT05985655, as a clause (the whole item is read the same way: WASHOUT_READ below)
    node = _build(vocab, "received anticancer therapy within 28 days or 5 half-lives (whichever is shorter) before "
                         "the first dose of the study treatment")
    assert node == c.All((c.PriorTherapy(classes=tuple(SYSTEMIC), within_days=28),
                          c.Unparsed("or 5 half-lives (whichever is shorter)")))


@pytest.mark.parametrize("text", [
    "anticancer therapy within 21 days or 5 half-lives of receiving the study drug",  # no "whichever": which one?
])
def test_half_lives_other_readings_refused(vocab, text):
    assert _build(vocab, text) is None


def test_vocabulary_classes_added(vocab):
    classes = vocab.drugs.classes
    assert classes["topoisomerase_1_inhibitor"].members == {"irinotecan", "topotecan"}
    assert "etoposide" not in classes["topoisomerase_1_inhibitor"].members
    assert classes["topoisomerase_inhibitor"].members >= {"irinotecan", "topotecan", "etoposide"}
    assert classes["arpi"].members == {"abiraterone", "enzalutamide", "apalutamide", "darolutamide"}
    assert "bicalutamide" not in classes["arpi"].members
    assert "leuprolide" in classes["adt"].members and "bicalutamide" not in classes["adt"].members
    # every class can be met from a record: some member has an RxNorm code
    for key in ("topoisomerase_1_inhibitor", "arpi", "adt"):
        assert any(vocab.drugs.drugs[m].rxnorm for m in classes[key].members), key


@pytest.mark.parametrize("phrase, key", [
    ("topoisomerase i inhibitor", "topoisomerase_1_inhibitor"),  # not etoposide
    ("topoisomerase inhibitors", "topoisomerase_inhibitor"),
    ("androgen receptor signaling inhibitor", "arpi"),
    ("arsi", "arpi"),
    ("androgen deprivation therapy", "adt"),
])
def test_class_phrases(vocab, phrase, key):
    assert terms_for(vocab).drug_or_class(phrase) == ("class", key)


# Washouts "within X or N half-lives, whichever is shorter" in an exclusion: the washout is min(X, N
# half-lives) <= X, so All(PriorTherapy(within X), Unparsed(half-lives)) under Not: a last dose older
# than X is clear under every reading, one inside X stays UNKNOWN. The EXCEPTION rule on "whichever"
# no longer cuts "whichever is shorter" when no sentence follows it (rules/context.json).
def _washout(days, removed):
    return ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
        {"type": "prior_therapy", "classes": SYSTEMIC, "within_days": days}, {"type": "unparsed", "text": removed}]}})


WASHOUT_READ = [
    ("Received anticancer therapy within 28 days or 5 half-lives (whichever is shorter) before the first dose of the "
     "study treatment.",  # NCT05985655
     _washout(28, "or 5 half-lives (whichever is shorter)")),
    ("Prior treatment with any systemic anticancer therapy within 28 days or 5 half-lives, whichever is shorter, "
     "prior to first dose of study treatment",  # NCT06840483
     _washout(28, "or 5 half-lives whichever is shorter")),
    ("Any systemic anti-cancer treatment within 2 weeks or 5 half-lives (whichever is shorter) prior to start of "
     "study treatment",  # NCT04929223
     _washout(14, "or 5 half-lives (whichever is shorter)")),
    ("Received systemic anticancer therapy within 28 days or within 5 half-lives (whichever is shorter) prior to "
     "the start of study drug.",  # NCT05720117
     _washout(28, "or within 5 half-lives (whichever is shorter)")),
    ("Any use of anticancer therapy within 14 days or 5 half-lives (whichever is shorter) of Cycle 1 Day 1.",  # NCT06026410
     _washout(14, "or 5 half-lives (whichever is shorter)")),
    # the half-lives written first
    ("Anticancer therapy within 5 half-lives or 2 weeks (whichever is shorter) prior to study entry.",  # NCT05989724
     _washout(14, "within 5 half-lives or (whichever is shorter)")),
    ("Treatment with any systemic anti-cancer therapy within 5 half-lives or within 28 days before first "
     "administration of study drug, whichever is shorter",  # NCT05730036
     _washout(28, "within 5 half-lives or within whichever is shorter")),
]


@pytest.mark.parametrize("text, expected", WASHOUT_READ)
def test_washout_whichever_is_shorter_read_in_an_exclusion(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == expected


WASHOUT_REFUSED = [
    # an inclusion: not read
    ("inc", "Participant's last dose of prior antineoplastic therapy, including any immunotherapy, was 21 days or "
            "5 half-lives, whichever is shorter, prior to initiation of study intervention administration."),  # NCT05382559
    ("inc", "At least 5 half-lives or 3 weeks (whichever is shorter) must have passed since last anticancer "
            "therapy"),  # NCT05694715
    # ("whichever is longer" is read since round 6: Any(X within the days, Unparsed(half-lives)),
    # tests/unit/nlp/test_round6_therapy.py)
    # a sentence after the washout ("; ", ". "): the cut stays, the item stays unparsed (how the sentences
    # combine in an exclusion is not said)
    ("exc", "Has received systemic anticancer therapy within 2 weeks or 3 half-lives, whichever is shorter, prior to "
            "the start of lymphodepleting chemotherapy. For patients treated with monoclonal antibodies, at least 3 "
            "weeks must have elapsed prior to the start of lymphodepleting chemotherapy."),  # NCT06358430
    ("exc", "Chemotherapy, biological therapy, immunotherapy, radical radiotherapy, targeted therapy (including small "
            "molecule inhibitor of tyrosine kinase), and other antitumor therapy within 4 weeks or 5 half-lives "
            "(whichever is shorter) prior to the first administration; major surgery within 4 weeks prior to the "
            "first administration"),  # NCT07021066
]


@pytest.mark.parametrize("section, text", WASHOUT_REFUSED)
def test_washout_other_readings_refused(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


def test_investigational_drug_washout_in_half_lives_is_study_participation(vocab):
    # NCT04729114: refused while investigational agents had no atom; now StudyParticipation holds it
    # (builders/participation.py), the half-lives beside it as for a drug
    status, node = parse_one(vocab, "exc", "Received an investigational drug within 4 weeks or 5 half-lives "
                                           "(whichever is shorter) of the first dose of study drug.")
    assert (status, node) == ("partly_structured", {"type": "not", "item": {"type": "all", "items": [
        {"type": "study_participation", "within_days": 28, "drug_only": True},
        {"type": "unparsed", "text": "or 5 half-lives (whichever is shorter)"}]}})


# "immunomodulatory drugs/agents": the IMiD class (thalidomide, lenalidomide, pomalidomide) only where
# the clause names an IMiD; elsewhere the phrase is broader (thymosin, interferon, steroids)
def test_immunomodulatory_drugs_outside_myeloma_not_read_as_imids(vocab):
    status, node = parse_one(vocab, "exc", "Has received systematic immunomodulatory drugs within 14 days before the "
                                           "first dose of study drug, such as thymosin, IL-2, IFN.")  # NCT05746897
    assert status == "unparsed", node
    assert _build(vocab, "prior immunomodulatory drugs") is None
    assert _build(vocab, "prior treatment with immunomodulatory drug therapy within 14 days") is None


def test_immunomodulatory_drugs_kept_where_an_imid_is_named(vocab):
    # the guard's other side (no item of the 1,000 trials reads this way: the myeloma items naming
    # "an immunomodulatory drug (IMiD)" are lists joined by "and", NCT04771572, not read)
    node = _build(vocab, "prior lenalidomide or other immunomodulatory drugs", "inclusion")
    assert node == c.PriorTherapy(drugs=("lenalidomide",), classes=("immunomodulatory_drug",))
