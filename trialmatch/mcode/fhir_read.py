"""Small readers over validated FHIR resource dicts: codings, dates, references.

Every reader tolerates a missing element (returns ``None`` or an empty tuple); shapes were
checked by the R4B models before these run (``bundle_entries``).
"""

from __future__ import annotations

import re
from datetime import date

from trialmatch.domain.facts import Coding

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date(value: object) -> date | None:
    """FHIR date/dateTime/instant -> date. A partial date (``2019`` or ``2019-04``) is
    read as its first day: the freshness rules then treat it as older, never newer."""
    if not isinstance(value, str):
        return None
    m = _DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def codings(concept: object) -> tuple[Coding, ...]:
    """All codings of a CodeableConcept as domain Codings (text-only concepts give ())."""
    if not isinstance(concept, dict):
        return ()
    out = []
    for c in concept.get("coding") or ():
        if isinstance(c, dict) and (c.get("code") or c.get("display")):
            out.append(Coding(c.get("system"), c.get("code"), c.get("display")))
    return tuple(out)


def concept_list(value: object) -> list[dict]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return [value] if isinstance(value, dict) else []


def code_keys(concept: object) -> list[str]:
    """``"system|code"`` keys of a CodeableConcept, for rule-table look-ups."""
    return [f"{c.system}|{c.code}" for c in codings(concept) if c.code]


def first_code(concept: object, system: str) -> str | None:
    for c in codings(concept):
        if c.system == system and c.code:
            return c.code
    return None


def status_code(concept: object) -> str | None:
    """The code of a status CodeableConcept (clinicalStatus, verificationStatus)."""
    for c in codings(concept):
        if c.code:
            return c.code
    return None


def effective_date(resource: dict) -> date | None:
    for key in ("effectiveDateTime", "effectiveInstant", "performedDateTime", "occurrenceDateTime"):
        if key in resource:
            return parse_date(resource[key])
    for key in ("effectivePeriod", "performedPeriod"):
        period = resource.get(key)
        if isinstance(period, dict):
            return parse_date(period.get("start")) or parse_date(period.get("end"))
    return parse_date(resource.get("issued"))


def period(resource: dict, date_key: str, period_key: str) -> tuple[date | None, date | None]:
    if date_key in resource:
        d = parse_date(resource[date_key])
        return d, d
    p = resource.get(period_key)
    if isinstance(p, dict):
        return parse_date(p.get("start")), parse_date(p.get("end"))
    return None, None


def references(value: object) -> list[str]:
    """The ``reference`` strings of a Reference or a list of References."""
    out = []
    for ref in value if isinstance(value, list) else [value]:
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
            out.append(ref["reference"])
    return out


def extensions(resource: dict, *url_suffixes: str) -> list[dict]:
    """Extensions whose URL ends with one of ``url_suffixes`` (mCODE STU1-4 base URLs differ)."""
    found = resource.get("extension")
    return [
        e
        for e in (found if isinstance(found, list) else ())
        if isinstance(e, dict) and isinstance(e.get("url"), str) and e["url"].endswith(url_suffixes)
    ]
