"""Benchmark of mCODE extraction (validate + extract), wired by the lead into
``python -m trialmatch.bench``.

Bundles (from the repository's tests/data/bundles; a source checkout is needed):
- large: synthea/longitudinalMCODEBreast/Corrie32_Boyle917_... (230 entries)
- small: codex/clinical-trial-matching-app/TrialMatching_Patient02.json (29 entries)
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

BUNDLE_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "bundles"
LARGE = "synthea/longitudinalMCODEBreast/Corrie32_Boyle917_d65197b3-056a-2136-b584-77f43c29da3f.json"
SMALL = "codex/clinical-trial-matching-app/TrialMatching_Patient02.json"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _time(bundle: dict, vocab, repeats: int) -> list[float]:
    from trialmatch.mcode import extract_facts

    extract_facts(bundle, vocab)  # warm caches (rules, pint, models)
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        extract_facts(bundle, vocab)
        out.append((time.perf_counter() - start) * 1000.0)
    return out


def bench_facts(repeats: int = 50) -> dict:
    """p50/p95 milliseconds to validate and extract each bundle, and bundles per second on
    one core (from the large bundle's mean)."""
    from trialmatch.vocab import load_vocabulary

    vocab = load_vocabulary()
    result: dict = {"repeats": repeats}
    for label, rel in (("large", LARGE), ("small", SMALL)):
        bundle = json.loads((BUNDLE_DIR / rel).read_text(encoding="utf-8"))
        times = _time(bundle, vocab, repeats)
        result[label] = {
            "bundle": rel,
            "entries": len(bundle.get("entry", [])),
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(_percentile(times, 0.95), 2),
            "bundles_per_s": round(1000.0 / statistics.mean(times), 1),
        }
    return result


if __name__ == "__main__":
    print(json.dumps(bench_facts(), indent=2))
