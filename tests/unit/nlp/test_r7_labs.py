"""Labs, round 7 (issue #5): castrate testosterone shapes and ng/mL, a window's event that no longer swallows an
"or" alternative, "prolonged" and "QTc prolongation defined as" before a QT threshold, "T-Bil", and "males or
females" before an age. A QTc that names no formula stays unread (test_cardiac_labs.py). Item texts
are from tests/data/trials/oncology-trials.jsonl (NCT id beside each)."""

from __future__ import annotations

import pytest

from tests.unit.nlp.test_therapy_round2 import parse_one

NOT, ALL, ANY = "not", "all", "any"


def lab(analyte, comparator, value=None, unit=None, **kw):
    node = {"type": "lab", "analyte": analyte, "comparator": comparator}
    if value is not None:
        node["value"] = value
    if unit is not None:
        node["unit"] = unit
    node.update(kw)
    return node


def u(text):
    return {"type": "unparsed", "text": text}


READ = [
    # "prolonged" before the interval; "qtc prolongation defined as a qtcf > 500 ms": the prolongation is the
    # threshold that follows
    ("exc", "Prolonged QTcF interval \\> 480 ms",
     ("fully_structured", {"type": NOT, "item": lab("QTCF", ">", 480, "ms")})),
    ("exc", "QTc prolongation defined as a QTcF \\> 500 ms.",  # NCT06124118 (a list entry)
     ("fully_structured", {"type": NOT, "item": lab("QTCF", ">", 500, "ms")})),
    # castrate testosterone
    ("inc", "Castrate-level serum/plasma testosterone (\\<50 ng/dL or \\<1.7 nmol/L).",  # NCT06972628
     ("fully_structured", lab("TESTOSTERONE", "<", 50, "ng/dL"))),
    ("inc", "Castrate levels of testosterone (\\<50 ng/dL) with/without the use of androgen-deprivation therapy",  # NCT06046040
     ("fully_structured", lab("TESTOSTERONE", "<", 50, "ng/dL"))),
    ("inc", "Castrate levels of testosterone (\\< 50 ng/dL) with or without the use of androgen deprivation therapy",  # NCT06236139
     ("fully_structured", lab("TESTOSTERONE", "<", 50, "ng/dL"))),
    ("inc", "Effective castration with serum testosterone levels =\\< 0.5 ng/mL (=\\<1.7 nmol/L)",  # NCT05168618
     ("fully_structured", lab("TESTOSTERONE", "<=", 0.5, "ng/mL"))),
    # how a creatinine clearance is obtained: the Cockcroft-Gault equation said in more words, a 24-hour urine
    # collection first; "cc/min"; an estimated "GFR" in mL/min by Cockcroft-Gault is the clearance
    ("inc", "Creatinine clearance ≥ 45 mL/min determined using the Cockcroft-Gault formula",  # NCT06520345
     ("fully_structured", lab("CRCL", ">=", 45, "mL/min"))),
    ("inc", "Creatinine clearance of \\>= 30 mL/min per 24 hour urine test or the Cockcroft-Gault formula",  # NCT06859008
     ("fully_structured", lab("CRCL", ">=", 30, "mL/min"))),
    ("inc", "Creatinine ≤ 1.5 x ULN OR calculated creatinine clearance ≥ 60ml/min calculated by Cockcroft and Gault's "
            "equation",  # NCT05715229
     ("fully_structured", {"type": ANY, "items": [lab("CREAT", "<=", uln_multiple=1.5),
                                                  lab("CRCL", ">=", 60, "mL/min")]})),
    ("inc", "Adequate renal function as evidenced by a creatinine =\\< 1.5 mg/dl and/or a calculated creatinine "
            "clearance \\>= 60 cc/min",  # NCT05204147
     ("fully_structured", {"type": ANY, "items": [lab("CREAT", "<=", 1.5, "mg/dL"), lab("CRCL", ">=", 60, "mL/min")]})),
    ("inc", "Serum creatinine ≤1.5 x ULN or estimated glomerular filtration rate (GFR) ≥45 mL/min using Cockcroft Gault "
            "formula.",  # NCT06747845 (a list entry)
     ("fully_structured", {"type": ANY, "items": [lab("CREAT", "<=", uln_multiple=1.5),
                                                  lab("CRCL", ">=", 45, "mL/min")]})),
    # the same threshold said for the measured and the calculated clearance: one
    ("inc", "Measured creatinine clearance (CL) \\>40 mL/min or Calculated creatinine CL\\>40 mL/min by the "
            "Cockcroft-Gault formula (Cockcroft and Gault 1976)",  # NCT04585477 (a list entry)
     ("fully_structured", lab("CRCL", ">", 40, "mL/min"))),
    # person: "males or females" before an age adds no requirement on sex
    ("inc", "Males or females, at least 18 years of age",
     ("fully_structured", {"type": "age", "min": 18})),
    ("inc", "T-Bil: ≤ 2 x upper limit of normal",  # NCT07033689 (a list entry)
     ("fully_structured", lab("TBILI", "<=", uln_multiple=2))),
]


@pytest.mark.parametrize("section,text,expected", READ)
def test_read(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


REFUSED = [
    # a QTc with no formula in an inclusion: the readers around it are lenient (Any(head, rest)), and a head cut from
    # its sex or its formula would decide alone
    ("inc", "QTc interval ≤ 470 ms (for women) and ≤ 450 ms (for men) on the ECG at baseline calculated by either "
            "the Fridericia or Framingham formula."),  # NCT05254171
    ("inc", "Corrected QT (QTc) interval =\\< 450 msec by electrocardiography (EKG) (performed within 4 weeks prior "
            "to enrollment)"),  # NCT04166409
    # a formula said after the threshold, or in an aside the method-less key cannot hold
    ("exc", "QTc \\> 470 ms (Framingham)"),
    ("exc", "QTc interval \\> 470 msec, using Fridericia's formula"),
    # testosterone "< 50 ng/ml" is the castrate "< 50 ng/dl" with a unit slip (5,000 ng/dL admits every man)
    ("inc", "Progressive castration resistant prostate cancer as defined by serum testosterone \\< 50 ng/mL"),
    ("inc", "Baseline testosterone of \\< 20 ng/ml"),  # NCT06824818
    # an estimated GFR in mL/min by an equation other than Cockcroft-Gault (not converted to mL/min/1.73 m2)
    ("inc", "Estimated glomerular filtration rate \\>= 40ml/min using the CKD-EPI formula"),
    # a castrate level with another requirement beside it ("OR ongoing documented ADT")
    ("inc", "Castrate levels of serum total testosterone (\\<50 ng/dl) OR ongoing documented ADT."),  # NCT06228053
]


@pytest.mark.parametrize("section,text", REFUSED)
def test_not_read_as_a_lab(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status != "fully_structured"
    labs = []

    def walk(n):
        if n.get("type") == "lab":
            labs.append(n)
        for x in n.get("items", ()):
            walk(x)
        if "item" in n:
            walk(n["item"])
    walk(node)
    assert not any(n["analyte"] == "QTC" for n in labs)
    assert not any(n["analyte"] == "TESTOSTERONE" and n.get("unit") == "ng/mL" and n["value"] >= 10 for n in labs)


def test_creatinine_window_keeps_the_alternative(vocab):
    # the event of a window stops before "or": the alternative is its own criterion
    assert parse_one(vocab, "exc", "Creatinine \\> 2 mg/dL within 7 days of registration or history of dialysis.") == (
        "partly_structured", {"type": NOT, "item": {"type": ANY, "items": [
            lab("CREAT", ">", 2, "mg/dL", within_days=7), u("history of dialysis")]}})
