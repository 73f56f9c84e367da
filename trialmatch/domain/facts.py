"""PatientFacts: what trialmatch knows about one patient, each fact tied to its evidence.

Frozen dataclasses, no framework imports. The mCODE extractor (``trialmatch.mcode``) builds
them from a FHIR Bundle; the MatchMiner importer builds them from MatchMiner documents; the
matcher only reads them.

Conventions
- ``evidence`` is the FHIR reference of the resource a fact came from (``"Observation/abc"``),
  or ``"entered:<what>"`` for a fact a clinician typed beside the bundle.
- Dates are ``datetime.date``; a fact with no date has ``None`` and is treated as undated
  (the freshness rules then decide, see ``trialmatch.matching``).
- ``cancer_ref`` on markers, variants and stages is the evidence reference of the
  ``Cancer`` they describe, or ``None`` when the record does not say.
- Codes keep their system: ``Coding(system, code, display)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
ONCOTREE = "http://oncotree.mskcc.org"
HGNC = "http://www.genenames.org"


@dataclass(frozen=True)
class Coding:
    system: str | None
    code: str | None
    display: str | None = None


@dataclass(frozen=True)
class Cancer:
    """A primary or secondary cancer condition."""

    evidence: str
    role: str  # "primary" | "secondary"
    codes: tuple[Coding, ...] = ()
    cancer_type: str | None = None  # OncoTree code, normalised by the vocabulary
    histology: tuple[Coding, ...] = ()
    body_site: tuple[Coding, ...] = ()
    laterality: Coding | None = None
    clinical_status: str | None = None  # active | recurrence | remission | resolved | ...
    onset: date | None = None
    recorded: date | None = None


@dataclass(frozen=True)
class Stage:
    """TNM staging of one cancer. ``group`` is normalised without the "Stage " prefix
    ("IIIB", "IV"); ``t``/``n``/``m`` likewise ("T2", "N1", "M0", "M1a")."""

    evidence: str
    group: str | None = None
    t: str | None = None
    n: str | None = None
    m: str | None = None
    staging_type: str | None = None  # "clinical" | "pathological"
    system: Coding | None = None
    date: date | None = None
    cancer_ref: str | None = None


@dataclass(frozen=True)
class TumorMarker:
    """One tumor marker result. ``marker`` is the vocabulary key ("HER2", "ER", "PR",
    "PDL1", "MSI", "MMR", "TMB", "KI67", "PSA", "CA125", "CEA", "AFP", ...).

    ``status`` is normalised: "positive" | "negative" | "equivocal" | "high" | "low" |
    "deficient" | "proficient" | "stable" | None. ``scale`` names how the value was
    measured where it matters ("IHC", "ISH", "TPS", "CPS", "mut/Mb", ...)."""

    evidence: str
    marker: str
    status: str | None = None
    value: float | None = None
    unit: str | None = None
    scale: str | None = None
    code: Coding | None = None
    date: date | None = None
    cancer_ref: str | None = None


@dataclass(frozen=True)
class Variant:
    """A genomic variant reported present."""

    evidence: str
    gene: str  # HGNC symbol, upper case
    hgvs_c: str | None = None
    hgvs_p: str | None = None  # e.g. "p.Val600Glu" or "p.V600E" as reported
    protein_change: str | None = None  # normalised one-letter form without "p.": "V600E"
    category: str | None = None  # "SNV" | "deletion" | "insertion" | "fusion" | "CNV" | "amplification" | ...
    exon: int | None = None
    source_class: str | None = None  # "somatic" | "germline" | None
    interpretation: str | None = None  # "pathogenic" | "likely pathogenic" | ...
    date: date | None = None
    cancer_ref: str | None = None
    classification: str | None = None  # MAF Variant_Classification: "In_Frame_Del", "Missense_Mutation", ...
    copy_number: str | None = None  # "gain" | "high_amplification" | "homozygous_deletion" | "heterozygous_deletion"
    fusion_partner: str | None = None  # the other gene of a fusion (HGNC symbol, upper case)


@dataclass(frozen=True)
class GeneTested:
    """A gene that was tested: listed in a region studied, or with any reported result.
    A required variant absent from a tested gene is NOT_MET (DESIGN.md, genomics rule)."""

    evidence: str
    gene: str
    wild_type: bool = False  # the test reported no variant in this gene
    date: date | None = None
    cancer_ref: str | None = None


@dataclass(frozen=True)
class PerformanceStatus:
    """ECOG, or Karnofsky with the ECOG grades it maps to (``ecog`` may hold two
    grades when the mapping is ambiguous)."""

    evidence: str
    scale: str  # "ECOG" | "Karnofsky"
    value: int
    ecog: tuple[int, ...] = ()
    date: date | None = None


@dataclass(frozen=True)
class Medication:
    evidence: str
    codes: tuple[Coding, ...] = ()
    ingredients: tuple[str, ...] = ()  # normalised ingredient names, lower case ("pembrolizumab")
    status: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Procedure:
    evidence: str
    kind: str  # "surgery" | "radiation" | "other"
    codes: tuple[Coding, ...] = ()
    body_site: tuple[Coding, ...] = ()
    date: date | None = None


@dataclass(frozen=True)
class Lab:
    """A lab value in the analyte's canonical unit. ``analyte`` is the vocabulary key
    ("ANC", "PLT", "HGB", "CREAT", ...) or ``None`` for LOINC codes the vocabulary
    does not know. ``ref_low``/``ref_high`` are in the canonical unit too."""

    evidence: str
    loinc: str
    analyte: str | None = None
    value: float | None = None
    unit: str | None = None
    original_value: float | None = None
    original_unit: str | None = None
    ref_low: float | None = None
    ref_high: float | None = None
    implausible: bool = False
    date: date | None = None


@dataclass(frozen=True)
class Condition:
    """A comorbid (non-cancer) condition."""

    evidence: str
    codes: tuple[Coding, ...] = ()
    clinical_status: str | None = None
    onset: date | None = None
    recorded: date | None = None


@dataclass(frozen=True)
class ObservedStatus:
    """A coded status at a date: pregnancy status, cancer disease status."""

    evidence: str
    status: str  # pregnancy: "pregnant" | "not pregnant" | "breastfeeding"; disease: "improving" | "stable" | "worsening" | ...
    code: Coding | None = None
    date: date | None = None


@dataclass(frozen=True)
class MeasurableDisease:
    """Whether the patient has measurable disease (``value``) under ``criteria`` ("RECIST 1.1",
    ... as in matching/data/assessment.yaml; None = not said), at the assessment's date. No
    mCODE element records it: a clinician enters it (``trialmatch.entered_facts``)."""

    evidence: str
    value: bool
    criteria: str | None = None
    date: date | None = None


@dataclass(frozen=True)
class ToxicityAssessment:
    """A clinician's assessment of the worst toxicity of prior anticancer therapy the patient still
    has, as a CTCAE grade (0 = none left), at the assessment's date. No record states that no
    toxicity persists: a clinician enters it (``trialmatch.entered_facts``)."""

    evidence: str
    max_grade: int
    date: date | None = None


@dataclass(frozen=True)
class LifeExpectancy:
    """A clinician's estimate of the patient's life expectancy in days, at the date it was
    made. Entered by a clinician (``trialmatch.entered_facts``), never read from a record."""

    evidence: str
    days: int
    date: date | None = None


@dataclass(frozen=True)
class Allergy:
    """One AllergyIntolerance record. ``substances``: the vocabulary's drug ingredient keys the
    record names (RxNorm code, or a coding display / text that is exactly a drug's name, brand
    or synonym); ``category``: the record's categories ("medication", "biologic", "food",
    "environment"); ``kind``: "allergy" | "intolerance" | None (not said). ``no_known``: the
    record states an absence instead of an allergy, "allergy" (SNOMED 716186003, no known
    allergy) or "drug_allergy" (409137002, no known drug allergy). ``date``: recordedDate, else
    onset, else the last occurrence."""

    evidence: str
    codes: tuple[Coding, ...] = ()
    substances: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    kind: str | None = None
    clinical_status: str | None = None  # active | inactive | resolved
    verification_status: str | None = None  # unconfirmed | presumed | confirmed | refuted | entered-in-error
    no_known: str | None = None
    date: date | None = None


@dataclass(frozen=True)
class Immunization:
    """One Immunization record: the vaccine's codes (CVX, as recorded), the record's status
    ("completed"; records not done or entered in error are not kept) and the date given."""

    evidence: str
    codes: tuple[Coding, ...] = ()
    status: str | None = None
    date: date | None = None


@dataclass(frozen=True)
class AdverseEvent:
    """One FHIR AdverseEvent record with actuality "actual" (HL7 CTCAE IG, CTC Adverse Event).

    ``codes``: the event's codings as recorded (MedDRA LLT codes for CTCAE terms, NCIt, SNOMED
    CT ...); ``text``: the event's text. ``grade``: the CTCAE grade 0-5 of the ctcae-grade
    extension (None: not recorded; the R4 ``severity`` mild/moderate/severe is no CTCAE grade and
    is not read). ``outcome``: the R4 adverse-event-outcome code (resolved, recovering, ongoing,
    resolvedWithSequelae, fatal, unknown). ``resolved``: the adverse-event-resolved-date
    extension (the date the AE ended or returned to baseline). ``date``: when the event occurred
    (``date``), ``recorded``: ``recordedDate``. ``suspects``: the resources named as its cause
    (``suspectEntity.instance``), as evidence strings when in the Bundle, else as written."""

    evidence: str
    codes: tuple[Coding, ...] = ()
    text: str | None = None
    grade: int | None = None
    outcome: str | None = None
    resolved: date | None = None
    date: date | None = None
    recorded: date | None = None
    suspects: tuple[str, ...] = ()


@dataclass(frozen=True)
class StudyEnrolment:
    """A FHIR ResearchSubject: the patient's enrolment in a research study, with what the
    Bundle says of the study (its ResearchStudy, when the Bundle holds it).

    ``status``: the ResearchSubject status code (R4: candidate, eligible, follow-up, ineligible,
    not-registered, off-study, on-study, on-study-intervention, on-study-observation,
    pending-on-study, potential-candidate, screening, withdrawn); ``start``/``end``: its period.
    ``study_ids``: identifier values of the study (the reference's identifier and the
    ResearchStudy's identifiers, e.g. an NCT number), used to tell the trial being matched from
    another one. ``study``: the ResearchStudy's reference (None: not in the Bundle);
    ``study_status``, ``phase`` (research-study-phase code), ``purpose``
    (research-study-prim-purp-type code) and ``design`` ("interventional" | "observational" |
    None: not said) as the ResearchStudy records them."""

    evidence: str
    status: str | None = None
    start: date | None = None
    end: date | None = None
    study_ids: tuple[str, ...] = ()
    study: str | None = None
    study_status: str | None = None
    phase: str | None = None
    purpose: str | None = None
    design: str | None = None


@dataclass(frozen=True)
class Warning:
    """Something in the input that was dropped or doubted, with its location
    (``Bundle.entry[3].resource.valueQuantity``). Never carries a patient value."""

    location: str
    message: str


@dataclass(frozen=True)
class PatientFacts:
    patient_ref: str | None = None
    birth_date: date | None = None
    sex: str | None = None  # "female" | "male" | "other" | "unknown" | None
    postal_code: str | None = None
    country: str | None = None
    deceased: bool | None = None
    deceased_date: date | None = None
    cancers: tuple[Cancer, ...] = ()
    stages: tuple[Stage, ...] = ()
    markers: tuple[TumorMarker, ...] = ()
    variants: tuple[Variant, ...] = ()
    genes_tested: tuple[GeneTested, ...] = ()
    performance: tuple[PerformanceStatus, ...] = ()
    medications: tuple[Medication, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    labs: tuple[Lab, ...] = ()
    conditions: tuple[Condition, ...] = ()
    pregnancy: tuple[ObservedStatus, ...] = ()
    disease_status: tuple[ObservedStatus, ...] = ()
    measurable_disease: tuple[MeasurableDisease, ...] = ()
    life_expectancy: tuple[LifeExpectancy, ...] = ()
    allergies: tuple[Allergy, ...] = ()
    immunizations: tuple[Immunization, ...] = ()
    studies: tuple[StudyEnrolment, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    residual_toxicity: tuple[ToxicityAssessment, ...] = ()
    warnings: tuple[Warning, ...] = field(default=(), compare=False)

    def age_on(self, as_of: date) -> int | None:
        """Completed years of age on ``as_of``; ``None`` without a birth date."""
        if self.birth_date is None:
            return None
        years = as_of.year - self.birth_date.year
        if (as_of.month, as_of.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years
