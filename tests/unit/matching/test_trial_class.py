"""The batch fast path (classify_patient / classify_patients) gives exactly the classes,
scores, focus cancers and arm classes of the full path (match_patient, limit=None): on the
golden facts against the real catalogue, on MatchMiner's synthetic-bench patients against
its converted CTML trials, and on generated patients (hypothesis) against synthetic
catalogues; with and without the cross-patient memo."""

import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.facts_json import facts_from_json
from trialmatch.matching import TrialIndex, compile_trial, match_patient
from trialmatch.matching.compiled_trial import compile_node
from trialmatch.matching.patient_view import PatientView
from trialmatch.matching.trial_class import ClassifyMemo, classify_patient, classify_patients, node_code
from trialmatch.matchminer import ctml_to_trial, patients_from_matchminer, read_ctml_path, read_matchminer_documents
from trialmatch.trial_document import load_catalogue
from trialmatch.matching.render import render
from tests.unit.matching.helpers import AS_OF, RULES, VOCAB, patient, trial
from tests.unit.matching.test_prefilter_property import CATALOGUES, patients

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = sorted(p for p in (ROOT / "tests" / "data" / "bundles" / "golden").glob("*.facts.json")
                if "facts" in json.loads(p.read_text(encoding="utf-8")))
BENCH = ROOT / "tests" / "data" / "matchminer" / "synthetic-bench"


def full_view(facts, index, as_of):
    return [(r.trial_id, r.result_class, r.score, r.focus_cancer,
             tuple((a.arm_id, a.suspended, a.result_class, a.score) for a in r.arms))
            for r in match_patient(facts, index, as_of=as_of).results]


def fast_view(classes):
    return [(r.trial_id, r.result_class, r.score, r.focus_cancer,
             tuple((a.arm_id, a.suspended, a.result_class, a.score) for a in r.arms)) for r in classes]


@pytest.fixture(scope="module")
def catalogue_index():
    return TrialIndex([compile_trial(t, VOCAB) for t in load_catalogue(ROOT / "criteria")], VOCAB)


def test_golden_facts_fast_equals_full(catalogue_index):
    facts = [facts_from_json(json.loads(p.read_text(encoding="utf-8"))["facts"]) for p in GOLDEN]
    assert len(facts) >= 10
    full = [full_view(x, catalogue_index, AS_OF) for x in facts]
    alone = [fast_view(classify_patient(x, catalogue_index, as_of=AS_OF)) for x in facts]
    batch = [fast_view(r) for r in classify_patients(facts + facts, catalogue_index, as_of=AS_OF)]
    assert alone == full
    assert batch == full + full
    assert any(row[1] != "ineligible" for rows in full for row in rows)  # not vacuous


def test_matchminer_bench_patients_fast_equals_full():
    trials = [ctml_to_trial(doc, VOCAB) for doc in read_ctml_path(BENCH / "trials.json")]
    index = TrialIndex([compile_trial(t, VOCAB) for t in trials], VOCAB)
    people = patients_from_matchminer(read_matchminer_documents(BENCH / "clinical.json"),
                                      read_matchminer_documents(BENCH / "genomic.json"), VOCAB)
    chosen = [dataclasses.replace(p, deceased=None) for p in list(people.values())[:250]]
    as_of = AS_OF.replace(year=2000, month=7, day=12)
    full = [full_view(p, index, as_of) for p in chosen]
    fast = [fast_view(r) for r in classify_patients(chosen, index, as_of=as_of)]
    assert fast == full
    classes = {row[1] for rows in full for row in rows} | {a[2] for rows in full for row in rows for a in row[4]}
    assert classes == {"eligible", "possible", "ineligible"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(sorted(CATALOGUES)), batch=st.lists(patients(), min_size=1, max_size=4),
       days=st.integers(0, 400))
def test_generated_patients_fast_equals_full(seed, batch, days):
    as_of = AS_OF + timedelta(days=days)
    index = TrialIndex(CATALOGUES[seed], VOCAB)
    full = [full_view(x, index, as_of) for x in batch]
    assert [fast_view(r) for r in classify_patients(batch, index, as_of=as_of)] == full


