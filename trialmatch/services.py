"""Service functions: the use cases, with every dependency passed in (keyword-only).

Flask views, Celery tasks and CLI commands are thin adapters over these.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from trialmatch import __version__, rescreen, trial_formats
from trialmatch.cache import bundle_hash, match_key
from trialmatch.catalogue import Catalogue
from trialmatch.entered_facts import merge, parse_entered_facts
from trialmatch.match_view import dumps, engine_limit, render_body
from trialmatch.result_filters import Filters
from trialmatch.errors import CriteriaError, NotFoundError, PatientDataError, PermissionDenied
from trialmatch.matching import match_patient, result_to_json
from trialmatch.mcode import extract_facts
from trialmatch.store import audit
from trialmatch.store import trials as trial_store
from trialmatch.trial_document import load_document
from trialmatch.trial_review import apply_overrides


def read_documents(path: Path) -> list[tuple[str, dict]]:
    """(file name, parsed JSON) of a criteria document or of every *.json in a folder."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    out = []
    for file in files:
        try:
            out.append((file.name, json.loads(file.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CriteriaError(f"{file.name}: not a readable JSON document ({exc})") from None
    return out


def trials_from_path(path: Path, *, vocab) -> list:
    """Trials from a file or folder in any upload format (trialmatch.trial_formats): criteria
    documents, ClinicalTrials.gov records (one per line in .jsonl, parsed by the NLP parser on the
    fly), FHIR ResearchStudy, MatchMiner CTML (JSON or YAML). A record that cannot be read is
    refused naming its file and position."""
    from trialmatch.matchminer.documents import read_ctml_path

    trials = []
    for i, record in enumerate(read_ctml_path(path)):
        where = f"{path.name}[{i}]"
        try:
            fmt = trial_formats.detect_format(record)
            trials.append(load_document(trial_formats.to_document(record, fmt, vocab=vocab), where))
        except CriteriaError as exc:
            raise CriteriaError(f"{where}: {exc}") from None
    return trials


def load_trial_documents(*, sessionmaker, documents: list[tuple[str, dict]], author: str, now: datetime) -> dict:
    """Validate every document first (all or nothing), then store each changed one as a new
    criteria version. Returns the trial ids created (new versions) and unchanged."""
    for where, data in documents:
        load_document(data, where)
    created, unchanged = [], []
    with sessionmaker.begin() as session:
        for _where, data in documents:
            version, is_new = trial_store.save_trial_document(session, document=data, author=author, now=now)
            (created if is_new else unchanged).append(f"{data['trial_id']}@v{version}")
    return {"created": created, "unchanged": unchanged}


def match_bundle(*, bundle: dict, as_of: date, catalogue: Catalogue, vocab, limit: int | None = None,
                 entered: dict | None = None) -> dict:
    """mCODE Bundle (and clinician-entered facts) -> the plain JSON view of ranked trials, with
    the extraction's warnings."""
    facts = merge(extract_facts(bundle, vocab), parse_entered_facts(entered, as_of=as_of, vocab=vocab))
    result = match_patient(facts, catalogue.index, as_of=as_of, limit=limit)
    view = result_to_json(result)
    view["as_of"] = as_of.isoformat()
    view["catalogue_version"] = catalogue.version
    view["service_version"] = __version__
    view["warnings"] = [{"location": w.location, "message": w.message} for w in facts.warnings]
    view["patient_postal_code"] = facts.postal_code  # for distance filters; never logged
    return view


def run_match_job(*, bundle: dict, as_of: date, catalogue: Catalogue, vocab, cache, entered: dict | None = None,
                  filters: dict | None = None, fmt: str = "json") -> dict:
    """What a match job returns: {"status": "done", "body": <the rendered body as JSON text>} or
    {"status": "failed", "error": {"kind": "patient_data", "message", "issues"}}. The body is
    cached under the key of the catalogue version it was computed with."""
    wanted = Filters.from_dict(filters or {})
    try:
        view = match_bundle(bundle=bundle, as_of=as_of, catalogue=catalogue, vocab=vocab, entered=entered,
                            limit=engine_limit(wanted))
    except PatientDataError as exc:
        return {"status": "failed", "error": {"kind": "patient_data", "message": str(exc),
                                              "issues": [list(issue) for issue in exc.issues]}}
    body = dumps(render_body(view, filters=wanted, fmt=fmt, sites=catalogue.sites, study_types=catalogue.study_types))
    if cache is not None:
        cache.put(match_cache_key(bundle=bundle, as_of=as_of, catalogue_version=catalogue.version, entered=entered,
                                  filters=wanted.as_dict(), fmt=fmt), body)
    return {"status": "done", "body": body}


def match_cache_key(*, bundle: dict, as_of: date, catalogue_version: str, entered: dict | None = None,
                    filters: dict | None = None, fmt: str = "json") -> str:
    """Everything the cached body depends on: the patient (bundle and entered facts), the as-of
    date, the catalogue version, the filters and the format."""
    patient = bundle if entered is None else {"bundle": bundle, "entered_facts": entered}
    return match_key(bundle_digest=bundle_hash(patient), as_of=as_of.isoformat(),
                     filters={"filters": filters or {}, "format": fmt}, catalogue_version=catalogue_version)


def assert_may_change(session, *, trial_id: str, caller) -> None:
    """Sponsors change only the trials they created; admins change any."""
    trial = trial_store.get_trial(session, trial_id)
    if trial is not None and caller.role != "admin" and trial.owner_key_id != caller.key_id:
        raise PermissionDenied(f"trial {trial_id} belongs to another sponsor")


def ingest_trial(*, sessionmaker, body: dict, fmt: str, vocab, caller, now: datetime) -> dict:
    """Turn an uploaded trial (any of trial_formats.FORMATS) into a stored criteria version."""
    document = trial_formats.to_document(body, fmt, vocab=vocab)
    load_document(document, "body")
    with sessionmaker.begin() as session:
        assert_may_change(session, trial_id=document["trial_id"], caller=caller)
        version, created = trial_store.save_trial_document(session, document=document, author=caller.name, now=now,
                                                           owner_key_id=caller.key_id)
        audit.record(session, at=now, key_id=caller.key_id, action="trial.upload", target=document["trial_id"],
                     detail={"format": fmt, "version": version, "new_version": created})
        rescreen.trial_changed(session, now=now, trial_id=document["trial_id"])
    return {"trial_id": document["trial_id"], "version": version, "created": created}


def override_trial_criteria(*, sessionmaker, trial_id: str, overrides: list, caller, now: datetime) -> dict:
    """A sponsor's structured corrections of chosen items, stored as a new criteria version."""
    with sessionmaker.begin() as session:
        trial = trial_store.get_trial(session, trial_id)
        if trial is None or not trial.active:
            raise NotFoundError(f"no active trial {trial_id}")
        assert_may_change(session, trial_id=trial_id, caller=caller)
        current = trial_store.get_version(session, trial_id, trial.current_version)
        document = apply_overrides(current.document, overrides)
        load_document(document, "overrides")
        version, created = trial_store.save_trial_document(session, document=document, author=caller.name, now=now)
        audit.record(session, at=now, key_id=caller.key_id, action="trial.override", target=trial_id,
                     detail={"version": version, "items": [o["id"] for o in overrides]})
        rescreen.trial_changed(session, now=now, trial_id=trial_id)
    return {"trial_id": trial_id, "version": version, "created": created}


def retire_trial(*, sessionmaker, trial_id: str, caller, now: datetime) -> None:
    with sessionmaker.begin() as session:
        if trial_store.get_trial(session, trial_id) is None:
            raise NotFoundError(f"no trial {trial_id}")
        assert_may_change(session, trial_id=trial_id, caller=caller)
        if trial_store.retire_trial(session, trial_id, now=now):
            audit.record(session, at=now, key_id=caller.key_id, action="trial.retire", target=trial_id)
            rescreen.trial_changed(session, now=now, trial_id=trial_id)
