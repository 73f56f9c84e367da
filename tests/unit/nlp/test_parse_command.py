"""The ``parse`` click command on real records (JSON lines and an API v2 JSON file)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from trialmatch.commands.parse import parse

DATA = Path(__file__).resolve().parents[2] / "data" / "trials"


def _lines(name, n):
    return (DATA / name).read_text(encoding="utf-8").splitlines()[:n]


def test_prints_one_json_line_per_trial(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(_lines("oncology-trials.jsonl", 3)) + "\n")
    result = CliRunner().invoke(parse, [str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["trial_id"] for r in rows] == [json.loads(l)["nct_id"] for l in _lines("oncology-trials.jsonl", 3)]
    assert all(r["criteria"]["type"] == "all" and r["parse"]["items"] for r in rows)
    assert set(rows[0]["parse"]["items"][0]) == {"section", "kind", "text", "start", "end", "status", "scope", "recognised", "node"}


def test_report(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(_lines("oncology-trials.jsonl", 5)) + "\n")
    result = CliRunner().invoke(parse, [str(path), "--report"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"items", "fully_structured", "partly_structured", "unparsed", "non_clinical", "by_kind", "recognised"}
    assert report["items"] == sum(report[k] for k in ("fully_structured", "partly_structured", "unparsed", "non_clinical"))


def test_api_v2_json_file_and_mentions(tmp_path):
    study = json.loads(_lines("hadleylab-mcode-translator_ctgov-v2-oncology-studies.ndjson", 1)[0])
    path = tmp_path / "study.json"
    path.write_text(json.dumps({"studies": [study]}, indent=2))
    result = CliRunner().invoke(parse, [str(path), "--mentions"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert row["trial_id"] == study["protocolSection"]["identificationModule"]["nctId"]
    assert all("mentions" in item for item in row["parse"]["items"])


def test_errors_exit_2(tmp_path):
    missing = CliRunner().invoke(parse, [str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "cannot be read" in missing.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"nct_id": "NCT1", "eligibility": {}}\nnot json\n')
    result = CliRunner().invoke(parse, [str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:2: not JSON" in result.output
    other = tmp_path / "other.jsonl"
    other.write_text('{"foo": 1}\n')
    result = CliRunner().invoke(parse, [str(other)])
    assert result.exit_code == 2 and "record 1" in result.output
