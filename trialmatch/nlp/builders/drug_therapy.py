"""Prior drug or class therapy: "prior X [within N days]", lists of drugs and classes
(known alternatives as atoms, unknown ones Unparsed beside them), lines of therapy, "X including
Y", "naive to X", one adjective narrowing a known therapy (the module docstring of therapy.py)."""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.concurrent_use import current_use, current_use_narrowed, form_of, steroid_dose
from trialmatch.nlp.builders.drug_names import LIST_SPLIT, SYSTEMIC, drug_or_class, resolve_any, resolve_drug
from trialmatch.nlp.builders.procedures import procedure_atom
from trialmatch.nlp.builders.treatment_words import QUALIFYING, THERAPY_WORD, treatment_phrase, window_at_end
from trialmatch.nlp.required_literals import guarded

_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10}
# up to ten (no count of lines is larger): "> 12 weeks", "1.5 x ULN" are no counts and never reach the class lookup
_N = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|10|\d)(?![\d.,])"
# A count of lines (named groups; the normaliser wrote "at least" as ">=", "up to" / "no more than" as "<="):
# ">= 2" (and ">= 2 or more", "at least 2 or more"), "maximum 2" (no "of": the normaliser turns "a maximum
# of" into "<="), "2 or more", "1-3" / "1 to 3", "one or two" (two numbers in a row), ">= 1 but <= 3".
_COUNT = (rf"(?:>= ?(?P<lo_b>{_N}),? (?:but|and) (?P<cmp_b><=|<) ?(?P<hi_b>{_N})"
          rf"|(?P<cmp>>=|<=|>|<|maximum|max\.?) ?(?P<n>{_N})(?P<more> or more)?"
          rf"|(?P<n_more>{_N}) or more"
          rf"|(?P<lo>{_N}) ?(?P<sep>-|to|or) ?(?P<hi>{_N}))")
# "received", "previously treated with", "receipt of", "prior treatment with", "undergone": the lines were
# given (a count says how many)
_COUNT_LEAD = (r"(?:(?:(?:previously |have |has |had )?(?:received|been treated with|treated with|undergone)"
               r"|had|receipt of|(?:had )?(?:prior |previous )?(?:treatment|therapy) with) )?")
# words that do not narrow the lines counted ("prior", "systemic", "standard", "anti-cancer")
_LINE_WORD = (r"(?:prior|previous|systemic|standard|standard[- ]of[- ]care|anti-?cancer|anti-?neoplastic|"
              r"antineoplastic|treatment|therapy|therapeutic)")
_LINES = re.compile(
    rf"^{_COUNT_LEAD}{_COUNT} (?:{_LINE_WORD} )*(?:lines?|regimens?)(?: of)?(?: {_LINE_WORD})*"
    r"(?: therapy| therapies| treatment| treatments)?$"
)
# "at least two prior systemic therapies": a count of prior therapies is a count of lines
_THERAPY_COUNT = re.compile(
    rf"^{_COUNT_LEAD}{_COUNT} (?:prior|previous) (?:systemic |anti-?cancer |antineoplastic )?"
    r"(?:therapy|therapies|treatment|treatments|regimens?|treatment regimens?|therapeutic regimens?)$")
# "at least one prior line of platinum-based chemotherapy", ">= 1 prior platinum-based chemotherapy"
_CLASS_LINES = re.compile(
    rf"^{_COUNT_LEAD}{_COUNT} (?:prior |previous )?(?:(?:lines?|regimens?) of (?:prior |previous )?)?"
    r"(?P<x>.+?)(?: regimens?| lines?)?$")
