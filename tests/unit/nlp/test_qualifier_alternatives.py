"""The qualifier pattern never takes a remainder that opens an alternative with its own subject or
verb as a qualifier of the head (issue #5 review): "X within 2 weeks prior to C1D1 or those who have
not recovered from ..." excludes without X too, so X is not necessary. Texts are items of
tests/data/trials/oncology-trials.jsonl (NCT id beside each)."""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


SURGERY_28 = {"type": "procedure", "kind": "surgery", "within_days": 28}


def test_or_participants_who_is_an_alternative(vocab):
    # NCT06975293 (the hand label's reading): was Not(All(surgery, Unparsed)), which cleared a patient
    # without recent surgery who had not recovered from it (a wrong "eligible")
    status, node = parse_one(vocab, "exc", "Major surgery less than 4 weeks prior to the first IMP administration or "
                             "participants who have not recovered from the side effects of the surgery.")
    assert node == {"type": "not", "item": {"type": "any", "items": [
        {**SURGERY_28, "major": True},
        {"type": "unparsed", "text": "participants who have not recovered from the side effects of the surgery"}]}}


@pytest.mark.parametrize("text, alternative", [
    # NCT05274048 (first sentence)
    ("Patients who have had chemotherapy, or radiotherapy within 2 weeks prior to C1D1 or those who have not recovered "
     "from adverse events due to agents administered more than 2 weeks earlier",
     "those who have not recovered from adverse events due to agents administered more than 2 weeks earlier"),
    # NCT06029998
    ("Major surgery within 14 days prior to starting study drug or who have not fully recovered from major surgery per "
     "treating investigator.", "who have not fully recovered from major surgery per treating investigator"),
    # NCT04741997
    ("Participants who have had major surgery or radiotherapy ≤ 14 days prior to start of study treatment or who have not "
     "recovered from side effects of such procedure.", "who have not recovered from side effects of such procedure"),
    # NCT06843551: "or any" after a place qualifier
    ("Previous external beam radiation therapy to the liver or radioisotope therapy directed to the liver or any liver "
     "embolization.", "any liver embolization"),
])
def test_the_alternative_stays_an_unparsed_alternative(vocab, text, alternative):
    status, node = parse_one(vocab, "exc", text)
    assert status == "partly_structured" and node["type"] == "not"
    alternatives = node["item"]
    assert alternatives["type"] == "any" and alternatives["items"][-1] == {"type": "unparsed", "text": alternative}


def test_a_subject_in_the_head_opens_an_alternative(vocab):
    # NCT06698458: was Not(All(breastfeeding, Unparsed)): a woman of childbearing potential unwilling to use
    # contraception who is not breastfeeding was cleared (a wrong "eligible")
    status, _ = parse_one(vocab, "exc", "Breastfeeding women or women of childbearing potential unwilling or unable to use "
                          "an acceptable contraceptive method to prevent pregnancy for 3 months after DaRT insertion")
    assert status == "unparsed"


@pytest.mark.parametrize("section, text, head", [
    # NCT04165070: a relative clause's verbs stay about the head ("that is progressing or has required")
    ("exc", "Additional malignancy that is progressing or has required active treatment within the past 2 years",
     {"type": "condition", "keys": ["other_malignancy"], "active_only": False}),
    # NCT06366347: "or any" among the methods that found the head
    ("inc", "Participants must have mismatch repair proficient (MMRP) endometrial cancer as determined by "
     "immunohistochemistry (IHC) or polymerase chain reaction (PCR) or any CLIA-certified next generation sequencing assay.",
     {"type": "all", "items": [{"type": "biomarker", "marker": "MMR", "status": ["proficient"]},
                               {"type": "cancer_type", "codes": ["UCEC"]}]}),
])
def test_qualifiers_that_open_no_alternative_keep_their_head(vocab, section, text, head):
    status, node = parse_one(vocab, section, text)
    inner = node["item"] if node["type"] == "not" else node
    assert inner["type"] == "all" and inner["items"][0] == head and inner["items"][1]["type"] == "unparsed"
