"""Prior therapy: drug or class, "no prior", lines of therapy, washout windows.

"Prior X" is PriorTherapy(X); in an exclusion section the item is wrapped in Not by the
parser. "X within 4 weeks prior to the first dose" is PriorTherapy(X, within_days=28)
(a washout: excluded if received inside the window). Durations: a week is 7 days, a month
30.4375 days (rounded). Lists joined by "or" / "," / "and/or" are alternatives (one atom with several
drugs/classes); lists joined by "and" are refused (both? either?).

Readings added for issue #5 (each keeps the whole meaning or is refused):
- stacked lead words: "has received prior", "had any previous", "previously received";
- "at least 4 weeks since/from prior X" and "prior X must be completed at least 4 weeks
  before randomization" (inclusion only) are washouts: Not(X within 28 days). The engine
  reads a window under an odd number of Not as a washout (never a permanent "ineligible");
- "X within 28 days or 5 half-lives, whichever is shorter" (also "within 5 half-lives or 28
  days"), exclusion only: the window of the days is the longest the item can mean, so
  All(X within 28 days, Unparsed(half-lives)): the atom is a necessary condition. "Whichever is
  longer" / "greater", or no "whichever", are refused (28 days could then be too short a
  washout); the EXCEPTION rule on "whichever" spares "whichever is shorter" only when no
  sentence follows it (rules/context.json), so the builder sees single-sentence items;
- "at least one prior line of platinum-based chemotherapy": lines of a class;
- "prior anti-PD-1, anti-PD-L1, or anti-PD-L2 agent": Any(PriorTherapy(known), Unparsed(unknown
  alternatives)); "X including Y": Any(X, Unparsed(including Y)); "naive to X": Not(X);
- one adjective narrowing a known therapy or radiation ("covalent BTK inhibitor", "external
  beam radiotherapy"): All(atom, Unparsed(adjective)), the atom being necessary.
"Immunomodulatory drugs" is the IMiD class only in a clause naming an IMiD or myeloma (broader
elsewhere: interferons, thymosin, steroids). "Currently receiving X" is not read (under way now, not "within" a past window); nor are
"investigational" agents (no class), vaccines (records hold them as Immunization, not read)
or corticosteroid doses (no class; a dose limit needs a dose the atom cannot carry).
"""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.patterns import ANCHOR, days

# words before the therapy that say it was given before (stacked: "has received any prior")
_LEAD_WORD = (
    r"(?:previously|previous|prior|received|receives|receipt of|had|have|has|been|undergone|treated with|treatment with|"
    r"therapy with|treatment|therapy|exposure to|exposed to|use of|any|a|an)"
)
_LEAD = re.compile(rf"^(?:{_LEAD_WORD} )+")
# a lead must hold one of these to say "given before" ("any" or "a" alone do not)
_PRIOR_SAYS = re.compile(r"\b(?:previously|previous|prior|received|receives|receipt|had|undergone|treated|treatment with|"
                         r"therapy with|exposure|exposed|use of)\b")
_EVER = re.compile(r"(?:,? (?:ever|at any time|in the past|previously))$")
# time points a washout is counted to, beyond the shared ANCHOR: registration steps, day 1
_MORE_ANCHORS = (
    r"(?:the )?(?:sub-study |step \d )?(?:registration|randomi[sz]ation|enrollment|enrolment|allocation)"
    r"(?:/(?:registration|randomi[sz]ation|enrollment|enrolment))?"
    r"|(?:the )?day 1 of (?:protocol|study) (?:therapy|treatment)"
    r"|(?:the )?(?:study |protocol )?(?:treatment|intervention|therapy|drug) (?:initiation|start|administration)"
    r"|(?:the )?study (?:start|entry|enrollment|drug administration|intervention administration)"
    r"|(?:starting|initiating|beginning|initiation of|start of|the start of) (?:the )?(?:study |protocol )?"
    r"(?:treatment|therapy|intervention|drug)|(?:the )?trial (?:enrollment|entry)|(?:the )?screening visit"
)
_ANCHORS = rf"(?:{_MORE_ANCHORS}|{ANCHOR})"
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10", "twelve": "12"}
_NUM_WORD = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
_UNIT = r"(days?|weeks?|months?|years?)(?: \((\d+) days\))?"
_WINDOW_AT_END = re.compile(
    rf",? (?:(?:within (?:the )?(?:last |past |previous |preceding |prior )?|in the (?:last|past|previous|preceding) |"
    rf"during the (?:last |past |previous |preceding )?|<= ?|< ?)(?P<n>{_NUM_WORD}) (?P<unit>days?|weeks?|months?|years?)"
    rf"(?: \((?P<written>\d+) days\))?|(?:within|in|during) the (?:last|past|previous|preceding) (?P<one>year|month|week))"
    rf"(?: (?:prior to|before|of|from|preceding) {_ANCHORS})?$")
