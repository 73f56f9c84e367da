"""Match jobs on Celery: submit, wait, and GET /api/v1/jobs/{id}.

Job ids are registered in Redis for the result lifetime, so an unknown id is a 404 (Celery
alone cannot tell an unknown id from a queued one).
"""

from __future__ import annotations

import json
import logging
import time

import redis
from celery.states import READY_STATES
from flask import Blueprint, Response, current_app, jsonify, url_for

from trialmatch.api.auth import require
from trialmatch.api.errors import operation_outcome, problem_response
from trialmatch.errors import CriteriaError

log = logging.getLogger(__name__)
bp = Blueprint("jobs", __name__)
JOB_KEY = "trialmatch:job:"


def submit(runtime, celery_app, task: str, kwargs: dict) -> str | None:
    """Enqueue a job; None when the broker cannot be reached (the caller then works in-process)."""
    if not runtime.redis_alive():
        return None
    try:
        # kwargsrepr names the arguments only: Celery's own (a repr of the values) puts patient
        # data into the message headers and costs the web a walk over the whole bundle
        result = celery_app.send_task(task, kwargs=kwargs, kwargsrepr="{" + ", ".join(sorted(kwargs)) + "}")
        runtime.redis.set(JOB_KEY + result.id, task, ex=runtime.settings.cache_ttl_seconds)
    except Exception as exc:  # kombu/redis connection errors: fall back, never fail
        log.warning("broker unavailable, matching in-process: %s", type(exc).__name__)
        return None
    return result.id


IDEMPOTENCY_KEY = "trialmatch:idem:"


def idempotent_job(runtime, *, caller_id: str, key: str, request_digest: str, start) -> str | None:
    """The job of an earlier request with the same ``Idempotency-Key`` (same caller, same request),
    else the job ``start()`` creates, remembered for the job lifetime. A key reused for another
    request is refused (CriteriaError naming the header)."""
    slot = f"{IDEMPOTENCY_KEY}{caller_id}:{key}"
    try:
        known = runtime.redis.get(slot) if runtime.redis is not None else None
    except redis.RedisError:
        known = None
    if known is not None:
        job_id, digest = known.decode().split("|", 1)
        if digest != request_digest:
            raise CriteriaError("Idempotency-Key: already used for a different request")
        return job_id
    job_id = start()
    if job_id is not None:
        try:
            if not runtime.redis.set(slot, f"{job_id}|{request_digest}", nx=True, ex=runtime.settings.cache_ttl_seconds):
                return idempotent_job(runtime, caller_id=caller_id, key=key, request_digest=request_digest,
                                      start=lambda: None) or job_id
        except redis.RedisError:
            pass
    return job_id


def job_state(celery_app, job_id: str) -> tuple[str, object]:
    """(Celery state, result) read straight from the result backend. The web never creates
    AsyncResult objects: they subscribe to Redis pub/sub and fail noisily when Redis goes away."""
    meta = celery_app.backend.get_task_meta(job_id)
    return meta.get("status", "PENDING"), meta.get("result")


def wait_for(runtime, celery_app, job_id: str, seconds: float) -> dict | None:
    """The match job's outcome, or None if it is not finished within ``seconds``. The request
    blocks on the job's result list (JobResults.wait) in slices shorter than the Redis socket
    timeout; between slices it asks the result backend whether the task died without an outcome.
    Raises redis.RedisError when Redis goes away meanwhile."""
    deadline = time.monotonic() + seconds
    piece = 2 * max(runtime.settings.broker_timeout_seconds, 0.1)  # half the socket timeout (runtime.py)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return runtime.job_results.get(job_id)
        outcome = runtime.job_results.wait(job_id, min(remaining, piece))
        if outcome is not None:
            return outcome
        state, _value = job_state(celery_app, job_id)
        if state in READY_STATES:  # the task ended without publishing (it raised before it ran)
            return runtime.job_results.get(job_id) or {"status": "error"}


def job_location(job_id: str) -> str:
    return url_for("jobs.get_job", job_id=job_id)


def accepted(job_id: str):
    """202 Accepted with the job's Location."""
    response = jsonify({"id": job_id, "status": "queued"})
    response.status_code = 202
    response.headers["Location"] = job_location(job_id)
    return response


@bp.get("/api/v1/jobs/<job_id>")
@require("clinician", "sponsor")
def get_job(job_id: str):
    runtime = current_app.extensions["trialmatch"]
    celery_app = current_app.extensions["celery"]
    try:
        registered = runtime.redis.get(JOB_KEY + job_id) if runtime.redis is not None else None
        outcome = runtime.job_results.get(job_id) if registered is not None else None
    except redis.RedisError:
        response = problem_response(503, "Service Unavailable", "the job store (Redis) is not reachable")
        response.headers["Retry-After"] = "5"
        return response
    if registered is None:
        return problem_response(404, "Not Found", f"no job with id {job_id!r}")
    if outcome is not None:  # a match job: its rendered body is sent as it is
        return job_response(job_id, outcome)
    state, value = job_state(celery_app, job_id)
    if state in ("PENDING", "RECEIVED", "RETRY"):
        return jsonify({"id": job_id, "status": "queued"})
    if state == "STARTED":
        return jsonify({"id": job_id, "status": "running"})
    value = value if state == "SUCCESS" else None
    if isinstance(value, dict) and value.get("status") == "done" and "result" not in value and "body" not in value:
        # a match job, which published its outcome before it succeeded: read it again (it may
        # have been published between the two reads above)
        outcome = runtime.job_results.get(job_id)
        if outcome is None:
            return problem_response(404, "Not Found", f"the result of job {job_id!r} is no longer kept")
        return job_response(job_id, outcome)
    return job_response(job_id, value)


def job_response(job_id: str, value):
    """GET /api/v1/jobs/{id} for a finished job: its outcome (a match's from JobResults, other
    jobs' from the result backend)."""
    if isinstance(value, dict) and value.get("status") == "done":
        if "body" in value:  # a match: its rendered body, sent as it is
            head = json.dumps({"id": job_id, "status": "done"})[:-1]
            return Response(f'{head},"result":{value["body"]}}}', mimetype="application/json")
        return jsonify({"id": job_id, "status": "done", "result": value["result"]})
    if isinstance(value, dict) and value.get("status") == "refused":
        return jsonify({"id": job_id, "status": "failed", "problem": value["problem"]})
    if isinstance(value, dict) and value.get("status") == "failed":
        error = value["error"]
        issues = [tuple(i) for i in error.get("issues", [])]
        return jsonify({"id": job_id, "status": "failed", "outcome": operation_outcome(issues)})
    return jsonify({"id": job_id, "status": "error", "detail": "the job failed; it has been logged"})
