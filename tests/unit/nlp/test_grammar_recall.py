"""The grammar layer (clauses.py, parser.py, sections.py, context rules) on real items of
tests/data/trials/oncology-trials.jsonl (NCT id in a comment): what it now reads, and the
shapes that must stay unparsed (or never become non-clinical)."""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility

HIV = {"type": "condition", "keys": ["hiv"]}
HBV = {"type": "condition", "keys": ["hepatitis_b"]}
HCV = {"type": "condition", "keys": ["hepatitis_c"]}
ILD_EVER = {"type": "condition", "keys": ["interstitial_lung_disease"], "active_only": False}
PREGNANT = {"type": "pregnancy"}
BREASTFEEDING = {"type": "pregnancy", "status": "breastfeeding"}


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def not_(node):
    return {"type": "not", "item": node}


# ---- history and present in one list ----------------------------------------------------------

def test_history_does_not_reach_a_part_that_names_its_present(vocab):
    # NCT06747845: "active" pneumonitis must be active now; only the ILD is "history of"
    status, node = parse_one(vocab, "exc", "Has a history of interstitial lung disease or active, non-infectious pneumonitis")
    assert status == "fully_structured"
    assert node["type"] == "not" and node["item"]["type"] == "any"
    ild, pneumonitis = node["item"]["items"]
    assert ild == ILD_EVER
    assert pneumonitis["type"] == "condition" and pneumonitis.get("active_only", True) is True


def test_history_or_presence_of_is_history(vocab):
    # NCT06571708: "history of, or any evidence of, X" = X now or before
    status, node = parse_one(
        vocab, "exc", "Has a known history of, or any evidence of, interstitial lung disease or active noninfectious pneumonitis.")
    assert status == "fully_structured"
    assert node["item"]["items"][0] == ILD_EVER
    # NCT05665361: "current or past hepatitis B" = hepatitis B at any time
    assert parse_one(vocab, "exc", "Participants with current or past hepatitis B (HBV) infection") == (
        "fully_structured", not_({"type": "condition", "keys": ["hepatitis_b"], "active_only": False}))


def test_a_present_word_opens_its_own_clause(vocab):
    # NCT06849713 (without its aside): "active" reaches hepatitis C, the history does not; never
    # "history of hepatitis C"
    assert parse_one(vocab, "exc", "History of HIV infection or active hepatitis B or hepatitis C infection") == (
        "fully_structured", not_({"type": "any", "items": [
            {"type": "condition", "keys": ["hiv"], "active_only": False}, {"type": "any", "items": [HBV, HCV]}]}))


# ---- lists: shared words, modifiers, outer commas -------------------------------------------------

def test_one_letter_part_shares_the_words_before_it(vocab):
    # NCT03203525
    assert parse_one(vocab, "exc", "Patients with known human immunodeficiency virus infection, active hepatitis B or C") == (
        "fully_structured", not_({"type": "any", "items": [HIV, HBV, HCV]}))


def test_outer_commas_keep_an_inner_or(vocab):
    # NCT06014255: "0-1, or Karnofsky >= 70": two alternatives, the first one a range
    assert parse_one(vocab, "inc", "ECOG performance status 0-1, or Karnofsky score ≥ 70% (see Appendix A)") == (
        "fully_structured", {"type": "any", "items": [
            {"type": "performance_status", "max": 1},
            {"type": "performance_status", "min": 70, "scale": "Karnofsky"}]})


def test_treatments_share_the_prior_word_and_the_qualifier_stays_unparsed(vocab):
    # NCT04165772
    status, node = parse_one(vocab, "exc", "Prior radiation therapy, chemotherapy, or surgery for tumor")
    assert status == "partly_structured"
    head, qualifier = node["item"]["items"]
    assert qualifier == {"type": "unparsed", "text": "for tumor"}
    assert head["type"] == "any"
    assert sorted(head["items"], key=str) == sorted([
        {"type": "procedure", "kind": "radiation"},
        {"type": "prior_therapy", "classes": ["chemotherapy"]},
        {"type": "procedure", "kind": "surgery"}], key=str)


