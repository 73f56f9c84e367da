"""/healthz: the process answers. /readyz: the database answers (else 503); Redis down is
reported as degraded, since matching still works without it (uncached, in-process)."""

from flask import Blueprint, current_app, jsonify

from trialmatch.store.database import ping

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "alive"})


@bp.get("/readyz")
def readyz():
    runtime = current_app.extensions["trialmatch"]
    if not ping(runtime.engine):
        response = jsonify({"status": "unavailable", "down": ["database"]})
        response.status_code = 503
        return response
    degraded = [] if runtime.redis_alive() else ["redis"]
    body = {"status": "degraded" if degraded else "ready"}
    if degraded:
        body["degraded"] = degraded
    return jsonify(body)
