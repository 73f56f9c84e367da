"""Synthetic mCODE (FHIR R4) Bundles for scale: benchmarks and load tests only, never a
substitute for the real test data.

``synth_bundles(n, seed, as_of)`` yields ``n`` Bundles, deterministic for a seed. Each holds a
Patient (mCODE cancer patient), a primary cancer Condition, usually a TNM stage group with its
T, N and M categories, tumor markers fitting the cancer (ER/PR/HER2, PD-L1, MSI, PSA),
sometimes a genomic variant and a metastasis (secondary cancer Condition), an ECOG score,
cancer-related medications with periods, common labs (ANC, platelets, haemoglobin,
creatinine, bilirubin, ALT, AST) and sometimes a comorbidity. The mixes (cancer types by
share, stages, marker rates, variants) are rough orders of magnitude of an adult oncology
clinic, not epidemiology: they exist to exercise every branch of extraction and matching.
Codes are the ones the mCODE extractor and the vocabulary read (SNOMED CT, LOINC, RxNorm,
AJCC, HGNC, HGVS).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
SNOMED, LOINC, RXNORM = "http://snomed.info/sct", "http://loinc.org", "http://www.nlm.nih.gov/research/umls/rxnorm"
AJCC, HGNC, HGVS = "http://cancerstaging.org", "http://www.genenames.org", "http://varnomen.hgvs.org"
UCUM = "http://unitsofmeasure.org"
POSITIVE, NEGATIVE = ("LA6576-8", "Positive"), ("LA6577-6", "Negative")


@dataclass(frozen=True)
class CancerProfile:
    key: str
    share: float
    code: str
    display: str
    sex: str | None  # "female" | "male" | None (either)
    markers: tuple[str, ...]
    variants: tuple[tuple[str, str, str], ...]  # (gene, HGNC id, protein change)
    drugs: tuple[tuple[str, str], ...]  # (RxNorm code, display)


CANCERS = (
    CancerProfile("breast", 0.22, "254837009", "Malignant neoplasm of breast (disorder)", "female",
                  ("ER", "PR", "HER2"), (("PIK3CA", "HGNC:8975", "p.His1047Arg"), ("BRCA1", "HGNC:1100", "p.Glu1250Ter")),
                  (("1601374", "Palbociclib"), ("72965", "Letrozole"), ("101306", "Herceptin"), ("56946", "Paclitaxel"),
                   ("10324", "Tamoxifen"), ("203870", "Faslodex"))),
    CancerProfile("idc", 0.08, "408643008", "Infiltrating duct carcinoma of breast (disorder)", "female",
                  ("ER", "PR", "HER2"), (("PIK3CA", "HGNC:8975", "p.Glu545Lys"),),
                  (("84857", "Anastrozole"), ("72962", "Docetaxel"))),
    CancerProfile("nsclc", 0.2, "254637007", "Non-small cell lung cancer (disorder)", None,
                  ("PDL1",), (("EGFR", "HGNC:3236", "p.Leu858Arg"), ("KRAS", "HGNC:6407", "p.Gly12Cys"),
                              ("ALK", "HGNC:427", None)),
                  (("1547545", "Pembrolizumab"), ("40048", "Carboplatin"), ("68446", "Pemetrexed"),
                   ("1721559", "Osimertinib"), ("1597876", "Nivolumab"))),
    CancerProfile("colorectal", 0.15, "363406005", "Malignant neoplasm of colon (disorder)", None,
                  ("MSI", "CEA"), (("KRAS", "HGNC:6407", "p.Gly12Asp"), ("BRAF", "HGNC:1097", "p.Val600Glu")),
                  (("32592", "Oxaliplatin"), ("4492", "Fluorouracil"), ("194000", "Capecitabine"),
                   ("51499", "Irinotecan"), ("253337", "Bevacizumab"))),
    CancerProfile("prostate", 0.12, "399068003", "Malignant tumor of prostate (disorder)", "male",
                  ("PSA",), (("BRCA2", "HGNC:1101", "p.Asn1784fs"),),
                  (("1307298", "Enzalutamide"), ("42375", "Leuprolide"), ("1100071", "Abiraterone"),
                   ("72962", "Docetaxel"))),
    CancerProfile("pancreas", 0.08, "372142002", "Malignant neoplasm of pancreas (disorder)", None,
                  ("CA19_9",), (("KRAS", "HGNC:6407", "p.Gly12Asp"),),
                  (("12574", "Gemcitabine"), ("56946", "Paclitaxel"), ("32592", "Oxaliplatin"))),
    CancerProfile("ovary", 0.07, "363443007", "Malignant tumor of ovary (disorder)", "female",
                  ("CA125",), (("BRCA1", "HGNC:1100", "p.Glu1250Ter"), ("TP53", "HGNC:11998", "p.Arg273His")),
                  (("40048", "Carboplatin"), ("56946", "Paclitaxel"), ("1597582", "Olaparib"))),
    CancerProfile("melanoma", 0.05, "93655004", "Malignant melanoma of skin (disorder)", None,
                  ("PDL1",), (("BRAF", "HGNC:1097", "p.Val600Glu"),),
                  (("1597876", "Nivolumab"), ("1547545", "Pembrolizumab"))),
    CancerProfile("sclc", 0.03, "254632001", "Small cell carcinoma of lung (disorder)", None,
                  (), (), (("2555", "Cisplatin"), ("40048", "Carboplatin"))),
)
MARKER_LOINC = {
    "ER": ("16112-5", "Estrogen receptor [Interpretation] in Tissue"),
    "PR": ("16113-3", "Progesterone receptor [Interpretation] in Tissue"),
    "HER2": ("48676-1", "HER2 [Interpretation] in Tissue"),
    "PDL1": ("85147-7", "PD-L1 by clone 22C3 in Tissue by Immune stain Report"),
    "MSI": ("43368-0", "Microsatellite instability [Identifier] in Tissue by Molecular genetics method Nominal"),
    "PSA": ("2857-1", "Prostate specific Ag [Mass/volume] in Serum or Plasma"),
    "CEA": ("2039-6", "Carcinoembryonic Ag [Mass/volume] in Serum or Plasma"),
    "CA125": ("10334-1", "Cancer Ag 125 [Units/volume] in Serum or Plasma"),
    "CA19_9": ("24108-3", "Cancer Ag 19-9 [Units/volume] in Serum or Plasma"),
}
QUANTITY_MARKERS = {"PSA": ("ng/mL", 0.5, 60.0), "CEA": ("ng/mL", 1.0, 80.0), "CA125": ("[IU]/mL", 10.0, 900.0),
                    "CA19_9": ("[IU]/mL", 10.0, 3000.0)}
LABS = (  # key, LOINC, display, unit, low, high (a plausible spread around normal)
    ("ANC", "751-8", "Neutrophils [#/volume] in Blood by Automated count", "10*3/uL", 0.6, 8.0),
    ("PLT", "777-3", "Platelets [#/volume] in Blood by Automated count", "10*3/uL", 60.0, 420.0),
    ("HGB", "718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 7.5, 16.0),
    ("CREAT", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 0.5, 2.4),
    ("TBILI", "1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", "mg/dL", 0.2, 3.0),
    ("ALT", "1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L", 8.0, 160.0),
    ("AST", "1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L", 8.0, 160.0),
)
METASTASES = (("94225005", "Secondary malignant neoplasm of brain"), ("94222008", "Secondary malignant neoplasm of bone"),
              ("94381002", "Secondary malignant neoplasm of liver"), ("94391008", "Secondary malignant neoplasm of lung"))
COMORBIDITIES = (("73211009", "Diabetes mellitus (disorder)"), ("84114007", "Heart failure (disorder)"),
                 ("86406008", "Human immunodeficiency virus infection (disorder)"),
                 ("38341003", "Hypertensive disorder, systemic arterial (disorder)"))
STAGES = (("1", "T1", "N0", "M0", 0.15), ("2A", "T2", "N0", "M0", 0.12), ("2B", "T2", "N1", "M0", 0.1),
          ("3A", "T3", "N1", "M0", 0.1), ("3B", "T4", "N2", "M0", 0.08), ("3C", "T3", "N3", "M0", 0.05),
          ("4", "T3", "N2", "M1", 0.4))


def _cc(system: str, code: str, display: str | None = None) -> dict:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


class _Builder:
    def __init__(self, rng: random.Random, as_of: date, index: int):
        self.rng, self.as_of = rng, as_of
        self.pid = str(uuid.UUID(int=rng.getrandbits(128)))
        self.entries: list[dict] = []
        self.index = index

    def add(self, resource: dict, profile: str | None) -> str:
        rid = f"{resource['resourceType'].lower()}-{len(self.entries)}"
        resource = {"resourceType": resource.pop("resourceType"), "id": rid,
                    **({"meta": {"profile": [MCODE + profile]}} if profile else {}), **resource}
        if resource["resourceType"] != "Patient":
            resource["subject"] = {"reference": f"urn:uuid:{self.pid}"}
        if resource["resourceType"] == "Patient":
            url = f"urn:uuid:{self.pid}"
        else:
            url = f"urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128))}"
        self.entries.append({"fullUrl": url, "resource": resource})
        return url

    def day(self, max_days_ago: int, min_days_ago: int = 0) -> date:
        return self.as_of - timedelta(days=self.rng.randint(min_days_ago, max_days_ago))

    def observation(self, profile: str | None, code: dict, when: date, *, value: dict, category: str = "laboratory",
                    focus: str | None = None, extra: dict | None = None) -> str:
        resource = {"resourceType": "Observation", "status": "final",
                    "category": [_cc("http://terminology.hl7.org/CodeSystem/observation-category", category)],
                    "code": code, "effectiveDateTime": when.isoformat(), **value, **(extra or {})}
        if focus:
            resource["focus"] = [{"reference": focus}]
        return self.add(resource, profile)


def _pick_cancer(rng: random.Random) -> CancerProfile:
    return rng.choices(CANCERS, weights=[c.share for c in CANCERS])[0]


def synth_bundle(rng: random.Random, as_of: date, index: int = 0) -> dict:
    """One synthetic patient's mCODE Bundle."""
    b = _Builder(rng, as_of, index)
    cancer = _pick_cancer(rng)
    sex = cancer.sex or rng.choice(("female", "male"))
    age_days = rng.randint(25 * 365, 88 * 365)
    b.add({"resourceType": "Patient", "gender": sex, "birthDate": (as_of - timedelta(days=age_days)).isoformat(),
           "address": [{"postalCode": f"{rng.randint(1000, 99950):05d}", "country": "US"}]}, "mcode-cancer-patient")
    diagnosed = b.day(5 * 365, 30)
    primary = b.add({"resourceType": "Condition",
                     "clinicalStatus": _cc("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
                     "verificationStatus": _cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
                     "category": [_cc("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
                     "code": _cc(SNOMED, cancer.code, cancer.display), "onsetDateTime": diagnosed.isoformat(),
                     "recordedDate": diagnosed.isoformat()}, "mcode-primary-cancer-condition")
    stage = None
    if rng.random() < 0.85:
        stage = rng.choices(STAGES, weights=[s[4] for s in STAGES])[0]
        group, t, n, m, _w = stage
        members = [b.observation(profile, _cc(SNOMED, code, display), diagnosed, category="imaging", focus=primary,
                                 value={"valueCodeableConcept": _cc(AJCC, "c" + value)})
                   for profile, code, display, value in (
                       ("mcode-tnm-primary-tumor-category", "399504009", "cT category", t),
                       ("mcode-tnm-regional-nodes-category", "399534004", "cN category", n),
                       ("mcode-tnm-distant-metastases-category", "399387003", "cM category", m))]
        b.observation("mcode-tnm-stage-group", _cc(SNOMED, "399537006", "Clinical TNM stage grouping"), diagnosed,
                      category="imaging", focus=primary, value={"valueCodeableConcept": _cc(AJCC, group)},
                      extra={"hasMember": [{"reference": ref} for ref in members]})
    if (stage is not None and stage[3] == "M1" and rng.random() < 0.7) or rng.random() < 0.05:
        code, display = rng.choice(METASTASES)
        b.add({"resourceType": "Condition",
               "clinicalStatus": _cc("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
               "code": _cc(SNOMED, code, display), "onsetDateTime": b.day(365).isoformat()},
              "mcode-secondary-cancer-condition")
    for marker in cancer.markers:
        if rng.random() < 0.2:
            continue  # not every patient has every marker result
        loinc, display = MARKER_LOINC[marker]
        if marker in QUANTITY_MARKERS:
            unit, low, high = QUANTITY_MARKERS[marker]
            value = {"valueQuantity": {"value": round(rng.uniform(low, high), 1), "unit": unit, "system": UCUM,
                                       "code": unit}}
        elif marker == "MSI":
            # MSI-H, else "negative" (microsatellite stable)
            value = {"valueCodeableConcept": _cc(LOINC, *(("LA26203-2", "MSI-H") if rng.random() < 0.12 else NEGATIVE))}
        else:
            rate = {"ER": 0.7, "PR": 0.6, "HER2": 0.18, "PDL1": 0.5}[marker]
            value = {"valueCodeableConcept": _cc(LOINC, *(POSITIVE if rng.random() < rate else NEGATIVE))}
        b.observation("mcode-tumor-marker-test", _cc(LOINC, loinc, display), b.day(400, 7), value=value, focus=primary)
    if cancer.variants and rng.random() < 0.45:
        gene, hgnc, protein = rng.choice(cancer.variants)
        components = [{"code": _cc(LOINC, "48018-6", "Gene studied [ID]"), "valueCodeableConcept": _cc(HGNC, hgnc, gene)},
                      {"code": _cc(LOINC, "48002-0", "Genomic source class [Type]"),
                       "valueCodeableConcept": _cc(LOINC, "LA6684-0", "Somatic")},
                      {"code": _cc(LOINC, "53037-8", "Genetic variation clinical significance [Imp]"),
                       "valueCodeableConcept": _cc(LOINC, "LA6668-3", "Pathogenic")}]
        if protein:
            components.append({"code": _cc(LOINC, "48005-3", "Amino acid change (pHGVS)"),
                               "valueCodeableConcept": _cc(HGVS, protein)})
        b.observation("mcode-genomic-variant", _cc(LOINC, "69548-6", "Genetic variant assessment"), b.day(700, 14),
                      value={"valueCodeableConcept": _cc(LOINC, "LA9633-4", "Present")}, focus=primary,
                      extra={"component": components})
    if rng.random() < 0.85:
        ecog = rng.choices((0, 1, 2, 3, 4), weights=(30, 40, 18, 9, 3))[0]
        b.observation("mcode-ecog-performance-status", _cc(LOINC, "89247-1", "ECOG Performance Status score"),
                      b.day(150), category="survey", value={"valueInteger": ecog})
    for code, display in rng.sample(cancer.drugs, k=rng.randint(0, min(3, len(cancer.drugs)))):
        start = b.day(3 * 365, 10)
        end = min(start + timedelta(days=rng.randint(21, 400)), as_of)
        ongoing = end >= as_of - timedelta(days=7) and rng.random() < 0.5
        period = {"start": start.isoformat(), **({} if ongoing else {"end": end.isoformat()})}
        b.add({"resourceType": "MedicationStatement", "status": "active" if ongoing else "completed",
               "medicationCodeableConcept": _cc(RXNORM, code, display), "effectivePeriod": period},
              "mcode-cancer-related-medication-statement")
    lab_day = b.day(60)
    for _key, loinc, display, unit, low, high in LABS:
        if rng.random() < 0.9:
            b.observation(None, _cc(LOINC, loinc, display), lab_day,
                          value={"valueQuantity": {"value": round(rng.uniform(low, high), 2), "unit": unit,
                                                   "system": UCUM, "code": unit}})
    if rng.random() < 0.3:
        code, display = rng.choice(COMORBIDITIES)
        b.add({"resourceType": "Condition",
               "clinicalStatus": _cc("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
               "code": _cc(SNOMED, code, display), "onsetDateTime": b.day(20 * 365, 100).isoformat()},
              "mcode-comorbid-condition")
    return {"resourceType": "Bundle", "id": f"synth-{index}", "type": "collection", "entry": b.entries}


def synth_bundles(n: int, seed: int, as_of: date) -> Iterator[dict]:
    """``n`` Bundles, the same ones for the same seed and as-of date."""
    rng = random.Random(seed)
    for i in range(n):
        yield synth_bundle(rng, as_of, i)
