"""Synthetic bundles: deterministic, varied, and every one accepted by the mCODE extractor."""

from __future__ import annotations

from collections import Counter
from datetime import date

from trialmatch.mcode import extract_facts
from trialmatch.synth import CANCERS, synth_bundles

AS_OF = date(2026, 11, 26)


def test_the_same_seed_gives_the_same_bundles_and_another_seed_others():
    assert list(synth_bundles(5, 7, AS_OF)) == list(synth_bundles(5, 7, AS_OF))
    assert list(synth_bundles(5, 7, AS_OF)) != list(synth_bundles(5, 8, AS_OF))


def test_every_bundle_is_accepted_with_no_warning_and_the_mix_is_varied(vocab):
    types, counts = Counter(), Counter()
    for bundle in synth_bundles(200, 11, AS_OF):
        facts = extract_facts(bundle, vocab)  # raises PatientDataError for an unusable bundle
        assert facts.warnings == ()
        primaries = [c for c in facts.cancers if c.role == "primary"]
        assert len(primaries) == 1 and primaries[0].cancer_type is not None
        assert facts.birth_date is not None and facts.sex in ("female", "male")
        types[primaries[0].cancer_type] += 1
        counts["staged"] += any(s.group for s in facts.stages)
        counts["metastatic"] += any(c.role == "secondary" for c in facts.cancers)
        counts["markers"] += any(m.status or m.value is not None for m in facts.markers)
        counts["variants"] += bool(facts.variants)
        counts["ecog"] += bool(facts.performance)
        counts["therapies"] += any(m.ingredients for m in facts.medications)
        counts["labs"] += all(lab.analyte and lab.value is not None for lab in facts.labs) and bool(facts.labs)
        counts["comorbidities"] += bool(facts.conditions)
    assert set(types) == {vocab.cancer_type_for(_coding(c.code)) for c in CANCERS}
    assert all(20 <= counts[k] for k in counts), counts
    assert all(counts[k] < 200 for k in ("metastatic", "variants", "comorbidities")), counts


def _coding(code):
    from trialmatch.domain.facts import SNOMED, Coding

    return Coding(SNOMED, code)
