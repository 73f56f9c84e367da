"""Age, sex and performance status (ECOG, Karnofsky, WHO)."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.patterns import number
from trialmatch.nlp.required_literals import guarded

_YEARS = r"(?:years?|yrs?)(?:[- ]of[- ]age|[- ]old)?"
_AT = (r"(?:,? (?:at|on|as of) (?:the )?(?:time of |day of |date of )?(?:(?:signing|signature|obtaining|providing|giving|"
       r"screening|consent|enrollment|enrolment|registration|randomi[sz]ation|study entry|inclusion)\b ?)?(?:(?:of )?(?:the )?"
       r"(?:written )?(?:informed consent|icf|consent)(?: form)?(?: document)?)?)?")
# a single sex is not among these words: "female aged >= 18" requires the sex too (``_ONE_SEX``)
_AGE_WORD = r"(?:(?:adults?|males? or females?|females? or males?|men or women|women or men),? )?(?:aged?|age of|age at|age)"

_AGE_MIN = (
    re.compile(rf"^(?:{_AGE_WORD} )?(>=|>) ?(?:the age of |age (?:of )?)?(\d+) ?(?:{_YEARS})?{_AT}$"),
    re.compile(rf"^(?:{_AGE_WORD} |adults? |(?:males?|females?|men|women) or (?:males?|females?|men|women),? )?(\d+) ?(?:{_YEARS})?(?: or| and) (?:older|>|above|greater|more){_AT}$"),
    re.compile(rf"^(?:{_AGE_WORD} )?(\d+) ?\+ ?(?:{_YEARS})?{_AT}$"),
    re.compile(rf"^(?:adults? )?(?:{_AGE_WORD} )?(>=) ?(\d+) ?(?:{_YEARS}){_AT}$"),
)
_AGE_MAX = (re.compile(rf"^(?:{_AGE_WORD} )?(<=|<) ?(?:the age of )?(\d+) ?(?:{_YEARS})?{_AT}$"),
            re.compile(rf"^(?:{_AGE_WORD} )?(\d+) ?(?:{_YEARS})?(?: or| and) (younger|less|<){_AT}$"))
# Words around an age that add no requirement: "have to be", "age must be", both sexes named
# ("male and female subjects of >= 18 years", "..., male or female"), "adult (18 years or older)",
# "minor (less than 18 years of age)". A single sex named before an age is a requirement on sex:
# not rewritten here (left to the patterns above, or Unparsed).
_BOTH_SEXES = (r"(?:males? or females?|females? or males?|male/female|female/male|males? and females?|females? and males?|men and women|women and men|"
               r"men or women|women or men)")
_AGE_REWRITES = (
    (re.compile(r"^(?:(?:have |has )?to be|will be|being) "), ""),
    (re.compile(r"^of (?=>=|>|<|\d)"), ""),
    (re.compile(r"^(?:of |'s )?(age|aged) (?:must be|should be|is) "), r"\1 "),
    (re.compile(rf"\s*,?\s*{_BOTH_SEXES}$"), ""),
    (re.compile(rf"^(?:(?:adults? )?{_BOTH_SEXES}|adults?)(?: (?:patients?|participants?|subjects?|individuals?))?,? "
                r"(?:of |who are |aged? (?=>=|>|<|\d)|age (?=>=|>|<|\d))?(?=>=|>|<|\d|aged?\b|between\b)"), ""),
    (re.compile(r"^(?:adults?|minors?)(?: (?:patients?|participants?|subjects?))? \( ?([^()]+?) ?\)$"), r"\1"),
    # "older than 18 years" is > 18, "younger than 18" < 18; "between the ages of 18 and 80"
    (re.compile(r"^(?:aged? )?older than (?=\d|the age of)"), "> "),
    (re.compile(r"^(?:aged? )?younger than (?=\d|the age of)"), "< "),
    (re.compile(r"^(?:the )?(?:patient|participant|subject)'?s'? age (?:is|must be|should be) "), "age "),
    (re.compile(r"^(?:of|'s) (?=age\b)"), ""),
    (re.compile(r"^\( ?([^()]+?) ?\)$"), r"\1"),
    (re.compile(r"^(?:between|aged? between) (?:the )?ages (?:of )?(?=\d)"), "between "),
    # "18 years of older": a slip for "or older"
    (re.compile(r"(?<=years) of older$"), " or older"),
    # "children under the age of 18", "minors < 18 years old", "the subject is child < 18 years of age": the
    # age defines the child; the noun adds nothing
    (re.compile(r"^(?:the subject is )?(?:an? )?(?:children|child|minors?|pediatric patients?)(?: who are)? (?=<|<=)"), ""),
    (re.compile(r"^(<=|<) (?:the )?age (?:of )?(?=\d)"), r"\1 "),
)
# "Women >= 18 years of age", "Male >= 18 years old", "Men of age > 18 years", "Female participants only, aged
# 18 or above": the sex is a requirement of its own beside the age (All); never "male or female"
_ONE_SEX = re.compile(r"^(?:adult )?(?P<sex>females?|males?|women|men|woman|man)(?: (?:patients?|participants?|subjects?))?"
                      r"(?: only)?,? (?:who are |of age |of |aged? of |ages of )?(?!or\b|and\b|/)(?=>|<|\d|aged?\b|between\b)")
# the age said as one ("aged 18", "18 years of age", "18 years old", "18 or older"), not a bare "N years"
_AGE_SPELLED = re.compile(r"\bage[ds]?\b|\bold\b|\bolder\b|\bor >|\band >")
_NUMBER_WORDS = {"eighteen": "18", "nineteen": "19", "twenty-one": "21", "sixteen": "16", "twelve": "12"}
_NUMBER_WORD = re.compile(r"\b(?:eighteen|nineteen|twenty-one|sixteen|twelve)\b")
# "age < 18 or >= 90" (in an exclusion): either end excludes
_AGE_OUTSIDE = re.compile(rf"^(?:{_AGE_WORD} )?(<=|<) ?(\d+) ?(?:{_YEARS})?,? or (>=|>) ?(\d+) ?(?:{_YEARS})?$")
_AGE_RANGE = (
    re.compile(rf"^(?:{_AGE_WORD} )?(?:between )?(\d+) ?(?:{_YEARS})? ?(?:-|to|and) ?(\d+) ?(?:{_YEARS})?(?: inclusive)?{_AT}$"),
    re.compile(rf"^(?:{_AGE_WORD} )?(>=) ?(\d+) (?:and|to|but) ?(<=|<) ?(\d+) ?(?:{_YEARS})?{_AT}$"),
    # "aged 16 to < 18 years old": from 16, under 18
    re.compile(rf"^(?:{_AGE_WORD} )?()(\d+) ?(?:-|to) ?(<) ?(\d+) ?(?:{_YEARS})?{_AT}$"),
)


_AGE_NAMED = guarded(r"\bage|\byears?\b|\byrs?\b")


def build_age(clause: Clause) -> c.Node | None:
    t = clause.text
    if not _AGE_NAMED.search(t):
        return None
    sex = _ONE_SEX.match(t)
    if sex:
        if not _AGE_SPELLED.search(t, sex.end("sex")):
            return None  # "women < 50 years | of age would be considered post-menopausal if ...": a subject cut short
        age = _age(t[sex.end():])
        if age is None:
            return None
        return c.All((c.Sex("female" if sex.group("sex")[0] in "fw" else "male"), age))
    return _age(t)


def _age(t: str) -> c.Node | None:
    if "e" in t:
        t = _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(0)], t)
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
    m = _AGE_OUTSIDE.match(t)
    if m and float(m.group(2)) < float(m.group(4)):
        return c.Any((c.Age(max=number(m.group(2)), max_inclusive=m.group(1) == "<="),
                      c.Age(min=number(m.group(4)), min_inclusive=m.group(3) == ">=")))
    m = _AGE_RANGE[0].match(t)
    if m and float(m.group(1)) < float(m.group(2)):
        return c.Age(min=number(m.group(1)), max=number(m.group(2)))
    m = _AGE_RANGE[1].match(t) or _AGE_RANGE[2].match(t)
    if m and float(m.group(2)) < float(m.group(4)):
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
    rf"^{_ECOG_NAME}(?: of| is| must be|:| =| score of| grade)? ?(?:(<=|<) ?(\d)|(\d) ?(?:-|to) ?(\d)|((?:\d, ?)*\d,? (?:or|and) \d|\d(?:, ?\d)+)|(\d)|(>=|>) ?(\d))"
    r"(?: at (?:screening|baseline|study entry|enrollment|enrolment|registration))?$"
)
# "Karnofsky ... of 70 or higher": >= 70
_KPS_OR_HIGHER = re.compile(r"(?:of )?(\d{2,3}) ?%? (?:or (?:higher|greater|more|>|better)|and (?:>|higher))$"
                            r"|(?:of )?(\d{2,3}) ?%? ?(?:-|to) ?100 ?%?$")
# "Karnofsky or Lansky performance score >= 60": Lansky is the scale of children under 16; the Karnofsky part is
# read, the Lansky alternative kept Unparsed beside it (Any): an adult's Karnofsky score decides
_KPS_OR_LANSKY = re.compile(r"^(?:karnofsky|kps) ?(?:or|/) ?lansky(?= performance| score| >| >=)")
_KPS = re.compile(
    r"^(?:a )?(?:karnofsky performance(?: status| score| scale)?|karnofsky|kps)(?: \(kps\))?(?: score)?(?: of| is| must be)? ?"
    r"(>=|>|<=|<) ?(\d{2,3}) ?(?:%|percent)?(?: at (?:screening|baseline|study entry|enrollment|registration))?$"
)


# Spellings of the ECOG scale's name brought to "ecog" (Zubrod and WHO performance status are the
# ECOG scale), and notes that add nothing ("see Appendix A", the Karnofsky equivalent in brackets).
_ECOG_SPELLINGS = (
    (re.compile(r"\b(?:eastern|easter) cooperative (?:oncology )?group\b|\beastern cooperative oncology\b|\bzubrod\b"
                r"|\bworld health organi[sz]ation\b"), "ecog"),
    # the scale named twice ("WHO/ECOG", "WHO or ECOG", "ECOG, or ECOG,"): one scale (WHO and Zubrod are ECOG's)
    (re.compile(r"\becog \((?:ecog|who)\)"), "ecog"),
    (re.compile(r"\b(?:ecog|who)(?:,? ?(?:/|or|,) ?(?:ecog|who)\b)+,?"), "ecog"),
    (re.compile(r"\bperformance-status\b"), "performance status"),
    # an aside naming the scale or its abbreviation: "(ECOG PS)", "(ECOG-PS)", "(PS)" after the name
    (re.compile(r" [(\[](?:ecog|who)?[- ]?(?:ps|scale|performance status)?[)\]](?=[\s)\]]|$)"), ""),
    (re.compile(r" [(\[](?:ecog|who)?[- ]?(?:ps|scale|performance status)?[)\]](?=[\s)\]]|$)"), ""),  # nested: "(ecog [ecog])"
    (re.compile(r"\becog \((?:ecog|who)\)|\becog/ecog\b|\bwho/ecog\b|\becog/who\b|\becog \(ecog\)"), "ecog"),
    (re.compile(r"\becog-(?=performance)"), "ecog "),
    # the Karnofsky equivalent in brackets, "or" or not ("ecog <= 2 (or karnofsky >= 60%)"): the same requirement on the
    # other scale (the matcher maps a Karnofsky score to ECOG)
    (re.compile(r"\s*[(\[](?:see |refer to |refer )?appendix [a-z0-9]+[)\]]|\s*\((?:or )?(?:karnofsky|kps|lansky)[^()]*\)"), ""),
    # "a documented ECOG ...", "good performance status (ECOG) < 2", "adequate performance status as defined by
    # ECOG ...": the words before the scale add nothing to its value
    (re.compile(r"^(?:a )?documented (?=ecog|performance)"), ""),
    (re.compile(r"^(?:good|adequate) performance status,? (?:as )?(?:defined|determined|measured) (?:as|by) (?=ecog)"), ""),
    (re.compile(r"^good (?=performance status (?:<=|<) ?\d$)"), ""),
    # "ECOG performance status scale 0-2", "PS 0 or 1" after the name, "that is either 0 or 1", "between 0-3",
    # "0~2", "less than (<) 3"
    (re.compile(r"\b(performance status) (?:scale|ps)\b"), r"\1"),
    (re.compile(r" (?:(?:that|which) is )?either (?=\d)"), " "),
    (re.compile(r" (?:score )?between (?=\d ?(?:-|to|and) ?\d$)"), " of "),
    (re.compile(r"(\d) ?~ ?(\d)$"), r"\1-\2"),
    # "performance status <= 2" with no scale named: a grade of 0-5 is the ECOG (WHO, Zubrod) scale; Karnofsky
    # and Lansky run 0-100 in tens
    (re.compile(r"^performance status(?= (?:of )?(?:(?:<=|<) ?\d|\d(?: ?- ?\d| or \d)?)$)"), "ecog performance status"),
    (re.compile(r"(<=|>=|<|>) \((?:<=|>=|<|>)\) ?"), r"\1 "),
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


# "ECOG performance status =1": a bare "=" before a grade above 0 is, in the registry's text, mostly a
# comparator that lost its "<" (NCT04361708 writes every bound "=", its NCI copy "=< 1"); read as
# exactly 1 it failed every ECOG 0 patient (a wrong "ineligible"): not read. "= 0" is "<= 0" either way.
_BARE_EQUALS = re.compile(r"(?<![<>=/!])=(?![<>=])\s*[1-5]\b")


def build_performance(clause: Clause) -> c.Node | None:
    t = clause.text
    if "=" in t and _BARE_EQUALS.search(t):
        return None
    if "ecog" in t or "cooperative" in t or "zubrod" in t or "who" in t or "world health" in t or "performance" in t:
        for rx, repl in _ECOG_SPELLINGS:
            t = rx.sub(repl, t)
    m = _ECOG_VALUE.match(t)
    if m:
        cmp, v1, lo, hi, listed, single, min_cmp, v2 = m.groups()
        if v2 is not None:  # "ECOG >= 2", "> 2" (in an exclusion): the lowest grade
            bottom = int(v2) + (1 if min_cmp == ">" else 0)
            return c.PerformanceStatus(min=bottom) if 0 < bottom <= 5 else None
        if v1 is not None:
            top = int(v1) - (1 if cmp == "<" else 0)
            return c.PerformanceStatus(max=top) if top >= 0 else None
        if lo is not None:
            return c.PerformanceStatus(max=int(hi), min=int(lo) if int(lo) > 0 else None) if int(lo) <= int(hi) else None
        if listed is not None:
            values = sorted(set(int(v) for v in re.findall(r"\d", listed)))
            if values != list(range(values[0], values[-1] + 1)):
                return None  # "0 or 2": not a range
            return c.PerformanceStatus(max=values[-1], min=values[0] if values[0] > 0 else None)
        value = int(single)
        return c.PerformanceStatus(max=value, min=value if value > 0 else None)
    if "lansky" in t:
        lansky = _KPS_OR_LANSKY.match(t)
        if lansky is None:
            return None
        kps = _karnofsky(_KPS_OR_HIGHER.sub(_at_least, "karnofsky" + t[lansky.end():]))
        words = clause.text[clause.text.index("lansky"):]  # the protocol's words of the alternative
        return c.Any((kps, c.Unparsed(words))) if kps else None
    return _karnofsky(_KPS_OR_HIGHER.sub(_at_least, t) if "karnofsky" in t or "kps" in t else t)


def _at_least(m: re.Match) -> str:
    """"70 or higher", "80-100" (the top of the scale): ">= 70", ">= 80"."""
    return f">= {m.group(1) or m.group(2)}"


def _karnofsky(t: str) -> c.Node | None:
    m = _KPS.match(t)
    if m:
        # the scale runs in tens: "> 60" is ">= 70"; "< 70" is not ">= 70", "<= 60" not ">= 70"
        value = int(m.group(2)) + (10 if m.group(1) in (">", "<=") else 0)
        if value > 100 or (m.group(1) in ("<", "<=") and value % 10):
            return None  # an upper bound off the tens ("< 65") is not read
        atom = c.PerformanceStatus(min=value, scale="Karnofsky")
        return atom if m.group(1) in (">=", ">") else c.Not(atom)
    return None
