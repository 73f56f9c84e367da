"""Trial results: arms, classes, ranking and score, deciding criteria, missing-data summary,
deceased patients, and the JSON view."""

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.matching import TrialIndex, match_patient, result_to_json
from tests.unit.matching.helpers import AS_OF, BREAST, LUNG, VOCAB, compiled, patient, trial

ECOG1 = f.PerformanceStatus("Observation/ecog", "ECOG", 1, date=date(2026, 11, 1))
HER2_POS = f.TumorMarker("Observation/her2", "HER2", status="positive", date=date(2024, 3, 5))


def run(trials, facts, **kw):
    return match_patient(facts, TrialIndex(compiled(*trials), VOCAB), as_of=AS_OF, **kw)


def test_classes_ranking_and_score():
    trials = [
        trial("T-ELIG", c.All((c.CancerType(("BREAST",)), c.Biomarker("HER2", status=("positive",)),
                               c.PerformanceStatus(max=1)))),
        trial("T-CONFIRM", c.All((c.CancerType(("BREAST",)), c.PerformanceStatus(max=1),
                                  c.Unparsed("informed consent", non_clinical=True)))),
        trial("T-MISSING", c.All((c.CancerType(("BREAST",)), c.PerformanceStatus(max=1),
                                  c.Biomarker("PDL1", comparator=">=", value=1, scale="CPS")))),
        trial("T-INELIG", c.All((c.CancerType(("BREAST",)), c.Biomarker("HER2", status=("negative",)),
                                 c.PerformanceStatus(max=1)), text="HER2-negative breast")),
    ]
    result = run(trials, patient(markers=(HER2_POS,), performance=(ECOG1,)))
    assert [(r.trial_id, r.result_class, r.score) for r in result.results] == [
        ("T-ELIG", "eligible", 1.0),
        ("T-CONFIRM", "possible", round(2.5 / 3, 6)),
        ("T-MISSING", "possible", 0.75),
        ("T-INELIG", "ineligible", round(2 / 3, 6)),
    ]
    inelig = result.results[3]
    assert [(o.text, o.reason) for o in inelig.deciding] == [("HER2 negative", "HER2 positive (2024-03-05), not negative")]
    assert [(m.item, m.kind) for m in result.results[2].unknowns] == [("PDL1 CPS", "missing")]
    assert (result.trials_indexed, result.candidates) == (4, 4)
    assert [r.trial_id for r in run(trials, patient(markers=(HER2_POS,), performance=(ECOG1,)), limit=2).results] == [
        "T-ELIG", "T-CONFIRM"]


def test_missing_summary_counts_trials_where_the_item_decides():
    her2_trials = [trial(f"T-H{i}", c.All((c.CancerType(("BREAST",)), c.Biomarker("HER2", status=("positive",)))))
                   for i in range(3)]
    ecog_trial = trial("T-E", c.All((c.CancerType(("BREAST",)), c.PerformanceStatus(max=1),
                                     c.Biomarker("HER2", status=("positive",)))))
    # HER2 does not decide a trial that is already ineligible
    closed = trial("T-X", c.All((c.CancerType(("LUNG",)), c.Biomarker("HER2", status=("positive",)))))
    result = run([*her2_trials, ecog_trial, closed], patient())
    assert [(s.item, s.kind, s.trial_ids) for s in result.missing_summary] == [
        ("HER2 status", "missing", ("T-H0", "T-H1", "T-H2", "T-E")),  # in ranking order
        ("ECOG performance status", "missing", ("T-E",)),
    ]


def test_arms_each_reported_trial_takes_best_open_arm():
    arms = (
        c.Arm("A", "HER2-positive", c.Biomarker("HER2", status=("positive",))),
        c.Arm("B", "HER2-low", c.Biomarker("HER2", status=("low",))),
        c.Arm("C", "any HER2, suspended", c.All(()), suspended=True),
    )
    t = trial("T-ARMS", c.All((c.CancerType(("BREAST",)), c.PerformanceStatus(max=1))), arms=arms)
    neg = patient(performance=(ECOG1,), markers=(f.TumorMarker("Observation/h", "HER2", status="negative"),))
    r = run([t], neg).results[0]
    assert [(a.arm_id, a.result_class, a.suspended) for a in r.arms] == [
        ("A", "ineligible", False), ("B", "possible", False), ("C", "eligible", True)]
    assert (r.result_class, [(m.item, m.kind) for m in r.unknowns]) == ("possible", [("HER2 IHC score", "missing")])
    only_suspended = trial("T-SUSP", c.CancerType(("BREAST",)), arms=(arms[2],))
    r2 = run([only_suspended], neg).results[0]
    assert (r2.result_class, r2.note) == ("ineligible", "all arms suspended")


