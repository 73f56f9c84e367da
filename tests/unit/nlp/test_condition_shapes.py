"""Comorbidity shapes of builders/condition_shapes.py (issue #5): a grade beside a condition,
transplant lists whose solid-organ part is a key, infections named by their pathogens. Item
texts are from tests/data/trials/oncology-trials.jsonl (NCT id in the comment of each case)."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import from_json, walk
from trialmatch.nlp.builders.condition_shapes import infection, split_grade, transplant_list

from tests.unit.nlp.test_conditions_recall import all_, any_, cond, no, parse_one, un

PN = "peripheral_neuropathy"
TX = cond("organ_transplant", False)

FULL = [
    # NCT04792489, NCT06241456, NCT04787042: every kind of pathogen named = any infection
    ("Active systemic fungal, viral, or bacterial infection", no(cond("active_infection"))),
    ("Active bacterial, fungal, or viral infections", no(cond("active_infection"))),
    ("Evidence of an ongoing systemic bacterial, fungal, or viral infection", no(cond("active_infection"))),
    # NCT06216938, NCT04995003, NCT06623201: one solid organ transplant, however said
    ("Is a solid organ transplant recipient.", no(TX)),
    ("Has undergone solid organ transplantation at any time", no(TX)),
    ("Subjects who have received any type of solid organ transplant", no(TX)),
    # NCT05136196 (inclusion section, negated): "organ allograft"
    ("Participants must not have received an organ allograft", no(TX)),
    # a state of the condition no record holds is the atom's qualifier (a counting record: to confirm)
    ("Clinically significant peripheral neuropathy", no(cond(PN, qualifier="clinically_significant"))),  # NCT06182072
    ("Have active, uncontrolled infection", no(cond("active_infection", qualifier="uncontrolled"))),  # NCT05787587
    ("Active, clinically significant bacterial, viral, or fungal infection.",  # NCT04150042
     no(cond("active_infection", qualifier="clinically_significant"))),
    # NCT05859074: an uncontrolled infection in a window: any record with its onset inside counts
    ("Uncontrolled infection within 6 months prior to study entry.",
     no(cond("active_infection", False, 183, qualifier="uncontrolled"))),
]

PARTLY = [
    # the grade stays beside the condition, before or after it, with its scale
    ("Has Grade ≥2 peripheral neuropathy.", no(all_(cond(PN), un("Grade ≥2")))),  # NCT06074588
    ("Neuropathy, grade 2 or greater by NCI-CTCAE, v 4.0",  # NCT02366819
     no(all_(cond(PN), un("grade 2 or greater by NCI-CTCAE, v 4.0")))),
    ("Pre-existing peripheral neuropathy \\> Grade 1 (CTCAE V 5.0)",  # NCT05984602
     no(all_(cond(PN), un("> Grade 1 (CTCAE V 5.0)")))),
    ("Ongoing Grade 3 or higher neuropathy", no(all_(cond(PN), un("Grade 3 or higher")))),  # NCT05253651
    # NCT03977233: "sensory" narrows the key and stays too
    ("Subject has sensory peripheral neuropathy grade ≥ 2.", no(all_(cond(PN), un("sensory"), un("grade ≥ 2")))),
    # NCT06730750: a grade on another key (ILD or pneumonitis, either necessary)
    ("Grade ≥3 ILD/pneumonitis.",
     no(all_(any_(cond("interstitial_lung_disease"), cond("pneumonitis")), un("Grade ≥3")))),
    # transplant lists: the solid organ alternative is the key, a stem-cell one the stem_cell_transplant key
    # (round 7; "allogeneic" beside it, also when the first part's word reaches it), the others stay unparsed
    ("Prior allogeneic stem cell or solid organ transplantation.",  # NCT04820179
     no(any_(TX, all_(cond("stem_cell_transplant", False), un("allogeneic"))))),
    ("Has had a prior stem cell, bone marrow, allogenic tissue, or solid organ transplant.",  # NCT06996782
     no(any_(TX, cond("stem_cell_transplant", False), un("allogenic tissue")))),
    ("History of allogeneic organ or stem cell transplant",  # NCT05187182
     no(any_(TX, all_(cond("stem_cell_transplant", False), un("allogeneic"))))),
    ("Prior allogeneic stem cell transplantation, or organ transplantation.",  # NCT06257264
     no(any_(TX, un("allogeneic stem cell transplantation")))),
    # NCT06026410: one state is the atom's qualifier, a second stays beside it
    ("Active, uncontrolled bacterial, viral, or fungal infections requiring systemic therapy.",
     no(all_(cond("active_infection", qualifier="uncontrolled"), un("requiring systemic therapy")))),
]


@pytest.mark.parametrize("text,expected", FULL)
def test_fully_structured(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == ("fully_structured", expected)


@pytest.mark.parametrize("text,expected", PARTLY)
def test_partly_structured(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == ("partly_structured", expected)


UNPARSED = [
    "Active viral infection requiring systemic therapy during the screening period",  # NCT06548672: narrower than the key
    "Significant acute or chronic infections.",  # NCT05039801: no word of present time (a chronic hepatitis?)
    "History of liver transplant.",  # NCT06234423: one organ; the key is any organ
    # (NCT06757647 "Prior allogeneic stem cell transplantation" and NCT04191551 "... solid tumor or bone marrow
    # transplant" are read since round 2's stem_cell_transplant key: tests/unit/nlp/test_cond2_shapes.py)
    "Previous episode of Non-arteritic anterior ischemic optic neuropathy (NAION)",  # NCT05709574
]


@pytest.mark.parametrize("text", UNPARSED)
def test_shapes_that_stay_unparsed(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node


def _keys(node_json):
    return {k for n in walk(from_json(node_json)) if isinstance(n, c.Condition) for k in n.keys}


def test_a_grade_bounded_from_above_makes_no_condition(vocab):
    # NCT07275216 (inclusion): "<= grade 2" admits patients without neuropathy; requiring it would be a
    # wrong "ineligible"
    status, node = parse_one(vocab, "inc", "TO PROCEED WITH SALVAGE TREATMENT: Peripheral neuropathy ≤ grade 2")
    assert PN not in _keys(node)
    assert parse_one(vocab, "inc", "Peripheral neuropathy grade 0-1")[0] == "unparsed"


def test_a_grade_with_a_window_puts_no_window_on_the_condition(vocab):
    # NCT04662580: the window says when the grade is assessed, not when the neuropathy began
    status, node = parse_one(vocab, "exc", "Peripheral neuropathy Grade ≥ 2 within 28 days prior to enrollment.")
    assert status == "partly_structured"
    conditions = [n for n in walk(from_json(node)) if isinstance(n, c.Condition)]
    assert conditions == [c.Condition((PN,))]


def test_an_infection_with_a_named_virus_is_not_the_serious_infection_key(vocab):
    # NCT04729114: "uncontrolled infection with HIV": the infection is HIV; active_infection (pneumonia,
    # sepsis) is not necessary for it
    status, node = parse_one(vocab, "exc", "Uncontrolled infection with human immunodeficiency virus (HIV)+.")
    assert "active_infection" not in _keys(node)
    assert "hiv" in _keys(node)


@pytest.mark.parametrize("text,expected", [
    ("grade >= 2 peripheral neuropathy", ("peripheral neuropathy", "grade >= 2")),
    ("neuropathy > grade 2", ("neuropathy", "> grade 2")),
    ("peripheral neuropathy that is >= grade 2 by ctcae version 5", ("peripheral neuropathy", ">= grade 2 by ctcae version 5")),
    ("pneumonitis >= g2", ("pneumonitis", ">= g2")),
    ("peripheral neuropathy <= grade 1", None),
    ("neuropathy < grade 2", None),
    ("grade 0 neuropathy", None),
    ("peripheral neuropathy", None),
])
def test_split_grade(text, expected):
    assert split_grade(text) == expected


@pytest.mark.parametrize("text", [
    "allogeneic stem cell and solid organ transplant",  # both, or either? not read
    "liver or kidney transplant",  # no part means any solid organ
    "solid organ transplant or gene therapy",  # a part that is no transplant kind
])
def test_transplant_list_refusals(text):
    assert transplant_list(text) is None


@pytest.mark.parametrize("text", [
    "active viral infection", "active bacterial or fungal infection",  # narrower than the key
    "serious infection", "severe infections",  # no word of present time
    "chronic infection", "infection",
])
def test_infection_refusals(text):
    assert infection(text) is None


# ---- the NCI "uncontrolled intercurrent illness including, but not limited to, ..." template ----
LEAD = un("Uncontrolled intercurrent illness")


def test_intercurrent_illness_examples_each_exclude_and_the_lead_stays_open(vocab):
    # NCT03516617: every example is enough; the lead ("not limited to") keeps the item open otherwise;
    # "uncontrolled" stays beside the examples it narrows (heart failure, arrhythmia), not beside the
    # keys that are uncontrolled by name (active infection, unstable angina)
    text = ("Uncontrolled intercurrent illness including, but not limited to, ongoing or active infection, symptomatic "
            "congestive heart failure, unstable angina pectoris, cardiac arrhythmia, or psychiatric illness/social "
            "situations that would limit compliance with study requirements")
    assert parse_one(vocab, "exc", text) == ("partly_structured", no(any_(
        LEAD, cond("active_infection"), all_(cond("heart_failure", qualifier="symptomatic"), un("Uncontrolled")),
        cond("unstable_angina"), cond("arrhythmia", qualifier="uncontrolled"),
        un("psychiatric illness/social situations that would limit compliance with study requirements"))))


def test_intercurrent_illness_keys_uncontrolled_by_name_and_events_in_a_window_stand_alone(vocab):
    # NCT04499053 (uncontrolled hypertension, ILD) and NCT06176261 (an MI in a window; "(but not limited to)")
    status, node = parse_one(vocab, "exc", "Uncontrolled intercurrent illness, including but not limited to, ongoing or "
                             "active infection, uncontrolled hypertension, interstitial lung disease, or psychiatric illness")
    assert node == no(any_(LEAD, cond("active_infection"), cond("hypertension_uncontrolled"),
                           cond("interstitial_lung_disease", qualifier="uncontrolled"), un("psychiatric illness")))
    status, node = parse_one(vocab, "exc", "Uncontrolled intercurrent illness, including (but not limited to) active "
                             "infection, uncontrolled cardiac arrhythmia, myocardial infarction within the previous six months")
    assert node == no(any_(LEAD, cond("active_infection"), cond("arrhythmia", qualifier="uncontrolled"),
                           cond("myocardial_infarction", False, 183)))


def test_intercurrent_illness_never_clears_a_patient(vocab):
    # the lead is an Unparsed alternative: with every example absent or resolved, the item stays open
    status, node = parse_one(vocab, "exc", "Patients with uncontrolled intercurrent illness, including active infection")
    tree = from_json(node)
    assert isinstance(tree, c.Not) and isinstance(tree.item, c.Any) and isinstance(tree.item.items[0], c.Unparsed)


def test_but_not_limited_to_still_opens_an_exception_elsewhere(vocab):
    # NCT03740256 (inclusion): a ';' list of example cancers after "including but not limited to" would
    # be read as all of them required (a wrong "ineligible" for every patient): it stays cut
    text = ("Histologically confirmed advanced refractory HER2 positive solid tumors, including but not limited to: head "
            "and neck squamous cell carcinoma; lung cancer; breast cancer; bladder cancer")
    status, node = parse_one(vocab, "inc", text)
    assert not any(isinstance(n, c.CancerType) for n in walk(from_json(node)))


@pytest.mark.parametrize("text,expected", [
    ("Uncontrolled hypertension.", no(cond("hypertension_uncontrolled"))),  # NCT03567889
    ("A history of uncontrolled hypertension", no(cond("hypertension_uncontrolled", False))),  # NCT06290193
])
def test_uncontrolled_hypertension_is_its_key(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == ("fully_structured", expected)


def test_a_blood_pressure_definition_stays_beside_uncontrolled_hypertension(vocab):
    # NCT05863351
    status, node = parse_one(vocab, "exc", "Uncontrolled hypertension (systolic blood pressure \\[BP\\] \\> 190mmHg or "
                                           "diastolic BP \\> 110mmHg)")
    tree = from_json(node)
    assert status == "partly_structured" and isinstance(tree.item, c.All)
    atom, rest = tree.item.items
    assert atom == c.Condition(("hypertension_uncontrolled",)) and "190" in rest.text


def test_plain_hypertension_is_no_key(vocab):
    assert parse_one(vocab, "exc", "Hypertension")[0] == "unparsed"


# ---- viral hepatitis with the test that shows it ------------------------------------------
@pytest.mark.parametrize("text", [
    # NCT03474497, NCT03428802: the asides are examples of the test that shows the current infection
    "Has known active Hepatitis B (e.g., HBsAg reactive) or Hepatitis C (e.g., HCV RNA \\[qualitative\\] is detected).",
    "Has known active hepatitis B (e.g., hepatitis B surface antigen \\[HBsAg\\] reactive) or hepatitis C (e.g., "
    "hepatitis C virus \\[HCV\\] ribonucleic acid \\[RNA\\] \\[qualitative\\] is detected).",
    # NCT06228053: definitions of an active infection
    "Has a known active Hepatitis B (defined as Hepatitis B surface antigen \\[HBsAg\\] reactive) or known active "
    "Hepatitis C virus (defined as HCV RNA \\[qualitative\\] is detected) infection.",
])
def test_hepatitis_with_its_test(vocab, text):
    assert parse_one(vocab, "exc", text) == ("fully_structured", no(any_(cond("hepatitis_b"), cond("hepatitis_c"))))


def test_history_defined_by_a_current_test_is_not_read(vocab):
    # NCT03428802-like Merck text: "history of hepatitis B (defined as HBsAg reactive)": ever, or now?
    text = ("Has a known history of Hepatitis B (defined as Hepatitis B surface antigen \\[HBsAg\\] reactive) or known "
            "active Hepatitis C virus (defined as HCV RNA \\[qualitative\\] is detected) infection.")
    assert parse_one(vocab, "exc", text)[0] == "unparsed"


def test_a_history_does_not_reach_a_part_naming_its_present(vocab):
    # NCT05067283: "known history of hepatitis B virus or known active hepatitis C": a cured hepatitis C
    # does not exclude (the history was read onto both before, a wrong "ineligible")
    assert parse_one(vocab, "exc", "Has a known history of Hepatitis B virus or known active Hepatitis C virus infection") \
        == ("fully_structured", no(any_(cond("hepatitis_b", False), cond("hepatitis_c"))))


# ---- lists of which some parts have no key ------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    # NCT05963074: intracranial haemorrhage has no key; the window is the list's
    ("Stroke or intracranial hemorrhage within 6 months prior to enrollment",
     no(any_(cond("stroke", False, 183), un("intracranial hemorrhage")))),
    # NCT04792489
    ("History of myocardial infarction, cardiac angioplasty or stenting, unstable angina, or other clinically "
     "significant cardiac disease within 6 months of enrollment",
     no(any_(cond("myocardial_infarction", False, 183), un("cardiac angioplasty"), un("stenting"),
             cond("unstable_angina", False, 183), un("other clinically significant cardiac disease")))),
    # NCT07282912
    ("Has known active TB/COVID infection.", no(any_(cond("tuberculosis"), un("COVID infection")))),
])
def test_a_list_keeps_its_unread_parts_as_alternatives(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == ("partly_structured", expected)


@pytest.mark.parametrize("text", [
    # a word before the first part may reach every part: uncontrolled HIV only? (a wrong "ineligible"
    # for a controlled HIV if HIV were read alone)
    "Persistently uncontrolled diabetes mellitus or HIV infection",
    # a part holding a qualifier or a verb is no alternative of its own
    "History of positive test for Hepatitis B or Hepatitis C virus indicating acute or chronic infection.",
])
def test_lists_whose_parts_are_not_alternatives_stay_unparsed(vocab, text):
    assert parse_one(vocab, "exc", text)[0] == "unparsed"


def test_a_concept_opening_word_is_not_read_as_a_qualifier_of_an_unread_part(vocab):
    # NCT04215809: "unstable" opens "unstable angina", not a qualifier of "angina or myocardial infarction"
    assert parse_one(vocab, "exc", "Unstable angina or myocardial infarction within 3 months of enrollment.") == \
        ("fully_structured", no(any_(cond("unstable_angina", False, 91), cond("myocardial_infarction", False, 91))))


@pytest.mark.parametrize("text,expected", [
    ("Patients with a history of myocarditis.", no(cond("myocarditis", False))),  # NCT06699602
    # NCT05061550: "history of active" on a group key: only active records count (a resolved member stays open;
    # any record counting excluded a long-inactive one: round 7 audit, NCT05746897)
    ("History of active primary immunodeficiency.", no(cond("primary_immunodeficiency"))),
    ("Any form of primary immunodeficiency.", no(cond("primary_immunodeficiency"))),  # NCT05877599
    # NCT06627647 (label 40): two keys joined by a slash; "active infectious disease" read whole
    ("Active primary immunodeficiency/active infectious disease(s).",
     no(any_(cond("primary_immunodeficiency"), cond("active_infection")))),
])
def test_myocarditis_and_primary_immunodeficiency(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == ("fully_structured", expected)


def test_immunodeficiency_alone_or_acquired_is_not_primary(vocab):
    # NCT06860815-like: an acquired (HIV) immunodeficiency is no primary one
    status, node = parse_one(vocab, "exc", "History of active primary/acquired immunodeficiency")
    assert status == "unparsed", node
    # "immunodeficiency" alone is the broader key (round 2), never the primary key by itself
    status, node = parse_one(vocab, "exc", "Has a diagnosis of immunodeficiency")
    assert node["item"]["keys"] == ["immunodeficiency", "primary_immunodeficiency"]


@pytest.mark.parametrize("text", [
    "Has an active, known or suspected autoimmune disease.",  # NCT04219254
    "Has ongoing or suspected autoimmune disease.",  # NCT06234397
    "Participants must not have an active, known, or suspected autoimmune disease.",  # NCT06332755
])
def test_a_suspected_condition_is_an_unread_alternative_of_the_known_one(vocab, text):
    assert parse_one(vocab, "exc", text) == (
        "partly_structured", no(any_(dict(cond("autoimmune_disease"), keys=["autoimmune_disease", "inflammatory_bowel_disease", "crohns_disease", "ulcerative_colitis"]), un("suspected autoimmune disease"))))


def test_suspected_alone_is_no_condition(vocab):
    assert parse_one(vocab, "exc", "Suspected autoimmune disease")[0] == "unparsed"
