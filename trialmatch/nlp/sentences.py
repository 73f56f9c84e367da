"""One item's text and its sentences (its exception clause: ``exceptions.py``).

- An item is read whole by the age-group and per-sex lab readers first (group_requirements.py), then by the
  exception reader (``ExceptionReader._read_exception``), which reads the head's sentences here.
- Sentences that are not understood stay Unparsed parts of an All when their shape says they
  depend on the sentence before (context rules DEPENDENT: a definition, an example, a note, a
  permission); any other may state a requirement of its own, and an exclusion then reads
  both-or-open. An inclusion permission widens (Any). Documentation-only sentences (context rules
  DOCUMENTATION) are left out. Sentences that offer alternatives ("X; or Y") are an Any.
- Whether an unparsed text is non-clinical (no record answers it and it names no concept).
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp.group_requirements import PERFORMANCE_WORDS, age_groups, sex_thresholds
from trialmatch.nlp.normalize import normalize
from trialmatch.nlp.terms import Terms
from trialmatch.nlp.required_literals import guarded

MEMO_SIZE = 50_000
# a value with no name and a unit: "0.6 mg/dl (male)", ">= 50%" (a cell of a table)
_BARE_VALUE = re.compile(r"(?:(?:>=|<=|>|<|=)\s?)?\d[\d.,]*\s?(?:%|[a-z]+/[a-z0-9.^]+)(?:\s?\((?:fe)?males?\)|\s?\((?:wo)?men\))?")
_ALTERNATIVE_START = re.compile(r"^\s*(?:or|and/or)\s+", re.I)  # a sentence "; or Y" offers Y instead
_ALTERNATIVE_END = re.compile(r"\s+(?:or|and/or)[\s.;]*$", re.I)  # "X or. Y": a sentence ending in "or"
_SENTENCE = re.compile(r"(?<=[a-z0-9)%\]])\.\s+(?=[a-z(])|;\s+")
# a sentence the split at ". " cut after an abbreviation ("(i.e", "e.g", "vs")
CUT_SHORT = re.compile(r"\b(?:i\.e|e\.g|eg|vs|approx|incl|cf)\.?\s*$", re.I)
_ENUMERATOR = re.compile(r"\(?(?:[a-h]|[ivx]{1,4}|\d{1,2})[.)]?")
_WORD = re.compile(r"[a-z0-9][a-z0-9'+/-]*[a-z0-9+]|[a-z0-9]")
_MAX_PHRASE_WORDS = 5
_ABBREVIATED = re.compile(r"\b[A-Z]{3,8}\b")
_CANCER_WORD = guarded(r"\b(?:cancers?|carcinomas?|tumou?rs?|malignanc(?:y|ies)|neoplasms?|sarcomas?|lymphomas?|leuka?emias?|melanomas?|myelomas?)\b")
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


def both_or_open(parts, text: str) -> c.Node:
    """"Both readings agree, or UNKNOWN" for parts joined by a word the grammar cannot settle (each
    alone, or only together): all parts met -> MET, none -> NOT_MET, otherwise the item (``text``)
    is open."""
    return c.Any((c.All(tuple(parts)), c.All((c.Any(tuple(parts)), c.Unparsed(text.strip())))))


_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _permission_in_brackets_only(context, sentence: str) -> bool:
    """Whether a sentence read as a permission permits only inside a bracket, its own words outside
    it saying something else ("Hemoglobin >= 8.0 g/dL (may receive transfusions)")."""
    outside = sentence
    while True:
        shorter = _BRACKETED.sub(" ", outside)
        if shorter == outside:
            break
        outside = shorter
    if outside == sentence or not re.search(r"[a-z]{3,}", outside.lower()):
        return False
    return context.dependent(outside) != "permission"


# a sentence about a subgroup defined by a treatment or condition ("Patients on therapeutic doses of anticoagulation
# medication must have ...", "For participants receiving warfarin, ...")
_SUBGROUP_LIMIT = re.compile(r"^(?:for |in )?(?:patients?|participants?|subjects?|those|individuals?)\s+(?:who are\s+)?"
                             r"(?:on|receiving|taking|treated with|with|who have|who receive)\b")


class SentenceReader:
    """The item and sentence level of the ClauseParser (a mixin: ``parse_clause`` reads one
    clause, ``self._memo`` holds items already read)."""

    def parse_text(self, raw: str, section: str) -> c.Node | None:
        """A node for an item's text (may contain Unparsed parts), or None if nothing in it
        is understood."""
        key = (raw, section)
        if key in self._memo:
            return self._memo[key]
        node = self._parse_text(raw, section)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = node
        return node

    def _parse_text(self, raw: str, section: str) -> c.Node | None:
        if section == "inclusion" and "year" in raw and any(w in raw.lower() for w in PERFORMANCE_WORDS):
            grouped = age_groups(normalize(raw).lower().strip().rstrip("."), self.terms, section)
            if grouped is not None:
                return grouped
        low = raw.lower()
        if "male" in low or "men" in low:
            by_sex = sex_thresholds(normalize(raw).lower().strip().rstrip("."), lambda t: self.parse_clause(t, section))
            if by_sex is not None:
                return by_sex
        return self._read_exception(raw, section)

    def _sentences(self, text: str, section: str) -> c.Node | None:
        text = text.strip()
        spans = sentence_spans(text)
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
        if any(_BARE_VALUE.fullmatch(s.strip(" .;")) for s in sentences):
            # "Age 1 to < 2 years; 0.6 mg/dL (male); 0.6 mg/dL (female)" (NCT04851119): a row of a table of limits
            # by age, not sentences of requirements; read as All it required every age of the table at once
            return None
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
        permissions: list[c.Node] = []
        independent = understood = False
        for i, s in enumerate(sentences):
            node = self.parse_clause(s, section)
            if node is not None:
                understood = True
                nodes.append(node)
                continue
            if nodes and self.context.documentation(s):
                continue  # "Screening is not required.": how the protocol checks, not who is eligible
            if _ENUMERATOR.fullmatch(s.strip()):
                continue  # "a. Congestive heart failure ...": the split left the list label alone
            unparsed = c.Unparsed(s.strip(), non_clinical=self.non_clinical(s))
            bearing = self._bearing(sentences, i) if nodes else None
            bearing = restated(bearing, nodes[-1]) if nodes else None
            if bearing == "permission" and section == "inclusion" and _permission_in_brackets_only(self.context, s):
                # "Hemoglobin >= 8.0 g/dL (may receive packed red blood cell transfusions)" (NCT05588648): a
                # requirement whose bracket permits something of it; the sentence is no permission of the
                # item (Any over the item let the permission widen every other lab): a requirement
                bearing = None
            if bearing is None and section == "inclusion" and nodes and self._subgroup_limit(s, nodes[-1]):
                # "INR <= 1.5 x ULN and aPTT <= 1.5 x ULN. Patients on therapeutic doses of anticoagulation must have
                # INR and/or aPTT <= the upper limit of the therapeutic range" (NCT06083883, audit): the subgroup's own
                # limit of the same lab widens the one before for them; All failed an anticoagulated patient
                bearing = "permission"
            if bearing == "permission" and section == "inclusion":
                permissions.append(unparsed)
                continue
            independent = independent or bearing is None
            nodes.append(unparsed)
        if not understood:
            return None
        if permissions:
            # "Bone only disease is acceptable for enrollment.": it only widens who is eligible, so the
            # other sentences decide only when met (All would fail a patient the permission admits)
            return c.Any((nodes[0] if len(nodes) == 1 else c.All(tuple(nodes)), *permissions))
        if len(nodes) == 1:
            return nodes[0]
        if section == "exclusion" and (independent or not any(isinstance(n, c.Unparsed) for n in nodes)):
            # "Active infection. HIV." excludes on each sentence; "Prior surgery. Recovered from it."
            # only on both. Which is meant is not said: both parts true excludes, both false does
            # not, one of them leaves the item open (never the lenient All alone: a wrong "eligible").
            # A sentence not understood is read as depending on the one before (All) only when its
            # shape says so (context rules DEPENDENT: "is defined as", "e.g.", "this ...", "is not
            # considered", "are acceptable"); any other may be an exclusion of its own
            # ("Pregnant women. Patients must have recovered from surgery."), so the same both-or-open
            # reading holds: Not(All(A, Unparsed(B))) cleared every patient without A.
            return both_or_open(nodes, text)
        return c.All(tuple(nodes))

    def _subgroup_limit(self, sentence: str, before: c.Node) -> bool:
        """Whether a sentence not understood gives a subgroup ("Patients on anticoagulation ...", "For
        subjects with ...") a limit of a lab the sentence before requires."""
        low = sentence.strip().lower()
        if not _SUBGROUP_LIMIT.match(low):
            return False
        labs = {n.analyte for n in walk(before) if isinstance(n, c.Lab)}
        vocab = self.terms.vocab
        for key in labs:
            concept = getattr(vocab, "labs", {}).get(key)
            names = (concept.name, *concept.synonyms) if concept is not None else (key,)
            if any(re.search(rf"\b{re.escape(name.lower())}\b", low) for name in names):
                return True
        return False

    def _bearing(self, sentences: list[str], i: int) -> str | None:
        """How sentence ``i`` (not understood) bears on the one before: the context rules DEPENDENT
        ("definition", "permission"), or None (it may stand alone). The split at ". " cuts inside
        brackets and after abbreviations ("(i.e. with use of steroids)", "(e.g. thyroxine) is not
        considered ..."): a piece that continues the one before is part of it (a definition); a
        piece cut short is read with the pieces that continue it."""
        if CUT_SHORT.search(sentences[i - 1]) or sentences[i - 1].count("(") > sentences[i - 1].count(")"):
            return "definition"
        text, j = sentences[i], i
        while j + 1 < len(sentences) and (CUT_SHORT.search(sentences[j]) or sentences[j].count("(") > sentences[j].count(")")):
            j += 1
            text = f"{text}. {sentences[j]}"
        return self.context.dependent(text)

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


_RESTATED = {"pregnancy_test": c.Pregnancy, "age_restated": c.Age}


def restated(bearing: str | None, before: c.Node) -> str | None:
    """A sentence that restates a criterion ("WOCBP must have a negative pregnancy test", "children
    are excluded from this study") depends on the sentence before only when that one reads the same
    criterion (a Pregnancy, an Age); beside anything else it is a requirement of its own."""
    kind = _RESTATED.get(bearing)
    if kind is None:
        return bearing
    return "definition" if any(isinstance(n, kind) for n in walk(before)) else None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` (split at ". " and "; "), blank ones left out."""
    spans, start = [], 0
    for m in _SENTENCE.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip(" .;")]
