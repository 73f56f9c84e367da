from datetime import datetime, timezone

import pytest

from trialmatch.store import trials
from trialmatch.store.database import make_engine, make_sessionmaker, migrate, ping

NOW = datetime(2026, 11, 26, tzinfo=timezone.utc)


@pytest.fixture
def sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/db/test.db")
    migrate(engine)
    migrate(engine)  # idempotent
    yield make_sessionmaker(engine)
    engine.dispose()


def doc(trial_id, title="A trial"):
    return {"trial_id": trial_id, "title": title, "criteria": {"type": "all", "items": []}}


def test_a_new_document_is_version_1_and_an_unchanged_one_creates_nothing(sessions):
    with sessions.begin() as s:
        assert trials.save_trial_document(s, document=doc("NCT1"), author="a", now=NOW) == (1, True)
    with sessions.begin() as s:
        assert trials.save_trial_document(s, document=doc("NCT1"), author="a", now=NOW) == (1, False)
        assert trials.save_trial_document(s, document=doc("NCT1", "Changed"), author="b", now=NOW) == (2, True)
    with sessions() as s:
        assert trials.active_documents(s) == [("NCT1", 2, doc("NCT1", "Changed"))]


def test_catalogue_version_changes_with_any_new_version(sessions):
    with sessions.begin() as s:
        trials.save_trial_document(s, document=doc("NCT1"), author="a", now=NOW)
        trials.save_trial_document(s, document=doc("NCT2"), author="a", now=NOW)
    with sessions() as s:
        first = trials.catalogue_version(s)
    with sessions.begin() as s:
        trials.save_trial_document(s, document=doc("NCT2"), author="a", now=NOW)
    with sessions() as s:
        assert trials.catalogue_version(s) == first
    with sessions.begin() as s:
        trials.save_trial_document(s, document=doc("NCT2", "v2"), author="a", now=NOW)
    with sessions() as s:
        assert trials.catalogue_version(s) != first


def test_ping_tells_a_live_database_from_a_dead_one(tmp_path):
    assert ping(make_engine(f"sqlite:///{tmp_path}/x.db"))
    assert not ping(make_engine("postgresql://nobody@127.0.0.1:1/none"))
