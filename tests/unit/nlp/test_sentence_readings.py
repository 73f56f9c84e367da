"""Sentence-level readings (issue #5, fourth round): a sentence not understood after an understood one
is read as depending on it (All) only when its shape says so; documentation-only sentences are left
out; lead-in lines are headings; inclusion items ending in "or" are alternatives. Texts are items of
tests/data/trials/oncology-trials.jsonl (NCT id beside each). Verdicts are checked with a three-valued
evaluation of the tree in which every Unparsed is UNKNOWN, as in the matcher."""

from __future__ import annotations

import json

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.context import default_context
from trialmatch.nlp.sections import CRITERION, EXCLUSION, HEADING, INCLUSION, split_segments

MET, UNKNOWN, NOT_MET = 2, 1, 0


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, items[0].node


def verdict(node: c.Node, facts) -> int:
    """Kleene evaluation: ``facts(atom)`` gives MET / NOT_MET / UNKNOWN for an atom; Unparsed is UNKNOWN."""
    if isinstance(node, c.Unparsed):
        return UNKNOWN
    if isinstance(node, c.Not):
        return 2 - verdict(node.item, facts)
    if isinstance(node, c.All):
        return min(verdict(n, facts) for n in node.items)
    if isinstance(node, c.Any):
        return max(verdict(n, facts) for n in node.items)
    return facts(node)


def none_of(node):
    return NOT_MET


def all_of(node):
    return MET


# ---- 1. a sentence not understood after an understood one --------------------------------------

