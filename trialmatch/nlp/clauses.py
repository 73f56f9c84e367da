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
# an aside that says more than an abbreviation: a stage or a TNM category ("carcinoma (stage
# II-III)", "NSCLC (N0-2)"); dropped, the clause would read broader than written. Marker asides
# ("microsatellite instability-high (MSI-H)") restate the words before them and go.
_CLINICAL_ASIDE = re.compile(r"\bstage\b|\b[tnm][0-4x]")
_STAGE_OR_EXTENT = re.compile(_CLINICAL_ASIDE.pattern + r"|\bstages\b|\bmetasta|\badvanced\b")


def _narrows(aside: re.Match, text: str) -> bool:
    """Whether an abbreviation-like aside must stay: a stage or TNM aside in a clause that names no
    stage or extent elsewhere ("Metastatic (stage IV)" restates; "stage III or IV melanoma (Stage
    IV)" contradicts: neither is read as a narrowing)."""
    rest = text[:aside.start()] + text[aside.end():]
    return bool(_CLINICAL_ASIDE.search(aside.group(0))) and not _STAGE_OR_EXTENT.search(rest)


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
# compiled once here (they run for most clauses and heads)
_HAS_OR = re.compile(r"\bor\b|\band/or\b")
_HAS_AND = re.compile(r"\band\b(?!/or)")
_HAS_OR_AND = re.compile(r"\b(?:or|and)\b")
_COMMA_OR = re.compile(r",\s*(?:or|and/or)\b")
_TRAILING_CONNECTOR = re.compile(r"(?:;|,)?\s+(?:and|or)$")
_SPACES = re.compile(r"\s+")
_UNKNOWN = object()  # not in a memo
# "Patients with X | are eligible / may participate": a permission, no requirement
_PERMISSIVE = re.compile(
    r"(?:(?:are|is|will be|may be|would be|remain|be) (?:also )?(?:eligible|allowed|permitted)"
    r"(?: (?:to participate|to enrol|to enroll|for (?:this|the) (?:study|trial)|for enrol?ment))?"
    r"|may (?:participate|enrol|enroll|be enrolled|be included)|can be included)"
    r"(?:[.,;:]|\s+(?:if|provided|as long as|when|unless|but|after|only|in)\b|\s*$)")
# "Participants with known diabetes ... must show ...": a requirement of a subgroup ("Subjects with
# relapsed CLL ... and must have received a BTK inhibitor" requires both: not this)
_MODAL = re.compile(r"\b(?:must|should|need to|needs to|are required|is required|will need|will be required|have to)\b")
_CONDITIONAL = re.compile(
    r"^\s*(?:patients?|participants?|subjects?|women|men|those|individuals?|females?|males?)\s+"
    r"(?:with|who have|who has|who had|on|receiving|taking|that have)\b(?:(?!\band (?:must|should)\b).)*?" + _MODAL.pattern)
# a sentence after an exception that widens it further ("... may be considered eligible")
_PERMISSION = re.compile(r"\b(?:eligible|allowed|permitted|acceptable|may (?:participate|enrol|enroll|be enrolled|be included))\b")
_REFUSAL = re.compile(r"\b(?:not|never) (?:be )?(?:eligible|allowed|permitted|acceptable)\b|\bineligible\b")
# "Patients with X", "Participants positive for HIV": a subgroup (not "Women and men >= 18 years old are eligible")
_SUBGROUP = re.compile(r"^\s*(?:(?:male |female )?(?:patients?|participants?|subjects?|individuals?|persons?|people|women|men|those)"
                       r"\s+(?:(?:who|that)\s+(?:have|has|had|are|is|were)\b|with\b|having\b|positive\b|known\b|serologically\b|"
                       r"diagnosed\b|previously\b|on\b|receiving\b|taking\b))")
