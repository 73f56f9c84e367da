"""Each evidence rule of DESIGN.md with a case on each side of it."""

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from tests.unit.matching.helpers import BREAST, LUNG, SNOMED_BRAIN, SNOMED_HIV, outcome, patient


def view(out):
    """(verdict, reason, missing) of an outcome, for whole-value comparisons."""
    return out.verdict.label, out.reason, [(m.item, m.kind) for m in out.missing]


def ecog(value, when, scale="ECOG", grades=()):
    return f.PerformanceStatus(f"Observation/ps-{value}-{when}", scale, value, grades, when)


# --- freshness ------------------------------------------------------------------------
def test_ecog_fresh_decides_stale_is_unknown_with_old_value():
    node = c.PerformanceStatus(max=1)
    assert [view(outcome(node, patient(performance=(ecog(1, d),)))) for d in (date(2026, 10, 2), date(2026, 7, 1))] == [
        ("met", "ECOG 1 (2026-10-02) meets ≤ 1", []),
        ("unknown", "ECOG 1 (2026-07-01) older than 90 days", [("ECOG performance status", "missing")]),
    ]
    # the latest result is read, never an older one that suits better
    both = patient(performance=(ecog(0, date(2026, 9, 1)), ecog(2, date(2026, 11, 1))))
    assert view(outcome(node, both))[0] == "not_met"


def test_lab_window_default_28_days_and_criterion_override():
    lab = f.Lab("Observation/anc", "751-8", "ANC", value=2.0, unit="10*9/L", date=date(2026, 11, 6))
    p = patient(labs=(lab,))
    assert [view(outcome(n, p))[0] for n in (
        c.Lab("ANC", ">=", value=1.5, unit="10*9/L"),
        c.Lab("ANC", ">=", value=1.5, unit="10*9/L", within_days=14),
    )] == ["met", "unknown"]


# --- disease extent ---------------------------------------------------------------------
def test_metastatic_from_m1_and_from_a_later_secondary_cancer():
    m1 = f.Stage("Observation/s1", group="IV", m="M1", date=date(2024, 3, 10))
    m0 = f.Stage("Observation/s0", group="IIA", t="T2", n="N0", m="M0", date=date(2026, 9, 10))
    liver = f.Cancer("Condition/met-liver", "secondary", onset=date(2026, 10, 1))
    node = c.Metastasis(extent="metastatic")
    assert [view(outcome(node, p)) for p in (
        patient(stages=(m1,)),
        patient(stages=(m0,)),
        patient(stages=(m0,), cancers=(BREAST, liver)),
    )] == [
        ("met", "metastatic: M1 (2024-03-10)", []),
        ("not_met", "M0 (2026-09-10), no later metastasis recorded", []),
        ("met", "metastatic: secondary cancer (2026-10-01)", []),
    ]


