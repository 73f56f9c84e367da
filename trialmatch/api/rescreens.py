"""Rescreens over HTTP (admin): POST /api/v1/rescreens plans one (all x all, or named trials
and/or patients) and answers 202 with its Location; GET /api/v1/rescreens/{id} gives status,
chunks done and total, counts so far and errors; GET .../events the changes it recorded."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timezone

from flask import Blueprint, current_app, jsonify, request, url_for

from trialmatch import rescreen
from trialmatch.api.auth import require
from trialmatch.errors import CriteriaError

log = logging.getLogger(__name__)
bp = Blueprint("rescreens", __name__)
DISPATCH_TASK = "trialmatch.rescreen.dispatch"


def kick_dispatch(runtime, celery_app) -> bool:
    """Ask a worker to dispatch planned rescreens now; False when the broker is unreachable
    (they stay planned: the periodic dispatcher sends them once it is back)."""
    if not runtime.redis_alive():
        return False
    try:
        celery_app.send_task(DISPATCH_TASK)
    except Exception as exc:  # kombu/redis connection errors: the plan is stored, beat sends it
        log.warning("broker unavailable, rescreen left planned: %s", type(exc).__name__)
        return False
    return True


def _names(body: dict, key: str) -> list[str] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise CriteriaError(f"{key}: expected a non-empty list of ids")
    return value


def read_request() -> tuple[list[str] | None, list[str] | None, date | None]:
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CriteriaError(f"body: not valid JSON ({type(exc).__name__})") from None
    if not isinstance(body, dict):
        raise CriteriaError("body: expected a JSON object")
    unknown = sorted(set(body) - {"trials", "patients", "as_of"})
    if unknown:
        raise CriteriaError(f"{unknown[0]}: unknown field; allowed: trials, patients, as_of")
    as_of = None
    if body.get("as_of") is not None:
        try:
            as_of = date.fromisoformat(body["as_of"])
        except (TypeError, ValueError):
            raise CriteriaError("as_of: expected a date YYYY-MM-DD") from None
    return _names(body, "trials"), _names(body, "patients"), as_of


@bp.post("/api/v1/rescreens")
@require("admin")
def create_rescreen():
    runtime = current_app.extensions["trialmatch"]
    trials, patients, as_of = read_request()
    rescreen_id = rescreen.request_rescreen(sessionmaker=runtime.sessionmaker, now=datetime.now(timezone.utc),
                                            trial_ids=trials, patient_ids=patients, as_of=as_of)
    kick_dispatch(runtime, current_app.extensions["celery"])
    response = jsonify(rescreen.rescreen_status(sessionmaker=runtime.sessionmaker, rescreen_id=rescreen_id))
    response.status_code = 202
    response.headers["Location"] = url_for("rescreens.get_rescreen", rescreen_id=rescreen_id)
    return response


@bp.get("/api/v1/rescreens/<rescreen_id>")
@require("admin")
def get_rescreen(rescreen_id: str):
    runtime = current_app.extensions["trialmatch"]
    return jsonify(rescreen.rescreen_status(sessionmaker=runtime.sessionmaker, rescreen_id=rescreen_id))


@bp.get("/api/v1/rescreens/<rescreen_id>/events")
@require("admin")
def get_events(rescreen_id: str):
    runtime = current_app.extensions["trialmatch"]
    return jsonify({"rescreen_id": rescreen_id,
                    "events": rescreen.rescreen_events(sessionmaker=runtime.sessionmaker, rescreen_id=rescreen_id)})
