"""Patient demographics, cancer conditions (primary, secondary) and comorbid conditions."""

from __future__ import annotations

from trialmatch.domain.facts import Cancer, Condition
from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import codings, extensions, parse_date, status_code

IGNORED_VERIFICATION = frozenset({"refuted", "entered-in-error"})
SEXES = frozenset({"female", "male", "other", "unknown"})


def patient_fields(entry: Entry, warnings: Warnings) -> dict:
    r = entry.resource
    if isinstance(r.get("birthDate"), str) and len(r["birthDate"]) < 10:
        warnings.add(f"{entry.location}.birthDate", "birth date is partial; read as its first day "
                     "(age may be up to one year too high)")
    address = next((a for a in r.get("address") or () if isinstance(a, dict)
                    and (a.get("postalCode") or a.get("country"))), {})
    deceased = None
    deceased_date = None
    if "deceasedBoolean" in r:
        deceased = bool(r["deceasedBoolean"])
    elif "deceasedDateTime" in r:
        deceased = True
        deceased_date = parse_date(r["deceasedDateTime"])
    return {
        "patient_ref": entry.evidence,
        "birth_date": parse_date(r.get("birthDate")),
        "sex": r.get("gender") if r.get("gender") in SEXES else None,
        "postal_code": address.get("postalCode"),
        "country": address.get("country"),
        "deceased": deceased,
        "deceased_date": deceased_date,
    }


def is_ignored(entry: Entry) -> bool:
    """Refuted and entered-in-error conditions are not facts."""
    return status_code(entry.resource.get("verificationStatus")) in IGNORED_VERIFICATION


def cancer(entry: Entry, role: str, vocab, warnings: Warnings) -> Cancer:
    """A secondary cancer's code names where it spread, not what it is: its cancer_type is
    set later from the primary it is linked to (``with_primary_type``), else stays None."""
    r = entry.resource
    codes = codings(r.get("code"))
    cancer_type = None
    if vocab is not None and role == "primary":
        for c in codes:
            cancer_type = vocab.cancer_type_for(c)
            if cancer_type:
                break
    if cancer_type is None and role == "primary":
        warnings.add(f"{entry.location}.code", "cancer type not recognised by the vocabulary")
    histology: tuple = ()
    for ext in extensions(r, "mcode-histology-morphology-behavior"):
        histology += codings(ext.get("valueCodeableConcept"))
    body_site: tuple = ()
    laterality = None
    for site in r.get("bodySite") or ():
        body_site += codings(site)
        for ext in extensions(site, "mcode-laterality-qualifier", "mcode-laterality"):
            laterality = laterality or next(iter(codings(ext.get("valueCodeableConcept"))), None)
    for ext in extensions(r, "mcode-laterality"):
        laterality = laterality or next(iter(codings(ext.get("valueCodeableConcept"))), None)
    return Cancer(
        evidence=entry.evidence,
        role=role,
        codes=codes,
        cancer_type=cancer_type,
        histology=histology,
        body_site=body_site,
        laterality=laterality,
        clinical_status=status_code(r.get("clinicalStatus")),
        onset=_onset(r),
        recorded=parse_date(r.get("recordedDate")) or _asserted(r),
    )


def comorbid(entry: Entry) -> Condition:
    r = entry.resource
    return Condition(
        evidence=entry.evidence,
        codes=codings(r.get("code")),
        clinical_status=status_code(r.get("clinicalStatus")),
        onset=_onset(r),
        recorded=parse_date(r.get("recordedDate")) or _asserted(r),
    )


def _onset(r: dict):
    if "onsetDateTime" in r:
        return parse_date(r["onsetDateTime"])
    period = r.get("onsetPeriod")
    if isinstance(period, dict):
        return parse_date(period.get("start"))
    return None


def _asserted(r: dict):
    for ext in extensions(r, "condition-assertedDate"):
        return parse_date(ext.get("valueDateTime"))
    return None


def related_primary(entry: Entry) -> list[str]:
    """References of the related primary cancer extension of a secondary cancer."""
    out = []
    for ext in extensions(entry.resource, "mcode-related-primary-cancer-condition"):
        ref = (ext.get("valueReference") or {}).get("reference")
        if isinstance(ref, str):
            out.append(ref)
    return out
