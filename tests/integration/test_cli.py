"""The command line as a user meets it: `trialmatch match`, `trialmatch load`, `trialmatch run`."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.integration.conftest import BUNDLES, CATALOGUE, ROOT
from trialmatch.embedded_redis import free_port

pytestmark = pytest.mark.integration
BUNDLE = BUNDLES / "mcode-ig-assembled" / "Bundle-assembled-cancer-patient-john-anyperson.json"


def trialmatch(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trialmatch.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_match_prints_the_json_view_for_a_criteria_folder():
    result = trialmatch("match", str(BUNDLE), "--as-of", "2026-11-26", "--trials", str(CATALOGUE))
    assert result.returncode == 0, result.stderr
    view = json.loads(result.stdout)
    assert view["as_of"] == "2026-11-26"
    assert {t["trial_id"] for t in view["results"]} <= {p.stem for p in CATALOGUE.glob("*.json")}


def test_match_from_the_store_after_load(tmp_path):
    env = dict(os.environ, TRIALMATCH_DATABASE_URL=f"sqlite:///{tmp_path}/t.db")
    loaded = trialmatch("load", str(CATALOGUE), env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["created"]
    result = trialmatch("match", str(BUNDLE), "--as-of", "2026-11-26", env=env)
    assert result.returncode == 0, result.stderr
    direct = trialmatch("match", str(BUNDLE), "--as-of", "2026-11-26", "--trials", str(CATALOGUE))
    assert json.loads(result.stdout)["results"] == json.loads(direct.stdout)["results"]


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ('{"resourceType": "Patient"}', "Bundle"),
])
def test_match_bad_input_exits_2_with_the_problem_on_stderr(tmp_path, content, message):
    path = tmp_path / "in.json"
    path.write_text(content)
    result = trialmatch("match", str(path), "--trials", str(CATALOGUE))
    assert result.returncode == 2
    assert message in result.stderr and result.stdout == ""


def test_match_with_a_bad_date_exits_2():
    result = trialmatch("match", str(BUNDLE), "--as-of", "26/11/2026", "--trials", str(CATALOGUE))
    assert result.returncode == 2 and "--as-of" in result.stderr


def test_load_refuses_an_invalid_document_naming_file_and_field(tmp_path):
    bad = json.loads(next(CATALOGUE.glob("*.json")).read_text())
    bad["criteria"] = {"type": "all", "items": [{"type": "age", "min": "eighteen"}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    env = dict(os.environ, TRIALMATCH_DATABASE_URL=f"sqlite:///{tmp_path}/t.db")
    result = trialmatch("load", str(tmp_path), env=env)
    assert result.returncode == 2
    assert "bad.json" in result.stderr and "min" in result.stderr


def processes_with(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_run_serves_matches_and_ctrl_c_stops_every_process_it_started(tmp_path, redis_url):
    port = free_port()
    queue = "run-" + uuid.uuid4().hex[:8]
    env = dict(os.environ, TRIALMATCH_DATABASE_URL=f"sqlite:///{tmp_path}/t.db", TRIALMATCH_QUEUE=queue,
               TRIALMATCH_CATALOGUE_DIR=str(CATALOGUE), TRIALMATCH_LOCAL_KEY_FILE=str(tmp_path / "key"))
    env.pop("TRIALMATCH_REDIS_URL", None)  # `run` starts its embedded Redis, as on a fresh machine
    proc = subprocess.Popen([sys.executable, "-m", "trialmatch.cli", "run", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or workers still booting
                pass
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "trialmatch run not ready within 90 s"
            time.sleep(0.3)
        key = (tmp_path / "key").read_text().strip()
        response = requests.post(f"http://127.0.0.1:{port}/api/v1/match?as_of=2026-11-26", data=BUNDLE.read_bytes(),
                                 headers={"Content-Type": "application/fhir+json", "Authorization": f"Bearer {key}"},
                                 timeout=60)
        assert response.status_code == 200 and response.json()["mode"] == "worker"
        assert len(processes_with(f"TRIALMATCH_QUEUE={queue}")) >= 3  # run, worker, web
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert "curl" in output and f"127.0.0.1:{port}" in output and key in output
    example = re.search(r"--data @(\S+)", output).group(1)
    assert (ROOT / example).is_file(), f"the printed example names a missing file: {example}"
    assert processes_with(f"TRIALMATCH_QUEUE={queue}") == []


def test_import_ctgov_parses_stores_skips_with_reasons_and_resumes(tmp_path):
    lines = (ROOT / "tests" / "data" / "trials" / "oncology-trials.jsonl").read_text().splitlines()[:6]
    lines.insert(3, json.dumps({"nct_id": "NCT-BROKEN", "eligibility": {"raw_text": ""}, "hello": 1}))
    lines.insert(4, json.dumps({"resourceType": "Patient"}))
    source = tmp_path / "some.jsonl"
    source.write_text("\n".join(lines) + "\n")
    env = dict(os.environ, TRIALMATCH_DATABASE_URL=f"sqlite:///{tmp_path}/t.db")
    first = trialmatch("import", "ctgov", str(source), env=env)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["records"] == 8
    assert [(s["index"], s["trial_id"]) for s in report["skipped"]] == [(3, "NCT-BROKEN"), (4, None)]
    assert "title" in report["skipped"][0]["reason"] and "not a recognised" in report["skipped"][1]["reason"]
    assert report["stored"] == 6
    state = json.loads((tmp_path / "some.jsonl.import-state.json").read_text())
    assert state["done"] == 8
    again = trialmatch("import", "ctgov", str(source), env=env)
    assert "resuming after record 8" in again.stderr
    assert json.loads(again.stdout)["stored"] == report["stored"]  # nothing parsed twice
    restarted = json.loads(trialmatch("import", "ctgov", str(source), "--restart", env=env).stdout)
    assert restarted["stored"] == 0 and restarted["unchanged"] == report["stored"]  # same documents: no new versions
    listed = trialmatch("match", str(BUNDLE), "--as-of", "2026-11-26", env=env)
    assert listed.returncode == 0 and json.loads(listed.stdout)["trials_indexed"] == report["stored"]