def test_negative_extent_evidence_goes_stale_positive_never_does():
    """M0 / stage 0-III count as 'not metastatic' for 90 days (freshness.yaml
    extent_negative); older, the extent is UNKNOWN with the old staging shown. M1 and
    secondary cancers never expire."""
    node = c.Metastasis(extent="metastatic")

    def m0(when, group="IIA"):
        return f.Stage("Observation/s0", group=group, m="M0", date=when)
    fresh, edge, stale = date(2026, 9, 1), date(2026, 8, 28), date(2026, 8, 27)  # as of 2026-11-26: 86, 90, 91 days
    assert [view(outcome(node, patient(stages=(m0(d),)))) for d in (fresh, edge, stale)] == [
        ("not_met", "M0 (2026-09-01), no later metastasis recorded", []),
        ("not_met", "M0 (2026-08-28), no later metastasis recorded", []),
        ("unknown", "M0 (2026-08-27) older than 90 days, no later staging", [("current disease extent", "missing")]),
    ]
    old_stage = outcome(node, patient(stages=(f.Stage("Observation/st", group="IIIA", date=date(2024, 1, 5)),)))
    assert (view(old_stage), [(e.reference, e.value, e.date) for e in old_stage.evidence]) == (
        ("unknown", "stage IIIA (2024-01-05) older than 90 days, no later staging", [("current disease extent", "missing")]),
        [("Observation/st", "stage IIIA", "2024-01-05")])
    undated = patient(stages=(f.Stage("Observation/st", group="I", m="M0"),))
    assert view(outcome(node, undated))[0] == "unknown"
    # as an exclusion ("no metastatic disease"), stale negative evidence is UNKNOWN too, never MET
    assert view(outcome(c.Not(node), patient(stages=(m0(stale),))))[0] == "unknown"
    assert view(outcome(c.Not(node), patient(stages=(m0(fresh),))))[0] == "met"
    # positive evidence years old still decides
    m1 = f.Stage("Observation/s1", group="IV", m="M1", date=date(2019, 3, 10))
    liver = f.Cancer("Condition/met-liver", "secondary", onset=date(2020, 6, 1))
    assert [view(outcome(node, p))[0] for p in (patient(stages=(m1,)), patient(cancers=(BREAST, liver)))] == ["met", "met"]
    # a Stage criterion asking for stage IV: an old lower stage no longer rules it out
    old = patient(stages=(m0(stale, "IIIB"),))
    assert [view(outcome(n, old)) for n in (c.Stage(("IV",)), c.Stage(("III", "IVA")), c.Stage(("II",)))] == [
        ("unknown", "stage IIIB (2026-08-27) older than 90 days, no later staging", [("current stage", "missing")]),
        ("met", "stage IIIB (2026-08-27) in III/IVA", []),
        ("not_met", "stage IIIB (2026-08-27) not in II", []),
    ]
    assert view(outcome(c.Stage(("IV",)), patient(stages=(m0(fresh, "IIIB"),))))[0] == "not_met"


def test_stage_at_diagnosis_never_contradicts_later_metastasis():
    m0 = f.Stage("Observation/s0", group="IIA", m="M0", date=date(2024, 3, 10))
    liver = f.Cancer("Condition/met-liver", "secondary", onset=date(2025, 6, 1))
    p = patient(stages=(m0,), cancers=(BREAST, liver))
    assert [view(outcome(n, p))[0] for n in (c.Stage(("IV",)), c.Stage(("II", "III")), c.Metastasis(extent="advanced"))] == [
        "met", "not_met", "met"]
    # without the metastasis, the stage itself decides (prefix rule: "I" is not "II")
    p2 = patient(stages=(m0,))
    assert [view(outcome(n, p2))[0] for n in (c.Stage(("II",)), c.Stage(("I",)), c.Stage(("IIB",)))] == [
        "met", "not_met", "not_met"]


def test_progression_after_last_staging_leaves_extent_unknown():
    m0 = f.Stage("Observation/s0", group="IIA", m="M0", date=date(2024, 3, 10))
    worse = f.ObservedStatus("Observation/ds", "worsening", date=date(2026, 1, 5))
    assert view(outcome(c.Metastasis(extent="metastatic"), patient(stages=(m0,), disease_status=(worse,)))) == (
        "unknown", "worsening after the last staging", [("current disease extent", "missing")])


def test_stage_iv_without_m_is_metastatic_only_where_iv_means_m1():
    hn = f.Cancer("Condition/hn", "primary", cancer_type="HNSC")
    iv = f.Stage("Observation/s", group="IVA", cancer_ref="Condition/hn")
    node = c.Metastasis(extent="metastatic")
    assert [view(outcome(node, p))[0] for p in (
        patient(cancers=(BREAST,), stages=(f.Stage("Observation/b", group="IV"),)),
        patient(cancers=(hn,), stages=(iv,)),
    )] == ["met", "unknown"]


