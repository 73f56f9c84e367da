"""The parser's speed guards (issue #5) skip an expression when a literal every match of it
contains is absent: they must never change a result. Checked on the real item texts of
tests/data/trials/oncology-trials.jsonl against the expressions run unconditionally."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from trialmatch.domain import criteria as c
from trialmatch.nlp import clause_prepare
from trialmatch.nlp.builders import Clause, markers
from trialmatch.nlp.builders.clinical import build_pregnancy
from trialmatch.nlp.builders.labs import build_lab
from trialmatch.nlp.normalize import _COMPILED, normalize
from trialmatch.nlp.terms import MIN_SCORE, terms_for

TRIALS = Path(__file__).resolve().parents[2] / "data" / "trials" / "oncology-trials.jsonl"


def _lines(limit: int = 300) -> list[str]:
    out = []
    with TRIALS.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                break
            raw = (json.loads(line).get("eligibility") or {}).get("raw_text") or ""
            out.extend(x for x in raw.splitlines() if x.strip())
    return out


def _normalize_unguarded(text: str) -> str:
    out = text.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")).lower()
    for pattern, repl, _needs in _COMPILED:
        out = pattern.sub(repl, out)
    return out.strip()


def test_normalize_guards_change_nothing_on_real_items():
    lines = _lines()
    assert len(lines) > 5000
    for text in lines:
        assert normalize(text) == _normalize_unguarded(text), text


def test_marker_table_as_one_expression_keeps_the_first_row():
    # each row's own spellings, and phrases two rows could read ("msi-h/dmmr" is a row and a list of two)
    for phrase in ("her2-positive", "her2 negative", "her2-low", "er+", "pr-", "hr+", "hr-negative", "er/pr-positive",
                   "triple negative", "msi-h", "dmmr", "msi-h/dmmr", "mss", "pmmr", "tmb-high", "er and/or pr positive"):
        first = next((node for rx, node in markers._STATUS if rx.fullmatch(phrase)), None)
        assert markers.marker_nodes(phrase) == ([first] if first is not None else markers._marker_nodes(phrase)), phrase


@pytest.fixture()
def clause(vocab):
    terms = terms_for(vocab)
    return lambda text: Clause(text, terms, "exclusion")


def test_lab_needs_a_comparator(clause):
    assert build_lab(clause("adequate hematologic function")) is None  # NCT05748834 inclusion
    assert isinstance(build_lab(clause("anc >= 1.5 x10^9/l")), c.Lab)


def test_pregnancy_needs_a_status_word(clause):
    assert build_pregnancy(clause("pregnant or breastfeeding")) is not None  # NCT05642455 exclusion
    # NCT06600906 exclusion: "Participants who are breastfeeding/chestfeeding" (subject words removed)
    assert build_pregnancy(clause("breastfeeding/chestfeeding")) == c.Pregnancy(status="breastfeeding")
    assert build_pregnancy(clause("adequate organ function")) is None  # NCT02332668 inclusion


def _heads(limit: int = 300) -> list[str]:
    """Normalised item lines and each of their word prefixes (the heads and parts the clause parser
    offers the builders are such sub-texts)."""
    out = []
    for line in _lines(limit):
        words = normalize(line).split(" ")
        out.extend(" ".join(words[:k]) for k in range(1, len(words) + 1))
    return out


def test_window_guard_skips_no_window_on_real_texts():
    from trialmatch.nlp.builders import treatment_words as tw

    heads = _heads(150)
    assert len(heads) > 50_000
    for t in heads:
        if not any(w in t for w in tw._WINDOW_WORDS):
            assert tw._WINDOW_AT_END.search(t) is None, t


def test_window_guard_keeps_the_windows_it_must_read():
    from trialmatch.nlp.builders.treatment_words import window_at_end

    assert window_at_end("prior chemotherapy within 4 weeks") == ("prior chemotherapy", 28)
    assert window_at_end("major surgery within the past year") == ("major surgery", 365)
    assert window_at_end("radiotherapy <= 14 days prior to the first dose") == ("radiotherapy", 14)
    assert window_at_end("prior chemotherapy for metastatic disease") == ("prior chemotherapy for metastatic disease", None)


def test_since_washout_guard_keeps_the_washouts_it_must_read(clause):
    from trialmatch.nlp.builders.washouts import since_washout

    inclusion = lambda text: dataclasses.replace(clause(text), section="inclusion")  # noqa: E731
    # NCT06249048 inclusion "At least 4 weeks from any prior major surgery" (normalised: ">= 4 weeks")
    assert isinstance(since_washout(inclusion(normalize("At least 4 weeks from any prior major surgery"))), c.Not)
    # NCT05155033 inclusion "More than four weeks must have elapsed since ..." (normalised: "> four weeks")
    assert isinstance(since_washout(inclusion(normalize(
        "More than four weeks must have elapsed since completion of any prior systemic therapy"))), c.Not)
    assert since_washout(inclusion("4 weeks since prior chemotherapy")) is None  # no comparator: not the shape


def test_since_washout_guard_skips_no_match_on_real_texts():
    from trialmatch.nlp.builders import washouts

    for t in _heads(150):
        if ">" not in t:
            assert washouts._SINCE.match(t) is None and washouts._COMPLETED_BEFORE.match(t) is None, t


def _strip_fillers_unguarded(t: str) -> str:
    for _ in range(3):
        before = t
        for rx, _words in clause_prepare._FILLERS:
            t = rx.sub("", t).rstrip(" ,;:")
        if t == before:
            break
    return t


def test_filler_guards_change_nothing_on_real_texts():
    heads = _heads(150)
    for t in heads:
        assert clause_prepare.strip_fillers(t) == _strip_fillers_unguarded(t), t


def test_filler_guards_keep_the_fillers_they_must_strip():
    for text, bare in (
        ("brain metastases at screening", "brain metastases"),
        ("anc >= 1500/ul as determined by the investigator", "anc >= 1500/ul"),
        ("adequate organ function (see section 5.2)", "adequate organ function"),
        ("creatinine <= 1.5 x uln per institutional standards", "creatinine <= 1.5 x uln"),
        ("hiv infection at the time of enrollment", "hiv infection"),
        ("prior chemotherapy prior to randomization", "prior chemotherapy"),
        ("hepatitis b, as assessed by the treating physician", "hepatitis b"),
    ):
        assert clause_prepare.strip_fillers(text) == bare, text


def test_one_parser_is_kept_across_trials_and_reads_alike(vocab):
    from trialmatch.nlp import parse_eligibility
    from trialmatch.nlp import parser as parser_module

    text = "Exclusion Criteria:\n\n* Prior chemotherapy within 4 weeks\n* Known HIV infection\n"
    first = parse_eligibility(text, vocab)
    kept = parser_module._parser(vocab)
    again = parse_eligibility(text, vocab)
    assert parser_module._parser(vocab) is kept
    assert [i.node for i in again.items] == [i.node for i in first.items]
    assert again.criteria_items[0].node == c.Not(c.PriorTherapy(classes=("chemotherapy",), within_days=28))


def _fuzzy_unguarded(terms, phrase: str, kind: str):
    if len(phrase) < 4:
        return None
    match = terms.vocab.lookup(phrase, kind)
    if match is None or match.score < MIN_SCORE:
        return None
    if len(match.matched_text) and abs(len(match.matched_text) - len(phrase)) > 2:
        return None
    return match.key


def test_fuzzy_length_guard_changes_nothing_on_real_texts(vocab):
    terms = terms_for(vocab)
    heads = sorted(set(_heads(40)))
    assert len(heads) > 5000
    for kind in ("cancer_type", "drug", "drug_class"):
        for t in heads[::3]:
            assert terms._fuzzy(t, kind) == _fuzzy_unguarded(terms, t, kind), (kind, t)


def test_fuzzy_length_guard_keeps_the_names_it_must_read(vocab):
    terms = terms_for(vocab)
    assert terms._fuzzy("pembrolizumab", "drug") is not None
    assert terms._fuzzy("pembrolizumab", "drug") == _fuzzy_unguarded(terms, "pembrolizumab", "drug")
    assert terms.cancer("non-small cell lung cancer") is not None
    # the lengths come from the loaded vocabulary: a drug name's length is always allowed
    assert len("pembrolizumab") in terms._lengths("drug")
    # a phrase longer than every drug name (+2) cannot pass the length check
    long_phrase = "chemotherapy for metastatic disease in the adjuvant or neoadjuvant setting"
    assert terms._fuzzy(long_phrase, "drug") is None and _fuzzy_unguarded(terms, long_phrase, "drug") is None


def test_including_and_shared_cancer_guards_skip_no_match_on_real_texts():
    from trialmatch.nlp.builders import disease, drug_therapy

    for t in _heads(150):
        if "including" not in t:
            assert drug_therapy._INCLUDING.match(t) is None, t
        if " or " not in t and "/or " not in t:
            assert len(disease._ONE_OR.split(t)) == 1, t


def test_including_and_shared_cancer_guards_keep_the_readings_they_must(clause):
    from trialmatch.nlp.builders.disease import build_disease
    from trialmatch.nlp.builders.therapy import build_therapy

    # the shape of therapy_including's docstring: X met meets the item, the rest stays unknown
    node = build_therapy(clause("prior systemic therapy including investigational agents within 4 weeks"))
    assert isinstance(node, c.Any) and isinstance(node.items[0], c.PriorTherapy) and node.items[0].within_days == 28
    # _shared_cancer: the cancer named last is the cancer of both alternatives
    node = build_disease(clause("stage iv or unresectable stage iii melanoma"))
    assert isinstance(node, c.All) and isinstance(node.items[0], c.CancerType) and isinstance(node.items[1], c.Any)


def test_marker_variant_and_documentation_guards_skip_no_match_on_real_texts():
    """The fifth round's cheap tests: a phrase without a marker word is read by neither the status table
    nor _PDL1; a variant phrase ends with an alteration word; a documentation tail holds one of its
    words. Every sub-text they skip must be one the full expressions would not read."""
    from trialmatch.nlp.builders import variants

    rows = [row for row, _node in markers._STATUS]
    for t in _heads(150):
        if not markers._may_name_marker(t):
            assert not any(rx.fullmatch(t) for rx in rows) and markers._PDL1.match(t) is None, t
        if not any(part in t for part in variants._DOC_PARTS):
            assert variants.DOC_TAIL.search(t) is None, t
        if not variants._ends_with_alteration(t):
            tail = t[t.rfind(" ") + 1:]
            assert variants._ALTERATION.match(tail) is None and variants._NEGATIVE.search(" " + tail) is None, t


def test_marker_variant_and_documentation_guards_keep_what_they_must_read(clause):
    from trialmatch.nlp.builders import variants

    assert markers.marker_nodes("er+her2-") is not None
    assert markers.marker_nodes("pd-l1 tps >= 50%") is not None
    assert variants.strip_documentation("her2 positive per asco/cap guidelines") == "her2 positive"
    assert variants.variant_nodes(clause("kras g12c mutation"), "kras g12c mutation") is not None
    assert variants.variant_nodes(clause("braf v600e"), "braf v600e") is not None
    assert variants.variant_nodes(clause("alk-negative"), "alk-negative") is not None
