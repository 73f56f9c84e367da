"""The ``trialmatch`` command line. Commands are thin adapters over ``trialmatch.services``.

Exit status: 0 on success; 2 on bad input, with the problem on stderr.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import click

from trialmatch import services
from trialmatch.config import Settings
from trialmatch.errors import CriteriaError, PatientDataError, TrialMatchError


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def read_json_file(path: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{path}: cannot read ({exc.__class__.__name__})")
    except json.JSONDecodeError as exc:
        _fail(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno})")


def parse_as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--as-of: expected YYYY-MM-DD, got {value!r}")


@click.group()
def main() -> None:
    """trialmatch: match mCODE patients to oncology trials."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def run(host: str, port: int) -> None:
    """Start Redis (embedded unless TRIALMATCH_REDIS_URL), a Celery worker and the HTTP server."""
    from trialmatch.runner import run_service

    sys.exit(run_service(host=host, port=port))


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema (TRIALMATCH_DATABASE_URL)."""
    from trialmatch.store.database import make_engine, migrate as upgrade

    upgrade(make_engine(Settings.from_env().database_url))
    click.echo("database schema is current")


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--author", default="cli", show_default=True)
def load(path: Path, author: str) -> None:
    """Validate criteria documents (a file or folder) and store changed ones as new versions."""
    from trialmatch.store.database import make_engine, make_sessionmaker, migrate as upgrade

    engine = make_engine(Settings.from_env().database_url)
    upgrade(engine)
    try:
        summary = services.load_trial_documents(sessionmaker=make_sessionmaker(engine),
                                                documents=services.read_documents(path),
                                                author=author, now=datetime.now(timezone.utc))
    except CriteriaError as exc:
        _fail(str(exc))
    click.echo(json.dumps(summary, indent=2))


@main.command()
@click.argument("bundle", type=click.Path(dir_okay=False))
@click.option("--as-of", "as_of", help="date the patient's age and the freshness of facts are judged at (YYYY-MM-DD)")
@click.option("--trials", "trials_path", type=click.Path(exists=True, path_type=Path),
              help="criteria documents, ClinicalTrials.gov records (.jsonl, parsed on the fly) or CTML: "
                   "a file or folder (default: the stored catalogue)")
def match(bundle: str, as_of: str | None, trials_path: Path | None) -> None:
    """Match one mCODE Bundle in-process and print the plain JSON view."""
    from trialmatch.catalogue import build_catalogue, catalogue_from_store
    from trialmatch.vocab import load_vocabulary

    day = parse_as_of(as_of)
    data = read_json_file(bundle)
    vocab = load_vocabulary()
    try:
        if trials_path is not None:
            trials = services.trials_from_path(trials_path, vocab=vocab)
            if not trials:
                _fail(f"{trials_path}: no trials found")
            catalogue = build_catalogue(trials, version="file", vocab=vocab)
        else:
            from trialmatch.store.database import make_engine, make_sessionmaker, migrate as upgrade

            engine = make_engine(Settings.from_env().database_url)
            upgrade(engine)
            catalogue = catalogue_from_store(make_sessionmaker(engine), vocab=vocab)
            if not catalogue.trials:
                _fail("the stored catalogue is empty: run `trialmatch load criteria/` or pass --trials")
        from trialmatch.match_view import render_body
        from trialmatch.result_filters import Filters

        view = render_body(services.match_bundle(bundle=data, as_of=day, catalogue=catalogue, vocab=vocab),
                           filters=Filters(), fmt="json", sites=catalogue.sites)
    except (PatientDataError, CriteriaError) as exc:
        issues = getattr(exc, "issues", None) or [("", str(exc))]
        for location, message in issues:
            click.echo(f"error: {location + ': ' if location else ''}{message}", err=True)
        sys.exit(2)
    except TrialMatchError as exc:
        _fail(str(exc))
    click.echo(json.dumps(view, indent=2, ensure_ascii=False))


@main.group()
def keys() -> None:
    """API keys."""


@keys.command("create")
@click.option("--role", type=click.Choice(["clinician", "sponsor", "admin"]), required=True)
@click.option("--name", required=True, help="who holds the key (shown in the audit log)")
def create_key(role: str, name: str) -> None:
    """Create an API key and print it (it is shown once; only its hash is stored)."""
    from trialmatch.store import keys as key_store
    from trialmatch.store.database import make_engine, make_sessionmaker, migrate as upgrade

    engine = make_engine(Settings.from_env().database_url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        caller, secret = key_store.create_key(session, role=role, name=name, now=datetime.now(timezone.utc))
    click.echo(json.dumps({"id": caller.key_id, "name": caller.name, "role": caller.role, "key": secret}))


def run_cli() -> None:
    """Console entry: an unexpected error is one line on stderr (exit 1), not a stack trace that
    could quote patient data; TRIALMATCH_DEBUG=1 shows the trace."""
    import os

    try:
        main(standalone_mode=True)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("TRIALMATCH_DEBUG") == "1":
            raise
        click.echo(f"internal error ({type(exc).__name__}); rerun with TRIALMATCH_DEBUG=1 to see details", err=True)
        sys.exit(1)



@main.group("import")
def import_group() -> None:
    """Bring trials or patients from other systems."""


def _register_commands() -> None:
    from trialmatch.commands.facts import facts
    from trialmatch.commands.import_ctgov import import_ctgov
    from trialmatch.commands.importers import import_ctml, import_matchminer_patients
    from trialmatch.commands.parse import parse
    from trialmatch.commands.rescreen import COMMANDS as rescreen_commands

    for command in (facts, parse, *rescreen_commands):
        main.add_command(command)
    import_group.add_command(import_ctgov, "ctgov")
    import_group.add_command(import_ctml, "ctml")
    import_group.add_command(import_matchminer_patients, "matchminer-patients")


_register_commands()


if __name__ == "__main__":
    run_cli()
