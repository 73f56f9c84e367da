"""``trialmatch parse TRIALS [--report] [--mentions]``: parse trials' eligibility text.

TRIALS is a file of trial records, one JSON object per line (``oncology-trials.jsonl`` lines
or ClinicalTrials.gov API v2 studies), or one JSON file holding a study, a list of studies
or an API v2 page (``{"studies": [...]}``). Without ``--report`` it prints one JSON line per
trial: ``{"trial_id", "criteria": <criteria node JSON>, "parse": {"parser_version",
"items": [...]}}``. With ``--report`` it prints one JSON object of counts over all trials:
``{"items", "fully_structured", "partly_structured", "unparsed", "non_clinical", "by_kind"}``
(headings and notes are not items; ``by_kind`` counts structured atoms by type).

Exit 2 with the problem on stderr when the file cannot be read or a record is not a trial.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from trialmatch.errors import CriteriaError


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def read_records(path: str) -> list[dict]:
    """Records from a JSON-lines file or a JSON file (object, list, or {"studies": [...]})."""
    text = Path(path).read_text(encoding="utf-8")
    stripped = text.strip()
    if not stripped:
        return []
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError:
        data = None
    if data is not None:
        if isinstance(data, dict) and isinstance(data.get("studies"), list):
            return data["studies"]
        return data if isinstance(data, list) else [data]
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise CriteriaError(f"{path}:{number}: not JSON ({exc.msg})") from None
    return records


@click.command("parse")
@click.argument("trials_path", metavar="TRIALS.jsonl", type=click.Path(dir_okay=False))
@click.option("--report", is_flag=True, help="Print one JSON object of counts instead of the parses.")
@click.option("--mentions", "with_mentions", is_flag=True, help="Add the spaCy mentions of each item.")
def parse(trials_path: str, report: bool, with_mentions: bool) -> None:
    """Parse the eligibility criteria of trial records into structured criteria."""
    from trialmatch.domain.criteria_json import to_json
    from trialmatch.nlp.parsed_eligibility import merge_reports
    from trialmatch.nlp.pipeline import mentions
    from trialmatch.nlp.trial_records import trial_from_record
    from trialmatch.vocab import load_vocabulary

    try:
        records = read_records(trials_path)
    except OSError as exc:
        _fail(f"{trials_path}: cannot be read ({exc.strerror})")
    except CriteriaError as exc:
        _fail(str(exc))
    vocab = load_vocabulary()
    reports = []
    for number, record in enumerate(records, start=1):
        try:
            trial, parsed = trial_from_record(record, vocab)
        except CriteriaError as exc:
            _fail(f"{trials_path}: record {number}: {exc}")
        if report:
            reports.append(parsed.report())
            continue
        out = parsed.to_json()
        if with_mentions:
            for item, item_json in zip(parsed.items, out["items"], strict=True):
                item_json["mentions"] = [
                    {"label": m.label, "text": m.text, "start": item.start + m.start, "end": item.start + m.end}
                    for m in mentions(item.text, vocab)
                ]
        click.echo(json.dumps({"trial_id": trial.trial_id, "criteria": to_json(trial.criteria), "parse": out},
                              ensure_ascii=False))
    if report:
        click.echo(json.dumps(merge_reports(reports)))
