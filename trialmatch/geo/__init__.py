"""Distances between a patient's ZIP code and trial sites, from a bundled US ZIP -> coordinates
table (no download at run time). Great-circle (haversine) distance in statute miles."""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass
from importlib import resources

from trialmatch.errors import RuleFileError

EARTH_RADIUS_MILES = 3958.8


@dataclass(frozen=True)
class Site:
    name: str | None
    zip: str | None
    status: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None


@functools.cache
def zip_table() -> dict[str, tuple[float, float]]:
    table = {}
    with (resources.files("trialmatch.geo") / "data" / "uszips.tsv").open(encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except (KeyError, TypeError, ValueError):
                raise RuleFileError(f"uszips.tsv line {line_no}: latitude/longitude must be numbers") from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise RuleFileError(f"uszips.tsv line {line_no}: coordinates out of range")
            table[row["zip"]] = (lat, lon)
    return table


def normalise_zip(value: str | None) -> str | None:
    """The 5-digit ZIP of '02115' or '02115-1234'; anything else (a 4-digit Australian postcode
    included) is not a US ZIP and gives None rather than a guess."""
    if not value:
        return None
    digits = value.strip().split("-")[0]
    return digits if digits.isdigit() and len(digits) == 5 else None


def coordinates(zip_code: str | None) -> tuple[float, float] | None:
    z = normalise_zip(zip_code)
    return None if z is None else zip_table().get(z)


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


US_NAMES = frozenset({"united states", "united states of america", "usa", "us"})
RECRUITING = frozenset({"recruiting", "not yet recruiting", "not_yet_recruiting", "enrolling by invitation",
                        "enrolling_by_invitation", "active"})


def nearest_site(patient_zip: str | None, sites) -> tuple[Site | None, float | None]:
    """(nearest recruiting site with a known location, miles), or (None, None) when the patient's
    ZIP or every site's location is unknown: the caller reports "distance unknown", never drops."""
    origin = coordinates(patient_zip)
    if origin is None:
        return None, None
    best: tuple[Site | None, float | None] = (None, None)
    for site in sites:
        if (site.status or "").lower() not in RECRUITING and site.status is not None:
            continue
        if site.country and site.country.strip().lower() not in US_NAMES:
            continue
        where = coordinates(site.zip)
        if where is None:
            continue
        miles = miles_between(origin, where)
        if best[1] is None or miles < best[1]:
            best = (site, miles)
    return best
