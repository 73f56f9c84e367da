"""The patient registry over HTTP (admin): POST /api/v1/patients, GET/PUT/DELETE
/api/v1/patients/{id}. A Bundle in; its facts (and, unless configured off, the raw Bundle)
stored; a change of facts rescreens the patient against every active trial."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, g, jsonify, url_for

from trialmatch import rescreen
from trialmatch.api.auth import require
from trialmatch.api.match import read_bundle
from trialmatch.api.rescreens import kick_dispatch
from trialmatch.errors import CriteriaError

bp = Blueprint("patients", __name__)
PATIENT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _save(patient_id: str | None):
    runtime = current_app.extensions["trialmatch"]
    saved = rescreen.save_patient(sessionmaker=runtime.sessionmaker, bundle=read_bundle(), vocab=runtime.vocab,
                                  now=datetime.now(timezone.utc), patient_id=patient_id,
                                  store_raw=runtime.settings.store_raw_bundles, key_id=g.caller.key_id)
    if saved.rescreen_id:
        kick_dispatch(runtime, current_app.extensions["celery"])
    body = {"id": saved.patient_id, "data_version": saved.data_version, "bundle_hash": saved.bundle_hash,
            "changed": saved.changed, "rescreen_id": saved.rescreen_id,
            "rescreen": url_for("rescreens.get_rescreen", rescreen_id=saved.rescreen_id) if saved.rescreen_id else None,
            "warnings": [{"location": w.location, "message": w.message} for w in saved.warnings]}
    response = jsonify(body)
    response.status_code = 201 if saved.created else 200
    response.headers["Location"] = url_for("patients.get_patient", patient_id=saved.patient_id)
    return response


@bp.post("/api/v1/patients")
@require("admin")
def create_patient():
    return _save(None)


@bp.put("/api/v1/patients/<patient_id>")
@require("admin")
def put_patient(patient_id: str):
    if not PATIENT_ID.match(patient_id):
        raise CriteriaError("patient id: 1 to 64 letters, digits, '.', '_' or '-'")
    return _save(patient_id)


@bp.get("/api/v1/patients/<patient_id>")
@require("admin")
def get_patient(patient_id: str):
    runtime = current_app.extensions["trialmatch"]
    return jsonify(rescreen.patient_view(sessionmaker=runtime.sessionmaker, patient_id=patient_id))


@bp.delete("/api/v1/patients/<patient_id>")
@require("admin")
def delete_patient(patient_id: str):
    runtime = current_app.extensions["trialmatch"]
    rescreen.delete_patient(sessionmaker=runtime.sessionmaker, patient_id=patient_id,
                            now=datetime.now(timezone.utc), key_id=g.caller.key_id)
    return Response(status=204)
