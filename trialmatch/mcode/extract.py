"""extract_facts: an mCODE (FHIR R4) Bundle -> PatientFacts. Pure: no I/O, no logging.

Steps: read and validate the Bundle entry by entry (``bundle_entries``); decide each
resource's kind (``resource_kinds``: profile first, content otherwise); build cancers,
then the facts that link to them (``link_cancers``), then the rest. Warnings collect in
``PatientFacts.warnings``; they name locations, never values.
"""

from __future__ import annotations

import dataclasses

from trialmatch.domain.facts import PatientFacts
from trialmatch.errors import PatientDataError
from trialmatch.mcode import adverse_events, allergies, genomics, immunizations, labs, patient_conditions, staging
from trialmatch.mcode import research_subjects, status_observations
from trialmatch.mcode import treatments, tumor_markers
from trialmatch.mcode.bundle_entries import Entry, Warnings, read_bundle
from trialmatch.mcode.fhir_read import effective_date
from trialmatch.mcode.link_cancers import CancerLinker
from trialmatch.mcode.mcode_rules import McodeRules, load_rules
from trialmatch.mcode.references import ReferenceIndex
from trialmatch.mcode.report_links import link_entries, own_links
from trialmatch.mcode.resource_kinds import condition_kind, observation_kind, profile_kind

CONDITION_KINDS = frozenset({"primary_cancer", "secondary_cancer", "comorbid_condition"})
OBSERVATION_KINDS = frozenset({"stage_group", "cancer_stage", "tnm_t", "tnm_n", "tnm_m", "tumor_marker",
                               "genomic_variant", "region_studied", "ecog", "karnofsky",
                               "disease_status", "pregnancy"})
STAGE_KINDS = ("stage_group", "tnm_t", "tnm_n", "tnm_m")
MEDICATION_TYPES = frozenset({"MedicationStatement", "MedicationRequest", "MedicationAdministration"})
UNEXPECTED = (TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError)
# Resources recorded in error or withdrawn say nothing about the patient.
VOID_STATUS = frozenset({"entered-in-error", "cancelled"})
FACT_LISTS = ("cancers", "stages", "markers", "variants", "genes_tested", "performance",
              "medications", "procedures", "labs", "conditions", "pregnancy", "disease_status", "allergies",
              "immunizations", "studies", "adverse_events")


def extract_facts(bundle: dict, vocab) -> PatientFacts:
    """The PatientFacts of one mCODE Bundle. Raises PatientDataError (with ``issues``) for a
    body that is not a Bundle, a Bundle with two different Patients, or one with nothing
    usable; any other defect drops only what it affects, with a Warning."""
    rules = load_rules()
    warnings = Warnings()
    entries = read_bundle(bundle, warnings, rules.supported_types, rules.ignored_types)
    links = link_entries(bundle)
    refs = ReferenceIndex(entries)
    patient = _patient(entries, warnings)
    if patient is not None:
        entries = _own_entries(entries, refs, patient["patient_ref"], warnings)
    link_refs = ReferenceIndex([*entries, *links])
    links = own_links(links, link_refs, patient["patient_ref"] if patient else None)
    kinds = {id(e): _kind(e, rules, vocab, warnings) for e in entries}
    out: dict[str, list] = {name: [] for name in FACT_LISTS}

    cancer_entries = [e for e in entries if kinds[id(e)] in ("primary_cancer", "secondary_cancer")
                      and not patient_conditions.is_ignored(e)]
    for e in cancer_entries:
        role = "primary" if kinds[id(e)] == "primary_cancer" else "secondary"
        out["cancers"].append(patient_conditions.cancer(e, role, vocab, warnings))
    primary_type = {c.evidence: c.cancer_type for c in out["cancers"] if c.role == "primary"}
    primaries = list(primary_type)
    for i, (e, c) in enumerate(zip(cancer_entries, list(out["cancers"]))):
        if c.role == "secondary":
            linked = [refs.resolve(r) for r in patient_conditions.related_primary(e)]
            linked = [x for x in linked if x in primary_type] or (primaries if len(primaries) == 1 else [])
            if linked:
                out["cancers"][i] = dataclasses.replace(c, cancer_type=primary_type[linked[0]])
    cancers = {c.evidence for c in out["cancers"]}
    cancer_codes = {c.evidence: {f"{x.system}|{x.code}" for x in c.codes if x.code} for c in out["cancers"]}
    linker = CancerLinker(entries, link_refs, cancers, primaries, warnings, links, cancer_codes)
    _stages(entries, kinds, refs, rules, linker, out, warnings)
    variant_genes: set[str] = set()
    for e in entries:
        try:
            _observation_facts(e, kinds[id(e)], vocab, rules, linker, warnings, out, variant_genes)
        except UNEXPECTED:
            # a shape the R4B model let through but the reader did not foresee: drop only
            # this resource, never fail the bundle (issue #3)
            warnings.add(e.location, "resource could not be read; not used")
    for e in entries:
        if kinds[id(e)] == "region_studied":
            out["genes_tested"] += genomics.region_facts(e, rules, warnings, effective_date(e.resource),
                                                         linker.cancer_of(e), variant_genes)
    _treatments(entries, kinds, refs, cancers, vocab, rules, out)
    for e in entries:
        try:
            if kinds[id(e)] == "allergy":
                _add(out["allergies"], allergies.allergy(e, vocab, warnings))
            elif kinds[id(e)] == "immunization":
                _add(out["immunizations"], immunizations.immunization(e, warnings))
            elif kinds[id(e)] == "adverse_event":
                _add(out["adverse_events"], adverse_events.adverse_event(e, refs, warnings))
        except UNEXPECTED:
            warnings.add(e.location, "resource could not be read; not used")
    out["studies"] = research_subjects.study_enrolments(entries, refs, patient["patient_ref"] if patient else None,
                                                         warnings)
    facts = {name: tuple(dict.fromkeys(values)) for name, values in out.items()}
    if patient is None and not any(facts.values()):
        issues = [(w.location, w.message) for w in warnings.items]
        raise PatientDataError("the Bundle holds no usable patient data",
                               issues + [("Bundle.entry", "no Patient and no usable clinical resource")])
    if patient is None:
        warnings.add("Bundle.entry", "no Patient resource; age and sex unknown")
    return PatientFacts(**(patient or {}), **facts, warnings=tuple(warnings.items))


