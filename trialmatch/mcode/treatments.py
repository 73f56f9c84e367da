"""Medications (MedicationStatement, MedicationRequest, MedicationAdministration) and
cancer-related procedures (surgery, radiation).

Without an mCODE profile a medication is kept when the vocabulary puts one of its ingredients
in a drug class (``is_classed_drug``): it is cancer-related when one of those classes is an
oncology class, else a concurrent medication (a systemic corticosteroid, an
immunosuppressant: classes marked ``oncology: false``), kept as a patient fact for the
criteria that name it but never a cancer therapy (the matcher's lines of therapy and "prior
systemic therapy" read oncology classes only). Other medications (antibiotics, analgesics)
are not kept. A procedure is cancer-related
when its reason is a cancer condition of the bundle; such a procedure is "radiation" when
its code says radiotherapy, else "other" (not "surgery": a biopsy or a port placement is
not the surgery a criterion means).

A procedure's date is the last day it was performed: the end of ``performedPeriod`` (a
radiotherapy course lasts weeks, and a washout runs from its last fraction), else its start or
``performedDateTime``. A period with a start and no end whose status is "in-progress" is under
way: its last day is not known, so the date is left empty (the matcher's windows give UNKNOWN,
never "more than N days ago" from the course's first day).
"""

from __future__ import annotations

from trialmatch.domain.facts import RXNORM, Medication, Procedure
from trialmatch.mcode.bundle_entries import Entry
from trialmatch.mcode.fhir_read import codings, parse_date, period

SKIPPED_STATUS = frozenset({"entered-in-error", "not-taken", "not-done"})
_RADIATION_WORDS = ("radiation", "radiotherapy", "teleradiotherapy", "brachytherapy", "irradiation")


def medication_codes(entry: Entry, medications: dict[str, dict], refs) -> tuple:
    r = entry.resource
    if "medicationCodeableConcept" in r:
        return codings(r["medicationCodeableConcept"])
    ref = (r.get("medicationReference") or {}).get("reference")
    med = medications.get(refs.resolve(ref)) if isinstance(ref, str) else None
    return codings(med.get("code")) if med else ()


def ingredients(codes: tuple, vocab) -> tuple[str, ...]:
    """Ingredient keys of the record's RxNorm codes. A code the table does not hold falls back to the
    concurrent medications its display names ("apixaban 5 MG Oral Tablet"): most of them have no
    code in the table, and a current one missed would let an older record of its class clear the
    patient of a "current anticoagulant" exclusion. Oncology drugs are read from codes only."""
    out: list[str] = []
    for c in codes:
        if c.system == RXNORM and c.code:
            # every ingredient of a combination product (a co-pack of ribociclib and letrozole), as the
            # matcher's view reads them
            found = vocab.drugs_for_rxnorm(c.code) or vocab.concurrent_drugs_in(c.display)
            out.extend(i for i in found if i not in out)
    return tuple(out)


def is_classed_drug(names: tuple[str, ...], vocab) -> bool:
    """An ingredient in any drug class, oncology or concurrent medication: kept as a fact."""
    return any(vocab.drug_classes(n) for n in names)


def medication(entry: Entry, codes: tuple, names: tuple[str, ...]) -> Medication | None:
    r = entry.resource
    if r.get("status") in SKIPPED_STATUS:
        return None
    if entry.resource_type == "MedicationRequest":
        start = parse_date(r.get("authoredOn"))
        validity = (r.get("dispenseRequest") or {}).get("validityPeriod") or {}
        end = parse_date(validity.get("end"))
    else:
        start, end = period(r, "effectiveDateTime", "effectivePeriod")
        if "effectiveDateTime" in r and entry.resource_type == "MedicationStatement" \
                and r.get("status") != "completed":
            end = None  # "taken as of" that day: the course's end is not known
    return Medication(entry.evidence, codes, names, r.get("status"), start, end)


def is_radiation_code(codes: tuple) -> bool:
    return any(any(w in (c.display or "").lower() for w in _RADIATION_WORDS) for c in codes)


def procedure(entry: Entry, kind: str) -> Procedure | None:
    r = entry.resource
    if r.get("status") in SKIPPED_STATUS:
        return None
    start, end = period(r, "performedDateTime", "performedPeriod")
    if end is None and "performedPeriod" in r and r.get("status") == "in-progress":
        start = None  # under way: its last day is not known yet
    body_site: tuple = ()
    for site in r.get("bodySite") or ():
        body_site += codings(site)
    return Procedure(entry.evidence, kind, codings(r.get("code")), body_site, end or start)


def codings_of(resource: dict) -> tuple:
    return codings(resource.get("code"))
