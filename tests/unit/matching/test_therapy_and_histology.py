"""PriorTherapy, Procedure and Histology atoms."""

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from tests.unit.matching.helpers import LUNG, VOCAB, outcome, patient
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
        c.PriorTherapy(classes=("anti_pd1",), within_days=28),
    )] == ["met", "met", "unknown", "unknown", "met", "met", "met"]  # ended 16 days before the as-of date
    assert view(outcome(c.Not(c.PriorTherapy(classes=("anti_pd1",), within_days=28)), p)) == (
        "unknown", "pembrolizumab on 2026-11-10; eligible after a 28-day washout (from 2026-12-09)",
        [("prior anti-pd1 within 28 days", "to_confirm")])
    old = patient(medications=(med("pembrolizumab", date(2025, 1, 1), date(2025, 6, 1)),))
    assert view(outcome(c.Not(c.PriorTherapy(classes=("anti_pd1",), within_days=28)), old)) == (
        "met", "last anti-pd1 more than 28 days ago", [])
    ongoing = patient(medications=(med("carboplatin", date(2026, 9, 1), status="active"),))
    assert view(outcome(c.PriorTherapy(classes=("platinum",), within_days=28), ongoing))[1] == "carboplatin ongoing"
    planned = patient(medications=(med("carboplatin", date(2026, 12, 1), status="intended"),))
    assert view(outcome(c.Not(c.PriorTherapy(classes=("platinum",))), planned)) == (
        "unknown", "no platinum recorded", [("prior platinum", "to_confirm")])


def test_washout_against_therapy_under_way_is_to_confirm_never_an_exclusion():
    gefitinib = patient(medications=(med("gefitinib", date(2026, 10, 1), status="active"),))
    washout = c.Not(c.PriorTherapy(within_days=21))
    assert view(outcome(washout, gefitinib)) == (
        "unknown", "on gefitinib now; eligible after a 21-day washout if it is stopped",
        [("prior systemic therapy within 21 days", "to_confirm")])
    assert view(outcome(c.PriorTherapy(classes=("egfr_tki",), within_days=21), gefitinib))[0] == "met"
    # prior exposure (no window) is not a washout: the exclusion stays NOT_MET
    assert view(outcome(c.Not(c.PriorTherapy(classes=("egfr_tki",))), gefitinib))[0] == "not_met"
    stopped = patient(medications=(med("gefitinib", date(2026, 1, 1), date(2026, 10, 1)),))
    assert view(outcome(washout, stopped)) == ("met", "last systemic therapy more than 21 days ago", [])


def test_old_active_order_is_not_current_therapy():
    """An AC-T order left 'active' since 2018 whose doses were all given in 2018 (the mCODE IG's
    Jenny M) does not show chemotherapy today: timing to confirm, never MET, never NOT_MET."""
    stale = patient(medications=(
        med("doxorubicin", date(2018, 4, 12), status="active"),
        med("doxorubicin", date(2018, 4, 22), date(2018, 4, 22), ref="MedicationAdministration/a"),
    ))
    for node in (c.PriorTherapy(classes=("chemotherapy",), within_days=28),
                 c.Not(c.PriorTherapy(classes=("chemotherapy",), within_days=28))):
        assert view(outcome(node, stale)) == (
            "unknown", "doxorubicin order still 'active' but nothing recorded since 2018-04-22: "
            "whether it is given now is to confirm", [("prior chemotherapy within 28 days", "to_confirm")])
    # a recent administration of the same drug keeps an old order current
    renewed = patient(medications=(
        med("paclitaxel", date(2025, 1, 1), status="active"),
        med("paclitaxel", date(2026, 9, 30), date(2026, 9, 30), ref="MedicationAdministration/p"),
    ))
    assert view(outcome(c.PriorTherapy(classes=("taxane",), within_days=28), renewed)) == (
        "met", "paclitaxel ongoing", [])
    # adjuvant endocrine therapy runs 5-10 years (therapy.yaml ongoing_order_days_by_class)
    adjuvant = patient(medications=(med("anastrozole", date(2018, 9, 30), status="active"),))
    assert view(outcome(c.PriorTherapy(classes=("aromatase_inhibitor",), within_days=28), adjuvant)) == (
        "met", "anastrozole ongoing", [])
    too_old = patient(medications=(med("anastrozole", date(2015, 1, 1), status="active"),))
    assert view(outcome(c.PriorTherapy(classes=("aromatase_inhibitor",), within_days=28), too_old))[0] == "unknown"
    undated = patient(medications=(med("anastrozole", None, status="active"),))
    assert view(outcome(c.PriorTherapy(classes=("aromatase_inhibitor",), within_days=28), undated))[0] == "unknown"
    # without a window the old order still shows prior exposure
    assert view(outcome(c.PriorTherapy(classes=("anthracycline",)), stale))[0] == "met"


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
    # radiation 16 days ago: in an exclusion the 21-day window is a washout still running (the patient
    # can wait), never a permanent "ineligible"; the 14-day one is over
    assert [view(outcome(n, p))[0] for n in (
        c.Not(c.Procedure("radiation", within_days=21)), c.Not(c.Procedure("radiation", within_days=14)),
        c.Not(c.Procedure("surgery", within_days=28)),
    )] == ["unknown", "met", "unknown"]
    assert view(outcome(c.Not(c.Procedure("radiation", within_days=21)), p)) == (
        "unknown", "radiation on 2026-11-10; eligible after a 21-day washout (from 2026-12-02)",
        [("prior radiation within 21 days", "to_confirm")])
    # an inclusion asking for recent radiation is met, and one asking for none in the window is not
    assert view(outcome(c.Procedure("radiation", within_days=21), p)) == ("met", "radiation within 21 days", [])
    assert view(outcome(c.Procedure("radiation", within_days=14), p))[0] == "not_met"
    # two courses in the window: the wait runs from the latest; a plain surgery window likewise
    older = f.Procedure("Procedure/rt0", "radiation", date=date(2026, 11, 1))
    assert view(outcome(c.Not(c.Procedure("radiation", within_days=28)), patient(procedures=(rt, older))))[1] == (
        "radiation on 2026-11-10; eligible after a 28-day washout (from 2026-12-09)")
    port = f.Procedure("Procedure/port", "surgery", (f.Coding(f.SNOMED, "1", "Port placement"),), date=date(2026, 11, 20))
    assert view(outcome(c.Not(c.Procedure("surgery", within_days=14)), patient(procedures=(port,)))) == (
        "unknown", "Port placement on 2026-11-20; eligible after a 14-day washout (from 2026-12-05)",
        [("prior surgery within 14 days", "to_confirm")])
    # under two Not (an exclusion of an exclusion) the atom is an inclusion again: met, so the root is not met
    assert view(outcome(c.Not(c.Not(c.Procedure("radiation", within_days=21))), p))[0] == "met"


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