def _observation_facts(e: Entry, kind, vocab, rules, linker, warnings, out, variant_genes) -> None:
    date = effective_date(e.resource)
    if kind == "tumor_marker":
        _add(out["markers"], tumor_markers.tumor_marker(e, vocab, rules, warnings, date, linker.cancer_of(e)))
    elif kind == "genomic_variant":
        for fact in genomics.variant_facts(e, rules, warnings, date, linker.cancer_of(e)):
            target = "variants" if type(fact).__name__ == "Variant" else "genes_tested"
            out[target].append(fact)
            if target == "variants":
                variant_genes.add(fact.gene)
    elif kind in ("ecog", "karnofsky"):
        _add(out["performance"], status_observations.performance(e, kind, rules, warnings, date))
    elif kind == "disease_status":
        _add(out["disease_status"], status_observations.coded_status(
            e, rules.values["disease_status"], "cancer disease status", warnings, date))
    elif kind == "pregnancy":
        _add(out["pregnancy"], status_observations.coded_status(
            e, rules.values["pregnancy_status"], "pregnancy status", warnings, date))
    elif kind == "lab":
        _add(out["labs"], labs.lab(e, vocab, rules, warnings, date))
    elif kind == "comorbid_condition" and not patient_conditions.is_ignored(e):
        out["conditions"].append(patient_conditions.comorbid(e))
        _add(out["pregnancy"], status_observations.pregnancy_from_condition(
            e, rules.values["pregnancy_condition"]))


def _add(target: list, fact) -> None:
    if fact is not None:
        target.append(fact)


def _patient(entries: list[Entry], warnings: Warnings) -> dict | None:
    patients = [e for e in entries if e.resource_type == "Patient"]
    distinct: dict[str, Entry] = {}
    for e in patients:
        if e.evidence in distinct and distinct[e.evidence].resource != e.resource:
            warnings.add(e.location, "the same Patient appears twice with different content; first kept")
        distinct.setdefault(e.evidence, e)
    if len(distinct) > 1:
        raise PatientDataError("the Bundle holds more than one Patient",
                               [(e.location, "a second, different Patient") for e in list(distinct.values())[1:]])
    if not distinct:
        return None
    return patient_conditions.patient_fields(next(iter(distinct.values())), warnings)


def _own_entries(entries: list[Entry], refs: ReferenceIndex, patient_ref: str,
                 warnings: Warnings) -> list[Entry]:
    """Drop resources whose subject (or patient) names a patient other than the Bundle's:
    their facts belong to someone else (seen in assembled IG example bundles)."""
    kept = []
    for e in entries:
        subject = e.resource.get("subject") or e.resource.get("patient")
        ref = subject.get("reference") if isinstance(subject, dict) else None
        if isinstance(ref, str) and refs.resolve(ref) != patient_ref:
            warnings.add(f"{e.location}.subject", "subject is not the Bundle's Patient; resource not used")
            continue
        kept.append(e)
    return kept


def _kind(e: Entry, rules: McodeRules, vocab, warnings: Warnings) -> str | None:
    by_profile = profile_kind(e.resource, rules)
    rtype = e.resource_type
    if e.resource.get("status") in VOID_STATUS:
        return None
    if rtype == "Patient":
        return "patient"
    if rtype == "Condition":
        if by_profile in CONDITION_KINDS:
            return by_profile
        return condition_kind(e.resource, rules, vocab)
    if rtype == "Observation":
        if by_profile in OBSERVATION_KINDS:
            return _cancer_stage(e, rules, warnings) if by_profile == "cancer_stage" else by_profile
        return observation_kind(e.resource, rules, vocab)
    if rtype in MEDICATION_TYPES:
        return "medication"
    if rtype == "Procedure":
        return by_profile if by_profile in ("surgery", "radiation") else "procedure"
    if rtype == "AllergyIntolerance":
        return "allergy"
    if rtype == "Immunization":
        return "immunization"
    if rtype == "AdverseEvent":
        return "adverse_event"
    return None


