"""bench_synthetic on a small slice of the synthetic benchmark (the full run is `make bench`)."""

import json

from trialmatch.matchminer.bench import bench_synthetic


def test_bench_synthetic_reports_time_and_counts(data_dir, tmp_path):
    source = data_dir / "synthetic-bench"
    trials = json.loads((source / "trials.json").read_text())
    clinical = json.loads((source / "clinical.json").read_text())[:40]
    ids = {d["_id"]["$oid"] for d in clinical}
    genomic = [d for d in json.loads((source / "genomic.json").read_text()) if d["CLINICAL_ID"]["$oid"] in ids]
    for name, docs in (("trials.json", trials), ("clinical.json", clinical), ("genomic.json", genomic)):
        (tmp_path / name).write_text(json.dumps(docs))
    report = bench_synthetic(tmp_path, repeats=1)
    assert (report["trials"], report["patients"], report["pairs"], report["as_of"]) == (20, 40, 800, "2000-07-12")
    assert report["pairs_eligible_or_possible"] == report["pairs_eligible"] + report["pairs_possible"]
    own = report["trialmatch_rules"]
    assert sum(own.values()) == 800 and own["eligible"] <= report["pairs_eligible"]
    assert report["match_seconds"] > 0 and report["pairs_per_second"] > 0
    assert report["match_cpu_seconds"] > 0 and report["full_match_seconds"] > 0


def test_bench_counts_do_not_depend_on_freezing(data_dir, tmp_path):
    source = data_dir / "synthetic-bench"
    clinical = json.loads((source / "clinical.json").read_text())[:30]
    ids = {d["_id"]["$oid"] for d in clinical}
    genomic = [d for d in json.loads((source / "genomic.json").read_text()) if d["CLINICAL_ID"]["$oid"] in ids]
    (tmp_path / "trials.json").write_text((source / "trials.json").read_text())
    (tmp_path / "clinical.json").write_text(json.dumps(clinical))
    (tmp_path / "genomic.json").write_text(json.dumps(genomic))
    counted = ("pairs_eligible", "pairs_possible", "trialmatch_rules")
    frozen = bench_synthetic(tmp_path, repeats=1, full=False)
    thawed = bench_synthetic(tmp_path, repeats=1, full=False, freeze=False)
    assert {k: frozen[k] for k in counted} == {k: thawed[k] for k in counted}
    assert frozen["full_match_seconds"] is None