_THERAPY_WORD = re.compile(
    r" (?:therapy|therapies|treatment|treatments|agents?|drugs?|medications?|regimens?|exposure)$")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_N = r"(one|two|three|four|five|1|2|3|4|5)"
_COUNT = rf"(?:(?P<cmp>>=|<=|>|<) ?{_N}|{_N} or more|{_N} ?(?:-|to) ?{_N})"
_LINES = re.compile(
    rf"^(?:received |have received |has received |had |been treated with )?{_COUNT}"
    r" (?:prior |previous )?(?:(?:systemic |standard |anti-?cancer )?(?:treatment |therapy |therapeutic )?)(?:lines?|regimens?)(?: of)?"
    r"(?: prior| previous)?(?: systemic)?(?: anti-?cancer| antineoplastic| standard)?"
    r"(?: therapy| therapies| treatment| treatments| chemotherapy)?$"
)
# "at least two prior systemic therapies": a count of prior therapies is a count of lines
_THERAPY_COUNT = re.compile(
    rf"^(?:received |had |been treated with )?{_COUNT} (?:prior|previous) (?:systemic |anti-?cancer |antineoplastic )?"
    r"(?:therapy|therapies|treatment|treatments|regimens?|treatment regimens?|therapeutic regimens?)$")
# "at least one prior line of platinum-based chemotherapy", ">= 1 prior platinum-based chemotherapy"
_CLASS_LINES = re.compile(
    rf"^(?:received |had |been treated with )?{_COUNT} (?:prior |previous )?(?:(?:lines?|regimens?) of (?:prior |previous )?)?"
    r"(?P<x>.+)$")
_LIST_SPLIT = re.compile(r"\s*(?:,\s*or|,\s*and/or|\s+or|\s+and/or)\s+|\s*,\s*|\s*/\s*")


# phrases naming several classes at once (the evaluation set's conventions)
_SYSTEMIC = ("chemotherapy", "immunotherapy", "targeted_therapy", "endocrine_therapy")
_PD = ("anti_pd1", "anti_pdl1")
_MULTI = {
    "systemic anti-cancer": _SYSTEMIC, "systemic anticancer": _SYSTEMIC, "anti-cancer": _SYSTEMIC, "anticancer": _SYSTEMIC,
    "systemic antineoplastic": _SYSTEMIC, "antineoplastic": _SYSTEMIC, "systemic anti-neoplastic": _SYSTEMIC,
    "anti-neoplastic": _SYSTEMIC, "systemic": _SYSTEMIC, "systemic cancer": _SYSTEMIC, "anti-tumor": _SYSTEMIC,
    "antitumor": _SYSTEMIC, "anti-tumour": _SYSTEMIC, "antitumour": _SYSTEMIC,
    "anti-pd-1/pd-l1": _PD, "anti-pd-1/anti-pd-l1": _PD, "pd-1/pd-l1 inhibitor": _PD, "pd-1/pd-l1 inhibitors": _PD,
    "anti-pd-(l)1": _PD, "anti-pd(l)1": _PD, "pd-1/pd-l1": _PD, "anti-pd-1/l1": _PD, "anti-pd-1/pd-l1 antibody": _PD,
    "anti-pd-1/pd-l1 antibodies": _PD, "pd-(l)1 inhibitor": _PD, "pd-(l)1 inhibitors": _PD, "anti-pd-(l)1 antibody": _PD,
}
_MULTI_SUFFIX = re.compile(r" (?:therapy|therapies|treatment|agents?|drugs?|antibod(?:y|ies)|medications?|inhibitor therapy)$")


