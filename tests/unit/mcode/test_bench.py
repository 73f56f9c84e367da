from trialmatch.mcode.bench import bench_facts


def test_bench_reports_both_bundles():
    result = bench_facts(repeats=3)
    assert result["large"]["entries"] == 230 and result["small"]["entries"] == 29
    for label in ("large", "small"):
        assert 0 < result[label]["p50_ms"] <= result[label]["p95_ms"]
        assert result[label]["bundles_per_s"] > 0
