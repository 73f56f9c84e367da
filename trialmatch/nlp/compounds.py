"""Compounds: a clause that is a list of parts joined by "," / "or" / "and" is read only when
every part is understood and "and" and "or" are not mixed ("ECOG 0 or 1, or Karnofsky >= 70"
is split at its commas only). Parts share words by coordination ("prior radiotherapy,
chemotherapy, or surgery"; "hepatitis b or c"; "breast or ovarian cancer"), and a washout
window at the end of a list of treatments belongs to all of them."""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.readings import BUILDERS
from trialmatch.nlp.sentences import both_or_open

_WASHOUT_END = re.compile(r"\bwithin (?:the )?(?:last |past |previous |preceding )?\d+ (?:days?|weeks?|months?)\b")
# compiled once here (they run for most clauses and heads)
_HAS_OR = re.compile(r"\bor\b|\band/or\b")
_HAS_AND = re.compile(r"\band\b(?!/or)")
_HAS_OR_AND = re.compile(r"\b(?:or|and)\b")
# A part of a compound that names its own time: in "history of ILD or active pneumonitis" the
# history does not reach "active pneumonitis" (which must be active now).
PRESENT_WORDS = r"(?:(?:a|an|any)\s+)?(?:active|current|currently|ongoing|present|presence of|evidence of|concurrent)\b"
_PRESENT_START = re.compile("^" + PRESENT_WORDS)
_OR_SPLIT = re.compile(r"(\s*(?:,\s*or|,\s*and/or|\s+or|\s+and/or)\s+|\s*,\s*)")
_AND_SPLIT = re.compile(r"(\s*(?:,\s*and|\s+and)\s+|\s*,\s*)")
# "ECOG 0 or 1, or Karnofsky >= 70": the comma marks the outer list; inner "or"/"and" belong to a part
_OUTER_SPLIT = re.compile(r"(\s*,\s*(?:or|and/or|and)\s+|\s*,\s*)")
# "active, non-infectious pneumonitis": a comma between two modifiers of one noun, not a list
_MODIFIERS = frozenset((
    "active", "chronic", "acute", "untreated", "symptomatic", "uncontrolled", "current", "severe", "significant",
    "clinically significant", "progressive", "unstable", "serious", "non-infectious", "noninfectious", "known",
))
# words a list of treatments shares ("prior radiotherapy, chemotherapy, or surgery")
_SHARED_PRIOR = re.compile(
    r"^(?:(?:any )?(?:prior|previous)(?: (?:treatment|therapy) with| exposure to)?|received(?: prior)?|(?:prior )?receipt of)\s+")
_ARTICLE = re.compile(r"^(?:a|an|the)\s+")
# "hepatitis b or c": a short last word of a list shares the words before it
_SHORT_PART = re.compile(r"^[a-z0-9]{1,3}$")


def _modifiers_may_reach(nodes: list[c.Node]) -> bool:
    """"Advanced or metastatic RCC, urothelial cancer, or CRPC": the first part's extent or stage
    may reach the cancers after it; a later cancer read without one would admit any stage."""
    def atoms(n):
        return [a for a in walk(n) if not isinstance(a, (c.All, c.Any, c.Not, c.Unparsed))]

    def staged(n):
        return any(isinstance(a, c.Stage) or (isinstance(a, c.Metastasis) and a.extent) for a in atoms(n))

    first = nodes[0]
    if not (staged(first) and any(isinstance(a, c.CancerType) for a in atoms(first))):
        return False
    return any(any(isinstance(a, c.CancerType) for a in atoms(n)) and not staged(n) for n in nodes[1:])


def _windowed(node: c.Node):
    """The therapy or procedure atom of a node that may take a window ("major surgery" is
    All(Procedure, Unparsed("major"))), or None."""
    if isinstance(node, (c.PriorTherapy, c.Procedure)) and not (isinstance(node, c.PriorTherapy) and
                                                               (node.min_lines or node.max_lines)):
        return node
    if isinstance(node, c.All) and len(node.items) == 2 and isinstance(node.items[1], c.Unparsed) \
            and isinstance(node.items[0], c.Procedure):
        return node.items[0]
    return None


def _with_window(node: c.Node, days: int) -> c.Node:
    if isinstance(node, c.All):
        return c.All((dataclasses.replace(node.items[0], within_days=days),) + node.items[1:])
    return dataclasses.replace(node, within_days=days)


