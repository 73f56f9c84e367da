"""The resources that only carry links: Specimen, DiagnosticReport and ServiceRequest.

They hold no fact the matcher reads, so ``read_bundle`` skips them; the cancer linker
still follows them (issue #3): an Observation's ``specimen``, the Specimen's ``request``
(a ServiceRequest whose ``reasonReference`` names the cancer) or related-condition
extension, and the DiagnosticReport whose ``result`` lists the Observation. They are read
here as plain JSON, without model validation: only their references, extensions and
``conclusionCode`` are looked at, each checked for shape. Resources recorded in error, or
whose subject is another patient, are left out.
"""

from __future__ import annotations

from trialmatch.mcode.bundle_entries import Entry
from trialmatch.mcode.fhir_read import references
from trialmatch.mcode.references import ReferenceIndex

LINK_TYPES = frozenset({"Specimen", "DiagnosticReport", "ServiceRequest"})
VOID_STATUS = frozenset({"entered-in-error", "cancelled", "revoked"})


def link_entries(bundle: dict) -> list[Entry]:
    """The link-only resources of ``bundle`` (already known to be a Bundle dict)."""
    raw_entries = bundle.get("entry")
    out = []
    for i, raw in enumerate(raw_entries if isinstance(raw_entries, list) else ()):
        resource = raw.get("resource") if isinstance(raw, dict) else None
        rtype = resource.get("resourceType") if isinstance(resource, dict) else None
        if not isinstance(rtype, str) or rtype not in LINK_TYPES:
            continue
        status = resource.get("status")
        if isinstance(status, str) and status in VOID_STATUS:
            continue
        full_url = raw.get("fullUrl") if isinstance(raw.get("fullUrl"), str) else None
        rid = resource.get("id")
        location = f"Bundle.entry[{i}].resource"
        evidence = f"{rtype}/{rid}" if isinstance(rid, str) and rid else (full_url or location)
        out.append(Entry(i, location, rtype, resource, full_url, evidence))
    return out


def own_links(links: list[Entry], refs: ReferenceIndex, patient_ref: str | None) -> list[Entry]:
    """Drop link resources whose subject names a patient other than the Bundle's."""
    if patient_ref is None:
        return links
    kept = []
    for e in links:
        subject = references(e.resource.get("subject"))
        if subject and refs.resolve(subject[0]) != patient_ref:
            continue
        kept.append(e)
    return kept
