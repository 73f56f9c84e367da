"""CTML trials and MatchMiner patients through the matching engine (trialmatch.matching)."""

import json
import random
from datetime import date

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.verdict import Verdict
from trialmatch.matching import TrialIndex, compile_trial, match_patient
from trialmatch.matchminer import ctml_to_trial, patients_from_matchminer, read_ctml_path, read_matchminer_documents
from trialmatch.matchminer.ctml import match_tree

from .test_ctml_structure import leaves, oracle, placeholder_leaf

AS_OF = date(2026, 11, 26)
CLASS = {"eligible": Verdict.MET, "possible": Verdict.UNKNOWN, "ineligible": Verdict.NOT_MET}


def arm_classes(trials, patients, vocab, as_of=AS_OF) -> dict:
    index = TrialIndex([compile_trial(t, vocab) for t in trials], vocab)
    out = {}
    for key, facts in patients.items():
        for result in match_patient(facts, index, as_of=as_of).results:
            out[(key, result.trial_id)] = {a.arm_id: a.result_class for a in result.arms}
    return out


def test_wintermutant_demo_follows_the_ctml_structure(data_dir, vocab):
    demo = data_dir / "wintermutant-demo"
    trial = ctml_to_trial(read_ctml_path(demo / "trials")[0], vocab)
    patients = patients_from_matchminer(read_matchminer_documents(demo / "clinical_json"),
                                        read_matchminer_documents(demo / "genomic_json"), vocab)
    by_mrn = {"1035": patients["5d2799d86756630d8dd065b8"], "1036": patients["5d2799d86756630d8dd065b9"]}
    assert arm_classes([trial], by_mrn, vocab) == {
        # 1035, EGFR exon 19 in-frame deletion: the step, arm A (In_Frame_Del) and arm B; arm C (exact L858R) not.
        ("1035", "NCT02477839"): {"s1": "eligible", "s1.a1": "eligible", "s1.a2": "eligible", "s1.a3": "ineligible"},
        # 1036, EGFR L858G (Missense_Mutation): the step and arm B; arm A (in-frame deletion) and arm C not.
        ("1036", "NCT02477839"): {"s1": "eligible", "s1.a1": "ineligible", "s1.a2": "eligible", "s1.a3": "ineligible"},
    }


TMB_VALUES = [None, 9.9, 10.0, 15.0, 15.1, 16.0, 39.9, 40.0, 40.1]
TMB_EXPECTED = {  # threshold -> class per value of TMB_VALUES (None: no TMB reported -> possible)
    ">=10": ["possible", "ineligible", "eligible", "eligible", "eligible", "eligible", "eligible", "eligible", "eligible"],
    ">15": ["possible", "ineligible", "ineligible", "ineligible", "eligible", "eligible", "eligible", "eligible", "eligible"],
    "<=40": ["possible", "eligible", "eligible", "eligible", "eligible", "eligible", "eligible", "eligible", "ineligible"],
    "<40": ["possible", "eligible", "eligible", "eligible", "eligible", "eligible", "eligible", "ineligible", "ineligible"],
    "==40": ["possible", "ineligible", "ineligible", "ineligible", "ineligible", "ineligible", "ineligible", "eligible",
             "ineligible"],
}


def test_tmb_thresholds_of_the_integration_trial_on_both_sides(data_dir, vocab):
    tmb_trial = json.loads((data_dir / "integration_trials" / "tmb.json").read_text())
    leaves_ = tmb_trial["treatment_list"]["step"][0]["arm"][0]["match"][0]["or"]
    assert [leaf["clinical"]["tmb_numerical"] for leaf in leaves_] == list(TMB_EXPECTED)
    trials = [ctml_to_trial({"protocol_no": f"TMB-{i}", "treatment_list": {"step": [{"arm": [{"match": [leaf]}]}]}},
                            vocab) for i, leaf in enumerate(leaves_)]
    clinical = [{"SAMPLE_ID": f"P{i}", "ONCOTREE_PRIMARY_DIAGNOSIS_NAME": "Colon Adenocarcinoma",
                 **({} if v is None else {"TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE": v})} for i, v in enumerate(TMB_VALUES)]
    classes = arm_classes(trials, patients_from_matchminer(clinical, [], vocab), vocab)
    found = {threshold: [classes[(f"P{i}", f"TMB-{t}")]["s1.a1"] for i in range(len(TMB_VALUES))]
             for t, threshold in enumerate(TMB_EXPECTED)}
    assert found == TMB_EXPECTED


def test_tmb_trial_on_the_synthetic_patients_with_a_tmb(data_dir, vocab):
    trial = ctml_to_trial(json.loads((data_dir / "integration_trials" / "tmb.json").read_text()), vocab)
    clinical = [d for d in read_matchminer_documents(data_dir / "synthetic-bench" / "clinical.json")
                if "TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE" in d or d["MRN"] == "1"]
    patients = patients_from_matchminer(clinical, [], vocab)
    tmb = {key: next((m.value for m in p.markers if m.marker == "TMB"), None) for key, p in patients.items()}
    classes = {tmb[key]: arms["s1.a1"] for (key, _), arms in arm_classes([trial], patients, vocab).items()}
    # any of >=10, >15, <=40, <40, ==40 holds for each reported value; no TMB: possible (MatchMiner: no match)
    assert classes == {10.0: "eligible", 16.0: "eligible", 40.0: "eligible", None: "possible"}


@pytest.mark.parametrize("name", ["and_or_and.json", "or_and_or.json", "all_cases.json"])
def test_boolean_cases_through_the_engine_on_constructed_patients(data_dir, vocab, name):
    clause = json.loads((data_dir / "ctml_boolean_cases" / name).read_text())
    trial = c.TrialCriteria(trial_id="B", title="boolean", criteria=c.All(()),
                            arms=(c.Arm(id="m", label=None, criteria=match_tree([clause], "m", placeholder_leaf)),))
    index = TrialIndex([compile_trial(trial, vocab)], vocab)
    names = sorted(leaves(clause))
    values = (Verdict.NOT_MET, Verdict.UNKNOWN, Verdict.MET)
    rng = random.Random(11)
    assignments = [[rng.choice(values) for _ in names] for _ in range(300)]
    for assignment in assignments:
        truth = dict(zip(names, assignment))
        facts = f.PatientFacts(
            cancers=(f.Cancer(evidence="c", role="primary", cancer_type="LUAD"),),
            variants=tuple(f.Variant(evidence=f"v/{n}", gene=n.upper()) for n in names if truth[n] is Verdict.MET),
            genes_tested=tuple(f.GeneTested(evidence=f"t/{n}", gene=n.upper()) for n in names
                               if truth[n] is not Verdict.UNKNOWN))
        result = match_patient(facts, index, as_of=AS_OF).results[0]
        assert CLASS[result.arms[0].result_class] == oracle([clause], truth), truth
