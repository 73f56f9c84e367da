"""The criteria language: a tree of All / Any / Not over atoms (DESIGN.md, "Domain model").

Frozen dataclasses, no framework imports. Every node may carry ``text`` (the source text it
was read from, or a sponsor's wording) and ``id`` (stable within a criteria document, used
to name deciding criteria and to apply sponsor overrides). ``trialmatch.domain.criteria_json``
turns trees into JSON and back; the JSON Schema is ``trialmatch/schemas/criteria.schema.json``.

Vocabulary keys (cancer types, markers, labs, drug classes, conditions, metastatic sites)
are the keys of ``trialmatch.vocab``; codes with a system are ``Coding``.

Units of atoms: ages in years; durations in days; lab values in the unit given by ``unit``
(converted to the analyte's canonical unit by the matcher).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from trialmatch.domain.facts import Coding

COMPARATORS = (">=", ">", "<=", "<", "==")


@dataclass(frozen=True)
class All:
    items: tuple["Node", ...]
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Any:
    items: tuple["Node", ...]
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Not:
    item: "Node"
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Age:
    """Age in completed years, bounds inclusive unless said otherwise."""

    min: float | None = None
    max: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Sex:
    sex: str  # "female" | "male"
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class CancerType:
    """The patient has a cancer of one of these OncoTree types (descendants included).
    ``role``: "primary" (default) or "any" (a secondary cancer counts too).
    Special codes "_SOLID_" and "_LIQUID_" stand for all solid / all haematological types."""

    codes: tuple[str, ...]
    role: str = "primary"
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Histology:
    """The cancer's histology (ICD-O-3 morphology or SNOMED CT morphology codes), or a
    vocabulary key such as "adenocarcinoma" / "squamous"."""

    codes: tuple[Coding, ...] = ()
    keys: tuple[str, ...] = ()
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Stage:
    """Stage group within the listed groups. Groups are compared by prefix: "III"
    accepts "IIIA", "IIIB", "IIIC"; "IIIB" accepts only "IIIB" and its subgroups; a recorded
    "III" against "IIIB" is UNKNOWN (the substage decides)."""

    groups: tuple[str, ...]
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Metastasis:
    """Disease extent or metastatic site.

    ``extent``: "metastatic" | "locally_advanced" | "advanced" (locally advanced or
    metastatic) | "unresectable" | "recurrent" | None (site only).
    ``site``: a metastatic-site key ("brain", "liver", "bone", "cns", ...) or None.
    ``qualifier``: for sites, "active" | "untreated" | "symptomatic" | "stable" | None."""

    extent: str | None = None
    site: str | None = None
    qualifier: str | None = None
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Biomarker:
    """A tumor marker: by status ("positive", "negative", "low", "high", "deficient", ...)
    and/or by value (``comparator`` ``value`` on ``scale``, e.g. PD-L1 TPS >= 50)."""

    marker: str
    status: tuple[str, ...] = ()
    comparator: str | None = None
    value: float | None = None
    scale: str | None = None  # "TPS" | "CPS" | "IHC" | "%" | "mut/Mb" | ...
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Variant:
    """A genomic alteration in ``gene``. Unset fields match anything:
    ``protein_change`` "V600E" (one-letter, no "p."), ``protein_prefix`` "G12" (any change
    at that position, MatchMiner's wildcard_protein_change), ``category`` "mutation" |
    "fusion" | "amplification" | "deletion" | "CNV" | "SNV" | "insertion", ``exon``,
    ``source`` "somatic" | "germline" | "any". ``wild_type`` True asks that the gene
    was tested and carries no variant. ``classification``: MAF Variant_Classification
    ("In_Frame_Del", "Missense_Mutation", ...); ``copy_number``: "gain" |
    "high_amplification" | "homozygous_deletion" | "heterozygous_deletion"."""

    gene: str
    protein_change: str | None = None
    protein_prefix: str | None = None
    category: str | None = None
    exon: int | None = None
    fusion_partner: str | None = None
    source: str = "any"
    wild_type: bool = False
    text: str | None = None
    id: str | None = None
    classification: str | None = None
    copy_number: str | None = None


@dataclass(frozen=True)
class PerformanceStatus:
    """ECOG between ``min`` and ``max`` inclusive (Karnofsky criteria are stored converted
    to ECOG by the parser, with the original text kept), or Karnofsky when ``scale`` is
    "Karnofsky"."""

    max: int | None = None
    min: int | None = None
    scale: str = "ECOG"
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Lab:
    """``analyte`` ``comparator`` ``value`` ``unit``, or ``comparator`` ``uln_multiple`` x ULN.
    ``within_days`` overrides the default freshness window of labs."""

    analyte: str
    comparator: str
    value: float | None = None
    unit: str | None = None
    uln_multiple: float | None = None
    within_days: int | None = None
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class PriorTherapy:
    """The patient received a drug or a drug of a class. ``within_days``: ended (or was
    given) within that many days before the as-of date (a washout window is written as
    ``Not(PriorTherapy(..., within_days=N))``). ``min_lines``/``max_lines``: number of prior
    systemic lines (counted from distinct regimens), when the criterion is a count."""

    drugs: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    within_days: int | None = None
    min_lines: int | None = None
    max_lines: int | None = None
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Procedure:
    """A surgery or radiation (``kind``), optionally of given codes or on a body site,
    within ``within_days``. ``major`` (surgery only): only a surgery the matcher's code table
    (``trialmatch/matching/data/surgery.yaml``) classifies as major counts; a minor one does
    not, an unclassified one leaves the atom to confirm."""

    kind: str  # "surgery" | "radiation"
    codes: tuple[Coding, ...] = ()
    body_site: str | None = None
    within_days: int | None = None
    text: str | None = None
    id: str | None = None
    major: bool = False


@dataclass(frozen=True)
class Condition:
    """A comorbid condition by vocabulary key ("hiv", "hepatitis_b", "autoimmune_disease",
    "interstitial_lung_disease", "heart_failure", "other_malignancy", ...) and/or codes.
    ``active_only``: only active conditions count. ``within_days``: only a condition whose
    onset falls within that many days before the as-of date counts ("myocardial infarction
    within 6 months"); an older one does not, an undated one is to be confirmed.
    ``qualifier`` (one of CONDITION_QUALIFIERS: "uncontrolled", "clinically_significant", ...):
    the condition counts only in that state, which no record holds; a counting record leaves the
    criterion to be confirmed, never met (an inactive or absent one is read as without it)."""

    keys: tuple[str, ...] = ()
    codes: tuple[Coding, ...] = ()
    active_only: bool = True
    within_days: int | None = None
    text: str | None = None
    id: str | None = None
    qualifier: str | None = None


# The states a Condition's ``qualifier`` names (criteria.schema.json lists the same): what a
# clinician judges and no mCODE record holds ("uncontrolled hypertension", "active infection
# requiring systemic therapy", "pneumonitis that required steroids").
CONDITION_QUALIFIERS = ("uncontrolled", "clinically_significant", "symptomatic", "serious", "severe", "unstable",
                        "requiring_treatment", "requiring_systemic_treatment", "requiring_steroids")


@dataclass(frozen=True)
class Pregnancy:
    """The patient is pregnant (``status`` "pregnant") or breastfeeding ("breastfeeding").
    Not applicable (MET when negated) for patients who cannot be pregnant is decided by the
    matcher from sex; usually written as ``Not(Pregnancy())`` in exclusions."""

    status: str = "pregnant"
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Measurable:
    """The patient has measurable disease: at least one lesion measurable under ``criteria``
    ("RECIST 1.1", "iRECIST", "mRECIST", "RANO", "RANO-BM", "Lugano", "PCWG3", "IMWG", "IWG",
    "iwCLL"; the names in matching/data/assessment.yaml) or, with ``criteria`` None, under
    criteria the text does not name. Evaluable-only disease ("measurable or evaluable") is a
    weaker requirement this atom does not hold: such items stay Unparsed."""

    criteria: str | None = None
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class LifeExpectancy:
    """The clinician's estimate of the patient's life expectancy is at least ``min_days``
    (more than, when ``min_inclusive`` is False). Months are 30.4375 days rounded down
    (3 months = 91, 6 = 182, 12 = 365): the requirement is never stricter than written.
    "Life expectancy < 3 months" is ``Not(LifeExpectancy(min_days=91))``."""

    min_days: int
    min_inclusive: bool = True
    text: str | None = None
    id: str | None = None


# ---- trial participation (issue #5, s5-invest) --------------------------------------------------
@dataclass(frozen=True)
class StudyParticipation:
    """The patient takes part in an interventional clinical study other than this trial,
    receiving its intervention: now (``within_days`` None: "currently participating in another
    interventional trial", "receiving any other investigational agents") or at some time within
    ``within_days`` days before the as-of date ("investigational agent within 4 weeks prior to
    the first dose": counted back from the trial's start like a washout).

    ``drug_only``: the study tests a drug (an investigational agent or product: ICH E6 calls any
    drug tested or used as a reference in a trial an investigational product), shown by a drug
    development phase of the study (early phase 1 to phase 3); else any interventional study.
    ``purpose``: "treatment" for a therapeutic study ("another therapeutic clinical trial"): the
    study's primary purpose (ResearchStudy.primaryPurposeType) is treatment; None: any purpose.

    What a record can show is a FHIR ResearchSubject (and its ResearchStudy); no medication
    record shows that a drug was investigational, and a trial elsewhere is often not recorded, so
    the matcher never reads this atom NOT_MET: no record in the window is UNKNOWN
    (docs/matching.md)."""

    within_days: int | None = None
    drug_only: bool = False
    purpose: str | None = None
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Hypersensitivity:
    """The patient has a known hypersensitivity (allergy) to one of ``drugs`` (vocabulary
    ingredient keys) or a drug of ``classes`` (drug-class keys), or, with ``study_treatment``,
    to the trial's own study treatment or any of its components ("known hypersensitivity to
    any component of the study drug"). "X or any of its excipients" is the drug X: no record
    names an excipient apart from its product. Narrowing words the atom does not carry
    ("severe", "grade >= 3", "requiring hospitalisation") are kept Unparsed beside it; usually
    written as ``Not(Hypersensitivity(...))`` in exclusions."""

    drugs: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    study_treatment: bool = False
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Vaccination:
    """The patient received a vaccine (a live one: live attenuated virus or bacteria, when
    ``live``) within ``within_days`` before the as-of date (None: at any time). The time point
    a protocol counts from ("before the first dose") is the trial's start, counted back from
    the as-of date as washouts are. "Killed/inactivated vaccines are allowed" documents the
    live reading; usually written as ``Not(Vaccination(live=True, within_days=30))``."""

    live: bool = True
    within_days: int | None = None
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class ToxicityException:
    """An adverse event a ``ResidualToxicity`` criterion accepts: ``term`` is a key of
    ``trialmatch/matching/data/toxicity_terms.yaml`` ("alopecia", "peripheral_neuropathy");
    ``max_grade`` the highest CTCAE grade accepted for it (None: any grade, "except alopecia")."""

    term: str
    max_grade: int | None = None


@dataclass(frozen=True)
class ResidualToxicity:
    """An adverse event of prior anticancer therapy still above CTCAE grade ``above_grade``
    ("persistent toxicity of prior therapy > grade 1"; "recovered to <= grade 1" is its negation,
    so both are written ``Not(ResidualToxicity(above_grade=1))`` in their section).

    ``exceptions``: adverse events the criterion accepts, each with its own grade limit ("except
    alopecia", "peripheral neuropathy <= grade 2"). ``therapy``: what caused it, None for any
    prior anticancer therapy, else "chemotherapy" | "systemic" (systemic anticancer drugs) |
    "radiotherapy" | "surgery". ``or_baseline``:
    the text accepts a toxicity back at the patient's baseline ("resolved to baseline or grade
    <= 1"); no record states a pre-treatment baseline, so the matcher leaves such a toxicity to
    confirm instead of counting it."""

    above_grade: int
    exceptions: tuple[ToxicityException, ...] = ()
    therapy: str | None = None
    or_baseline: bool = False
    text: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Unparsed:
    """Text not understood (or not structurable). Always UNKNOWN. ``non_clinical`` marks
    items no EHR can answer (consent, willingness, ability to swallow): UNKNOWN of kind
    ``to_confirm`` instead of ``missing``."""

    text: str
    non_clinical: bool = False
    id: str | None = None


Atom = Union[
    Age, Sex, CancerType, Histology, Stage, Metastasis, Biomarker, Variant,
    PerformanceStatus, Lab, PriorTherapy, Procedure, Condition, Pregnancy, Measurable, LifeExpectancy,
    Hypersensitivity,
    Vaccination,
    StudyParticipation,
    ResidualToxicity,
    Unparsed,
]
Node = Union[All, Any, Not, Atom]

ATOM_TYPES: tuple[type, ...] = (
    Age, Sex, CancerType, Histology, Stage, Metastasis, Biomarker, Variant,
    PerformanceStatus, Lab, PriorTherapy, Procedure, Condition, Pregnancy, Measurable, LifeExpectancy,
    Hypersensitivity,
    Vaccination,
    StudyParticipation,
    ResidualToxicity,
    Unparsed,
)
NODE_TYPES: tuple[type, ...] = (All, Any, Not) + ATOM_TYPES


@dataclass(frozen=True)
class Arm:
    """An arm or cohort with criteria of its own (added to the trial's common criteria)."""

    id: str
    label: str | None
    criteria: Node
    suspended: bool = False


@dataclass(frozen=True)
class Review:
    by: str
    on: str  # ISO date
    note: str | None = None


@dataclass(frozen=True)
class TrialCriteria:
    """One version of a trial's criteria document."""

    trial_id: str
    title: str
    criteria: Node
    arms: tuple[Arm, ...] = ()
    phase: str | None = None
    status: str | None = None
    study_type: str | None = None  # ClinicalTrials.gov API v2 studyType: INTERVENTIONAL | OBSERVATIONAL | EXPANDED_ACCESS
    conditions: tuple[str, ...] = ()
    version: int = 1
    source: dict | None = None
    review: Review | None = None