# compiled once here (the readings below run on most clauses and heads)
_AND = re.compile(r"\band\b(?!/or)")
_OR = re.compile(r"\bor\b|\band/or\b")
_MEMBER_LEAD = re.compile(r"^(?:(?:a|an|any|other|another) )+")
# "X including Y", "X (including investigational X)": an aside in brackets only for investigational ones at the
# end of the phrase (an aside naming another kind, "(including VEGF-targeted therapy)", is left to the clause
# reader's judgment: test_audit_readings)
_INCLUDING = re.compile(r"^(?P<x>.+?)(?:,? (?P<inc>including (?!but\b).+)| \((?P<inc2>including investigational [^()]+)\))$")
_ADJECTIVE = re.compile(r"^(?P<adj>[a-z][a-z-]+) (?P<rest>.+)$")
_HEAD_NOUN = re.compile(r" (inhibitors?|inhibition|antibod(?:y|ies)|agents?|therap(?:y|ies)|blockers?)$")


def therapy_including(clause: Clause, t: str) -> c.Node | None:
    """"prior systemic therapy including investigational agents within 4 weeks": X and more,
    Any(X, Unparsed(including ...)) (labels' reading): X met meets the item, the rest stays unknown."""
    head, within = window_at_end(t)
    m = _INCLUDING.match(head) if "including" in head else None
    if not m:
        return None
    inc = m.group("inc") or m.group("inc2")
    atom = prior_therapy(clause, m.group("x") + (f" within {within} days" if within is not None else ""))
    if atom is None or _INCLUDING_REFUSED.search(inc):
        return None  # "X including Y for metastatic disease": the setting may be X's too
    return c.Any((atom, c.Unparsed(inc)))


_INCLUDING_REFUSED = re.compile(
    r"\b(?:for|in|to|with|within|during|after|before|since|setting|adjuvant|neoadjuvant|metastatic|advanced|line|lines|"
    r"except|excluding|unless|than|only|prior|previous|is|are|not|no|if|when|who|which|that)\b|\d|[;:]")


# "chemotherapy-naive", "naive to anti-EGFR antibodies": not treated with X
_NAIVE = guarded(r"^(?:na[iï]ve to (?P<x1>.+)|(?P<x2>.+?)[- ]na[iï]ve)$")


def naive_to(clause: Clause) -> c.Node | None:
    m = _NAIVE.match(clause.text)
    if not m:
        return None
    x = (m.group("x1") or m.group("x2")).strip()
    atom = resolve_drug(clause, x) or (resolve_drug(clause, THERAPY_WORD.sub("", x)) if THERAPY_WORD.search(x) else None)
    return c.Not(atom) if atom is not None else None


def prior_therapy(clause: Clause, t: str) -> c.PriorTherapy | None:
    """PriorTherapy for "prior X [within N days]" or "X within N days"; None otherwise. A
    concurrent medication needs a window, or words of current use (``current_use``)."""
    now = current_use(clause, t)
    if now is not None:
        return now
    x, within, says_prior = treatment_phrase(t)
    # "history of X therapy" says X was given before, as "prior" does
    if not (clause.historical or says_prior) and within is None:
        return None
    if not x:
        return None
    ok = within is not None
    atom = resolve_drug(clause, x, ok) or (
        resolve_drug(clause, THERAPY_WORD.sub("", x), ok) if THERAPY_WORD.search(x) else None) or (
        form_of(clause, x) if ok else None)
    if atom is None:
        return None
    return dataclasses.replace(atom, within_days=within) if within is not None else atom


# words before a therapy that do not narrow it to a kind: negation, investigational status, a count
# ("one prior systemic therapy" is a count of lines, not a kind of therapy), a verb ("receiving X" is
# under way now)
_NOT_NARROWING = re.compile(r"\b(?:or|and|other|non|not|investigational|experimental|approved|study|novel|unapproved|"
                            r"one|two|three|four|five|single|multiple|several|"
                            r"receive|receiving|take|taking|use|using|get|getting|start|starting|continue|continuing)\b")