_CLAUSE_JOIN = re.compile(r",? (or|and) (?=(?:has|have|had|is|are|was|were|has had|have had|current|currently|active|ongoing|not|no) )")
_WINDOW = re.compile(r"\bwithin (?:the )?(?:last |past |previous )?\d")
_ALTERNATIVE_START = re.compile(r"^\s*(?:or|and/or)\s+", re.I)  # a sentence "; or Y" offers Y instead
_ALTERNATIVE_END = re.compile(r"\s+(?:or|and/or)[\s.;]*$", re.I)  # "X or. Y": a sentence ending in "or"
_SENTENCE = re.compile(r"(?<=[a-z0-9)%\]])\.\s+(?=[a-z(])|;\s+")
# A part of a compound that names its own time: in "history of ILD or active pneumonitis" the
# history does not reach "active pneumonitis" (which must be active now).
_PRESENT_WORDS = r"(?:(?:a|an|any)\s+)?(?:active|current|currently|ongoing|present|presence of|evidence of|concurrent)\b"
_PRESENT_START = re.compile("^" + _PRESENT_WORDS)
_PRESENT_PART = re.compile(r"(?:,|\bor\b|\band/or\b|\band\b)\s+" + _PRESENT_WORDS)
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
# Phrases that add nothing to what the record can answer: when the protocol checks the criterion
# ("at screening", "prior to registration"), who judges it ("as determined by the investigator"),
# where it is written ("see section 5.2"). Never a window: "within 28 days" stays with its atom.
_FILLERS = tuple(re.compile(p) for p in (
    r",?\s*\((?:see|refer to|as defined in|as described in|per|defined in) (?:section|appendix|table|protocol section)[^()]*\)$",
    r",?\s*(?:\(|\[)?(?:see|refer to) (?:section|appendix|table) [0-9a-z.]+(?:\)|\])?$",
    r",?\s*(?:as )?(?:determined|judged|assessed|deemed|evaluated) by (?:the )?(?:treating |enrolling |site |local )?"
    r"(?:investigator|physician|clinician|oncologist|study doctor)s?$",
    r",?\s*(?:per|according to|as per) (?:the )?(?:institutional|local|site|institution's|institution) "
    r"(?:standards?|guidelines?|criteria|practice|standard of care|laboratory|lab|normal ranges?|polic(?:y|ies))$",
    r",?\s*(?:at|during) (?:the )?(?:time of )?screening(?: visit)?$",
    r",?\s*at (?:the )?time of (?:study )?(?:enrollment|enrolment|registration|randomi[sz]ation|entry|study entry|inclusion|"
    r"consent|screening|signing (?:the )?(?:informed )?consent(?: form)?)$",
    r",?\s*(?:prior to|before|at) (?:the )?(?:study )?(?:registration|enrollment|enrolment|randomi[sz]ation|study entry|entry)$",
))


_KNOWN = re.compile(r"^known,?\s+(?!(?:or|and|and/or|to|by|as|in|at|for|if|that|with)\b|/)(?![^,;]*\bstatus\b)")
_ANY = re.compile(r"^any\s+(?!(?:of|one|two|three|other than|time|stage|grade|number|type|line|amount|dose|level|age|sex|"
                  r"gender|ecog|performance|histolog\w*)\b|\d)")


_WORD = re.compile(r"[a-z0-9][a-z0-9'+/-]*[a-z0-9+]|[a-z0-9]")
_MAX_PHRASE_WORDS = 5
_ABBREVIATED = re.compile(r"\b[A-Z]{3,8}\b")
_CANCER_WORD = re.compile(r"\b(?:cancers?|carcinomas?|tumou?rs?|malignanc(?:y|ies)|neoplasms?|sarcomas?|lymphomas?|leuka?emias?|melanomas?|myelomas?)\b")
_PHRASES: dict[int, frozenset] = {}


