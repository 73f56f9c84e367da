"""Readings found doubtful in review (docs/nlp.md, "Known limits"), fixed at their cause. Texts are
from tests/data/trials/oncology-trials.jsonl (NCT id beside each); verdicts are worked out with the
three-valued evaluation of tests/unit/nlp/test_sentence_readings.py (Unparsed is UNKNOWN)."""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.nlp import parse_eligibility
from tests.unit.nlp.test_sentence_readings import MET, NOT_MET, UNKNOWN, parse_one, verdict


def _labs(**values):
    """A patient whose labs meet (True) or fail (False) each analyte named; any other atom UNKNOWN."""
    def facts(atom):
        if isinstance(atom, c.Lab) and atom.analyte in values:
            return MET if values[atom.analyte] else NOT_MET
        return UNKNOWN
    return facts


# NCT04789486: the "OR" ends the last entry of a lab list; the next item is its alternative
OR_IN_LIST = """Inclusion Criteria:

* Participants must have normal organ and marrow function as defined below:

  * absolute neutrophil count ≥1,500/mcL
  * platelets ≥100,000/mcL
  * total bilirubin within normal institutional limits
  * AST(SGOT)/ALT(SGPT) ≤2.5 × institutional upper limit of normal
  * creatinine within normal institutional limits OR
* Creatinine clearance ≥60 mL/min/1.73 m2 for participants with creatinine levels above institutional normal.
"""


def test_an_or_ending_a_list_joins_its_last_entry_not_the_whole_list(vocab):
    first = parse_eligibility(OR_IN_LIST, vocab).criteria_items[0]
    node = first.node
    # a patient with neutropenia fails the list whatever the creatinine alternative says (Any over the
    # whole list made the item UNKNOWN: the neutropenia could not decide)
    assert verdict(node, _labs(ANC=False, PLT=True, AST=True, ALT=True)) == NOT_MET
    # the other labs met: the creatinine entry (or its alternative) is still open
    assert verdict(node, _labs(ANC=True, PLT=True, AST=True, ALT=True)) == UNKNOWN
    assert isinstance(node, c.All)
    last = node.items[-1]
    assert isinstance(last, c.Any) and last.items[-1] == c.Unparsed(
        "Creatinine clearance ≥60 mL/min/1.73 m2 for participants with creatinine levels above institutional normal.")


def test_the_item_after_an_or_list_takes_the_last_entry_as_its_alternative(vocab):
    text = OR_IN_LIST.replace("* Creatinine clearance ≥60 mL/min/1.73 m2 for participants with creatinine levels "
                              "above institutional normal.", "* Creatinine clearance ≥ 60 mL/min")
    second = parse_eligibility(text, vocab).criteria_items[1].node
    assert second == c.Any((c.Lab(analyte="CRCL", comparator=">=", value=60, unit="mL/min"),
                            c.Unparsed("creatinine within normal institutional limits OR")))
    assert verdict(second, _labs(CRCL=False)) == UNKNOWN


def _conditions(**present):
    """A patient with (True) or without (False) each condition key named; any other atom UNKNOWN."""
    def facts(atom):
        if isinstance(atom, c.Condition) and atom.keys[0] in present:
            return MET if present[atom.keys[0]] else NOT_MET
        return UNKNOWN
    return facts


def test_an_exclusion_listing_conditions_with_and_is_both_or_open(vocab):
    # NCT04616248: All(stroke/TIA, DVT/PE) under Not cleared a patient with a stroke last month and no
    # thrombosis (a wrong "eligible" when the trial meant either)
    status, node = parse_one(vocab, "exc", "Patients who have had stroke/TIA and DVT/PE within the last 12 months.")
    stroke_only = _conditions(stroke=True, transient_ischemic_attack=False, deep_vein_thrombosis=False)
    assert verdict(node, stroke_only) == UNKNOWN
    # neither: the item does not exclude on what is known (the 12-month window stays to confirm)
    neither = _conditions(stroke=False, transient_ischemic_attack=False, deep_vein_thrombosis=False)
    assert verdict(node, neither) != NOT_MET
    # NCT06305767: a patient with hepatitis B alone is to confirm, one with both is excluded, one with neither is not
    status, node = parse_one(vocab, "exc", "Has active hepatitis B and hepatitis C virus infection")
    assert verdict(node, _conditions(hepatitis_b=True, hepatitis_c=False)) == UNKNOWN
    assert verdict(node, _conditions(hepatitis_b=True, hepatitis_c=True)) == NOT_MET
    assert verdict(node, _conditions(hepatitis_b=False, hepatitis_c=False)) == MET


