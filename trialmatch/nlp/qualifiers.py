"""The qualifier pattern: "prior radiotherapy | to the region of the study cancer" ->
All(atom, Unparsed(qualifier)). The head before a word that opens a qualifier (or before a
trailing aside) is a necessary condition of the clause, so the item decides only where the
qualifier cannot matter; a head is refused when the rest offers an alternative to it, holds
more items of its list, names another concept of its kind, or holds a window that may be its."""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.readings import QUALIFIED_BUILDERS
from trialmatch.nlp.lab_evidence import evidence_bearing

# words that open a qualifier of what precedes them ("... to the region of", "... that is progressing")
_QUALIFIER_STARTS = frozenset((
    "to", "for", "in", "of", "that", "which", "who", "with", "as", "per", "according", "defined", "at", "on", "by",
    "due", "administered", "given", "requiring", "required", "documented", "confirmed", "measured", "assessed",
    "treated", "based", "from", "during", "after", "before", "prior", "without", "while", "using", "via",
    "performed", "obtained", "done", "determined", "evaluated", "within",
))
_TRAILING_ASIDE = re.compile(r"\s*\((?!(?:or|and/or|if|for|unless|except|otherwise|i\.e|e\.g|<|>|\d))[^()]{3,200}\)$")
# "KPS >= 80 for Flu/Cy/Thio/TBI" (NCT06680661), "ECOG 0-1 for participants in Part B", "... (TAPS study)",
# "(Phase 2)": who the requirement is for (a regimen, cohort, arm, part, phase, sub-study, a group of
# patients), not a narrowing of the atom. In an inclusion the atom then decides only when met:
# Any(Unparsed(scope), atom); All failed a patient outside the scope who misses the atom (a wrong
# "ineligible"). A regimen is two slashes at least ("flu/cy/thio/tbi"; "her2/neu" is a marker).
_SCOPE_WORD = r"(?:cohorts?|arms?|parts?|groups?|sub-?studies|sub-?study|sub-?protocols?|modules?|strat(?:um|a)|phases?)"
# "Cohort A", "Parts 1b and 2b", "Subprotocol C and Subprotocol D" (the word said again before each label)
_SCOPE_NAMES = (_SCOPE_WORD + r" [a-z0-9]{1,4}"
                r"(?:(?:,|, and|, or| and| or|/|-) ?(?:" + _SCOPE_WORD + r" )?[a-z0-9]{1,4})*"
                r"|dose[- ](?:escalation|expansion)(?: (?:cohorts?|phase|part|portion))?"
                r"|(?:escalation|expansion) (?:cohorts?|phase|part|portion)"
                # "for mCRPC cohorts", "for the NSCLC arm": one word naming the cohort (an inclusion then
                # decides only when met: Any; a wrong reading only leaves it open, never decides it)
                r"|[a-z0-9+-]{2,12} (?:cohorts?|arms?)")
_SCOPE = re.compile(
    r"^for (?:the |all )?(?:"
    r"(?:patients?|participants?|subjects?|individuals?|women|men|females?|males?|those) (?:(?:who are )?(?:enrolled|enrolling|"
    r"treated|included|randomi[sz]ed|assigned|participating) )?(?:in|to|into|on) (?:the )?(?:" + _SCOPE_NAMES + r")"
    r"|(?:" + _SCOPE_NAMES + r")"
    r"|(?:[a-z0-9-]{1,8}/){2,}[a-z0-9-]{1,8}(?: (?:regimen|conditioning|arm|cohort))?"
    r")(?: (?:only|participants|patients))?[.;]?$")
_SCOPE_ASIDE = re.compile(
    r"^\((?:for |in )?(?:the )?(?:(?:" + _SCOPE_NAMES + r")|[a-z0-9-]{2,12} (?:study|trial|sub-?study))(?: only)?\)$")
_COMMA_OR = re.compile(r",\s*(?:or|and/or)\b")
CLAUSE_JOIN = re.compile(r",? (or|and) (?=(?:has|have|had|is|are|was|were|has had|have had|current|currently|active|ongoing|not|no) )")
# A remainder that opens an alternative with a subject or verb of its own ("X within 2 weeks prior to
# C1D1 or those who have not recovered from ...", "... or has not recovered", "... and/or any major
# infection"): the alternative may exclude (or qualify) without X, so X is not necessary. After a
# relative word ("X that is progressing or has required treatment") a verb stays X's: only a new
# subject opens an alternative there.
# A remainder naming another event of the same kind ("major surgery within 4 weeks of study entry or
# planned during study", "... or minor surgery within 7 days", "... or postoperative complications")
# opens an alternative too: each excludes alone. So does a remainder naming another finding ("distant
# metastases of breast cancer beyond regional lymph nodes and/or evidence of breast cancer recurrence",
# NCT05996107; "... or history of ...": each is enough alone).
_OWN_ALTERNATIVE = re.compile(
    r"\b(?:and/)?or (?:those|who|whom|which|has|have|had|is|are|was|were|patients?|participants?|subjects?|"
    r"individuals?|persons?|women|men|if|did|does|do|planned|plans?|intends?|anticipated|anticipation|scheduled|"
    r"minor|post-?operative|need|(?:any |prior |other |current )?(?:evidence|history|signs?) of)\b")
