"""Requirements of a group of patients, read exactly where the item says them in a shape the builders
do not read alone:

- a performance requirement per age group ("Karnofsky >= 50 for participants > 16 years of age and Lansky
  >= 50 for participants <= 16 years of age"): Any(Not(age group), requirement) per group;
- an inclusion lab's looser threshold for patients with liver metastases or with Gilbert's syndrome, cut off
  by the sentence reader as an exception: said again in the lab builder's own words and read
  Any(head, All(looser, Metastasis(liver) / Condition(gilbert_syndrome))).

- a lab threshold per sex ("QTcF > 470 ms (females) or > 450 ms (males)", "Hemoglobin >= 10 g/dL for women and
  >= 11 g/dL for men"): Any(All(Sex, lab), All(other Sex, its lab)).

Called by the sentence reader (sentences.py); each returns None when the text is not such a shape.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.labs import GILBERT_NAME, GILBERT_STATUS, build_lab
from trialmatch.nlp.builders.person import build_age, build_performance
from trialmatch.nlp.normalize import normalize
from trialmatch.nlp.terms import Terms


# "Karnofsky >= 50 for participants > 16 years of age and Lansky >= 50 for participants <= 16 years of age", "For
# participants >= 16 years old, Karnofsky >= 50%", "Participants aged 16 to < 18 years old: Karnofsky >= 50%": a
# performance requirement of an age group only (in an inclusion). Each part is Any(Not(age group), requirement): a
# patient outside the group meets it, one inside must meet the requirement. A Lansky score (children's scale) has
# no atom: its requirement stays Unparsed. Read only when every part is a performance requirement with an age group
# the age builder reads whole, and the item is that sentence alone (the COG note after it, "Participants who are
# unable to walk because of paralysis ... will be considered ambulatory", leaves the item to the other readings).
PERFORMANCE_WORDS = ("karnofsky", "lansky", "ecog", "kps", "performance", "zubrod")
_AGE_GROUP = (r"(?:(?:patients?|participants?|subjects?|those|individuals?)\s+)?(?:aged?\s+|who are\s+)?"
              r"(?P<age>(?:>=|<=|>|<)\s?\d+\s?(?:years?|yrs?)(?:\s?(?:of age|old))?"
              r"|\d+\s?(?:years?|yrs?)(?:\s?(?:of age|old))?\s(?:and|or)\s(?:older|above|younger)"
              r"|\d+\s?(?:-|to)\s?(?:<\s?)?\d+\s?(?:years?|yrs?)(?:\s?(?:of age|old))?)"
              r"(?:,? at (?:the )?time of (?:informed )?consent)?")
_GROUP_PART = (re.compile(rf"^(?P<req>.+?),?\s+(?:for|in)\s+{_AGE_GROUP}$"),
               re.compile(rf"^(?P<req>.+?)\s+\((?:for\s+)?{_AGE_GROUP}\)$"),
               re.compile(rf"^(?:for|in)\s+{_AGE_GROUP},?\s+(?P<req>.+)$"),
               re.compile(rf"^{_AGE_GROUP}:\s*(?P<req>.+)$"))
_GROUP_SPLIT = re.compile(r"(?:,?\s+and\s+|;\s+|,\s+)(?=(?:the\s+)?(?:karnofsky|lansky|ecog|kps|performance|for\s|"
                          r"patients?\s|participants?\s|subjects?\s))")
# the Lansky requirement alone ("lansky play score >= 60"), never a text naming another group or scale
_LANSKY = re.compile(r"^(?:the |a )?lansky(?: play| performance)?(?: scale| score| status)*(?: of| must be| is)? ?(?:>=|>) ?\d{2,3} ?%?$")
_REQUIREMENT_LEAD = re.compile(r"^(?:patients?|participants?|subjects?)\s+must\s+have\s+(?:an?\s+)?(?:performance status of\s+)?"
                               r"|\s+must\s+be(?=\s+(?:>=|<=|>|<))")


def age_groups(text: str, terms: Terms, section: str) -> c.Node | None:
    """The requirement of each age group of a performance item (see above), or None."""
    whole = _group_parts([text], terms, section)
    return whole if whole is not None else _group_parts(_GROUP_SPLIT.split(text), terms, section)


def _group_parts(parts: list[str], terms: Terms, section: str) -> c.Node | None:
    nodes: list[c.Node] = []
    for part in parts:
        m = next((m for rx in _GROUP_PART if (m := rx.match(part.strip())) is not None), None)
        if m is None:
            return None
        age = build_age(Clause(m.group("age"), terms, section))
        if not isinstance(age, c.Age):
            return None
        req_text = _REQUIREMENT_LEAD.sub("", m.group("req").strip()).strip()
        req = build_performance(Clause(req_text, terms, section))
        if req is None:
            if not _LANSKY.match(req_text):
                return None
            req = c.Unparsed(req_text)  # the Lansky play scale: no atom (the age group still decides outside it)
        nodes.append(c.Any((c.Not(age), req)))
    return nodes[0] if len(nodes) == 1 else c.All(tuple(nodes))


# An inclusion lab's looser threshold for patients with liver metastases, cut off as an exception: "(<= 5 x ULN for
# patients with documented liver metastases)", "unless liver metastases are present, in which case they must be <= 5 x
# ULN", "(5 x ULN allowed if liver metastases)". Said again in the lab builder's own words ("<head> ( <= 5 x uln for
# patients with liver metastases)"), it reads the group exactly: Any(head, All(looser, Metastasis(liver)))
# (builders/labs.py _alternative; a threshold no looser stays All(head, aside) there).
_LIVER_GROUP = (r"(?:for|in|with|if)(?: (?:patients|participants|subjects|those))?(?: with| who have)?(?: known| documented)?"
                r" (?:liver|hepatic) metastas[ie]s(?: (?:are )?present)?")
_LIVER_TAIL = re.compile(
    r"^\(?\s?(?:or |and )?(?:(?P<cmp1>>=|<=|>|<) ?(?P<n1>\d+(?:\.\d+)?) ?x ?i?uln (?:(?:is |are )?(?:allowed|permitted|acceptable) )?"
    + _LIVER_GROUP +
    r"|(?P<n3>\d+(?:\.\d+)?) ?x ?i?uln (?:is |are )?(?:allowed|permitted|acceptable) " + _LIVER_GROUP +
    r"|unless (?:there are |the (?:patient|participant|subject) has )?(?:known |documented )?(?:liver|hepatic) metastas[ie]s"
    r"(?: are present)?,? in which case,? (?:it|they) (?:must|should) be (?P<cmp2>>=|<=|>|<) ?(?P<n2>\d+(?:\.\d+)?) ?x ?i?uln)"
    r"\s?\)?[.;]?$")


def liver_threshold(head: str, tail: str, head_node: c.Node, terms: Terms) -> c.Node | None:
    """The exact reading of an inclusion lab's looser threshold for patients with liver metastases, or None."""
    if not all(isinstance(n, (c.Lab, c.All)) for n in walk(head_node)):
        return None
    m = _LIVER_TAIL.match(normalize(tail).lower().strip())
    if m is None:
        return None
    labs = [n for n in walk(head_node) if isinstance(n, c.Lab)]
    if m.group("n3") is not None:
        # "(5 x ULN allowed if liver metastases)": the comparator is the head's own
        comparators = {n.comparator for n in labs}
        if len(comparators) != 1:
            return None
        cmp, value = comparators.pop(), m.group("n3")
    else:
        cmp, value = (m.group("cmp1"), m.group("n1")) if m.group("cmp1") else (m.group("cmp2"), m.group("n2"))
    text = f"{normalize(head).lower().rstrip(' ,;:.')} ( {cmp} {value} x uln for patients with liver metastases)"
    node = build_lab(Clause(text, terms, "inclusion"))
    if node is None or not any(isinstance(n, c.Metastasis) for n in walk(node)):
        return None
    return node


