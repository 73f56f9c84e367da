"""A lab threshold per sex said in one clause (group_requirements.sex_thresholds): each sex's limit holds
for that sex only; cut at "for women" as an exception, an inclusion read Any(women's limit, Unparsed) and a
man over his own limit met it (a wrong "eligible")."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.criteria_json import from_json
from trialmatch.domain.verdict import Verdict

from tests.unit.matching.helpers import AS_OF, outcome, patient
from tests.unit.nlp.test_therapy_round2 import parse_one
from tests.unit.nlp.tree_json import all_, any_, no


def sex(s):
    return {"type": "sex", "sex": s}


def qtcf(cmp, v):
    return {"type": "lab", "analyte": "QTCF", "comparator": cmp, "value": v, "unit": "ms"}


@pytest.mark.parametrize("section,text,expected", [
    # NCT05254171 (with QTcF): an inclusion, women first, the words after the second sex said of both
    ("inc", "QTcF interval ≤ 470 ms (for women) and ≤ 450 ms (for men) on the ECG at baseline",
     ("fully_structured", any_(all_(sex("female"), qtcf("<=", 470)), all_(sex("male"), qtcf("<=", 450))))),
    # NCT04553770-like, NCT03260491-like exclusions
    ("exc", "QTcF > 470 ms (females) or > 450 ms (males)",
     ("fully_structured", no(any_(all_(sex("female"), qtcf(">", 470)), all_(sex("male"), qtcf(">", 450)))))),
    ("inc", "Hemoglobin ≥ 10 g/dL for women and ≥ 11 g/dL for men",
     ("fully_structured", any_(all_(sex("female"), {"type": "lab", "analyte": "HGB", "comparator": ">=", "value": 10, "unit": "g/dL"}),
                              all_(sex("male"), {"type": "lab", "analyte": "HGB", "comparator": ">=", "value": 11, "unit": "g/dL"})))),
])
def test_each_sex_has_its_own_limit(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


def test_words_said_of_both_limits_stay_beside_each(vocab):
    # NCT03260491 (was left unread in round 6): the measurement words narrow both limits
    status, node = parse_one(vocab, "exc", "Has a mean corrected QT interval using Fridericia's Correction Formula (QTcF) "
                                           "prolongation to \\> 470 ms for females and \\> 450 ms for males in three "
                                           "successive Screening measurements")
    words = {"type": "unparsed", "text": "in three successive Screening measurements"}
    assert (status, node) == ("partly_structured", no(any_(all_(sex("female"), all_(qtcf(">", 470), words)),
                                                          all_(sex("male"), all_(qtcf(">", 450), words)))))


def test_a_man_over_his_limit_but_under_the_womens_does_not_meet_it(vocab):
    _, node = parse_one(vocab, "inc", "QTcF ≤ 470 ms for women and ≤ 450 ms for men")
    reading = from_json(node)
    qtc = f.Lab("Observation/qtc", "8636-3", "QTCF", value=460.0, unit="ms", date=AS_OF)
    assert outcome(reading, patient(sex="male", labs=(qtc,))).verdict is Verdict.NOT_MET
    assert outcome(reading, patient(sex="female", labs=(qtc,))).verdict is Verdict.MET


def test_an_alternative_after_the_limits_leaves_the_item_to_other_readings(vocab):
    # NCT03682289: ", or immediate family history of congenital long QT syndrome": kept beside each limit it
    # would be lost (a patient with the family history alone cleared)
    _, node = parse_one(vocab, "exc", "Fridericia's QT correction formula (QTcF) \\> 470 ms (females) or \\> 450 ms (males) "
                                      "on screening electrocardiography (ECG), or immediate family history of congenital long "
                                      "QT syndrome or sudden cardiac death at age less than 40.")
    assert "sex" not in str(node)


def test_same_sex_twice_is_not_read():
    from trialmatch.nlp.group_requirements import sex_thresholds
    assert sex_thresholds("qtcf > 470 ms (females) or > 450 ms (female subjects)", lambda t: c.Lab("QTCF", ">", 1.0, "ms")) is None