def test_a_window_after_a_list_of_labs_is_theirs(vocab):
    # NCT06764095
    assert parse_one(vocab, "inc", "Total bilirubin ≤ 3 x ULN OR direct bilirubin ≤ 3 x ULN (obtained ≤ 28 days prior to registration)") == (
        "fully_structured", {"type": "any", "items": [
            {"type": "lab", "analyte": "TBILI", "comparator": "<=", "uln_multiple": 3, "within_days": 28},
            {"type": "lab", "analyte": "DBILI", "comparator": "<=", "uln_multiple": 3, "within_days": 28}]})


def test_a_list_that_goes_on_after_the_qualifier_is_not_read_as_one_qualifier(vocab):
    # NCT04598009: radiation within 2 weeks alone excludes too; All(therapy, Unparsed(rest)) would
    # let such a patient through
    status, _ = parse_one(vocab, "exc", "Has received systemic anti-cancer therapies within 3 weeks of study drug start, "
                                        "radiation within 2 weeks, antibody therapy within 4 weeks")
    assert status == "unparsed"


# ---- negation ---------------------------------------------------------------------------------

def test_not_and_not_in_an_inclusion(vocab):
    # NCT07270237
    assert parse_one(vocab, "inc", "Not pregnant and not Nursing") == (
        "fully_structured", {"type": "all", "items": [not_(PREGNANT), not_(BREASTFEEDING)]})


def test_no_x_and_y_is_neither(vocab):
    # "no X and Y" never reads as Not(All(X, Y)), which would let a patient with X alone through
    status, node = parse_one(vocab, "inc", "No HIV and hepatitis B infection")
    assert node == not_({"type": "any", "items": [HIV, HBV]})


def test_an_exclusion_written_no_or_must_not_excludes_what_it_names(vocab):
    # NCT04588025: Not(Not(pregnancy)) would require every patient to be pregnant
    assert parse_one(vocab, "exc", "Participants may not be pregnant or lactating.") == (
        "fully_structured", not_({"type": "any", "items": [PREGNANT, BREASTFEEDING]}))
    # NCT06764485
    assert parse_one(vocab, "exc", "Participants must not have any brain metastasis.") == (
        "fully_structured", not_({"type": "metastasis", "site": "brain"}))


def test_doubtful_negations_under_exclusion_stay_unparsed(vocab):
    # NCT07270237 text under an exclusion heading, NCT05388773: which way is meant?
    assert parse_one(vocab, "exc", "Not pregnant and not Nursing")[0] == "unparsed"
    assert parse_one(vocab, "exc", "No evidence of distant metastasis.")[0] == "unparsed"


# ---- labels, fillers, known -----------------------------------------------------------------------

def test_topical_label_before_a_value(vocab):
    # NCT06249282
    assert parse_one(vocab, "inc", "Age: ≥ 18 years") == ("fully_structured", {"type": "age", "min": 18})


def test_when_the_protocol_checks_adds_nothing(vocab):
    # NCT03260491
    assert parse_one(vocab, "inc", "ECOG PS 0 or 1 at the time of Screening.") == (
        "fully_structured", {"type": "performance_status", "max": 1})


def test_known_adds_nothing_but_known_status_is_not_a_result(vocab):
    # NCT06747845
    assert parse_one(vocab, "exc", "Patients with known brain metastases")[1] == not_({"type": "metastasis", "site": "brain"})
    # NCT05230810: the status must be known, whatever it is
    assert parse_one(vocab, "inc", "Known ER and PR status of the tumor")[0] == "unparsed"


def test_first_enrolment_step_is_not_a_scope_but_a_later_step_is(vocab):
    # NCT05269381 (PRE-REGISTRATION label), NCT03678025 (STEP 1 REGISTRATION + topical label)
    assert parse_one(vocab, "inc", "PRE-REGISTRATION: Age \\>= 18 years") == ("fully_structured", {"type": "age", "min": 18})
    assert parse_one(vocab, "inc", "STEP 1 REGISTRATION: CLINICAL/LABORATORY CRITERIA: Age \\>= 18 years") == (
        "fully_structured", {"type": "age", "min": 18})
    status, node = parse_one(vocab, "inc", "STEP 2 RANDOMIZATION: Age \\>= 18 years")
    assert status == "partly_structured" and node["type"] == "any"


