"""Registry commands: ``trialmatch register``, ``rescreen``, ``reextract`` and ``synth``.

- ``register PATH``: store the mCODE Bundle(s) of a file or folder in the patient registry
  (patient id: the file name without ``.json``); refused bundles are listed by file name.
- ``rescreen [--trial ID]... [--patient ID]...``: plan a rescreen (all x all by default) and
  run it with a progress bar, in this process, or with ``--workers`` on the Celery workers
  (TRIALMATCH_REDIS_URL), following their progress. Planned rescreens waiting in the store (a
  trial's new version, a patient's new data) run along with it.
- ``reextract``: extract every stored raw bundle again and rescreen the patients whose facts
  changed.
- ``synth --patients N --seed S --out DIR``: write synthetic mCODE bundles (for benchmarks
  and load tests only).

Exit status 0 on success, 2 on bad input (the problem on stderr, never a patient value).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import click

from trialmatch.config import Settings
from trialmatch.errors import NotFoundError, PatientDataError


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--as-of: expected YYYY-MM-DD, got {value!r}")


def _store(settings: Settings):
    from trialmatch.store.database import make_engine, make_sessionmaker, migrate

    engine = make_engine(settings.database_url)
    migrate(engine)
    return make_sessionmaker(engine)


def run_planned(sessionmaker, *, settings: Settings, vocab, today: date, label: str) -> list[str]:
    """Dispatch every planned rescreen and run its chunks here, with a progress bar."""
    from trialmatch import rescreen
    from trialmatch.catalogue import CatalogueSource
    from trialmatch.rescreen_run import run_chunk

    source = CatalogueSource(sessionmaker, vocab=vocab, check_interval=0)
    pending: list[tuple[str, int]] = []
    ids = rescreen.dispatch(sessionmaker=sessionmaker, send=lambda r, c: pending.append((r, c)), today=today,
                            now=_now(), chunk_size=settings.rescreen_chunk_size)
    with click.progressbar(pending, label=label, file=sys.stderr, show_pos=True) as chunks:
        for rescreen_id, chunk_no in chunks:
            run_chunk(sessionmaker=sessionmaker, catalogue=source.current(), rescreen_id=rescreen_id,
                      chunk_no=chunk_no, now=_now())
    return ids


def follow(sessionmaker, rescreen_id: str, *, timeout: float) -> dict:
    """Poll a rescreen run by the workers, with a progress bar, until it is done."""
    from trialmatch import rescreen

    status = rescreen.rescreen_status(sessionmaker=sessionmaker, rescreen_id=rescreen_id)
    deadline = time.monotonic() + timeout
    shown = 0
    with click.progressbar(length=max(status["chunks"]["total"], 1), label="rescreen", file=sys.stderr,
                           show_pos=True) as bar:
        while status["status"] != "done":
            if time.monotonic() > deadline:
                _fail(f"rescreen {rescreen_id} not done after {timeout:.0f} s; it goes on on the workers")
            time.sleep(0.5)
            status = rescreen.rescreen_status(sessionmaker=sessionmaker, rescreen_id=rescreen_id)
            bar.length = max(status["chunks"]["total"], 1)
            bar.update(status["chunks"]["done"] - shown)
            shown = status["chunks"]["done"]
    return status


@click.command("register")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def register(path: Path) -> None:
    """Store the mCODE Bundle(s) of a file or folder in the patient registry."""
    from trialmatch import rescreen
    from trialmatch.vocab import load_vocabulary

    settings = Settings.from_env()
    sessionmaker = _store(settings)
    vocab = load_vocabulary()
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    saved, refused = [], []
    for file in files:
        try:
            bundle = json.loads(file.read_text(encoding="utf-8"))
            result = rescreen.save_patient(sessionmaker=sessionmaker, bundle=bundle, vocab=vocab, now=_now(),
                                           patient_id=file.stem[:64], store_raw=settings.store_raw_bundles)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, PatientDataError) as exc:
            refused.append({"file": file.name, "error": type(exc).__name__})
            continue
        saved.append({"id": result.patient_id, "created": result.created, "changed": result.changed})
    click.echo(json.dumps({"saved": saved, "refused": refused}, indent=2))


@click.command("rescreen")
@click.option("--trial", "trials", multiple=True, help="only this trial (repeatable)")
@click.option("--patient", "patients", multiple=True, help="only this patient (repeatable)")
@click.option("--as-of", "as_of", help="date ages and freshness are judged at (default today)")
@click.option("--workers", is_flag=True, help="run on the Celery workers and follow their progress")
@click.option("--timeout", default=3600.0, show_default=True, help="seconds to follow a --workers rescreen")
def rescreen_command(trials, patients, as_of, workers, timeout) -> None:
    """Rescreen registered patients against trials (all x all by default) and print the summary."""
    from trialmatch import rescreen
    from trialmatch.vocab import load_vocabulary

    settings = Settings.from_env()
    day = _as_of(as_of)
    sessionmaker = _store(settings)
    try:
        rescreen_id = rescreen.request_rescreen(sessionmaker=sessionmaker, now=_now(), trial_ids=list(trials) or None,
                                                patient_ids=list(patients) or None, as_of=day)
    except NotFoundError as exc:
        _fail(str(exc))
    if workers:
        if not settings.redis_url:
            _fail("--workers needs TRIALMATCH_REDIS_URL (the workers' broker)")
        from celery import Celery

        from trialmatch.api.celery import celery_config

        app = Celery("trialmatch-cli")
        app.config_from_object(celery_config(settings.redis_url, result_ttl=settings.cache_ttl_seconds,
                                             queue=settings.queue,
                                             visibility_timeout=settings.visibility_timeout_seconds))
        app.send_task("trialmatch.rescreen.dispatch")
        status = follow(sessionmaker, rescreen_id, timeout=timeout)
    else:
        run_planned(sessionmaker, settings=settings, vocab=load_vocabulary(), today=day or date.today(),
                    label="rescreen")
        status = rescreen.rescreen_status(sessionmaker=sessionmaker, rescreen_id=rescreen_id)
    click.echo(json.dumps(status, indent=2))


@click.command("reextract")
def reextract() -> None:
    """Extract every stored raw bundle again; rescreen the patients whose facts changed."""
    from trialmatch import rescreen
    from trialmatch.vocab import load_vocabulary

    settings = Settings.from_env()
    sessionmaker = _store(settings)
    vocab = load_vocabulary()
    summary = rescreen.reextract(sessionmaker=sessionmaker, vocab=vocab, now=_now())
    if summary["rescreen_id"]:
        run_planned(sessionmaker, settings=settings, vocab=vocab, today=date.today(), label="rescreen")
        summary["rescreen"] = rescreen.rescreen_status(sessionmaker=sessionmaker, rescreen_id=summary["rescreen_id"])
    click.echo(json.dumps(summary, indent=2))


@click.command("synth")
@click.option("--patients", "n", type=click.IntRange(min=1), required=True, help="number of bundles")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="folder to write synth-NNNNNN.json into")
@click.option("--as-of", "as_of", help="the day the histories end (default today)")
def synth(n: int, seed: int, out: Path, as_of: str | None) -> None:
    """Write N synthetic mCODE bundles (benchmarks and load tests only)."""
    from trialmatch.synth import synth_bundles

    day = _as_of(as_of) or date.today()
    out.mkdir(parents=True, exist_ok=True)
    with click.progressbar(synth_bundles(n, seed, day), length=n, label="synth", file=sys.stderr) as bundles:
        for i, bundle in enumerate(bundles):
            (out / f"synth-{i:06d}.json").write_text(json.dumps(bundle), encoding="utf-8")
    click.echo(json.dumps({"written": n, "folder": str(out), "seed": seed, "as_of": day.isoformat()}))


COMMANDS = (register, rescreen_command, reextract, synth)