def test_and_lists_of_other_kinds_and_inclusions_keep_their_reading(vocab):
    # an inclusion "A and B" requires both; labs under an exclusion keep their own rule
    status, node = parse_one(vocab, "inc", "ECOG 0-1 and life expectancy >= 12 weeks")
    assert isinstance(node, c.All)
    status, node = parse_one(vocab, "exc", "HIV and hepatitis B")
    assert verdict(node, _conditions(hiv=True, hepatitis_b=False)) == UNKNOWN


def _brain(present: bool, **qualifiers):
    """A patient with (or without) brain metastases, each qualifier named met or not; others UNKNOWN."""
    def facts(atom):
        if isinstance(atom, c.Metastasis) and atom.site == "brain":
            if not present:
                return NOT_MET
            if atom.qualifier is None:
                return MET
            return MET if qualifiers.get(atom.qualifier) else NOT_MET if atom.qualifier in qualifiers else UNKNOWN
        return UNKNOWN
    return facts


NCT05677490 = ("No untreated, symptomatic brain metastasis. Patients with treated brain metastases are eligible if the "
               "following criteria are met: 1) follow-up brain imaging done at least in 4 weeks after central nervous "
               "system (CNS)-directed therapy shows no evidence of progression and 2) the patient no longer requires "
               "steroids, or is on a stable steroid dose for more than four weeks")


def test_two_qualifiers_before_a_permission_leave_only_the_site_deciding(vocab):
    status, node = parse_one(vocab, "exc", NCT05677490)
    # untreated, asymptomatic metastases: the permission covers treated ones only, so they may exclude
    # alone; All(untreated, symptomatic) cleared this patient (a wrong "eligible")
    assert verdict(node, _brain(True, untreated=True, symptomatic=False)) == UNKNOWN
    # treated, asymptomatic: eligible only if the permission's conditions hold (imaging, steroids)
    assert verdict(node, _brain(True, untreated=False, symptomatic=False)) == UNKNOWN
    # no brain metastases: the item does not exclude
    assert verdict(node, _brain(False)) == MET


def test_two_qualifiers_without_an_exception_keep_their_reading(vocab):
    # "Active, untreated brain metastases." (NCT06252649): both, as the builder reads them
    status, node = parse_one(vocab, "exc", "Active, untreated brain metastases.")
    assert verdict(node, _brain(True, active=True, untreated=False)) == MET


def test_an_exception_on_which_measurement_counts_narrows_the_lab(vocab):
    # NCT06015659: a count measured the day after a platelet transfusion does not count; Any(PLT, words)
    # made it a MET (a wrong "eligible")
    status, node = parse_one(vocab, "inc", "Platelets ≥ 100,000/mm3 excluding measurements obtained within 3 days "
                                           "after transfusion of platelets")
    assert verdict(node, _labs(PLT=True)) == UNKNOWN
    assert verdict(node, _labs(PLT=False)) == NOT_MET  # below the threshold: no transfusion raises a count
    # NCT06263543: a note forbidding transfusion before the assessment narrows the same way
    status, node = parse_one(vocab, "inc", "Hemoglobin ≥ 9 g/dL. Note: Red blood cell transfusion is not allowed "
                                           "within 1 week prior to screening assessment.")
    assert verdict(node, _labs(HGB=True)) == UNKNOWN


def test_an_exception_that_narrows_and_widens_the_measurement_leaves_the_lab_open(vocab):
    # NCT06454383: growth factor forbidden before the count, unless the cytopenia is the disease's
    status, node = parse_one(vocab, "inc", "Hemoglobin ≥ 9g/dL NOTE: Red blood cell transfusions are not permitted within "
                                           "14 days of hemoglobin assessment unless cytopenia is secondary to disease "
                                           "involvement.")
    assert verdict(node, _labs(HGB=True)) == UNKNOWN
    assert verdict(node, _labs(HGB=False)) == UNKNOWN


