"""From one clause to a node: subject words, negation and history off (clause_prepare), then
the clause read whole by one builder, as a compound (compounds), as two clauses joined by a
connector, as adequate-function labs, or as a head before a qualifier (qualifiers). The item
and sentence level (exceptions, sentences) is in sentences.

Module map: readings (the builders, in order), clause_prepare, sentences, compounds,
qualifiers, and this module's ClauseParser, which ties them.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import positive_atoms, walk
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.clause_prepare import prepare, strip_fillers
from trialmatch.nlp.compounds import PRESENT_WORDS, CompoundReader
from trialmatch.nlp.context import Context
from trialmatch.nlp.exceptions import ExceptionReader
from trialmatch.nlp.normalize import normalize
from trialmatch.nlp.qualifiers import CLAUSE_JOIN, QualifierReader
from trialmatch.nlp.readings import BUILDERS, QUALIFIED_BUILDERS
from trialmatch.nlp.sentences import MEMO_SIZE, SentenceReader
from trialmatch.nlp.terms import Terms

__all__ = ["BUILDERS", "QUALIFIED_BUILDERS", "ClauseParser"]

_ADEQUATE = re.compile(
    r"^(?:adequate|sufficient|normal|acceptable) (?:(?:renal|kidney|hepatic|liver|bone marrow|hematologic|haematologic|hematological|"
    r"marrow|organ|coagulation|blood)(?:,? and |, |/| ))+(?:function|reserve|parameters)(?: tests?)?,?:? ?(?:as )?"
    r"(?:defined as|defined by|evidenced by|demonstrated by|indicated by|with|i\.e\.,?|by)?:? ?(?P<rest>\(.+\)|[a-z].+)$")
_NOT_ELIGIBLE = re.compile(r"\s+(?:are|is|will be) (?:not eligible|ineligible|excluded)(?: from (?:this|the) (?:study|trial))?[.;]?\s*$")
_UNKNOWN = object()  # not in a memo
# "Participants with known diabetes ... must show ...": a requirement of a subgroup ("Subjects with
# relapsed CLL ... and must have received a BTK inhibitor" requires both: not this)
_MODAL = re.compile(r"\b(?:must|should|need to|needs to|are required|is required|will need|will be required|have to)\b")
_CONDITIONAL = re.compile(
    r"^\s*(?:patients?|participants?|subjects?|women|men|those|individuals?|females?|males?)\s+"
    r"(?:with|who have|who has|who had|on|receiving|taking|that have)\b(?:(?!\band (?:must|should)\b).)*?" + _MODAL.pattern)
# "HIV-infected participants must have well-controlled HIV on ART", "Participants with known human
# immunodeficiency virus (HIV)-infection must be on effective anti-retroviral therapy ...": the NCI
# requirement of the HIV subgroup only (a patient without HIV meets it; one with HIV is to confirm).
# The subject is HIV alone, the modal right after it ("Patients with HIV or hepatitis B must ..."
# and "Patients with HIV and CD4 < 200 must ..." are not this); "must be excluded" is no requirement,
# "should be monitored every 12 weeks" a plan of the study ("should" is left out: advice or rule?).
_HIV_NAME = r"(?:hiv(?:-1)?|human immunodeficiency virus(?: \(hiv\))?)"
_PEOPLE = r"(?:patients?|participants?|subjects?|individuals?|people|persons?)"
_HIV_SUBGROUP = re.compile(
    rf"^\s*(?:{_HIV_NAME}[- ](?:infected|positive) {_PEOPLE}"
    rf"|{_PEOPLE} (?:with|living with|infected with|who are) (?:known |documented )?{_HIV_NAME}"
    rf"(?:[- ]?infection|[- ]infected| positive)?)"
    r"(?:,? (?:are|is) (?:also )?eligible,? but|,? (?:may|can) (?:participate|enrol|enroll|be enrolled|be included),? but)?,? "
    r"(?P<req>(?:must|need to|needs to|are required to|is required to|will need to|have to|has to) "
    r"(?!not be (?:eligible|enrolled|included)|be excluded|be ineligible"
    r"|be (?:monitored|followed|referred|counsell?ed|tested|screened|evaluated|assessed)\b)\S.*)$",
    re.I)
# "CD4 T-cell count >= 100 per mm3 for HIV-infected patients": the same, the subgroup after a requirement
# that is one thing (not "ECOG 0-1 and CD4 > 200 for HIV-infected patients": which part is the subgroup's?)
_HIV_SUBGROUP_AFTER = re.compile(
    rf"^\s*(?P<req>[^,;]+?) (?:for|in) (?:{_HIV_NAME}[- ](?:infected|positive) {_PEOPLE}"
    rf"|{_PEOPLE} (?:with|living with|infected with|who are) (?:known )?{_HIV_NAME}(?:[- ]?infection| positive)?)[.;]?\s*$",
    re.I)
_PRESENT_PART = re.compile(r"(?:,|\bor\b|\band/or\b|\band\b)\s+" + PRESENT_WORDS)


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


def _harm_only(node: c.Node) -> bool:
    atoms = [n for n in walk(node) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
    return bool(atoms) and all(
        isinstance(n, (c.Condition, c.Pregnancy)) or (isinstance(n, c.Metastasis) and n.site is not None)
        or (isinstance(n, (c.PriorTherapy, c.Procedure)) and n.within_days is not None) for n in atoms)


def _own_subject(node: c.Node) -> bool:
    """A whole reading whose atom holds the subgroup a conditional subject names: residual toxicity
    (the adverse events of prior therapy are what the atom reads), with nothing left unparsed."""
    atoms = [n for n in walk(node) if not isinstance(n, (c.All, c.Any, c.Not))]
    return bool(atoms) and all(isinstance(n, c.ResidualToxicity) for n in atoms)


def _requires_participation(node: c.Node) -> bool:
    """Whether a tree requires (not under a Not) the patient to take part in another study."""
    return any(isinstance(a, c.StudyParticipation) for a in positive_atoms(node))


class ClauseParser(SentenceReader, ExceptionReader, CompoundReader, QualifierReader):
    def __init__(self, terms: Terms, context: Context):
        self.terms = terms
        self.context = context
        # items recur across trials (boilerplate): the node of an item text, per section. Nodes
        # are frozen, so sharing one is safe; the cache is bounded.
        self._memo: dict[tuple[str, str], c.Node | None] = {}
        self._built: dict[tuple, c.Node | None] = {}  # clause -> builder answer (heads recur across items)

    def _parse_text(self, raw: str, section: str) -> c.Node | None:
        if section == "inclusion" and " but " in raw and ("hiv" in raw or "HIV" in raw or "immunodeficiency" in raw) \
                and _HIV_SUBGROUP.match(raw) and not re.search(r"[.;]\s+\S", raw):
            # "HIV-infected participants are eligible but must have well-controlled HIV": the exception
            # cut would take "are eligible" for a permission that restricts nobody; the "but must" is
            # the subgroup's requirement (one sentence only)
            return self.parse_clause(normalize(raw.strip()), section)
        return super()._parse_text(raw, section)

    # ---- one clause -----------------------------------------------------------------
    def parse_clause(self, text: str, section: str) -> c.Node | None:
        if section == "inclusion" and ("hiv" in text or "HIV" in text or "immunodeficiency" in text):
            hiv = _HIV_SUBGROUP.match(text) or _HIV_SUBGROUP_AFTER.match(text)
            if hiv and not (hiv.re is _HIV_SUBGROUP_AFTER and re.search(r"\b(?:and|or|and/or|hiv|must|not|no)\b", hiv.group("req"), re.I)):
                # the subgroup's requirement: Any(Not(hiv), requirement); All would require HIV of every patient.
                # Any HIV record puts the patient in the subgroup (active_only False): HIV is not cured, and a
                # record marked inactive or resolved must not clear the requirement
                return c.Any((c.Not(c.Condition(keys=("hiv",), active_only=False)),
                              c.Unparsed(hiv.group("req").strip())))
        node = self._clause(text, section)
        if node is None or section != "inclusion" or not _CONDITIONAL.match(text.strip().lower()):
            return node
        if _own_subject(node):
            # "Participants who have AEs due to previous anticancer therapies must have recovered to <=
            # grade 1": the subgroup is the atom's own subject (a patient without such AEs meets it)
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
        clause = Clause(t, self.terms, section, historical, self.context.qualifiers, negated=negated)
        node = self._whole(clause, negated)
        if node is None:
            bare = strip_fillers(t)
            if bare != t and bare:
                # "brain metastases at screening": the words say when the protocol checks, not what
                node = self._whole(clause.with_text(bare), negated)
        if node is None:
            joined = self._clauses(text, section)  # each clause reads its own subject, negation and history
            if joined is not None:
                return joined
            node = self._qualified(clause, negated)
        if node is None:
            return None
        if section == "inclusion" and not negated and _requires_participation(node):
            # "Patients who are receiving any other investigational agents within 28 days" under an
            # inclusion heading (NCT06634875's sections are scrambled): no trial requires another trial's
            # drug; a misplaced exclusion, not read ("must not be receiving ..." is read)
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
        pieces = CLAUSE_JOIN.split(t.strip().rstrip(".;:,* "))
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
        if connectors == {"or"} and not _OWN_VERB.match(pieces[-1]) and _trailing_words(nodes[-1]) \
                and not any(_trailing_words(n) for n in nodes[:-1]):
            # "Auto-immune disease or active GVHD within 4 months ... requiring systemic immunosuppressant therapy"
            # (NCT04690595, audit): the last clause's words kept beside it may be every clause's; read as the last
            # one's only, any autoimmune record excluded: left to the qualifier reader (All(Any(clauses), words))
            return None
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
        return prepare(text, section, self.context)

    def _build(self, clause: Clause, builders=BUILDERS) -> c.Node | None:
        key = (clause.text, clause.section, clause.historical, builders is BUILDERS, clause.negated)
        if key in self._built:
            return self._built[key]
        if clause.historical and _PRESENT_PART.search(clause.text):
            return None  # "history of ILD or active pneumonitis": the history is not the second part's (see _part_clause)
        if builders is QUALIFIED_BUILDERS:
            # the same text read by all builders (a list part read whole, then as part of a head): the
            # qualified builders are the same ones in the same order without build_sex, so the answer
            # is the same unless it was build_sex's (the only builder that makes a Sex)
            whole = self._built.get(key[:3] + (True, clause.negated), _UNKNOWN)
            if whole is not _UNKNOWN and not isinstance(whole, c.Sex):
                return whole
        found = None
        for builder in builders:
            node = builder(clause)
            if node is not None:
                found = node
                break
        if len(self._built) >= MEMO_SIZE * 4:
            self._built.clear()
        self._built[key] = found
        return found


# a clause opening with its own verb ("or is receiving chronic systemic steroid therapy ... within 7 days"): the
# words after it are its own
_OWN_VERB = re.compile(r"(?i)^\s*(?:(?:is|are|was|were|has|have|had)\b|(?:currently |concurrently )?(?:receiv|tak|requir|undergo|us)\w*\b)")


def _trailing_words(node: c.Node) -> bool:
    """Whether a clause's reading ends in words kept Unparsed beside its atom (All(atom, Unparsed))."""
    while isinstance(node, c.Not):
        node = node.item
    return isinstance(node, c.All) and isinstance(node.items[-1], c.Unparsed) and not node.items[-1].non_clinical