def _concept_phrases(terms: Terms) -> frozenset:
    """The lexicon's condition, lab and marker phrases (exact literals), once per Terms."""
    found = _PHRASES.get(id(terms))
    if found is None:
        found = frozenset(p for label in ("CONDITION", "LAB", "MARKER") for p in terms.literals.get(label, {})
                          if len(p) > 2 and len(p.split(" ")) <= _MAX_PHRASE_WORDS)
        _PHRASES.clear()
        _PHRASES[id(terms)] = found
    return found


# Under an exclusion heading, "No X" and "must not have X" restate the exclusion of X (the labels'
# reading); "without X", "cannot X", "did not X" say that lacking X excludes (read as written);
# a bare "Not X" or "No evidence of X" could be either and stays unparsed.
_MODAL_NEGATION = re.compile(
    r"^(?:(?:patients?|participants?|subjects?|individuals?|women|men|females?|males?|candidates?|the|who|they|he|she)\s+){0,3}"
    r"(?:must|may|should|shall|will)\s+(?:not|never)\b")
# "No X": X restated as excluded only when X is a harm (a condition, a metastatic site, pregnancy, a
# treatment inside a washout window); "No measurable disease" under exclusion means lacking it excludes
_NO = re.compile(r"^no\b(?!\s+evidence\b)")
_REDUNDANT = re.compile(_MODAL_NEGATION.pattern + "|" + _NO.pattern)
_DOUBTFUL_NEGATION = re.compile(r"^(?:not|no evidence of|free of)\b")


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


def _implies(head: c.Node, atom: c.Node) -> bool:
    """Whether meeting ``atom`` always meets ``head`` (same concept, no narrower)."""
    if type(head) is not type(atom):
        return False
    if isinstance(head, c.Condition):
        return head.keys == atom.keys and (not head.active_only or atom.active_only) and (
            head.within_days is None or (atom.within_days is not None and atom.within_days <= head.within_days))
    if isinstance(head, (c.PriorTherapy, c.Procedure)):
        return dataclasses.replace(head, within_days=None) == dataclasses.replace(atom, within_days=None) and (
            head.within_days is None or (atom.within_days is not None and atom.within_days <= head.within_days))
    if isinstance(head, c.Metastasis):
        return head.site == atom.site and head.extent == atom.extent and head.qualifier in (None, atom.qualifier)
    return head == atom


