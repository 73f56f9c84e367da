"""How a computed match view reaches the client: filtered (distance, phase, status, limit),
then as plain JSON or as FHIR (a searchset Bundle, or the endpoint's own wrapper resource).
Used by the match endpoints and by GET /api/v1/jobs/{id}, so both answer alike."""

from __future__ import annotations

from flask import current_app, jsonify

from trialmatch.api.errors import FHIR_JSON, job_error_response
from trialmatch.fhir_output import searchset
from trialmatch.result_filters import Filters, apply_filters


def outcome_response(outcome: dict, *, mode: str, job_id: str | None = None, **view_options):
    if outcome.get("status") == "done":
        return present(outcome["result"], mode=mode, cached=False, job_id=job_id, **view_options)
    return job_error_response(outcome.get("error", {}))


def presented_body(view: dict, *, filters: dict, fhir: bool, wrap: str | None, mode: str, cached: bool,
                   job_id: str | None = None) -> dict:
    """The body a client gets for a computed view: filtered, then plain JSON or FHIR."""
    runtime = current_app.extensions["trialmatch"]
    filtered = apply_filters(view, Filters.from_dict(filters), runtime.catalogues.current().sites,
                             view.get("patient_postal_code"))
    if fhir:
        bundle = searchset(filtered)
        return WRAPPERS[wrap](bundle) if wrap else bundle
    body = dict(filtered, mode=mode, cached=cached)
    if job_id:
        body["job"] = job_id
    return body


def present(view: dict, *, mode: str, cached: bool, job_id: str | None = None, **view_options):
    response = jsonify(presented_body(view, mode=mode, cached=cached, job_id=job_id, **view_options))
    if view_options["fhir"]:
        response.mimetype = FHIR_JSON
    response.headers["X-Cache"] = "hit" if cached else "miss"
    return response


WRAPPERS = {
    "parameters": lambda bundle: {"resourceType": "Parameters",
                                  "parameter": [{"name": "trialMatchOutput", "resource": bundle}]},
}
