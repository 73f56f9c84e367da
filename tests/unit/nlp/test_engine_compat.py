"""End to end with the engine, over the 1,000 ClinicalTrials.gov trials of tests/data/trials:
every trial the parser builds compiles (``trialmatch.matching.compile_trial``), every Lab atom's
threshold converts to its analyte's canonical unit with the engine's unit table, and every
trial converted by ``trial_formats.to_document`` passes the criteria JSON Schema
(``trial_document.load_document``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.matching import compile_trial
from trialmatch.matching.units import load_units
from trialmatch.nlp import trial_from_record
from trialmatch.trial_document import load_document
from trialmatch.trial_formats import to_document

TRIALS = Path(__file__).resolve().parents[2] / "data" / "trials" / "oncology-trials.jsonl"


@pytest.fixture(scope="module")
def records():
    return [json.loads(line) for line in TRIALS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def trials(records, vocab):
    return [trial_from_record(r, vocab)[0] for r in records]


def test_all_trials_are_read(records, trials):
    assert len(records) == len(trials) == 1000


def test_every_parsed_trial_compiles(trials, vocab):
    failures = []
    for trial in trials:
        try:
            compile_trial(trial, vocab)
        except Exception as exc:  # any failure is a parser output the engine cannot take
            failures.append((trial.trial_id, repr(exc)))
    assert failures == []


def test_every_lab_threshold_converts_to_the_canonical_unit(trials, vocab):
    units = load_units()
    labs = [n for t in trials for n in walk(t.criteria) if isinstance(n, c.Lab)]
    assert len(labs) > 500  # the labs are really there
    bad = []
    for lab in labs:
        concept = vocab.lab(lab.analyte)
        if lab.uln_multiple is not None:
            ok = lab.value is None and lab.unit is None
        elif lab.unit is None:
            ok = units.convert(1.0, concept.canonical_unit, "{ratio}") == 1.0
        else:
            ok = units.convert(lab.value, lab.unit, concept.canonical_unit, concept.molar_mass) is not None
        if not ok:
            bad.append((lab.analyte, lab.value, lab.unit, lab.uln_multiple))
    assert bad == []


def test_every_converted_document_passes_the_schema(records, vocab):
    failures = []
    for record in records:
        try:
            load_document(to_document(record, "ctgov_flat", vocab=vocab), record["nct_id"])
        except Exception as exc:
            failures.append((record["nct_id"], str(exc)[:200]))
    assert failures == []
