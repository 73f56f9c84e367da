"""The one place HTTP status codes are chosen, and the shapes of error bodies.

FHIR endpoints answer with an OperationOutcome, the others with JSON problem details
(RFC 9457). Neither ever carries a stack trace or a patient value.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from trialmatch.api.auth import Unauthenticated
from trialmatch.errors import (
    ConfigurationError, CriteriaError, NotFoundError, PatientDataError, PermissionDenied, TrialMatchError,
)

log = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"

STATUS_BY_ERROR: list[tuple[type, int]] = [
    (PatientDataError, 400),
    (Unauthenticated, 401),
    (CriteriaError, 400),
    (NotFoundError, 404),
    (PermissionDenied, 403),
    (ConfigurationError, 500),
]


def operation_outcome(issues: list[tuple[str, str]], *, severity: str = "error", code: str = "invalid") -> dict:
    out = []
    for location, message in issues:
        issue = {"severity": severity, "code": code, "diagnostics": message}
        if location:
            issue["expression"] = [location]
        out.append(issue)
    return {"resourceType": "OperationOutcome", "issue": out}


def outcome_response(status: int, issues: list[tuple[str, str]], *, code: str = "invalid") -> Response:
    response = jsonify(operation_outcome(issues, code=code))
    response.status_code = status
    response.mimetype = FHIR_JSON
    return response


def problem_response(status: int, title: str, detail: str, **extra) -> Response:
    response = jsonify({"type": "about:blank", "title": title, "status": status, "detail": detail, **extra})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def status_for(error: TrialMatchError) -> int:
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def patient_data_response(error: PatientDataError) -> Response:
    return outcome_response(400, list(error.issues))


def job_error_response(error: dict) -> Response:
    """A failed job's error, as the HTTP answer the request would have had."""
    if error.get("kind") == "patient_data":
        return outcome_response(400, [tuple(issue) for issue in error.get("issues", [])])
    return problem_response(500, "Match failed", "the match job failed; it has been logged")


CODEX_PATHS = ("/getClinicalTrial", "/ResearchStudy")


def _wants_fhir() -> bool:
    return request.path.startswith(("/api/v1/match",) + CODEX_PATHS)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(TrialMatchError)
    def _trialmatch_error(error: TrialMatchError):
        status = status_for(error)
        if isinstance(error, PatientDataError):
            return patient_data_response(error)
        if status >= 500:
            log.error("configuration error: %s", type(error).__name__)
            return problem_response(status, "Server misconfigured", "see the server log")
        if request.path.startswith(CODEX_PATHS):  # FHIR-only clients: an OperationOutcome
            return outcome_response(status, [("", str(error))], code="invalid" if status == 400 else "forbidden")
        title = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}.get(status, "Error")
        response = problem_response(status, title, str(error))
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="trialmatch"'
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        detail = {
            413: f"request body over the limit of {app.config.get('MAX_CONTENT_LENGTH')} bytes",
        }.get(error.code, error.description or error.name)
        if _wants_fhir():
            code = "too-costly" if error.code == 413 else "processing"
            return outcome_response(error.code or 500, [("", detail)], code=code)
        return problem_response(error.code or 500, error.name, detail)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # The type only: exception messages may quote patient data.
        log.error("unexpected error on %s %s: %s", request.method, request.path, type(error).__name__)
        if _wants_fhir():
            return outcome_response(500, [("", "internal error; it has been logged")], code="exception")
        return problem_response(500, "Internal Server Error", "internal error; it has been logged")