def test_trial_reads_the_markers_of_the_cancer_matching_its_cancer_type():
    her2_breast = f.TumorMarker("Observation/her2", "HER2", status="positive", cancer_ref="Condition/breast")
    her2_lung = f.TumorMarker("Observation/her2l", "HER2", status="negative", cancer_ref="Condition/lung")
    p = patient(cancers=(BREAST, LUNG), markers=(her2_breast, her2_lung))
    t_breast = trial("T-B", c.All((c.CancerType(("BREAST",)), c.Biomarker("HER2", status=("positive",)))))
    t_lung = trial("T-L", c.All((c.CancerType(("NSCLC",)), c.Biomarker("HER2", status=("positive",)))))
    got = {r.trial_id: (r.result_class, r.focus_cancer) for r in run([t_breast, t_lung], p).results}
    assert got == {"T-B": ("eligible", "Condition/breast"), "T-L": ("ineligible", "Condition/lung")}


def test_deceased_patient_is_never_matched():
    t = trial("T-1", c.All((c.CancerType(("BREAST",)),)))
    result = run([t], patient(deceased=True, deceased_date=date(2026, 5, 1)))
    r = result.results[0]
    assert (r.result_class, [o.reason for o in r.deciding], result.note) == (
        "ineligible", ["patient recorded as deceased (2026-05-01)"], "patient recorded as deceased (2026-05-01)")


def test_result_json_view_golden():
    t = trial("NCT0001", c.All((
        c.CancerType(("BREAST",), text="Breast cancer", id="inc1"),
        c.Not(c.Condition(keys=("hiv",)), text="Known HIV infection", id="exc1"),
    )), phase="PHASE2", status="RECRUITING", title="A breast trial")
    data = result_to_json(run([t], patient(), limit=5))
    assert data == {
        "engine_version": "trialmatch-matching/1.0",
        "as_of": "2026-11-26",
        "trials_indexed": 1,
        "candidates": 1,
        "note": None,
        "results": [{
            "trial_id": "NCT0001", "title": "A breast trial", "version": 1, "phase": "PHASE2",
            "status": "RECRUITING", "result_class": "possible", "score": 0.75,
            "focus_cancer": "Condition/breast", "note": None, "deciding": [],
            "unknowns": [{"item": "hiv", "kind": "to_confirm"}],
            "criteria": {
                "id": None, "type": "all", "text": "all of: cancer type BREAST; not: active hiv",
                "verdict": "unknown", "reason": "1 of 2 unknown, none not met", "evidence": [],
                "missing": [{"item": "hiv", "kind": "to_confirm"}],
                "children": [
                    {"id": "inc1", "type": "cancer_type", "text": "Breast cancer", "verdict": "met",
                     "reason": "IDC is Breast",
                     "evidence": [{"reference": "Condition/breast", "value": "IDC", "date": "2024-03-01"}],
                     "missing": [], "children": []},
                    {"id": "exc1", "type": "not", "text": "Known HIV infection", "verdict": "unknown",
                     "reason": "no hiv recorded", "evidence": [],
                     "missing": [{"item": "hiv", "kind": "to_confirm"}],
                     "children": [{"id": None, "type": "condition", "text": "active hiv", "verdict": "unknown",
                                   "reason": "no hiv recorded", "evidence": [],
                                   "missing": [{"item": "hiv", "kind": "to_confirm"}], "children": []}]},
                ],
            },
            "arms": [],
        }],
        "missing_summary": [{"item": "hiv", "kind": "to_confirm", "count": 1, "trial_ids": ["NCT0001"]}],
    }


def test_custom_rules_change_the_freshness_window():
    import dataclasses

    from tests.unit.matching.helpers import RULES
    old_ecog = f.PerformanceStatus("Observation/ecog", "ECOG", 1, date=date(2026, 6, 1))
    t = trial("T-1", c.All((c.CancerType(("BREAST",)), c.PerformanceStatus(max=1))))
    longer = dataclasses.replace(RULES, freshness={**RULES.freshness, "performance_status": 365})
    assert [run([t], patient(performance=(old_ecog,)), rules=r).results[0].result_class for r in (None, longer)] == [
        "possible", "eligible"]


def test_compiled_trials_are_reused_and_identical_subtrees_shared():
    trials = [trial(f"T-{i}", c.All((c.CancerType(("BREAST",)), c.PerformanceStatus(max=1),
                                      c.Not(c.Condition(keys=("hiv",)))))) for i in range(3)]
    index = TrialIndex(compiled(*trials), VOCAB)
    roots = [ct.root for ct in index.trials]
    assert all(a.children[i] is b.children[i] for a, b in zip(roots, roots[1:]) for i in range(3))
    first = match_patient(patient(performance=(ECOG1,)), index, as_of=AS_OF)
    second = match_patient(patient(sex="male", performance=(ECOG1,)), index, as_of=AS_OF)
    assert [r.result_class for r in first.results] == ["possible"] * 3
    assert [r.result_class for r in second.results] == ["possible"] * 3
    assert first.results[0].outcome.children[2] is first.results[1].outcome.children[2]


def test_limit_cuts_results_not_the_missing_summary():
    trials = [trial(f"T-{i}", c.All((c.CancerType(("BREAST",)), c.Biomarker("ER", status=("positive",)))))
              for i in range(5)]
    result = run(trials, patient(), limit=2)
    assert (len(result.results), [len(s.trial_ids) for s in result.missing_summary]) == (2, [5])
