"""Cancer phrases: a phrase naming a cancer through the vocabulary, or a list of cancers sharing
a head noun ("breast, prostate, or lung cancer", "adenocarcinoma of the stomach or
gastroesophageal junction"), the union of its members, each resolving on its own."""

from __future__ import annotations

import re

from trialmatch.nlp.builders import Clause
from trialmatch.nlp.required_literals import guarded

GENERIC = re.compile(r"^(?:disease|cancer|carcinoma|tumou?rs?|malignancy|malignancies|neoplasm|cancers|disease status)?$")
_HEAD = re.compile(r"\s(?P<h>(?:cancers?|carcinomas?|adenocarcinomas?|tumou?rs?|malignanc(?:y|ies)|neoplasms?|sarcomas?))$")
_OF_HEAD = re.compile(r"^(?P<h>(?:\w+ )?(?:cancers?|carcinomas?|adenocarcinomas?|malignanc(?:y|ies)) of the) (?P<rest>.+)$")
_LIST_SEP = guarded(r"\s*,\s*(?:or\s+|and/or\s+|and\s+)?|\s+(?:or|and/or|and)\s+")
# a list member that is a histology only: the head noun after the list would make it another cancer
_HISTOLOGY_ONLY = re.compile(
    r"(?:(?:(?:small|large|clear|squamous|basal|transitional|signet[- ]ring|spindle|non-?small)[- ]cell|squamous|non-?squamous|"
    r"adenosquamous|mucinous|serous|papillary|medullary|ductal|lobular|neuroendocrine|endometrioid|anaplastic|sarcomatoid|"
    r"undifferentiated|(?:poorly|well)[- ]differentiated|carcinoid|(?:non-?)?invasive|in situ|high[- ]grade|low[- ]grade)\s*)+"
)
_SLASH = re.compile(r"\s*/\s*")


def cancer_codes(clause: Clause, t: str) -> tuple[str, ...] | None:
    """OncoTree codes of a cancer phrase or of a list of cancers sharing a head noun."""
    codes = clause.terms.cancer(t)
    if codes:
        return codes
    if not _LIST_SEP.search(t) and "/" not in t:
        return None
    if "head and neck" in t:
        # one site, not two list members: "cancer of the bladder, lung, head and neck, or pancreas"
        return _with_head_and_neck(clause, t)
    return _list_codes(clause, t)


_HEAD_AND_NECK = "head\x00neck"  # a spelling no text holds, with no list separator in it


def _with_head_and_neck(clause: Clause, t: str) -> tuple[str, ...] | None:
    joined = t.replace("head and neck", _HEAD_AND_NECK)
    if not _LIST_SEP.search(joined) and "/" not in joined:
        return None  # "head and neck cancer" alone: the vocabulary answered above
    return _list_codes(clause, joined)


def _list_codes(clause: Clause, t: str) -> tuple[str, ...] | None:
    of = _OF_HEAD.match(t)
    head_after = _HEAD.search(t)
    parts = _LIST_SEP.split(of.group("rest") if of else t)
    if not all(parts) or (len(parts) < 2 and "/" not in t):
        return None
    with_and = " and " in t and " and/or " not in t
    found: list[str] = []
    seen: list[str] = []
    for i, part in enumerate(parts):
        got = None
        part = part.replace(_HEAD_AND_NECK, "head and neck")
        if of:
            got = clause.terms.cancer(f"{of.group('h')} {part}")
        else:
            if head_after and i < len(parts) - 1:
                if _HISTOLOGY_ONLY.fullmatch(part):
                    return None  # "small cell or neuroendocrine prostate cancer": "small cell cancer" is not the prostate's
                got = clause.terms.cancer(f"{part} {head_after.group('h')}")
            if got is None:
                if with_and and i < len(parts) - 1:
                    return None  # "A and B" naming two cancers: both, or either? only "breast, lung and colorectal cancer"
                got = None if GENERIC.match(part) else clause.terms.cancer(part)
        if not got and "/" in part:  # "myelodysplastic syndrome/acute myeloid leukemia", each side a cancer
            sides = [clause.terms.cancer(x) for x in _SLASH.split(part)]
            got = tuple(x for side in sides for x in side) if all(sides) else None
        if not got or part in seen:
            return None  # "gastric cancer or gastric cancer in a family member": a repeat is told apart by words not read
        seen.append(part)
        found.extend(got)
    return _without_descendants(clause, tuple(dict.fromkeys(found)))


def _without_descendants(clause: Clause, codes: tuple[str, ...]) -> tuple[str, ...]:
    tree = getattr(clause.terms.vocab, "oncotree", None)
    if tree is None:
        return codes
    return tuple(x for x in codes if not any(y != x and tree.is_a(x, y) for y in codes))