def test_headings(vocab):
    text = ("Exclusion Criteria:\n\nSubjects will be excluded if they meet any of the following criteria:\n\n"
            "* Known HIV infection\n\nTreatment with any of the following:\n\n* Known HIV infection\n")
    lead_in, topical = parse_eligibility(text, vocab).criteria_items
    assert lead_in.scope is None and lead_in.status == "fully_structured"  # a lead-in: each item excludes alone
    assert topical.scope is not None and topical.status == "partly_structured"  # the heading says more than "any"
    text = "Inclusion Criteria:\n\nStep 1 (randomization) inclusion criteria\n\n* Age \\>= 18 years\n\nStep 2:\n\n* Age \\>= 18 years\n"
    first, second = parse_eligibility(text, vocab).criteria_items
    assert first.scope is None and second.scope == "Step 2:"


# ---- non-clinical -----------------------------------------------------------------------------------

@pytest.mark.parametrize("section, text", [
    ("inc", "The above is a summary, other inclusion criteria details may apply."),  # NCT04521231
    # "Concurrent participation in another therapeutic clinical trial" is clinical now: a ResearchSubject
    # shows it (StudyParticipation, tests/unit/nlp/test_participation_builder.py)
    ("exc", "Legally incapable"),
    ("exc", "Unable to tolerate 60 min of PET imaging per session."),
    ("inc", "Participants of child-bearing potential must agree to use adequate contraceptive methods (e.g., hormonal or "
            "barrier method of birth control; abstinence) prior to study entry. Should a woman become pregnant or suspect "
            "she is pregnant while she or her partner is participating in this study, she should inform her treating "
            "physician immediately."),  # NCT07214298
    ("inc", "A male subject of fathering potential must use an adequate method of contraception to avoid conception "
            "throughout the study. If the partner is pregnant or breastfeeding, the subject must use a condom"),  # label 218
])
def test_non_clinical(vocab, section, text):
    assert parse_one(vocab, section, text)[0] == "non_clinical"


@pytest.mark.parametrize("section, text", [
    # NCT04337580: comorbidities, whatever the last words say about compliance
    ("exc", "Uncontrolled intercurrent illness including, but not limited to ongoing or active infection, symptomatic "
            "congestive heart failure, unstable angina pectoris, cardiac arrhythmia, or psychiatric illness/social "
            "situations that would limit compliance with study requirements."),
    ("exc", "Stroke, transient ischemic attack, or seizure within 6 months prior to signing informed consent form (ICF)"),  # NCT06208150
    ("inc", "Females of childbearing potential must have a negative pregnancy test and agree to use contraception during "
            "on-study protocol therapy, or deemed to be not able to get pregnant."),  # NCT03740256
    ("inc", "Has adequate hematologic, hepatic, and renal function. \\*The above are a summary; other Inclusion Criteria "
            "details may apply."),
    ("exc", "Treatment with any investigational drug within 28 days prior to registration or concurrent enrolment in "
            "another clinical study, unless observational in nature."),
])
def test_clinical_items_are_never_non_clinical(vocab, section, text):
    assert parse_one(vocab, section, text)[0] != "non_clinical"


# ---- permissions and lists under a head -----------------------------------------------------------

def test_a_permission_restricts_nobody(vocab):
    # NCT06691035: the labels' reading of permissive items: unparsed
    status, _ = parse_one(vocab, "inc", "Participants with treated and stable brain metastases are eligible if brain imaging "
                                        "shows no evidence of progression within 2 months of trial enrollment.")
    assert status == "unparsed"
    # a relative clause is no permission: "who are eligible for standard of care treatment" is required
    status, _ = parse_one(vocab, "inc", "Patients with unresectable locally advanced or metastatic cancer who are eligible "
                                        "for standard of care treatment with HER2-targeted therapy")
    assert status == "partly_structured"


def test_allowable_is_a_permission(vocab):
    # NCT06626516: "is allowable" was read as part of a qualifier, All(surgery, ...): prior surgery required
    status, node = parse_one(vocab, "inc", "Prior surgery or ablation for oligometastatic disease is allowable.")
    assert node["type"] == "any" and node["items"][-1] == {"type": "unparsed", "text": "is allowable."}
    # "not allowable" is no permission (NCT06475807)
    status, node = parse_one(vocab, "exc", "Systemic antibiotics and proton pump inhibitors (PPis) are not allowable during "
                                           "the study")
    assert "is allowable" not in str(node)


