"""Measurable disease and life expectancy: what a clinician assesses.

- "measurable disease per RECIST 1.1", "at least one measurable lesion as defined by RECIST
  v1.1", "radiographically measurable disease", "measurable disease according to RANO
  criteria" -> ``Measurable(criteria)``. RECIST needs its version (1.1) to be read: "per
  RECIST" alone names no version, so the criteria are left to the qualifier pattern
  (``All(Measurable(), Unparsed("per recist"))``). "At least one measurable lesion" is the
  RECIST definition of measurable disease; two or more lesions, bidimensional measurement,
  a site ("outside the radiation field") are not read. "Measurable or evaluable disease [per RECIST
  1.1]" is ``Any(Measurable(criteria), Unparsed("evaluable disease ..."))``: measurable disease meets
  it, evaluable-only disease has no atom (UNKNOWN, never NOT_MET). The imaging method before the
  criteria ("on CT or MRI per RECIST v1.1", "and documented by CT and/or MRI") and an aside
  restating the head ("(at least one target lesion)") are documentation. Two criteria joined by
  "or" / "and/or" are either (``Any``: "by RECIST v1.1 and/or RANO-BM"), by "and" both (``All``:
  "according to RECIST 1.1 and iRECIST"); a list of three, or a criteria with no name in
  matching/data/assessment.yaml ("INRC", "RANO 2.0"), is not read.
- "life expectancy of at least 12 weeks", "life expectancy > 3 months in the opinion of the
  investigator" -> ``LifeExpectancy(min_days, min_inclusive)``; "life expectancy < 3 months"
  -> ``Not(LifeExpectancy(91))`` (exactly its negation). The opinion words and time anchors
  ("at screening", "from day 1") add nothing: the estimate is the clinician's, made now.
  Months are 30.4375 days and years 365.25, rounded down (3 months = 91, 6 = 182,
  2 years = 730): a requirement is never read stricter than written.

A clause that starts like one of these but says more that could make the atom unnecessary
("... is not required", "... for participants with SLL", "... for reasons other than their
lymphoma", "... (phase 2)", an "or") is returned as ``Unparsed``: no atom, and no qualifier
reading (``All(atom, Unparsed(rest))`` would wrongly make the atom necessary).
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause

DAYS_PER_UNIT = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "nine": 9, "ten": 10,
         "twelve": 12, "sixteen": 16, "twenty-four": 24}


def to_days(value: float, unit: str) -> int:
    """A duration in whole days, rounded down (3 months -> 91, 6 months -> 182, 1 year -> 365)."""
    return int(value * DAYS_PER_UNIT[unit.rstrip("s")] + 1e-9)


# ---- response criteria --------------------------------------------------------------------------
_V11 = r"(?:v(?:ersion)?\.? ?|version ?\(v\) ?|version\.|v |)1[.·]1"
_RECIST = rf"recist(?: criteria)?,? ?\(?(?:recist ?)?{_V11}\)?|recist1\.1"
_LONG_NAMES = (
    (re.compile(r"\bresponse evaluation criteria in solid tumou?rs\b"), "recist"),
    (re.compile(r"\bresponse assessment in neuro-oncology\b"), "rano"),
    (re.compile(r"\bprostate cancer working group 3\b"), "pcwg3"),
    (re.compile(r"\binternational myeloma working group\b"), "imwg"),
    (re.compile(r"\brecist \(recist\)"), "recist"),
)
# criteria name -> canonical name (matching/data/assessment.yaml); a repeat in brackets is allowed
_CRITERIA = (
    (re.compile(rf"^(?:{_RECIST})(?:,? \((?:recist ?(?:{_V11})?|{_V11})\))?"), "RECIST 1.1"),
    (re.compile(rf"^irecist(?: ?{_V11})?"), "iRECIST"),
    (re.compile(rf"^mrecist(?:,? ?{_V11})?"), "mRECIST"),
    (re.compile(r"^rano-bm"), "RANO-BM"),
    (re.compile(r"^rano(?! ?\d)"), "RANO"),
    (re.compile(r"^(?:the )?(?:2014 )?lugano(?: 2014)?(?: lymphoma)?(?: classification)?"), "Lugano"),
    (re.compile(r"^pcwg3"), "PCWG3"),
    (re.compile(r"^(?:the )?(?:2016 )?imwg"), "IMWG"),
    (re.compile(r"^(?:2018 )?iwcll(?: 2018)?"), "iwCLL"),
)
_BY = (r"(?:,? )?(?:as )?(?:defined |determined |measured |assessed |evaluated |outlined )?"
       r"(?:per|by|according to|based on|based upon|using|in|via|under)(?: the)?(?: definition of)? ")
_CRITERIA_END = r"(?: criteria| guidelines)?(?: present)?(?: \( ?>= ?(?:1|one) measurable lesions?\))?"
_WHEN = r"(?:,? (?:at|during) (?:the )?(?:baseline|screening|enrollment|enrolment|study entry)(?: period)?)"
_ASSESSOR = (r"(?:,? (?:as )?(?:assessed|determined|judged) by (?:the )?(?:local )?(?:site )?(?:investigator|pi)s?"
             r"(?:/(?:site )?radiolog(?:y|ist))?(?: assessment)?|,? (?:per|by) investigator(?:'s)? assessment)")

_MEASURABLE_HEAD = re.compile(
    r"^(?:(?:the )?presence of |evidence of )?(?:(?:radiographically|radiologically|objectively) )?"
    r"(?:measurable disease|disease (?:that is )?measurable"
    r"|(?:>= ?)?(?:1|one|a) (?:radiographically |radiologically )?measurable (?:target )?(?:tumou?r )?(?:lesion|disease lesion|site of disease|area of disease|disease site)"
    r"|(?:1|one) or more measurable (?:target )?lesions"
    r"|(?:>= ?)?(?:1|one) site of (?:radiographically )?measurable disease"
    r"|(?:>= ?)?(?:1|one) lesion with measurable disease"
    # "at least one target lesion": RECIST's target lesions are chosen among the measurable ones
    r"|(?:>= ?)?(?:1|one) target lesion(?: to evaluate (?:the )?(?:treatment )?response)?"
    r"|measurable (?:tumou?r|lesion))"
    rf"{_WHEN}?")

# ---- life expectancy ----------------------------------------------------------------------------
_ESTIMATED = r"(?:an? )?(?:(?:estimated|anticipated|expected|predicted|projected|physician-assessed|investigator-assessed) )?"
_NUMBER = r"(\d+(?:\.\d+)?|" + "|".join(WORDS) + r")"
_UNIT = r"(days?|weeks?|months?|years?)"
_OPINION = (r"(?:,? ?(?:as )?(?:(?:assessed|determined|judged|estimated|evaluated) by|in the opinion of|per|by|according to|"
            r"per the judgment of|at the discretion of|as per)(?: the)? (?:treating |enrolling |local |site )?"
            r"(?:investigator|investigators|physician|clinician|pi|doctor)(?:'s)?(?: or designee)?"
            r"(?: (?:assessment|opinion|judgment|judgement|discretion))?"
            r"|,? ?(?:as )?per (?:the )?(?:treating |enrolling )?(?:investigator|physician|clinician)(?:'s)? (?:assessment|opinion|judgment|judgement|discretion)"
            r"|,? ?per assessment of the treating (?:investigator|physician|clinician))")
_ANCHOR = (r"(?:,? ?(?:at|from|as of|after)(?: the)? (?:time of )?(?:screening|enrollment|enrolment|registration|"
           r"randomi[sz]ation|study entry|day 1|cycle 1,? day 1|the date of registration|date of registration|"
           r"the first (?:dose|administration of (?:the )?study (?:drug|treatment))|start of (?:study )?treatment))")
_TAIL = rf"(?:{_OPINION}|{_ANCHOR}){{0,2}}"
_LIFE = (
    # "life expectancy of >= 12 weeks", "expected survival > 3 months", "life expectancy, in the opinion of the investigator, of >= 3 months"
    re.compile(rf"^{_ESTIMATED}(?:life expectancy|(?:expected|estimated|anticipated|predicted) survival(?: time)?)(?: is)?(?:{_OPINION},?)?(?: of)? ?(>=|>|<=|<) ?"
               rf"{_NUMBER}[ -]?{_UNIT}{_TAIL}$"),
    # "minimum life expectancy of 12 weeks", "life expectancy of 3 months or more"
    re.compile(rf"^(?:a )?minimum life expectancy of ?(>=)? ?{_NUMBER}[ -]?{_UNIT}(?: or (?:more|longer))?{_TAIL}$"),
    re.compile(rf"^{_ESTIMATED}life expectancy(?: of)? {_NUMBER}[ -]?{_UNIT} or (more|longer){_TAIL}$"),
    # "expected to survive >= 3 months", "expected to have a life expectancy of >= 12 weeks", "expected to have >= 3 months life expectancy"
    re.compile(rf"^(?:expected|estimated(?: by (?:the )?investigator)?) to (?:survive|have (?:an? )?(?:estimated )?life expectancy(?: of)?) ?(>=|>) ?"
               rf"{_NUMBER}[ -]?{_UNIT}{_TAIL}$"),
    re.compile(rf"^expected to have (>=|>) ?{_NUMBER}[ -]?{_UNIT} (?:of )?life expectancy{_TAIL}$"),
)

# a clause opening like these (a measurable-disease head the qualifier pattern would read, or
# any life-expectancy opening) but saying more than the atom: kept whole as Unparsed
_LIFE_OPENING = re.compile(
    r"^(?:(?:an? )?(?:minimum|estimated|anticipated|expected|predicted|projected|physician-assessed) )*"
    r"(?:life expectancy|expected survival|expected to survive|to survive)")
_WIDER = re.compile(
    r"\bnot (?:be )?(?:required|a requirement|necessary|mandatory|needed)\b|\boptional\b|\bother than\b|\bexcept\b|"
    r"\bunless\b|\bonly\b|\bphase\b|\bcohorts?\b|\bpart\b|\barms?\b|\bif\b|\bwhen\b|\bunrelated\b|\bdisease[- ]related\b|"
    r"\b(?:or|and/or)\b|\bfor (?:participants|patients|subjects|those|all|each|reasons|dose|safety|expansion|escalation|"
    r"the (?:dose|safety|expansion|escalation|phase|cohort|part))\b|\bevaluable\b|\bnon-?measurable\b|\bnot (?:eligible|allowed)\b")


def build_assessment(clause: Clause) -> c.Node | None:
    t = clause.text
    if "measurable" not in t and "life expectancy" not in t and "surviv" not in t and "target lesion" not in t:
        return None
    node = _life_expectancy(t) if ("life" in t or "surviv" in t) else _measurable(t)
    if node is not None:
        return node
    if "evaluable" in t:
        node = _measurable_or_evaluable(t)
        if node is not None:
            return node
    if (_MEASURABLE_HEAD.match(t) or _LIFE_OPENING.match(t)) and _WIDER.search(t):
        return c.Unparsed(t)
    return None


# how the lesion is measured ("on CT, MRI, or physical exam", "assessable using standard techniques"): the
# method, documentation as for LVEF "by ECHO or MUGA"; no criteria named
_IMAGING = (r"(?:ct|mri|ct scan|mri scan|computed tomography|magnetic resonance imaging|physical exam(?:ination)?|"
            r"clinical exam(?:ination)?|imaging|radiographic imaging|x-ray)")
_METHOD = re.compile(rf"^,? (?:on|by|using|via|based on|with) (?:the )?{_IMAGING}(?:(?:,? (?:or|and/or|and)|,|/) ?{_IMAGING})*$")
_TECHNIQUES = re.compile(r" (?:assessable|measurable|evaluable) (?:using|by|with) standard techniques(?= |$)")


# "measurable or evaluable disease per RECIST 1.1": measurable disease is one of the two alternatives,
# sufficient on its own; evaluable (non-measurable) disease has no atom and stays Unparsed beside it:
# Any(Measurable(criteria), Unparsed) - MET with measurable disease, otherwise UNKNOWN (never NOT_MET). RECIST 1.1
# (Eisenhauer et al. 2009, section 3.1: "measurable" or "non-measurable" lesions; "evaluable" is the older word)
_OR_EVALUABLE = re.compile(
    r"^(?:(?:the )?presence of |evidence of )?(?:either )?"
    r"(?:measurable (?:or|and/or) evaluable|evaluable (?:or|and/or) measurable) disease(?P<rest>.*)$")


_STANDARD_TECHNIQUES = re.compile(r"^,? using standard techniques(?= )")


def _measurable_or_evaluable(t: str) -> c.Node | None:
    m = _OR_EVALUABLE.match(t)
    if not m:
        return None
    rest = m.group("rest")
    if "evaluable" in rest or "measurable" in rest:
        return None  # "... using standard techniques ... (measurable ...)": said twice, not read
    # "(either measurable or evaluable disease) using standard techniques by recist 1.1": how, not what
    measurable = _measurable("measurable disease" + _STANDARD_TECHNIQUES.sub("", rest, count=1))
    if not isinstance(measurable, c.Measurable):
        return None
    start = t.find("evaluable disease")  # the alternative's own words when they are one slice of the clause
    return c.Any((measurable, c.Unparsed(t[start:] if start >= 0 and rest else t)))


# how the lesion is measured before the criteria named ("measurable disease on ct or mri scan by recist
# v1.1"): the method, documentation as _METHOD at the end is (RECIST 1.1, Eisenhauer et al., Eur J Cancer
# 2009;45:228, section 3.1.1, names CT, MRI, calipers and chest X-ray as its own methods of measurement)
_METHOD_BEFORE = re.compile(
    rf"^,? (?:on|by|per|using|via) (?:the )?{_IMAGING}(?: scans?)?(?:(?:,? (?:or|and/or|and)|,|/) ?{_IMAGING}(?: scans?)?)*"
    rf"(?=,? (?:as )?(?:per|by|according to|based on|using) )")
# the same said after the criteria: "... as per recist v1.1 criteria and documented by ct and/or mri"
_DOCUMENTED_BY = re.compile(
    rf",? and documented (?:by|on) {_IMAGING}(?:(?:,? (?:or|and/or|and)|,|/) ?{_IMAGING})*$")
# an aside restating the head: "measurable disease (at least one target lesion) according to recist 1.1"
_WHEN_FIRST = re.compile(rf"^{_WHEN}(?= )")
_RESTATED = re.compile(r"^ \( ?(?:i\.?e\.?,? )?(?:>= ?)?(?:1|one|a) (?:measurable |target )?(?:target )?lesions?\)")


def _measurable(t: str) -> c.Node | None:
    m = _MEASURABLE_HEAD.match(t)
    if not m:
        return None
    rest = t[m.end():]
    if "standard techniques" in rest:
        rest = _TECHNIQUES.sub("", rest, count=1)
    if not rest or _METHOD.match(rest):
        return c.Measurable()
    if rest.startswith(" ("):
        rest = _RESTATED.sub("", rest, count=1)
        rest = _WHEN_FIRST.sub("", rest, count=1)  # "(i.e., at least 1 target lesion) during the screening period per ..."
    if "documented" in rest:
        rest = _DOCUMENTED_BY.sub("", rest, count=1)
    rest = _METHOD_BEFORE.sub("", rest, count=1)
    for rx, replacement in _LONG_NAMES:
        rest = rx.sub(replacement, rest)
    aside = re.fullmatch(r",? \((.+)\)", rest)
    if aside:  # "measurable disease (per recist v1.1)"
        rest = " " + aside.group(1)
    by = re.match(_BY, rest)
    if not by:
        return None
    rest = rest[by.end():]
    bracketed = rest.startswith("(") and rest.endswith(")")
    if bracketed:
        rest = rest[1:-1]
    for rx, name in _CRITERIA:
        crit = rx.match(rest)
        if not crit:
            continue
        after = rest[crit.end():]
        if _CLOSING.fullmatch(after):
            return c.Measurable(criteria=name)
        # two criteria: "by recist v1.1 and/or rano-bm" (either), "according to recist 1.1 and irecist" (both)
        joined = _JOINED.match(after)
        if joined:
            other = after[joined.end():]
            for rx2, name2 in _CRITERIA:
                second = rx2.match(other)
                if second and name2 != name and _CLOSING.fullmatch(other[second.end():]):
                    both = (c.Measurable(criteria=name), c.Measurable(criteria=name2))
                    return c.All(both) if joined.group(1) == "and" else c.Any(both)
        return None
    return None


_CLOSING = re.compile(rf"{_CRITERIA_END}{_WHEN}?{_ASSESSOR}?{_WHEN}?")
_JOINED = re.compile(r"(?: criteria)?,? (and/or|or|and) (?:the )?")


def _life_expectancy(t: str) -> c.Node | None:
    for index, rx in enumerate(_LIFE):
        m = rx.match(t)
        if not m:
            continue
        if index == 0 or index == 3 or index == 4:
            comparator, number, unit = m.group(1), m.group(2), m.group(3)
        elif index == 1:
            comparator, number, unit = ">=", m.group(2), m.group(3)
        else:
            comparator, number, unit = ">=", m.group(1), m.group(2)
        value = float(WORDS.get(number, number)) if number in WORDS else float(number)
        days = to_days(value, unit)
        if days <= 0:
            return None
        if comparator == ">=":
            return c.LifeExpectancy(min_days=days)
        if comparator == ">":
            return c.LifeExpectancy(min_days=days, min_inclusive=False)
        if comparator == "<":  # life expectancy < X = not (life expectancy >= X)
            return c.Not(c.LifeExpectancy(min_days=days))
        return c.Not(c.LifeExpectancy(min_days=days, min_inclusive=False))  # <= X = not (> X)
    return None
