"""GET /api/v1/schema/criteria and /api/v1/schema/trial: the JSON Schemas criteria documents follow."""

import json
from importlib import resources

from flask import Blueprint, Response

bp = Blueprint("schema", __name__)


def _schema(name: str) -> Response:
    text = (resources.files("trialmatch.schemas") / name).read_text(encoding="utf-8")
    json.loads(text)
    return Response(text, mimetype="application/schema+json")


@bp.get("/api/v1/schema/criteria")
def criteria_schema():
    return _schema("criteria.schema.json")


@bp.get("/api/v1/schema/trial")
def trial_schema():
    return _schema("trial.schema.json")