class CompoundReader:
    """The list level of the ClauseParser (a mixin: ``self._build`` offers a clause to the builders)."""

    def _compound(self, clause: Clause, negated: bool = False) -> c.Node | None:
        return self._flat(clause, negated) or self._outer(clause, negated)

    def _flat(self, clause: Clause, negated: bool, builders=BUILDERS) -> c.Node | None:
        """A list joined by one connector ("," / "or" / "and"), every part understood."""
        t = clause.text
        has_or = _HAS_OR.search(t) is not None
        has_and = _HAS_AND.search(t) is not None
        if has_or and has_and:
            return None
        if has_or:
            parts, combine = _list_parts(t, _OR_SPLIT), c.Any
        elif has_and or "," in t:
            parts, combine = _list_parts(t, _AND_SPLIT), c.All
        else:
            return None
        if len(parts) < 2:
            return None
        if clause.historical and any(_PRESENT_START.match(p) for p in parts[:-1]):
            # "history of HIV or active hepatitis B or hepatitis C": is the last "active" or history? not read
            first = next(i for i, p in enumerate(parts) if _PRESENT_START.match(p))
            if any(not _PRESENT_START.match(p) and not self.context.history.match(p) for p in parts[first + 1:]):
                return None
        nodes = []
        for index, p in enumerate(parts):
            last = index == len(parts) - 1
            # a qualifier after the last part may qualify every part: only inner parts take one
            # a qualifier on an inner part may run on past the "or" ("for unresectable or metastatic
            # disease"): parts are whole concepts only
            node = self._part(parts, index, clause, builders, shared_head=not (combine is c.All and clause.section == "exclusion"))
            if node is None and not last and _WASHOUT_END.search(parts[-1]) and not p.startswith("prior "):
                # "major surgery or radiotherapy within 3 weeks": a bare treatment before a washout window
                node = self._build(self._part_clause("prior " + p, clause), builders)
                if _windowed(node) is None:
                    node = None
            if node is None:
                return None
            nodes.append(node)
        # "prior chemotherapy or radiotherapy within 4 weeks": the window may belong to all
        windows = [_has_window(n) for n in nodes]
        if any(windows[:-1]) and not windows[0]:
            # "myocardial infarction or unstable angina within 6 months, or stroke": does the window reach
            # back to the parts before it? Read as theirs or not, an old infarction excluded or did not:
            # not read
            return None
        if windows[-1] and not all(windows):
            # "major surgery or radiotherapy within 3 weeks": a washout window distributes over
            # the treatments listed before it (the labels' reading); anything else is refused
            # ("prior chemotherapy or hepatitis B within 4 weeks": whose window?)
            last = _windowed(nodes[-1])
            if all(isinstance(n, c.Lab) for n in nodes) and not any(windows[:-1]):
                # "total bilirubin <= 3 x ULN or direct bilirubin <= 3 x ULN (obtained <= 28 days prior)":
                # when the labs were measured, said once for the list
                nodes = [dataclasses.replace(n, within_days=nodes[-1].within_days) for n in nodes]
            elif last is None or last.within_days is None or not all(_windowed(n) is not None for n in nodes) \
                    or any(windows[:-1]):
                return None
            else:
                nodes = [_with_window(n, last.within_days) for n in nodes]
        if _modifiers_may_reach(nodes):
            return None
        if all(isinstance(n, c.Age) for n in nodes):
            # "age >= 18 and <= 75": one range; "age >= 40 or <= 80" is not a shape we read
            if negated or combine is c.Any or len(nodes) != 2 or nodes[0].max is not None or nodes[1].min is not None:
                return None
            lo, hi = nodes
            return c.Age(min=lo.min, max=hi.max, min_inclusive=lo.min_inclusive, max_inclusive=hi.max_inclusive)
        if negated and combine is c.All:
            # "no HIV and hepatitis B": neither, Not(Any), never Not(All) (which would admit either alone)
            combine = c.Any
        if combine is c.All and clause.section == "exclusion" and _conditions(nodes):
            return both_or_open(nodes, t)
        if combine is c.Any:
            shared = _shared_qualifier(parts, nodes, clause) or _shared_narrowing(parts, nodes, t)
            if shared is not None:
                return shared
        return combine(tuple(nodes))

    def _outer(self, clause: Clause, negated: bool) -> c.Node | None:
        """"ECOG 0 or 1, or Karnofsky >= 70": the list is split at its commas only, each part read
        whole by one builder (the inner "or" belongs to the part). One outer connector only."""
        pieces = _OUTER_SPLIT.split(clause.text)
        parts, seps = pieces[0::2], pieces[1::2]
        kinds = {"or" if "or" in sep else "and" for sep in seps if sep.strip() != ","}
        if len(kinds) != 1 or len(parts) < 2 or not any(_HAS_OR_AND.search(p) for p in parts):
            return None
        nodes = []
        for p in parts:
            node = self._build(self._part_clause(p, clause))
            if node is None:
                return None
            nodes.append(node)
        if any(_has_window(n) for n in nodes) and not all(_has_window(n) for n in nodes):
            return None  # a window on some parts only: whose is it? not read here
        if _modifiers_may_reach(nodes):
            return None
        combine = c.Any if kinds == {"or"} else c.All
        if negated and combine is c.All:
            combine = c.Any
        if combine is c.All and clause.section == "exclusion" and _conditions(nodes):
            return both_or_open(nodes, clause.text)
        return combine(tuple(nodes))

    def _part_clause(self, p: str, clause: Clause) -> Clause:
        """One part of a list, with its own "history of" ("X or history of Y"), and without the
        list's history when it names its own present ("history of X or active Y")."""
        p = _ARTICLE.sub("", p.strip())
        historical = clause.historical and not _PRESENT_START.match(p)
        m = self.context.history.match(p)
        if m and m.end() < len(p):
            p, historical = p[m.end():].strip(), True
        return Clause(p, clause.terms, clause.section, historical, clause.qualifiers)

    def _part(self, parts: list[str], index: int, clause: Clause, builders, shared_head: bool = True) -> c.Node | None:
        """Part ``index`` of a list read whole, or with the words the list shares (coordination):
        - "prior radiation therapy, chemotherapy, or surgery": the first part's prior-words;
        - "hepatitis b or c": a one-letter part takes the words before the previous part's last;
        - "allogeneic bone marrow or solid organ transplant", "breast or ovarian cancer": a part that
          means nothing alone takes the closing words of the part after it (longest first), when that
          part is the last one ("advanced or metastatic RCC, urothelial cancer, or CRPC": does
          "advanced" reach all three? not read) or a lab ("ALT and AST <= 2.5 x ULN and bilirubin ...");
          never for an "and" list under exclusion ("AST and ALT > 3 x ULN": both, or either?)."""
        sub = self._part_clause(parts[index], clause)
        node = self._build(sub, builders)
        if node is not None or not sub.text:
            return node
        if index > 0:
            m = _SHARED_PRIOR.match(_ARTICLE.sub("", parts[0].strip()))
            if m and not _SHARED_PRIOR.match(sub.text):
                node = self._build(sub.with_text(m.group(0) + sub.text), builders)
                if node is not None and all(isinstance(n, (c.PriorTherapy, c.Procedure, c.All, c.Unparsed))
                                            for n in walk(node)):
                    return node
            if _SHORT_PART.match(sub.text):
                before = _ARTICLE.sub("", parts[index - 1].strip()).split(" ")
                if len(before) >= 2 and not _SHORT_PART.match(before[-2]):
                    node = self._build(sub.with_text(" ".join(before[:-1] + [sub.text])), builders)
                    if node is not None:
                        return node
        if shared_head and index < len(parts) - 1 and len(sub.text.split(" ")) <= 4 and (
                index == len(parts) - 2 or isinstance(self._build(self._part_clause(parts[index + 1], clause), builders), c.Lab)):
            closing = parts[index + 1].strip().split(" ")
            for k in range(max(1, len(closing) - 4), len(closing)):
                node = self._build(sub.with_text(sub.text + " " + " ".join(closing[k:])), builders)
                if node is not None:
                    return node
        return None