def test_a_permission_to_transfuse_still_widens_the_lab(vocab):
    # NCT01174121: transfusion to reach the cut-off is allowed: a low count is not a "no"
    status, node = parse_one(vocab, "inc", "Hemoglobin ≥ 9 g/dL. Subjects may be transfused to reach this cut-off.")
    assert verdict(node, _labs(HGB=False)) == UNKNOWN
    assert verdict(node, _labs(HGB=True)) == MET


# NCT05588648: a lettered list written as one paragraph; the permission is the hemoglobin's only
NCT05588648 = """Inclusion Criteria:

* Subjects must have normal organ and marrow function as defined below:

   a. Adequate bone marrow function defined as: i. Peripheral absolute neutrophil count (ANC) ≥ 750/mcL ii. Platelet count ≥ 75,000/mcL (transfusion independent) iii. Hemoglobin ≥ 8.0 g/dL (may receive packed red blood cell transfusions) b. Adequate liver function defined as: i. Total bilirubin ≤ 1.5 times the upper limit of normal for age ii. AST (SGOT) and ALT (SGPT) 2.5 X institutional upper limit of normal iii. Albumin (serum or plasma) \\> 2 g/dL c. Adequate cardiac function defined as: i. Ejection fraction of ≥ 50% by echocardiogram or MUGA
"""


def test_a_permission_in_a_labs_bracket_does_not_widen_the_other_labs(vocab):
    node = parse_eligibility(NCT05588648, vocab).criteria_items[0].node
    # an ejection fraction of 40 %: the item fails whatever transfusions are permitted (Any over the
    # whole item made it UNKNOWN)
    assert verdict(node, _labs(LVEF=False, TBILI=True)) == NOT_MET
    assert verdict(node, _labs(LVEF=True, TBILI=True)) == UNKNOWN


def test_a_permission_aside_widens_its_own_lab(vocab):
    # NCT04633512: a patient below the threshold may be transfused to reach it (All failed them: a
    # wrong "ineligible"); at or above it the lab is met
    status, node = parse_one(vocab, "inc", "Platelet count ≥75,000/μL (may receive transfusions)")
    assert verdict(node, _labs(PLT=False)) == UNKNOWN
    assert verdict(node, _labs(PLT=True)) == MET
    # an aside that forbids the support narrows (NCT07275216), one that permits it with a time limit is open
    status, node = parse_one(vocab, "inc", "Hemoglobin ≥ 9 g/dL (no transfusion allowed within 3 days prior to screening)")
    assert verdict(node, _labs(HGB=False)) == NOT_MET and verdict(node, _labs(HGB=True)) == UNKNOWN
    status, node = parse_one(vocab, "inc", "Hemoglobin ≥ 7 g/dL (can be transfused up to 1 week prior to study enrollment)")
    assert verdict(node, _labs(HGB=False)) == UNKNOWN and verdict(node, _labs(HGB=True)) == UNKNOWN


def _age(years: int):
    def facts(atom):
        if isinstance(atom, c.Age):
            ok = (atom.min is None or years >= atom.min) and (atom.max is None or years <= atom.max)
            return MET if ok else NOT_MET
        return UNKNOWN
    return facts


def test_an_inclusion_exception_that_refuses_patients_narrows_the_head(vocab):
    # NCT07297160: a 40-year-old with sarcoma is refused ("only patients age <= 25"); Any(age, words) made
    # them MET (a wrong "eligible")
    status, node = parse_one(vocab, "inc", "Age ≤75 years (except for sarcoma: only patients age ≤25 are eligible) NOTE: "
                                           "The first three (3) patients treated on the study will be adults (≥18 years of age)")
    assert verdict(node, _age(40)) == UNKNOWN
    assert verdict(node, _age(80)) == NOT_MET


