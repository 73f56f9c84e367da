"""Service functions: the use cases, with every dependency passed in (keyword-only).

Flask views, Celery tasks and CLI commands are thin adapters over these.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from trialmatch import __version__
from trialmatch.cache import bundle_hash, match_key
from trialmatch.catalogue import Catalogue
from trialmatch.errors import CriteriaError, PatientDataError
from trialmatch.matching import match_patient, result_to_json
from trialmatch.mcode import extract_facts
from trialmatch.store import trials as trial_store
from trialmatch.trial_document import load_document


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


def match_bundle(*, bundle: dict, as_of: date, catalogue: Catalogue, vocab, limit: int | None = None) -> dict:
    """mCODE Bundle -> the plain JSON view of ranked trials, with the extraction's warnings."""
    facts = extract_facts(bundle, vocab)
    result = match_patient(facts, catalogue.index, as_of=as_of, limit=limit)
    view = result_to_json(result)
    view["as_of"] = as_of.isoformat()
    view["catalogue_version"] = catalogue.version
    view["service_version"] = __version__
    view["warnings"] = [{"location": w.location, "message": w.message} for w in facts.warnings]
    return view


def run_match_job(*, bundle: dict, as_of: date, catalogue: Catalogue, vocab, cache) -> dict:
    """What a match job returns: {"status": "done", "result": view} or
    {"status": "failed", "error": {"kind": "patient_data", "message", "issues"}}.
    The result is cached under the key of the catalogue version it was computed with."""
    try:
        view = match_bundle(bundle=bundle, as_of=as_of, catalogue=catalogue, vocab=vocab)
    except PatientDataError as exc:
        return {"status": "failed", "error": {"kind": "patient_data", "message": str(exc),
                                              "issues": [list(issue) for issue in exc.issues]}}
    if cache is not None:
        cache.put(match_cache_key(bundle=bundle, as_of=as_of, catalogue_version=catalogue.version), view)
    return {"status": "done", "result": view}


def match_cache_key(*, bundle: dict, as_of: date, catalogue_version: str, filters: dict | None = None) -> str:
    return match_key(bundle_digest=bundle_hash(bundle), as_of=as_of.isoformat(),
                     filters=filters or {}, catalogue_version=catalogue_version)
