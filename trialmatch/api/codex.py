"""The endpoints of the CodeX trial-matching services and implementation guide
(OperationDefinition ClinicalTrialMatchService), answering FHIR:

- ``POST /getClinicalTrial``: the patient Bundle as body; search parameters (``zipCode``,
  ``travelRadius``, ``phase``, ``recruitmentStatus``) in a ``Parameters`` resource inside it.
  Answers a searchset Bundle of ResearchStudy.
- ``POST /ResearchStudy/$match``: a ``Parameters`` body with those parameters and
  ``trialMatchClinicalData`` (the patient Bundle). Answers ``Parameters`` with ``trialMatchOutput``.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, request

from trialmatch.api.auth import require
from trialmatch.api.match import match_request, read_as_of, wants_async
from trialmatch.errors import PatientDataError
from trialmatch.result_filters import parse_filters

bp = Blueprint("codex", __name__)
SEARCH_PARAMETERS = ("zipCode", "travelRadius", "phase", "recruitmentStatus")


def _body() -> dict:
    try:
        body = json.loads(request.get_data(cache=False))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PatientDataError("the body is not valid JSON", [("", "the body is not valid JSON")]) from None
    if not isinstance(body, dict):
        raise PatientDataError("expected a FHIR resource", [("", "expected a FHIR resource")])
    return body


def _parameters(resource: dict, where: str) -> dict:
    values = {}
    for i, parameter in enumerate(resource.get("parameter") or []):
        if not isinstance(parameter, dict):
            raise PatientDataError("bad parameter", [(f"{where}.parameter[{i}]", "expected an object")])
        name = parameter.get("name")
        if name in SEARCH_PARAMETERS:
            value = next((v for k, v in parameter.items() if k.startswith("value")), None)
            values[name] = None if value is None else str(value)
        elif name == "trialMatchClinicalData":
            values[name] = parameter.get("resource")
    return values


def _filters(values: dict):
    return parse_filters(zip_code=values.get("zipCode"), radius=values.get("travelRadius"),
                         phase=values.get("phase"), status=values.get("recruitmentStatus"))


def _as_of():
    as_of = read_as_of(current_app.extensions["trialmatch"].today())
    if as_of is None:
        raise PatientDataError("as_of: expected a date YYYY-MM-DD", [("as_of", "expected a date YYYY-MM-DD")])
    return as_of


@bp.post("/getClinicalTrial")
@require("clinician")
def get_clinical_trial():
    body = _body()
    if body.get("resourceType") != "Bundle":
        raise PatientDataError("expected a Bundle", [("resourceType", "expected a FHIR Bundle")])
    entries = body.get("entry") if isinstance(body.get("entry"), list) else []
    values, kept = {}, []
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "Parameters":
            values.update(_parameters(resource, f"Bundle.entry[{i}].resource"))
        else:
            kept.append(entry)
    bundle = dict(body, entry=kept)
    return match_request(bundle=bundle, as_of=_as_of(), filters=_filters(values), fhir=True, is_async=wants_async())


@bp.post("/ResearchStudy/$match")
@require("clinician")
def research_study_match():
    body = _body()
    if body.get("resourceType") != "Parameters":
        raise PatientDataError("expected Parameters", [("resourceType", "expected a FHIR Parameters resource")])
    values = _parameters(body, "Parameters")
    bundle = values.get("trialMatchClinicalData")
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise PatientDataError("no patient data", [("Parameters.parameter.where(name='trialMatchClinicalData')",
                                                    "trialMatchClinicalData must carry the patient's Bundle")])
    return match_request(bundle=bundle, as_of=_as_of(), filters=_filters(values), fhir=True,
                         is_async=wants_async(), wrap="parameters")
