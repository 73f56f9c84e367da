"""From one item's text to a node: exceptions, sentences, subject words, negation,
compounds, then the builders.

- An exception clause ("unless", "except", "Note:", "... are eligible") is kept unparsed:
  in an inclusion the item becomes Any(head, Unparsed(exception)), in an exclusion
  All(head, Unparsed(exception)) (then wrapped in Not), so the head decides only in the
  direction the exception cannot change.
- Sentences that are not understood stay as Unparsed parts of an All.
- Compounds are split on ";", "or", "and" only when every part is understood and "and" and
  "or" are not mixed.
"""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.assessment import build_assessment
from trialmatch.nlp.builders.clinical import build_condition, build_metastasis, build_pregnancy
from trialmatch.nlp.builders.disease import build_disease
from trialmatch.nlp.builders.labs import build_lab
from trialmatch.nlp.builders.person import build_age, build_performance, build_sex
from trialmatch.nlp.builders.therapy import build_procedure, build_therapy
from trialmatch.nlp.context import Context
from trialmatch.nlp.normalize import normalize
from trialmatch.nlp.terms import Terms

BUILDERS = (build_age, build_sex, build_performance, build_lab, build_pregnancy, build_metastasis,
            build_condition, build_therapy, build_procedure, build_disease, build_assessment)

# "Women of childbearing potential must ...": a subject word, not a requirement on sex
QUALIFIED_BUILDERS = tuple(b for b in BUILDERS if b is not build_sex)

_SUBJECT_STEPS = tuple(re.compile(p) for p in (
    r"^(?:(?:male or female|female or male|adult|female|male|eligible|all|any)\s+)?(?:patients?|participants?|subjects?|"
    r"individuals?|persons?|people|candidates?)\b,?\s*",
    # "men and women >= 18 years": both sexes, no requirement on sex
    r"^(?:men and women|women and men|males and females|females and males|male and female|female and male)"
    r"(?:\s+(?:patients?|participants?|subjects?|adults?|individuals?))?,?\s+(?=aged?\b|>=|>|\d|who\b|must\b|with\b|of\b)",
    r"^(?:men|women|adults?)\s+(?=who\b|that\b|with\b|must\b|should\b|aged?\b)",
    r"^(?:who|that)\s+(?!performance|ps\b)",
    r"^(?:must|should|shall|will|need to|needs to|are required to|is required to|is|are)\s+(?:also\s+)?",
    r"^(?:have|has|having|be|been|present with|with|show|demonstrate|exhibit)\s+",
    r"^(?:a|an|the)\s+",
))
# "(ANC)", "[HR+]", "(ECOG PS)": one or two short words, none that limits ("for adults", "if any")
_ABBREVIATION = re.compile(
    r"\s*[(\[](?!(?:for|if|in|only|not|no|except|unless|when|with|without|any|all|or|and)\b)"
    r"[a-z][a-z0-9\-+/&]{0,11}(?: (?!(?:for|if|in|only|not|no|except|unless|when|with|without|any|all|or|and)\b)"
    r"[a-z][a-z0-9\-+/&]{0,5})?[)\]](?=[\s,.;:]|$)"
)
_UNIT_EQUIVALENT = re.compile(
    r"\s*[(\[](?:or |i\.e\.,? |equivalent to )?(?:>=|<=|>|<)?\s*\d+(?:\.\d+)?\s*(?:x10\^\d/[a-z0-9]+|/mm3|/ul|g/dl|g/l|mg/dl|umol/l|"
    r"mmol/l|ml/min[^)\]]*|u/l|%)[)\]]"
)
# words that open a qualifier of what precedes them ("... to the region of", "... that is progressing")
_QUALIFIER_STARTS = frozenset((
    "to", "for", "in", "of", "that", "which", "who", "with", "as", "per", "according", "defined", "at", "on", "by",
    "due", "administered", "given", "requiring", "required", "documented", "confirmed", "measured", "assessed",
    "treated", "based", "from", "during", "after", "before", "prior", "without", "while", "using", "via",
    "performed", "obtained", "done", "determined", "evaluated", "within",
))
# "(e.g., palbociclib)": examples of the term before them; the term alone keeps the meaning
_EXAMPLES = re.compile(r"\s*[(\[](?:e\.g\.?|eg\.?|for example|such as|including)[,:]?\s[^()\[\]]*[)\]]")
_ADEQUATE = re.compile(
    r"^(?:adequate|sufficient|normal|acceptable) (?:(?:renal|kidney|hepatic|liver|bone marrow|hematologic|haematologic|hematological|"
    r"marrow|organ|coagulation|blood)(?:,? and |, |/| ))+(?:function|reserve|parameters)(?: tests?)?,?:? ?(?:as )?"
    r"(?:defined as|defined by|evidenced by|demonstrated by|indicated by|with|i\.e\.,?|by)?:? ?(?P<rest>\(.+\)|[a-z].+)$")