def _list_parts(t: str, splitter: re.Pattern) -> list[str]:
    """The parts of a list; "active, non-infectious pneumonitis" stays one part (a comma between
    two modifiers of one noun)."""
    pieces = splitter.split(t)
    parts, seps = pieces[0::2], pieces[1::2]
    out = [parts[0]]
    for sep, p in zip(seps, parts[1:]):
        if sep.strip() == "," and _ARTICLE.sub("", out[-1].strip()) in _MODIFIERS and p.strip() not in _MODIFIERS:
            out[-1] = out[-1].strip() + " " + p.strip()
        elif sep.strip() == "and" and out[-1].endswith("head") and p.startswith("neck"):
            out[-1] = out[-1] + sep + p  # "head and neck": one region
        else:
            out.append(p)
    return [p.strip() for p in out if p.strip()]


def _shared_qualifier(parts: list[str], nodes: list[c.Node], clause: Clause) -> c.Node | None:
    """"Untreated brain or liver metastases": the qualifier before the first site may reach the sites
    after it ("untreated (brain or liver) metastases") or not ("untreated brain, or liver,
    metastases"). The narrower reading (every site qualified) and the wider (the first only) must
    agree, else the item is open: Any(narrow, All(wide, Unparsed)). Read as the wide Any alone, a
    treated liver metastasis excluded (a wrong "ineligible"). Only when the sites share the noun
    (the first part has none of its own) and the qualifier word opens the first part; None when
    the list is no such shape."""
    first = nodes[0]
    if not (isinstance(first, c.Metastasis) and first.site is not None and first.qualifier is not None) \
            or "metasta" in parts[0]:
        return None
    opening = parts[0].strip().split(" ")[0]
    if clause.qualifiers.get(opening) != first.qualifier:
        return None
    narrow = tuple(dataclasses.replace(n, qualifier=first.qualifier)
                   if isinstance(n, c.Metastasis) and n.site is not None and n.qualifier is None else n
                   for n in nodes)
    if narrow == tuple(nodes):
        return None
    if any(not isinstance(n, c.Metastasis) for n in nodes):
        return None  # "untreated brain metastases or spinal cord compression"-like mixes: not read here
    return c.Any((c.Any(narrow), c.All((c.Any(tuple(nodes)), c.Unparsed(clause.text)))))


