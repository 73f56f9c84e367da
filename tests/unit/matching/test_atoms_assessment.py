"""Measurable and LifeExpectancy: evidence is a clinician-entered fact within its freshness
window; without one the atom is UNKNOWN to be confirmed (never silently met or not met);
full path and fast path agree; JSON, schema, rendering and entered facts carry them."""

from datetime import date, timedelta

import pytest
from jsonschema import Draft202012Validator

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.criteria_json import from_json, to_json
from trialmatch.domain.facts_json import facts_from_json, facts_to_json
from trialmatch.domain.verdict import TO_CONFIRM, Verdict
from trialmatch.entered_facts import merge, months_to_days, parse_entered_facts
from trialmatch.errors import PatientDataError
from trialmatch.matching import TrialIndex, compile_trial, match_patient
from trialmatch.matching.compiled_trial import compile_node
from trialmatch.matching.patient_view import PatientView
from trialmatch.matching.render import render
from trialmatch.matching.trial_class import classify_patients
from trialmatch.matching.verdict_codes import outcome_code
from trialmatch.schemas import criteria_schema
from tests.unit.matching.helpers import AS_OF, RULES, VOCAB, outcome, patient, trial

RECIST = c.Measurable(criteria="RECIST 1.1")
LE_12W = c.LifeExpectancy(min_days=84)


def measurable(value, criteria="RECIST 1.1", days_ago=10, n=0):
    return f.MeasurableDisease(f"entered:measurable_disease[{n}]", value, criteria, AS_OF - timedelta(days=days_ago))


def estimate(days, days_ago=5, n=0):
    return f.LifeExpectancy(f"entered:life_expectancy[{n}]", days, AS_OF - timedelta(days=days_ago))


# ---- Measurable ----------------------------------------------------------------------------

def test_measurable_without_an_entered_fact_is_to_be_confirmed_in_both_polarities():
    for node in (RECIST, c.Not(RECIST), c.Measurable()):
        out = outcome(node, patient())
        assert out.verdict is Verdict.UNKNOWN
        assert [(m.item, m.kind) for m in out.missing] == [
            (render(node.item if isinstance(node, c.Not) else node), TO_CONFIRM)]
    assert outcome(RECIST, patient()).missing[0].item == "measurable disease per RECIST 1.1"


@pytest.mark.parametrize("atom, fact, verdict", [
    (RECIST, measurable(True), Verdict.MET),
    (RECIST, measurable(False), Verdict.NOT_MET),
    (c.Measurable(), measurable(True, None), Verdict.MET),
    (c.Measurable(), measurable(False, None), Verdict.NOT_MET),
    (c.Measurable(), measurable(True), Verdict.MET),  # measurable per RECIST is measurable disease
    (c.Measurable(), measurable(False), Verdict.UNKNOWN),  # not per RECIST: another criteria may still count
    (RECIST, measurable(True, "RANO"), Verdict.UNKNOWN),  # criteria differ: nothing certain
    (RECIST, measurable(False, "Lugano"), Verdict.UNKNOWN),
    (RECIST, measurable(True, None), Verdict.UNKNOWN),  # criteria not said by the clinician
    (RECIST, measurable(True, days_ago=60), Verdict.MET),  # the window is inclusive
    (RECIST, measurable(True, days_ago=61), Verdict.UNKNOWN),  # stale
    (RECIST, measurable(False, days_ago=200), Verdict.UNKNOWN),
])
def test_measurable_decided_by_an_entered_fact_under_its_criteria(atom, fact, verdict):
    out = outcome(atom, patient(measurable_disease=(fact,)))
    assert out.verdict is verdict, out.reason
    if verdict is Verdict.UNKNOWN:
        assert [m.kind for m in out.missing] == [TO_CONFIRM]
    else:
        assert [e.reference for e in out.evidence] == ["entered:measurable_disease[0]"]
    negated = outcome(c.Not(atom), patient(measurable_disease=(fact,)))
    assert negated.verdict is verdict.negate()


def test_stale_measurable_shows_the_old_assessment():
    out = outcome(RECIST, patient(measurable_disease=(measurable(True, days_ago=90),)))
    assert out.verdict is Verdict.UNKNOWN and "older than 60 days" in out.reason
    assert [(e.reference, e.value) for e in out.evidence] == [
        ("entered:measurable_disease[0]", "measurable disease per RECIST 1.1")]


def test_newest_deciding_measurable_fact_wins():
    old_yes, new_no = measurable(True, days_ago=40, n=0), measurable(False, days_ago=3, n=1)
    assert outcome(RECIST, patient(measurable_disease=(old_yes, new_no))).verdict is Verdict.NOT_MET
    # a newer assessment under other criteria does not hide the older one under the atom's criteria
    rano = measurable(False, "RANO", days_ago=1, n=1)
    out = outcome(RECIST, patient(measurable_disease=(old_yes, rano)))
    assert out.verdict is Verdict.MET and out.evidence[0].reference == "entered:measurable_disease[0]"


# ---- LifeExpectancy -------------------------------------------------------------------------