def modified_therapy(clause: Clause, t: str) -> c.Node | None:
    """"prior covalent BTK inhibitor": one adjective narrowing a known therapy (labels' reading):
    the therapy is necessary, All(PriorTherapy, Unparsed(adjective)). Also a dose word before a
    concurrent medication taken now (``current_use_narrowed``)."""
    narrowed = current_use_narrowed(clause, t) or steroid_dose(clause, t)
    if narrowed is not None:
        return narrowed
    x, within, says_prior = treatment_phrase(t)
    if not (clause.historical or says_prior):
        return None
    m = _ADJECTIVE.match(x)
    if not m or QUALIFYING.search(m.group("adj")) or _NOT_NARROWING.search(m.group("adj")):
        return None  # investigational agents are no class: "investigational anti-cancer drug" is not "anti-cancer drug"
    atom = prior_therapy(clause, "prior " + m.group("rest") + (f" within {within} days" if within is not None else ""))
    return c.All((atom, c.Unparsed(m.group("adj")))) if atom is not None else None


_BARE_LINES = re.compile(r"\blines?$")


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _count(m: re.Match) -> tuple[int | None, int | None] | None:
    """(min, max) lines of a _COUNT match; None when the words do not make a count."""
    if m.group("lo_b"):  # ">= 1 but <= 3", ">= 1 and < 4"
        lo, hi = _number(m.group("lo_b")), _number(m.group("hi_b"))
        hi = hi - 1 if m.group("cmp_b") == "<" else hi
        return (lo, hi) if lo <= hi else None
    if m.group("cmp"):
        n, cmp = _number(m.group("n")), m.group("cmp")
        cmp = "<=" if cmp.startswith("max") else cmp
        if m.group("more") and cmp != ">=":
            return None  # "<= 2 or more": not a count
        return {">=": (n, None), ">": (n + 1, None), "<=": (None, n), "<": (None, n - 1)}[cmp]
    if m.group("n_more"):
        return (_number(m.group("n_more")), None)
    lo, hi = _number(m.group("lo")), _number(m.group("hi"))
    if lo > hi or (m.group("sep") == "or" and hi != lo + 1):
        return None  # "1 or 3 lines": not a range
    return (lo, hi)


def count_lines(clause: Clause, t: str) -> c.PriorTherapy | None:
    m = _LINES.match(t) or _THERAPY_COUNT.match(t)
    classes: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()
    if not m:
        m = _CLASS_LINES.match(t)
        if not m:
            return None
        atom = resolve_drug(clause, m.group("x"))
        if atom is None or atom.classes == SYSTEMIC or (not atom.classes and not atom.drugs):
            return None  # "systemic therapy" lines are the _LINES shape; anything else unknown
        classes, drugs = atom.classes, atom.drugs
    lines = _count(m)
    if lines is None:
        return None
    if (lines[1] is not None and lines[1] < 0) or not (lines[0] or lines[1] is not None):
        return None  # "< 0 lines"; ">= 0 lines", "0 or more": no bound at all
    if lines[1] is not None and _BARE_LINES.search(t):
        # "<= 2 prior lines" may be the head the qualifier reader cut before "| of cytotoxic therapy": an
        # upper bound on all lines is not necessary for one on some of them (a lower bound is)
        return None
    return c.PriorTherapy(drugs=drugs, classes=classes, min_lines=lines[0] or None, max_lines=lines[1])