# classes whose usual name is broader outside one setting: the class is kept only when the clause
# says that setting. "Immunomodulatory drugs/agents" are the IMiDs (thalidomide analogues) in
# myeloma, but steroids, interferons or checkpoint inhibitors elsewhere ("systematic
# immunomodulatory drugs ... such as thymosin, IL-2, IFN", NCT05746897).
_CLASS_NEEDS_CONTEXT = {
    "immunomodulatory_drug": re.compile(r"\bimids?\b|\bimide\b|thalidomide|lenalidomide|pomalidomide|myeloma"),
}


def _in_context(clause: Clause, classes) -> bool:
    return all(k not in _CLASS_NEEDS_CONTEXT or _CLASS_NEEDS_CONTEXT[k].search(clause.text) for k in classes)


def _resolve(clause: Clause, phrase: str) -> c.PriorTherapy | None:
    atom = _resolve_any(clause, phrase)
    return atom if atom is None or _in_context(clause, atom.classes) else None


def _resolve_any(clause: Clause, phrase: str) -> c.PriorTherapy | None:
    phrase = phrase.strip()
    multi = _MULTI.get(phrase) or _MULTI.get(_MULTI_SUFFIX.sub("", phrase))
    if multi:
        return c.PriorTherapy(classes=multi)
    if re.search(r"\band\b(?!/or)", phrase):
        return None
    drugs: list[str] = []
    classes: list[str] = []
    whole = clause.terms.drug_or_class(phrase)
    parts = [phrase] if whole else [p for p in _LIST_SPLIT.split(phrase) if p]
    for part in parts:
        found = _drug_or_class(clause, re.sub(r"^(?:a|an|any|prior|previous|other) ", "", part))
        if found is None:
            return None
        (classes if found[0] == "class" else drugs).append(found[1])
    if not drugs and not classes:
        return None
    return c.PriorTherapy(drugs=tuple(dict.fromkeys(drugs)), classes=tuple(dict.fromkeys(classes)))


def _drug_or_class(clause: Clause, phrase: str):
    """A drug or class named by the phrase, or by the phrase without a trailing "therapy" /
    "agent" word ("aromatase inhibitor therapy" = "aromatase inhibitor")."""
    found = clause.terms.drug_or_class(phrase)
    if found is None and _THERAPY_WORD.search(phrase):
        found = clause.terms.drug_or_class(_THERAPY_WORD.sub("", phrase))
    return found


def _word_number(n: str) -> str:
    return _WORD_NUMBERS.get(n, n)


def _window(t: str) -> tuple[str, int | None]:
    """The text before a washout window at its end, and the window in days (None: no window)."""
    m = _WINDOW_AT_END.search(t)
    if not m:
        return t, None
    if m.group("written"):  # "4 weeks (28 days)": the days as written
        return t[:m.start()], int(m.group("written"))
    if m.group("one"):  # "within the past year"
        return t[:m.start()], days("1", m.group("one"))
    return t[:m.start()], days(_word_number(m.group("n")), m.group("unit"))


def _therapy_including(clause: Clause, t: str) -> c.Node | None:
    """"prior systemic therapy including investigational agents within 4 weeks": X and more,
    Any(X, Unparsed(including ...)) (labels' reading): X met meets the item, the rest stays unknown."""
    head, within = _window(t)
    m = re.match(r"^(?P<x>.+?),? (?P<inc>including (?!but\b).+)$", head)
    if not m:
        return None
    atom = _therapy(clause, m.group("x") + (f" within {within} days" if within is not None else ""))
    if atom is None or _INCLUDING_REFUSED.search(m.group("inc")):
        return None  # "X including Y for metastatic disease": the setting may be X's too
    return c.Any((atom, c.Unparsed(m.group("inc"))))


_INCLUDING_REFUSED = re.compile(
    r"\b(?:for|in|to|with|within|during|after|before|since|setting|adjuvant|neoadjuvant|metastatic|advanced|line|lines|"
    r"except|excluding|unless|than|only|prior|previous|is|are|not|no|if|when|who|which|that)\b|\d|[;:]")