def test_life_expectancy_without_an_estimate_is_to_be_confirmed():
    for node in (LE_12W, c.Not(LE_12W)):
        out = outcome(node, patient())
        assert out.verdict is Verdict.UNKNOWN
        assert [(m.item, m.kind) for m in out.missing] == [("life expectancy ≥ 12 weeks", TO_CONFIRM)]


@pytest.mark.parametrize("atom, days, days_ago, verdict", [
    (LE_12W, 84, 5, Verdict.MET),
    (LE_12W, 83, 5, Verdict.NOT_MET),
    (LE_12W, 365, 5, Verdict.MET),
    (c.LifeExpectancy(min_days=91, min_inclusive=False), 91, 5, Verdict.NOT_MET),  # "> 3 months", estimate 3 months
    (c.LifeExpectancy(min_days=91, min_inclusive=False), 92, 5, Verdict.MET),
    (c.LifeExpectancy(min_days=182), months_to_days(6), 5, Verdict.MET),  # "6 months" meets ">= 6 months"
    (c.LifeExpectancy(min_days=182), months_to_days(5), 5, Verdict.NOT_MET),
    (LE_12W, 365, 60, Verdict.MET),
    (LE_12W, 365, 61, Verdict.UNKNOWN),  # an estimate older than the window no longer counts
])
def test_life_expectancy_compares_the_latest_fresh_estimate(atom, days, days_ago, verdict):
    out = outcome(atom, patient(life_expectancy=(estimate(days, days_ago),)))
    assert out.verdict is verdict, out.reason
    assert [e.reference for e in out.evidence] == ["entered:life_expectancy[0]"]
    if verdict is Verdict.UNKNOWN:
        assert [m.kind for m in out.missing] == [TO_CONFIRM]


def test_newest_life_expectancy_estimate_wins():
    facts = patient(life_expectancy=(estimate(365, days_ago=30, n=0), estimate(60, days_ago=2, n=1)))
    out = outcome(LE_12W, facts)
    assert out.verdict is Verdict.NOT_MET and out.evidence[0].reference == "entered:life_expectancy[1]"
    # "life expectancy < 3 months" in an exclusion reads Not(Not(LifeExpectancy(91))): excluded when short
    short = c.Not(c.Not(c.LifeExpectancy(min_days=91)))
    assert outcome(short, facts).verdict is Verdict.NOT_MET
    assert outcome(short, patient(life_expectancy=(estimate(120),))).verdict is Verdict.MET


# ---- fast path, JSON, schema, render ---------------------------------------------------------

def test_verdict_codes_agree_with_outcomes():
    atoms = [RECIST, c.Measurable(), c.Measurable(criteria="RANO"), LE_12W,
             c.LifeExpectancy(min_days=91, min_inclusive=False)]
    facts_list = [patient()] + [patient(measurable_disease=(measurable(v, crit, ago),),
                                        life_expectancy=(estimate(d, ago),))
                                for v in (True, False) for crit in ("RECIST 1.1", "RANO", None)
                                for d, ago in ((60, 3), (91, 10), (120, 70))]
    seen = set()
    for facts in facts_list:
        ctx = PatientView(facts, VOCAB, RULES, AS_OF).context(facts.cancers[0])
        for atom in atoms:
            for negated in (False, True):
                cn = compile_node(atom, VOCAB, negated=negated)
                code = outcome_code(cn.evaluate(ctx))
                assert cn.code(ctx) == code, (atom, facts.measurable_disease, facts.life_expectancy)
                seen.add(code)
    assert seen == {0, 2, 11}


def test_fast_path_equals_full_path_with_the_new_atoms():
    trials = [compile_trial(trial(f"T{i}", c.All(items)), VOCAB) for i, items in enumerate((
        (RECIST,), (c.Measurable(),), (LE_12W, RECIST), (c.Not(c.Not(c.LifeExpectancy(min_days=91))),),
        (c.Any((c.Measurable(criteria="RANO"), LE_12W)),)))]
    index = TrialIndex(trials, VOCAB)
    people = [patient(patient_ref=f"Patient/{i}", measurable_disease=(measurable(v, crit, ago),),
                      life_expectancy=(estimate(d, ago),))
              for i, (v, crit, d, ago) in enumerate((
                  (True, "RECIST 1.1", 120, 3), (False, "RECIST 1.1", 60, 3), (True, "RANO", 91, 10),
                  (True, None, 365, 90), (False, None, 84, 30)))] + [patient()]
    full = [[(r.trial_id, r.result_class, r.score) for r in match_patient(p, index, as_of=AS_OF).results]
            for p in people]
    fast = [[(r.trial_id, r.result_class, r.score) for r in rs] for rs in classify_patients(people, index, as_of=AS_OF)]
    assert fast == full
    assert {row[1] for rows in full for row in rows} == {"eligible", "possible", "ineligible"}


