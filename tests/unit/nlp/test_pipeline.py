"""The spaCy mention pipeline: vocabulary phrases and quantity token patterns."""

from trialmatch.nlp.pipeline import mentions, pipeline_for


def _found(text, vocab):
    return [(m.label, m.text) for m in mentions(text, vocab)]


def test_quantities_ranges_uln_durations(vocab):
    assert _found("ECOG 0-1", vocab) == [("RANGE", "0-1")]
    assert _found("Age between 18 and 75 years", vocab) == [("RANGE", "between 18 and 75")]
    assert _found("at least 18 years", vocab) == [("QUANTITY", "at least 18")]
    assert _found("Aspartate aminotransferase ≤ 2.5 x ULN", vocab) == [
        ("LAB", "Aspartate aminotransferase"), ("QUANTITY", "≤ 2.5"), ("ULN", "2.5 x ULN")]
    assert ("DURATION", "within 14 days") in _found("ANC ≥ 1.5 within 14 days", vocab)
    assert ("QUANTITY", "\\>= 1.5") in _found("creatinine \\>= 1.5 mg/dL", vocab)


def test_phrases_from_vocabulary_and_lexicon(vocab):
    assert _found("Histologically confirmed Breast Invasive Ductal Carcinoma", vocab) == [
        ("CANCER", "Breast Invasive Ductal Carcinoma")]
    assert _found("Known HIV", vocab) == [("CONDITION", "HIV")]


def test_offsets_and_cache(vocab):
    text = "Known HIV"
    m = mentions(text, vocab)[0]
    assert text[m.start:m.end] == m.text
    assert pipeline_for(vocab) is pipeline_for(vocab)
    assert pipeline_for(vocab).nlp.lang == "en" and pipeline_for(vocab).nlp.pipe_names == []
