"""Import commands for MatchMiner data (the lead wires them under ``trialmatch import``):

- ``trialmatch import ctml FILE_OR_DIR [--out DIR]``: convert CTML trials to trialmatch criteria
  documents; print them (one JSON document per line) or write ``DIR/<trial_id>.json``.
- ``trialmatch import matchminer-patients CLINICAL GENOMIC``: print the PatientFacts of each
  sample as JSON lines (``{"sample_id": ..., "facts": facts_to_json(...)}``).

A refused trial is named on stderr with the field and path that stopped it; the others are
still converted, and the exit status is 2. Unreadable input: exit 2 with the file named.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from trialmatch.errors import CriteriaError, PatientDataError


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.command("ctml")
@click.argument("source", metavar="FILE_OR_DIR", type=click.Path(exists=True))
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False), default=None,
              help="Write one <trial_id>.json criteria document per trial into DIR instead of printing.")
def import_ctml(source: str, out_dir: str | None) -> None:
    """Convert MatchMiner CTML trials (JSON, YAML, JSON arrays, NDJSON) to criteria documents."""
    from trialmatch.matchminer import ctml_to_trial, read_ctml_path
    from trialmatch.trial_document import dump_document
    from trialmatch.vocab import load_vocabulary

    try:
        docs = read_ctml_path(source)
    except CriteriaError as exc:
        _fail(str(exc))
    vocab = load_vocabulary()
    refused = 0
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    for i, doc in enumerate(docs):
        try:
            trial = ctml_to_trial(doc, vocab)
        except CriteriaError as exc:
            refused += 1
            click.echo(f"refused: {source} document {i + 1}: {exc}", err=True)
            continue
        document = dump_document(trial)
        if out_dir:
            (Path(out_dir) / f"{trial.trial_id}.json").write_text(
                json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            click.echo(json.dumps(document, ensure_ascii=False))
    click.echo(f"converted {len(docs) - refused} of {len(docs)} CTML trials", err=True)
    if refused:
        sys.exit(2)


@click.command("matchminer-patients")
@click.argument("clinical", metavar="CLINICAL", type=click.Path(exists=True))
@click.argument("genomic", metavar="GENOMIC", type=click.Path(exists=True))
def import_matchminer_patients(clinical: str, genomic: str) -> None:
    """Convert MatchMiner clinical and genomic documents (files or folders) to facts JSON lines."""
    from trialmatch.domain.facts_json import facts_to_json
    from trialmatch.matchminer import patients_from_matchminer, read_matchminer_documents
    from trialmatch.vocab import load_vocabulary

    try:
        clinical_docs = read_matchminer_documents(clinical)
        genomic_docs = read_matchminer_documents(genomic)
    except PatientDataError as exc:
        _fail(str(exc))
    patients = patients_from_matchminer(clinical_docs, genomic_docs, load_vocabulary())
    for sample_id, facts in patients.items():
        click.echo(json.dumps({"sample_id": sample_id, "facts": facts_to_json(facts)}, ensure_ascii=False))