def test_entries_of_an_exclusion_list_each_exclude(vocab):
    # NCT05498272 (shortened): All would exclude only a patient with every entry
    text = ("Exclusion Criteria:\n\n* Active cardiac disease, defined as:\n"
            "  * Myocardial infarction within 6 months of study treatment.\n  * Known HIV infection\n")
    node = to_json(parse_eligibility(text, vocab).criteria_items[0].node)
    assert node["type"] == "not"
    group = node["item"]["items"][1] if node["item"]["type"] == "all" else node["item"]
    assert group["type"] == "any" and HIV in group["items"]


def test_a_requirement_list_under_an_exclusion_heading_stays_unparsed(vocab):
    # NCT06634875 (shortened): "must have normal ... as defined below" written among the exclusions
    text = ("Exclusion Criteria:\n\n* Patients must have normal organ and hematologic function as defined below:\n"
            "  * Total bilirubin ≤ 1.5 x upper limit of normal\n  * ALT and AST ≤ 3x the upper limits of normal.\n")
    assert parse_eligibility(text, vocab).criteria_items[0].status == "unparsed"


# ---- sentences: "; or" alternatives, lead-ins, exclusion sentences --------------------------

def test_a_sentence_opening_with_or_is_an_alternative(vocab):
    # NCT00131014: the families of the second sentence qualify without the cancers of the first;
    # All would make the lymphoma necessary (a wrong "ineligible")
    status, node = parse_one(vocab, "inc", "Any individual diagnosed with non-Hodgkin's lymphoma or Hodgkin's disease "
                             "or chronic lymphocytic leukemia (CLL), who has a 1st degree relative (parent, sibling or "
                             "child) with a lymphoproliferative disorder; or families in which the individual has a "
                             "lymphoproliferative disorder, and an unusual clustering of frequent or premature solid "
                             "tumors is also observed.")
    assert status == "partly_structured" and node["type"] == "any"
    first, second = node["items"]
    lymphomas = next(n for n in first["items"] if n["type"] == "cancer_type")
    assert "HL" in lymphomas["codes"] and "DLBCLNOS" in lymphomas["codes"] and "PCM" not in lymphomas["codes"]
    assert second["type"] == "unparsed" and second["text"].startswith("or families")


def test_a_sentence_ending_in_or_opens_an_alternative(vocab):
    # NCT05067283 (exclusion): HIV alone excludes; the old All excluded only HIV with hepatitis
    # ("known active Hepatitis C" names its own present: the history does not reach it)
    status, node = parse_one(vocab, "exc", "Known history of HIV infection or. has a known history of Hepatitis B "
                             "virus or known active Hepatitis C virus infection")
    assert status == "fully_structured"
    assert node == not_({"type": "any", "items": [{**HIV, "active_only": False},
                                                  {"type": "any", "items": [{**HBV, "active_only": False}, HCV]}]})


def test_alternatives_after_a_lead_in_belong_to_it(vocab):
    # NCT02339571: "...who meets the following criteria: 1) ...; or 2) ..." defines childbearing
    # potential; its "or" does not make the whole item an alternative
    status, node = parse_one(vocab, "inc", "Patients must not be pregnant or breast-feeding due to use of cytotoxic "
                             "immunotherapy and risk of teratogenic side effects; all patients of childbearing potential "
                             "must have a blood test or urine study within 2 weeks prior to randomization to rule out "
                             "pregnancy; a patient of childbearing potential is anyone, regardless of whether they have "
                             "undergone tubal ligation, who meets the following criteria: 1) has not undergone a "
                             "hysterectomy or bilateral oophorectomy; or 2) has not been naturally postmenopausal for "
                             "\\>= 24 consecutive months")
    assert status == "partly_structured" and node["type"] == "all"
    assert node["items"][0]["type"] == "not"
    last = node["items"][-1]
    assert last["type"] == "unparsed" and "; or 2)" in last["text"]


def test_understood_sentences_of_an_exclusion_are_not_read_as_all_only(vocab):
    # NCT04563507: does each sentence exclude, or only both? Not said. Both true excludes, both
    # false does not, one true leaves the item open: Any(All(parts), All(Any(parts), unparsed))
    status, node = parse_one(vocab, "exc", "Has an active infection requiring systemic therapy. Has a known history "
                             "of Human Immunodeficiency Virus (HIV).")
    assert status == "partly_structured"
    both, one = node["item"]["items"]
    assert both["type"] == "all" and one["type"] == "all"
    assert one["items"][0]["type"] == "any" and one["items"][0]["items"] == both["items"]
    assert one["items"][1]["type"] == "unparsed"


