"""Prior-therapy shapes, round 6 (issue #5): line counts written as ranges (">= 1 but <= 3", "one or two",
"1 to 3"), lines of a class ("lines of systemic chemotherapy" are chemotherapy lines, not any lines), an
upper bound never read on a bare "lines" head (the qualifier reader cuts "<= 3 lines | of X"), "any type
of", "cytotoxic, biologic or other systemic anticancer therapy", the class
anti_lag3 (drug_classes.yaml names the source), "ICB", "cytotoxic therapy" as chemotherapy, synonyms of
existing classes (ARAT, PARP spelled out, anti-CD38, proteosome, endocrine-based, LHRH analog). Item texts are
from tests/data/trials/oncology-trials.jsonl (NCT id beside each)."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.therapy import build_therapy
from trialmatch.nlp.terms import terms_for
from tests.unit.nlp.test_therapy_round2 import parse_one

NOT, ALL, ANY = "not", "all", "any"
SYSTEMIC = ["chemotherapy", "immunotherapy", "targeted_therapy", "endocrine_therapy"]


def pt(**kw):
    return {"type": "prior_therapy", **kw}


def words(text):
    return {"type": "unparsed", "text": text}


READ = [
    # a range of lines; "cytotoxic systemic therapy" is chemotherapy; the setting stays beside the atom
    ("inc", "Prior treatment with at least one but no more than two lines of cytotoxic systemic therapy for "
            "metastatic/unresectable disease.",  # NCT06797999
     ("partly_structured", {"type": ALL, "items": [pt(classes=["chemotherapy"], min_lines=1, max_lines=2),
                                                   words("for metastatic/unresectable disease")]})),
    ("inc", "Has received at least 1 but no more than 3 lines of systemic anticancer therapy for their advanced "
            "(unresectable, metastatic or recurrent) disease including at least one line of Immune checkpoint "
            "inhibitors (ICI) therapy",  # NCT06710847
     ("partly_structured", {"type": ALL, "items": [pt(min_lines=1, max_lines=3), words(
         "for their advanced (unresectable, metastatic or recurrent) disease including at least one line of "
         "Immune checkpoint inhibitors (ICI) therapy")]})),
    # "one or two": two numbers in a row are a range
    ("inc", "Participants must have received one or two prior lines of systemic therapy for advanced and/or "
            "metastatic disease",  # NCT07070232 (a sentence of the Cohort 1C item)
     ("partly_structured", {"type": ALL, "items": [pt(min_lines=1, max_lines=2),
                                                   words("for advanced and/or metastatic disease")]})),
    # lines of chemotherapy are chemotherapy lines (they were any lines: an immunotherapy line met them)
    ("inc", "Must have received ≥ 1 prior line of systemic chemotherapy for advanced or metastatic disease",  # NCT06586515
     ("partly_structured", {"type": ALL, "items": [pt(classes=["chemotherapy"], min_lines=1),
                                                   words("for advanced or metastatic disease")]})),
    ("inc", "Patients must have received at least one regimen of chemotherapy for mCRPC",  # NCT06288113
     ("partly_structured", {"type": ALL, "items": [pt(classes=["chemotherapy"], min_lines=1), words("for mCRPC")]})),
    ("exc", "Should not have received more than 2 prior lines of systemic cytotoxic therapy.",  # NCT05417594
     ("fully_structured", {"type": NOT, "item": pt(classes=["chemotherapy"], min_lines=3)})),
    # "any type of"; "cytotoxic, biologic or other systemic anticancer therapy" is systemic anticancer therapy
    ("exc", "Receipt of any type of cytotoxic, biologic or other systemic anticancer therapy within 2 weeks before "
            "first dose of study treatment.",  # NCT04820179 without its aside (below)
     ("fully_structured", {"type": NOT, "item": pt(classes=SYSTEMIC, within_days=14)})),
    # new classes (drug_classes.yaml: FDA labels, WHO ATC)
    ("exc", "History of prior treatment with anti-LAG3.",  # NCT03607890
     ("fully_structured", {"type": NOT, "item": pt(classes=["anti_lag3"])})),
    ("exc", "Prior therapy with an anti-PD-1, anti-PD-L1, or LAG-3 inhibitor",  # NCT06865339
     ("fully_structured", {"type": NOT, "item": pt(classes=["anti_pd1", "anti_pdl1", "anti_lag3"])})),
    # synonyms of existing classes: ARAT, PARP spelled out, anti-CD38 (exact lexicon patterns, no fuzzy match)
    ("inc", "Prior treatment with at least one androgen receptor-axis-targeted therapy (ARAT).",  # NCT06972628
     ("fully_structured", pt(classes=["arpi"], min_lines=1))),
    ("exc", "Treatment with chemotherapy, angiogenesis inhibitor therapy, poly (ADP-ribose) polymerase (PARP) "
            "inhibitor therapy, radiation therapy, or other immunotherapy ≤ 4 weeks prior to registration",  # NCT06639074
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [
         pt(classes=["chemotherapy", "parp_inhibitor", "immunotherapy"], within_days=28),
         {"type": "procedure", "kind": "radiation", "within_days": 28}, words("angiogenesis inhibitor therapy")]}})),
    # ICB (immune checkpoint blockade); the setting stays beside the atom
    ("exc", "Previous ICB treatment in the metastatic setting",  # NCT06466434
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         pt(classes=["immune_checkpoint_inhibitor"]), words("in the metastatic setting")]}})),
]


@pytest.mark.parametrize("section, text, expected", READ)
def test_read(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


# near misses: alternatives "or other" does not make part of the last one, and upper bounds on a cut head
KEPT_APART = [
    # investigational agents are no class: they stay an Unparsed alternative
    ("exc", "Received any other investigational therapeutic agents or other anticancer therapies within 4 weeks "
            "prior to randomization.",  # NCT03574571 (first sentence)
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [
         pt(classes=SYSTEMIC, within_days=28), words("other investigational therapeutic agents")]}})),
    # a CD137 agonist is no checkpoint inhibitor, whatever "or any other" says: it stays an alternative
    ("inc", "Participants must not have had prior treatment with an anti-PD-1, anti-PD-L1, antiPD-L2, CD137 "
            "agonists, anti-CTLA-4 agent, or any other immune checkpoint inhibitors for any neuroendocrine "
            "neoplasm.",  # NCT05058651 (first sentence)
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": ANY, "items": [pt(classes=["anti_pd1", "anti_pdl1", "anti_ctla4", "immune_checkpoint_inhibitor"]),
                                 words("antiPD-L2, CD137 agonists")]},
         words("for any neuroendocrine neoplasm")]}})),
]


@pytest.mark.parametrize("section, text, expected", KEPT_APART)
def test_kept_apart(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


REFUSED = [
    # "up to 1 prior line | of PARP inhibitor containing treatment": one line of a PARP inhibitor at most is
    # not one line of anything at most (it was All(max_lines=1, Unparsed(...)))
    ("inc", "up to 1 prior line of PARP inhibitor containing treatment"),  # NCT06253130
    ("inc", "Cohort C: Have received no more than 3 lines of systemic chemotherapy, including prior KRAS "
            "inhibitor."),  # NCT06411691
    # permissions stay unread (a bound or no requirement: for the lead)
    ("inc", "Any number of prior treatment regimens"),  # NCT02332668
]


@pytest.mark.parametrize("section, text", REFUSED)
def test_refused(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


@pytest.mark.parametrize("text, lines", [
    ("received 1 or 3 prior lines of therapy", None),  # not a range
    ("received >= 0 prior lines of therapy", None),  # no bound at all
    ("received 0 to 4 prior systemic therapies", (None, 4)),  # NCT07125183 (head of its first sentence)
    ("received >= 2 or more prior lines of therapy", (2, None)),  # "at least 2 or more"
    ("received >= 1 and < 4 prior lines of therapy", (1, 3)),
    ("received <= 3 prior lines", None),  # an upper bound on a bare head: the qualifier reader's cut
    ("received >= 12 weeks of prior therapy", None),  # no count above ten: a time, never looked up as a class
    ("received >= 3 prior lines", (3, None)),  # a lower bound is necessary for any narrowing after it
])
def test_count_shapes(vocab, text, lines):
    node = build_therapy(Clause(text, terms_for(vocab), "inclusion"))
    if lines is None:
        assert node is None
    else:
        assert isinstance(node, c.PriorTherapy) and (node.min_lines, node.max_lines) == lines


@pytest.mark.parametrize("phrase, found", [
    ("anti-lag-3", ("class", "anti_lag3")),
    ("icb", ("class", "immune_checkpoint_inhibitor")),
    ("cytotoxic therapy", ("class", "chemotherapy")),
    ("anti-cd38 therapy", ("class", "anti_cd38")),
    ("cd38-directed therapy", ("class", "anti_cd38")),
    ("anti-cd3 therapy", None),  # CD3 is no CD38 (a fuzzy synonym took it so)
    ("proteosome inhibitors", ("class", "proteasome_inhibitor")),
    ("bispecific t-cell engager", ("class", "bispecific")),
    ("endocrine-based therapy", ("class", "endocrine_therapy")),
    ("lhrh analog", ("class", "gnrh_agonist")),
])
def test_new_vocabulary(vocab, phrase, found):
    assert terms_for(vocab).drug_or_class(phrase) == found


def test_class_membership(vocab):
    classes = vocab.drugs.classes
    assert set(classes["anti_lag3"].members) == {"relatlimab"}
    assert "relatlimab" in classes["immune_checkpoint_inhibitor"].members  # through anti_lag3


def test_a_fuzzy_term_match_never_changes_a_number(vocab):
    # the therapy helper's finding: "anti-CD3 antibody" was read as the anti-CD38 class (fuzzy ratio above the
    # threshold); a near-miss with other digits is another target
    from trialmatch.nlp.terms import terms_for

    terms = terms_for(vocab)
    assert terms.drug_or_class("anti-cd3 antibody") is None
    assert terms.drug_or_class("anti-cd38 antibody") == ("class", "anti_cd38")


def test_an_investigational_aside_is_never_dropped(vocab):
    # NCT04820179 (audit): "(including investigational)" was dropped after "systemic anticancer therapy", so a
    # patient dosed with an investigational agent in another trial last week (no class shows it) was cleared;
    # the investigational agents are read since round 7 as a drug study in the same window, beside the classes
    # (builders/participation.py, tests/unit/nlp/test_r7_procedures2.py): never the classes alone
    status, node = parse_one(vocab, "exc", "Receipt of any type of cytotoxic, biologic or other systemic anticancer therapy "
                                           "(including investigational) within 2 weeks before first dose of study treatment.")
    assert status == "unparsed" or {"type": "study_participation", "within_days": 14, "drug_only": True} in \
        node["item"]["items"]
