"""The registry commands as a user meets them (subprocess): synth, register, rescreen,
reextract; bad input exits 2 with the problem on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.integration.conftest import CATALOGUE, ROOT

pytestmark = pytest.mark.integration


def trialmatch(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trialmatch.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_synth_register_rescreen_reextract(tmp_path):
    env = dict(os.environ, TRIALMATCH_DATABASE_URL=f"sqlite:///{tmp_path}/t.db", TRIALMATCH_RESCREEN_CHUNK_SIZE="4")
    env.pop("TRIALMATCH_REDIS_URL", None)
    assert trialmatch("load", str(CATALOGUE), env=env).returncode == 0
    made = trialmatch("synth", "--patients", "10", "--seed", "5", "--out", str(tmp_path / "synth"),
                      "--as-of", "2026-11-26", env=env)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (tmp_path / "synth").iterdir()) == [f"synth-{i:06d}.json" for i in range(10)]
    registered = trialmatch("register", str(tmp_path / "synth"), env=env)
    assert registered.returncode == 0, registered.stderr
    body = json.loads(registered.stdout)
    assert body["refused"] == [] and [s["id"] for s in body["saved"]] == [f"synth-{i:06d}" for i in range(10)]
    run = trialmatch("rescreen", "--as-of", "2026-11-26", env=env)
    assert run.returncode == 0, run.stderr
    status = json.loads(run.stdout)
    assert status["status"] == "done" and status["chunks"] == {"done": 3, "total": 3}
    assert status["counts"]["pairs"] == 10 * len(list(CATALOGUE.glob("*.json")))
    assert "rescreen" in run.stderr  # the progress bar
    again = json.loads(trialmatch("rescreen", "--as-of", "2026-11-26", env=env).stdout)
    assert {k: v for k, v in again["counts"].items() if k.startswith(("newly", "no_longer"))} == {
        "newly_eligible": 0, "newly_possible": 0, "no_longer_eligible": 0, "no_longer_possible": 0}
    assert {k: v for k, v in again["counts"].items() if k in ("eligible", "possible")} == {
        k: v for k, v in status["counts"].items() if k in ("eligible", "possible")}
    summary = json.loads(trialmatch("reextract", env=env).stdout)
    assert summary == {"changed": 0, "unchanged": 10, "skipped_without_bundle": 0, "rescreen_id": None}


def test_bad_input_exits_2(tmp_path):
    env = dict(os.environ, TRIALMATCH_DATABASE_URL=f"sqlite:///{tmp_path}/t.db")
    unknown = trialmatch("rescreen", "--trial", "NCT00000000", env=env)
    assert unknown.returncode == 2 and "unknown trials: NCT00000000" in unknown.stderr