# --- genomics -----------------------------------------------------------------------------
def test_required_variant_absent_from_tested_gene_vs_untested_gene():
    node = c.Variant("EGFR", protein_change="L858R")
    tested = f.GeneTested("Observation/panel", "EGFR", wild_type=True)
    found = f.Variant("Observation/v", "EGFR", hgvs_p="p.Leu858Arg", source_class="somatic")
    other = f.Variant("Observation/v2", "EGFR", protein_change="T790M", source_class="somatic")
    assert [view(outcome(node, patient(**kw)))[0] for kw in (
        {"variants": (found,)}, {"genes_tested": (tested,)}, {"variants": (other,)}, {},
    )] == ["met", "not_met", "not_met", "unknown"]
    assert view(outcome(node, patient()))[2] == [("EGFR testing", "missing")]
    # a variant reported in c. notation only is not read as "not L858R"
    c_only = f.Variant("Observation/c", "EGFR", hgvs_c="c.2573T>G", source_class="somatic")
    assert view(outcome(node, patient(variants=(c_only,), genes_tested=(tested,))))[0] == "unknown"
    # G12 prefix: G12C yes, G13D and G123 no
    prefix = c.Variant("KRAS", protein_prefix="G12")
    assert [view(outcome(prefix, patient(variants=(f.Variant("Observation/k", "KRAS", protein_change=pc),))))[0]
            for pc in ("G12C", "G13D", "G123S")] == ["met", "not_met", "not_met"]


def test_germline_and_somatic_kept_apart_unless_any():
    germ = f.Variant("Observation/g", "BRCA2", category="deletion", source_class="germline",
                     interpretation="pathogenic")
    p = patient(variants=(germ,))
    assert [view(outcome(c.Variant("BRCA2", source=s), p))[0] for s in ("germline", "any", "somatic")] == [
        "met", "met", "not_met"]
    unstated = patient(variants=(f.Variant("Observation/u", "BRCA2"),))
    assert view(outcome(c.Variant("BRCA2", source="germline"), unstated))[0] == "unknown"


def test_wild_type_needs_testing():
    node = c.Variant("KRAS", wild_type=True)
    assert [view(outcome(node, patient(**kw)))[0] for kw in (
        {"genes_tested": (f.GeneTested("Observation/p", "KRAS", wild_type=True),)},
        {"variants": (f.Variant("Observation/v", "KRAS", protein_change="G12C", source_class="somatic"),)},
        {},
    )] == ["met", "not_met", "unknown"]


# --- biomarkers -------------------------------------------------------------------------------
def her2(**kw):
    return f.TumorMarker(f"Observation/her2-{kw.get('scale')}-{kw.get('value')}", "HER2", **kw)


def test_her2_low_needs_an_ihc_score():
    node = c.Biomarker("HER2", status=("low",))
    cases = [
        (her2(scale="IHC", value=1, date=date(2024, 3, 5)),),
        (her2(scale="IHC", value=2, date=date(2024, 3, 5)), her2(scale="ISH", status="negative", date=date(2024, 3, 9))),
        (her2(scale="IHC", value=2, date=date(2024, 3, 5)),),
        (her2(scale="IHC", value=0, date=date(2024, 3, 5)),),
        (her2(status="negative", date=date(2024, 3, 5)),),
        (her2(status="positive", date=date(2024, 3, 5)),),
    ]
    assert [view(outcome(node, patient(markers=m))) for m in cases] == [
        ("met", "HER2 IHC 1+ (2024-03-05): HER2-low", []),
        ("met", "HER2 IHC 2+, ISH negative: HER2-low", []),
        ("unknown", "HER2 IHC 2+ (2024-03-05) without ISH", [("HER2 ISH", "missing")]),
        ("not_met", "HER2 IHC 0 (2024-03-05): not HER2-low", []),
        ("unknown", "HER2-low needs an IHC score", [("HER2 IHC score", "missing")]),
        ("not_met", "HER2 positive (2024-03-05): not HER2-low", []),
    ]


