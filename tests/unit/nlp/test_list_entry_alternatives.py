"""Entries of an inclusion list joined by "or" (item_lists._or_joined): an entry ending in "or", or a line that
is only "or" between two, makes them alternatives; read as two requirements, a patient meeting one was
"ineligible"."""

from __future__ import annotations

from tests.unit.nlp.test_therapy_round2 import parse_one
from tests.unit.nlp.tree_json import all_, any_

ANC = {"type": "lab", "analyte": "ANC", "comparator": ">=", "value": 1500, "unit": "/uL"}
CREAT = {"type": "lab", "analyte": "CREAT", "comparator": "<=", "uln_multiple": 1.5}
CRCL = {"type": "lab", "analyte": "CRCL", "comparator": ">=", "value": 50, "unit": "mL/min"}


def test_a_line_that_is_only_or_joins_the_entries_around_it(vocab):
    # NCT03586453 (audit): "* creatinine <= 1.5 x ULN", a line "--- OR", "* creatinine clearance >= 50 mL/min"
    text = ("Adequate organ function as defined below:\n  * ANC ≥ 1500/mcL\n  * creatinine ≤ 1.5 x institutional upper "
            "limit of normal\n\n    \\--- OR\n  * creatinine clearance ≥50 mL/min as determined by the Cockcroft-Gault formula.")
    assert parse_one(vocab, "inc", text) == ("fully_structured", all_(ANC, any_(CREAT, CRCL)))


def test_an_entry_ending_in_or_is_an_alternative_of_the_next(vocab):
    text = ("Adequate organ function as defined below:\n  * creatinine ≤ 1.5 x institutional upper limit of normal OR\n"
            "  * creatinine clearance ≥50 mL/min\n  * ANC ≥ 1500/mcL")
    assert parse_one(vocab, "inc", text) == ("fully_structured", all_(any_(CREAT, CRCL), ANC))


def test_an_exclusion_lead_in_with_a_protocol_note_opens_the_exclusions(vocab):
    # NCT05999994 (audit): the exclusions sat under "Inclusion Criteria:" behind this line; read as inclusions,
    # a kidney transplant recipient met "Participants who have had allogeneic bone marrow or solid organ transplant"
    from trialmatch.nlp import parse_eligibility
    text = ("Inclusion Criteria:\n\n* Age >= 18 years\n\nParticipants will be ineligible if they meet any of the exclusion "
            "criteria below. Additional criteria are specified in the protocol amendment to which the participant will "
            "enroll.\n\n* Female participants who are pregnant or breastfeeding.\n")
    items = parse_eligibility(text, vocab).criteria_items
    assert [(i.section, i.scope) for i in items] == [("inclusion", None), ("exclusion", None)]
    assert items[1].node.__class__.__name__ == "Not"


def test_a_criterion_using_the_word_inclusion_opens_no_section(vocab):
    # NCT04868604 (audit): this exclusion turned the exclusions after it into inclusions (a recorded seizure
    # then "supported" "history of seizures")
    from trialmatch.nlp.sections import split_segments
    text = ("Exclusion Criteria:\n\n* Transfusion for the sole purpose of making a participant eligible for study inclusion;\n"
            "* History of seizures;\n")
    assert [s.section for s in split_segments(text) if s.kind == "criterion"] == ["exclusion", "exclusion"]


def test_a_group_that_must_meet_the_entries_binds_that_group_only(vocab):
    # NCT04486833 (audit): read as every patient's, a seizure record failed a patient without brain metastases
    text = ("Asymptomatic brain metastases must meet ALL criteria of the following (a-d):\n\n   1. No history of seizures "
            "in the preceding six months.\n   2. Definitive treatment must be completed ≥21 days.")
    status, node = parse_one(vocab, "inc", text)
    assert node["type"] == "any" and node["items"][0]["type"] == "unparsed"


def test_every_patient_must_meet_the_entries(vocab):
    status, node = parse_one(vocab, "inc", "Patients must meet all of the following:\n  * ECOG 0-1\n  * Age >= 18")
    assert (status, node["type"]) == ("fully_structured", "all")


def test_one_cancer_beside_unread_diagnoses_is_not_required_of_all(vocab):
    # NCT06814496 (audit): All required SCLC of a Merkel cell carcinoma patient (a wrong "ineligible")
    from trialmatch.domain import criteria as c
    from tests.unit.nlp.test_sentence_readings import NOT_MET, UNKNOWN, verdict
    from tests.unit.nlp.test_sentence_readings import parse_one as parse_node
    text = ("Histologically or cytologically confirmed relapsed/refractory:\n\n   1. SCLC\n   2. Other tumors of small cell "
            "histology\n   3. High grade / poorly differentiated neuroendocrine tumors")
    _, node = parse_node(vocab, "inc", text)
    assert verdict(node, lambda atom: NOT_MET if isinstance(atom, c.CancerType) else UNKNOWN) != NOT_MET


def test_an_age_group_label_in_a_list_is_no_requirement(vocab):
    # NCT06227026 (audit): "Subjects < 50 years of age:" and "Subjects >= 50 years of age:" were both required
    text = ("The following age-specific requirements apply:\n\n  * Subjects \\< 50 years of age:\n\n    * Amenorrheic for "
            "≥ 12 months\n  * Subjects ≥ 50 years of age:\n\n    * Amenorrheic for 12 months or more")
    status, node = parse_one(vocab, "inc", text)
    assert "'type': 'age'" not in str(node)
