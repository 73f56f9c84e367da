"""bench_parse: throughput of the eligibility parser (wired into ``python -m trialmatch.bench``).

Figures: items per second on one core (parsing trials one after another in this process; wall
time and CPU time, since the machine may be shared),
and the wall time of parsing the whole trial file on ``workers`` processes (multiprocessing,
each worker loading the vocabulary once). Goals from issue #5: >= 1,000 items/s on one core;
the 1,000-trial file in <= 60 s on 2 cores. Benchmarks measure; tests never assert time.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

DEFAULT_TRIALS = Path(__file__).resolve().parents[2] / "tests" / "data" / "trials" / "oncology-trials.jsonl"

_VOCAB = None


def _texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [(json.loads(line).get("eligibility") or {}).get("raw_text") or "" for line in fh if line.strip()]


def _init_worker() -> None:
    global _VOCAB
    from trialmatch.vocab import load_vocabulary

    _VOCAB = load_vocabulary()


def _parse_count(text: str) -> int:
    from trialmatch.nlp import parse_eligibility

    return len(parse_eligibility(text, _VOCAB).criteria_items)


def bench_parse(trials_path: str | Path | None = None, *, single_core_trials: int = 300, workers: int = 2) -> dict:
    path = Path(trials_path) if trials_path else DEFAULT_TRIALS
    texts = _texts(path)
    _init_worker()
    # warm-up: rule files, vocabulary terms, and the engine's unit table (loaded at the first lab
    # with a unit), one-time costs a long-running parser pays once, not per item
    _parse_count(texts[0])
    _parse_count("Inclusion Criteria:\n\n* Absolute neutrophil count >= 1,500/uL\n")
    sample = texts[:single_core_trials]
    start, cpu_start = time.perf_counter(), time.process_time()
    items = sum(_parse_count(t) for t in sample)
    single, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    start = time.perf_counter()
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        total_items = sum(pool.map(_parse_count, texts, chunksize=20))
    whole = time.perf_counter() - start
    return {
        "trials_single_core": len(sample),
        "items_single_core": items,
        "items_per_s_single_core": round(items / single, 1),
        "cpu_s_single_core": round(cpu, 2),
        "items_per_cpu_s_single_core": round(items / cpu, 1) if cpu else None,
        "goal_items_per_s": 1000,
        "trials_whole_file": len(texts),
        "items_whole_file": total_items,
        "workers": workers,
        "whole_file_s": round(whole, 2),
        "goal_whole_file_s": 60,
    }


if __name__ == "__main__":  # python -m trialmatch.nlp.bench [TRIALS.jsonl]
    import sys

    print(json.dumps(bench_parse(sys.argv[1] if len(sys.argv) > 1 else None), indent=1))
