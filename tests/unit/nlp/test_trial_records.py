"""trial_from_record on the two record shapes, with real records from tests/data/trials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialmatch.domain import criteria as c
from trialmatch.errors import CriteriaError
from trialmatch.nlp import PARSER_VERSION
from trialmatch.nlp import trial_from_record

DATA = Path(__file__).resolve().parents[2] / "data" / "trials"


def _first(name: str, pred) -> dict:
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if pred(record):
            return record
    raise AssertionError("no such record")


def test_jsonl_record(vocab):
    record = _first("oncology-trials.jsonl", lambda r: r["nct_id"] == "NCT00026884")
    trial, parsed = trial_from_record(record, vocab)
    assert (trial.trial_id, trial.phase, trial.status) == ("NCT00026884", None, "Recruiting")
    assert trial.conditions == tuple(record["conditions"])
    assert trial.source == {"format": "ctgov-jsonl", "parser_version": PARSER_VERSION}
    assert isinstance(trial.criteria, c.All)
    assert trial.criteria.items[0] == c.Age(min=2.0, text="minimum age: 2 Years")
    assert trial.criteria.items[1:] == parsed.to_node().items


def test_structured_sex_becomes_an_atom(vocab):
    record = _first("oncology-trials.jsonl", lambda r: r["eligibility"]["sex"] == "FEMALE"
                    and r["eligibility"]["minimum_age"] == "18 Years" and r["eligibility"]["maximum_age"] is None)
    trial, _ = trial_from_record(record, vocab)
    assert trial.criteria.items[:2] == (c.Age(min=18.0, text="minimum age: 18 Years"),
                                        c.Sex("female", text="sex: FEMALE"))


def test_api_v2_record(vocab):
    record = _first("hadleylab-mcode-translator_ctgov-v2-oncology-studies.ndjson",
                    lambda r: r["protocolSection"]["eligibilityModule"].get("maximumAge"))
    ps = record["protocolSection"]
    trial, parsed = trial_from_record(record, vocab)
    assert trial.trial_id == ps["identificationModule"]["nctId"]
    assert trial.title == ps["identificationModule"]["briefTitle"]
    assert trial.source["format"] == "ctgov-api-v2"
    assert isinstance(trial.criteria.items[0], c.Age) and trial.criteria.items[0].max is not None
    assert parsed.items and parsed.criteria_items


def test_months_are_read_as_years(vocab):
    record = {"nct_id": "NCT0", "title": "t", "eligibility": {"raw_text": "", "minimum_age": "6 Months", "sex": "ALL"}}
    trial, _ = trial_from_record(record, vocab)
    assert trial.criteria == c.All((c.Age(min=0.5, text="minimum age: 6 Months"),))


@pytest.mark.parametrize("record, message", [
    ({"foo": 1}, "record: neither a ClinicalTrials.gov API v2 study"),
    ([], "record: expected a JSON object"),
    ({"protocolSection": {}}, "record: no NCT id"),
])
def test_bad_records(vocab, record, message):
    with pytest.raises(CriteriaError) as info:
        trial_from_record(record, vocab)
    assert str(info.value).startswith(message)
