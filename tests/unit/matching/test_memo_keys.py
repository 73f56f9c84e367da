"""The batch memo's fact keys (atom_keys.key_function) keep apart patients who differ only in
the fact a key reads: in one batch (one shared ClassifyMemo, the first patient classified
first), each patient gets exactly its own match_patient classes, and the two patients'
classes differ (so a shared verdict would be caught)."""

from datetime import date

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.matching import TrialIndex
from trialmatch.matching.atom_keys import atom_key, key_function
from trialmatch.matching.compiled_trial import compile_node
from trialmatch.matching.patient_view import PatientView
from trialmatch.matching.trial_class import classify_patients
from tests.unit.matching.helpers import AS_OF, BREAST, LUNG, RULES, VOCAB, compiled, patient, trial
from tests.unit.matching.test_trial_class import fast_view, full_view


def _variant(change):
    return f.Variant("Observation/v", "EGFR", protein_change=change, category="missense", cancer_ref=BREAST.evidence)


def _her2(status):
    return f.TumorMarker("Observation/m", "HER2", status=status, cancer_ref=BREAST.evidence)


SECONDARY = f.Cancer("Condition/met", "secondary", cancer_type="LUAD")
CASES = {
    "variant": (c.Variant("EGFR", protein_change="L858R"),
                patient(variants=(_variant("L858R"),)), patient(variants=(_variant("T790M"),))),
    "variant tested": (c.Not(c.Variant("EGFR")),
                       patient(genes_tested=(f.GeneTested("Observation/t", "EGFR", True, cancer_ref=BREAST.evidence),)),
                       patient()),
    "marker": (c.Biomarker("HER2", status=("positive",)), patient(markers=(_her2("positive"),)),
               patient(markers=(_her2("negative"),))),
    "age": (c.Age(min=18), patient(birth_date=date(1970, 1, 1)), patient(birth_date=date(2010, 1, 1))),
    "sex": (c.Sex("female"), patient(sex="female"), patient(sex="male")),
    "cancer type (focus)": (c.CancerType(("BREAST",)), patient(), patient(cancers=(LUNG,))),
    "cancer type (exclusion, any role)": (c.Not(c.CancerType(("LUAD",), role="any")), patient(),
                                          patient(cancers=(BREAST, SECONDARY))),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_patients_differing_in_one_keyed_fact_do_not_share_a_verdict(name):
    node, first, second = CASES[name]
    # under Any: out of the prefilter's reach, so both patients are candidates
    index = TrialIndex(compiled(trial("T1", c.All((c.Any((node,)), c.Not(c.Condition(keys=("hiv",))))))), VOCAB)
    expected = [full_view(p, index, AS_OF) for p in (first, second)]
    assert [fast_view(r) for r in classify_patients([first, second], index, as_of=AS_OF, rules=RULES)] == expected
    assert len(expected[0]) == len(expected[1]) == 1
    assert expected[0] != expected[1]


def test_key_function_reads_the_family_parameter_and_atom_key_agrees():
    cn = compile_node(c.Variant("egfr", protein_change="L858R"), VOCAB)
    facts = patient(variants=(_variant("L858R"),))
    ctx = PatientView(facts, VOCAB, RULES, AS_OF).context(BREAST)
    key = key_function(cn)(ctx)
    assert key == atom_key(cn, ctx)
    assert key == ((("Variant", "EGFR", None, None, "L858R", "missense", None, None, None, None, None, None, None),),
                   False, False)
    assert key_function(compile_node(c.Lab("ANC", ">=", value=1.5, unit="10*9/L"), VOCAB)) is None