# "chemotherapy-naive", "naive to anti-EGFR antibodies": not treated with X
_NAIVE = re.compile(r"^(?:na[iï]ve to (?P<x1>.+)|(?P<x2>.+?)[- ]na[iï]ve)$")


def _naive(clause: Clause) -> c.Node | None:
    m = _NAIVE.match(clause.text)
    if not m:
        return None
    x = (m.group("x1") or m.group("x2")).strip()
    atom = _resolve(clause, x) or (_resolve(clause, _THERAPY_WORD.sub("", x)) if _THERAPY_WORD.search(x) else None)
    return c.Not(atom) if atom is not None else None


def _therapy(clause: Clause, t: str) -> c.PriorTherapy | None:
    """PriorTherapy for "prior X [within N days]" or "X within N days"; None otherwise."""
    head, within = _window(t)
    lead = _LEAD.match(head)
    # "history of X therapy" says X was given before, as "prior" does
    says_prior = clause.historical or bool(lead and _PRIOR_SAYS.search(lead.group(0)))
    if not says_prior and within is None:
        return None
    x = _EVER.sub("", head[lead.end():] if lead else head).strip(" ,")
    if not x:
        return None
    atom = _resolve(clause, x) or (_resolve(clause, _THERAPY_WORD.sub("", x)) if _THERAPY_WORD.search(x) else None)
    if atom is None:
        return None
    return dataclasses.replace(atom, within_days=within) if within is not None else atom


def _modified(clause: Clause, t: str) -> c.Node | None:
    """"prior covalent BTK inhibitor": one adjective narrowing a known therapy (labels' reading):
    the therapy is necessary, All(PriorTherapy, Unparsed(adjective))."""
    head, within = _window(t)
    lead = _LEAD.match(head)
    if not (clause.historical or (lead and _PRIOR_SAYS.search(lead.group(0)))):
        return None
    x = _EVER.sub("", head[lead.end():] if lead else head).strip(" ,")
    m = re.match(r"^(?P<adj>[a-z][a-z-]+) (?P<rest>.+)$", x)
    if not m or _QUALIFYING.search(m.group("adj")) or re.search(
            r"\b(?:or|and|other|non|not|investigational|experimental|approved|study|novel|unapproved)\b", m.group("adj")):
        return None  # investigational agents are no class: "investigational anti-cancer drug" is not "anti-cancer drug"
    atom = _therapy(clause, "prior " + m.group("rest") + (f" within {within} days" if within is not None else ""))
    return c.All((atom, c.Unparsed(m.group("adj")))) if atom is not None else None


def _lines(clause: Clause, t: str) -> c.PriorTherapy | None:
    m = _LINES.match(t) or _THERAPY_COUNT.match(t)
    classes: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()
    if not m:
        m = _CLASS_LINES.match(t)
        if not m:
            return None
        atom = _resolve(clause, m.group("x"))
        if atom is None or atom.classes == _SYSTEMIC or (not atom.classes and not atom.drugs):
            return None  # "systemic therapy" lines are the _LINES shape; anything else unknown
        classes, drugs = atom.classes, atom.drugs
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
    if (classes or drugs) and lines[0] is None:
        return None  # "no more than 2 lines of chemotherapy": not counted by class here
    return c.PriorTherapy(drugs=drugs, classes=classes, min_lines=lines[0] or None, max_lines=lines[1])


# "at least 4 weeks since prior chemotherapy", "> 4 weeks must have elapsed from the last dose of X"
_SINCE = re.compile(
    rf"^(?:>=|>) ?({_NUM_WORD}) {_UNIT} (?:must have |have |has |should have )?(?:elapsed |passed )?(?:since|from|after) "
    r"(?:the )?(?:last (?:dose|administration|treatment) of |(?:the )?completion of |end of |discontinuation of )?"
    rf"(?P<x>.+?)(?: (?:to|before|prior to|until) {_ANCHORS}| at the time of {_ANCHORS})?$")
