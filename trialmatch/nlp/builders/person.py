"""Age, sex and performance status (ECOG, Karnofsky, WHO)."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.patterns import number

_YEARS = r"(?:years?|yrs?)(?:[- ]of[- ]age|[- ]old)?"
_AT = (r"(?:,? (?:at|on|as of) (?:the )?(?:time of |day of |date of )?(?:(?:signing|signature|obtaining|providing|giving|"
       r"screening|consent|enrollment|enrolment|registration|randomi[sz]ation|study entry|inclusion)\b ?)?(?:(?:of )?(?:the )?"
       r"(?:written )?(?:informed consent|icf|consent)(?: form)?(?: document)?)?)?")
_AGE_WORD = r"(?:(?:adults?|males? or females?|females? or males?|men or women|women or men|males?|females?),? )?(?:aged?|age of|age at|age)"

_AGE_MIN = (
    re.compile(rf"^(?:{_AGE_WORD} )?(>=|>) ?(\d+) ?(?:{_YEARS})?{_AT}$"),
    re.compile(rf"^(?:{_AGE_WORD} |adults? |(?:males?|females?|men|women)(?: or (?:males?|females?|men|women))?,? )?(\d+) ?(?:{_YEARS})?(?: or| and) (?:older|>|above|greater|more){_AT}$"),
    re.compile(rf"^(?:{_AGE_WORD} )?(\d+) ?\+ ?(?:{_YEARS})?{_AT}$"),
    re.compile(rf"^(?:adults? )?(?:{_AGE_WORD} )?(>=) ?(\d+) ?(?:{_YEARS}){_AT}$"),
)
_AGE_MAX = (re.compile(rf"^(?:{_AGE_WORD} )?(<=|<) ?(?:the age of )?(\d+) ?(?:{_YEARS})?{_AT}$"),
            re.compile(rf"^(?:{_AGE_WORD} )?(\d+) ?(?:{_YEARS})?(?: or| and) (younger|less|<){_AT}$"))
# Words around an age that add no requirement: "have to be", "age must be", both sexes named
# ("male and female subjects of >= 18 years", "..., male or female"), "adult (18 years or older)",
# "minor (less than 18 years of age)". A single sex named before an age is a requirement on sex:
# not rewritten here (left to the patterns above, or Unparsed).
_BOTH_SEXES = (r"(?:male or female|female or male|males? and females?|females? and males?|men and women|women and men|"
               r"men or women|women or men)")
_AGE_REWRITES = (
    (re.compile(r"^(?:(?:have |has )?to be|will be|being) "), ""),
    (re.compile(r"^of (?=>=|>|<|\d)"), ""),
    (re.compile(r"^(age|aged) (?:must be|should be|is) "), r"\1 "),
    (re.compile(rf"\s*,?\s*{_BOTH_SEXES}$"), ""),
    (re.compile(rf"^(?:{_BOTH_SEXES}|adults?)(?: (?:patients?|participants?|subjects?|individuals?))?,? "
                r"(?:of |who are |aged? (?=>=|>|<|\d)|age (?=>=|>|<|\d))?(?=>=|>|<|\d|aged?\b)"), ""),
    (re.compile(r"^(?:adults?|minors?) \( ?([^()]+?) ?\)$"), r"\1"),
)
_AGE_RANGE = (
    re.compile(rf"^(?:{_AGE_WORD} )?(?:between )?(\d+) ?(?:{_YEARS})? ?(?:-|to|and) ?(\d+) ?(?:{_YEARS})?(?: inclusive)?{_AT}$"),
    re.compile(rf"^(?:{_AGE_WORD} )?(>=) ?(\d+) (?:and|to|but) ?(<=|<) ?(\d+) ?(?:{_YEARS})?{_AT}$"),
)


_AGE_NAMED = re.compile(r"\bage|\byears?\b|\byrs?\b")


def build_age(clause: Clause) -> c.Node | None:
    t = clause.text
    if not _AGE_NAMED.search(t):
        return None
    for rx, repl in _AGE_REWRITES:
        t = rx.sub(repl, t).strip()
    for rx in _AGE_MIN:
        m = rx.match(t)
        if m:
            groups = m.groups()
            if len(groups) == 2:
                return c.Age(min=number(groups[1]), min_inclusive=groups[0] == ">=")
            return c.Age(min=number(groups[0]))
    m = _AGE_MAX[0].match(t)
    if m:
        return c.Age(max=number(m.group(2)), max_inclusive=m.group(1) == "<=")
    m = _AGE_MAX[1].match(t)
    if m:  # "18 years of age or younger": at most 18
        return c.Age(max=number(m.group(1)))
    m = _AGE_RANGE[0].match(t)
    if m and float(m.group(1)) < float(m.group(2)):
        return c.Age(min=number(m.group(1)), max=number(m.group(2)))
    m = _AGE_RANGE[1].match(t)
    if m:
        return c.Age(min=number(m.group(2)), max=number(m.group(4)), max_inclusive=m.group(3) == "<=")
    return None


_SEX = re.compile(r"^(female|male|women|men)(?: patients?| participants?| subjects?| only)?$")


def build_sex(clause: Clause) -> c.Node | None:
    m = _SEX.match(clause.text)
    if not m:
        return None
    return c.Sex("female" if m.group(1) in ("female", "women") else "male")


_ECOG_NAME = (r"(?:(?:an? )?(?:eastern cooperative oncology group|ecog|who|world health organi[sz]ation|ecog/who|who/ecog)"
              r"(?: \((?:ecog|who)\))?(?: performance status| performance score| performance scale| status| ps| performance)?(?: \(ps\))?(?: score)?)")
_ECOG_VALUE = re.compile(
    rf"^{_ECOG_NAME}(?: of| is| must be|:| =| score of| grade)? ?(?:(<=|<) ?(\d)|(\d) ?(?:-|to) ?(\d)|((?:\d, )*\d,? (?:or|and) \d)|(\d))"
    r"(?: at (?:screening|baseline|study entry|enrollment|enrolment|registration))?$"
)
_KPS = re.compile(
    r"^(?:a )?(?:karnofsky performance(?: status| score| scale)?|karnofsky|kps)(?: \(kps\))?(?: score)?(?: of| is| must be)? ?"
    r"(>=|>) ?(\d{2,3}) ?(?:%|percent)?(?: at (?:screening|baseline|study entry|enrollment|registration))?$"
)


# Spellings of the ECOG scale's name brought to "ecog" (Zubrod and WHO performance status are the
# ECOG scale), and notes that add nothing ("see Appendix A", the Karnofsky equivalent in brackets).
_ECOG_SPELLINGS = (
    (re.compile(r"\b(?:eastern|easter) cooperative (?:oncology )?group\b|\bzubrod\b|\bworld health organi[sz]ation\b"), "ecog"),
    (re.compile(r"\becog \((?:ecog|who)\)|\becog/ecog\b|\bwho/ecog\b|\becog/who\b|\becog \(ecog\)"), "ecog"),
    (re.compile(r"\becog-(?=performance)"), "ecog "),
    (re.compile(r"\s*\((?:see |refer to )?appendix [a-z0-9]+\)|\s*\((?:karnofsky|kps|lansky)[^()]*\)"), ""),
    (re.compile(r"\b(?:ecog|who) performance status ?/ ?(?:ecog|who) performance status\b"), "ecog performance status"),
    (re.compile(r"^(?:clinical )?performance status(?: \(ps\))?(?: of| score of)? ecog(?: ps)? (?:of )?(?=\d|<|>)"),
     "ecog performance status of "),
    (re.compile(r"\b(?:ecog )?performance status(?: \(ps\))?(?: \(ecog\))? (?:of |score of )?((?:<=|<) ?\d|\d(?: ?- ?\d| or \d|, \d,? or \d)?) "
                r"(?:on|using|per|according to) the ecog(?: performance)?(?: scale| status| score)?$"), r"ecog performance status of \1"),
    (re.compile(r"^performance status(?: \(ps\))? ecog\b"), "ecog performance status"),
    (re.compile(r"\b(\d) or (?:lower|less|better|below)$"), r"<= \1"),
    (re.compile(r" (?:score|grade)(?: of| from)? (?=\d|<|>)"), " of "),
    (re.compile(r" status (?:score )?from (?=\d)"), " status of "),
)


def build_performance(clause: Clause) -> c.Node | None:
    t = clause.text
    if "ecog" in t or "cooperative" in t or "zubrod" in t or "who" in t or "world health" in t or "performance" in t:
        for rx, repl in _ECOG_SPELLINGS:
            t = rx.sub(repl, t)
    m = _ECOG_VALUE.match(t)
    if m:
        cmp, v1, lo, hi, listed, single = m.groups()
        if v1 is not None:
            top = int(v1) - (1 if cmp == "<" else 0)
            return c.PerformanceStatus(max=top) if top >= 0 else None
        if lo is not None:
            return c.PerformanceStatus(max=int(hi), min=int(lo) if int(lo) > 0 else None) if int(lo) <= int(hi) else None
        if listed is not None:
            values = sorted(int(v) for v in re.findall(r"\d", listed))
            if values != list(range(values[0], values[-1] + 1)):
                return None  # "0 or 2": not a range
            return c.PerformanceStatus(max=values[-1], min=values[0] if values[0] > 0 else None)
        value = int(single)
        return c.PerformanceStatus(max=value, min=value if value > 0 else None)
    m = _KPS.match(t)
    if m:
        value = int(m.group(2)) + (10 if m.group(1) == ">" else 0)
        return c.PerformanceStatus(min=value, scale="Karnofsky") if value <= 100 else None
    return None
