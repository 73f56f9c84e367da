"""The import commands: CTML trials to criteria documents, MatchMiner patients to facts JSON lines."""

import json

from click.testing import CliRunner

from trialmatch.commands.importers import import_ctml, import_matchminer_patients
from trialmatch.domain.facts_json import facts_from_json


def test_import_ctml_prints_documents_and_names_refusals(data_dir):
    result = CliRunner().invoke(import_ctml, [str(data_dir / "trials")])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["trial_id"] for d in lines] == ["11-111", "11-111", "22-222", "11-111", "22-222"]
    assert lines[0]["arms"][0]["id"] == "s1.a1" and lines[0]["source"]["registry"] == "MatchMiner CTML"
    assert "refused: " in result.stderr and "protocol_no: '' is missing" in result.stderr
    assert "converted 5 of 6 CTML trials" in result.stderr
    assert result.exit_code == 2


def test_import_ctml_writes_one_document_per_trial(data_dir, tmp_path):
    result = CliRunner().invoke(import_ctml, [str(data_dir / "wintermutant-demo" / "trials"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    written = json.loads((tmp_path / "NCT02477839.json").read_text())
    assert [a["id"] for a in written["arms"]] == ["s1", "s1.a1", "s1.a2", "s1.a3"]


def test_import_matchminer_patients_prints_facts_lines(data_dir):
    demo = data_dir / "wintermutant-demo"
    result = CliRunner().invoke(import_matchminer_patients, [str(demo / "clinical_json"), str(demo / "genomic_json")])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["sample_id"] for r in rows] == ["5d2799d86756630d8dd065b8", "5d2799d86756630d8dd065b9"]
    facts = facts_from_json(rows[1]["facts"])
    assert [(v.gene, v.protein_change) for v in facts.variants] == [("EGFR", "L858G")]


def test_import_matchminer_patients_refuses_unreadable_input(tmp_path):
    (tmp_path / "c.json").write_text("[1]")
    result = CliRunner().invoke(import_matchminer_patients, [str(tmp_path / "c.json"), str(tmp_path / "c.json")])
    assert result.exit_code == 2 and "c.json" in result.stderr
