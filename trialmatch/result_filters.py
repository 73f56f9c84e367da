"""Search filters applied to a match view: distance (ZIP code and travel radius), phase,
recruitment status, study type, and the maximum number of results.

Nothing is dropped for lack of data: a trial whose sites have no known location is kept and
marked ``"distance": "unknown"``; a trial with no recorded phase or status is kept under a phase or
status or study-type filter and marked likewise. Filters run after matching (on the cached, unfiltered view), so
one cached match serves every filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trialmatch.errors import CriteriaError
from trialmatch.geo import Site, nearest_site


@dataclass(frozen=True)
class Filters:
    zip_code: str | None = None
    radius_miles: float | None = None
    phases: frozenset[str] = frozenset()  # normalised: "PHASE1", "PHASE2", "EARLY_PHASE1", ...
    statuses: frozenset[str] = frozenset()  # normalised: "RECRUITING", "NOT_YET_RECRUITING", ...
    study_types: frozenset[str] = frozenset()  # "INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS"
    limit: int | None = None

    def as_dict(self) -> dict:
        return {"zip": self.zip_code, "radius_miles": self.radius_miles, "phases": sorted(self.phases),
                "statuses": sorted(self.statuses), "study_types": sorted(self.study_types), "limit": self.limit}

    @classmethod
    def from_dict(cls, data: dict) -> "Filters":
        return cls(zip_code=data.get("zip"), radius_miles=data.get("radius_miles"),
                   phases=frozenset(data.get("phases", ())), statuses=frozenset(data.get("statuses", ())),
                   study_types=frozenset(data.get("study_types", ())), limit=data.get("limit"))


def normalise_phase(text: str) -> set[str]:
    """'Phase 1/Phase 2', 'PHASE1_PHASE2', 'phase-2', '2', 'Early Phase 1' -> {'PHASE1', 'PHASE2'}, ..."""
    t = text.upper().replace("-", " ").replace("_", " ")
    early = "EARLY" in t
    numbers = re.findall(r"(?:PHASE\s*)?([1-4]|I{1,3}V?|IV)\b", t)
    roman = {"I": "1", "II": "2", "III": "3", "IV": "4"}
    phases = {f"PHASE{roman.get(n, n)}" for n in numbers}
    if early:
        phases = {"EARLY_PHASE1"}
    return phases


def normalise_status(text: str) -> str:
    return re.sub(r"[\s,-]+", "_", text.strip().upper())


STUDY_TYPES = ("INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS")


def parse_filters(*, zip_code=None, radius=None, phase=None, status=None, study_type=None, limit=None) -> Filters:
    """Filters from request strings; a malformed value is refused naming the parameter."""
    radius_miles = None
    if radius not in (None, ""):
        try:
            radius_miles = float(radius)
        except (TypeError, ValueError):
            raise CriteriaError(f"travelRadius: expected a number of miles, got {radius!r}") from None
        if radius_miles < 0:
            raise CriteriaError("travelRadius: must not be negative")
    phases = set()
    for item in _split(phase):
        found = normalise_phase(item)
        if not found:
            raise CriteriaError(f"phase: {item!r} is not a trial phase")
        phases |= found
    statuses = {normalise_status(s) for s in _split(status)}
    study_types = {normalise_status(s) for s in _split(study_type)}
    unknown = sorted(study_types - set(STUDY_TYPES))
    if unknown:
        raise CriteriaError(f"studyType: {unknown[0]!r} is not one of {', '.join(STUDY_TYPES)}")
    max_results = None
    if limit not in (None, ""):
        try:
            max_results = int(limit)
        except (TypeError, ValueError):
            raise CriteriaError(f"limit: expected a whole number, got {limit!r}") from None
        if max_results < 1:
            raise CriteriaError("limit: must be at least 1")
    return Filters(zip_code=zip_code or None, radius_miles=radius_miles, phases=frozenset(phases),
                   statuses=frozenset(statuses), study_types=frozenset(study_types), limit=max_results)


def _split(value) -> list[str]:
    if value in (None, ""):
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return [str(i).strip() for i in items if str(i).strip()]


def apply_filters(view: dict, filters: Filters, sites_by_trial: dict[str, tuple[Site, ...]],
                  patient_zip: str | None, study_types: dict[str, str | None] | None = None) -> dict:
    """A copy of the view with results filtered and annotated (``nearest_site``, ``distance``)."""
    origin = filters.zip_code or patient_zip
    kept = []
    for result in view["results"]:
        result = dict(result)
        if filters.phases:
            phases = normalise_phase(result.get("phase") or "")
            if not phases:
                result["phase_unknown"] = True
            elif not phases & filters.phases:
                continue
        if filters.statuses:
            if not result.get("status"):
                result["status_unknown"] = True
            elif normalise_status(result["status"]) not in filters.statuses:
                continue
        if filters.study_types:
            kind = (study_types or {}).get(result["trial_id"])
            if kind is None:
                result["study_type_unknown"] = True
            elif kind not in filters.study_types:
                continue
        if origin:
            site, miles = nearest_site(origin, sites_by_trial.get(result["trial_id"], ()))
            if miles is None:
                result["distance"] = "unknown"
                result["nearest_site"] = None
            else:
                if filters.radius_miles is not None and miles > filters.radius_miles:
                    continue
                result["distance"] = round(miles, 1)
                result["nearest_site"] = {"name": site.name, "city": site.city, "state": site.state,
                                          "zip": site.zip, "miles": round(miles, 1)}
        kept.append(result)
    if filters.limit is not None:
        kept = kept[: filters.limit]
    return dict(view, results=kept, filters=filters.as_dict())
