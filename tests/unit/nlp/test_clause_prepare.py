"""clause_prepare.prepare: which asides go before the builders read a clause (issue #5 review: an
aside naming a sex or a QT correction formula carries meaning and stays)."""

from __future__ import annotations

import pytest

from trialmatch.nlp.clause_prepare import prepare
from trialmatch.nlp.context import default_context


def words(text: str) -> str:
    # the clause parser prepares normalised (lower-case) text
    return prepare(text.lower(), "exclusion", default_context())[0]


@pytest.mark.parametrize("text", [
    "QTcF > 470 ms (females)", "QTcF > 450 ms (men)", "QTcF > 450 ms (male)", "QTc > 470 ms (women)",
    "QTc (Bazett) > 470ms on screening EKG", "QT interval (QTcF) > 470 ms", "QTc (Fridericia) > 470 ms",
])
def test_a_sex_or_a_formula_aside_stays(text):
    assert words(text) == text.lower()


@pytest.mark.parametrize("text, kept", [
    # an abbreviation restating the words before it goes
    ("Absolute neutrophil count (ANC) >= 1500/uL", "Absolute neutrophil count >= 1500/uL"),
    # a formula already named in the clause: the aside restates it
    ("QT interval corrected by Fridericia's formula (QTcF) >= 470 msec", "QT interval corrected by Fridericia's formula >= 470 msec"),
])
def test_an_aside_that_restates_goes(text, kept):
    assert words(text) == kept.lower()
