"""Trials for sponsors: upload in any supported format, read the parse back item by item,
correct it with structured overrides (each change a new version), list versions, retire."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from flask import Blueprint, current_app, g, jsonify, request

from trialmatch import services, trial_formats
from trialmatch.api.auth import require
from trialmatch.api.celery import INGEST_TASK
from trialmatch.api.jobs import accepted, submit
from trialmatch.errors import CriteriaError, NotFoundError
from trialmatch.store import trials as trial_store
from trialmatch.trial_review import criteria_items

bp = Blueprint("trials", __name__)


def read_json_body() -> dict:
    try:
        body = json.loads(request.get_data(cache=False))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CriteriaError(f"body: not valid JSON ({type(exc).__name__})") from None
    if not isinstance(body, dict):
        raise CriteriaError("body: expected a JSON object")
    return body


def now() -> datetime:
    return datetime.now(timezone.utc)


def caller_dict() -> dict:
    return {"key_id": g.caller.key_id, "name": g.caller.name, "role": g.caller.role}


@bp.post("/api/v1/trials")
@require("sponsor")
def upload():
    runtime = current_app.extensions["trialmatch"]
    body = read_json_body()
    fmt = trial_formats.detect_format(body)
    if fmt in trial_formats.FREE_TEXT_FORMATS:
        job_id = submit(runtime, current_app.extensions["celery"], INGEST_TASK,
                        {"body": body, "fmt": fmt, "caller": caller_dict()})
        if job_id is not None:
            return accepted(job_id)
    result = services.ingest_trial(sessionmaker=runtime.sessionmaker, body=body, fmt=fmt, vocab=runtime.vocab,
                                   caller=g.caller, now=now())
    response = jsonify(result)
    response.status_code = 201 if result["created"] else 200
    response.headers["Location"] = f"/api/v1/trials/{result['trial_id']}"
    return response


def _trial_or_404(session, trial_id: str):
    trial = trial_store.get_trial(session, trial_id)
    if trial is None:
        raise NotFoundError(f"no trial {trial_id}")
    return trial


def _summary(trial) -> dict:
    return {"trial_id": trial.id, "title": trial.title, "status": trial.status, "phase": trial.phase,
            "version": trial.current_version, "active": trial.active}


@bp.get("/api/v1/trials")
@require("clinician", "sponsor")
def list_trials():
    runtime = current_app.extensions["trialmatch"]
    with runtime.sessionmaker() as session:
        return jsonify({"trials": [_summary(t) for t in trial_store.list_trials(session)]})


@bp.get("/api/v1/trials/<trial_id>")
@require("clinician", "sponsor")
def get_trial(trial_id: str):
    runtime = current_app.extensions["trialmatch"]
    with runtime.sessionmaker() as session:
        trial = _trial_or_404(session, trial_id)
        document = trial_store.get_version(session, trial_id, trial.current_version).document
        return jsonify(dict(_summary(trial), document=document))


@bp.get("/api/v1/trials/<trial_id>/criteria")
@require("clinician", "sponsor")
def get_criteria(trial_id: str):
    runtime = current_app.extensions["trialmatch"]
    version = request.args.get("version", type=int)
    with runtime.sessionmaker() as session:
        trial = _trial_or_404(session, trial_id)
        row = trial_store.get_version(session, trial_id, version or trial.current_version)
        if row is None:
            raise NotFoundError(f"trial {trial_id} has no version {version}")
        return jsonify({"trial_id": trial_id, "version": row.version, "source": row.document.get("source"),
                        "items": criteria_items(row.document)})


@bp.put("/api/v1/trials/<trial_id>/criteria")
@require("sponsor")
def override_criteria(trial_id: str):
    runtime = current_app.extensions["trialmatch"]
    body = read_json_body()
    result = services.override_trial_criteria(sessionmaker=runtime.sessionmaker, trial_id=trial_id,
                                              overrides=body.get("overrides"), caller=g.caller, now=now())
    return jsonify(result)


@bp.get("/api/v1/trials/<trial_id>/versions")
@require("clinician", "sponsor")
def versions(trial_id: str):
    runtime = current_app.extensions["trialmatch"]
    with runtime.sessionmaker() as session:
        _trial_or_404(session, trial_id)
        return jsonify({"trial_id": trial_id, "versions": trial_store.list_versions(session, trial_id)})


@bp.delete("/api/v1/trials/<trial_id>")
@require("sponsor")
def retire(trial_id: str):
    runtime = current_app.extensions["trialmatch"]
    services.retire_trial(sessionmaker=runtime.sessionmaker, trial_id=trial_id, caller=g.caller, now=now())
    return "", 204
