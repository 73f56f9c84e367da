from datetime import datetime, timezone

from trialmatch.catalogue import CatalogueSource
from trialmatch.store import trials
from trialmatch.store.database import make_engine, make_sessionmaker, migrate
from trialmatch.vocab import load_vocabulary

NOW = datetime(2026, 11, 26, tzinfo=timezone.utc)


def doc(trial_id, minimum):
    return {"schema_version": 1, "trial_id": trial_id, "title": trial_id,
            "criteria": {"type": "all", "items": [{"type": "age", "min": minimum}]}}


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_catalogue_is_rebuilt_only_when_the_store_version_changes(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    migrate(engine)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as s:
        trials.save_trial_document(s, document=doc("NCT1", 18), author="t", now=NOW)
    clock = Clock()
    source = CatalogueSource(sessions, vocab=load_vocabulary(), check_interval=1.0, monotonic=clock)
    first = source.current()
    assert [t.trial_id for t in first.trials] == ["NCT1"]
    with sessions.begin() as s:
        trials.save_trial_document(s, document=doc("NCT2", 21), author="t", now=NOW)
    assert source.current() is first  # within the check interval
    with sessions() as s:
        newest = trials.catalogue_version(s)
    assert source.current(expected_version=newest).version == newest  # a job names the newer version
    clock.now = 5.0
    again = source.current()
    assert again.version == newest and [t.trial_id for t in again.trials] == ["NCT1", "NCT2"]
    clock.now = 10.0
    assert source.current() is again  # re-checked, unchanged: not rebuilt
