"""AdverseEvent -> AdverseEvent facts (the evidence of ResidualToxicity atoms).

Read as the HL7 CTCAE implementation guide records them (CTC Adverse Event profile,
http://hl7.org/fhir/us/ctcae): the grade is the ``ctcae-grade`` extension, a code 0-5 of
http://hl7.org/fhir/us/ctcae/CodeSystem/ctcae-grade-code-system (0: no adverse event, 5:
death); the ``adverse-event-resolved-date`` extension is the date the event ended or returned
to baseline (NCI Thesaurus definition, quoted by the IG). ``outcome`` is the R4 code of
http://terminology.hl7.org/CodeSystem/adverse-event-outcome. ``suspectEntity.instance`` names
the cause (a MedicationAdministration, a Procedure ...), resolved against the Bundle.

Not kept: a record whose ``actuality`` is "potential" (a near miss, nothing happened to the
patient). A grade code outside 0-5, or a grade from another code system, is not read (warning
naming the location, no value logged); the R4 ``severity`` (mild / moderate / severe) is no
CTCAE grade and is not mapped to one.
"""

from __future__ import annotations

from trialmatch.domain.facts import AdverseEvent
from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import codings, extensions, parse_date, references
from trialmatch.mcode.references import ReferenceIndex

GRADE_URL = "http://hl7.org/fhir/us/ctcae/StructureDefinition/ctcae-grade"
GRADE_SYSTEM = "http://hl7.org/fhir/us/ctcae/CodeSystem/ctcae-grade-code-system"
RESOLVED_URL = "http://hl7.org/fhir/us/ctcae/StructureDefinition/adverse-event-resolved-date"
OUTCOME_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
OUTCOMES = frozenset({"resolved", "recovering", "ongoing", "resolvedWithSequelae", "fatal", "unknown"})


def adverse_event(entry: Entry, refs: ReferenceIndex, warnings: Warnings) -> AdverseEvent | None:
    r = entry.resource
    if r.get("actuality") == "potential":
        return None
    event = r.get("event") if isinstance(r.get("event"), dict) else {}
    text = event.get("text") if isinstance(event.get("text"), str) and event.get("text").strip() else None
    suspects = []
    for suspect in r.get("suspectEntity") or ():
        for ref in references(suspect.get("instance") if isinstance(suspect, dict) else None):
            suspects.append(refs.resolve(ref) or ref)
    return AdverseEvent(entry.evidence, codings(event), text, _grade(entry, warnings), _outcome(entry, warnings),
                        _resolved(r), parse_date(r.get("date")), parse_date(r.get("recordedDate")),
                        tuple(dict.fromkeys(suspects)))


def _grade(entry: Entry, warnings: Warnings) -> int | None:
    found = [e for e in extensions(entry.resource, "/ctcae-grade") if e.get("url") == GRADE_URL]
    if not found:
        return None
    grades = {c.code for e in found for c in codings(e.get("valueCodeableConcept")) if c.system == GRADE_SYSTEM}
    if len(grades) != 1 or next(iter(grades)) not in {"0", "1", "2", "3", "4", "5"}:
        warnings.add(f"{entry.location}.extension", "CTCAE grade not understood; grade not used")
        return None
    return int(next(iter(grades)))


def _resolved(resource: dict):
    dates = [parse_date(e.get("valueDateTime")) for e in extensions(resource, "/adverse-event-resolved-date")
             if e.get("url") == RESOLVED_URL]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def _outcome(entry: Entry, warnings: Warnings) -> str | None:
    outcome = entry.resource.get("outcome")
    if outcome is None:
        return None
    codes = {c.code for c in codings(outcome) if c.system == OUTCOME_SYSTEM and c.code in OUTCOMES}
    if len(codes) != 1:
        warnings.add(f"{entry.location}.outcome", "adverse event outcome not understood; not used")
        return None
    return next(iter(codes))
