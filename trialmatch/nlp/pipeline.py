"""The spaCy pipeline: mentions of concepts and quantities in eligibility text.

Built once per vocabulary on ``spacy.blank("en")`` (no model), with
- a PhraseMatcher (on lower-case text) whose patterns are generated from the vocabulary
  (OncoTree names -> CANCER) and from the lexicon rules' literals (LAB, MARKER, CONDITION,
  SITE, DRUG_CLASS, GENE);
- a Matcher with token patterns for comparators and numbers (``>= 18``, ``at least``, ``no
  more than``), ranges (``0-1``, ``0 to 2``, ``between 18 and 75``), units (``x 10^9/L``,
  ``mg/dL``, ``umol/L``, ``mL/min``), multiples of ULN and durations (``within 4 weeks``).

``mentions(text, vocab)`` returns the spans found, with character offsets into ``text``; the
parser shows them beside each item (``ParsedItem.mentions`` when asked for) and the builders'
regular expressions read the same normalised spellings. Matching runs on ``normalize``d text
only for the quantity patterns' vocabulary; offsets are those of the text given.
"""

from __future__ import annotations

from dataclasses import dataclass

import spacy
from spacy.matcher import Matcher, PhraseMatcher

from trialmatch.nlp.rule_file import lexicon_rules


@dataclass(frozen=True)
class Mention:
    label: str  # CANCER, LAB, MARKER, CONDITION, SITE, DRUG_CLASS, GENE, QUANTITY, RANGE, ULN, DURATION
    text: str
    start: int
    end: int


_CMP = {"ORTH": {"IN": [">=", "<=", ">", "<", "≥", "≤", "=>", "=<", "\\>=", "\\<=", "\\>", "\\<", "⩾", "⩽"]}}
_NUM = {"LIKE_NUM": True}
_UNIT = {"LOWER": {"REGEX": r"^(?:x?10\^?\*?\d{1,2}/l|/?mm3|/ul|/mcl|g/dl|mg/dl|g/l|umol/l|µmol/l|μmol/l|mmol/l|ml/min(?:/1\.73)?|u/l|iu/l|%)$"}}
_TIME = {"LOWER": {"IN": ["day", "days", "week", "weeks", "month", "months", "year", "years"]}}

TOKEN_PATTERNS: dict[str, list[list[dict]]] = {
    "QUANTITY": [
        [_CMP, _NUM, {"OP": "?", "LOWER": _UNIT["LOWER"]}],
        [{"LOWER": {"IN": ["at", "no", "not"]}}, {"LOWER": {"IN": ["least", "more", "less"]}}, {"LOWER": "than", "OP": "?"}, _NUM],
        [{"LOWER": {"IN": ["greater", "less", "more", "fewer"]}}, {"LOWER": "than"}, {"LOWER": "or", "OP": "?"},
         {"LOWER": "equal", "OP": "?"}, {"LOWER": "to", "OP": "?"}, _NUM],
        [_NUM, {"LOWER": {"IN": ["x", "×"]}}, {"LOWER": {"REGEX": r"^10"}}, {"OP": "?", "LOWER": {"REGEX": r"^[\^*]?\d{0,2}/?"}},
         {"OP": "?", "LOWER": {"REGEX": r"^/?(?:l|ul|mm3)$"}}],
        [_NUM, _UNIT],
    ],
    "RANGE": [
        [_NUM, {"ORTH": {"IN": ["-", "–", "to"]}}, _NUM],
        [{"LOWER": "between"}, _NUM, {"LOWER": "and"}, _NUM],
    ],
    "ULN": [
        [_NUM, {"LOWER": {"IN": ["x", "×", "times"]}, "OP": "?"}, {"LOWER": {"IN": ["uln", "upper"]}}],
        [{"LOWER": "upper"}, {"LOWER": "limit"}, {"LOWER": "of"}, {"LOWER": "normal"}],
    ],
    "DURATION": [
        [{"LOWER": "within"}, _NUM, _TIME],
        [_CMP, _NUM, _TIME],
        [_NUM, _TIME, {"LOWER": {"IN": ["prior", "before"]}}],
    ],
}


class MentionPipeline:
    """spaCy blank English with the two matchers; ``__call__`` returns mentions of a text."""

    def __init__(self, vocab):
        self.nlp = spacy.blank("en")
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.tokens = Matcher(self.nlp.vocab)
        self.phrase_keys: dict[str, str] = {}
        by_label: dict[str, set[str]] = {}
        for rule in lexicon_rules():
            by_label.setdefault(rule.label, set()).add(rule.literal.lower())
        oncotree = getattr(vocab, "oncotree", None)
        for node in getattr(oncotree, "nodes", {}).values():
            name = getattr(node, "name", None)
            if name:
                by_label.setdefault("CANCER", set()).add(name.lower())
        for label, literals in by_label.items():
            self.phrases.add(label, list(self.nlp.tokenizer.pipe(sorted(literals))))
        for label, patterns in TOKEN_PATTERNS.items():
            self.tokens.add(label, patterns)

    def __call__(self, text: str) -> tuple[Mention, ...]:
        doc = self.nlp.make_doc(text)
        found = []
        for matcher in (self.phrases, self.tokens):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                found.append(Mention(self.nlp.vocab.strings[match_id], span.text, span.start_char, span.end_char))
        found.sort(key=lambda m: (m.start, -(m.end - m.start), m.label))
        # keep the longest mention of each label at each position
        kept: list[Mention] = []
        for m in found:
            if any(k.label == m.label and k.start <= m.start and m.end <= k.end for k in kept):
                continue
            kept.append(m)
        return tuple(kept)


_PIPELINES: dict[int, tuple[object, MentionPipeline]] = {}


def pipeline_for(vocab) -> MentionPipeline:
    """The pipeline of a vocabulary, built once and reused."""
    cached = _PIPELINES.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    pipe = MentionPipeline(vocab)
    _PIPELINES[id(vocab)] = (vocab, pipe)
    return pipe


def mentions(text: str, vocab) -> tuple[Mention, ...]:
    return pipeline_for(vocab)(text)