def listed_alternatives(clause: Clause, t: str) -> c.Node | None:
    """"prior anti-PD-1, anti-PD-L1, or anti-PD-L2 agent": the named alternatives known to the
    vocabulary are atoms, the others stay Unparsed beside them in an Any (an alternative that
    is met meets the item; one unknown keeps it UNKNOWN, never a wrong "no"). Only a list of
    "or" alternatives whose unknown members are plain names: a member with a setting, a dose
    or a time ("docetaxel in the adjuvant setting"), or naming a known drug with a modifier
    ("weekly paclitaxel"), may qualify the others, and the list is refused."""
    x, within, says_prior = treatment_phrase(t)
    # a window says the treatments were given before, as "prior" does ("major surgery, radiation
    # therapy, or systemic anti-cancer therapy within 3 weeks prior to study entry")
    if not (clause.historical or says_prior or within is not None):
        return None
    if _AND.search(x) or not _OR.search(x):
        return None
    spans, start = [], 0
    for sep in LIST_SPLIT.finditer(x):
        spans.append((start, sep.start()))
        start = sep.end()
    spans.append((start, len(x)))
    known: list[tuple[str, str]] = []
    procedures: list[c.Node] = []
    unknown: list[str] = []
    unknown_spans: list[tuple[int, int]] = []
    qualified_procedure = False
    investigational = False
    # "any MEK or BRAF inhibitor": a head noun written once for the whole list
    # ("MEK, ERK or RAF inhibitor therapy": the head noun before a trailing "therapy")
    head_noun = _HEAD_NOUN.search(x)
    if head_noun and _UNAPPROVED.search(x[spans[-1][0]:]):
        head_noun = None  # "cytotoxic, biologic or other investigational therapy": not cytotoxic therapy at large
    if head_noun and THERAPY_WORD.search(x):
        head_noun = _HEAD_NOUN.search(THERAPY_WORD.sub("", x)) or head_noun
    for a, b in spans:
        part = _MEMBER_LEAD.sub("", x[a:b])
        if not part or part in ("a", "an", "any", "all", "other", "another", "the"):
            return None
        if within is not None and _INVESTIGATIONAL_MEMBER.fullmatch(part):
            # "chemotherapy, immunotherapy, or investigational agents within 28 days": the investigational
            # member is StudyParticipation with the list's window (builders/participation.py)
            investigational = True
            continue
        found = resolve_drug(clause, part, within is not None)
        if found is None and head_noun and not part.endswith(head_noun.group(0)) and " " not in part:
            found = resolve_drug(clause, part + head_noun.group(0), within is not None)
        if found is not None:
            known.extend([("drug", k) for k in found.drugs] + [("class", k) for k in found.classes])
            continue
        sub = Clause("prior " + part, clause.terms, clause.section, clause.historical, clause.qualifiers)
        procedure = procedure_atom(sub, major_without_window=within is not None)
        if _own_window(procedure):
            return None  # "major surgery <= 28 days, or minor surgery <= 7 days": not the list's window
        if isinstance(procedure, c.Procedure) or (isinstance(procedure, c.All) and within is not None):
            procedures.append(procedure)  # "major surgery" (no window of its own) only with the list's
            continue
        words = part.split()
        if (len(words) > 4 or QUALIFYING.search(part) or _NOT_A_TREATMENT.search(part) or clause.terms.key("CONDITION", part)
                or clause.terms.cancer(part)):
            return None
        for k in range(1, len(words)):  # "weekly paclitaxel", "paclitaxel weekly": a known drug qualified
            if drug_or_class(clause, " ".join(words[k:])) or drug_or_class(clause, " ".join(words[:k])):
                return None
            if _PROCEDURE_NOUN.search(" ".join(words[k:])):
                qualified_procedure = True  # "major pelvic surgery or radiotherapy": "pelvic" may qualify both
        unknown.append(part)
        unknown_spans.append((a, b))
    if not known and not procedures:
        return None
    if procedures and (qualified_procedure or (any(_SIZE_WORD.match(u) for u in unknown)
                                               and any(isinstance(p, c.Procedure) and not p.major
                                                       for p in procedures))):
        return None  # "major injuries or surgery": "major" may be the surgery's too
    atoms: list[c.Node] = [c.PriorTherapy(drugs=tuple(dict.fromkeys(k for kind, k in known if kind == "drug")),
                                          classes=tuple(dict.fromkeys(k for kind, k in known if kind == "class")),
                                          within_days=within)] if known else []
    atoms += [_with_window(p, within) for p in procedures]
    if investigational:
        atoms.append(c.StudyParticipation(within_days=within, drug_only=True))
    if (unknown and _OTHER_LAST.match(x[spans[-1][0]:]) and all(_GENERIC_KIND.fullmatch(u) for u in unknown)
            and resolve_any(clause, _MEMBER_LEAD.sub("", x[spans[-1][0]:])) == c.PriorTherapy(classes=SYSTEMIC)):
        # "cytotoxic, biologic or other systemic anticancer therapy": "other" says the members before are
        # kinds of the last one, all systemic anticancer therapy; only generic kinds are taken so (a named
        # target, "CD137 agonists, or any other immune checkpoint inhibitors", or investigational agents
        # the record cannot show, stay Unparsed alternatives)
        unknown = []
    if not unknown:  # every member known once the shared head noun is read
        return c.Any(tuple(atoms)) if len(atoms) > 1 else atoms[0]
    first, last = spans.index(unknown_spans[0]), spans.index(unknown_spans[-1])
    if last - first + 1 == len(unknown):  # one run of the list ("SG or EV"): its words as written
        unknown = [x[unknown_spans[0][0]:unknown_spans[-1][1]]]
    return c.Any((*atoms, c.Unparsed(", ".join(unknown))))