# "(non-infectious) pneumonitis": a modifier the lexicon reads, in brackets
_BRACKETED_MODIFIER = re.compile(r"\((non-?infectious|noninfectious)\)")
_NOT_ELIGIBLE = re.compile(r"\s+(?:are|is|will be) (?:not eligible|ineligible|excluded)(?: from (?:this|the) (?:study|trial))?[.;]?\s*$")
_TRAILING_ASIDE = re.compile(r"\s*\((?!(?:or|and/or|if|for|unless|except|otherwise|i\.e|e\.g|<|>|\d))[^()]{3,200}\)$")
_WASHOUT_END = re.compile(r"\bwithin (?:the )?(?:last |past |previous |preceding )?\d+ (?:days?|weeks?|months?)\b")
_MEMO_SIZE = 50_000
_CLAUSE_JOIN = re.compile(r",? (or|and) (?=(?:has|have|had|is|are|was|were|has had|have had|current|currently|active|ongoing) )")
_WINDOW = re.compile(r"\bwithin (?:the )?(?:last |past |previous )?\d")
_SENTENCE = re.compile(r"(?<=[a-z0-9)%\]])\.\s+(?=[a-z(])|;\s+")


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


class ClauseParser:
    def __init__(self, terms: Terms, context: Context):
        self.terms = terms
        self.context = context
        # items recur across trials (boilerplate): the node of an item text, per section. Nodes
        # are frozen, so sharing one is safe; the cache is bounded.
        self._memo: dict[tuple[str, str], c.Node | None] = {}
        self._built: dict[tuple, c.Node | None] = {}  # clause -> builder answer (heads recur across items)

    # ---- one item -------------------------------------------------------------------
    def parse_text(self, raw: str, section: str) -> c.Node | None:
        """A node for an item's text (may contain Unparsed parts), or None if nothing in it
        is understood."""
        key = (raw, section)
        if key in self._memo:
            return self._memo[key]
        node = self._parse_text(raw, section)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = node
        return node

    def _parse_text(self, raw: str, section: str) -> c.Node | None:
        cut = self.context.exception_at(raw.lower())
        if cut is not None:
            # "X. Participants with treated Y may participate": the exception is the whole sentence
            boundary = max(raw.rfind(". ", 0, cut), raw.rfind("; ", 0, cut))
            if boundary > 0:
                cut = boundary + 2
        head, tail = (raw[:cut], raw[cut:].strip()) if cut is not None else (raw, None)
        if tail is not None and not head.strip(" ,;:.(-"):
            return None
        head_node = self._sentences(normalize(head.rstrip(" ,;:(-")), section)
        if head_node is None:
            return None
        if tail is None:
            return head_node
        rest = c.Unparsed(tail)
        if section == "inclusion":
            return c.Any((head_node, rest))
        return c.All((head_node, rest))

    def _sentences(self, text: str, section: str) -> c.Node | None:
        sentences = [s for s in _SENTENCE.split(text.strip()) if s.strip(" .;")]
        if len(sentences) <= 1:
            return self.parse_clause(text, section)
        nodes: list[c.Node] = []
        understood = False
        for s in sentences:
            node = self.parse_clause(s, section)
            if node is None:
                nodes.append(c.Unparsed(s.strip(), non_clinical=self.context.non_clinical(s)))
            else:
                understood = True
                nodes.append(node)
        return c.All(tuple(nodes)) if understood else None

    # ---- one clause -----------------------------------------------------------------
    def parse_clause(self, text: str, section: str) -> c.Node | None:
        if section == "exclusion":
            text = _NOT_ELIGIBLE.sub("", text)  # "patients who have received X are not eligible": X, excluded
        t, negated, historical = self.prepare(text)
        if not t:
            return None
        clause = Clause(t, self.terms, section, historical, self.context.qualifiers)
        node = self._build(clause) or self._compound(clause) or self._adequate(clause)
        if node is None:
            joined = self._clauses(text, section)  # each clause reads its own subject, negation and history
            if joined is not None:
                return joined
            node = self._qualified(clause)
        if node is None:
            return None
        if negated and isinstance(node, c.PriorTherapy) and not (node.drugs or node.classes or node.within_days):
            # "not more than three prior lines" = at most three lines: the count, not its negation
            lo, hi = node.min_lines, node.max_lines
            if lo is not None and hi is None and lo > 1:
                return c.PriorTherapy(max_lines=lo - 1)
            if hi is not None and lo is None:
                return c.PriorTherapy(min_lines=hi + 1)
        if negated and isinstance(node, c.All) and any(
                isinstance(n, c.PriorTherapy) and (n.min_lines or n.max_lines) for n in node.items):
            return None  # "not more than three lines for metastatic disease": a bound on some lines only
        return c.Not(node) if negated else node

    def _clauses(self, t: str, section: str) -> c.Node | None:
        """"a history of X that required steroids or has current Y": two clauses, each with its own
        verb, joined by one connector; each must be understood on its own."""
        pieces = _CLAUSE_JOIN.split(t.strip().rstrip(".;:,* "))
        if len(pieces) < 3:
            return None
        connectors = set(pieces[1::2])
        if len(connectors) != 1:
            return None
        nodes = []
        for part in pieces[0::2]:
            node = self.parse_clause(part, section)
            if node is None:
                return None
            nodes.append(node)
        return c.Any(tuple(nodes)) if connectors == {"or"} else c.All(tuple(nodes))

    def _adequate(self, clause: Clause) -> c.Node | None:
        """"adequate renal function (creatinine clearance >= 50 ml/min)": the lab values named
        are the requirement; the heading words add nothing. Only when every atom read is a Lab."""
        m = _ADEQUATE.match(clause.text)
        if not m or not m.group("rest").strip():
            return None
        rest = m.group("rest").strip().strip("()").strip()
        sub = Clause(rest, clause.terms, clause.section, clause.historical, clause.qualifiers)
        node = self._build(sub) or self._compound(sub)
        if node is None or not all(isinstance(n, (c.Lab, c.All, c.Any)) for n in walk(node)):
            return None
        return node

    def prepare(self, text: str) -> tuple[str, bool, bool]:
        t = text.strip().rstrip(".;:,* ")
        t = re.sub(r"(?:;|,)?\s+(?:and|or)$", "", t)
        t = _UNIT_EQUIVALENT.sub("", t)
        t = _EXAMPLES.sub("", t)
        t = _BRACKETED_MODIFIER.sub(r"\1", t)
        t = _ABBREVIATION.sub("", t)
        t = re.sub(r"\s+", " ", t).strip()
        negated = historical = False
        for _ in range(6):
            before = t
            for step in _SUBJECT_STEPS:
                t = step.sub("", t, count=1)
            m = self.context.negation.match(t)
            if m and m.end() > 0:
                if negated:
                    return "", False, False  # a double negation: not a shape we read
                negated, t = True, t[m.end():]
            m = self.context.history.match(t)
            if m:
                historical, t = True, t[m.end():]
            if t == before:
                break
        return t.strip(), negated, historical

    def _build(self, clause: Clause, builders=BUILDERS) -> c.Node | None:
        key = (clause.text, clause.section, clause.historical, builders is BUILDERS)
        if key in self._built:
            return self._built[key]
        found = None
        for builder in builders:
            node = builder(clause)
            if node is not None:
                found = node
                break
        if len(self._built) >= _MEMO_SIZE * 4:
            self._built.clear()
        self._built[key] = found
        return found

    def _qualified(self, clause: Clause) -> c.Node | None:
        """The qualifier pattern: "prior radiotherapy | to the region of the study cancer" ->
        All(atom, Unparsed(qualifier)). The atom is a necessary condition of the clause, so
        the item decides only where the qualifier cannot matter. Cut only before a word that
        opens a qualifier, never before "or" (an alternative)."""
        paren = _TRAILING_ASIDE.search(clause.text)
        if paren:
            # "hemoglobin >= 10 g/dl (no blood transfusions in the preceding 28 days)": a narrowing aside;
            # never one that opens an alternative ("(or >= 1.0 for ...)")
            head = clause.text[:paren.start()].rstrip(",;: ")
            node = self._build(Clause(head, clause.terms, clause.section, clause.historical, clause.qualifiers),
                               QUALIFIED_BUILDERS)
            if node is not None:
                aside = paren.group(0).strip()
                if _WINDOW.search(aside) and isinstance(node, (c.PriorTherapy, c.Procedure, c.Lab)) and node.within_days is None:
                    if not re.match(r"\((?:no|without|not)\b", aside):
                        return None
                return c.All((node, c.Unparsed(aside)))
        words = clause.text.split(" ")
        for k in range(len(words) - 1, 0, -1):
            if words[k] not in _QUALIFIER_STARTS or words[k - 1] in ("or", "and/or", "and"):
                continue
            head = " ".join(words[:k]).rstrip(",;: ")
            sub = Clause(head, clause.terms, clause.section, clause.historical, clause.qualifiers)
            node = self._build(sub, QUALIFIED_BUILDERS)
            if node is not None:
                rest = " ".join(words[k:])
                if words[k] not in ("that", "which", "who", "whose") and (
                        _CLAUSE_JOIN.search(rest) or re.search(r",\s*(?:or|and/or)\b", rest)):
                    # "X requiring steroids, or current Y": an alternative without X, X is not necessary
                    # (a relative clause, "X that is progressing or has required ...", stays about X)
                    return None
                if _WINDOW.search(rest) and isinstance(node, (c.PriorTherapy, c.Procedure, c.Lab)) and node.within_days is None:
                    return None  # "X for cancer ... within 14 days": the window is X's, not read here
                return c.All((node, c.Unparsed(rest)))
        return None

    def _compound(self, clause: Clause) -> c.Node | None:
        t = clause.text
        has_or = re.search(r"\bor\b|\band/or\b", t) is not None
        has_and = re.search(r"\band\b(?!/or)", t) is not None
        if has_or and has_and:
            return None
        if has_or:
            parts = re.split(r"\s*(?:,\s*or|,\s*and/or|\s+or|\s+and/or)\s+|\s*,\s*", t)
            combine = c.Any
        elif has_and or "," in t:
            parts = re.split(r"\s*(?:,\s*and|\s+and)\s+|\s*,\s*", t)
            combine = c.All
        else:
            return None
        if len(parts) < 2:
            return None
        nodes = []
        for index, p in enumerate(parts):
            sub = Clause(p.strip(), clause.terms, clause.section, clause.historical, clause.qualifiers)
            last = index == len(parts) - 1
            # a qualifier after the last part may qualify every part: only inner parts take one
            # a qualifier on an inner part may run on past the "or" ("for unresectable or metastatic
            # disease"): parts are whole concepts only
            node = self._build(sub)
            if node is None and not last and _WASHOUT_END.search(parts[-1]) and not sub.text.startswith("prior "):
                # "major surgery or radiotherapy within 3 weeks": a bare treatment before a washout window
                node = self._build(Clause("prior " + sub.text, clause.terms, clause.section, clause.historical,
                                          clause.qualifiers))
                if _windowed(node) is None:
                    node = None
            if node is None:
                return None
            nodes.append(node)
        # "prior chemotherapy or radiotherapy within 4 weeks": the window may belong to all
        windows = [getattr(_windowed(n), "within_days", None) is not None for n in nodes]
        if windows[-1] and not all(windows):
            # "major surgery or radiotherapy within 3 weeks": a washout window distributes over
            # the treatments listed before it (the labels' reading); anything else is refused
            days = _windowed(nodes[-1]).within_days
            if not all(_windowed(n) is not None for n in nodes) or any(windows[:-1]):
                return None
            nodes = [_with_window(n, days) for n in nodes]
        if all(isinstance(n, c.Age) for n in nodes):
            # "age >= 18 and <= 75": one range; "age >= 40 or <= 80" is not a shape we read
            if combine is c.Any or len(nodes) != 2 or nodes[0].max is not None or nodes[1].min is not None:
                return None
            lo, hi = nodes
            return c.Age(min=lo.min, max=hi.max, min_inclusive=lo.min_inclusive, max_inclusive=hi.max_inclusive)
        return combine(tuple(nodes))

