"""Whole CTML trials -> TrialCriteria: levels to arms, suspension, trial fields, refusals,
and every CTML file of tests/data/matchminer."""

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import from_json, to_json
from trialmatch.errors import CriteriaError
from trialmatch.matchminer import ctml_to_trial, read_ctml_path


def bench_trials(data_dir, vocab):
    return {t.trial_id: t for t in (ctml_to_trial(d, vocab) for d in read_ctml_path(data_dir / "synthetic-bench"
                                                                                     / "trials.json"))}


def test_wintermutant_trial_levels_become_arms_and_shared_conjuncts_become_common(data_dir, vocab):
    trial = ctml_to_trial(read_ctml_path(data_dir / "wintermutant-demo" / "trials")[0], vocab)
    assert (trial.trial_id, trial.status, trial.phase) == ("NCT02477839", "RECRUITING", "PHASE3")
    assert [(a.id, a.label, a.suspended) for a in trial.arms] == [
        ("s1", "Step 1", False),
        ("s1.a1", "Step 1 / ARM A: Osimertinib 80mg orally once daily", False),
        ("s1.a2", "Step 1 / ARM B: Gefitinib 250mg or Erlotinib 150mg orally once daily (investigator choice)", False),
        ("s1.a3", "Step 1 / ARM C: Osimertinib for EGFR Exon 21 L858R — exact protein match required", False),
    ]
    # the clinical leaf every level repeats is the trial's common criteria (ids prefixed "common.")
    assert trial.criteria == c.All((
        c.All((c.Age(min=18, id="common.s1.1.and.2.clinical.age_numerical"),
               c.CancerType(codes=("NSCLC",), id="common.s1.1.and.2.clinical.oncotree_primary_diagnosis")),
              text="clinical: age_numerical=>=18, oncotree_primary_diagnosis=Non-Small Cell Lung Cancer",
              id="common.s1.1.and.2.clinical"),
    ), id="common")
    assert trial.arms[3].criteria == c.Variant(
        gene="EGFR", protein_change="L858R", category="mutation",
        text="genomic: hugo_symbol=EGFR, protein_change=p.L858R, variant_category=Mutation", id="s1.a3.1.and.1.genomic")


def test_common_factoring_keeps_every_arm_its_own_conjunct(data_dir, vocab):
    trials = bench_trials(data_dir, vocab)
    assert trials["90-0008"].criteria == c.All(())  # one arm: nothing is shared
    assert trials["90-0012"].criteria == c.All(())  # two arms sharing nothing
    shared = trials["90-0002"].criteria  # the EGFR in-frame deletion leaf of step, arm and level
    assert [n.id for n in shared.items] == ["common.s1.1.and.1.genomic"]
    assert [[x.codes for x in a.criteria.items if isinstance(x, c.CancerType)] for a in trials["90-0002"].arms] == [
        [("LUNG",)], [("NSCLC",)], [("PPB",)]]


def test_suspension_as_matchminer_decides_it(data_dir, vocab):
    trials = bench_trials(data_dir, vocab)
    flags = {tid: [(a.id, a.suspended) for a in trials[tid].arms] for tid in ("90-0000", "90-0002", "90-0003", "90-0004")}
    assert flags == {
        "90-0000": [("s1", True), ("s1.a1", True), ("s1.a1.l1", True)],  # all arms suspended: the step too
        "90-0002": [("s1", False), ("s1.a1", False), ("s1.a1.l1", False)],
        "90-0003": [("s1", False), ("s1.a1", False), ("s1.a1.l1", True)],
        "90-0004": [("s1", True), ("s1.a1", True), ("s1.a1.l1", False)],  # both arms suspended
    }
    # ARM 2 of these trials has "match": [] (MatchMiner matches nobody there): no arm
    assert "s1.a2" not in [a.id for a in trials["90-0000"].arms]
    assert (trials["90-0000"].status, trials["90-0001"].status, trials["90-0018"].status) == (
        "RECRUITING", "ACTIVE_NOT_RECRUITING", None)


