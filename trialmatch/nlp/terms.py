"""Concept lookup for the builders: the lexicon rules plus the vocabulary.

``Terms`` answers "which key does this exact phrase name?" for each lexicon label (labs,
markers, conditions, metastatic sites, drug classes, genes) and, through ``trialmatch.vocab``,
for cancer types and drugs. A phrase must name the concept as a whole (a regular expression
full match, an exact OncoTree name, or a fuzzy vocabulary match of score >= ``MIN_SCORE``);
anything else is None, so an item whose words are not all understood stays unparsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trialmatch.nlp.required_literals import guarded
from trialmatch.nlp.rule_file import LEXICON_LABELS, lexicon_rules

MIN_SCORE = 95.0
_MISSING = object()  # not in the memo
_DIGITS = re.compile(r"\d+")
_MEMO_SIZE = 200_000  # phrases remembered at most (a long-running worker does not grow without end)

# Phrases meaning "any solid tumour" / "any haematological malignancy" (OncoTree specials).
_SOLID = re.compile(r"(?:advanced |malignant )?solid (?:tumou?rs?|malignanc(?:y|ies)|cancers?|neoplasms?)(?: malignanc(?:y|ies))?")
_LIQUID = re.compile(r"hematologic(?:al)? malignanc(?:y|ies)|haematological malignanc(?:y|ies)|blood cancers?")
# OncoTree nodes that name no cancer ("tissue" is the tree's root)
_NOT_A_CANCER = {"TISSUE", "OTHER", None}
_CANCER_WORD = guarded(r"cancer|carcinoma|tumou?r|malignan|neoplasm|sarcoma|oma\b|omas\b|leuka?emia")
# Words that a cancer phrase may end with without changing it ("breast cancer" = "breast carcinoma").
_GENERIC_CANCER = re.compile(r"^(?:cancer|carcinoma|tumou?r|malignancy|neoplasm)s?$")


class _Any:
    """Every length (the vocabulary does not show its terms: no length is ruled out)."""

    def __contains__(self, _length) -> bool:
        return True


@dataclass(frozen=True)
class Terms:
    vocab: object
    patterns: dict  # label -> (one regex of its rules' patterns, each a group r<i>, (key of rule i, ...))
    literals: dict  # label -> {lower-case literal: key} for rules without one
    memo: dict = field(default_factory=dict)  # (kind, phrase) -> answer: phrases recur across trials
    lengths: dict = field(default_factory=dict)  # fuzzy kind -> phrase lengths a match may have

    def remembered(self, key: tuple, compute):
        """``compute()``, once per key: phrases recur across trials, and the builders' readings of a
        sub-text recur too (the clause parser tries the same words as a head, a list part, a tail);
        each depends on the text and these terms only. Bounded: once full, answers are computed."""
        answer = self.memo.get(key, _MISSING)
        if answer is _MISSING:
            answer = compute()
            if len(self.memo) < _MEMO_SIZE:
                self.memo[key] = answer
        return answer

    def key(self, label: str, phrase: str) -> str | None:
        phrase = phrase.strip()
        memo_key = (label, phrase)
        found = self.memo.get(memo_key, _MISSING)  # remembered(), inlined: the parser's most frequent call
        if found is _MISSING:
            found = self._key(label, phrase)
            if len(self.memo) < _MEMO_SIZE:
                self.memo[memo_key] = found
        return found

    def _key(self, label: str, phrase: str) -> str | None:
        found = self.literals.get(label, {}).get(phrase)
        if found is None and label in self.patterns:
            # one regular expression per label, its rules as named alternatives in the file's order:
            # the first rule that matches the whole phrase wins, as when they were tried one by one
            regex, keys = self.patterns[label]
            m = regex.fullmatch(phrase)
            if m is not None:
                found = keys[int(m.lastgroup[1:])]
        return found

    def cancer(self, phrase: str) -> tuple[str, ...] | None:
        """OncoTree codes named by a cancer phrase (several for a lexicon override)."""
        phrase = phrase.strip(" ,.")
        memo_key = ("cancer", phrase)
        found = self.memo.get(memo_key, _MISSING)  # remembered(), inlined
        if found is _MISSING:
            found = self._cancer(phrase)
            if len(self.memo) < _MEMO_SIZE:
                self.memo[memo_key] = found
        return found

    def _cancer(self, phrase: str) -> tuple[str, ...] | None:
        override = self.key("CANCER", phrase)
        if override:
            return tuple(override.split())
        code = self._cancer_code(phrase)
        return (code,) if code else None

    def _cancer_code(self, phrase: str) -> str | None:
        if not phrase or _GENERIC_CANCER.match(phrase) or len(phrase) < 3 or phrase.count(" ") > 7:
            return None
        if _SOLID.fullmatch(phrase):
            return "_SOLID_"
        if _LIQUID.fullmatch(phrase):
            return "_LIQUID_"
        by_name = getattr(self.vocab, "oncotree_code_for_name", None)
        code = by_name(phrase) if by_name is not None else None
        if code is None and (_CANCER_WORD.search(phrase) or " " not in phrase):
            # fuzzy matching only for phrases that name a cancer or one abbreviation ("nsclc")
            code = self._lookup(phrase, "cancer_type")
        if code in _NOT_A_CANCER:
            return None
        # "breast", "liver", "bone": an organ named alone is a site, not a cancer
        node = getattr(getattr(self.vocab, "oncotree", None), "nodes", {}).get(code)
        if node is not None and getattr(node, "level", None) == 1 and not _CANCER_WORD.search(phrase):
            return None
        return code

    def drug_or_class(self, phrase: str) -> tuple[str, str] | None:
        """("class", key) or ("drug", ingredient) for a phrase naming one of them."""
        phrase = phrase.strip(" ,.")
        key = self.key("DRUG_CLASS", phrase)
        if key:
            return ("class", key)
        drug = self._lookup(phrase, "drug")
        if drug:
            return ("drug", drug)
        cls = self._lookup(phrase, "drug_class")
        return ("class", cls) if cls else None

    def _lookup(self, phrase: str, kind: str) -> str | None:
        return self.remembered(("lookup", kind, phrase), lambda: self._fuzzy(phrase, kind))

    def _fuzzy(self, phrase: str, kind: str) -> str | None:
        lookup = getattr(self.vocab, "lookup", None)
        if lookup is None or len(phrase) < 4 or len(phrase) not in self._lengths(kind):
            return None  # no term of the kind within 2 characters of the phrase's length: refused below anyway
        match = lookup(phrase, kind)
        if match is None or match.score < MIN_SCORE:
            return None
        # a fuzzy hit must still be the same words, not a near-miss of a longer phrase
        if len(match.matched_text) and abs(len(match.matched_text) - len(phrase)) > 2:
            return None
        # nor another number: "anti-cd3 antibody" is not the anti-CD38 class, "her3" not HER2
        if match.score < 100 and _DIGITS.findall(match.matched_text) != _DIGITS.findall(phrase):
            return None
        return match.key

    def _lengths(self, kind: str):
        """The phrase lengths that pass the length check of ``_fuzzy`` for some term of ``kind``
        (a term's length +- 2); every length when the vocabulary does not say (a stand-in)."""
        found = self.lengths.get(kind)
        if found is None:
            term_lengths = getattr(self.vocab, "term_lengths", None)
            found = (frozenset(n + d for n in term_lengths(kind) for d in range(-2, 3)) if term_lengths
                     else _Any())
            self.lengths[kind] = found
        return found


_CACHE: dict[int, Terms] = {}


def terms_for(vocab) -> Terms:
    """The Terms of a vocabulary, built once per vocabulary object."""
    cached = _CACHE.get(id(vocab))
    if cached is not None and cached.vocab is vocab:
        return cached
    patterns: dict[str, list] = {label: [] for label in LEXICON_LABELS}
    literals: dict[str, dict] = {label: {} for label in LEXICON_LABELS}
    for rule in lexicon_rules():
        if rule.pattern is None:
            literals[rule.label][rule.literal.lower()] = rule.key
        else:
            patterns[rule.label].append((re.compile(rule.pattern), rule.key))
    combined = {label: (re.compile("|".join(f"(?P<r{i}>{regex.pattern})" for i, (regex, _key) in enumerate(items))),
                        tuple(key for _regex, key in items))
                for label, items in patterns.items() if items}
    terms = Terms(vocab, combined, literals)
    _CACHE[id(vocab)] = terms
    return terms
