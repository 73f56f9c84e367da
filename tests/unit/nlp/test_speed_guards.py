"""The parser's speed guards (issue #5) skip an expression when a literal every match of it
contains is absent: they must never change a result. Checked on the real item texts of
tests/data/trials/oncology-trials.jsonl against the expressions run unconditionally."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause, markers
from trialmatch.nlp.builders.clinical import build_pregnancy
from trialmatch.nlp.builders.labs import build_lab
from trialmatch.nlp.normalize import _COMPILED, normalize
from trialmatch.nlp.terms import terms_for

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