# "prior major surgery must be at least 12 weeks prior to study entry", "completed prior radiotherapy >= 2 weeks before ..."
# The time must be said to be the treatment's end ("completed", "must be ... prior to"): "no chemotherapy
# at least 2 weeks prior to treatment" means none within 2 weeks, the opposite reading.
_COMPLETED_BEFORE = re.compile(
    rf"^(?:(?P<lead>completed|discontinued|stopped) )?(?P<x>.+?)(?P<verb>(?: must| should)(?: have been| be)?"
    rf"(?: completed| discontinued| stopped)?|(?: was| were| been)? (?:completed|discontinued|stopped))?"
    rf" (?:>=|>) ?({_NUM_WORD}) {_UNIT} (?:prior to|before) {_ANCHORS}$")


def _since(clause: Clause) -> c.Node | None:
    """A washout written as time elapsed since a treatment: Not(treatment within N days).
    Inclusion only (in an exclusion, "at least 4 weeks since X" would exclude the eligible)."""
    if clause.section != "inclusion":
        return None
    m = _SINCE.match(clause.text)
    if m:
        n, unit, written = m.group(1), m.group(2), m.group(3)
    else:
        m = _COMPLETED_BEFORE.match(clause.text)
        if not m or not (m.group("lead") or m.group("verb")):
            return None
        if re.match(r"(?:received|had|have|has|undergone)\b", m.group("x")):
            return None  # "must have received prior radiotherapy > 12 weeks before": the receipt is required too
        n, unit, written = m.group(4), m.group(5), m.group(6)
    within = int(written) if written else days(_word_number(n), unit)
    x = m.group("x").strip()
    if not x.startswith(("prior ", "previous ", "any ")):
        x = "prior " + x
    sub = Clause(x, clause.terms, clause.section, clause.historical, clause.qualifiers)
    atom = _therapy(sub, x) or _procedure(sub, major_without_window=True)
    if atom is None:
        return None
    if isinstance(atom, c.All):  # "major surgery": All(Procedure, Unparsed("major"))
        if atom.items[0].within_days is not None:
            return None
        return c.Not(c.All((dataclasses.replace(atom.items[0], within_days=within),) + atom.items[1:]))
    if atom.within_days is not None:
        return None
    return c.Not(dataclasses.replace(atom, within_days=within))


# "or 5 half-lives", "(or 5 half-lives, whichever is shorter)", ", whichever is shorter,"
_HALF_LIVES = re.compile(
    rf",? \(?(?:or )?(?:within )?(?:<|<= ?)?({_NUM_WORD}) (?:drug[- ]elimination )?half-lives?(?: \(t1/2\))?"
    r"(?: of (?:the|that) (?:agent|drug|product))?\)?")
# the half-lives written first: "within 5 half-lives or [within] 4 weeks" -> "within 4 weeks"
_HALF_LIVES_FIRST = re.compile(
    rf" (?:within |<= ?|< ?)({_NUM_WORD}) (?:drug[- ]elimination )?half-lives?(?: \(t1/2\))?,? or (?:within )?"
    rf"(?=(?:<= ?|< ?)?(?:{_NUM_WORD}) (?:days?|weeks?|months?)\b)")
_SHORTER = re.compile(r",? \(?(?:use )?whichever is shorter(?: will be used as the criteria)?\)?,?")
_HALF_LIFE_REFUSED = re.compile(r"longer|greater|maximum|minimum|if unknown|if prior|up to|\bunless\b")


def _half_lives(clause: Clause) -> c.Node | None:
    """"X within 28 days or 5 half-lives (whichever is shorter)": All(X within 28 days,
    Unparsed(the half-lives)): no dose in the shorter window means none in the longer one.
    Exclusion only: there the washout min(28 days, 5 half-lives) is at most 28 days, so a last
    dose older than 28 days is clear under every reading, and one inside it stays UNKNOWN. An
    inclusion ("must be 21 days or 5 half-lives from ...") is not read."""
    t = clause.text
    if clause.section != "exclusion" or "half-li" not in t or not _SHORTER.search(t) or _HALF_LIFE_REFUSED.search(t):
        return None
    first = _HALF_LIVES_FIRST.search(t)
    if first:
        removed = [first.group(0).strip(" ,")]
        t = t[:first.start()] + " within " + t[first.end():]
    else:
        removed = [m.group(0).strip(" ,") for m in _HALF_LIVES.finditer(t)]
    removed += [m.group(0).strip(" ,") for m in _SHORTER.finditer(t)]
    rest = _SHORTER.sub(" ", _HALF_LIVES.sub(" ", t))
    rest = re.sub(r"\s+", " ", rest).strip(" ,")
    if "half-li" in rest or len(removed) < 2:
        return None
    sub = Clause(rest, clause.terms, clause.section, clause.historical, clause.qualifiers)
    atom = _therapy(sub, rest)
    if atom is None or atom.within_days is None:
        return None
    return c.All((atom, c.Unparsed(" ".join(removed))))


