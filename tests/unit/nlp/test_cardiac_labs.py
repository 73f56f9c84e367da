"""LVEF and QTc thresholds read as Lab atoms (issue #5), through the public parser.

Every text is an item of tests/data/trials/oncology-trials.jsonl (NCT id in the comment) unless
marked otherwise, parsed alone in its section. QTc is read only when the words the builder sees
name the correction formula (QTcF, QTcB); a QTc that names none, a limit of normal with no number,
a threshold for one sex, and a fraction with no unit stay Unparsed.
"""

from __future__ import annotations

import pytest

from tests.unit.nlp.test_labs_recall import lab, parse_one


def excluded(node):
    return {"type": "not", "item": node}


def unparsed(text):
    return {"type": "unparsed", "text": text}


LVEF_50 = lab("LVEF", ">=", value=50, unit="%")

FULLY = [
    # the spellings of the name
    ("inc", "Left ventricular ejection fraction (LVEF) ≥ 50%", LVEF_50),  # NCT04690595
    ("inc", "Left ventricular ejection fraction of \\>= 50%", LVEF_50),  # NCT05031897
    ("inc", "Have left ventricular ejection fraction (LVEF) ≥ 50%", LVEF_50),  # NCT06253871
    ("inc", "Cardiac ejection fraction of ≥50%", LVEF_50),  # NCT06916767
    ("inc", "LVEF ≥ 50% by MUGA or ECHO.", LVEF_50),  # NCT07237100
    ("exc", "Has a LVEF ≤40%, as determined by multigated acquisition (MUGA) or echocardiogram (ECHO).",  # NCT05733715
     excluded(lab("LVEF", "<=", value=40, unit="%"))),
    # how it is measured is documentation; the window is kept
    ("inc", "Left ventricular ejection fraction (LVEF) ≥ 50% by echocardiogram (ECHO) or multigated acquisition "
     "(MUGA) scan.", LVEF_50),  # NCT06176261
    ("inc", "Cardiac ejection fraction (EF) ≥ 45% as determined by an echocardiogram (ECHO) or Multigated Radionuclide "
     "Angiography (MUGA)", lab("LVEF", ">=", value=45, unit="%")),  # NCT04792489
    ("inc", "Patients must have left ventricular ejection fraction (LVEF) \\>= 50% by either an echocardiogram (ECHO) or "
     "multigated acquisition (MUGA) scan within 28 days before randomization/enrollment",  # NCT04585958
     lab("LVEF", ">=", value=50, unit="%", within_days=28)),
    ("exc", "Left Ventricular Ejection Fraction \\<50% by 2D ECHO or MUGA scan at Screening.",  # NCT07125183
     excluded(lab("LVEF", "<", value=50, unit="%"))),
    # the method before the threshold, in brackets, or with "documented within"; a lead-in that the value defines
    ("inc", "Ejection fraction measured by echocardiogram or multigated acquisition (MUGA) ≥ 50%", LVEF_50),  # NCT03494569
    ("inc", "Left ventricular ejection fraction (LVEF) ≥ 50% (as assessed by ECHO or MUGA) documented within 4 weeks "
     "prior to first dose of study treatment", lab("LVEF", ">=", value=50, unit="%", within_days=28)),  # NCT05230810
    ("inc", "Adequate cardiac function with a left ventricular ejection fraction ≥50%", LVEF_50),  # NCT05039801
    ("inc", "Subjects must have adequate cardiac function as defined as left ventricular ejection fraction \\>= 40% in "
     "the most recent echocardiogram", lab("LVEF", ">=", value=40, unit="%")),  # NCT05418088
    # QTc by Fridericia's formula, named by the abbreviation or by the formula
    ("exc", "Has a QTcF interval \\> 480 msec.", excluded(lab("QTCF", ">", value=480, unit="ms"))),  # NCT03592472
    ("exc", "QTcF \\> 470 msec,", excluded(lab("QTCF", ">", value=470, unit="ms"))),  # NCT05827614
    ("exc", "QT interval corrected by Fridericia's formula (QTcF) ≥ 470 msec",  # NCT06562192
     excluded(lab("QTCF", ">=", value=470, unit="ms"))),
    ("exc", "Prolongation of QT interval corrected for heart rate using Fridericia's formula (QTcF) ≥ 470 milliseconds (ms)",
     excluded(lab("QTCF", ">=", value=470, unit="ms"))),  # NCT06400472
    ("exc", "Participant has a mean Fridericia-corrected QT interval (QTcF) of \\> 450 msec at screening.",
     excluded(lab("QTCF", ">", value=450, unit="ms"))),  # NCT07140016
    ("exc", "Corrected QT interval calculated by the Fridericia formula (QTcF) \\> 470 ms per electrocardiogram (ECG) "
     "within 28 days before first dose of study treatment.",  # NCT05743621
     excluded(lab("QTCF", ">", value=470, unit="ms", within_days=28))),
    ("exc", "Prolongation of QTcF interval to \\>480 ms.", excluded(lab("QTCF", ">", value=480, unit="ms"))),  # NCT05733715
    ("exc", "QTcF (QT interval corrected by Fridericia's formula) interval ≥ 470 ms.",  # NCT05061550
     excluded(lab("QTCF", ">=", value=470, unit="ms"))),
    ("exc", "QTc interval (using Fridericia correction calculation) \\> 480 msec",  # NCT06150664 (a list entry)
     excluded(lab("QTCF", ">", value=480, unit="ms"))),
    ("inc", "Corrected QTcF \\<470 msec.", lab("QTCF", "<", value=470, unit="ms")),  # NCT05720117
    # the interval the ECG shows
    ("exc", "Screening 12-lead ECG showing a baseline QTcF \\>470 msec.",  # NCT05783609
     excluded(lab("QTCF", ">", value=470, unit="ms"))),
    ("inc", "Baseline EKG with QTcF ≤ 460 ms.", lab("QTCF", "<=", value=460, unit="ms")),  # NCT06648434
    # the formula named only in an aside, which the clause preparation keeps (issue #5 review)
    ("exc", "QTc (Bazett) \\>470ms on screening EKG", excluded(lab("QTCB", ">", value=470, unit="ms"))),  # NCT05187182
    ("exc", "Mean resting corrected QT interval (QTcF) \\> 470 msec obtained from 3 ECGs",  # NCT03093116 (first words)
     excluded(lab("QTCF", ">", value=470, unit="ms"))),
    # two thresholds, either excludes
    ("exc", "Mean resting QTcF \\> 470 ms or QTcF \\< 340 ms",  # NCT06253130
     excluded({"type": "any", "items": [lab("QTCF", ">", value=470, unit="ms"), lab("QTCF", "<", value=340, unit="ms")]})),
]