# "major surgery within 2 weeks of start and patients must have recovered from any effects of any major
# surgery": a requirement of its own (it reaches surgery outside the window too), no qualifier
_OWN_REQUIREMENT = re.compile(r"\band (?:the )?(?:patients?|participants?|subjects?|they) (?:must|should|need|shall)\b")
_NEW_SUBJECT = re.compile(r"\b(?:and/)?or (?:those|patients?|participants?|subjects?|individuals?|persons?|women|men)\b")
# "... or any liver embolization": "any" opens an alternative, except after words that say how the head
# was found ("as determined by IHC or PCR or any CLIA-certified assay": the methods)
_OR_ANY = re.compile(r"\b(?:and/)?or any\b")
_HOW_FOUND = frozenset(("as", "per", "according", "defined", "by", "documented", "confirmed", "measured", "assessed",
                        "based", "using", "via", "performed", "obtained", "done", "determined", "evaluated"))
_WINDOW = re.compile(r"\bwithin (?:the )?(?:last |past |previous )?\d")


def _implies(head: c.Node, atom: c.Node) -> bool:
    """Whether meeting ``atom`` always meets ``head`` (same concept, no narrower)."""
    if type(head) is not type(atom):
        return False
    if isinstance(head, c.Condition):
        return head.keys == atom.keys and (not head.active_only or atom.active_only) and (
            head.within_days is None or (atom.within_days is not None and atom.within_days <= head.within_days))
    if isinstance(head, (c.PriorTherapy, c.Procedure, c.StudyParticipation)):
        return dataclasses.replace(head, within_days=None) == dataclasses.replace(atom, within_days=None) and (
            head.within_days is None or (atom.within_days is not None and atom.within_days <= head.within_days))
    if isinstance(head, c.Metastasis):
        return head.site == atom.site and head.extent == atom.extent and head.qualifier in (None, atom.qualifier)
    return head == atom