# An inclusion bilirubin's looser threshold for patients with Gilbert's syndrome, cut off as an exception: "(< 2.0 x ULN
# for subjects with documented Gilbert's syndrome)", "(or 5.0 x ULN if the participant has a history of Gilbert's
# disease)", ", except in patients with Gilbert's Syndrome, who must have a total bilirubin < 3.0 mg/dL", ". For
# participants with known Gilbert's Syndrome <= 3 x ULN is permitted", "(patients with known Gilbert's disease who have
# bilirubin level <= 3 x ULN may be enrolled)", "(if Gilbert's disease, <= 3.0 mg/dL)". Said again in the lab builder's
# words, it reads Any(head, All(looser, Condition(gilbert_syndrome))) (builders/labs.py _alternative: the same analyte,
# comparator and form, a looser value). Anything more in the exception keeps it Unparsed: a direct bilirubin instead or
# beside it ("and direct bilirubin within normal limits"), "unconjugated bilirubin of < 3 x ULN", another group
# ("or hemolysis"), no unit ("then <= 3.0"), no threshold ("unless has Gilbert's disease": any bilirubin? a Gilbert's
# patient may still have liver disease; the trials that say so write a limit, so it is not read as "any").
_G_PEOPLE = r"(?:the |an? )?(?:patients?|participants?|subjects?(?:'s)?|individuals?|those|children)"
_G_QUAL = rf"(?:(?:a )?(?:{GILBERT_STATUS}|(?:documented )?history of|diagnosis of) )*"
_G_NAME = GILBERT_NAME
_G_GROUP = (rf"(?:(?:for|in|with|if) )?(?:the case of )?(?:{_G_PEOPLE} )?(?:(?:with|who have|who has|has) )?{_G_QUAL}{_G_NAME}"
            r"(?: (?:is )?present)?")