@pytest.mark.parametrize("section,text,expected", FULLY, ids=[t[:50] for _, t, _ in FULLY])
def test_fully_structured(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == ("fully_structured", expected)


def test_below_a_normal_limit_stays_an_alternative_of_the_exclusion(vocab):
    # NCT04150042: below 45% or below the lower limit of normal, either excludes
    text = ("Left ventricular ejection fraction less than 45% by Multigated Acquisition Scan or echocardiogram (or "
            "significantly below the lower limit of normal for the specific test).")
    assert parse_one(vocab, "exc", text) == ("partly_structured", excluded({"type": "any", "items": [
        lab("LVEF", "<", value=45, unit="%"),
        unparsed("or significantly below the lower limit of normal for the specific test")]}))


NOT_READ = [
    # no number: a limit of normal the matcher cannot read
    ("exc", "Patients with LVEF measurement below the institutional lower limit of normal (LLN) are excluded"),
    ("inc", "Expansion Cohort B patients only: LVEF above LLN as assessed by MUGA or ECHO"),
    # both limits asked for; and a normal limit beside a threshold in an inclusion (may be "whichever is higher")
    ("inc", "Left ventricular ejection fraction (LVEF) ≥50% or ≥ institutional normal limit, whichever is higher, by "
     "echocardiogram (ECHO) or multigated acquisition (MUGA) scan"),  # NCT06525220
    ("inc", "Left Ventricular Ejection Fraction ≥ 45% or lower limit of normal."),  # NCT05274048
    # a fraction with no unit
    ("inc", "Cardiac ejection fraction ≥ 0.45 by Multiple-Gated Acquisition (MUGA) or echocardiography."),
    # a QTc that names no formula (a formula may be in an aside the parser drops, or elsewhere in the item)
    ("exc", "QTc interval ≥ 470 msec by electrocardiogram (ECG)."),  # NCT06090266
    # two formulas named, or a second threshold for a group
    ("exc", "QTc interval\\> 480ms (Bazett or Fredericia formulae) or other remarkable abnormal ECG findings, including "
     "second-degree type II atrioventricular block, third-degree atrioventricular block or bradycardia (ventricular rate "
     "of less than 50 beats per minute)."),  # NCT04215809
    ("exc", "QTc (using the Fridericia correction calculation) \\>470 msec or \\>450 msec if history of additional risk "
     "factors for Torsade de Pointe (e.g. heart failure, hypokalemia, family history of Long QT Syndrome) or use of "
     "concomitant medications that prolong the QT/QTc"),  # NCT04918186
    # a threshold for each sex not in one clause "<limit> <sex>, <limit> <sex>" (read when it is: test_sex_thresholds.py)
    ("inc", "Normal QT interval corrected Fridericia (QTcF) interval on screening electrocardiogram (ECG) evaluation: "
     "male ≤450ms, female ≤470ms"),  # NCT04260022
    ("inc", "QTc interval ≤ 470 ms (for women) and ≤ 450 ms (for men) on the ECG at baseline calculated by either the "
     "Fridericia or Framingham formula."),  # NCT05254171
]


@pytest.mark.parametrize("section,text", NOT_READ, ids=[t[:50] for _, t in NOT_READ])
def test_shapes_that_stay_unparsed(vocab, section, text):
    assert parse_one(vocab, section, text) == ("unparsed", unparsed(text))


def test_a_threshold_for_women_in_a_sentence_with_the_mens_is_not_read_as_everyones(vocab):
    # NCT06249048 (second sentence of the item): the men's threshold is lower; reading "> 470 ms" as
    # necessary would let a man at 460 ms through: each sex has its own limit (group_requirements.sex_thresholds)
    text = "QTcF prolongation to \\> 470 ms in women and \\> 450 ms in men based on a 12-lead electrocardiogram (ECG)"
    status, node = parse_one(vocab, "exc", text)
    women, men = node["item"]["items"]
    assert women["items"][0] == {"type": "sex", "sex": "female"} and women["items"][1]["value"] == 470
    assert men["items"][0] == {"type": "sex", "sex": "male"} and men["items"][1]["value"] == 450


def test_a_single_sex_aside_is_not_dropped(vocab):
    # constructed text, not in the 1,000 trials: the clause preparation kept no "(females)" aside, and the
    # women's threshold was read as everyone's
    assert parse_one(vocab, "exc", "QTcF \\> 470 ms (females)")[0] == "unparsed"
    assert parse_one(vocab, "exc", "QTcF \\> 450 ms (men)")[0] == "unparsed"