def test_her2_status_from_ihc_and_ish_precedence():
    node = c.Biomarker("HER2", status=("positive",))
    equivocal_then_ish = (her2(scale="IHC", value=2, date=date(2024, 3, 5)),
                          her2(scale="ISH", status="positive", date=date(2024, 3, 5)))
    assert [view(outcome(node, patient(markers=m)))[0] for m in (
        (her2(scale="IHC", value=3, date=date(2024, 3, 5)),),
        equivocal_then_ish,
        (her2(scale="IHC", value=2, date=date(2024, 3, 5)),),
        (her2(scale="IHC", value=1, date=date(2024, 3, 5)),),
    )] == ["met", "met", "unknown", "not_met"]
    # HER2-low is HER2-negative
    assert view(outcome(c.Biomarker("HER2", status=("negative",)), patient(markers=(her2(scale="IHC", value=1),))))[0] == "met"


def test_her2_negative_or_low_status_rules_out_ihc_3():
    """ASCO/CAP: IHC 3+ is HER2-positive by definition (biomarkers.yaml status_excludes_values)."""
    ihc3 = c.Biomarker("HER2", comparator="==", value=3, scale="IHC")
    cases = [
        (her2(status="negative", date=date(2018, 3, 10)),),
        (her2(status="low", date=date(2024, 3, 5)),),
        (her2(status="positive", date=date(2024, 3, 5)),),
        (her2(status="equivocal", date=date(2024, 3, 5)),),
        (her2(status="positive", date=date(2024, 3, 5)), her2(status="negative", date=date(2024, 3, 5))),
        (her2(status="negative", date=date(2024, 3, 5)), her2(scale="IHC", value=3, date=date(2023, 1, 5))),
    ]
    assert [view(outcome(ihc3, patient(markers=m))) for m in cases] == [
        ("not_met", "HER2 negative (2018-03-10): not HER2 IHC = 3 (biomarkers.yaml status_excludes_values)", []),
        ("not_met", "HER2 low (2024-03-05): not HER2 IHC = 3 (biomarkers.yaml status_excludes_values)", []),
        ("unknown", "no HER2 value", [("HER2 IHC", "missing")]),
        ("unknown", "no HER2 value", [("HER2 IHC", "missing")]),
        ("unknown", "no HER2 value", [("HER2 IHC", "missing")]),
        ("met", "HER2 IHC 3 (2023-01-05) meets HER2 IHC = 3", []),
    ]
    negative = patient(markers=cases[0])
    assert [view(outcome(n, negative))[0] for n in (
        c.Biomarker("HER2", comparator=">=", value=3, scale="IHC"),
        c.Biomarker("HER2", comparator=">=", value=2, scale="IHC"),   # 2+ is not ruled out by "negative"
        c.Biomarker("HER2", comparator="==", value=3),                # no scale: nothing to compare
    )] == ["not_met", "unknown", "unknown"]


def test_pdl1_tps_and_cps_not_interchangeable():
    tps = f.TumorMarker("Observation/tps", "PDL1", value=60, scale="TPS", unit="%")
    cps = f.TumorMarker("Observation/cps", "PDL1", value=60, scale="CPS")
    node = c.Biomarker("PDL1", comparator=">=", value=50, scale="TPS")
    assert [view(outcome(node, patient(markers=m))) for m in ((tps,), (cps,))] == [
        ("met", "PDL1 TPS 60 % (undated) meets PDL1 TPS ≥ 50", []),
        ("unknown", "PDL1 reported on CPS, not comparable", [("PDL1 TPS", "missing")]),
    ]


def test_msi_and_mmr_count_as_one_only_where_the_criterion_says_so():
    dmmr = patient(markers=(f.TumorMarker("Observation/mmr", "MMR", status="deficient"),))
    assert [view(outcome(n, dmmr))[0] for n in (
        c.Biomarker("MSI", status=("high",)),
        c.Any((c.Biomarker("MSI", status=("high",)), c.Biomarker("MMR", status=("deficient",)))),
    )] == ["unknown", "met"]