def _cancer_stage(e: Entry, rules: McodeRules, warnings: Warnings) -> str | None:
    kind = observation_kind(e.resource, rules, None)
    if kind in STAGE_KINDS:
        return kind
    warnings.add(f"{e.location}.code", "staging system other than TNM; not used")
    return None


def _stages(entries, kinds, refs: ReferenceIndex, rules: McodeRules, linker, out, warnings: Warnings) -> None:
    by_evidence = {e.evidence: e for e in entries}
    snomed = rules.values["stage_snomed"]
    members_of: dict[str, dict[str, str | None]] = {}
    consumed: set[str] = set()
    for e in entries:
        if kinds[id(e)] != "stage_group":
            continue
        members: dict[str, str | None] = {}
        for ref in (m.get("reference") for m in e.resource.get("hasMember") or () if isinstance(m, dict)):
            target = refs.resolve(ref) if isinstance(ref, str) else None
            member = by_evidence.get(target) if target else None
            if member is None or kinds[id(member)] not in ("tnm_t", "tnm_n", "tnm_m"):
                continue
            letter = staging.FIELD_OF_KIND[kinds[id(member)]]
            members[letter] = staging.normalise_category(member.resource.get("valueCodeableConcept"), letter,
                                                         snomed)
            consumed.add(member.evidence)
        members_of[e.evidence] = members
    assessed: set[str] = set()
    for e in entries:
        kind = kinds[id(e)]
        if kind not in STAGE_KINDS or (kind != "stage_group" and e.evidence in consumed):
            continue
        assessed.add(e.evidence)
        profile = _profile_name(e)
        stype = staging.staging_type(e.resource, profile, rules.staging_type)
        date = effective_date(e.resource)
        if kind == "stage_group":
            fact = staging.stage_from_group(e.evidence, e.resource, members_of[e.evidence], stype, date,
                                            linker.cancer_of(e), snomed)
            understood = fact.group
        else:
            fact = staging.stage_from_category(e.evidence, e.resource, kind, stype, date,
                                               linker.cancer_of(e), snomed)
            understood = fact.t or fact.n or fact.m
        if understood is None:
            warnings.add(f"{e.location}.valueCodeableConcept", "stage value not understood")
        out["stages"].append(fact)
    for e in entries:
        if e.resource_type != "Condition" or e.evidence not in {c.evidence for c in out["cancers"]}:
            continue
        for i, stage in enumerate(e.resource.get("stage") or ()):
            targets = {refs.resolve(r) for r in (a.get("reference") for a in stage.get("assessment") or ()
                                                 if isinstance(a, dict)) if isinstance(r, str)}
            if targets & (assessed | consumed):
                continue
            fact = staging.stage_from_summary(e.evidence, stage, e.evidence, snomed)
            if fact is None and stage.get("summary"):
                warnings.add(f"{e.location}.stage[{i}].summary", "stage summary not understood")
            _add(out["stages"], fact)


def _profile_name(e: Entry) -> str | None:
    meta = e.resource.get("meta") or {}
    for url in meta.get("profile") or ():
        if isinstance(url, str) and "mcode" in url:
            return url.rsplit("/", 1)[-1]
    return None


def _treatments(entries, kinds, refs: ReferenceIndex, cancers: set[str], vocab, rules, out) -> None:
    """Medications (profiled, or with an ingredient in a drug class: an oncology class or a
    concurrent-medication class such as systemic corticosteroids) and procedures."""
    medications = {}
    for e in entries:
        if e.resource_type == "Medication":
            medications[e.evidence] = e.resource
    profiled = {id(e) for e in entries if profile_kind(e.resource, rules) in ("medication", "surgery", "radiation")}
    for e in entries:
        kind = kinds[id(e)]
        if kind == "medication":
            codes = treatments.medication_codes(e, medications, refs)
            names = treatments.ingredients(codes, vocab)
            if id(e) in profiled or treatments.is_classed_drug(names, vocab):
                _add(out["medications"], treatments.medication(e, codes, names))
        elif kind in ("surgery", "radiation"):
            _add(out["procedures"], treatments.procedure(e, kind))
        elif kind == "procedure":
            reasons = {refs.resolve(r) for r in _reason_refs(e.resource)}
            if reasons & cancers:
                codes = treatments.codings_of(e.resource)
                kind = "radiation" if treatments.is_radiation_code(codes) else "other"
                _add(out["procedures"], treatments.procedure(e, kind))


def _reason_refs(resource: dict) -> list[str]:
    return [r["reference"] for r in resource.get("reasonReference") or ()
            if isinstance(r, dict) and isinstance(r.get("reference"), str)]
