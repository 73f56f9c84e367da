"""Pregnancy and breastfeeding as a status ("pregnant or breastfeeding women", "lactating"), and a
pregnancy test's result (``pregnancy_test.py``)."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.pregnancy_test import build_pregnancy_test

__all__ = ["build_pregnancy"]

_PREG_WORDS = {
    "pregnant": "pregnant", "pregnancy": "pregnant", "breastfeeding": "breastfeeding", "breast-feeding": "breastfeeding",
    "breast feeding": "breastfeeding", "lactating": "breastfeeding", "breastfeeding/breastfeeding": "breastfeeding", "lactation": "breastfeeding", "nursing": "breastfeeding",
}
_PREG_FILLER = {"or", "and", "and/or", "women", "woman", "females", "female", "patients", "participants", "subjects",
                "who", "are", "is", "currently", "current", "mothers", "/", "be", "a", "known", "to", "participant", "participants",
                "individuals", "persons", "people", "of", "childbearing", "child-bearing", "potential", "wocbp", "concurrent",
                "in"}
# "pregnancy (positive pregnancy test)", "women nursing an infant", "breastfeeding their children": the state said again
_PREG_RESTATED = re.compile(r" \((?:positive|confirmed by (?:a )?positive) [^()]*(?:pregnancy test|hcg)[^()]*\)"
                            r"|(?<=nursing|feeding) (?:an infant|a child|infants|their (?:child|children|infants?|babies|baby))\b")


# "pregnant women are excluded from this study because ...": the rationale adds no criterion
_PREG_EXCLUDED = re.compile(r"\s+(?:are|is|will be) (?:excluded|not eligible|ineligible)(?: from (?:this|the) (?:study|trial))?"
                            r"(?:,?\s*(?:because|given|due to|as|since)\b.*)?$")
# "planning to become pregnant", "expecting to conceive ... within the trial": an alternative no record holds
_PREG_PLAN = re.compile(r"(?:,? (?:or|and/or) |, )(?:(?:are|is|who are) )?(?:(?:currently )?(?:planning|plans|plan|expecting|intending|intend|"
                        r"wishing|wish)(?: to)? (?:become pregnant|get pregnant|conceive|breast-?feed|breast feed|father children|"
                        r"a pregnancy|pregnancy)\b.*)$")


# a pregnancy clause names one of the status words (as written, before the spellings below are unified)
_PREG_NEEDS = tuple(_PREG_WORDS) + ("chestfeeding",)
_PREG_SPLIT = re.compile(r"[\s,]+|(?<=\w)/(?=\w)")


def build_pregnancy(clause: Clause) -> c.Node | None:
    if not any(word in clause.text for word in _PREG_NEEDS):
        return None  # no status word: every word would be filler, no atom
    t = clause.text.replace("breast feeding", "breast-feeding").replace("chestfeeding", "breastfeeding")
    if "(" in t or " infant" in t or " child" in t or " bab" in t:
        t = _PREG_RESTATED.sub("", t)
    if "pregnancy test" in t:
        return build_pregnancy_test(t, clause.section)
    t = _PREG_EXCLUDED.sub("", t)
    plan = _PREG_PLAN.search(t) if clause.section == "exclusion" else None
    if plan:
        t = t[:plan.start()]
        node = build_pregnancy(Clause(t, clause.terms, clause.section, clause.historical, clause.qualifiers))
        if node is None:
            return None
        atoms = node.items if isinstance(node, c.Any) else (node,)
        return c.Any(tuple(atoms) + (c.Unparsed(plan.group(0).lstrip(", ").removeprefix("or ").removeprefix("and/or ")),))
    words = [w for w in _PREG_SPLIT.split(t) if w]
    statuses: list[str] = []
    for w in words:
        if w in _PREG_WORDS:
            if _PREG_WORDS[w] not in statuses:
                statuses.append(_PREG_WORDS[w])
        elif w not in _PREG_FILLER:
            return None
    if not statuses:
        return None
    atoms = tuple(c.Pregnancy() if s == "pregnant" else c.Pregnancy(status=s) for s in statuses)
    return atoms[0] if len(atoms) == 1 else c.Any(atoms)
