"""One exception tree for trialmatch.

    TrialMatchError
    ├── PatientDataError    the patient input cannot be used (not a Bundle, no usable resource)
    ├── CriteriaError       a criteria document or node is invalid (names the bad field)
    ├── RuleFileError       a shipped rule or vocabulary file fails its schema
    ├── NotFoundError       a trial, job or patient does not exist
    ├── PermissionDenied    the caller's role or ownership does not allow the action
    └── ConfigurationError  settings are invalid

UNKNOWN verdicts are outcomes, never errors. HTTP status codes are chosen only in
``trialmatch.api.errors``.
"""


class TrialMatchError(Exception):
    """Base of every error trialmatch raises on purpose."""


class PatientDataError(TrialMatchError):
    """The patient input cannot be used. ``issues`` lists (location, message) pairs."""

    def __init__(self, message: str, issues: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.issues = issues or [("", message)]


class CriteriaError(TrialMatchError):
    pass


class RuleFileError(TrialMatchError):
    pass


class NotFoundError(TrialMatchError):
    pass


class PermissionDenied(TrialMatchError):
    pass


class ConfigurationError(TrialMatchError):
    pass
