"""Atoms' verdict_code functions (verdict_codes.py) agree with their evaluators: the code
computed without the outcome equals outcome_code(evaluate(ctx)) for every atom that has one,
in every context (each cancer as focus, and none) of golden, MatchMiner and generated
patients, against the real catalogue, the converted CTML trials and synthetic catalogues."""

import dataclasses
import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.facts_json import facts_from_json
from trialmatch.matching import TrialIndex, compile_trial
from trialmatch.matching.classify_memo import trial_atoms
from trialmatch.matching.compiled_trial import compile_node
from trialmatch.matching.patient_view import PatientView
from trialmatch.matching.verdict_codes import outcome_code
from trialmatch.matchminer import ctml_to_trial, patients_from_matchminer, read_ctml_path, read_matchminer_documents
from trialmatch.trial_document import load_catalogue
from tests.unit.matching.helpers import AS_OF, RULES, VOCAB, patient
from tests.unit.matching.test_prefilter_property import CATALOGUES, patients
from tests.unit.matching.test_trial_class import BENCH, GOLDEN, ROOT


def coded_atoms(trials):
    found = {}
    for ct in TrialIndex(trials, VOCAB).trials:
        for cn in trial_atoms(ct):
            if cn.code is not None:
                found[id(cn)] = cn
    return list(found.values())


def disagreements(atoms, people, as_of):
    """(atom, patient, focus, code, evaluated code) where the two differ; and the count compared."""
    wrong, compared = [], 0
    for facts in people:
        view = PatientView(facts, VOCAB, RULES, as_of)
        for focus in (*view.facts.cancers, None):
            ctx = view.context(focus)
            for cn in atoms:
                code, full = cn.code(ctx), outcome_code(cn.evaluate(ctx))
                compared += 1
                if code != full:
                    wrong.append((cn.text, facts.patient_ref, focus, code, full))
    return wrong, compared


def test_real_catalogue_and_golden_facts():
    atoms = coded_atoms([compile_trial(t, VOCAB) for t in load_catalogue(ROOT / "criteria")])
    assert {type(a.node) for a in atoms} == {c.CancerType, c.Age, c.Measurable}
    people = [facts_from_json(json.loads(p.read_text(encoding="utf-8"))["facts"]) for p in GOLDEN]
    wrong, compared = disagreements(atoms, people, AS_OF)
    assert wrong == []
    assert compared > 100


def test_matchminer_trials_and_patients():
    atoms = coded_atoms([compile_trial(ctml_to_trial(d, VOCAB), VOCAB) for d in read_ctml_path(BENCH / "trials.json")])
    people = patients_from_matchminer(read_matchminer_documents(BENCH / "clinical.json"),
                                      read_matchminer_documents(BENCH / "genomic.json"), VOCAB)
    chosen = [dataclasses.replace(p, deceased=None) for p in list(people.values())[:400]]
    wrong, compared = disagreements(atoms, chosen, date(2000, 7, 12))
    assert wrong == []
    codes = {outcome_code(cn.evaluate(PatientView(p, VOCAB, RULES, date(2000, 7, 12)).context(p.cancers[0])))
             for p in chosen[:50] for cn in atoms if type(cn.node) is c.CancerType}
    assert codes == {0, 2, 12}  # not vacuous: every code occurs
    assert compared > 10_000


def test_edge_cases():
    nodes = [c.CancerType(("NSCLC",)), c.CancerType(("BREAST",), role="any"), c.CancerType(("IDC",)),
             c.Not(c.CancerType(("LUAD", "BREAST"))), c.Not(c.CancerType(("_SOLID_",), role="any")),
             c.Age(min=18), c.Age(max=75, max_inclusive=False), c.Not(c.Age(min=65, min_inclusive=False))]
    atoms = [compile_node(n, VOCAB) for n in nodes]
    atoms = [a.children[0] if a.fn is None else a for a in atoms]
    people = [
        patient(),
        patient(birth_date=None, cancers=()),  # no age, no cancer
        patient(birth_date=date(1961, 1, 1), cancers=(f.Cancer("Condition/a", "primary", cancer_type="BREAST"),
                                                      f.Cancer("Condition/m", "secondary", cancer_type="LUAD"))),
        patient(cancers=(f.Cancer("Condition/a", "primary", cancer_type="NOT_A_CODE"),
                         f.Cancer("Condition/b", "primary", cancer_type="LUAD"))),
        patient(birth_date=date(1950, 1, 1), cancers=(f.Cancer("Condition/a", "primary", cancer_type=None),)),
    ]
    wrong, compared = disagreements(atoms, people, AS_OF)
    assert wrong == []
    assert compared == len(atoms) * sum(len(p.cancers) + 1 for p in people)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(sorted(CATALOGUES)), people=st.lists(patients(), min_size=1, max_size=3),
       days=st.integers(0, 400))
def test_generated_patients(seed, people, days):
    wrong, _ = disagreements(coded_atoms(CATALOGUES[seed]), people, AS_OF + timedelta(days=days))
    assert wrong == []
