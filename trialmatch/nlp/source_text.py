"""Unparsed remainders in the source's own wording.

The builders read ``normalize``d text (lower case, one spelling of comparators and units), so
a remainder they leave (a qualifier, a sentence not understood) is normalised text. What a
clinician reads must be the protocol's words: ``restore_unparsed`` replaces each Unparsed text
that is not already a substring of the item by the slice of the item whose normalised form is
that text ("x uln" -> "x upper limit of normal (ULN)"). When no slice normalises to it (the
remainder was cut inside a rewritten phrase), the text is left as it is.
"""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.normalize import normalize

_WORD = re.compile(r"[a-z0-9]+")
_EDGE = " .;,:"
_ASIDE = re.compile(r"\s*(?:\([^()]{0,40}\)|\[[^\[\]]{0,40}\])")  # "(EPO)", "[SGOT]": dropped by the clause parser
_MAX_TRIES = 60  # normalize calls for one remainder at most


def _key(text: str) -> str:
    return " ".join(_ASIDE.sub("", normalize(text)).split()).strip(_EDGE)


def source_slice(normalised: str, original: str) -> str | None:
    """The slice of ``original`` whose normalised form is ``normalised`` (outer punctuation and
    short bracketed asides ignored), or None."""
    target = normalised.strip(_EDGE)
    words = _WORD.findall(target)
    if not target or not words:
        return None
    lower = original.lower()
    if len(lower) == len(original):
        at = lower.find(target)
        if at != -1:  # only the case differs: the common case
            return original[at:at + len(target)]
    key = " ".join(_ASIDE.sub("", target).split()).strip(_EDGE)
    starts = [m.start() for m in re.finditer(r"(?<![a-z0-9])" + re.escape(words[0]), lower)]
    ends = [m.end() for m in re.finditer(re.escape(words[-1]) + r"(?![a-z0-9])", lower)]
    if not target[-1].isalnum():  # "... of <20%": the remainder ends past its last word
        ends += [m.end() for m in re.finditer(re.escape(words[-1]) + r"(?![a-z0-9])[^\s,;:]+", lower)]
    if not starts:  # the first word was rewritten ("uln", ">="): any word start
        starts = [m.start() for m in re.finditer(r"(?:(?<=\s)|^)\S", original)]
    if not ends:
        ends = [m.end() for m in re.finditer(r"\S(?=\s|$)", original)]
    tries = 0
    for s in starts:
        for e in ends:
            if e <= s:
                continue
            tries += 1
            if tries > _MAX_TRIES:
                return None
            piece = original[s:e]
            if _key(piece) == key:
                return piece.strip(_EDGE)
    return None


def restore_unparsed(node: c.Node, original: str) -> c.Node:
    """``node`` with every normalised Unparsed text replaced by its source wording."""
    if isinstance(node, (c.All, c.Any)):
        items = tuple(restore_unparsed(n, original) for n in node.items)
        return node if items == node.items else dataclasses.replace(node, items=items)
    if isinstance(node, c.Not):
        item = restore_unparsed(node.item, original)
        return node if item is node.item else dataclasses.replace(node, item=item)
    if isinstance(node, c.Unparsed) and node.text not in original:
        piece = source_slice(node.text, original)
        if piece is not None:
            return dataclasses.replace(node, text=piece)
    return node
