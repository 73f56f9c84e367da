"""Synthetic catalogues and patients for benchmarks and property tests (seeded, pure).

Atom mixes follow what oncology eligibility sections usually hold (shares per trial are
rough figures from reading ClinicalTrials.gov records, not measurements): a cancer type
almost always, age and ECOG most of the time, 3-6 labs, exclusions of HIV/hepatitis,
brain metastases, pregnancy and recent therapy, a biomarker or variant in about half,
text the parser did not understand in about half, arms in one trial in ten, measurable
disease in half and a life expectancy in a quarter (drawn last, so the draws before them are
those of earlier versions). Codes and keys are drawn from the vocabulary passed in. Patients
carry clinician-entered measurable-disease and life-expectancy facts in about 40 % each,
dated up to 120 days back (fresh and stale under the 60-day windows).
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f

COMMON_TYPES = ("BREAST", "IDC", "ILC", "NSCLC", "LUAD", "LUSC", "COADREAD", "PRAD", "MEL", "PAAD", "OVARY",
                "BLADDER", "HNSC", "STAD", "SCLC", "GBM", "AML", "CLL")
LABS = (("ANC", ">=", 1.5, "10*9/L"), ("ANC", ">=", 1500, "/uL"), ("PLT", ">=", 100, "10*9/L"),
        ("HGB", ">=", 9, "g/dL"), ("HGB", ">=", 90, "g/L"), ("CREAT", "<=", 1.5, "mg/dL"),
        ("CREAT", "<=", 133, "umol/L"), ("TBILI", "<=", 1.5, "mg/dL"), ("CRCL", ">=", 50, "mL/min"))
ULN_LABS = (("AST", 2.5), ("ALT", 2.5), ("TBILI", 1.5), ("AST", 5.0))
MARKERS = (("HER2", ("positive",)), ("HER2", ("low",)), ("HER2", ("negative",)), ("ER", ("positive",)),
           ("PR", ("positive",)), ("ER", ("negative",)), ("MSI", ("high",)), ("MMR", ("deficient",)))
VARIANTS = (("EGFR", "L858R", None), ("EGFR", None, "mutation"), ("KRAS", "G12C", None), ("BRAF", "V600E", None),
            ("ALK", None, "fusion"), ("ROS1", None, "fusion"), ("PIK3CA", None, "mutation"), ("ERBB2", None, "amplification"))
CLASSES = ("anti_pd1", "anti_pdl1", "platinum", "taxane", "cdk46_inhibitor", "anti_her2", "egfr_tki",
           "parp_inhibitor", "immune_checkpoint_inhibitor", "chemotherapy")
CONDITIONS = ("hiv", "hepatitis_b", "hepatitis_c", "autoimmune_disease", "interstitial_lung_disease",
              "heart_failure", "active_infection", "other_malignancy")
MEASURABLE_CRITERIA = ("RECIST 1.1", "RECIST 1.1", None, "RANO", "Lugano")
SITES = ("brain", "liver", "bone", "lung", "lymph_node")
UNPARSED = (("Life expectancy of at least 12 weeks", False), ("Signed informed consent", True),
            ("Able to swallow oral medication", True), ("Adequate organ function", False),
            ("Measurable disease per RECIST 1.1", False))


def _types(vocab, rng: random.Random, k: int) -> tuple[str, ...]:
    known = [t for t in COMMON_TYPES if t in vocab.oncotree]
    if rng.random() < 0.2:
        pool = sorted(vocab.oncotree.nodes) if hasattr(vocab.oncotree, "nodes") else known
        return tuple(rng.sample(pool, k))
    return tuple(rng.sample(known, k))


def synth_criteria(vocab, rng: random.Random) -> c.Node:
    items: list[c.Node] = []
    r = rng.random
    if r() < 0.9:
        codes = ("_SOLID_",) if r() < 0.08 else _types(vocab, rng, rng.choice((1, 1, 1, 2, 3)))
        items.append(c.CancerType(codes, role="any" if r() < 0.05 else "primary"))
    if r() < 0.95:
        items.append(c.Age(min=18, max=rng.choice((None, None, None, 75, 80))))
    if r() < 0.1:
        items.append(c.Sex(rng.choice(("female", "male"))))
    if r() < 0.8:
        items.append(c.PerformanceStatus(max=rng.choice((1, 1, 2))))
    for _ in range(rng.randint(2, 5)):
        a, cmp, v, u = rng.choice(LABS)
        items.append(c.Lab(a, cmp, value=v, unit=u))
    if r() < 0.6:
        a, m = rng.choice(ULN_LABS)
        items.append(c.Lab(a, "<=", uln_multiple=m))
    if r() < 0.5:
        items.append(c.Metastasis(extent=rng.choice(("metastatic", "advanced", "advanced", "locally_advanced"))))
    if r() < 0.15:
        items.append(c.Stage(rng.choice((("III", "IV"), ("IV",), ("II", "III")))))
    if r() < 0.4:
        marker, status = rng.choice(MARKERS)
        items.append(c.Biomarker(marker, status=status))
    if r() < 0.15:
        items.append(c.Biomarker("PDL1", comparator=">=", value=rng.choice((1, 50)), scale=rng.choice(("TPS", "CPS"))))
    if r() < 0.3:
        gene, pc, cat = rng.choice(VARIANTS)
        items.append(c.Variant(gene, protein_change=pc, category=cat))
    if r() < 0.3:
        items.append(c.PriorTherapy(classes=(rng.choice(CLASSES),)))
    if r() < 0.5:
        items.append(c.Not(c.PriorTherapy(classes=(rng.choice(CLASSES),), within_days=rng.choice((14, 21, 28)))))
    if r() < 0.6:
        items.append(c.Not(c.Metastasis(site="brain", qualifier=rng.choice((None, "active", "untreated")))))
    for key in rng.sample(CONDITIONS, rng.randint(0, 3)):
        items.append(c.Not(c.Condition(keys=(key,))))
    if r() < 0.7:
        items.append(c.Not(c.Pregnancy()))
    if r() < 0.5:
        text, nc = rng.choice(UNPARSED)
        items.append(c.Unparsed(text, non_clinical=nc))
    if r() < 0.1:
        items.append(c.Any((c.Biomarker("MSI", status=("high",)), c.Biomarker("MMR", status=("deficient",)))))
    if r() < 0.5:
        items.append(c.Measurable(criteria=rng.choice(MEASURABLE_CRITERIA)))
    if r() < 0.25:
        items.append(c.LifeExpectancy(min_days=rng.choice((84, 91, 182)), min_inclusive=r() < 0.8))
    return c.All(tuple(items))


def synth_catalogue(vocab, n_trials: int, seed: int = 0) -> list[c.TrialCriteria]:
    rng = random.Random(seed)
    trials = []
    for i in range(n_trials):
        arms = ()
        if rng.random() < 0.1:
            arms = tuple(c.Arm(f"arm{j}", f"Arm {j}", c.All((c.Biomarker(*rng.choice(MARKERS)[:1],
                                                                        status=rng.choice(MARKERS)[1]),)),
                               suspended=rng.random() < 0.2) for j in range(rng.randint(2, 3)))
        trials.append(c.TrialCriteria(trial_id=f"SYN{i:06d}", title=f"Synthetic trial {i}",
                                      criteria=synth_criteria(vocab, rng), arms=arms, phase="PHASE2",
                                      status="RECRUITING"))
    return trials


def synth_patient(vocab, seed: int, as_of: date) -> f.PatientFacts:
    rng = random.Random(seed)
    r = rng.random

    def recent(days):
        return as_of - timedelta(days=rng.randint(0, days))

    ctype = rng.choice([t for t in COMMON_TYPES if t in vocab.oncotree])
    primary = f.Cancer("Condition/primary", "primary", cancer_type=ctype, clinical_status="active",
                       onset=recent(900))
    cancers = [primary]
    if r() < 0.3:
        cancers.append(f.Cancer("Condition/met", "secondary", body_site=(), clinical_status="active", onset=recent(300)))
    labs = []
    for key, value, unit in (("ANC", rng.uniform(0.5, 6), "10*9/L"), ("PLT", rng.uniform(50, 400), "10*9/L"),
                             ("HGB", rng.uniform(7, 15), "g/dL"), ("CREAT", rng.uniform(0.5, 2.5), "mg/dL"),
                             ("AST", rng.uniform(10, 200), "U/L"), ("TBILI", rng.uniform(0.2, 3), "mg/dL")):
        if r() < 0.8:
            labs.append(f.Lab(f"Observation/{key}", "", key, value=round(value, 2), unit=unit,
                              ref_high=40.0 if key == "AST" and r() < 0.7 else None, date=recent(60)))
    markers = [f.TumorMarker(f"Observation/{m}", m, status=s[0]) for m, s in rng.sample(MARKERS, rng.randint(0, 3))]
    stages = [f.Stage("Observation/stage", group=rng.choice(("I", "IIA", "IIIB", "IV")), m=rng.choice((None, "M0", "M1")),
                      date=primary.onset)] if r() < 0.7 else []
    facts = f.PatientFacts(
        patient_ref=f"Patient/syn{seed}", birth_date=as_of - timedelta(days=rng.randint(15, 90) * 365),
        sex=rng.choice(("female", "male", "female", None)), cancers=tuple(cancers), stages=tuple(stages),
        markers=tuple(markers), labs=tuple(labs),
        performance=(f.PerformanceStatus("Observation/ecog", "ECOG", rng.randint(0, 3), date=recent(120)),)
        if r() < 0.8 else (),
        medications=(f.Medication("MedicationRequest/m1", ingredients=(rng.choice(("pembrolizumab", "carboplatin",
                                                                                   "paclitaxel")),),
                                  status="completed", start=recent(400), end=recent(30)),) if r() < 0.5 else (),
    )
    measurable = (f.MeasurableDisease("entered:measurable_disease[0]", value=r() < 0.8,
                                      criteria=rng.choice(MEASURABLE_CRITERIA), date=recent(120)),) if r() < 0.4 else ()
    life = (f.LifeExpectancy("entered:life_expectancy[0]", rng.choice((60, 84, 91, 120, 182, 365)),
                             date=recent(120)),) if r() < 0.4 else ()
    return dataclasses.replace(facts, measurable_disease=measurable, life_expectancy=life)