_UNAPPROVED = re.compile(r"\b(?:investigational|experimental|unapproved|non-approved|novel)\b")
_OTHER_LAST = re.compile(r"(?:any )?other (?!investigational|experimental)")
_GENERIC_KIND = re.compile(r"(?:cytotoxic|biologic|biological|biologics|hormonal|targeted)(?: therap(?:y|ies)| agents?| treatments?)?")
_INVESTIGATIONAL_MEMBER = re.compile(
    r"(?:(?:any|an|a|other|any other)(?: other)? )?investigational (?:agents?|agent\(s\)|drugs?|therapy|therapies|"
    r"products?|medicinal products?|compounds?)")


# an unknown list member that is an event or a state, not a treatment ("radiation-related toxicities",
# "has a history of ..."): it may carry its own verb or time, and the list is refused
_NOT_A_TREATMENT = re.compile(r"\b(?:has|have|had|history|requir\w*|related|induced|toxicit\w*|complications?|"
                              r"effects?|pneumonitis)\b")


_PROCEDURE_NOUN = re.compile(r"^(?:surgery|surgical \w+|operation|resection|radiotherapy|radiation(?: therapy)?|irradiation)$")
_SIZE_WORD = re.compile(r"(?:major|minor)\b")


def _own_window(node: c.Node | None) -> bool:
    atom = node.items[0] if isinstance(node, c.All) else node
    return isinstance(atom, c.Procedure) and atom.within_days is not None


def _with_window(node: c.Node, within: int | None) -> c.Node:
    """A procedure of a list given the list's window ("external beam radiotherapy" is
    All(Procedure, Unparsed(kind)))."""
    if isinstance(node, c.All):
        return c.All((dataclasses.replace(node.items[0], within_days=within),) + node.items[1:])
    return dataclasses.replace(node, within_days=within)


# "prior therapy with an anti-PD-1, anti-PD-L1, or anti-PD-L2 agent or with an agent directed to another
# stimulatory or co-inhibitory T-cell receptor": a last alternative that repeats "with" (or names "an
# agent directed to ...") is its own alternative, not a qualifier of the list before it
_OR_WITH = guarded(r",? or (?P<alt>with (?:an?|any) .+|(?:an?|any) agents? directed (?:to|against) .+)$")
_OR_WITH_REFUSED = re.compile(r"\b(?:within|days?|weeks?|months?|years?|prior to|before|after|since|setting|"
                              r"adjuvant|metastatic|advanced|dose|except|unless|and)\b|\d")


def or_with_alternative(clause: Clause, t: str) -> c.Node | None:
    """Any(the list read, Unparsed(the last alternative)): an alternative met meets the item, the
    unknown one keeps it UNKNOWN. Refused when that alternative names a time, setting or dose (it
    may then be the whole list's) or joins with "and"."""
    m = _OR_WITH.search(t)
    if not m or _OR_WITH_REFUSED.search(m.group("alt")) or re.search(r"\b(?:directed|targeting|against|to|of|for)$",
                                                                      m.group("alt")):
        return None  # "... or with an agent directed": a clause cut before what follows
    head = t[:m.start()]
    node = prior_therapy(clause, head) or listed_alternatives(clause, head)
    if node is None:
        return None
    known = node.items if isinstance(node, c.Any) else (node,)
    return c.Any((*known, c.Unparsed(m.group("alt"))))
