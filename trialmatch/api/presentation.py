"""How a rendered match body (``trialmatch.match_view``, rendered where the match ran) reaches
the client, from the worker, the in-process fallback or the cache alike: as text, without
decoding it again. The plain JSON view gets ``mode``, ``cached`` and ``job`` added; FHIR bodies
are sent as they are (the same facts are in the X-Cache and X-Trialmatch-Mode headers)."""

from __future__ import annotations

from flask import Response

from trialmatch.api.errors import FHIR_JSON, job_error_response
from trialmatch.match_view import with_fields


def body_response(body_json: str, *, fmt: str, mode: str, cached: bool, job_id: str | None = None) -> Response:
    if fmt == "json":
        fields = {"mode": mode, "cached": cached}
        if job_id:
            fields["job"] = job_id
        response = Response(with_fields(body_json, fields), mimetype="application/json")
    else:
        response = Response(body_json, mimetype=FHIR_JSON)
    response.headers["X-Cache"] = "hit" if cached else "miss"
    response.headers["X-Trialmatch-Mode"] = mode
    return response


def outcome_response(outcome: dict, *, fmt: str, mode: str, job_id: str | None = None) -> Response:
    if outcome.get("status") == "done":
        return body_response(outcome["body"], fmt=fmt, mode=mode, cached=False, job_id=job_id)
    return job_error_response(outcome.get("error", {}))
