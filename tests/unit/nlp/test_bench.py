"""bench_parse measures (no time is asserted): the figures are there and count the items."""

import json

from trialmatch.nlp.bench import DEFAULT_TRIALS, bench_parse


def test_bench_parse_figures(tmp_path):
    path = tmp_path / "few.jsonl"
    path.write_text("\n".join(DEFAULT_TRIALS.read_text(encoding="utf-8").splitlines()[:6]) + "\n")
    figures = bench_parse(path, single_core_trials=3, workers=2)
    assert set(figures) == {"trials_single_core", "items_single_core", "items_per_s_single_core", "cpu_s_single_core",
                            "items_per_cpu_s_single_core", "goal_items_per_s",
                            "trials_whole_file", "items_whole_file", "workers", "whole_file_s", "goal_whole_file_s"}
    assert (figures["trials_single_core"], figures["trials_whole_file"], figures["workers"]) == (3, 6, 2)
    assert figures["items_whole_file"] >= figures["items_single_core"] > 0
    assert json.loads(json.dumps(figures)) == figures
