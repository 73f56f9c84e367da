"""Infections named by their test results, and brain / CNS metastasis shapes (issue #5, fourth
round). Item texts are from tests/data/trials/oncology-trials.jsonl (NCT id in the comment of each
case); each is parsed as a one-item section, as a user meets it."""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility
from tests.unit.nlp.tree_json import all_, any_, no, un


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def cond(key, active_only=True):
    out = {"type": "condition", "keys": [key]}
    if not active_only:
        out["active_only"] = False
    return out


def meta(site, qualifier=None):
    out = {"type": "metastasis", "site": site}
    if qualifier:
        out["qualifier"] = qualifier
    return out


def cns(qualifier=None):
    return any_(meta("cns", qualifier), meta("brain", qualifier))


FULL = [
    # ---- test results that show the infection itself (HBsAg, HCV RNA, an HIV antibody test)
    ("exc", "Positive hepatitis B surface antigen", no(cond("hepatitis_b"))),  # NCT05094336
    ("exc", "positive hepatitis C virus ribonucleic acid (RNA) by polymerase chain reaction (PCR)",
     no(cond("hepatitis_c"))),  # NCT05094336
    ("inc", "Negative hepatitis B surface antigen (HBsAg) test at screening", no(cond("hepatitis_b"))),  # NCT04820179
    ("exc", "Human immunodeficiency virus (HIV)-1 or HIV-2 antibodies", no(cond("hiv"))),  # NCT05607095 (inclusion: test_review_fixes)
    # NCT00034216 (under an apheresis heading there): an inclusion "HIV negative" is Not(HIV)
    ("inc", "HIV negative", no(cond("hiv", active_only=False))),  # HIV is lifelong: any record shows it
    # a bare test aside defines the active infection, like "defined as"
    ("exc", "Active hepatitis B (HBsAg positive)", no(cond("hepatitis_b"))),
    # NCT04150042: "seropositivity for" is a prefix like "seropositive for"
    ("exc", "HIV infection or seropositivity for HIV.", no(cond("hiv", active_only=False))),
    # NCT06660654: an uncontrolled infection is an active one: "active or uncontrolled" is active
    ("exc", "Has active or uncontrolled HIV, HBV, or HCV infection.",
     no(any_(cond("hiv"), cond("hepatitis_b"), cond("hepatitis_c")))),
    # ---- HIV-1 or HIV-2: the one key
    ("exc", "Infection with human immunodeficiency virus (HIV)-1 or HIV-2.", no(cond("hiv"))),
    # ---- brain / CNS metastases
    # NCT06884618: "known" adds nothing; (untreated) or active
    ("exc", "Known and untreated, or active central nervous system (CNS) metastases",
     no(any_(meta("cns", "untreated"), meta("brain", "untreated"), meta("cns", "active"), meta("brain", "active")))),
    # NCT05067283: "clinically active" is active; after "and/or" the carcinomatous meningitis is a separate
    # exclusion (the KEYNOTE template; after "or" the qualifier reaches it: test_r7_disease.py)
    ("exc", "Has clinically active central nervous system (CNS) metastases and/or carcinomatous meningitis",
     no(any_(meta("cns", "active"), meta("brain", "active"), meta("leptomeningeal")))),
    # NCT04697576
    ("exc", "Active brain metastasis or leptomeningeal metastasis",
     no(any_(meta("brain", "active"), meta("leptomeningeal")))),
    # NCT06780098: the lead "evidence of any" adds nothing
    ("exc", "Evidence of any leptomeningeal disease", no(meta("leptomeningeal"))),
    # NCT07214298: the NCI template; the rationale adds nothing
    ("exc", "Participants with known untreated brain metastases will be excluded from this clinical trial because of their "
            "poor prognosis and because they often develop progressive neurologic dysfunction that would confound the "
            "evaluation of neurologic and other adverse events", no(meta("brain", "untreated"))),
    # NCT07140016
    ("exc", "Participant has symptomatic central nervous system (CNS) metastases or has leptomeningeal metastasis.",
     no(any_(cns("symptomatic"), meta("leptomeningeal")))),
    # NCT05107674: two qualifiers side by side are both required (Any excluded treated, active metastases)
    ("exc", "Active untreated brain metastases.", no(all_(meta("brain", "active"), meta("brain", "untreated")))),
    # the qualifier after the site
    ("exc", "Central nervous system metastases that are untreated", no(cns("untreated"))),
    # NCT06422143: "/" joins the leptomeningeal site as "or" does
    ("exc", "Has known central nervous system (CNS) metastases/carcinomatous meningitis",
     no(any_(meta("cns"), meta("brain"), meta("leptomeningeal")))),
    # NCT06311721: "not previously treated" is untreated, beside active: both
    ("exc", "Participant has active central nervous system metastases not previously treated.",
     no(any_(all_(meta("cns", "untreated"), meta("cns", "active")), all_(meta("brain", "untreated"), meta("brain", "active"))))),
    # ---- vascular events: "(including X)" adds X; deep vein thrombosis and pulmonary embolism are keys (events)
    # NCT04820179 (an entry of its "including, but not limited to" list)
    ("exc", "Stroke (including transient ischemic attack [TIA])",
     no(any_(cond("stroke", False), cond("transient_ischemic_attack", False)))),
    # NCT06145633: "diagnosed" before the window
    ("exc", "Deep vein thrombosis or pulmonary embolism diagnosed within the past six months.",
     no(any_({**cond("deep_vein_thrombosis", False), "within_days": 183}, {**cond("pulmonary_embolism", False), "within_days": 183}))),
    # NCT04946370
    ("exc", "Diagnosis of deep vein thrombosis and/or pulmonary embolus within 1 month of C1D1",
     no(any_({**cond("deep_vein_thrombosis", False), "within_days": 30}, {**cond("pulmonary_embolism", False), "within_days": 30}))),
    # NCT04553770 (the first part of its item): a window to two time points ("randomization/enrollment")
    ("exc", "Myocardial infarction within 6 months before randomization/enrollment",
     no({**cond("myocardial_infarction", False), "within_days": 183})),
    # ---- other malignancy at the trial's start
    ("exc", "Other active malignancy at time of first dose of study treatment", no(cond("other_malignancy"))),
]


