"""``bench_synthetic()``: trialmatch's matching step on MatchMiner's synthetic benchmark.

The 20 CTML trials x 1,824 patients of ``tests/data/matchminer/synthetic-bench`` (the
engine's integration trials and patients, with generated genomic documents), as of
2000-07-12. As MatchMiner's integration tests run (``match_on_closed``,
``match_on_deceased``), closed arms and deceased patients are included: deceased patients are
evaluated as if alive, and a pair counts as eligible / possible when any arm, suspended or not,
is. trialmatch's own reading (suspended arms never count, deceased patients never match) is
reported beside it. Classes come from the batch fast path (``classify_patients``: classes,
scores and arm classes without explanations, identical to ``match_patient``'s, tested);
only that step over all patients is timed (best of ``repeats``, wall and CPU time: the
machine may be shared), with the catalogue's objects frozen out of the garbage collector
(``gc.freeze()``) as a long-running service does. Reading the files, converting and compiling
are timed apart; ``full_match_seconds`` times ``match_patient`` (explanations built) once.

Run from the repository root: ``python -m trialmatch.matchminer.bench``.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import time
from datetime import date
from pathlib import Path

DEFAULT_DIR = Path("tests/data/matchminer/synthetic-bench")
AS_OF = date(2000, 7, 12)
_RANK = {"ineligible": 0, "possible": 1, "eligible": 2}


def _best_arm_class(result) -> str:
    classes = [a.result_class for a in result.arms] or [result.result_class]
    return max(classes, key=_RANK.__getitem__)


def bench_synthetic(directory=DEFAULT_DIR, repeats: int = 3, *, full: bool = True, freeze: bool = True) -> dict:
    from trialmatch.matching import TrialIndex, classify_patients, compile_trial, match_patient
    from trialmatch.matchminer import ctml_to_trial, patients_from_matchminer, read_ctml_path, read_matchminer_documents
    from trialmatch.vocab import load_vocabulary

    directory = Path(directory)
    vocab = load_vocabulary()
    start = time.perf_counter()
    trials = [ctml_to_trial(doc, vocab) for doc in read_ctml_path(directory / "trials.json")]
    patients = patients_from_matchminer(read_matchminer_documents(directory / "clinical.json"),
                                        read_matchminer_documents(directory / "genomic.json"), vocab)
    convert_s = time.perf_counter() - start
    start = time.perf_counter()
    index = TrialIndex([compile_trial(t, vocab) for t in trials], vocab)
    compile_s = time.perf_counter() - start
    as_alive = [dataclasses.replace(p, deceased=None) if p.deceased else p for p in patients.values()]
    best = best_cpu = None
    if freeze:
        gc.collect()
        gc.freeze()
    try:
        for _ in range(max(1, repeats)):
            start, cpu = time.perf_counter(), time.process_time()
            results = list(classify_patients(as_alive, index, as_of=AS_OF))
            elapsed, used = time.perf_counter() - start, time.process_time() - cpu
            best = elapsed if best is None else min(best, elapsed)
            best_cpu = used if best_cpu is None else min(best_cpu, used)
        full_s = None
        if full:
            start = time.perf_counter()
            for p in as_alive:
                match_patient(p, index, as_of=AS_OF)
            full_s = time.perf_counter() - start
    finally:
        if freeze:
            gc.unfreeze()
    counts = {"eligible": 0, "possible": 0, "ineligible": 0}
    own = {"eligible": 0, "possible": 0, "ineligible": 0}
    for facts, result in zip(patients.values(), results):
        for trial_result in result:
            counts[_best_arm_class(trial_result)] += 1
            own["ineligible" if facts.deceased else trial_result.result_class] += 1
    pairs = len(trials) * len(patients)
    return {
        "trials": len(trials), "patients": len(patients), "pairs": pairs, "as_of": AS_OF.isoformat(),
        "match_seconds": round(best, 4), "match_cpu_seconds": round(best_cpu, 4),
        "pairs_per_second": round(pairs / best) if best else None,
        "full_match_seconds": None if full_s is None else round(full_s, 4),
        "convert_seconds": round(convert_s, 4), "compile_seconds": round(compile_s, 4),
        "pairs_eligible": counts["eligible"], "pairs_possible": counts["possible"],
        "pairs_eligible_or_possible": counts["eligible"] + counts["possible"],
        "trialmatch_rules": own, "goal_seconds": 0.3,
    }


if __name__ == "__main__":
    print(json.dumps(bench_synthetic(), indent=2))