def _harm_only(node: c.Node) -> bool:
    atoms = [n for n in walk(node) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
    return bool(atoms) and all(
        isinstance(n, (c.Condition, c.Pregnancy)) or (isinstance(n, c.Metastasis) and n.site is not None)
        or (isinstance(n, (c.PriorTherapy, c.Procedure)) and n.within_days is not None) for n in atoms)


def _strip_fillers(t: str) -> str:
    for _ in range(3):
        before = t
        for rx in _FILLERS:
            t = rx.sub("", t).rstrip(" ,;:")
        if t == before:
            break
    return t


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
        if tail is not None and _PERMISSIVE.match(tail.lower()) and _SUBGROUP.match(head.lower()) \
                and not re.search(r"\b(?:who|that|which)\s*$", head.lower()):
            return None  # "Participants with treated brain metastases are eligible": restricts nobody (labels: unparsed)
        head_node = self._sentences(normalize(head.rstrip(" ,;:(-")), section)
        if head_node is None:
            return None
        if tail is None:
            return head_node
        low = tail.lower()
        spans = _sentence_spans(low) if len(low) == len(tail) else []
        after = low[spans[1][0]:] if len(spans) > 1 else ""
        if after and not (_PERMISSION.search(after) and not _REFUSAL.search(after)) \
                and self.parse_clause(normalize(after), section) is not None:
            # "HbA1c > 10% in participants with diabetes. HbA1c > 8% in those undiagnosed.": a later
            # sentence states a condition of its own (not one more exception: "... may be considered
            # eligible"); it may belong to the exception or stand alone. Both readings must agree,
            # else the item is open (never the lenient reading alone)
            exception, later = c.Unparsed(tail[:spans[1][0]].strip()), c.Unparsed(tail[spans[1][0]:].strip())
            if section == "inclusion":
                return c.All((c.Any((head_node, exception)), later))
            return c.Any((c.All((head_node, exception)), later))
        rest = c.Unparsed(tail)
        if section == "inclusion":
            return c.Any((head_node, rest))
        return c.All((head_node, rest))

    def _sentences(self, text: str, section: str) -> c.Node | None:
        text = text.strip()
        spans = _sentence_spans(text)
        alternatives = [bool(_ALTERNATIVE_START.match(text[a:b]) or _ALTERNATIVE_END.search(text[pa:pb]))
                        for (pa, pb), (a, b) in zip(spans, spans[1:])]
        lead = next((i for i, (a, b) in enumerate(spans) if ":" in text[a:b]), None)
        if lead is not None and True in alternatives[lead:]:
            # "anyone who meets the following criteria: 1) ...; or 2) ...": the alternatives after a
            # lead-in are its own, not the item's
            spans = spans[:lead] + [(spans[lead][0], len(text))]
            alternatives = alternatives[:lead]
        if len(spans) <= 1:
            return self.parse_clause(text, section)
        sentences = [text[a:b] for a, b in spans]
        if any(alternatives):
            # "X; or Y", "A; B; or C": the parts are alternatives. When only some of them are,
            # how they combine is not said.
            if not (all(alternatives) or alternatives.index(True) == len(alternatives) - 1):
                return None
            bare = [_ALTERNATIVE_END.sub("", _ALTERNATIVE_START.sub("", s)) for s in sentences]
            nodes = [self.parse_clause(s, section) for s in bare]
            if all(n is None for n in nodes):
                return None
            return c.Any(tuple(n if n is not None else c.Unparsed(s.strip()) for n, s in zip(nodes, sentences)))
        nodes: list[c.Node] = []
        understood = False
        for s in sentences:
            node = self.parse_clause(s, section)
            if node is None:
                nodes.append(c.Unparsed(s.strip(), non_clinical=self.non_clinical(s)))
            else:
                understood = True
                nodes.append(node)
        if not understood:
            return None
        if section == "exclusion" and not any(isinstance(n, c.Unparsed) for n in nodes):
            # "Active infection. HIV." excludes on each sentence; "Prior surgery. Recovered from it."
            # only on both. Which is meant is not said: both parts true excludes, both false does
            # not, one of them leaves the item open (never the lenient All alone: a wrong "eligible").
            # A sentence not understood at all is mostly a definition or an exception of the one
            # before ("Replacement therapy is not considered systemic treatment"): All stands.
            return c.Any((c.All(tuple(nodes)), c.All((c.Any(tuple(nodes)), c.Unparsed(text.strip())))))
        return c.All(tuple(nodes))

    def non_clinical(self, text: str) -> bool:
        """Whether a text no record answers (consent, contraception, logistics: the context rules)
        names no clinical concept either: no phrase of it is a condition, lab, marker or cancer the
        lexicon or the vocabulary knows ("... unstable angina ... that would limit compliance" is clinical)."""
        if not self.context.non_clinical(text):
            return False
        # "NSCLC", "PDAC": a cancer's abbreviation, written in capitals
        if any(self.terms.cancer(w.lower()) for w in _ABBREVIATED.findall(text)):
            return False
        words = _WORD.findall(text.lower())
        phrases = _concept_phrases(self.terms)
        for i in range(len(words)):
            for n in range(1, min(_MAX_PHRASE_WORDS, len(words) - i) + 1):
                phrase = " ".join(words[i:i + n])
                if phrase in phrases or (_CANCER_WORD.search(phrase) and self.terms.cancer(phrase)):
                    return False
        return True

    # ---- one clause -----------------------------------------------------------------
    def parse_clause(self, text: str, section: str) -> c.Node | None:
        node = self._clause(text, section)
        if node is None or section != "inclusion" or not _CONDITIONAL.match(text.strip().lower()):
            return node
        # "Participants with known diabetes ... must show controlled disease": a requirement of the
        # subgroup only; the subgroup is no requirement (All would make diabetes necessary, a wrong
        # "ineligible"): Any(Not(subgroup), requirement). Any other shape is not read.
        last = node.items[-1] if isinstance(node, c.All) else None
        if isinstance(last, c.Unparsed) and _MODAL.search(last.text.lower()):
            head = node.items[:-1]
            return c.Any((c.Not(head[0] if len(head) == 1 else c.All(head)), last))
        return None

    def _clause(self, text: str, section: str) -> c.Node | None:
        if section == "exclusion":
            text = _NOT_ELIGIBLE.sub("", text)  # "patients who have received X are not eligible": X, excluded
        t, negated, historical = self.prepare(text, section)
        if not t:
            return None
        clause = Clause(t, self.terms, section, historical, self.context.qualifiers)
        node = self._whole(clause, negated)
        if node is None:
            bare = _strip_fillers(t)
            if bare != t and bare:
                # "brain metastases at screening": the words say when the protocol checks, not what
                node = self._whole(dataclasses.replace(clause, text=bare), negated)
        if node is None:
            joined = self._clauses(text, section)  # each clause reads its own subject, negation and history
            if joined is not None:
                return joined
            node = self._qualified(clause, negated)
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
        if negated and section == "exclusion":
            low = text.strip().lower()
            if _MODAL_NEGATION.match(low) or (_NO.match(low) and _harm_only(node)):
                # an exclusion written "Patients must not have X" / "No X" (X a harm): X excludes (the
                # section's Not is the only one); Not(Not(X)) would require X of every patient
                return node
            if _NO.match(low):
                return None  # "No measurable disease" under exclusion: lacking it excludes? or having it?
            if _DOUBTFUL_NEGATION.match(low):
                return None  # "Not pregnant and not nursing", "No evidence of X" under exclusion: which way?
        return c.Not(node) if negated else node

    def _whole(self, clause: Clause, negated: bool) -> c.Node | None:
        """The clause read whole: one builder, a compound of builder parts, or adequate-function labs."""
        return self._build(clause) or self._compound(clause, negated) or self._adequate(clause)

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
        if section == "exclusion" and connectors == {"and"} and all(
                _REDUNDANT.match(p.strip().lower()) and self.prepare(p, section)[1] for p in pieces[0::2]):
            return c.Any(tuple(nodes))  # "no X and no Y" under exclusion: either excludes
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

    def prepare(self, text: str, section: str = "unknown") -> tuple[str, bool, bool]:
        t = text.strip().rstrip(".;:,* ")
        t = _TRAILING_CONNECTOR.sub("", t)
        t = _UNIT_EQUIVALENT.sub("", t)
        t = _EXAMPLES.sub("", t)
        t = _BRACKETED_MODIFIER.sub(r"\1", t)
        t = _ABBREVIATION.sub(lambda m: m.group(0) if _narrows(m, t) else "", t)
        t = _SPACES.sub(" ", t).strip()
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
                historical, t = True, t[m.end():].lstrip(" ,")  # "history of, or any evidence of, X"
            # "known brain metastases": on record; "known" adds nothing (never "known or suspected",
            # "known to be", nor "known HER2 status", which asks that a status be known)
            t = _KNOWN.sub("", t, count=1)
            if section == "exclusion" or negated:
                # "any prior chemotherapy" excludes on any; "not have any brain metastases" = none
                t = _ANY.sub("", t, count=1)
            if t == before:
                break
        return t.strip(), negated, historical

    def _build(self, clause: Clause, builders=BUILDERS) -> c.Node | None:
        key = (clause.text, clause.section, clause.historical, builders is BUILDERS)
        if key in self._built:
            return self._built[key]
        if clause.historical and _PRESENT_PART.search(clause.text):
            return None  # "history of ILD or active pneumonitis": the history is not the second part's (see _part_clause)
        if builders is QUALIFIED_BUILDERS:
            # the same text read by all builders (a list part read whole, then as part of a head): the
            # qualified builders are the same ones in the same order without build_sex, so the answer
            # is the same unless it was build_sex's (the only builder that makes a Sex)
            whole = self._built.get(key[:3] + (True,), _UNKNOWN)
            if whole is not _UNKNOWN and not isinstance(whole, c.Sex):
                return whole
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

    def _qualified(self, clause: Clause, negated: bool = False) -> c.Node | None:
        """The qualifier pattern: "prior radiotherapy | to the region of the study cancer" ->
        All(atom, Unparsed(qualifier)). The atom is a necessary condition of the clause, so
        the item decides only where the qualifier cannot matter. Cut only before a word that
        opens a qualifier, never before "or" (an alternative). The head may be a list
        ("prior radiation therapy, chemotherapy, or surgery | for tumor"): whether the qualifier
        belongs to the last treatment or to all, one of them is necessary."""
        paren = _TRAILING_ASIDE.search(clause.text)
        if paren:
            # "hemoglobin >= 10 g/dl (no blood transfusions in the preceding 28 days)": a narrowing aside;
            # never one that opens an alternative ("(or >= 1.0 for ...)")
            head = clause.text[:paren.start()].rstrip(",;: ")
            node, is_list = self._head(dataclasses.replace(clause, text=head), negated)
            if node is not None:
                aside = paren.group(0).strip()
                if _WINDOW.search(aside) and _lacks_window(node, is_list):
                    if not re.match(r"\((?:no|without|not)\b", aside):
                        return None
                return c.All((node, c.Unparsed(aside)))
        words = clause.text.split(" ")
        for k in range(len(words) - 1, 0, -1):
            if words[k] not in _QUALIFIER_STARTS or words[k - 1] in ("or", "and/or", "and"):
                continue
            head = " ".join(words[:k]).rstrip(",;: ")
            node, is_list = self._head(dataclasses.replace(clause, text=head), negated)
            if node is not None:
                rest = " ".join(words[k:])
                if words[k] not in ("that", "which", "who", "whose") and (
                        _CLAUSE_JOIN.search(rest) or _COMMA_OR.search(rest)):
                    # "X requiring steroids, or current Y": an alternative without X, X is not necessary
                    # (a relative clause, "X that is progressing or has required ...", stays about X)
                    return None
                if self._list_continues(rest, clause, node):
                    # "chemotherapy within 3 weeks of start, radiation within 2 weeks, ...": the rest holds
                    # more items of a list, each enough alone in an exclusion: X is not necessary
                    return None
                if words[k] in ("with", "of", "due", "from", "including") and self._names_other(" ".join(words[k + 1:]), clause, node):
                    # "active infection with HIV or HTLV": the rest names which infection, one the head's
                    # vocabulary may not hold (HIV is not a "serious infection" code): the head is no superset
                    return None
                if _WINDOW.search(rest) and _lacks_window(node, is_list):
                    return None  # "X for cancer ... within 14 days": the window is X's, not read here
                return c.All((node, c.Unparsed(rest)))
        return None

    def _head(self, clause: Clause, negated: bool) -> tuple[c.Node | None, bool]:
        """The head before a qualifier, and whether it is a list of parts: one builder's atom or a
        list of them (never a sex: "women and men with ..." are the subjects)."""
        node = self._build(clause, QUALIFIED_BUILDERS)
        if node is not None:
            return node, False
        return self._flat(clause, negated, QUALIFIED_BUILDERS), True

    def _names_other(self, words: str, clause: Clause, head: c.Node) -> bool:
        """Whether ``words`` (after "with", "of", ...) name a concept of the head's kind that the head
        does not imply."""
        words = re.sub(r"\s*\([^()]*\)", "", words).strip(" ,;")
        pieces = [words] + re.split(r"\s*(?:,\s*(?:or|and/or|and)?|\bor\b|\band/or\b|\band\b)\s*", words)
        head_atoms = [n for n in walk(head) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
        kinds = {type(n) for n in head_atoms}
        for piece in pieces:
            node = self._build(dataclasses.replace(clause, text=piece.strip())) if piece.strip() else None
            if node is None:
                continue
            atoms = [n for n in walk(node) if type(n) in kinds]
            if any(not any(_implies(h, a) for h in head_atoms) for a in atoms):
                return True
        return False

    def _list_continues(self, rest: str, clause: Clause, head: c.Node) -> bool:
        """Whether ``rest`` goes on with an alternative to the head: a piece after ", or" (in an
        exclusion, after any comma: each item of an exclusion list excludes alone), or after a bare
        "or" when it is of the head's kind ("MI within 6 months and/or uncontrolled arrhythmia"),
        that is a concept of its own, not implied by the head ("ILD that required steroids, or any
        evidence of active ILD" stays about ILD)."""
        pieces = re.split(r"\s*([,;]\s*(?:(?:and/or|and|or)\s+)?|\s(?:or|and/or)\s+)", re.sub(r"\([^()]*\)", "", rest))
        head_atoms = [n for n in walk(head) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
        kinds = {type(n) for n in head_atoms}
        for sep, piece in zip(pieces[1::2], pieces[2::2]):
            if not piece or (clause.section != "exclusion" and "or" not in sep):
                continue
            node = self._build(dataclasses.replace(clause, text=piece))
            if node is None:
                continue
            atoms = [n for n in walk(node) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
            if "," not in sep and ";" not in sep and not any(type(a) in kinds for a in atoms):
                continue  # "treatment for stage IV or recurrent NSCLC": an "or" inside the qualifier
            if not all(any(_implies(h, a) for h in head_atoms) for a in atoms):
                return True
        return False

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
                node = self._build(dataclasses.replace(sub, text=m.group(0) + sub.text), builders)
                if node is not None and all(isinstance(n, (c.PriorTherapy, c.Procedure, c.All, c.Unparsed))
                                            for n in walk(node)):
                    return node
            if _SHORT_PART.match(sub.text):
                before = _ARTICLE.sub("", parts[index - 1].strip()).split(" ")
                if len(before) >= 2 and not _SHORT_PART.match(before[-2]):
                    node = self._build(dataclasses.replace(sub, text=" ".join(before[:-1] + [sub.text])), builders)
                    if node is not None:
                        return node
        if shared_head and index < len(parts) - 1 and len(sub.text.split(" ")) <= 4 and (
                index == len(parts) - 2 or isinstance(self._build(self._part_clause(parts[index + 1], clause), builders), c.Lab)):
            closing = parts[index + 1].strip().split(" ")
            for k in range(max(1, len(closing) - 4), len(closing)):
                node = self._build(dataclasses.replace(sub, text=sub.text + " " + " ".join(closing[k:])), builders)
                if node is not None:
                    return node
        return None


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` (split at ". " and "; "), blank ones left out."""
    spans, start = [], 0
    for m in _SENTENCE.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip(" .;")]


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


def _has_window(node: c.Node) -> bool:
    return any(getattr(n, "within_days", None) is not None for n in walk(node))


def _lacks_window(node: c.Node, is_list: bool = False) -> bool:
    """Whether a window written after ``node`` may be its own: a treatment, procedure or lab atom
    without one, or a list of parts holding a treatment or procedure without one (a lab's window
    after a list of labs is when they were measured: All(labs, Unparsed(window)) only narrows)."""
    if is_list:
        return any(isinstance(n, (c.PriorTherapy, c.Procedure)) and n.within_days is None for n in walk(node))
    return isinstance(node, (c.PriorTherapy, c.Procedure, c.Lab)) and node.within_days is None