# words that narrow a condition and may reach every part of the list after them ("clinically
# significant pericardial or pleural effusion"); "active" and "history of" are read as times elsewhere
_NARROWING_START = re.compile(r"^(?:(?:clinically |medically )?(?:significant|relevant)|uncontrolled|poorly controlled|"
                              r"symptomatic|severe|serious|unstable|moderate(?: to severe| or severe)?|chronic|acute|"
                              r"untreated|major|persistent|recent)\b(?:,? (?:and|or|and/or) (?:clinically )?\w+)?")


def _shared_narrowing(parts: list[str], nodes: list[c.Node], text: str) -> c.Node | None:
    """"Clinically significant X or Y": the words may reach Y too (the narrow reading) or not (the
    wide one, which lets a mild Y alone exclude). Both must agree, else the list is open:
    Any(narrow, All(wide, Unparsed)). Only when the later parts are bare conditions."""
    first = _ARTICLE.sub("", parts[0].strip())
    m = _NARROWING_START.match(first)
    if m is None or m.end() == len(first) or not all(isinstance(n, c.Condition) for n in nodes[1:]):
        return None  # (a part of modifiers only, "uncontrolled or poorly controlled X", is read whole)
    words = c.Unparsed(m.group(0))
    narrow = (nodes[0],) + tuple(c.All((n, words)) for n in nodes[1:])
    return c.Any((c.Any(narrow), c.All((c.Any(tuple(nodes)), c.Unparsed(text)))))


def _conditions(nodes: list[c.Node]) -> bool:
    """Whether every part of a list names conditions (or a drug taken now) only ("stroke/TIA and DVT/PE"): in an exclusion,
    "A and B" of conditions almost always means either excludes ("HIV and hepatitis B"), yet may mean
    both; the list is then both-or-open (All cleared every patient with one of them: a wrong "eligible")."""
    for node in nodes:
        atoms = [n for n in walk(node) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
        if not atoms or any(not (isinstance(a, c.Condition) or _current_use(a)) for a in atoms) \
                or any(isinstance(n, c.Not) for n in walk(node)):
            return False
    return True


def _current_use(atom) -> bool:
    """A drug taken now ("currently on anticoagulation"): a state of the patient like a condition, so
    "history of bleeding diathesis and currently on anticoagulation" is a list of two exclusions."""
    return isinstance(atom, c.PriorTherapy) and atom.within_days == 0


def _has_window(node: c.Node) -> bool:
    """A window of its own; current use of a concurrent medication (PriorTherapy ``within_days`` 0,
    "receiving immunosuppressive agents or steroids within 14 days") takes the list's window."""
    return any(getattr(n, "within_days", None) is not None and not (isinstance(n, c.PriorTherapy) and n.within_days == 0)
               for n in walk(node))