# words that qualify a treatment (setting, dose, site, time): an unknown list member holding one may
# qualify the members before it too ("paclitaxel or docetaxel in the adjuvant setting")
_QUALIFYING = re.compile(
    r"\b(?:for|in|to|with|without|within|as|at|of|on|during|after|before|since|setting|adjuvant|neoadjuvant|"
    r"metastatic|advanced|maintenance|first|second|line|lines|dose|doses|except|unless|including|excluding|than|"
    r"prior|previous|current|currently|ongoing|concurrent|weeks?|days?|months?|years?|is|are|not|no|and|from|by|"
    r"administered|given|received|delivered|used|taken|who|which|that|those|these|patients?|participants?|subjects?)\b|"
    r"(?<![\w-])\d+(?![\w-])|[();:%]")


def _alternatives(clause: Clause, t: str) -> c.Node | None:
    """"prior anti-PD-1, anti-PD-L1, or anti-PD-L2 agent": the named alternatives known to the
    vocabulary are atoms, the others stay Unparsed beside them in an Any (an alternative that
    is met meets the item; one unknown keeps it UNKNOWN, never a wrong "no"). Only a list of
    "or" alternatives whose unknown members are plain names: a member with a setting, a dose
    or a time ("docetaxel in the adjuvant setting"), or naming a known drug with a modifier
    ("weekly paclitaxel"), may qualify the others, and the list is refused."""
    head, within = _window(t)
    lead = _LEAD.match(head)
    if not (clause.historical or (lead and _PRIOR_SAYS.search(lead.group(0)))):
        return None
    x = _EVER.sub("", head[lead.end():] if lead else head).strip(" ,")
    if re.search(r"\band\b(?!/or)", x) or not re.search(r"\bor\b|\band/or\b", x):
        return None
    spans, start = [], 0
    for sep in _LIST_SPLIT.finditer(x):
        spans.append((start, sep.start()))
        start = sep.end()
    spans.append((start, len(x)))
    known: list[tuple[str, str]] = []
    procedures: list[c.Node] = []
    unknown: list[str] = []
    unknown_spans: list[tuple[int, int]] = []
    # "any MEK or BRAF inhibitor": a head noun written once for the whole list
    head_noun = re.search(r" (inhibitors?|antibod(?:y|ies)|agents?|therap(?:y|ies)|blockers?)$", x)
    for a, b in spans:
        part = re.sub(r"^(?:(?:a|an|any|other) )+", "", x[a:b])
        if not part or part in ("a", "an", "any", "all", "other", "another", "the"):
            return None
        found = _resolve(clause, part)
        if found is None and head_noun and not part.endswith(head_noun.group(0)) and " " not in part:
            found = _resolve(clause, part + head_noun.group(0))
        if found is not None:
            known.extend([("drug", k) for k in found.drugs] + [("class", k) for k in found.classes])
            continue
        sub = Clause("prior " + part, clause.terms, clause.section, clause.historical, clause.qualifiers)
        procedure = _procedure(sub)
        if isinstance(procedure, c.Procedure):
            procedures.append(procedure)
            continue
        words = part.split()
        if (len(words) > 4 or _QUALIFYING.search(part) or clause.terms.key("CONDITION", part)
                or clause.terms.cancer(part)):
            return None
        for k in range(1, len(words)):  # "weekly paclitaxel", "paclitaxel weekly": a known drug qualified
            if _drug_or_class(clause, " ".join(words[k:])) or _drug_or_class(clause, " ".join(words[:k])):
                return None
        unknown.append(part)
        unknown_spans.append((a, b))
    if not known:
        return None
    atom = c.PriorTherapy(drugs=tuple(dict.fromkeys(k for kind, k in known if kind == "drug")),
                          classes=tuple(dict.fromkeys(k for kind, k in known if kind == "class")),
                          within_days=within)
    procedures = [dataclasses.replace(p, within_days=within) for p in procedures]
    if not unknown:  # every member known once the shared head noun is read
        return c.Any((atom, *procedures)) if procedures else atom
    first, last = spans.index(unknown_spans[0]), spans.index(unknown_spans[-1])
    if last - first + 1 == len(unknown):  # one run of the list ("SG or EV"): its words as written
        unknown = [x[unknown_spans[0][0]:unknown_spans[-1][1]]]
    return c.Any((atom, *procedures, c.Unparsed(", ".join(unknown))))


