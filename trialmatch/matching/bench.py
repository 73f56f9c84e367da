"""bench_engine: the matcher's speed on one core, in-process, on a synthetic catalogue.

Measures the wall time of ``match_patient`` for one patient against ``n_trials`` trials
(p50/p95 over ``repeats`` synthetic patients), and the throughput in patient × trial
pairs per second (pairs = trials in the index; ``evaluated_pairs_per_s`` counts only the
candidates the prefilter kept). Compilation and indexing are timed apart: they happen once
per catalogue version. The garbage collector's view of the compiled catalogue is frozen
(``gc.freeze()``) as a long-running service does after loading it, and unfrozen after.
``cpu_p50_ms`` is process CPU time, and ``calibration_ms`` the time of a fixed pure-Python
loop measured around the run, for comparing runs on a busy machine.
"""

from __future__ import annotations

import gc
import statistics
import time
from datetime import date

from trialmatch.matching.compiled_trial import compile_trial
from trialmatch.matching.match_result import ENGINE_VERSION, match_patient
from trialmatch.matching.synth import synth_catalogue, synth_patient
from trialmatch.matching.trial_index import TrialIndex

AS_OF = date(2026, 1, 15)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def calibration_ms() -> float:
    """A fixed pure-Python workload (best of 3), to compare runs on busy or different machines:
    divide a figure by it to normalise."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(200_000):
            total += i % 7
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def bench_engine(n_trials: int = 10000, repeats: int = 50, *, limit: int | None = 50, seed: int = 0,
                 vocab=None) -> dict:
    if vocab is None:
        from trialmatch.vocab import load_vocabulary  # the default vocabulary, only when none is given

        vocab = load_vocabulary()
    t0 = time.perf_counter()
    catalogue = synth_catalogue(vocab, n_trials, seed)
    t1 = time.perf_counter()
    compiled = [compile_trial(t, vocab) for t in catalogue]
    t2 = time.perf_counter()
    index = TrialIndex(compiled, vocab)
    t3 = time.perf_counter()
    patients = [synth_patient(vocab, seed * 100003 + i, AS_OF) for i in range(repeats)]
    gc.collect()
    gc.freeze()
    try:
        match_patient(patients[0], index, as_of=AS_OF, limit=limit)  # warm-up (imports, caches of the index)
        wall, cpu, candidates = [], [], []
        calibration = calibration_ms()
        for p in patients:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = match_patient(p, index, as_of=AS_OF, limit=limit)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            candidates.append(result.candidates)
        calibration = min(calibration, calibration_ms())
    finally:
        gc.unfreeze()
    total_s = sum(wall) / 1000
    return {
        "engine_version": ENGINE_VERSION,
        "n_trials": n_trials,
        "repeats": repeats,
        "limit": limit,
        "generate_s": round(t1 - t0, 3),
        "compile_s": round(t2 - t1, 3),
        "index_s": round(t3 - t2, 3),
        "shared_nodes": index.shared_nodes,
        "p50_ms": round(_percentile(wall, 0.5), 2),
        "p95_ms": round(_percentile(wall, 0.95), 2),
        "mean_ms": round(statistics.fmean(wall), 2),
        "cpu_p50_ms": round(_percentile(cpu, 0.5), 2),
        "calibration_ms": round(calibration, 2),
        "candidates_mean": round(statistics.fmean(candidates), 1),
        "pairs_per_s": round(n_trials * len(wall) / total_s),
        "evaluated_pairs_per_s": round(sum(candidates) / total_s),
    }