def _cancer(ctype, *histology):
    return f.Cancer("Condition/c", "primary", cancer_type=ctype, histology=tuple(histology))


IDC_SNOMED = f.Coding(f.SNOMED, "82711006", "Infiltrating duct carcinoma")
ADENO_SNOMED = f.Coding(f.SNOMED, "1187332001", "Adenocarcinoma")


def test_recorded_histology_narrows_a_broad_cancer_code():
    """histology.yaml `refines`: BREAST + infiltrating duct carcinoma is IDC (the mCODE IG's
    Jenny M), NSCLC + adenocarcinoma is LUAD (John Anyperson); a histology giving two readings,
    none, or one the data does not list keeps the coded type (subtype criteria UNKNOWN)."""
    idc, ilc, lusc, luad = (c.CancerType(codes=(x,)) for x in ("IDC", "ILC", "LUSC", "LUAD"))
    jenny = patient(cancers=(_cancer("BREAST", IDC_SNOMED),))
    assert view(outcome(idc, jenny)) == ("met", f"IDC (BREAST by histology) is {VOCAB.oncotree.name('IDC')}", [])
    assert view(outcome(ilc, jenny))[0] == "not_met"
    john = patient(cancers=(_cancer("NSCLC", ADENO_SNOMED),))
    assert [view(outcome(n, john))[0] for n in (luad, c.Not(lusc), c.Histology(keys=("adenocarcinoma",)))] == [
        "met", "met", "met"]
    unchanged = [
        _cancer("BREAST"),                                                   # no histology
        _cancer("BREAST", f.Coding(f.ICDO3, "8522/3", "Infiltrating duct and lobular carcinoma")),
        _cancer("BREAST", f.Coding(f.ICDO3, "8500/3"), f.Coding(f.ICDO3, "8520/3")),  # two readings
        _cancer("BREAST", ADENO_SNOMED),                                     # ductal or lobular: not listed
    ]
    assert [view(outcome(idc, patient(cancers=(x,))))[0] for x in unchanged] == ["unknown"] * 4
    lung_unchanged = [
        _cancer("NSCLC", ADENO_SNOMED, f.Coding(f.SNOMED, "28899001", "Squamous cell carcinoma")),  # adenosquamous
        _cancer("NSCLC", f.Coding(f.ICDO3, "8000/3", "Neoplasm, malignant")),
        _cancer("LUNG", f.Coding(f.ICDO3, "8240/3", "Carcinoid tumour")),    # a carcinoid is not an adenocarcinoma
    ]
    assert [view(outcome(c.Not(lusc), patient(cancers=(x,))))[0] for x in lung_unchanged] == ["unknown"] * 3
    assert view(outcome(c.Histology(keys=("adenocarcinoma",)), patient(cancers=(lung_unchanged[2],))))[0] == "unknown"