@pytest.mark.parametrize("section,text,expected", FULL)
def test_fully_structured(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == ("fully_structured", expected)


PARTLY = [
    # NCT04830137: the exception stays unparsed beside the head, which is now read
    ("exc", "Infection with human immunodeficiency virus (HIV)-1 or HIV-2. Exception: patients with well-controlled HIV "
            "(e.g., CD4 \\> 350/mm3 and undetectable viral load) are eligible.",
     no(all_(cond("hiv"), un("Exception: patients with well-controlled HIV (e.g., CD4 \\> 350/mm3 and undetectable "
                              "viral load) are eligible.")))),
    # NCT06710847: "uncontrolled" narrows the symptomatic metastases further; kept beside them
    ("exc", "Has symptomatic uncontrolled brain or leptomeningeal metastases",
     no(any_(all_(meta("brain", "symptomatic"), un("uncontrolled")), meta("leptomeningeal")))),
    # NCT04234048: an active hepatitis B or C is one (each excludes); the other kinds no key holds stay an
    # Unparsed alternative, so the list never clears a patient
    ("exc", "Patients with any active hepatitis infections.",
     no(any_(cond("hepatitis_b"), cond("hepatitis_c"), un("active hepatitis infections")))),
    # a past hepatitis B with a test aside: ever, or now? The aside is not taken as its definition
    ("exc", "Prior active hepatitis B (presence of HBsAg)",
     no(all_(cond("hepatitis_b", False), un("(presence of HBsAg)")))),
    # a qualifier after the site that the atom does not hold stays as written, beside the site
    ("exc", "Brain metastases that are progressing", no(all_(meta("brain"), un("that are progressing")))),
    # NCT06793215: alternatives; the one the atom does not hold is the site beside its words
    ("exc", "Symptomatic, untreated, or actively progressing central nervous system (CNS) metastases",
     no(any_(meta("cns", "symptomatic"), meta("brain", "symptomatic"), meta("cns", "untreated"), meta("brain", "untreated"),
             all_(cns(), un("actively progressing"))))),
    # NCT06048484: "at any time prior to screening" is not read
    ("exc", "Positive HIV test at screening or at any time prior to screening.",
     no(all_(cond("hiv", active_only=False), un("at screening or at any time prior to screening")))),
]


@pytest.mark.parametrize("section,text,expected", PARTLY)
def test_partly_structured(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == ("partly_structured", expected)


UNPARSED = [
    # NCT01174121: "hepatitis B antigen" may be the surface or the e antigen
    ("inc", "Seronegative for hepatitis B antigen"),
    # an HCV antibody or a core antibody shows a past infection too (or a false positive): not the condition
    ("exc", "Positive hepatitis C antibody"),
    ("exc", "Positive hepatitis B core antibody"),
    # a negative result in an exclusion: which way does it exclude?
    ("exc", "Negative HBsAg"),
    # NCT04903873, NCT06996782: not a hepatitis B or C
    ("exc", "History of any noninfectious hepatitis"),
    ("exc", "Known active hepatitis A."),
    # NCT06236139: "HIV-positive participants" as a subject is not read as HIV: the words after it are often a
    # definition or an exception ("Active uncontrolled infection: HIV positive participants on HAART with a CD4
    # count > 500 are considered controlled"), and the list head before it would then clear every patient
    # without HIV
    ("exc", "HIV-infected participants with a history of Kaposi's sarcoma and/or Multicentric Castleman's Disease."),
    # NCT06074588's inclusion "HIV-infected participants must have well controlled HIV on antiretroviral therapy" is
    # now the subgroup's requirement, Any(Not(hiv), Unparsed(requirement)): HIV is still no requirement
    # (tests/unit/nlp/test_hiv_subgroup.py)
    # "venous thrombosis" and "thromboembolism" are broader than the deep-vein key
    ("exc", "Venous thromboembolism"),
    # suspected metastases are in no record
    ("exc", "Suspected brain metastases"),
    # NCI template whose words say what is excluded only by reference
    ("exc", "Active malignancy"),
]


@pytest.mark.parametrize("section,text", UNPARSED)
def test_shapes_that_stay_unparsed(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


def test_inclusion_saying_who_is_excluded_reads_the_exclusion(vocab):
    # NCT06906562 (inclusion section): "Patients with symptomatic CNS metastases are excluded"
    status, node = parse_one(vocab, "inc", "Patients with symptomatic central nervous system (CNS) metastases are excluded")
    assert (status, node) == ("fully_structured", no(cns("symptomatic")))