def test_an_exception_that_refuses_and_permits_leaves_the_item_open(vocab):
    # NCT04093167: metastatic LCNEC is refused, stage III permitted: neither MET nor NOT_MET from the head alone
    status, node = parse_one(vocab, "inc", "Histologically or cytologically confirmed metastatic NSCLC. Patients with stage "
                                           "III disease are eligible if they are not candidates for surgical resection or "
                                           "definitive chemoradiation. Patients with Large Cell Neuroendocrine Carcinoma "
                                           "(LCNEC) are not eligible.")
    assert verdict(node, lambda atom: MET) == UNKNOWN
    assert verdict(node, lambda atom: NOT_MET) == UNKNOWN


def test_restated_age_limits_and_negated_heads_keep_the_widening(vocab):
    # "children are excluded" restates the age limit; it refuses nobody the head admits
    status, node = parse_one(vocab, "inc", "Age ≥ 18 years. As no dosing or adverse event data are currently available in "
                                           "participants < 18 years of age, children and adolescents are excluded from this study.")
    assert verdict(node, _age(50)) == MET


def test_unless_otherwise_stated_is_no_exception(vocab):
    # NCT06860815: the bracket is the lab's window; read as an exception the window was lost
    status, node = parse_one(vocab, "inc", "Hemoglobin ≥ 9.0 g/dL (within 14 days prior to day 1 of protocol therapy "
                                           "unless otherwise stated)")
    assert node == c.Lab(analyte="HGB", comparator=">=", value=9, unit="g/dL", within_days=14)


NCT06863402 = ("Has known active CNS metastases and/or carcinomatous meningitis. Participants with previously treated "
               "brain metastases may participate provided they are radiologically stable, i.e. without evidence of "
               "progression for at least 4 weeks by repeat imaging (note that the repeat imaging should be performed "
               "during study screening), clinically stable and without requirement of steroid treatment for at least 14 "
               "days prior to first dose of study intervention. Has severe hypersensitivity (≥ grade 3) to pembrolizumab "
               "and/or any of its excipients.")


def test_a_criterion_run_on_after_an_exception_is_not_part_of_it(vocab):
    # the hypersensitivity is an exclusion of its own; read inside the permission it cleared a patient
    # without brain metastases who had a grade 3 reaction to pembrolizumab (a wrong "eligible")
    status, node = parse_one(vocab, "exc", NCT06863402)
    no_brain = _brain(False)
    assert verdict(node, no_brain) == UNKNOWN


def test_an_exceptions_list_going_on_after_a_semicolon_stays_the_exception(vocab):
    # NCT04690595: "...; non-muscle invasive bladder cancer; ..." lists more exceptions: a patient with no
    # other malignancy is not excluded
    status, node = parse_one(vocab, "exc", "History of other malignancies, except for malignancy surgically resected (or "
                                           "treated with other modalities) with curative intent, basal cell carcinoma of "
                                           "the skin or localized squamous cell carcinoma of the skin; non-muscle invasive "
                                           "bladder cancer; malignancy treated with curative intent with no known active "
                                           "disease present for ≥ 3 years.")
    assert verdict(node, _conditions(other_malignancy=False)) == MET


def test_the_conditions_of_a_permission_list_decide_only_when_met(vocab):
    # NCT05076760: the entries are conditions for patients with brain metastases; All(head, entries)
    # failed a patient with leptomeningeal disease and no brain metastases on this item
    text = ("Inclusion Criteria:\n\n* Prior history of brain metastases are eligible, provided:\n\n"
            "    1. Brain metastases have been treated\n    2. Asymptomatic from the brain metastases\n"
            "    3. No evidence of leptomeningeal disease\n")
    node = parse_eligibility(text, vocab).criteria_items[0].node
    def lepto(atom):
        return MET if isinstance(atom, c.Metastasis) and atom.site == "leptomeningeal" else UNKNOWN
    assert verdict(node, lepto) == UNKNOWN


def test_a_window_bracket_after_an_exception_dates_the_head(vocab):
    # NCT06249282: read with the exception the 14-day window was lost (a 20-day-old bilirubin counted)
    status, node = parse_one(vocab, "inc", "Total bilirubin ≤ 1.5 x upper limit of normal (ULN) (unless has Gilbert's "
                                           "disease) (performed within 14 days prior to day 1 of protocol therapy)")
    assert node == c.Any((c.Lab(analyte="TBILI", comparator="<=", uln_multiple=1.5, within_days=14),
                          c.Unparsed("(unless has Gilbert's disease)")))