def _g_thr(tag: str) -> str:
    """A threshold of the tail, its groups named with ``tag`` (one name per alternative of the pattern)."""
    return (rf"(?P<cmp{tag}>>=|<=|>|<) ?(?P<num{tag}>\d+(?:\.\d+)?) ?"
            rf"(?P<form{tag}>(?:x ?|times )?(?:the )?(?:institutional )?i?uln|mg/dl|umol/l)")


_G_ANALYTE = r"(?:a |the )?(?:total )?(?:serum )?(?:total )?bilirubin(?: levels?)?(?: of| must be| is)?"
_G_ENROL = r"(?:may|can|will) (?:be enrolled|enroll|enrol|be included|participate|be eligible)"
_GILBERT_TAIL = re.compile(
    r"^\(?\s?(?:"
    rf"(?:or |with the exception of )?{_g_thr('')} {_G_GROUP}"
    rf"|or (?P<num2>\d+(?:\.\d+)?) ?(?P<form2>x ?(?:institutional )?i?uln) {_G_GROUP}"
    rf"|(?:except|excepting|with the exception of) (?:for |in )?{_G_PEOPLE} with {_G_QUAL}{_G_NAME},? (?:who|in whom) "
    rf"(?:(?:must|can|may|should) (?:have|be) )?{_G_ANALYTE} ?(?:(?:must|should) be )?{_g_thr('_b')}"
    rf"|(?:except )?(?:for|in) {_G_PEOPLE} with {_G_QUAL}{_G_NAME},? (?:{_G_ANALYTE} ?)?{_g_thr('_c')}"
    r"(?: (?:is|are) (?:permitted|allowed|acceptable))?"
    rf"|{_G_PEOPLE} with {_G_QUAL}{_G_NAME} who (?:have|has) {_G_ANALYTE} ?{_g_thr('_d')} {_G_ENROL}"
    rf"|if {_G_NAME},? {_g_thr('_e')}"
    r")\s?\)?[.;]?$")


