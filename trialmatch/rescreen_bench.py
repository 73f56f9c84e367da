"""Rescreen benchmark: N synthetic patients x M synthetic trials on 2 Celery workers.

``bench_rescreen(patients=10000, trials=1000)`` builds a throwaway store (PostgreSQL when
``database_url`` names one, else a SQLite file in a temporary folder), an embedded Redis, the
synthetic catalogue of ``trialmatch.matching.synth`` and synthetic mCODE patients
(``trialmatch.synth``, extracted once, facts bulk-inserted). It starts ``workers`` Celery
worker processes (solo pool, one per core), warms them (each compiles the catalogue once) and
times two all x all rescreens from the request to the last chunk:
- ``initial``: an empty registry, so every eligible or possible pair is written with its event;
- ``repeat``: the same rescreen again, which changes nothing (the steady state).
It reports wall time, patient x trial pairs per second and each worker's peak RSS (VmHWM).
Setting up (synthesising, extracting, loading) is not timed. The goal: initial <= 120 s for
10,000 x 1,000 with 2 workers on a 2-core machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _facts_chunk(args) -> list[dict]:
    start, count, seed, as_of = args
    from trialmatch.domain.facts_json import facts_to_json
    from trialmatch.mcode import extract_facts
    from trialmatch.synth import synth_bundle
    from trialmatch.vocab import load_vocabulary
    import random

    vocab = load_vocabulary()
    out = []
    for i in range(start, start + count):
        rng = random.Random(seed * 1_000_003 + i)
        out.append(facts_to_json(extract_facts(synth_bundle(rng, as_of, i), vocab)))
    return out


def _insert_patients(sessionmaker, facts: list[dict], now: datetime) -> None:
    from sqlalchemy import insert

    from trialmatch.rescreen import EXTRACTOR_VERSION
    from trialmatch.store.registry import Patient

    rows = [{"id": f"synth-{i:06d}", "facts": doc, "bundle_hash": f"{i:064d}", "bundle": None,
             "extractor_version": EXTRACTOR_VERSION, "data_version": 1, "created_at": now, "updated_at": now}
            for i, doc in enumerate(facts)]
    with sessionmaker.begin() as session:
        for start in range(0, len(rows), 2000):
            session.execute(insert(Patient), rows[start:start + 2000])


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _timed_rescreen(sessionmaker, celery_app, *, as_of: date, timeout: float) -> dict:
    from trialmatch import rescreen

    started = time.perf_counter()
    rescreen_id = rescreen.request_rescreen(sessionmaker=sessionmaker, now=datetime.now(timezone.utc), as_of=as_of)
    celery_app.send_task("trialmatch.rescreen.dispatch")
    while True:
        status = rescreen.rescreen_status(sessionmaker=sessionmaker, rescreen_id=rescreen_id)
        if status["status"] == "done":
            break
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"rescreen not done after {timeout} s: {status['chunks']}")
        time.sleep(0.2)
    wall = time.perf_counter() - started
    counts = status["counts"]
    return {"wall_s": round(wall, 2), "pairs": counts["pairs"], "pairs_per_s": round(counts["pairs"] / wall),
            "chunks": status["chunks"]["total"], "eligible": counts["eligible"], "possible": counts["possible"],
            "changes": sum(counts[k] for k in ("newly_eligible", "newly_possible", "no_longer_eligible",
                                               "no_longer_possible")),
            "errors": len(status["errors"])}


def bench_rescreen(patients: int = 10000, trials: int = 1000, *, workers: int = 2, chunk_size: int = 200,
                   seed: int = 0, database_url: str | None = None, timeout: float = 1800.0) -> dict:
    from trialmatch import embedded_redis, services
    from trialmatch.api.celery import celery_config
    from trialmatch.matching.synth import synth_catalogue
    from trialmatch.store.database import make_engine, make_sessionmaker, migrate
    from trialmatch.trial_document import dump_document
    from trialmatch.vocab import load_vocabulary
    from celery import Celery

    as_of = date.today()
    now = datetime.now(timezone.utc)
    folder = Path(tempfile.mkdtemp(prefix="trialmatch-rescreen-bench-"))
    database_url = database_url or f"sqlite:///{folder}/bench.db"
    engine = make_engine(database_url)
    migrate(engine)
    sessionmaker = make_sessionmaker(engine)
    setup_started = time.perf_counter()
    documents = [(t.trial_id, dump_document(t)) for t in synth_catalogue(load_vocabulary(), trials, seed=seed)]
    services.load_trial_documents(sessionmaker=sessionmaker, documents=documents, author="bench", now=now)
    with sessionmaker.begin() as session:  # the registry starts screened against these trials (no trial rescreen)
        from trialmatch import rescreen
        from trialmatch.store.registry import Rescreen

        planned = rescreen.trial_changed(session, now=now)
        session.flush()
        session.delete(session.get(Rescreen, planned))
    step = max(1, patients // (4 * (os.cpu_count() or 2)))
    with Pool(os.cpu_count() or 2) as pool:
        parts = pool.map(_facts_chunk, [(s, min(step, patients - s), seed, as_of) for s in range(0, patients, step)])
    _insert_patients(sessionmaker, [doc for part in parts for doc in part], now)
    setup_s = time.perf_counter() - setup_started

    port = embedded_redis.free_port()
    redis_proc = embedded_redis.start(port, stdout=subprocess.DEVNULL)
    redis_url = f"redis://127.0.0.1:{port}/0"
    queue = "bench-rescreen"
    env = dict(os.environ, TRIALMATCH_DATABASE_URL=database_url, TRIALMATCH_REDIS_URL=redis_url,
               TRIALMATCH_QUEUE=queue, TRIALMATCH_RESCREEN_CHUNK_SIZE=str(chunk_size),
               TRIALMATCH_VISIBILITY_TIMEOUT_SECONDS="600")
    procs = []
    try:
        celery_app = Celery("trialmatch-bench")
        celery_app.config_from_object(celery_config(redis_url, result_ttl=600, queue=queue))
        for i in range(workers):
            log = open(folder / f"worker{i}.log", "wb")
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker", "--pool", "solo",
                 "--queues", queue, "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "--hostname", f"bench{i}@%h"],
                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + 120
        while len(celery_app.control.ping(timeout=1.0)) < workers:
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers not ready; see {folder}")
        # warm-up: each worker compiles the catalogue once (one one-patient chunk each)
        from trialmatch import rescreen

        for _ in range(workers):
            rescreen.request_rescreen(sessionmaker=sessionmaker, now=now, patient_ids=["synth-000000"], as_of=as_of)
        celery_app.send_task("trialmatch.rescreen.dispatch")
        with sessionmaker() as session:
            from sqlalchemy import func, select

            from trialmatch.store.registry import Rescreen

            deadline = time.monotonic() + 300
            while session.scalar(select(func.count()).select_from(Rescreen).where(Rescreen.status != "done")):
                if time.monotonic() > deadline:
                    raise RuntimeError("warm-up rescreens did not finish")
                time.sleep(0.2)
                session.expire_all()
        initial = _timed_rescreen(sessionmaker, celery_app, as_of=as_of, timeout=timeout)
        repeat = _timed_rescreen(sessionmaker, celery_app, as_of=as_of, timeout=timeout)
        rss = [_peak_rss_mb(p.pid) for p in procs]
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        redis_proc.terminate()
        redis_proc.wait(10)
        engine.dispose()
    return {"patients": patients, "trials": trials, "workers": workers, "chunk_size": chunk_size,
            "database": engine.dialect.name, "setup_s": round(setup_s, 1), "initial": initial, "repeat": repeat,
            "peak_rss_mb_per_worker": rss, "goal_initial_wall_s": 120}


if __name__ == "__main__":
    import json

    n_patients = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    n_trials = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(json.dumps(bench_rescreen(n_patients, n_trials, database_url=os.environ.get("BENCH_DATABASE_URL")),
                     indent=2))