def test_trial_level_match_clause_is_an_arm(vocab):
    doc = {"protocol_no": "00-009", "match": [{"clinical": {"gender": "Female"}}], "treatment_list": {"step": []}}
    trial = ctml_to_trial(doc, vocab)
    assert trial.arms == (c.Arm(id="trial", label="Trial", criteria=c.Sex(
        sex="female", text="clinical: gender=Female", id="trial.1.clinical")),)


@pytest.mark.parametrize("doc, message", [
    ({"treatment_list": {"step": []}}, r"^protocol_no: '' is missing"),
    ({"protocol_no": "00-001"}, r"^trial 00-001: treatment_list: required"),
    ({"protocol_no": "00-001", "treatment_list": {"step": [{"arm": [{"arm_code": "A"}]}]}},
     r"^trial 00-001: treatment_list: no match clause"),
    ({"protocol_no": "00-001", "treatment_list": {"step": [{"arm": [{"match": [{"clinical": {"ecog": "1"}}]}]}]}},
     r"^trial 00-001: s1\.a1\.1\.clinical\.ecog: CTML clinical field not supported"),
    ({"protocol_no": "00-001", "treatment_list": {"step": [{"arm": [{"match": [{"prior_treatment": {"drug": "x"}}]}]}]}},
     r"^trial 00-001: s1\.a1\.1\.prior_treatment: CTML match key 'prior_treatment' not supported"),
])
def test_refusals_name_the_trial_field_and_path(vocab, doc, message):
    with pytest.raises(CriteriaError, match=message):
        ctml_to_trial(doc, vocab)


def test_every_ctml_file_converts_or_is_refused_by_name(data_dir, vocab):
    converted, refused = {}, {}
    folders = ["integration_trials", "trials", "yaml", "synthetic-bench/trials.json", "wintermutant-demo/trials"]
    for folder in folders:
        for path in sorted((data_dir / folder).glob("*.*")) if (data_dir / folder).is_dir() else [data_dir / folder]:
            for doc in read_ctml_path(path):
                name = f"{path.parent.name}/{path.name}"
                try:
                    converted.setdefault(name, []).append(ctml_to_trial(doc, vocab).trial_id)
                except CriteriaError as exc:
                    refused[name] = str(exc)
    assert refused == {"trials/11-112.json": "protocol_no: '' is missing or not a usable trial id"}
    assert sum(len(ids) for ids in converted.values()) == 18 + 5 + 2 + 20 + 1
    assert converted["trials/trials_json_array.json"] == ["11-111", "22-222"]
    assert converted["trials/two_trials_one_doc.ndjson"] == ["11-111", "22-222"]


def test_converted_arms_round_trip_through_criteria_json(data_dir, vocab):
    for trial in bench_trials(data_dir, vocab).values():
        for arm in trial.arms:
            assert from_json(to_json(arm.criteria)) == arm.criteria


def test_massive_match_clause_keeps_every_field(data_dir, vocab):
    arm = bench_trials(data_dir, vocab)["90-0005"].arms[0]
    text = repr(arm.criteria)
    for expected in ("_SOLID_", "_LIQUID_", "her2_status = False", "FAAP20", "ALK1", "A466G", "MMR", "MSI", "DCLRE1C",
                     "copy_number='gain'", "classification='Missense_Mutation'"):
        assert expected in text


def test_converted_trials_are_valid_criteria_documents(data_dir, vocab):
    from trialmatch.trial_document import dump_document, load_document

    trials = list(bench_trials(data_dir, vocab).values())
    trials.append(ctml_to_trial(read_ctml_path(data_dir / "wintermutant-demo" / "trials")[0], vocab))
    for trial in trials:
        assert load_document(dump_document(trial), trial.trial_id) == trial