def test_two_cancers_keep_their_markers_apart():
    her2_breast = f.TumorMarker("Observation/her2", "HER2", status="positive", cancer_ref="Condition/breast")
    pdl1_lung = f.TumorMarker("Observation/pdl1", "PDL1", value=80, scale="TPS", cancer_ref="Condition/lung")
    unattributed = f.TumorMarker("Observation/er", "ER", status="positive")
    p = patient(cancers=(BREAST, LUNG), markers=(her2_breast, pdl1_lung, unattributed))
    her2_pos = c.Biomarker("HER2", status=("positive",))
    tps50 = c.Biomarker("PDL1", comparator=">=", value=50, scale="TPS")
    er_pos = c.Biomarker("ER", status=("positive",))
    assert [view(outcome(n, p, focus=BREAST))[0] for n in (her2_pos, tps50, er_pos)] == ["met", "unknown", "unknown"]
    assert [view(outcome(n, p, focus=LUNG))[0] for n in (her2_pos, tps50, er_pos)] == ["unknown", "met", "unknown"]
    # with one primary cancer, an unattributed result is that cancer's
    assert view(outcome(er_pos, patient(markers=(unattributed,))))[0] == "met"


# --- units and ULN ------------------------------------------------------------------------------
def test_creatinine_umol_per_l_threshold_against_mg_per_dl_result():
    lab = f.Lab("Observation/cr", "2160-0", "CREAT", value=1.6, unit="mg/dL", date=date(2026, 11, 20))
    p = patient(labs=(lab,))
    assert [view(outcome(c.Lab("CREAT", "<=", value=v, unit="umol/L"), p))[0] for v in (150, 133)] == ["met", "not_met"]
    assert view(outcome(c.Lab("CREAT", "<=", value=1.5, unit="mg/dL"), p))[1] == \
        "CREAT 1.6 mg/dL (2026-11-20) > 1.5 mg/dL"
    assert view(outcome(c.Lab("CREAT", "<=", value=1.5, unit="furlongs"), p)) == (
        "unknown", "threshold unit furlongs cannot be converted to mg/dL", [("CREAT ≤ 1.5 furlongs (criterion unit)", "missing")])


def test_uln_uses_the_reference_range_else_unknown():
    node = c.Lab("AST", "<=", uln_multiple=2.5)
    with_ref = f.Lab("Observation/ast", "1920-8", "AST", value=90, unit="U/L", ref_high=40, date=date(2026, 11, 20))
    no_ref = f.Lab("Observation/ast", "1920-8", "AST", value=90, unit="U/L", date=date(2026, 11, 20))
    assert [view(outcome(node, patient(labs=(x,)))) for x in (with_ref, no_ref)] == [
        ("met", "AST 90 U/L (2026-11-20) = 2.25 × ULN (40) ≤ 2.5", []),
        ("unknown", "AST 90 U/L (2026-11-20) has no reference range", [("AST upper limit of normal", "missing")]),
    ]


# --- performance status -------------------------------------------------------------------------
def test_karnofsky_mapping_to_two_ecog_grades_is_unknown_where_they_disagree():
    kps70 = patient(performance=(ecog(70, date(2026, 11, 1), "Karnofsky", (1, 2)),))
    kps80 = patient(performance=(ecog(80, date(2026, 11, 1), "Karnofsky"),))
    assert [view(outcome(n, kps70))[0] for n in (c.PerformanceStatus(max=1), c.PerformanceStatus(max=2))] == [
        "unknown", "met"]
    assert view(outcome(c.PerformanceStatus(max=1), kps80))[0] == "met"
    ecog1 = patient(performance=(ecog(1, date(2026, 11, 1)),))
    assert [view(outcome(c.PerformanceStatus(min=k, scale="Karnofsky"), ecog1))[0] for k in (70, 80)] == ["met", "unknown"]


