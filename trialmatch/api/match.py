"""POST /api/v1/match: an mCODE Bundle in, ranked trials with per-criterion verdicts out.

The web process only checks the request's shape and the cache; matching runs in a Celery job.
It waits up to ``match_wait_seconds`` for the job (200 with the result) and otherwise answers
202 with the job's Location; ``Prefer: respond-async`` or ``?mode=async`` gives 202 at once.
The wait blocks on the job's result list in Redis (trialmatch.cache.JobResults), no polling.
With no broker reachable (or Redis lost during the wait) it matches in-process, uncached, and
says so (``"mode": "in-process"``).
``Cache-Control: no-cache`` skips the cache lookup (the fresh result is still cached).
``Idempotency-Key``: the same key with the same request returns the same job (for 24 h).
"""

from __future__ import annotations

import json
import logging
from datetime import date

import redis
from flask import Blueprint, current_app, g, request

from trialmatch import services
from trialmatch.api.auth import require
from trialmatch.api.celery import MATCH_TASK
from trialmatch.api.errors import FHIR_JSON, problem_response
from trialmatch.api.jobs import accepted, idempotent_job, submit, wait_for
from trialmatch.api.presentation import body_response, outcome_response
from trialmatch.entered_facts import parse_entered_facts
from trialmatch.errors import PatientDataError
from trialmatch.result_filters import Filters, parse_filters

bp = Blueprint("match", __name__)
log = logging.getLogger(__name__)
request_log = logging.getLogger("trialmatch.requests")  # key id and patient hash only, never patient data
ACCEPTED_TYPES = ("application/fhir+json", "application/json")


def read_bundle() -> dict:
    """The request body, which must be a FHIR Bundle."""
    bundle, entered = split_envelope(read_body())
    if entered is not None:
        raise PatientDataError("entered_facts: not accepted here", [("entered_facts", "not accepted here")])
    return bundle


def read_body():
    mimetype = request.mimetype or ""
    if mimetype and mimetype not in ACCEPTED_TYPES:
        raise PatientDataError(f"unsupported content type {mimetype!r}; send application/fhir+json",
                               [("", f"unsupported content type {mimetype!r}; send application/fhir+json")])
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = f"the body is not valid JSON ({type(exc).__name__} at position {getattr(exc, 'pos', '?')})"
        raise PatientDataError(message, [("", message)]) from None
    return body


def split_envelope(body) -> tuple[dict, dict | None]:
    """A Bundle, or ``{"bundle": Bundle, "entered_facts": {...}}`` (trialmatch.entered_facts)."""
    entered = None
    if isinstance(body, dict) and "bundle" in body and "resourceType" not in body:
        unknown = sorted(set(body) - {"bundle", "entered_facts"})
        if unknown:
            raise PatientDataError(f"{unknown[0]}: unknown key", [(unknown[0], "unknown key; expected bundle and entered_facts")])
        body, entered = body["bundle"], body.get("entered_facts")
    if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
        found = body.get("resourceType") if isinstance(body, dict) else type(body).__name__
        message = f"expected a FHIR Bundle, got resourceType {found!r}"
        raise PatientDataError(message, [("resourceType", message)])
    return body, entered


def read_as_of(today: date) -> date | None:
    raw = request.args.get("as_of") or request.args.get("asOf")
    if raw is None:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def wants_fresh() -> bool:
    """``Cache-Control: no-cache``: the client asks for a freshly computed result."""
    return "no-cache" in request.headers.get("Cache-Control", "")


def wants_async() -> bool:
    prefer = request.headers.get("Prefer", "")
    return "respond-async" in prefer or request.args.get("mode") == "async"


@bp.post("/api/v1/match")
@require("clinician")
def match():
    runtime = current_app.extensions["trialmatch"]
    bundle, entered = split_envelope(read_body())
    as_of = read_as_of(runtime.today())
    if as_of is None:
        return problem_response(400, "Bad Request", "as_of: expected a date YYYY-MM-DD")
    parse_entered_facts(entered, as_of=as_of, vocab=runtime.vocab)  # refuse bad entered facts before any job
    filters = parse_filters(zip_code=request.args.get("zipCode") or request.args.get("zip"),
                            radius=request.args.get("travelRadius") or request.args.get("radius"),
                            phase=request.args.get("phase"),
                            status=request.args.get("recruitmentStatus") or request.args.get("status"),
                            study_type=request.args.get("studyType"),
                            limit=request.args.get("limit") or request.args.get("_count"))
    return match_request(bundle=bundle, as_of=as_of, filters=filters, fhir=wants_fhir(), is_async=wants_async(),
                         entered=entered)


def wants_fhir() -> bool:
    """FHIR only when the client names application/fhir+json (``*/*`` gets the plain JSON view)."""
    named = {value: quality for value, quality in request.accept_mimetypes}
    fhir = named.get(FHIR_JSON, 0)
    return fhir > 0 and fhir >= named.get("application/json", 0)


def match_request(*, bundle: dict, as_of: date, filters: Filters, fhir: bool, is_async: bool,
                  wrap: str | None = None, entered: dict | None = None):
    """The match flow shared by /api/v1/match and the CodeX endpoints (see the module docstring).
    ``wrap="parameters"`` answers the FHIR searchset inside Parameters (ResearchStudy/$match)."""
    runtime = current_app.extensions["trialmatch"]
    celery_app = current_app.extensions["celery"]
    catalogue = runtime.catalogues.current()
    fmt = "fhir-parameters" if wrap == "parameters" else ("fhir" if fhir else "json")
    key = services.match_cache_key(bundle=bundle, as_of=as_of, catalogue_version=catalogue.version, entered=entered,
                                   filters=filters.as_dict(), fmt=fmt)
    request_log.info("match key=%s patient=%s as_of=%s", g.caller.key_id, key.rsplit(":", 1)[-1][:16], as_of)
    idempotency_key = request.headers.get("Idempotency-Key")
    if not is_async and not wants_fresh() and not idempotency_key:
        cached = runtime.cache.get(key)
        if cached is not None:
            return body_response(cached, fmt=fmt, mode="cache", cached=True)

    def start() -> str | None:
        return submit(runtime, celery_app, MATCH_TASK,
                      {"bundle": bundle, "as_of": as_of.isoformat(), "catalogue_version": catalogue.version,
                       "entered": entered, "filters": filters.as_dict(), "fmt": fmt})

    if idempotency_key:
        job_id = idempotent_job(runtime, caller_id=g.caller_digest, key=idempotency_key, request_digest=key,
                                start=start)
    else:
        job_id = start()
    def in_process():
        outcome = services.run_match_job(bundle=bundle, as_of=as_of, catalogue=catalogue, vocab=runtime.vocab,
                                         cache=None, entered=entered, filters=filters.as_dict(), fmt=fmt)
        return outcome_response(outcome, fmt=fmt, mode="in-process")

    if job_id is None:
        if is_async:
            response = problem_response(503, "Service Unavailable",
                                        "asynchronous matching needs the job queue (Redis), which is not reachable")
            response.headers["Retry-After"] = "10"
            return response
        return in_process()
    if is_async:
        return accepted(job_id)
    try:
        outcome = wait_for(runtime, celery_app, job_id, runtime.settings.match_wait_seconds)
    except redis.RedisError:  # Redis went away while the job ran: answer as without it
        log.warning("job store unavailable while waiting, matching in-process")
        return in_process()
    if outcome is None:
        return accepted(job_id)
    return outcome_response(outcome, fmt=fmt, mode="worker", job_id=job_id)