class QualifierReader:
    """The qualifier level of the ClauseParser (a mixin: ``self._build`` offers a clause to the
    builders, ``self._flat`` reads a list)."""

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
            node, is_list = self._head(clause.with_text(head, negated=False), negated)
            if node is not None:
                aside = paren.group(0).strip()
                if clause.section == "inclusion" and _SCOPE_ASIDE.match(aside):
                    # "(TAPS study)", "(Phase 2)", "(Subprotocol B)": who it is for; also after a cancer
                    # ("RAS-mutated NSCLC (Subprotocol B)"): the other arms may enrol other cancers
                    return c.Any((c.Unparsed(aside), node))
                if (_WINDOW.search(aside) or _participation_time(node, aside)) and _lacks_window(node, is_list):
                    if not re.match(r"\((?:no|without|not)\b", aside):
                        return None
                if clause.section == "inclusion":
                    bearing = evidence_bearing(node, aside.lower())
                    if bearing == "widens":
                        # "Hemoglobin >= 8.0 g/dL (may receive packed red blood cell transfusions)": a value
                        # below the threshold may be raised to it; All failed such a patient (a wrong
                        # "ineligible"): the lab decides only when met
                        return c.Any((node, c.Unparsed(aside)))
                    if bearing == "open":
                        # "(transfusions are allowed ... only if anemia is due to prior therapy)"
                        return c.All((c.Any((node, c.Unparsed(aside))),
                                      c.Any((c.All((node, c.Unparsed(aside))), c.Unparsed(clause.text)))))
                return c.All((node, c.Unparsed(aside)))
        words = clause.text.split(" ")
        for k in range(len(words) - 1, 0, -1):
            if words[k] not in _QUALIFIER_STARTS or words[k - 1] in ("or", "and/or", "and"):
                continue
            head_text = " ".join(words[:k])
            head = head_text.rstrip(",;: ")
            if _NEW_SUBJECT.search(head):
                continue  # "pregnancy or women | of childbearing potential ...": "women" opens an alternative
            node, is_list = self._head(clause.with_text(head, negated=False), negated)
            if node is not None:
                rest = " ".join(words[k:])
                if _OWN_REQUIREMENT.search(rest):
                    return None
                if words[k] not in ("that", "which", "who", "whose") and (
                        CLAUSE_JOIN.search(rest) or _COMMA_OR.search(rest)):
                    # "X requiring steroids, or current Y": an alternative without X, X is not necessary
                    # (a relative clause, "X that is progressing or has required ...", stays about X)
                    return None
                relative = words[k] in ("that", "which", "who", "whose")
                alternative = (_NEW_SUBJECT if relative else _OWN_ALTERNATIVE).search(rest)
                if alternative is None and not relative and words[k] not in _HOW_FOUND:
                    alternative = _OR_ANY.search(rest)
                if alternative is not None:
                    # "X within 14 days prior to start or who have not recovered": X is not necessary
                    return self._alternative(clause, len(head_text) + 1 + alternative.start(), negated)
                if self._list_continues(rest, clause, node):
                    # "chemotherapy within 3 weeks of start, radiation within 2 weeks, ...": the rest holds
                    # more items of a list, each enough alone in an exclusion: X is not necessary
                    return None
                if words[k] in ("with", "of", "due", "from", "including") and self._names_other(" ".join(words[k + 1:]), clause, node):
                    # "active infection with HIV or HTLV": the rest names which infection, one the head's
                    # vocabulary may not hold (HIV is not a "serious infection" code): the head is no superset
                    return None
                if (_WINDOW.search(rest) or _participation_time(node, rest)) and _lacks_window(node, is_list):
                    return None  # "X for cancer ... within 14 days": the window is X's, not read here
                if clause.section == "inclusion" and _SCOPE.match(rest):
                    return c.Any((c.Unparsed(rest), node))  # "KPS >= 80 for Flu/Cy/Thio/TBI": who it is for
                return c.All((node, c.Unparsed(rest)))
        return None

    def _alternative(self, clause: Clause, at: int, negated: bool) -> c.Node | None:
        """"X within 2 weeks prior to C1D1 | or those who have not recovered from ...": Any(X read
        with its qualifier, Unparsed(the alternative)), when the words before the "or" are read on
        their own; never after a negation ("no X or those who ..." is not read)."""
        left, right = clause.text[:at].rstrip(" ,;"), re.sub(r"^(?:and/)?or\s+", "", clause.text[at:]).strip(" .;")
        if negated or not left or not right:
            return None
        sub = clause.with_text(left)
        node = self._whole(sub, False) or self._qualified(sub, False)
        return None if node is None else c.Any((node, c.Unparsed(right)))

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
            node = self._build(clause.with_text(piece.strip())) if piece.strip() else None
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
            node = self._build(clause.with_text(piece))
            if node is None:
                # "effusion requiring drainage or ascites | requiring peritoneal shunt": a piece of the head's
                # own kind before a qualifier of its own is an alternative too
                node = self._piece_head(piece, clause)
                if node is None or any(type(a) not in kinds for a in walk(node)
                                       if not isinstance(a, (c.All, c.Any, c.Not, c.Unparsed))):
                    continue
            atoms = [n for n in walk(node) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
            if "," not in sep and ";" not in sep and not any(type(a) in kinds for a in atoms):
                continue  # "treatment for stage IV or recurrent NSCLC": an "or" inside the qualifier
            if not all(any(_implies(h, a) for h in head_atoms) for a in atoms):
                return True
        return False


    def _piece_head(self, piece: str, clause: Clause) -> c.Node | None:
        """The words of a list piece before its own qualifier ("ascites | requiring peritoneal shunt"),
        read by a builder, or None."""
        words = piece.split(" ")
        k = next((k for k in range(1, len(words)) if words[k] in _QUALIFIER_STARTS), None)
        return self._build(clause.with_text(" ".join(words[:k]))) if k is not None else None


_TIME_WORDS = re.compile(r"\b(?:days?|weeks?|months?|years?|last|past|previous|prior|preceding|since|within)\b")


def _participation_time(node: c.Node, rest: str) -> bool:
    """"receiving investigational agents | concurrently with the study drugs within 3 weeks",
    "participation in a study ... | administered in the last 14 days": a time the current reading of
    StudyParticipation does not hold (the atom "now" would not be necessary). The same for a
    concurrent medication taken now (PriorTherapy ``within_days`` 0): "receiving systemic steroids |
    with > 10 mg/day ... within 7 days prior to the first dose" reaches a course that ended 3 days ago."""
    if any(isinstance(n, c.StudyParticipation) for n in walk(node)) and _TIME_WORDS.search(rest):
        return True
    return any(_now(n) for n in walk(node)) and bool(_TIME_SPAN.search(rest))


# a time span or point, not a dose rate ("10 mg/day", "daily dose" are no time)
_TIME_SPAN = re.compile(r"\b(?:\d+ (?:days?|weeks?|months?|years?)|within|since|prior to|before|preceding|"
                        r"(?:last|past|previous) (?:\d+ )?(?:days?|weeks?|months?|years?))\b")


def _now(node: c.Node) -> bool:
    return isinstance(node, c.PriorTherapy) and node.within_days == 0


def _lacks_window(node: c.Node, is_list: bool = False) -> bool:
    """Whether a window written after ``node`` may be its own: a treatment, procedure or lab atom
    without one, or a list of parts holding a treatment or procedure without one (a lab's window
    after a list of labs is when they were measured: All(labs, Unparsed(window)) only narrows)."""
    if is_list:
        return any(isinstance(n, (c.PriorTherapy, c.Procedure, c.StudyParticipation)) and (n.within_days is None or _now(n))
                   for n in walk(node))
    if isinstance(node, c.All) and node.items and isinstance(node.items[0], c.PriorTherapy) and _now(node.items[0]):
        node = node.items[0]  # "> 20 mg/day prednisone (or equivalent) | ... within 15 days": the current use's window
    return isinstance(node, (c.PriorTherapy, c.Procedure, c.Lab, c.StudyParticipation)) and (
        node.within_days is None or _now(node))