# --- not applicable, to_confirm -----------------------------------------------------------------
def test_pregnancy_not_applicable_for_male_and_to_confirm_otherwise():
    node = c.Not(c.Pregnancy())
    test = f.ObservedStatus("Observation/preg", "not pregnant", date=date(2026, 11, 20))
    old = f.ObservedStatus("Observation/preg", "not pregnant", date=date(2026, 10, 1))
    assert [view(outcome(node, p)) for p in (
        patient(sex="male"), patient(pregnancy=(test,)), patient(pregnancy=(old,)), patient(),
    )] == [
        ("met", "not applicable: male patient", []),
        ("met", "not pregnant (2026-11-20)", []),
        ("unknown", "not pregnant (2026-10-01) older than 14 days", [("pregnancy status", "to_confirm")]),
        ("unknown", "no pregnancy status recorded", [("pregnancy status", "to_confirm")]),
    ]


def test_exclusion_without_record_is_to_confirm_inclusion_is_missing():
    hiv = f.Condition("Condition/hiv", codes=(SNOMED_HIV,), clinical_status="active")
    resolved = f.Condition("Condition/hiv", codes=(SNOMED_HIV,), clinical_status="resolved")
    exclusion = c.Not(c.Condition(keys=("hiv",)))
    assert [view(outcome(exclusion, p)) for p in (patient(), patient(conditions=(hiv,)), patient(conditions=(resolved,)))] == [
        ("unknown", "no hiv recorded", [("hiv", "to_confirm")]),
        ("not_met", "excluded: hiv recorded, active", []),
        # HIV is lifelong (conditions.yaml settled_by: []): a "resolved" record is to confirm, never cleared
        ("unknown", "hiv recorded as resolved; no status shows it gone (lifelong)", [("hiv", "to_confirm")]),
    ]
    assert view(outcome(c.Condition(keys=("hiv",)), patient()))[2] == [("hiv", "missing")]


def test_brain_metastases_exclusion():
    brain = f.Cancer("Condition/met-brain", "secondary", body_site=(SNOMED_BRAIN,), clinical_status="active")
    node = c.Not(c.Metastasis(site="brain", qualifier="active"))
    assert [view(outcome(node, p))[2] for p in (patient(), patient(cancers=(BREAST, brain)))] == [
        [("brain metastases", "to_confirm")], [("brain metastases: active?", "to_confirm")]]
    assert view(outcome(c.Not(c.Metastasis(site="cns")), patient(cancers=(BREAST, brain))))[0] == "not_met"


def test_other_malignancy_is_read_from_the_other_cancers():
    node = c.Not(c.Condition(keys=("other_malignancy",)))
    lung_active = f.Cancer("Condition/lung", "primary", cancer_type="LUAD", clinical_status="active")
    lung_remission = f.Cancer("Condition/lung", "primary", cancer_type="LUAD", clinical_status="remission")
    second_breast = f.Cancer("Condition/breast2", "primary", cancer_type="BREAST", clinical_status="active")
    assert [view(outcome(node, p, focus=BREAST)) for p in (
        patient(), patient(cancers=(BREAST, lung_active)), patient(cancers=(BREAST, lung_remission)),
        patient(cancers=(BREAST, second_breast)),
    )] == [
        ("unknown", "no other_malignancy recorded", [("other_malignancy", "to_confirm")]),
        ("not_met", "excluded: other malignancy LUAD recorded, active", []),
        # a cancer in remission says nothing of another: read as no record (other_malignancy is a group)
        ("unknown", "other malignancy LUAD recorded as remission; another malignancy is not ruled out",
         [("other_malignancy", "to_confirm")]),
        ("unknown", "another primary cancer of the same or an unknown type recorded", [("other_malignancy", "to_confirm")]),
    ]


def test_unparsed_is_unknown_missing_or_to_confirm():
    assert [view(outcome(n, patient())) for n in (c.Unparsed("Adequate organ function"),
                                                  c.Unparsed("Signed informed consent", non_clinical=True))] == [
        ("unknown", "criterion not understood", [("Adequate organ function", "missing")]),
        ("unknown", "to be confirmed by the clinician", [("Signed informed consent", "to_confirm")]),
    ]


