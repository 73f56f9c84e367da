"""PriorTherapy, Procedure and Histology atoms."""

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from tests.unit.matching.helpers import LUNG, outcome, patient
from tests.unit.matching.test_evidence_rules import view


def med(ingredient, start, end=None, status="completed", ref="MedicationRequest/m"):
    return f.Medication(ref, ingredients=(ingredient,), status=status, start=start, end=end)


def test_prior_therapy_by_class_and_washout_window():
    pembro = med("pembrolizumab", date(2026, 6, 1), date(2026, 11, 10))
    p = patient(medications=(pembro,))
    assert [view(outcome(n, p))[0] for n in (
        c.PriorTherapy(classes=("anti_pd1",)),
        c.PriorTherapy(drugs=("pembrolizumab",)),
        c.PriorTherapy(classes=("platinum",)),
        c.Not(c.PriorTherapy(classes=("immune_checkpoint_inhibitor",), within_days=28)),
        c.Not(c.PriorTherapy(classes=("immune_checkpoint_inhibitor",), within_days=14)),
        c.PriorTherapy(),
    )] == ["met", "met", "unknown", "not_met", "met", "met"]  # ended 16 days before the as-of date
    old = patient(medications=(med("pembrolizumab", date(2025, 1, 1), date(2025, 6, 1)),))
    assert view(outcome(c.Not(c.PriorTherapy(classes=("anti_pd1",), within_days=28)), old)) == (
        "met", "last anti-pd1 more than 28 days ago", [])
    ongoing = patient(medications=(med("carboplatin", date(2025, 1, 1), status="active"),))
    assert view(outcome(c.PriorTherapy(classes=("platinum",), within_days=28), ongoing))[1] == "carboplatin ongoing"
    planned = patient(medications=(med("carboplatin", date(2026, 12, 1), status="intended"),))
    assert view(outcome(c.Not(c.PriorTherapy(classes=("platinum",))), planned)) == (
        "unknown", "no platinum recorded", [("prior platinum", "to_confirm")])


def test_prior_lines_are_not_reconstructed_beyond_what_records_show():
    p = patient(medications=(med("paclitaxel", date(2025, 1, 1), date(2025, 5, 1)),))
    naive = patient()
    assert [view(outcome(n, p))[0] for n in (
        c.PriorTherapy(min_lines=1), c.PriorTherapy(max_lines=0), c.PriorTherapy(min_lines=2), c.PriorTherapy(max_lines=2),
    )] == ["met", "not_met", "unknown", "unknown"]
    assert view(outcome(c.PriorTherapy(max_lines=0), naive))[2] == [("number of prior lines of therapy", "missing")]


def test_procedure_within_window():
    rt = f.Procedure("Procedure/rt", "radiation", date=date(2026, 11, 10))
    p = patient(procedures=(rt,))
    assert [view(outcome(n, p))[0] for n in (
        c.Not(c.Procedure("radiation", within_days=21)), c.Not(c.Procedure("radiation", within_days=14)),
        c.Not(c.Procedure("surgery", within_days=28)),
    )] == ["not_met", "met", "unknown"]


def test_histology_from_icdo3_snomed_and_oncotree():
    adeno_icd = f.Cancer("Condition/x", "primary", cancer_type="NSCLC",
                         histology=(f.Coding(f.ICDO3, "8140/3", "Adenocarcinoma, NOS"),))
    squamous_snomed = f.Cancer("Condition/y", "primary", cancer_type="NSCLC",
                               histology=(f.Coding(f.SNOMED, "28899001", "Squamous cell carcinoma"),))
    unknown_morph = f.Cancer("Condition/z", "primary", cancer_type="NSCLC",
                             histology=(f.Coding(f.ICDO3, "8000/3", "Neoplasm, malignant"),))
    node = c.Histology(keys=("adenocarcinoma",))
    assert [view(outcome(node, patient(cancers=(x,))))[0] for x in (adeno_icd, squamous_snomed, unknown_morph, LUNG)] == [
        "met", "not_met", "unknown", "met"]