def test_json_round_trip_and_schema():
    validator = Draft202012Validator(criteria_schema())
    nodes = [RECIST, c.Measurable(text="Measurable disease", id="inc-3"), LE_12W,
             c.LifeExpectancy(min_days=91, min_inclusive=False), c.Not(c.LifeExpectancy(min_days=182))]
    for node in nodes:
        data = to_json(node)
        assert from_json(data) == node
        assert list(validator.iter_errors(data)) == []
    assert to_json(RECIST) == {"type": "measurable", "criteria": "RECIST 1.1"}
    assert to_json(LE_12W) == {"type": "life_expectancy", "min_days": 84}
    for bad in ({"type": "measurable", "criteria": "RECIST v1.1"}, {"type": "life_expectancy"},
                {"type": "life_expectancy", "min_days": 0}, {"type": "measurable", "min_lesions": 2}):
        assert list(validator.iter_errors(bad)), bad


def test_schema_criteria_names_are_the_rule_file_names():
    schema = criteria_schema()
    assert tuple(schema["$defs"]["measurable"]["properties"]["criteria"]["enum"]) == RULES.response_criteria


def test_render():
    assert [render(n) for n in (RECIST, c.Measurable(), LE_12W, c.LifeExpectancy(min_days=91, min_inclusive=False),
                                c.LifeExpectancy(min_days=182), c.LifeExpectancy(min_days=365),
                                c.LifeExpectancy(min_days=100))] == [
        "measurable disease per RECIST 1.1", "measurable disease", "life expectancy ≥ 12 weeks",
        "life expectancy > 3 months", "life expectancy ≥ 6 months", "life expectancy ≥ 12 months",
        "life expectancy ≥ 100 days"]


# ---- facts and entered facts ----------------------------------------------------------------

def test_facts_json_round_trip():
    facts = patient(measurable_disease=(measurable(True),), life_expectancy=(estimate(120),))
    data = facts_to_json(facts)
    assert data["measurable_disease"] == [{"evidence": "entered:measurable_disease[0]", "value": True,
                                           "criteria": "RECIST 1.1", "date": "2026-11-16"}]
    assert data["life_expectancy"] == [{"evidence": "entered:life_expectancy[0]", "days": 120, "date": "2026-11-21"}]
    assert facts_from_json(data) == facts


def test_entered_measurable_and_life_expectancy():
    entered = parse_entered_facts({
        "measurable_disease": [{"value": True, "criteria": "RECIST 1.1", "date": "2026-11-20"},
                               {"value": False, "date": "2026-11-01"}],
        "life_expectancy": [{"months": 6, "date": "2026-11-20"}, {"days": 84, "date": "2026-11-02"}],
    }, as_of=AS_OF)
    assert entered.measurable_disease == (
        f.MeasurableDisease("entered:measurable_disease[0]", True, "RECIST 1.1", date(2026, 11, 20)),
        f.MeasurableDisease("entered:measurable_disease[1]", False, None, date(2026, 11, 1)))
    assert entered.life_expectancy == (f.LifeExpectancy("entered:life_expectancy[0]", 182, date(2026, 11, 20)),
                                       f.LifeExpectancy("entered:life_expectancy[1]", 84, date(2026, 11, 2)))
    merged = merge(patient(), entered)
    assert outcome(RECIST, merged).verdict is Verdict.MET
    assert outcome(c.LifeExpectancy(min_days=182), merged).verdict is Verdict.MET


def test_months_are_rounded_down_as_the_parser_writes_criteria():
    assert [months_to_days(m) for m in (1, 2, 3, 6, 12, 24, 1.5)] == [30, 60, 91, 182, 365, 730, 45]


@pytest.mark.parametrize("data, location", [
    ({"measurable_disease": [{"value": "yes", "date": "2026-11-20"}]}, "entered_facts.measurable_disease[0].value"),
    ({"measurable_disease": [{"date": "2026-11-20"}]}, "entered_facts.measurable_disease[0].value"),
    ({"measurable_disease": [{"value": True, "criteria": "RECIST v1.1", "date": "2026-11-20"}]},
     "entered_facts.measurable_disease[0].criteria"),
    ({"measurable_disease": [{"value": True, "lesions": 2, "date": "2026-11-20"}]}, "entered_facts.measurable_disease[0]"),
    ({"measurable_disease": [{"value": True}]}, "entered_facts.measurable_disease[0].date"),
    ({"life_expectancy": [{"days": 90, "months": 3, "date": "2026-11-20"}]}, "entered_facts.life_expectancy[0]"),
    ({"life_expectancy": [{"date": "2026-11-20"}]}, "entered_facts.life_expectancy[0]"),
    ({"life_expectancy": [{"days": 0, "date": "2026-11-20"}]}, "entered_facts.life_expectancy[0].days"),
    ({"life_expectancy": [{"days": 84.5, "date": "2026-11-20"}]}, "entered_facts.life_expectancy[0].days"),
    ({"life_expectancy": [{"months": True, "date": "2026-11-20"}]}, "entered_facts.life_expectancy[0].months"),
    ({"life_expectancy": [{"months": 3, "date": "2026-12-20"}]}, "entered_facts.life_expectancy[0].date"),
])
def test_bad_entered_assessments_are_refused_by_location(data, location):
    with pytest.raises(PatientDataError) as caught:
        parse_entered_facts(data, as_of=AS_OF)
    assert caught.value.issues[0][0] == location