def build_therapy(clause: Clause) -> c.Node | None:
    t = clause.text
    found = _lines(clause, t)
    if found is not None:
        return found
    return (_therapy(clause, t) or _since(clause) or _half_lives(clause) or _alternatives(clause, t)
            or _therapy_including(clause, t) or _naive(clause) or _modified(clause, t))


_SURGERY = re.compile(
    r"^(?P<major>major )?(?:surgery|surgical procedure|surgical resection|operation|surgical intervention)$"
)
# not "exposure to": "prior exposure to radiation" may be environmental, not radiotherapy
_PROCEDURE_LEAD = re.compile(
    r"^(?:(?:previously|previous|prior|received|receives|receipt of|had|have|has|been|undergone|completed|any|a|an) )+")
_PROCEDURE_PRIOR_SAYS = re.compile(r"\b(?:previously|previous|prior|received|receives|receipt|had|undergone|completed)\b")
_RADIATION = re.compile(
    r"^(?:radiotherapy|radiation therapy|radiation|rt|irradiation)(?: treatment)?$"
)


# radiation that is not a treatment, or a treatment with it ("chemo" + radiation is a combination)
_NOT_RADIOTHERAPY = re.compile(r"\b(?:ultraviolet|uv|ionizing|ionising|background|occupational|environmental|"
                               r"exposure|chemo|chemotherapy|or|and|no|any)\b|cancer|carcinoma|tumou?r|malignan|metasta|neoplas|lesion")
# one to three plain words naming a kind of radiotherapy ("external beam", "palliative", "whole brain")
_RADIATION_KIND = re.compile(
    r"^(?P<kind>[a-z][a-z-]*(?: [a-z][a-z-]*){0,2}) (?:radiotherapy|radiation therapy|radiation|irradiation)(?: treatment)?$")


def build_procedure(clause: Clause) -> c.Node | None:
    """Surgery or radiation, optionally within a window. "Major surgery": the atom counts
    any surgery, so "major" is kept unparsed beside it (in an exclusion, any surgery in the
    window gives UNKNOWN, never a wrong exclusion of a minor procedure); it needs a window
    (its window is often written after an aside, "major surgery (excluding ...) within 4
    weeks"). A bare "surgery" with neither a word saying it was done before nor a window is
    not read."""
    return _procedure(clause)


def _procedure(clause: Clause, major_without_window: bool = False) -> c.Node | None:
    head, within = _window(clause.text)
    lead = _PROCEDURE_LEAD.match(head)
    says_prior = bool(lead and _PROCEDURE_PRIOR_SAYS.search(lead.group(0)))
    x = _EVER.sub("", head[lead.end():] if lead else head).strip(" ,")
    if not says_prior and within is None:
        return None
    m = _SURGERY.match(x)
    if m:
        if m.group("major") and within is None and not major_without_window:
            return None
        atom = c.Procedure("surgery", within_days=within)
        return c.All((atom, c.Unparsed("major"))) if m.group("major") else atom
    if _RADIATION.match(x):
        return c.Procedure("radiation", within_days=within)
    m = _RADIATION_KIND.match(x)
    if m and not _QUALIFYING.search(m.group("kind")) and not _NOT_RADIOTHERAPY.search(m.group("kind")):
        # "external beam radiotherapy": any radiation is necessary, the kind is kept unparsed
        return c.All((c.Procedure("radiation", within_days=within), c.Unparsed(m.group("kind"))))
    return None
