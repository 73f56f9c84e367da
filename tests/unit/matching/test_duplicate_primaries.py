"""Facts tied to no cancer (cancer_ref None) are read when the patient's primaries are one
cancer: one primary, or several records that can only be the same cancer (same type, or one
type an OncoTree ancestor of all others, lateralities not differing); two different
cancers stay apart."""

import dataclasses
import json
from datetime import date
from pathlib import Path

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.facts_json import facts_from_json
from trialmatch.matching import TrialIndex, classify_patient, match_patient
from trialmatch.matching.patient_view import PatientView
from tests.unit.matching.helpers import AS_OF, RULES, VOCAB, compiled, outcome, patient, trial

ROOT = Path(__file__).resolve().parents[3]
LEFT = f.Coding(f.SNOMED, "7771000", "Left")
RIGHT = f.Coding(f.SNOMED, "24028007", "Right")
PDL1 = f.TumorMarker("Observation/pdl1", "PDL1", value=80.0, unit="%", scale="TPS")
PDL1_HIGH = c.Biomarker("PDL1", comparator=">=", value=50, scale="TPS")


def primary(ref, ctype, laterality=None):
    return f.Cancer(f"Condition/{ref}", "primary", cancer_type=ctype, laterality=laterality, onset=date(2025, 1, 5))


def verdicts(node, facts):
    view = PatientView(facts, VOCAB, RULES, AS_OF)
    return [outcome(node, facts, focus=x).verdict.label for x in view.primaries]


def test_one_cancer_recorded_twice_reads_unattributed_facts():
    cases = {
        "NSCLC twice": (primary("a", "NSCLC"), primary("b", "NSCLC")),
        "NSCLC and LUAD": (primary("a", "NSCLC"), primary("b", "LUAD")),
        "same side": (primary("a", "IDC", LEFT), primary("b", "IDC", LEFT)),
        "one side stated": (primary("a", "IDC", LEFT), primary("b", "BREAST")),
        "lung and breast": (primary("a", "LUAD"), primary("b", "IDC")),
        "left and right": (primary("a", "IDC", LEFT), primary("b", "IDC", RIGHT)),
        "unknown type": (primary("a", "NSCLC"), primary("b", None)),
        "cancer NOS": (primary("a", "NSCLC"), primary("b", "TISSUE")),
        "siblings": (primary("a", "LUAD"), primary("b", "LUSC")),
    }
    found = {name: verdicts(PDL1_HIGH, patient(cancers=cancers, markers=(PDL1,))) for name, cancers in cases.items()}
    assert found == {
        "NSCLC twice": ["met", "met"], "NSCLC and LUAD": ["met", "met"], "same side": ["met", "met"],
        "one side stated": ["met", "met"],
        "lung and breast": ["unknown", "unknown"], "left and right": ["unknown", "unknown"],
        "unknown type": ["unknown", "unknown"], "cancer NOS": ["unknown", "unknown"], "siblings": ["unknown", "unknown"],
    }
    # a fact tied to one record stays with it
    tied = dataclasses.replace(PDL1, cancer_ref="Condition/a")
    assert verdicts(PDL1_HIGH, patient(cancers=cases["NSCLC twice"], markers=(tied,))) == ["met", "unknown"]


def test_duplicate_primary_secondary_cancer_and_other_malignancy():
    twice = (primary("a", "NSCLC"), primary("b", "NSCLC"), f.Cancer("Condition/m", "secondary", onset=date(2025, 6, 1)))
    apart = (primary("a", "NSCLC"), primary("b", "IDC"), f.Cancer("Condition/m", "secondary", onset=date(2025, 6, 1)))
    node = c.Metastasis(extent="metastatic")
    assert [verdicts(node, patient(cancers=x)) for x in (twice, apart)] == [["met", "met"], ["unknown", "unknown"]]
    # the duplicate is never "another malignancy": to be confirmed, not an exclusion
    other = c.Not(c.Condition(keys=("other_malignancy",)))
    assert [(o.verdict.label, [(m.item, m.kind) for m in o.missing])
            for o in (outcome(other, patient(cancers=twice[:2]), focus=twice[0]),)] == [
        ("unknown", [("other_malignancy", "to_confirm")])]


def test_john_anyperson_with_a_duplicate_primary_matches_as_with_one():
    data = json.loads((ROOT / "tests/data/bundles/golden/ig_john_anyperson.facts.json").read_text(encoding="utf-8"))
    facts = facts_from_json(data["facts"])
    nsclc = facts.cancers[0]
    assert (nsclc.role, nsclc.cancer_type) == ("primary", "NSCLC")
    loose = dataclasses.replace(
        facts, variants=tuple(dataclasses.replace(v, cancer_ref=None) for v in facts.variants),
        genes_tested=tuple(dataclasses.replace(g, cancer_ref=None) for g in facts.genes_tested),
        stages=tuple(dataclasses.replace(s, cancer_ref=None) for s in facts.stages))
    twice = dataclasses.replace(loose, cancers=loose.cancers + (dataclasses.replace(nsclc, evidence="Condition/dup"),))
    trials = compiled(
        trial("T-STK11", c.All((c.CancerType(("NSCLC",)), c.Variant("STK11")))),
        trial("T-EGFR", c.All((c.CancerType(("NSCLC",)), c.Variant("EGFR", protein_change="L858R")))),
        trial("T-KRAS", c.All((c.CancerType(("NSCLC",)), c.Not(c.Variant("BRCA1"))))),
        trial("T-STAGE", c.All((c.CancerType(("NSCLC",)), c.Stage(("III",))))),
    )
    index = TrialIndex(trials, VOCAB)

    def classes(x):
        return [(r.trial_id, r.result_class) for r in match_patient(x, index, as_of=AS_OF).results]
    # STK11 reported: eligible; EGFR not tested: possible;
    # BRCA1 variant reported: excluded; stage IIIC then brain metastases: not stage III now
    assert classes(twice) == classes(loose) == [
        ("T-STK11", "eligible"), ("T-EGFR", "possible"), ("T-KRAS", "ineligible"), ("T-STAGE", "ineligible")]
    assert [(r.trial_id, r.result_class) for r in classify_patient(twice, index, as_of=AS_OF)] == classes(twice)
