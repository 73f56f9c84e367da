"""Round 6 (issue #5), labs, person, pregnancy and sentence-level shapes: section headings written on one line
with their lead-in, a first inclusion lead-in, a subgroup of childbearing potential before a pregnancy test,
documentation-only entries under an item, creatinine clearance spellings and estimating equations, topical
labels of list entries, performance requirements of an age group, and rows of an age table. Every text is an
item of tests/data/trials/oncology-trials.jsonl (NCT id beside it), parsed alone in its section, and each shape
has a near-miss that must stay unparsed (or keep its earlier reading)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.sections import EXCLUSION, HEADING, INCLUSION, UNKNOWN_SECTION, split_segments

TRIALS = Path(__file__).resolve().parents[2] / "data" / "trials" / "oncology-trials.jsonl"
NOT_PREGNANT = {"type": "not", "item": {"type": "pregnancy"}}


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def beside(node, text):
    return {"type": "all", "items": [node, {"type": "unparsed", "text": text}]}


def _raw(nct: str) -> str:
    for line in TRIALS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["nct_id"] == nct:
            return record["eligibility"]["raw_text"]
    raise KeyError(nct)


# --- sections -----------------------------------------------------------------------------------------

def test_inline_headings_open_both_sections():
    # NCT07145255: "Inclusion Criteria: Patients are eligible ... if all of the following criteria apply:" and
    # "Exclusion Criteria: Patients are excluded from the study if any of the following criteria apply:" (all 34
    # items were of an unknown section, none read)
    segments = split_segments(_raw("NCT07145255"))
    criteria = [s for s in segments if s.kind != HEADING]
    assert not [s for s in criteria if s.section == UNKNOWN_SECTION]
    assert sum(s.section == INCLUSION for s in criteria) == 10
    assert sum(s.section == EXCLUSION for s in criteria) == 22
    headings = [s.text for s in segments if s.kind == HEADING]
    assert headings[0].startswith("Inclusion Criteria: Patients are eligible")
    assert any(h.startswith("Exclusion Criteria: Patients are excluded") for h in headings)


def test_inline_exclusion_heading_opens_the_exclusions_early():
    # NCT06117774: the exclusions began at "Exclusion Criteria: -Participants are excluded ..."; only a later
    # "Other Exclusions" sub-heading opened them before (20 exclusions were read with no section)
    segments = split_segments(_raw("NCT06117774"))
    first = next(s for s in segments if s.kind != HEADING and s.text.startswith("Extensive-stage SCLC"))
    assert first.section == EXCLUSION


def test_inline_heading_with_an_item_keeps_the_item():
    # NCT04191551: the words after the heading are a criterion (kept whole, in the section it opens)
    segments = split_segments(_raw("NCT04191551"))
    item = next(s for s in segments if s.text.startswith("Inclusion Criteria: Subjects between the ages of 35 and 84"))
    assert item.kind != HEADING and item.section == INCLUSION


def test_first_inclusion_lead_in_opens_the_inclusions(vocab):
    # NCT06385925 ("Subjects must meet all the following inclusion criteria to be eligible for participation in
    # this study:"), NCT06660654 ("Participants must meet all of the following criteria to be eligible for
    # enrollment into the trial:")
    for nct, lead in (("NCT06385925", "Subjects must meet all the following inclusion criteria"),
                      ("NCT06660654", "Participants must meet all of the following criteria")):
        segments = split_segments(_raw(nct))
        assert segments[0].kind == HEADING and segments[0].section == INCLUSION and segments[0].text.startswith(lead)
        assert not [s for s in segments if s.section == UNKNOWN_SECTION]


def test_lead_in_after_an_item_or_with_other_words_opens_nothing():
    # near-misses: not the first line; a lead-in naming more than the criteria ("based on ... on date of ...")
    text = "Age >= 18\n\nParticipants must meet all of the following criteria to be eligible:\n\n* ECOG 0-1\n"
    assert {s.section for s in split_segments(text)} == {UNKNOWN_SECTION}
    text = "In order to participate in this study, a subject must meet all of the eligibility criteria outlined below.\n"
    assert split_segments(text)[0].section == UNKNOWN_SECTION


# --- pregnancy ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, node", [
    ("If a female of child-bearing age, must have a negative pregnancy test", NOT_PREGNANT),  # NCT05641935
    ("If the patient is a female of childbearing potential, a negative urine or serum pregnancy test is required "
     "within two weeks prior to enrollment.", beside(NOT_PREGNANT, "within two weeks prior to enrollment")),  # NCT05082519
    ("For women of child-bearing potential, negative pregnancy test within 14 days prior to starting treatment",
     beside(NOT_PREGNANT, "within 14 days prior to starting treatment")),  # NCT04991025
    ("3.1.14 For women of childbearing potential, a negative serum pregnancy test within 7 days prior to registration",
     beside(NOT_PREGNANT, "within 7 days prior to registration")),  # NCT05839119
])
def test_childbearing_subgroup_before_a_pregnancy_test(vocab, text, node):
    assert parse_one(vocab, "inc", text)[1] == node


def test_childbearing_subgroup_elsewhere_is_still_an_exception(vocab):
    # NCT06747845: "if of childbearing potential and agrees to abstain ..." inside the sentence stays the exception
    text = ("Female participant has a negative serum pregnancy test within 24 hours prior to taking study treatment if "
            "of childbearing potential and agrees to abstain from activities that could result in pregnancy from "
            "screening through 6 months (females) or 30 days (males) after the last dose of study treatment, or is of "
            "nonchildbearing potential.")
    status, node = parse_one(vocab, "inc", text)
    assert node["type"] == "any" and node["items"][1]["type"] == "unparsed"
    # a subgroup with no pregnancy words after it stays cut (nothing read)
    status, node = parse_one(vocab, "inc", "If of childbearing potential, willing to use a form of highly effective contraception")
    assert node["type"] == "unparsed"


def test_documentation_entry_under_a_pregnancy_test(vocab):
    # NCT07275216, NCT06249282, NCT05269381: the entry says which test the protocol uses
    note = "\n  * If the urine test is positive or cannot be confirmed as negative, a serum pregnancy test will be required"
    assert parse_one(vocab, "inc", "Women of childbearing potential (WOCBP): negative urine or serum pregnancy test" + note) \
        == ("fully_structured", NOT_PREGNANT)
    status, node = parse_one(vocab, "inc", "Women of childbearing potential (WOCBP): negative urine or serum pregnancy test "
                                           "(performed within 14 days prior to day 1 of protocol therapy)" + note)
    assert node == beside(NOT_PREGNANT, "(performed within 14 days prior to day 1 of protocol therapy)")
    status, node = parse_one(vocab, "inc", "REGISTRATION: Negative pregnancy test done =\\< 14 days prior to registration "
                                           "for persons of childbearing potential only\n  * NOTE: If the urine test is "
                                           "positive or cannot be confirmed as negative, a serum pregnancy test will be required")
    assert node == beside(NOT_PREGNANT, "done =\\< 14 days prior to registration")


def test_childbearing_label_is_topical_only_for_pregnancy(vocab):
    # near-miss: breastfeeding is not implied by childbearing potential: the label stays a scope
    status, node = parse_one(vocab, "inc", "Women of childbearing potential (WOCBP): must not be breastfeeding")
    assert node["type"] == "any" and node["items"][0] == {"type": "unparsed", "text": "Women of childbearing potential (WOCBP):"}


def test_note_entry_under_an_exclusion(vocab):
    # NCT04712851
    status, node = parse_one(vocab, "exc", "Has a known history of human immunodeficiency virus (HIV) infection\n"
                                           "  * Note: No HIV testing is required unless mandated by local health authority")
    assert node == {"type": "not", "item": {"type": "condition", "keys": ["hiv"], "active_only": False}}


# --- labs ---------------------------------------------------------------------------------------------

def crcl(cmp, value):
    return {"type": "lab", "analyte": "CRCL", "comparator": cmp, "value": value, "unit": "mL/min"}


@pytest.mark.parametrize("section, text, node", [
    ("exc", "Calculated or measured creatinine clearance of \\< 40 mL/min", {"type": "not", "item": crcl("<", 40)}),  # NCT06906562
    ("inc", "A pretreatment measured creatinine clearance (absolute value) of ≥ 60 ml/minute", crcl(">=", 60)),  # NCT03494569
    ("inc", "Creatinine clearance ≥ 50 mL/min according to the Cockcroft and Gault formula", crcl(">=", 50)),  # NCT06440850
    ("inc", "Adequate renal function defined as calculated creatinine clearance \\>= 30 mL/min per the Cockcroft and "
            "Gault formula", crcl(">=", 30)),  # NCT05361720
    ("inc", "Serum creatinine =\\< 1.5 times the institutional upper limit of normal (ULN) or calculated creatinine "
            "clearance (Cockcroft-Gault formula) of \\> 45 mL/min",
     {"type": "any", "items": [{"type": "lab", "analyte": "CREAT", "comparator": "<=", "uln_multiple": 1.5},
                               crcl(">", 45)]}),  # NCT02178163
    ("inc", "Creatinine (Cr) \\< 2 x upper limit of normal (ULN), and Cr clearance (CrCl) \\>= 50 mL/min by Cockcroft "
            "and Gault", {"type": "all", "items": [{"type": "lab", "analyte": "CREAT", "comparator": "<", "uln_multiple": 2},
                                                   crcl(">=", 50)]}),  # NCT05989828
])
def test_creatinine_clearance_spellings(vocab, section, text, node):
    assert parse_one(vocab, section, text) == ("fully_structured", node)


def test_equation_aside_names_a_clearance_only(vocab):
    # near-misses: an equation beside another lab is no aside of it; CrCl per 1.73 m2 is not converted
    assert parse_one(vocab, "inc", "Bilirubin (Cockcroft-Gault formula) <= 1.5 mg/dL")[0] == "unparsed"
    assert parse_one(vocab, "inc", "Creatinine clearance >= 60 ml/min/1.73m2 by the modification of diet in renal "
                                   "disease (MDRD) equation")[0] == "unparsed"


def test_topical_labels_of_list_entries(vocab):
    # NCT04421820 ("1. Hematologic: ANC ≥ 1.5 x 109/L, ..."), NCT05422911 ("* Hepatic: AST ≤2.5 X institutional ULN")
    text = ("Adequate organ function as defined below:\n  * Hematologic: absolute neutrophil count (ANC) ≥ 1.5 x 10^9/L\n"
            "  * Renal: serum creatinine ≤ 1.5 x ULN")
    assert parse_one(vocab, "inc", text)[1] == {"type": "all", "items": [
        {"type": "lab", "analyte": "ANC", "comparator": ">=", "value": 1.5, "unit": "10*9/L"},
        {"type": "lab", "analyte": "CREAT", "comparator": "<=", "uln_multiple": 1.5}]}
    # near-miss: a label naming part of the trial stays (the entry is not read)
    text = "Adequate organ function as defined below:\n  * Cohort A: serum creatinine ≤ 1.5 x ULN"
    assert parse_one(vocab, "inc", text)[0] == "unparsed"


def test_a_row_of_an_age_table_is_not_a_requirement(vocab):
    # NCT04851119: "Age 1 to < 2 years; 0.6 mg/dL (male); 0.6 mg/dL (female)" required every age of the table at once
    text = ("Creatinine clearance or radioisotope glomerular filtration rate (GFR) \\>= 70 mL/min/1.73 m\\^2 or a "
            "creatinine based on age/gender as follows (within 7 days prior to enrollment):\n\n"
            "  * Age; maximum serum creatinine\n  * Age 1 to \\< 2 years; 0.6 mg/dL (male); 0.6 mg/dL (female)\n"
            "  * Age \\>= 16 years; 1.7 mg/dL (male); 1.4 mg/dL (female)")
    status, node = parse_one(vocab, "inc", text)
    assert status == "unparsed"
    assert parse_one(vocab, "inc", "Age >= 18 years; ECOG 0-1")[0] == "fully_structured"


# --- performance of an age group ----------------------------------------------------------------------

def kps(n):
    return {"type": "performance_status", "min": n, "scale": "Karnofsky"}


def only_for(age, req):
    return {"type": "any", "items": [{"type": "not", "item": age}, req]}


@pytest.mark.parametrize("text, node", [
    ("For participants \\>/= 16 years old, Karnofsky Performance Status \\>/= 50%",  # NCT04774718
     only_for({"type": "age", "min": 16}, kps(50))),
    ("Participants aged 16 to \\< 18 years old: Karnofsky Performance Score ≥ 50%.",  # NCT04521231
     only_for({"type": "age", "min": 16, "max": 18, "max_inclusive": False}, kps(50))),
    ("Participants aged ≥ 18 years: Eastern Cooperative Oncology Group (ECOG) Performance Status less than or equal to 2.",
     only_for({"type": "age", "min": 18}, {"type": "performance_status", "max": 2})),  # NCT04521231
    ("Eastern Cooperative Oncology Group (ECOG) performance ≤ 2 (Patients aged ≥ 75 years, at the time of consent)",
     only_for({"type": "age", "min": 75}, {"type": "performance_status", "max": 2})),  # NCT06357182
    ("Karnofsky ≥ 50% for patients \\> 16 years of age and Lansky ≥ 50% for patients ≤ 16 years of age.",  # NCT04079179
     {"type": "all", "items": [only_for({"type": "age", "min": 16, "min_inclusive": False}, kps(50)),
                               only_for({"type": "age", "max": 16}, {"type": "unparsed", "text": "Lansky ≥ 50%"})]}),
])
def test_performance_of_an_age_group(vocab, text, node):
    assert parse_one(vocab, "inc", text)[1] == node


def test_performance_of_an_age_group_near_misses(vocab):
    # NCT02332668: the Lansky part names another group inside it: not read
    text = ("Lansky Play Scale ≥50 for participants from 6 months up to and including 16 years of age; or Karnofsky score "
            "≥50 for participants \\>16 years of age")
    assert parse_one(vocab, "inc", text)[0] == "unparsed"
    # an exclusion is not read so
    status, node = parse_one(vocab, "exc", "For participants \\>/= 16 years old, Karnofsky Performance Status \\< 50%")
    assert "age" not in json.dumps(node)


# --- a looser threshold for patients with liver metastases, cut off as an exception ----------------------

def ast_alt(n, within=None):
    extra = {"within_days": within} if within else {}
    return {"type": "all", "items": [{"type": "lab", "analyte": "AST", "comparator": "<=", "uln_multiple": n, **extra},
                                     {"type": "lab", "analyte": "ALT", "comparator": "<=", "uln_multiple": n, **extra}]}


def with_liver(head, looser):
    return {"type": "any", "items": [head, {"type": "all", "items": [looser, {"type": "metastasis", "site": "liver"}]}]}


@pytest.mark.parametrize("text, node", [
    ("Aspartate aminotransferase (AST) and alanine aminotransferase (ALT) =\\< 3 x ULN (=\\< 5 x ULN for patients with "
     "documented liver metastases) (obtained within 4 weeks prior to randomization)",  # NCT02339571
     with_liver(ast_alt(3, 28), ast_alt(5, 28))),
    ("Aspartate aminotransferase and Alanine aminotransferase ≤ 2.5 x ULN unless liver metastases are present, in which "
     "case they must be ≤ 5 x ULN", with_liver(ast_alt(2.5), ast_alt(5))),
    ("Aspartate aminotransferase (AST) ≤ 3.0 x ULN (5 x ULN allowed if liver metastases)",  # NCT07288034
     with_liver({"type": "lab", "analyte": "AST", "comparator": "<=", "uln_multiple": 3},
                {"type": "lab", "analyte": "AST", "comparator": "<=", "uln_multiple": 5})),
])
def test_liver_metastases_threshold(vocab, text, node):
    assert parse_one(vocab, "inc", text) == ("fully_structured", node)


def test_liver_metastases_threshold_near_misses(vocab):
    # a stricter threshold for the group keeps the earlier reading (the head, the aside Unparsed beside it)
    status, node = parse_one(vocab, "inc", "AST ≤ 3 x ULN (≤ 2 x ULN for patients with liver metastases)")
    assert status == "partly_structured" and "metastasis" not in json.dumps(node)
    # another group (biliary stenting has no atom) stays an Unparsed alternative
    status, node = parse_one(vocab, "inc", "Total bilirubin ≤ 1.5 x ULN (≤ 3 x ULN for patients with biliary stenting)")
    assert node["type"] == "any" and node["items"][1]["type"] == "unparsed"


# --- non-clinical logistics -----------------------------------------------------------------------------

@pytest.mark.parametrize("section, text", [
    ("inc", "Agrees to be audio-recorded"),  # NCT07225309
    ("inc", "Subjects must be co-enrolled on protocol 03-C-0277."),  # NCT01174121
    ("inc", "U.S. mailing address"),
    ("exc", "Employed by the practice site"),
    ("exc", "Inability to perform regular electronic reporting"),
])
def test_logistics_are_non_clinical(vocab, section, text):
    assert parse_one(vocab, section, text)[0] == "non_clinical"


def test_logistics_beside_a_clinical_concept_stay_clinical(vocab):
    status, node = parse_one(vocab, "inc", "Currently enrolled in protocol 2014-0712 for patients with metastatic breast cancer")
    assert status != "non_clinical"


# --- coagulation lists, articles, and a window at the end of an inclusion's exception ------------------

def coag(cmp, n, keys, within=None):
    extra = {"within_days": within} if within else {}
    return [{"type": "lab", "analyte": k, "comparator": cmp, "uln_multiple": n, **extra} for k in keys]


def test_coagulation_lists(vocab):
    # NCT05743621: "(PT)" inside a list of analytes; "test" after the analyte
    text = ("Participant has prothrombin time (PT)/INR or partial thromboplastin time (PTT) test ≥ 1.3 X the laboratory "
            "ULN within 30 days before the first dose of study treatment.")
    assert parse_one(vocab, "exc", text) == ("fully_structured", {"type": "not", "item": {
        "type": "any", "items": coag(">=", 1.3, ("PT", "INR", "APTT"), 30)}})
    # NCT06440850: an article before the analyte
    assert parse_one(vocab, "inc", "Normal blood coagulation function as evidenced by an International Normalized Ratio "
                                   "(INR) ≤ 1.5")[1] == {"type": "lab", "analyte": "INR", "comparator": "<=", "value": 1.5,
                                                         "unit": "{ratio}"}
    # near-miss: a list naming something that is no lab is not read
    assert parse_one(vocab, "inc", "Prothrombin time (PT)/CRP <= 1.5 x ULN")[0] == "unparsed"


def test_window_after_an_inclusion_exception_dates_the_labs(vocab):
    # NCT06525766: the window may be the exception's or the item's; the labs are read dated (the stricter reading)
    text = ("Prothrombin time (PT)/international normalized ratio (INR)/activated partial thromboplastin time (aPTT) ≤ 1.5 "
            "x ULN OR if patient is receiving anticoagulant therapy and INR or aPTT is within target range of therapy "
            "(obtained ≤ 14 days prior to registration)")
    status, node = parse_one(vocab, "inc", text)
    assert node["type"] == "any" and node["items"][0] == {"type": "all", "items": coag("<=", 1.5, ("PT", "INR", "APTT"), 14)}
    assert node["items"][1]["type"] == "unparsed"


def test_entries_labelled_as_groups_of_patients_are_not_all_required(vocab):
    # NCT06004661 (audit): with "Normal renal function:" stripped as a topic, eGFR >= 90 was required of every
    # patient, though the moderate and severe impairment groups are recruited too
    text = ("Inclusion Criteria:\n\n* Kidney function based on eGFR by Modification of Diet in Renal Disease (MDRD) equation:\n"
            "   * Normal renal function: participants with eGFR \\>= 90 mL/min/1.73m2\n"
            "   * Moderate renal impairment: participants with eGFR \\>= 30 to =\\< 59 mL/min/1.73m2\n"
            "   * Severe renal impairment: participants with eGFR \\>= 15 to =\\< 29 mL/min/1.73m2\n")
    from trialmatch.domain import criteria as c
    from trialmatch.domain.criteria_json import walk
    from trialmatch.nlp import parse_eligibility

    items = parse_eligibility(text, vocab).criteria_items
    assert len(items) == 1
    assert not any(isinstance(n, c.Lab) for n in walk(items[0].node))
