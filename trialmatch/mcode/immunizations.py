"""Immunization -> Immunization facts (the evidence of Vaccination atoms).

Kept as recorded: the vaccine's codings (CVX or any other system; the matcher decides which
are live), the status and the date given (``occurrenceDateTime``; an ``occurrenceString``
such as "childhood" gives no date). Records not done or entered in error say nothing given and
are not kept. A record with no vaccine code names nothing: dropped with a warning naming its
location (no value is logged).
"""

from __future__ import annotations

from trialmatch.domain.facts import Immunization
from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import codings, parse_date

NOT_GIVEN = frozenset({"not-done", "entered-in-error"})


def immunization(entry: Entry, warnings: Warnings) -> Immunization | None:
    r = entry.resource
    if r.get("status") in NOT_GIVEN:
        return None
    codes = codings(r.get("vaccineCode"))
    if not codes:
        warnings.add(f"{entry.location}.vaccineCode", "immunization names no coded vaccine; not used")
        return None
    return Immunization(entry.evidence, codes, r.get("status"), parse_date(r.get("occurrenceDateTime")))
