"""The compiled catalogue: every active trial's current criteria, compiled once and indexed.

A ``Catalogue`` is immutable and belongs to one catalogue version. ``CatalogueSource``
keeps the newest one for a long-running process (web or worker): it asks the store for the
catalogue version at most once per ``check_interval`` seconds and rebuilds only when that
version changed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from trialmatch.domain.criteria import TrialCriteria
from trialmatch.matching import TrialIndex, compile_trial
from trialmatch.store import trials as trial_store
from trialmatch.geo import Site
from trialmatch.trial_document import load_document, sites_of


@dataclass(frozen=True)
class Catalogue:
    version: str
    trials: tuple[TrialCriteria, ...]
    index: TrialIndex
    sites: dict[str, tuple[Site, ...]] = field(default_factory=dict)
    study_types: dict[str, str | None] = field(default_factory=dict)


def build_catalogue(trials: list[TrialCriteria], *, version: str, vocab) -> Catalogue:
    compiled = [compile_trial(trial, vocab) for trial in trials]
    sites = {trial.trial_id: tuple(_site(s) for s in sites_of(trial)) for trial in trials}
    return Catalogue(version=version, trials=tuple(trials), index=TrialIndex(compiled, vocab), sites=sites,
                     study_types={trial.trial_id: trial.study_type for trial in trials})


def _site(data: dict) -> Site:
    return Site(name=data.get("name"), zip=data.get("zip"), status=data.get("status"), city=data.get("city"),
                state=data.get("state"), country=data.get("country"))


def catalogue_from_store(sessionmaker, *, vocab) -> Catalogue:
    with sessionmaker() as session:
        version = trial_store.catalogue_version(session)
        rows = trial_store.active_documents(session)
    # Stored documents passed the JSON Schema when they were stored (services.load_trial_documents,
    # services.ingest_trial): reloading them skips it.
    trials = [load_document(document, f"store:{trial_id}@v{v}", validate=False) for trial_id, v, document in rows]
    return build_catalogue(trials, version=version, vocab=vocab)


class CatalogueSource:
    def __init__(self, sessionmaker, *, vocab, check_interval: float = 1.0,
                 monotonic: Callable[[], float] = time.monotonic):
        self._sessionmaker = sessionmaker
        self._vocab = vocab
        self._interval = check_interval
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._current: Catalogue | None = None
        self._checked_at = float("-inf")

    def current(self, expected_version: str | None = None) -> Catalogue:
        """The newest catalogue. ``expected_version`` (the version a job was submitted with)
        forces a re-check when this process holds another one."""
        with self._lock:
            now = self._monotonic()
            fresh_enough = now - self._checked_at < self._interval
            if self._current is not None and fresh_enough and expected_version in (None, self._current.version):
                return self._current
            with self._sessionmaker() as session:
                version = trial_store.catalogue_version(session)
            if self._current is None or self._current.version != version:
                self._current = catalogue_from_store(self._sessionmaker, vocab=self._vocab)
            self._checked_at = now
            return self._current
