import json

from click.testing import CliRunner

from tests.unit.mcode.conftest import BUNDLES
from trialmatch.commands.facts import facts

APP01 = str(BUNDLES / "codex/clinical-trial-matching-app/TrialMatching_Patient01.json")


def test_prints_facts_json_with_age():
    result = CliRunner().invoke(facts, [APP01, "--as-of", "2026-11-26"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["patient_ref"], data["age"], [c["cancer_type"] for c in data["cancers"]]) == (
        "Patient/mCODETrialMatchingPatientExample01", 67, ["IDC", "IDC", "IDC", "IDC"])


def test_without_as_of_there_is_no_age():
    result = CliRunner().invoke(facts, [APP01])
    assert result.exit_code == 0 and "age" not in json.loads(result.output)


def test_bad_inputs_exit_2_with_the_problem_on_stderr(tmp_path):
    not_json = tmp_path / "x.json"
    not_json.write_text("{", encoding="utf-8")
    not_bundle = tmp_path / "y.json"
    not_bundle.write_text('{"resourceType": "Patient"}', encoding="utf-8")
    cases = [([str(not_json)], "not valid JSON"), ([str(not_bundle)], "input is not a FHIR Bundle"),
             ([str(tmp_path / "missing.json")], "cannot read"), ([APP01, "--as-of", "26/11/2026"], "expected YYYY-MM-DD")]
    for args, message in cases:
        result = CliRunner().invoke(facts, args)
        assert (result.exit_code, message in result.output) == (2, True), args
