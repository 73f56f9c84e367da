"""``trialmatch import ctgov FILE``: bulk import of ClinicalTrials.gov records (the .jsonl export
or API v2 study records), parsed by the NLP parser and stored as criteria versions.

Resumable: progress is kept in a state file beside FILE (``FILE.import-state.json``) after each
batch; a second run continues after the last stored batch (``--restart`` starts over). Records
that cannot be used are skipped and reported with their position, trial id and reason.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import click

from trialmatch import trial_formats
from trialmatch.config import Settings
from trialmatch.errors import CriteriaError, TrialMatchError

BATCH = 50


def read_records(path: Path) -> list[dict]:
    from trialmatch.commands.parse import read_records as read

    return read(str(path))


@click.command("ctgov")
@click.argument("source", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--restart", is_flag=True, help="ignore the saved progress and start from the first record")
@click.option("--author", default="import ctgov", show_default=True)
def import_ctgov(source: Path, restart: bool, author: str) -> None:
    """Parse and store ClinicalTrials.gov records (resumable; prints a JSON report)."""
    from trialmatch.store import trials as trial_store
    from trialmatch.store.database import make_engine, make_sessionmaker, migrate
    from trialmatch.trial_document import load_document
    from trialmatch.vocab import load_vocabulary

    try:
        records = read_records(source)
    except CriteriaError as exc:
        raise click.ClickException(str(exc)) from None
    state_file = source.with_name(source.name + ".import-state.json")
    state = {"done": 0, "stored": [], "unchanged": [], "skipped": []}
    if state_file.exists() and not restart:
        state = json.loads(state_file.read_text(encoding="utf-8"))
        click.echo(f"resuming after record {state['done']} of {len(records)}", err=True)
    engine = make_engine(Settings.from_env().database_url)
    migrate(engine)
    sessions = make_sessionmaker(engine)
    vocab = load_vocabulary()
    pending: list[tuple[int, dict]] = []

    def flush(done: int) -> None:
        now = datetime.now(timezone.utc)
        with sessions.begin() as session:
            for _index, document in pending:
                version, created = trial_store.save_trial_document(session, document=document, author=author, now=now)
                (state["stored"] if created else state["unchanged"]).append(f"{document['trial_id']}@v{version}")
        pending.clear()
        state["done"] = done
        state_file.write_text(json.dumps(state), encoding="utf-8")

    with click.progressbar(range(state["done"], len(records)), label="parsing", file=click.get_text_stream("stderr"),
                           show_pos=True) as positions:
        for index in positions:
            record = records[index]
            trial_id = record.get("nct_id") if isinstance(record, dict) else None
            try:
                fmt = trial_formats.detect_format(record)
                if fmt not in ("ctgov_flat", "ctgov_v2"):
                    raise CriteriaError(f"not a ClinicalTrials.gov record ({fmt})")
                document = trial_formats.to_document(record, fmt, vocab=vocab)
                load_document(document, f"{source.name}[{index}]")
                pending.append((index, document))
            except TrialMatchError as exc:
                state["skipped"].append({"index": index, "trial_id": trial_id, "reason": str(exc)[:500]})
            if len(pending) >= BATCH:
                flush(index + 1)
    flush(len(records))
    engine.dispose()
    report = {"records": len(records), "stored": len(state["stored"]), "unchanged": len(state["unchanged"]),
              "skipped": state["skipped"]}
    click.echo(json.dumps(report, indent=2))