def test_verdict_codes_of_composites_carry_the_unknown_kind():
    facts = patient(sex=None)
    ctx = PatientView(facts, VOCAB, RULES, AS_OF).context(facts.cancers[0])
    hiv = c.Condition(keys=("hiv",))
    cases = {
        c.Not(hiv): 11,  # absent exclusion: to_confirm
        c.Sex("female"): 12,  # sex not recorded: missing
        c.All((c.Not(hiv), c.Sex("female"))): 12,
        c.All((c.Not(hiv), c.Age(min=18))): 11,
        c.Any((c.Not(hiv), c.Age(min=90))): 11,
        c.Any((c.Sex("female"), c.Age(min=18))): 2,
        c.All((c.Sex("female"), c.Age(min=90))): 0,
        c.Not(c.Age(min=18)): 0,
        c.All(()): 2,
        c.Any(()): 0,
    }
    assert {node: node_code(compile_node(node, VOCAB), ctx) for node in cases} == cases


def test_memo_is_cleared_when_full_and_results_do_not_change():
    index = TrialIndex(CATALOGUES[0], VOCAB)
    people = [patient(birth_date=date(1950 + 20 * i, 1, 1)) for i in range(3)]
    memo = ClassifyMemo(AS_OF, RULES, max_entries=5)
    results = [classify_patient(p, index, as_of=AS_OF, rules=RULES, memo=memo) for p in people]
    alone = ClassifyMemo(AS_OF, RULES)
    classify_patient(people[-1], index, as_of=AS_OF, rules=RULES, memo=alone)
    assert (len(memo.codes), len(memo.trials)) == (len(alone.codes), len(alone.trials))  # only the last patient's
    assert results == [classify_patient(p, index, as_of=AS_OF) for p in people]


def test_memo_serves_one_date_and_rule_set():
    index = TrialIndex(CATALOGUES[0], VOCAB)
    memo = ClassifyMemo(AS_OF, RULES)
    first = classify_patient(patient(), index, as_of=AS_OF, rules=RULES, memo=memo)
    assert memo.codes and memo.trials
    assert classify_patient(patient(), index, as_of=AS_OF, rules=RULES, memo=memo) == first  # from the memo
    with pytest.raises(ValueError, match="one as-of date"):
        classify_patient(patient(), index, as_of=AS_OF + timedelta(days=1), rules=RULES, memo=memo)
    with pytest.raises(ValueError, match="one TrialIndex"):
        classify_patient(patient(), TrialIndex(CATALOGUES[1], VOCAB), as_of=AS_OF, rules=RULES, memo=memo)


def test_atom_families_group_atoms_reading_the_same_facts():
    trials = [compile_trial(trial(f"T{i}", node), VOCAB) for i, node in enumerate((
        c.All((c.Variant("EGFR", protein_change="L858R"), c.Age(min=18))),
        c.All((c.Variant("egfr", category="mutation"), c.Age(max=75), c.Variant("KRAS"))),
        c.All((c.CancerType(("NSCLC",)), c.Not(c.CancerType(("BREAST",))), c.Lab("ANC", ">=", value=1.5, unit="10*9/L"))),
    ))]
    memo = ClassifyMemo(AS_OF, RULES)
    memo.check(AS_OF, RULES, TrialIndex(trials, VOCAB))
    groups = {tuple(sorted(render(a.node) for a in fam.atoms)) for fam in memo.family_of.values()}
    # one family per gene (any case), one for ages, inclusion and exclusion cancer types apart;
    # an atom type without a fact key (Lab) is its own family
    assert groups == {("EGFR L858R", "egfr mutation"), ("KRAS",), ("age ≤ 75", "age ≥ 18"), ("cancer type NSCLC",),
                      ("cancer type BREAST",), ("ANC ≥ 1.5 10*9/L",)}


def test_deceased_patient_every_candidate_ineligible():
    index = TrialIndex(CATALOGUES[1], VOCAB)
    facts = patient(deceased=True)
    assert fast_view(classify_patient(facts, index, as_of=AS_OF)) == full_view(facts, index, AS_OF)
    assert {r.result_class for r in classify_patient(facts, index, as_of=AS_OF)} == {"ineligible"}


def test_secondary_cancer_patient_with_two_primaries():
    index = TrialIndex(CATALOGUES[2], VOCAB)
    facts = patient(cancers=(f.Cancer("Condition/a", "primary", cancer_type="IDC"),
                             f.Cancer("Condition/b", "primary", cancer_type="LUAD"),
                             f.Cancer("Condition/m", "secondary")))
    assert fast_view(classify_patient(facts, index, as_of=AS_OF)) == full_view(facts, index, AS_OF)