# --- cancer type hierarchy ------------------------------------------------------------------------
def test_cancer_type_hierarchy_and_coarse_or_unknown_codes():
    node = c.CancerType(("IDC",))
    cases = [f.Cancer("Condition/c", "primary", cancer_type=t) for t in ("IDC", "BREAST", "LUAD", None)]
    assert [view(outcome(node, patient(cancers=(x,)))) for x in cases] == [
        ("met", "IDC is Breast Invasive Ductal Carcinoma", []),
        ("unknown", "cancer type not specific enough for Breast Invasive Ductal Carcinoma", [("cancer type (subtype)", "missing")]),
        ("not_met", "LUAD is not Breast Invasive Ductal Carcinoma", []),
        ("unknown", "cancer code not recognised as a cancer type; criterion Breast Invasive Ductal Carcinoma",
         [("cancer type (code not recognised)", "missing")]),
    ]
    assert view(outcome(c.CancerType(("_SOLID_",)), patient()))[0] == "met"
    assert view(outcome(c.CancerType(("NSCLC",)), patient(cancers=()), focus=None))[2] == [("cancer diagnosis", "missing")]


def test_advanced_and_locally_advanced_extents():
    def stage(group, m=None):
        return f.Stage("Observation/st", group=group, m=m, date=when)
    kinds = ("advanced", "locally_advanced", "metastatic")
    when = date(2026, 10, 1)
    rows = {g: [view(outcome(c.Metastasis(extent=k), patient(stages=(stage(g, m),))))[0] for k in kinds]
            for g, m in (("IIIB", "M0"), ("IIA", None), ("IA", "M0"), ("IV", "M1"))}
    assert rows == {
        "IIIB": ["met", "met", "not_met"],
        "IIA": ["unknown", "unknown", "not_met"],
        "IA": ["not_met", "not_met", "not_met"],
        "IV": ["met", "not_met", "met"],
    }
    when = date(2025, 2, 1)  # older than the 90-day window: only positive evidence still decides
    rows = {g: [view(outcome(c.Metastasis(extent=k), patient(stages=(stage(g, m),))))[0] for k in kinds]
            for g, m in (("IIIB", "M0"), ("IIA", None), ("IA", "M0"), ("IV", "M1"))}
    assert rows == {
        "IIIB": ["met", "met", "unknown"],
        "IIA": ["unknown", "unknown", "unknown"],
        "IA": ["unknown", "unknown", "unknown"],
        "IV": ["met", "not_met", "met"],
    }
    recurrent = f.Cancer("Condition/breast", "primary", cancer_type="IDC", clinical_status="recurrence")
    assert [view(outcome(c.Metastasis(extent="recurrent"), patient(cancers=(x,))))[0] for x in (recurrent, BREAST)] == [
        "met", "unknown"]
    assert view(outcome(c.Metastasis(extent="unresectable"), patient()))[2] == [("resectability", "to_confirm")]


def test_a_coarser_recorded_stage_leaves_a_finer_criterion_unknown():
    def staged(group):
        return patient(stages=(f.Stage("Observation/st", group=group, date=date(2026, 11, 1)),))
    # "III" recorded, "IIIB-IV" asked: IIIA would fail, IIIB pass; the record does not say which
    assert view(outcome(c.Stage(("IIIB", "IIIC", "IV")), staged("III"))) == (
        "unknown", "stage III (2026-11-01); substage needed for IIIB/IIIC/IV", [("stage substage", "missing")])
    assert view(outcome(c.Stage(("IA2", "IB")), staged("IA")))[0] == "unknown"
    # a recorded substage outside the criterion still decides
    assert [view(outcome(c.Stage(("IIIB", "IV")), staged(g)))[0] for g in ("IIIA", "II", "IIIB1")] == [
        "not_met", "not_met", "met"]