@pytest.mark.parametrize("text", [
    # NCT05039801: (B7) is an exclusion of its own; Not(All(B6, B7)) cleared a patient without B6
    "(B6) Patient has clinically significant cardiovascular disease (e.g., significant cardiac conduction abnormalities, "
    "uncontrolled hypertension, myocardial infarction, cardiac arrhythmia or unstable angina, New York Heart Association "
    "Grade 2 or greater congestive heart failure, serious cardiac arrhythmia requiring medication, Grade 2 or greater "
    "peripheral vascular disease, and history of cerebrovascular accident \\[CVA\\]) within 6 months of enrollment. (B7) "
    "Patient has pre-existing peripheral neuropathy that is Grade ≥2 by Common Terminology Criteria for Adverse Events "
    "(CTCAE) version 4 criteria.",
    # NCT04104893 (the KEYNOTE template): the second sentence is a requirement of its own
    "Has received prior radiotherapy within 2 weeks of start of study treatment. Participants must have recovered from all "
    "radiation-related toxicities, not require corticosteroids, and not have had radiation pneumonitis.",
    # NCT04724018: a list of exclusions joined by ";"
    "History of idiopathic pulmonary fibrosis; organizing pneumonia, drug-induced pneumonitis, idiopathic pneumonitis, or "
    "evidence of active pneumonitis on screening chest CT scan.",
    # NCT06548672: the exception is inside a sentence with its own requirement
    "Grade 2 or higher peripheral neuropathy. Other toxicities caused by prior anti-tumor therapy has not recovered to ≤ "
    "grade 1 (per CTCAE 5.0) (except for alopecia, pigmentation, and other events judged by the Investigator to be "
    "tolerable) or the level specified by the inclusion/exclusion criteria in this study",
    # NCT03219450: the second sentence excludes nursing women, whom the first does not name
    "Pregnant women are excluded from this study because personalized neoantigen peptides and poly-ICLC are agents with "
    "unknown risks to the developing fetus. Because there is an unknown but potential risk of adverse events in nursing "
    "infants secondary to treatment of the mother with personalized neoantigen peptides and poly-ICLC, nursing women are "
    "excluded from this study.",
])
def test_an_independent_sentence_never_clears_an_exclusion(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "partly_structured"
    # a patient with none of the understood atoms is no longer cleared: the other sentence may exclude
    assert verdict(node, none_of) == UNKNOWN
    assert verdict(node, all_of) in (UNKNOWN, NOT_MET)


@pytest.mark.parametrize("text", [
    # NCT04563507: a definition ("is not considered") of the sentence before
    "Has active autoimmune disease that has required systemic treatment in the past 2 years (i.e. with use of disease "
    "modifying agents, corticosteroids or immunosuppressive drugs). Replacement therapy (e.g., thyroxine, insulin, or "
    "physiologic corticosteroid replacement therapy for adrenal or pituitary insufficiency, etc.) is not considered a "
    "form of systemic treatment.",
    # NCT05838768: a permission narrows the exclusion
    "Active Hepatitis B Virus (HBV), Hepatitis C Virus (HCV) or Tuberculosis infection. Patients whose disease is "
    "controlled under antiviral therapy should not be excluded.",
    # NCT05187182: how pregnancy is ruled out
    "Pregnant and/or breastfeeding. Women of childbearing potential must have a negative pregnancy test within 7 days of "
    "study entry.",
])
def test_a_dependent_sentence_keeps_the_exclusion_readable(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "partly_structured"
    assert verdict(node, none_of) == MET  # without the understood condition the patient is not excluded
    assert verdict(node, all_of) == UNKNOWN  # with it, the dependent words may still clear


def test_a_pregnancy_test_beside_another_condition_is_an_exclusion_of_its_own(vocab):
    # the method reading holds only after a sentence read as pregnancy
    _, node = parse_one(vocab, "exc", "Known HIV. Women of childbearing potential must have a negative pregnancy test "
                                      "within 7 days of study entry.")
    assert verdict(node, none_of) == UNKNOWN


def test_an_inclusion_permission_widens(vocab):
    # NCT04712851: "are acceptable" admits patients the sentence before may not; All required it of them
    _, node = parse_one(vocab, "inc", "Female participants who are at least 21 years of age on the day of signing "
                        "informed consent with active (not yet resected), histologically confirmed diagnosis of CIN "
                        "grade 2 or 3 or carcinoma in situ (without invasive component) will be enrolled in this study. "
                        "Subjects with multifocal disease are acceptable")
    assert verdict(node, none_of) == UNKNOWN
    assert isinstance(node, c.Any)


def test_an_inclusion_exception_with_a_requirement_of_its_own_is_open(vocab):
    # NCT06839053: the exception for marrow involvement lowers the threshold (All failed such a patient)
    _, node = parse_one(vocab, "inc", "Absolute neutrophil count (ANC) \\>= 1.0 x 10\\^9/L =\\< 7 days before the first "
                        "dose of the study drug with or without growth factor support. There is an exception for patients "
                        "with bone marrow involvement, in which case ANC must be \\>= 0.75 x 10\\^9/L before the first dose "
                        "of the study drug")
    assert verdict(node, none_of) == UNKNOWN


def test_the_age_restated_for_children_keeps_the_age(vocab):
    # NCT06015659: the NCI template restates the age limit
    _, node = parse_one(vocab, "inc", "Age ≥ 18 years. As no dosing or adverse event data are currently available in "
                                      "participants \\< 18 years of age, children and adolescents are excluded from "
                                      "this study.")
    assert verdict(node, all_of) == MET


# ---- 3. documentation-only sentences ------------------------------------------------------------

@pytest.mark.parametrize("text, atom", [
    ("Known human immunodeficiency virus (HIV). Screening is not required.", {"type": "condition", "keys": ["hiv"]}),  # NCT03595917
    ("Known to be Human Immunodeficiency Virus (HIV) positive. Testing at entry not required.",  # NCT04300556
     {"type": "condition", "keys": ["hiv"]}),
    ("Has a known history of Human Immunodeficiency Virus (HIV). Note: No HIV testing is required unless mandated by "
     "local health authority.", {"type": "condition", "keys": ["hiv"], "active_only": False}),  # NCT05313243
    ("Evidence of metastatic disease. Systemic imaging is not required.",  # NCT04886531
     {"type": "metastasis", "extent": "metastatic"}),
])
def test_documentation_sentences_are_left_out(vocab, text, atom):
    status, node = parse_one(vocab, "exc", text)
    assert status == "fully_structured"
    assert to_json(node) == {"type": "not", "item": atom}


@pytest.mark.parametrize("sentence", [
    "Screening is not required.", "Testing at entry not required.", "Screening for chronic conditions is not required",
    "Bone scan does not need to be performed for study eligibility determination.",
    "Pathology review will occur at the site",
    "Concurrent treatment with effective ART according to DHHS treatment guidelines is recommended",
])
def test_documentation_phrases(sentence):
    assert default_context().documentation(sentence)


@pytest.mark.parametrize("sentence", [
    # near misses: each can change who is eligible
    "Measurable disease is not required", "Surgery is not required", "Patients for whom surgery is recommended are excluded",
    "Screening is not required for patients with HIV; they must have an undetectable viral load",
    "Patients for whom adjuvant chemotherapy is recommended",
])
def test_near_misses_are_no_documentation(sentence):
    assert not default_context().documentation(sentence)


# ---- 2. lead-ins and items ending in "or" -------------------------------------------------------

@pytest.mark.parametrize("section, heading, line, scope", [
    (EXCLUSION, "Exclusion Criteria:", "Subjects who meet any of the following criteria will be excluded from "
     "participation in this study:", None),  # NCT04282044
    (EXCLUSION, "Exclusion Criteria:", "Subjects should not enter the study if any of the following exclusion criteria "
     "are fulfilled:", None),  # NCT05500092
    (INCLUSION, "Inclusion Criteria:", "In order to be eligible to participate in this study, an individual must meet all "
     "of the following criteria:", None),  # NCT05440617
    (INCLUSION, "Inclusion Criteria:", "All patients must meet the following criteria to be eligible for Phase 1 study "
     "participation:", "All patients must meet the following criteria to be eligible for Phase 1 study participation:"),  # NCT06800313
])
def test_lead_ins_are_headings(section, heading, line, scope):
    segments = split_segments(f"{heading}\n\n{line}\n\n1. Age >= 18\n2. HIV\n")
    assert [(s.section, s.kind, s.scope) for s in segments] == [
        (section, HEADING, None), (section, HEADING, scope), (section, CRITERION, scope), (section, CRITERION, scope)]


@pytest.mark.parametrize("heading, line", [
    ("Inclusion Criteria:", "Patients must not have any of the following:"),  # negates: its entries are no requirements
    ("Inclusion Criteria:", "Patients with one or more of the following:"),  # alternatives
    ("Inclusion Criteria:", "Patients must have completed first line platinum-based therapy:"),  # says something itself
    ("Exclusion Criteria:", "Treatment with any of the following:"),
    ("Exclusion Criteria:", "Based on screening brain MRI, patients must not have any of the following:"),
])
def test_lead_ins_that_say_more_are_no_plain_headings(heading, line):
    # an item, or (short lines with "any of", "one or more": the sub-heading rule) a heading whose scope
    # keeps every entry from deciding alone; never a heading that lets the entries read as before
    segments = split_segments(f"{heading}\n\n{line}\n\n1. Age >= 18\n")
    assert segments[1].text == line
    assert segments[1].kind == CRITERION or (segments[1].scope is not None and segments[2].scope is not None)


def test_items_ending_in_or_are_alternatives(vocab):
    # NCT04071236: read alone, each was required (a wrong "ineligible" for a patient meeting the other)
    items = parse_eligibility("Inclusion Criteria:\n\n* Creatinine =\\< 1.5 x institutional ULN OR\n"
                              "* Glomerular filtration rate (GFR) \\>= 40 mL/min/1.73 m\\^2\n* Age >= 18\n",
                              vocab).criteria_items
    first, second, third = (i.node for i in items)
    assert verdict(first, none_of) == UNKNOWN and verdict(first, all_of) == MET
    assert verdict(second, none_of) == UNKNOWN
    assert to_json(third) == {"type": "age", "min": 18}


def test_a_permission_list_head_is_not_read_as_requirements(vocab):
    # NCT06366347: every permitted prior therapy was required
    items = parse_eligibility("Inclusion Criteria:\n\n* Participants are permitted to have received:\n"
                              "  * Prior adjuvant chemotherapy\n  * Prior radiation therapy for treatment of endometrial "
                              "cancer\n", vocab).criteria_items
    assert items[0].status == "unparsed"


# ---- alternatives after an exception in brackets, or after a qualifier -----------------------------

@pytest.mark.parametrize("text", [
    # NCT05512208: the exception ends at its bracket; "minor surgery within 2 weeks" excludes alone
    "Major surgery within 4 weeks (excluding placement of vascular access), minor surgery within 2 weeks, or "
    "palliative radiotherapy within 1 week (7 days) of the first dose of study therapy.",
    # NCT04065269
    "Major surgery within 4 weeks prior to starting trial drug (excluding placement of vascular access) or minor "
    "surgery (excluding tumour biopsies) within 2 weeks of starting trial.Local surgery of isolated lesions for "
    "palliative intent is acceptable",
    # NCT05786924, NCT06007937, NCT06797336: "or planned / minor / postoperative ..." is no qualifier of the surgery
    "Major surgery within 4 weeks of study entry or planned during study.",
    "Major surgery within 4 weeks of starting treatment on protocol or minor surgery/subcutaneous venous access device "
    "placement within 7 days prior to the first dose of protocol therapy",
    "Major surgery within 4 weeks of the start of study therapy or postoperative complications preventing the "
    "participant from adhering to protocol assessments and procedures.",
])
def test_an_alternative_after_the_head_never_clears_a_patient_without_the_head(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "partly_structured"
    assert '"major": true' in json.dumps(to_json(node))
    assert verdict(node, none_of) == UNKNOWN  # was MET: Not(All(surgery, Unparsed(...)))


@pytest.mark.parametrize("text", [
    # the words after the bracket are the head's own window or narrowing, not alternatives
    "Prior anticancer therapy (except hormonal therapy) within 28 days.",
    "Active infections requiring antibiotic treatment, associated with fever \\> 38°C or expected to potentially "
    "result in severe disease.",  # qualifiers of the infection: "or expected" opens no other event
])
def test_words_after_an_exception_that_go_on_with_the_head_keep_the_head_necessary(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "partly_structured"
    assert verdict(node, none_of) == MET
