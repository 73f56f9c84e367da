"""required_literals and Alternation (nlp/required_literals.py): a guarded alternation must find
exactly what the whole alternation finds; the literals must be needed by every match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialmatch.nlp.context import default_context
from trialmatch.nlp.required_literals import Alternation, required_literals, split_alternatives

TRIALS = Path(__file__).resolve().parents[2] / "data" / "trials" / "oncology-trials.jsonl"


@pytest.mark.parametrize("pattern, literals", [
    (r"\binformed consent\b", {"informed consent"}),
    (r"\b(?:willing|able) to comply\b", {" to comply"}),  # the longest run every branch shares
    (r"\b(?:consent|assent)\b", {"consent", "assent"}),
    (r"(?:ab)+c", {"ab"}),
    (r"x(?=[\s\S]*?tissue)", {"tissue"}),  # a lookahead's words are in the text searched
    (r"ab?c", {"a"}),  # "b" is optional; the longest needed run wins ties by order of length
])
def test_literals_every_match_needs(pattern, literals):
    assert required_literals(pattern) == frozenset(literals)


@pytest.mark.parametrize("pattern", [
    r"[a-z]+", r"(?:ab)?", r"(?i)consent", r"a|[bc]", r"(?i:consent)", r"\d+ weeks?|",
])
def test_no_literals_when_none_is_needed_or_case_folds(pattern):
    assert required_literals(pattern) is None


def test_split_keeps_the_order_in_which_the_regex_tries_its_alternatives():
    assert split_alternatives(r"a|b(?:c|d)") == ["a", "b(?:c)", "b(?:d)"]
    assert split_alternatives(r"\b(?:x|y)\b") == [r"\b(?:x)\b", r"\b(?:y)\b"]
    # a head that can match in more than one way, a quantified group, a back-reference: not split
    assert split_alternatives(r"a+(?:b|c)") == [r"a+(?:b|c)"]
    assert split_alternatives(r"(?:b|c)?d") == [r"(?:b|c)?d"]
    assert split_alternatives(r"(a|b)\1") == [r"(a|b)\1"]


def test_guarded_alternation_finds_the_same_match_leftmost_first():
    patterns = [r"\bab\b", r"\ba(?:b|bc)d?", r"c[\s\S]*?z", r"[0-9]+"]
    whole, guarded = Alternation(patterns), Alternation(patterns, guarded=True)
    for text in ("abc", "xx abd", "c then z", "42 abcd", "nothing here", "ab"):
        w, g = whole.search(text), guarded.search(text)
        assert (w and w.span()) == (g and g.span()), text


def _lines() -> list[str]:
    out = []
    with TRIALS.open(encoding="utf-8") as fh:
        for line in fh:
            raw = (json.loads(line).get("eligibility") or {}).get("raw_text") or ""
            out.extend(x.lower() for x in raw.splitlines() if x.strip())
    return out


def test_guarded_context_rules_match_as_the_whole_alternation_on_real_items():
    ctx = default_context()
    guarded = [ctx._clinical, ctx._documentation] + [a for a in ctx._dependent.values() if a.guarded]
    assert guarded and all(a.guarded for a in guarded)
    lines = _lines()[::3]
    assert len(lines) > 8000
    found = 0
    for alternation in guarded:
        for text in lines:
            w, g = alternation.whole.search(text), alternation.search(text)
            assert (w and w.span()) == (g and g.span()), text
            found += w is not None
        for text in lines[:3000]:  # fullmatch on whole sentences (documentation, pregnancy tests)
            sentence = text.strip(" .;:*")
            w, g = alternation.whole.fullmatch(sentence), alternation.fullmatch(sentence)
            assert (w and w.span()) == (g and g.span()), sentence
    assert found > 100  # the rules do match real items: the comparison is not of two Nones


def _guarded_patterns():
    import importlib
    import pkgutil

    import trialmatch.nlp as nlp
    from trialmatch.nlp.required_literals import GuardedPattern

    found = []
    for info in pkgutil.walk_packages(nlp.__path__, "trialmatch.nlp."):
        module = importlib.import_module(info.name)
        found += [(f"{info.name}.{name}", value) for name, value in vars(module).items()
                  if isinstance(value, GuardedPattern)]
    return found


def test_every_guarded_pattern_answers_as_its_regex_on_real_items():
    # each module-level GuardedPattern of the parser, on the trial file's items as the parser sees
    # them (normalised) and as written: the same answers as the expression run unguarded
    from trialmatch.nlp.normalize import normalize

    patterns = _guarded_patterns()
    assert len(patterns) >= 5
    lines = _lines()[::4]
    texts = lines + [normalize(x) for x in lines]
    for name, pattern in patterns:
        rx = pattern.regex
        for text in texts:
            got, want = pattern.search(text), rx.search(text)
            assert (got and got.span()) == (want and want.span()), (name, text)
            assert pattern.sub("#", text) == rx.sub("#", text), (name, text)
            assert pattern.split(text) == rx.split(text), (name, text)
            got, want = pattern.match(text), rx.match(text)
            assert (got and got.span()) == (want and want.span()), (name, text)
        assert pattern.literals, name
