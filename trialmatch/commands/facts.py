"""``trialmatch facts BUNDLE.json [--as-of YYYY-MM-DD]``: print the PatientFacts of an mCODE
Bundle as JSON (``facts_to_json``; with ``--as-of`` the JSON carries the age on that day).

Exit 0 on success; exit 2 with the problem on stderr when the file cannot be read, is not
JSON, or is not a usable Bundle (each issue on its own line, locations only, no values).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from trialmatch.domain.facts_json import facts_to_json
from trialmatch.errors import PatientDataError


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.command("facts")
@click.argument("bundle_path", metavar="BUNDLE.json", type=click.Path(dir_okay=False))
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", default=None,
              help="Date on which to compute the patient's age.")
def facts(bundle_path: str, as_of: str | None) -> None:
    """Print the facts extracted from an mCODE Bundle as JSON."""
    from trialmatch.mcode import extract_facts
    from trialmatch.vocab import load_vocabulary

    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            _fail("--as-of: expected YYYY-MM-DD")
    try:
        bundle = json.loads(Path(bundle_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{bundle_path}: cannot read ({exc.__class__.__name__})")
    except json.JSONDecodeError as exc:
        _fail(f"{bundle_path}: not valid JSON (line {exc.lineno}, column {exc.colno})")
    try:
        result = extract_facts(bundle, load_vocabulary())
    except PatientDataError as exc:
        lines = [f"{bundle_path}: {exc}"] + [f"  {loc or '$'}: {msg}" for loc, msg in exc.issues]
        _fail("\n".join(lines))
    click.echo(json.dumps(facts_to_json(result, as_of=day), indent=2, ensure_ascii=False))