def test_a_sentence_after_an_exception_that_states_its_own_condition_is_not_swallowed(vocab):
    # NCT04729114: the second threshold (HbA1c > 8% when undiagnosed) is not part of the first's
    # subgroup; read as one remainder, a patient at 9% came out "not excluded". Now the item
    # excludes when the first reading holds, and is open otherwise
    status, node = parse_one(vocab, "exc", "Hemoglobin A1c (HbA1c) \\>10% in participants previously diagnosed with "
                             "diabetes mellitus. HbA1c \\>8% in participants whose diabetes mellitus is previously "
                             "undiagnosed.")
    assert status == "partly_structured"
    first, later = node["item"]["items"]
    assert node["item"]["type"] == "any"
    assert first["items"][0] == {"type": "lab", "analyte": "HBA1C", "comparator": ">", "value": 10, "unit": "%"}
    assert later == {"type": "unparsed", "text": "HbA1c \\>8% in participants whose diabetes mellitus is previously undiagnosed."}


def test_a_later_sentence_that_widens_the_exception_stays_with_it(vocab):
    # NCT05563220: "Other malignancies ... may be considered eligible" is one more exception
    status, node = parse_one(vocab, "exc", "Participant has a concurrent malignancy or history of invasive malignancy "
                             "within 3 years of enrollment, except basal or squamous cell skin cancer, superficial "
                             "bladder cancer, or carcinoma in situ of the cervix that has completed curative therapy. "
                             "Other malignancies with low risk of recurrence may be considered eligible with Sponsor "
                             "approval.")
    assert status == "partly_structured"
    assert node["item"]["type"] == "all"
    assert node["item"]["items"][-1]["type"] == "unparsed"
    assert node["item"]["items"][-1]["text"].startswith("except basal")


@pytest.mark.parametrize("text, subgroup", [
    # NCT06116682: diabetes is no requirement; a patient without it meets the item
    ("Participants with known diabetes as determined by the treating investigator must show evidence of controlled "
     "disease within 14 days prior to sub-study registration", {"type": "condition", "keys": ["diabetes"]}),
    # NCT05327010 (third sentence): ovarian cancer is no requirement of the trial
    ("Patients with ovarian cancer in cohort 3 should not have progressed on platinum within six months of therapy",
     {"type": "cancer_type", "codes": ["OVARY"]}),
])
def test_a_requirement_of_a_subgroup_does_not_require_the_subgroup(vocab, text, subgroup):
    status, node = parse_one(vocab, "inc", text)
    assert status == "partly_structured"
    assert node["type"] == "any"
    assert node["items"][0] == not_(subgroup)
    assert node["items"][1]["type"] == "unparsed"


def test_a_population_that_must_also_have_something_requires_both(vocab):
    # NCT05418088: "Subjects with relapsed/refractory CLL ... and must have previously received": CLL is required
    status, node = parse_one(vocab, "inc", "Subjects with relapsed/refractory CLL after at least 2 prior lines of "
                             "appropriate therapy and must have previously received an approved BTK inhibitor")
    assert node["type"] == "all"
    assert {"type": "cancer_type", "codes": ["CLLSLL"]} in node["items"][0]["items"]


def test_a_stage_aside_narrows_unless_the_clause_names_a_stage_or_extent_already(vocab):
    # NCT05059444 cohort 6: "(stage II-III)" is the cohort's stage, not an abbreviation to drop
    status, node = parse_one(vocab, "inc", "Gastric adenocarcinoma (stage II-III)")
    assert status == "fully_structured"
    assert {"type": "stage", "groups": ["II", "III"]} in node["items"]
    # NCT06683755: "stage III or stage IV ... (Stage IV)" contradicts itself: the aside is not read
    status, node = parse_one(vocab, "inc", "Histologically confirmed unresectable stage III or stage IV malignant "
                             "melanoma (Stage IV).")
    assert [n for n in node["items"] if n["type"] == "stage"] == [{"type": "stage", "groups": ["III", "IV"]}]
