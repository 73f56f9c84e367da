"""ResearchSubject (and its ResearchStudy) -> StudyEnrolment facts: the patient's enrolment in
clinical studies, read for the StudyParticipation atom (docs/matching.md).

- The ResearchSubject must be the Bundle's Patient's (``individual``); another patient's is
  dropped with a warning. A status outside the R4 code set drops the resource (warning).
- The study is found by reference (``ResearchStudy/id``, fullUrl) or, for a logical reference
  (``study.identifier``), by an identifier the Bundle's ResearchStudy carries (system and
  value). Not in the Bundle: the enrolment is kept without study details (the matcher then
  cannot tell the study's design: UNKNOWN).
- Design: ``category`` naming the ClinicalTrials.gov study type ("interventional",
  "observational", by code or text); else a ``primaryPurposeType`` (ClinicalTrials.gov records a
  primary purpose for interventional studies only) or a drug development ``phase`` (phases are
  given to interventional drug studies) says interventional; otherwise None (not said).

Warnings name locations only, never values (no patient data in logs or messages).
"""

from __future__ import annotations

from trialmatch.domain.facts import StudyEnrolment
from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import codings, parse_date
from trialmatch.mcode.references import ReferenceIndex

SUBJECT_STATUSES = frozenset({
    "candidate", "eligible", "follow-up", "ineligible", "not-registered", "off-study", "on-study",
    "on-study-intervention", "on-study-observation", "pending-on-study", "potential-candidate", "screening",
    "withdrawn"})
PHASE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-phase"
PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type"
DRUG_PHASES = frozenset({"early-phase-1", "phase-1", "phase-1-phase-2", "phase-2", "phase-2-phase-3", "phase-3",
                         "phase-4"})
DESIGNS = ("interventional", "observational")


def study_enrolments(entries: list[Entry], refs: ReferenceIndex, patient_ref: str | None,
                     warnings: Warnings) -> list[StudyEnrolment]:
    studies = [e for e in entries if e.resource_type == "ResearchStudy"]
    by_evidence = {e.evidence: e for e in studies}
    out = []
    for e in entries:
        if e.resource_type != "ResearchSubject":
            continue
        r = e.resource
        individual = (r.get("individual") or {}).get("reference")
        if patient_ref is not None and isinstance(individual, str) and refs.resolve(individual) != patient_ref:
            warnings.add(f"{e.location}.individual", "individual is not the Bundle's Patient; resource not used")
            continue
        status = r.get("status")
        if status not in SUBJECT_STATUSES:
            warnings.add(f"{e.location}.status", "ResearchSubject status not understood; resource not used")
            continue
        p = r.get("period") if isinstance(r.get("period"), dict) else {}
        start, end = parse_date(p.get("start")), parse_date(p.get("end"))
        if start and end and end < start:
            warnings.add(f"{e.location}.period", "period ends before it starts; resource not used")
            continue
        study_ref = r.get("study") if isinstance(r.get("study"), dict) else {}
        ids = _identifiers([study_ref.get("identifier")])
        study = None
        if isinstance(study_ref.get("reference"), str):
            study = by_evidence.get(refs.resolve(study_ref["reference"]) or "")
        if study is None and ids:
            found = [s for s in studies if set(_identifiers(s.resource.get("identifier"))) & set(ids)]
            study = found[0] if len(found) == 1 else None
        if study is None:
            out.append(StudyEnrolment(e.evidence, status, start, end, tuple(v for _, v in ids)))
            continue
        out.append(_with_study(e, status, start, end, ids, study))
    return out


def _with_study(e: Entry, status, start, end, ids, study: Entry) -> StudyEnrolment:
    s = study.resource
    all_ids = tuple(dict.fromkeys(v for _, v in [*ids, *_identifiers(s.get("identifier"))]))
    phase = next((c.code for c in codings(s.get("phase")) if c.system == PHASE_SYSTEM and c.code), None)
    purpose = next((c.code for c in codings(s.get("primaryPurposeType")) if c.system == PURPOSE_SYSTEM and c.code),
                   None)
    design = _design(s.get("category"))
    if design is None and (purpose is not None or phase in DRUG_PHASES):
        design = "interventional"
    status_text = s.get("status") if isinstance(s.get("status"), str) else None
    return StudyEnrolment(e.evidence, status, start, end, all_ids, study.evidence, status_text, phase, purpose, design)


def _design(categories) -> str | None:
    """The study type a category names ("Interventional", "observational"); None when none or
    both are named."""
    found = set()
    for concept in categories if isinstance(categories, list) else ():
        if not isinstance(concept, dict):
            continue
        words = [str(concept.get("text") or "")] + [f"{c.code or ''} {c.display or ''}" for c in codings(concept)]
        for design in DESIGNS:
            if any(design in w.lower() for w in words):
                found.add(design)
    return found.pop() if len(found) == 1 else None


def _identifiers(values) -> list[tuple[str | None, str]]:
    out = []
    for ident in values if isinstance(values, list) else ():
        if isinstance(ident, dict) and isinstance(ident.get("value"), str) and ident["value"].strip():
            out.append((ident.get("system"), ident["value"].strip()))
    return out
