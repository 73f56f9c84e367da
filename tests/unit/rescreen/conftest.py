"""A registry on SQLite with the repository's catalogue (criteria/) and the real test bundles
(tests/data/bundles); chunks run in-process, synchronously."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from trialmatch import rescreen, services
from trialmatch.catalogue import CatalogueSource
from trialmatch.errors import PatientDataError
from trialmatch.rescreen_run import run_chunk
from trialmatch.store.database import make_engine, make_sessionmaker, migrate
from trialmatch.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "criteria"
BUNDLES = ROOT / "tests" / "data" / "bundles"
AS_OF = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def accepted_bundles(vocab) -> dict[str, dict]:
    """{patient id: bundle} of every test bundle the extractor accepts (ids from file names)."""
    from trialmatch.mcode import extract_facts

    out = {}
    for path in sorted(BUNDLES.rglob("*.json")):
        bundle = json.loads(path.read_text(encoding="utf-8"))
        try:
            extract_facts(bundle, vocab)
        except PatientDataError:
            continue
        out[f"{path.parent.name}.{path.stem}"[:64]] = bundle
    return out


class Registry:
    def __init__(self, url: str, vocab):
        self.engine = make_engine(url)
        migrate(self.engine)
        self.sessions = make_sessionmaker(self.engine)
        self.vocab = vocab
        services.load_trial_documents(sessionmaker=self.sessions, documents=services.read_documents(CATALOGUE),
                                      author="tests", now=NOW)
        self.sent: list[tuple[str, int]] = []
        self.source = CatalogueSource(self.sessions, vocab=vocab, check_interval=0)

    def catalogue(self):
        return self.source.current()

    def run(self, rescreen_id: str, chunk_no: int) -> dict:
        return run_chunk(sessionmaker=self.sessions, catalogue=self.catalogue(), rescreen_id=rescreen_id,
                         chunk_no=chunk_no, now=NOW)

    def dispatch(self, *, chunk_size: int = 4, run: bool = True, today: date = AS_OF) -> list[str]:
        def send(rescreen_id, chunk_no):
            self.sent.append((rescreen_id, chunk_no))
            if run:
                self.run(rescreen_id, chunk_no)

        return rescreen.dispatch(sessionmaker=self.sessions, send=send, today=today, now=NOW, chunk_size=chunk_size)

    def save(self, patient_id: str, bundle: dict, **kwargs):
        return rescreen.save_patient(sessionmaker=self.sessions, bundle=bundle, vocab=self.vocab, now=NOW,
                                     patient_id=patient_id, **kwargs)


@pytest.fixture(scope="session")
def vocab():
    return load_vocabulary()


@pytest.fixture(scope="session")
def bundles(vocab):
    return accepted_bundles(vocab)


@pytest.fixture
def registry(tmp_path, vocab):
    reg = Registry(f"sqlite:///{tmp_path}/registry.db", vocab)
    yield reg
    reg.engine.dispose()
