"""Fuzzy lookup: both sides of each threshold, refusals, and lookups chained to classes."""

import pytest

from trialmatch.vocab import TermMatch, load_vocabulary


def lookup(term, kind):
    return load_vocabulary().lookup(term, kind)


def test_brand_name_to_ingredient_and_class():
    match = lookup("Keytruda", "drug")
    assert match == TermMatch("pembrolizumab", 100.0, "Keytruda")
    assert "anti_pd1" in load_vocabulary().drug_classes(match.key)


def test_carboplatin_maps_to_platinum_through_the_drug():
    vocab = load_vocabulary()
    match = vocab.lookup("carboplatin", "drug")
    assert match.key == "carboplatin"
    assert "platinum" in vocab.drug_classes(match.key)


def test_drug_typo_above_threshold_and_fragment_below():
    vocab = load_vocabulary()
    above = vocab.lookup("Keytrudda", "drug")
    assert above.key == "pembrolizumab" and 88 <= above.score < 100
    assert vocab.lookup("carboplatinum", "drug").key == "carboplatin"
    assert vocab.lookup("keytru", "drug") is None  # 6 letters, not exact, below 88
    assert vocab.lookup("platin", "drug") is None
    assert vocab.lookup("aspirin", "drug") is None


def test_threshold_edge_is_respected():
    index = load_vocabulary()._terms["drug"]
    # "palbociclibs": one extra letter -> ratio 95.7; "palbocilcb": two edits -> below 88
    assert index.lookup("palbociclibs").key == "palbociclib"
    assert index.lookup("palbocilcb") is None


def test_short_terms_must_be_exact():
    assert lookup("HER2", "marker").key == "HER2"
    assert lookup("her-2", "marker").key == "HER2"
    assert lookup("HER3", "marker") is None
    assert lookup("ER", "marker").key == "ER"
    assert lookup("EGFR", "marker") is None


def test_cancer_types():
    got = {term: (m.key if (m := lookup(term, "cancer_type")) else None) for term in [
        "Lung adenocarcinoma", "lung adenocarcinomas", "Non-small cell lung cancer", "NSCLC", "breast cancer",
        "Glioblastoma", "solid tumors", "lymphoma of the lung", "cancer"]}
    assert got == {
        "Lung adenocarcinoma": "LUAD", "lung adenocarcinomas": "LUAD", "Non-small cell lung cancer": "NSCLC",
        "NSCLC": "NSCLC", "breast cancer": "BREAST", "Glioblastoma": "GB", "solid tumors": "_SOLID_",
        "lymphoma of the lung": None, "cancer": None,
    }


def test_ambiguous_near_miss_is_refused():
    # "hepatitis d" is one letter from both "hepatitis b" and "hepatitis c"
    assert lookup("hepatitis D", "condition") is None
    assert lookup("hepatitis B", "condition").key == "hepatitis_b"


def test_other_kinds():
    got = {(term, kind): (m.key if (m := lookup(term, kind)) else None) for term, kind in [
        ("PD-1 inhibitor", "drug_class"), ("CDK4/6 inhibitors", "drug_class"), ("platinum-based chemotherapy", "drug_class"),
        ("congestive heart failure", "condition"), ("platelet count", "lab"), ("absolute neutrophil count", "lab"),
        ("brain metastases", "site"), ("leptomeningeal disease", "site"), ("liver", "site"),
        ("kidney stones", "condition"), ("urine protein", "lab"),
    ]}
    assert got == {
        ("PD-1 inhibitor", "drug_class"): "anti_pd1", ("CDK4/6 inhibitors", "drug_class"): "cdk46_inhibitor",
        ("platinum-based chemotherapy", "drug_class"): "platinum", ("congestive heart failure", "condition"): "heart_failure",
        ("platelet count", "lab"): "PLT", ("absolute neutrophil count", "lab"): "ANC", ("brain metastases", "site"): "brain",
        ("leptomeningeal disease", "site"): "leptomeningeal", ("liver", "site"): "liver",
        ("kidney stones", "condition"): None, ("urine protein", "lab"): None,
    }


def test_unknown_kind_is_an_error_and_empty_term_is_none():
    with pytest.raises(ValueError, match="unknown lookup kind"):
        lookup("x", "gene")
    assert lookup("  ", "drug") is None


def test_term_lengths_are_the_lengths_of_the_texts_a_lookup_matches():
    vocab = load_vocabulary()
    lengths = vocab.term_lengths("drug")
    assert len("Keytruda") in lengths and len("pembrolizumab") in lengths
    assert len(lookup("carboplatin", "drug").matched_text) in lengths
    with pytest.raises(ValueError, match="unknown lookup kind"):
        vocab.term_lengths("planet")


def test_length_band_leaves_every_lookup_as_comparing_with_all_terms():
    # TermIndex compares a phrase only with the terms whose length can reach the cutoff: the
    # candidates (and so the answer) must be those of comparing with every term, on real phrases
    # (word runs of the trial file) and near-misses of the terms themselves
    import json
    from pathlib import Path

    from rapidfuzz import fuzz, process

    from trialmatch.vocab.fuzzy import normalise_term

    trials = Path(__file__).resolve().parents[2] / "data" / "trials" / "oncology-trials.jsonl"
    phrases = []
    with trials.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= 40:
                break
            words = ((json.loads(line).get("eligibility") or {}).get("raw_text") or "").split()
            phrases += [" ".join(words[i:i + size]) for size in (1, 2, 3, 4) for i in range(0, len(words) - size, 7)]
    compared = 0
    for index in load_vocabulary()._terms.values():
        cutoff = index.threshold - index.ambiguity_margin
        near = [t[:-1] for t in index._choices] + [t + "s" for t in index._choices]
        for phrase in phrases + near:
            norm = normalise_term(phrase)
            if len(norm) < index.exact_only_below or norm in index.terms:
                continue
            everyone = process.extract(norm, index._choices, scorer=fuzz.ratio, limit=10, score_cutoff=cutoff)
            banded = process.extract(norm, index._reachable(norm, cutoff), scorer=fuzz.ratio, limit=10, score_cutoff=cutoff)
            assert [(t, s) for t, s, _ in banded] == [(t, s) for t, s, _ in everyone], phrase
            compared += 1
    assert compared > 5000