def gilbert_threshold(head: str, tail: str, head_node: c.Node, terms: Terms) -> c.Node | None:
    """The exact reading of an inclusion bilirubin's looser threshold for patients with Gilbert's syndrome, or None."""
    if not isinstance(head_node, c.Lab) or head_node.analyte != "TBILI":
        return None
    m = _GILBERT_TAIL.match(normalize(tail).lower().strip())
    if m is None:
        return None
    if m.group("num2") is not None:
        # "(or 5.0 x ULN if ... Gilbert's disease)": the comparator is the head's own
        cmp, value, form = head_node.comparator, m.group("num2"), m.group("form2")
    else:
        cmp, value, form = next((m.group(f"cmp{i}"), m.group(f"num{i}"), m.group(f"form{i}"))
                                for i in ("", "_b", "_c", "_d", "_e") if m.group(f"cmp{i}") is not None)
    form = "x uln" if form.endswith("uln") else form
    bare = normalize(head).lower().replace(" (uln)", "")  # "upper limit of normal (ULN)": said twice
    # "... x ULN OR in participants with ... Gilbert's syndrome, ...", "... (ULN) *EXCEPT ...": the joint before the cut
    bare = re.sub(r"(?:[\s,;:*(-]+(?:or|and/or))?[\s,;:*(-]*\.?$", "", bare)
    text = f"{bare} ( {cmp} {value} {form} for patients with gilbert's syndrome)"
    node = build_lab(Clause(text, terms, "inclusion"))
    if node is None or not any(isinstance(n, c.Condition) for n in walk(node)):
        return None
    return node


# A lab threshold per sex, both said in one clause: "qtcf > 470 ms (females) or > 450 ms (males)", "qtcf <= 450 ms
# for males and <= 470 ms for females", "<450 ms (male subjects), <460 ms (female subjects)". Read as the limit of
# each sex: Any(All(Sex(a), lab a), All(Sex(b), lab b)) (in an exclusion wrapped in Not by the item). Cut at the
# first sex as an exception ("for women"), the inclusion was Any(lab a, Unparsed(rest)): a man over his own
# limit but under the women's met it (a wrong "eligible"). Each part must read as one Lab (the words after the
# second sex said of both, "on the screening ECG", are read with each part, or kept beside it Unparsed).
_SEX = r"\(?(?:for |in )?(?P<{0}>wom[ae]n|females?|(?:fe)?male (?:subjects|patients|participants)|m[ae]n|males?)\)?"
_LIMIT = r"(?P<c{0}>>=|<=|>|<) ?(?P<v{0}>\d+(?:\.\d+)?) ?(?P<u{0}>(?:ms|msec|milliseconds?|g/dl|mg/dl|g/l|%|x uln|x iuln))?"
_SEX_PAIR = re.compile(rf"^(?P<lab>.+?) {_LIMIT.format(1)} ?{_SEX.format('s1')},?(?: and/or| and| or|;)? "
                       rf"{_LIMIT.format(2)} ?{_SEX.format('s2')}(?P<rest>.*)$")


def _sex(word: str) -> str:
    return "female" if word.startswith(("wom", "fem")) else "male"


def sex_thresholds(text: str, read) -> c.Node | None:
    """The per-sex limits of one lab (see above), ``read`` the clause parser of the item's section; or None."""
    m = _SEX_PAIR.match(text)
    if m is None or _sex(m.group("s1")) == _sex(m.group("s2")):
        return None
    rest = m.group("rest").strip(" ,;.")
    if len(rest) > 80 or re.search(r"\b(?:or|and/or|unless|except\w*|if)\b|;", rest):
        return None  # "..., or immediate family history of long QT syndrome": an alternative kept beside would be lost
    parts = []
    for k in ("1", "2"):
        unit = m.group("u" + k) or m.group("u1") or m.group("u2") or ""
        limit = f"{m.group('lab')} {m.group('c' + k)} {m.group('v' + k)} {unit}".strip()
        node = read(f"{limit} {rest}") if rest else None
        if not isinstance(node, c.Lab):
            node = read(limit)
            if not isinstance(node, c.Lab):
                return None
            if rest:
                node = c.All((node, c.Unparsed(rest)))
        parts.append(c.All((c.Sex(_sex(m.group("s" + k))), node)))
    return c.Any(tuple(parts))
