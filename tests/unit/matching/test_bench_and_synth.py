"""Synthetic catalogues are seeded and valid; bench_engine reports its figures (no timing
is asserted: benchmarks measure, tests do not)."""

from datetime import date

from trialmatch.domain.criteria_json import from_json, to_json
from trialmatch.matching.bench import bench_engine
from trialmatch.matching.synth import synth_catalogue, synth_patient
from tests.unit.matching.helpers import VOCAB


def test_synthetic_catalogue_is_seeded_and_round_trips():
    a, b = synth_catalogue(VOCAB, 30, seed=7), synth_catalogue(VOCAB, 30, seed=7)
    assert a == b and a != synth_catalogue(VOCAB, 30, seed=8)
    assert all(from_json(to_json(t.criteria)) == t.criteria for t in a)
    assert synth_patient(VOCAB, 3, date(2026, 1, 1)) == synth_patient(VOCAB, 3, date(2026, 1, 1))


def test_bench_engine_reports_figures():
    figures = bench_engine(n_trials=40, repeats=3, vocab=VOCAB)
    assert sorted(figures) == sorted([
        "engine_version", "n_trials", "repeats", "limit", "generate_s", "compile_s", "index_s", "shared_nodes",
        "p50_ms", "p95_ms", "mean_ms", "cpu_p50_ms", "calibration_ms", "candidates_mean", "pairs_per_s", "evaluated_pairs_per_s"])
    assert (figures["n_trials"], figures["repeats"]) == (40, 3)
    assert 0 < figures["p50_ms"] <= figures["p95_ms"]
    assert 0 <= figures["candidates_mean"] <= 40
