"""Fuzzy term lookup: free text -> concept key of one kind, with a score threshold.

Each kind has its own term list (names, synonyms, brand names) and threshold
(``data/fuzzy.yaml``). Scoring is rapidfuzz ``fuzz.ratio`` on normalised text (lower case,
punctuation to spaces), so a term never matches a longer phrase merely because it is
contained in it. Below the threshold, for short terms that are not exact, and when two
different keys score within the ambiguity margin, the answer is ``None``: a term is never
forced onto the nearest concept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from trialmatch.errors import RuleFileError
from trialmatch.vocab.data_file import DataDir, check_dict, check_mapping, check_number, read_yaml

FILE = "fuzzy.yaml"
KINDS = ("cancer_type", "drug", "drug_class", "condition", "marker", "lab", "site")


@dataclass(frozen=True)
class TermMatch:
    key: str
    score: float  # 0-100; 100 for an exact (normalised) match
    matched_text: str  # the vocabulary term that matched


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_term(text: str) -> str:
    return _NOT_ALNUM.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class FuzzySettings:
    thresholds: dict[str, float]
    exact_only_below: int
    ambiguity_margin: float
    cancer_type_synonyms: dict[str, str]


def load_fuzzy_settings(data_dir: DataDir) -> FuzzySettings:
    document = check_mapping(
        read_yaml(data_dir, FILE),
        FILE,
        required=("thresholds", "exact_only_below", "ambiguity_margin"),
        optional=("cancer_type_synonyms",),
    )
    thresholds = check_mapping(document["thresholds"], f"{FILE}: thresholds", required=KINDS)
    values = {kind: check_number(thresholds[kind], f"{FILE}: thresholds.{kind}") for kind in KINDS}
    for kind, value in values.items():
        if not 50 <= value <= 100:
            raise RuleFileError(f"{FILE}: thresholds.{kind}: {value} is outside 50..100")
    synonyms = check_dict(document.get("cancer_type_synonyms") or {}, f"{FILE}: cancer_type_synonyms")
    return FuzzySettings(
        thresholds=values,
        exact_only_below=int(check_number(document["exact_only_below"], f"{FILE}: exact_only_below")),
        ambiguity_margin=check_number(document["ambiguity_margin"], f"{FILE}: ambiguity_margin"),
        cancer_type_synonyms={str(k): str(v) for k, v in synonyms.items()},
    )


@dataclass(frozen=True, eq=False, repr=False)
class TermIndex:
    """Terms of one kind: normalised text -> (keys, original text)."""

    terms: dict[str, tuple[frozenset[str], str]]
    threshold: float
    exact_only_below: int
    ambiguity_margin: float

    def __post_init__(self):
        # the texts fuzzy matching compares with, listed once (not at every lookup), and by length:
        # fuzz.ratio of texts of lengths a and b is at most 200 * min(a, b) / (a + b), so a lookup
        # compares only with the lengths that can reach its cutoff (same answer, fewer comparisons)
        object.__setattr__(self, "_choices", tuple(self.terms))
        by_length: dict[int, list[tuple[int, str]]] = {}
        for index, text in enumerate(self._choices):
            by_length.setdefault(len(text), []).append((index, text))
        object.__setattr__(self, "_by_length", by_length)
        object.__setattr__(self, "_reachable_memo", {})

    def _reachable(self, norm: str, cutoff: float) -> tuple[str, ...]:
        """The choices whose length lets fuzz.ratio reach ``cutoff`` against ``norm``, in the
        original order (the order decides between equal scores); listed once per length."""
        n = len(norm)
        found = self._reachable_memo.get((n, cutoff))
        if found is None:
            pairs = sorted(pair for length, pairs in self._by_length.items()
                           if 200.0 * min(n, length) / (n + length) >= cutoff - 1e-9 for pair in pairs)
            found = self._reachable_memo[(n, cutoff)] = tuple(text for _, text in pairs)
        return found

    @classmethod
    def build(cls, pairs: list[tuple[str, str]], threshold: float, settings: FuzzySettings) -> TermIndex:
        terms: dict[str, tuple[set[str], str]] = {}
        for text, key in pairs:
            norm = normalise_term(text)
            if norm:
                terms.setdefault(norm, (set(), text))[0].add(key)
        frozen = {norm: (frozenset(keys), text) for norm, (keys, text) in terms.items()}
        return cls(frozen, threshold, settings.exact_only_below, settings.ambiguity_margin)

    def lookup(self, term: str) -> TermMatch | None:
        norm = normalise_term(term)
        if not norm:
            return None
        exact = self.terms.get(norm)
        if exact is not None:
            keys, text = exact
            return TermMatch(next(iter(keys)), 100.0, text) if len(keys) == 1 else None
        if len(norm) < self.exact_only_below:
            return None
        cutoff = self.threshold - self.ambiguity_margin
        candidates = process.extract(norm, self._reachable(norm, cutoff), scorer=fuzz.ratio, limit=10, score_cutoff=cutoff)
        if not candidates or candidates[0][1] < self.threshold:
            return None
        best_text, best_score, _ = candidates[0]
        best_keys = self.terms[best_text][0]
        if len(best_keys) != 1:
            return None
        for other_text, other_score, _ in candidates[1:]:
            if self.terms[other_text][0] != best_keys and best_score - other_score < self.ambiguity_margin:
                return None
        return TermMatch(next(iter(best_keys)), round(float(best_score), 1), self.terms[best_text][1])
