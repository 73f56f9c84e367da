"""The running stack for integration tests: a real Redis, a real Celery worker process, and
the store on SQLite and on PostgreSQL; the Flask app runs in the test process."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
import redis

from tests import services as real
from trialmatch import services
from trialmatch.api import create_app
from trialmatch.config import Settings
from trialmatch.store import keys as key_store
from trialmatch.store.database import make_engine, make_sessionmaker, migrate

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "criteria"
BUNDLES = ROOT / "tests" / "data" / "bundles"


@dataclass
class Stack:
    app: object
    client: object  # a test client holding the clinician key
    settings: Settings
    redis: redis.Redis
    database: str
    keys: dict  # role -> secret

    def client_as(self, role: str):
        client = self.app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {self.keys[role]}"
        return client


def create_keys(database_url: str) -> dict:
    engine = make_engine(database_url)
    migrate(engine)
    secrets = {}
    with make_sessionmaker(engine).begin() as session:
        for role in ("clinician", "sponsor", "admin"):
            secrets[role] = key_store.create_key(session, role=role, name=f"test {role}",
                                                 now=datetime.now(timezone.utc))[1]
        secrets["other_sponsor"] = key_store.create_key(session, role="sponsor", name="test other sponsor",
                                                        now=datetime.now(timezone.utc))[1]
    engine.dispose()
    return secrets


def stack_env(database_url: str, redis_url: str, queue: str) -> dict:
    env = dict(os.environ)
    env.update(TRIALMATCH_DATABASE_URL=database_url, TRIALMATCH_REDIS_URL=redis_url, TRIALMATCH_QUEUE=queue)
    return env


def load_catalogue(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    services.load_trial_documents(sessionmaker=make_sessionmaker(engine), documents=services.read_documents(CATALOGUE),
                                  author="tests", now=datetime.now(timezone.utc))
    engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stack(request, redis_url, tmp_path_factory):
    if request.param == "sqlite":
        database_url = f"sqlite:///{tmp_path_factory.mktemp('db')}/trialmatch.db"
    else:
        database_url = request.getfixturevalue("postgres_base_url")
    queue = "test-" + uuid.uuid4().hex[:8]
    env = stack_env(database_url, redis_url, queue)
    load_catalogue(database_url)
    settings = Settings.from_env(env)
    app = create_app(settings)
    worker = real.Worker(env, queue, tmp_path_factory.mktemp("worker") / "worker.log")
    try:
        worker.wait_ready(app.extensions["celery"])
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(match="trialmatch:match:*"):
            client.delete(key)  # the other database's run may have cached the same catalogue
        secrets = create_keys(database_url)
        stack = Stack(app=app, client=None, settings=settings, redis=client, database=request.param, keys=secrets)
        stack.client = stack.client_as("clinician")
        yield stack
        client.close()
    finally:
        worker.stop()
        app.extensions["trialmatch"].engine.dispose()
