"""An item's exception clause and what it does to the head before it (the ClauseParser's mixin
``ExceptionReader``; ``SentenceReader._parse_text`` hands it each item's text).

- An exception clause ("unless", "except", "Note:", "... are eligible") is kept unparsed:
  in an inclusion the item becomes Any(head, Unparsed(exception)), in an exclusion
  All(head, Unparsed(exception)) (then wrapped in Not), so the head decides only in the
  direction the exception cannot change. An exception whose every term the residual-toxicity
  atom knows ("..., excluding alopecia") is folded into the atom (toxicity.fold_exception).
  A sentence that prohibits after a permission of the head ("X is allowed. However, Y are
  prohibited") is a requirement of its own (both readings must agree), not part of the exception.
- An inclusion's exception that only narrows which measurement counts or refuses patients the head
  admits leaves the head necessary (All); a permission on a condition ("Prior radiotherapy is allowed
  if ...") is Any(Not(head), All(head, exception)); a looser lab threshold for liver metastases or
  Gilbert's syndrome is read exactly (group_requirements.py).
"""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import positive_atoms, walk
from trialmatch.nlp.builders.toxicity import fold_exception
from trialmatch.nlp.group_requirements import gilbert_threshold, liver_threshold
from trialmatch.nlp.lab_evidence import WIDENS, evidence_bearing
from trialmatch.nlp.normalize import normalize
from trialmatch.nlp.sentences import CUT_SHORT, both_or_open, restated, sentence_spans

# "Patients with X | are eligible / may participate": a permission, no requirement
_PERMISSIVE = re.compile(
    r"(?:(?:are|is|will be|may be|would be|remain|be) (?:also )?(?:eligible|allowed|permitted)"
    r"(?: (?:to participate|to enrol|to enroll|for (?:this|the) (?:study|trial)|for enrol?ment))?"
    r"|may (?:participate|enrol|enroll|be enrolled|be included)|can be included)"
    r"(?:[.,;:]|\s+(?:if|provided|as long as|when|unless|but|after|only|in)\b|\s*$)")
# a permission's condition or a requirement after it ("is allowed if ...", "are eligible providing ...",
# "is allowed. However, all patients must ...")
_ON_CONDITION = re.compile(r"\b(?:if|provided|providing|as long as|when|unless|but|only|however|must|except|after)\b|[.;]\s+\S")
# a sentence after an exception that widens it further ("... may be considered eligible")
_PERMISSION = re.compile(r"\b(?:eligible|allowed|permitted|acceptable|may (?:participate|enrol|enroll|be enrolled|be included))\b")
_REFUSAL = re.compile(r"\b(?:not|never) (?:be )?(?:eligible|allowed|permitted|acceptable)\b|\bineligible\b")
# a sentence of an inclusion's exception that refuses patients the head admits ("LCNEC are not eligible",
# "pure small-cell histology ... are excluded", "only patients age <= 25 are eligible")
_REFUSES = re.compile(
    r"\b(?:not|never) (?:be )?(?:eligible|allowed|permitted|acceptable|allowable|enrolled|included)\b|\bineligible\b|"
    r"\b(?:is|are|will be) excluded\b|\bonly (?:patients|participants|subjects|those|individuals|women|men)\b"
    r"(?:[^.;]*?\b(?:are|is|will be) (?:eligible|enrolled|included|allowed)\b)?")
# a later sentence that forbids something: a requirement of its own, not one more exception
_PROHIBITS = re.compile(r"\b(?:prohibited|forbidden|not (?:be )?(?:allowed|permitted|acceptable|allowable|eligible)|"
                        r"ineligible|(?:is|are|will be) excluded|must not|may not|cannot|should not)\b")
# "Patients with X", "Participants positive for HIV": a subgroup (not "Women and men >= 18 years old are eligible")
_SUBGROUP = re.compile(r"^\s*(?:(?:male |female )?(?:patients?|participants?|subjects?|individuals?|persons?|people|women|men|those)"
                       r"\s+(?:(?:who|that)\s+(?:have|has|had|are|is|were)\b|with\b|having\b|positive\b|known\b|serologically\b|"
                       r"diagnosed\b|previously\b|on\b|receiving\b|taking\b))")

_MUST = re.compile(r"\bmust\b")
_ALTERNATIVE_AFTER_BRACKET = re.compile(
    r"^[\s,]*(?:and/)?or\b|^\s*,[^,]+,\s*(?:and/)?or\b|"
    r"\b(?:and/)?or (?:any|minor|planned|plans?|anticipat\w*|need|those|patients?|participants?|subjects?)\b")
_WINDOW_ASIDE = re.compile(r"\s*\((?:obtained|performed|measured|within|done|drawn|collected|to be performed)\b"
                           r"[^()]*\d+[ -]?(?:days?|weeks?)[^()]*\)\s*\.?\s*$", re.I)
_NO_EXCEPTION = re.compile(r"(?i),?\s+unless otherwise (?:stated|specified|noted|indicated)(?=\s*[).;]|\s*$)")


def _site_decides(node: c.Node, head: str) -> c.Node:
    """Before an exception, a metastatic site with two qualifiers read as both ("No untreated,
    symptomatic brain metastasis. Patients with treated brain metastases are eligible if ...",
    NCT05677490): the exception names one qualifier's opposite, so the other qualifiers may each
    exclude alone (untreated ones, symptomatic or not) or only together. Only the site decides:
    no metastasis there -> NOT_MET, both qualifiers -> MET, any other patient with metastases there
    is open (the qualifiers and the exception's conditions are to confirm)."""
    if isinstance(node, c.All) and len(node.items) > 1 and all(
            isinstance(n, c.Metastasis) and n.site is not None and n.qualifier is not None for n in node.items) \
            and len({(n.site, n.extent) for n in node.items}) == 1:
        site = dataclasses.replace(node.items[0], qualifier=None)
        return c.Any((node, c.All((site, c.Unparsed(head.strip(" ,;:(-"))))))
    if isinstance(node, (c.All, c.Any)):
        items = tuple(_site_decides(n, head) for n in node.items)
        return node if items == node.items else dataclasses.replace(node, items=items)
    if isinstance(node, c.Not):
        item = _site_decides(node.item, head)
        return node if item is node.item else c.Not(item)
    return node


_PRESENCE = (c.PriorTherapy, c.Procedure, c.Metastasis, c.Condition, c.CancerType, c.Histology, c.Biomarker, c.Variant,
             c.Stage)


def _presence_only(node: c.Node) -> bool:
    """Whether a head names only things a patient has (a therapy, a metastasis, a cancer), no bound
    ("a maximum of two lines of prior taxane ... will be allowed": Not of a bound is beyond it) and no Not."""
    atoms = [n for n in walk(node) if not isinstance(n, (c.All, c.Any, c.Unparsed))]
    return bool(atoms) and all(isinstance(a, _PRESENCE) and getattr(a, "max_lines", None) is None
                               and getattr(a, "min_lines", None) is None for a in atoms)


def _in_bracket(raw: str, cut: int) -> bool:
    """Whether the exception word at ``cut`` opens or sits in a bracket that closes later."""
    opening = raw.rfind("(", 0, cut + 1)
    return opening >= 0 and raw.find(")", opening, cut) < 0 and raw.find(")", cut) > 0


def _folded_toxicity(node: c.Node) -> bool:
    """A reading whose atoms are residual toxicities, each holding its exceptions."""
    atoms = [n for n in walk(node) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
    return bool(atoms) and all(isinstance(a, c.ResidualToxicity) and a.exceptions for a in atoms)


def _bracket_goes_on(raw: str, cut: int) -> bool:
    """Whether the exception word at ``cut`` sits in a bracket after which its sentence goes on
    with more of a list ("X (excluding Y), Z, or W")."""
    opening = raw.rfind("(", 0, cut + 1)  # the cut is at the bracket when the exception is in one
    if opening < 0 or raw.find(")", opening, cut) >= 0:
        return False
    depth, closing = 0, -1
    for i in range(opening, len(raw)):  # the bracket's own closing one ("(except X (eg, Y) or Z)")
        depth += {"(": 1, ")": -1}.get(raw[i], 0)
        if depth == 0:
            closing = i
            break
    if closing < 0:
        return False
    ends = [i for i in (raw.find(". ", closing), raw.find("; ", closing)) if i >= 0]
    after = raw[closing + 1:min(ends) if ends else len(raw)].lower()
    while True:  # brackets after it are asides of their own
        shorter = re.sub(r"\([^()]*\)", " ", after)
        if shorter == after:
            break
        after = shorter
    # only an alternative outside brackets: right after it ("(excluding X) or minor surgery ..."), after
    # one more list member ("(excluding X), minor surgery within 2 weeks, or ..."), or one opening
    # with a word that starts another event ("... at enrolment or any major infection ..."); "(except
    # X) within 28 days", "(other than X), within 2 years ... that requires therapy or is at high risk"
    # go on with the head's own words
    return _ALTERNATIVE_AFTER_BRACKET.search(after.split("(")[0]) is not None



# "If female of childbearing potential, ... pregnancy test", "For women of child-bearing potential, negative pregnancy
# test ...", "If the patient is a female of childbearing potential, ...": a subgroup before pregnancy words in the same
# sentence (see ExceptionReader._exception_at)
_CHILDBEARING_SUBGROUP = re.compile(
    r"(?:(?:if|for|in) (?:all |the |an? )?(?:(?:patient|participant|subject) is (?:an? )?|(?:she|he) is (?:an? )?)?"
    r"(?:(?:women|woman|females?|female (?:participants?|patients?|subjects?)|participants?|patients?|subjects?|persons?|"
    r"individuals?) (?:is |are )?)?(?:(?:of|with|who are of|who is of) )?(?:child-?\s?bearing|childbearing|reproductive) "
    r"(?:potential|age)(?: \([a-z]{3,6}\))?|if (?:a )?female,?|if (?:capable of becoming|able to become) pregnant,?"
    r"(?=[^.;]*?pregnancy test))[^.;]*?pregnan")



# the legal age, majority or consent age of a country named beside an age limit
_LEGAL_AGE = re.compile(r"\b(?:legal(?:ly)? (?:adult )?age|age of (?:legal )?(?:majority|consent|adulthood)|legal adult)\b")
_RAISES = re.compile(r"\b(?:older|higher|greater|above|over|more)\b|>")  # "... if it is older than 18 years"
_LOWERS = re.compile(r"\b(?:younger|lower|less|below|under)\b|<")


# the DEPENDENT values of sentences that restate the head (read so only after a head of that kind)
_RESTATING = ("age_restated", "pregnancy_test")


class ExceptionReader:
    """The exception level of the ClauseParser (a mixin: ``_sentences`` reads an item's sentences,
    ``parse_clause`` one clause, ``context`` the context rules)."""

    def _read_exception(self, raw: str, section: str) -> c.Node | None:
        """The node of an item's text with its exception clause, if any (None: nothing understood)."""
        # "(within 14 days prior to day 1 of protocol therapy unless otherwise stated)": no exception,
        # the protocol's general proviso; read as one, the window was lost with it (a lab older than
        # the window counted)
        raw = _NO_EXCEPTION.sub("", raw)
        cut = self._exception_at(raw.lower())
        if cut is not None and _in_bracket(raw, cut):
            # "toxicities (other than alopecia) not yet resolved to grade <= 1": the residual-toxicity
            # atom holds the bracket's exception itself (its terms are the atom's ``exceptions``); cut
            # there, the sentence lost its requirement. Only that reading is taken whole
            whole = self._sentences(normalize(raw), section)
            if whole is not None and _folded_toxicity(whole):
                return whole
        lead = None  # the words of the exception's sentence before and with the exception word
        bracketed = cut is not None and _bracket_goes_on(raw, cut)
        if cut is not None:
            # "X. Participants with treated Y may participate": the exception is the whole sentence
            boundary = max(raw.rfind(". ", 0, cut), raw.rfind("; ", 0, cut))
            if boundary > 0:
                if raw[boundary + 2:cut].strip(" ,;:(-"):
                    word = self.context.find("EXCEPTION", raw.lower())
                    lead = raw[boundary + 2:max(word.end(), cut) if word is not None else cut]
                cut = boundary + 2
        head, tail = (raw[:cut], raw[cut:].strip()) if cut is not None else (raw, None)
        if tail is not None and not head.strip(" ,;:.(-"):
            return None
        window = _WINDOW_ASIDE.search(tail) if tail is not None else None
        if window is not None and tail[:window.start()].strip() and ")" in tail[:window.start()] \
                and "(" not in head[head.rfind(")") + 1:]:
            # "Total bilirubin <= 1.5 x ULN (unless has Gilbert's disease) (performed within 14 days prior to
            # day 1)": the last bracket dates the head's measurement, not the exception (read with the
            # exception, the window was lost: a lab older than it counted)
            head, tail = f"{head.rstrip()} {window.group().strip()}", tail[:window.start()].strip()
        if tail is not None and all(self.context.documentation(tail[a:b]) for a, b in sentence_spans(tail)):
            # "HBV or HCV infection. Note: no testing is required unless mandated by local health
            # authority": how the protocol checks, not who is eligible. The whole item is read again (its
            # sentences drop such a note), unless the note hangs under the item as a sub-bullet ("... pregnancy
            # test\n  * If the urine test is positive ..., a serum pregnancy test will be required"), where no
            # sentence boundary parts it from the head: then the head alone
            # (a note in a bracket glued to the head, "per RECIST 1.1(lesions situated in a previously irradiated
            # area are considered measurable if ...)", is no sentence either: the head alone)
            tail = None
            if raw[cut:cut + 1] == "(":
                head = raw[:cut]
            else:
                head = raw if raw[:cut].rstrip()[-1:] in (".", ";") or not re.search(r"\n\s*[*•-]\s*$", raw[:cut]) \
                    else raw[:cut].rstrip().rstrip("*•-").rstrip()
        if tail is not None and _PERMISSIVE.match(tail.lower()) and _SUBGROUP.match(head.lower()) \
                and not re.search(r"\b(?:who|that|which)\s*$", head.lower()):
            return None  # "Participants with treated brain metastases are eligible": restricts nobody (labels: unparsed)
        head_node = self._sentences(normalize(head.rstrip(" ,;:(-")), section)
        if head_node is None:
            return None
        if tail is None:
            return head_node
        head_node = _site_decides(head_node, head)
        low = tail.lower()
        spans = sentence_spans(low) if len(low) == len(tail) else []
        if spans and all(self.context.dependent(normalize(low[a:b])) in _RESTATING
                         and restated(self.context.dependent(normalize(low[a:b])), head_node) == "definition"
                         for a, b in spans):
            # "Age >= 18 years. Because no dosing or adverse event data are currently available ... in patients
            # < 18 years of age, children are excluded from this study" (NCI template, 16 items): cut at "in
            # patients", the tail only restates the head (context rules DEPENDENT age_restated/pregnancy_test)
            return head_node
        if lead is not None and restated(self.context.dependent(normalize(lead)), head_node) is None \
                and restated(self.context.dependent(normalize(low[:spans[0][1]] if spans else low)), head_node) is None:
            # "Grade >= 2 neuropathy. Other toxicities not recovered to grade <= 1 (except alopecia)": the
            # sentence holding the exception states a requirement of its own, which the exception
            # inside it narrows; it is no exception of the sentence before. Inclusion: both required;
            # exclusion: both-or-open (All cleared every patient without the first: a wrong "eligible")
            # (inclusion: the exception's Any and the requirement's All must agree, else open)
            rest = c.Unparsed(tail)
            if section == "inclusion":
                return c.All((c.Any((head_node, rest)), c.Any((c.All((head_node, rest)), c.Unparsed(raw.strip())))))
            return both_or_open((head_node, rest), raw)
        after = low[spans[1][0]:] if len(spans) > 1 else ""
        if after and not (_PERMISSION.search(after) and not _REFUSAL.search(after)) \
                and (self.parse_clause(normalize(after), section) is not None
                     or (_PERMISSIVE.match(low) is not None and _PROHIBITS.search(after) is not None)
                     or self._later_stands_alone(low, spans[1:], section)):
            # "HbA1c > 10% in participants with diabetes. HbA1c > 8% in those undiagnosed.": a later
            # sentence states a condition of its own (not one more exception: "... may be considered
            # eligible"); it may belong to the exception or stand alone. Both readings must agree,
            # else the item is open (never the lenient reading alone). So does a sentence that
            # prohibits after a permission of the head itself ("Concurrent use of therapeutic warfarin
            # is allowed. However, anticoagulants that do not have reversal agents available are
            # prohibited ...", NCT04390737): inside the permission's All it cleared every patient
            # without warfarin (a wrong "eligible"). After an exception of the head's own ("Note:
            # inactivated flu vaccines are allowed; intranasal (live) vaccines are not allowed") a
            # prohibition takes the exception back and stays part of it
            exception, later = c.Unparsed(tail[:spans[1][0]].strip()), c.Unparsed(tail[spans[1][0]:].strip())
            if section == "inclusion":
                return c.All((c.Any((head_node, exception)), later))
            return c.Any((c.All((head_node, exception)), later))
        rest = c.Unparsed(tail)
        # "Persistent toxicities (CTCAE grade > 2) from prior cancer therapy, excluding alopecia": an
        # exception whose every term the residual-toxicity atom knows is the atom's own (kept
        # Unparsed, the item never decided: never NOT_MET while the toxicity is present)
        folded = fold_exception(head_node, tail)
        if section == "inclusion":
            if folded is not None:
                return folded
            if isinstance(head_node, c.Age) and _LEGAL_AGE.search(low) and _RAISES.search(low) and not _LOWERS.search(low):
                # "Age >= 18 years (or >= legal age within the country if it is older than 18 years)" (NCT06117774,
                # audit): the legal age only raises the limit where it is higher; read as an alternative (Any), an
                # 18-year-old met it where the age of majority is 19 or 21. The age is necessary, the rest kept
                return c.All((head_node, rest))
            bearing = evidence_bearing(head_node, low)
            if bearing == "narrows":
                # "Platelets >= 100,000/mm3 excluding measurements obtained within 3 days after transfusion"
                # (NCT06015659): which measurement counts, not who else is eligible; Any made a
                # transfused count a MET (a wrong "eligible"): the lab is necessary, the words kept beside it
                return c.All((head_node, rest))
            if bearing is None and any(True for _ in positive_atoms(head_node)):
                # (a head that only excludes, "No prior systemic therapy", admits nobody a refusal
                # after it refuses: "prior endocrine therapy is not allowed unless ..." restates it)
                bearing = self._refusal_bearing(tail)
            if bearing == "narrows":
                # "Diagnosis of prostate cancer (pure small-cell histology ... are excluded)", "Age <= 75 years
                # (except for sarcoma: only patients age <= 25 are eligible)": the exception refuses some
                # patients the head admits; Any made them MET (a wrong "eligible"): the head is necessary
                return c.All((head_node, rest))
            if bearing == "open":
                # "... not permitted within 14 days unless cytopenia is due to disease", "Patients with stage III
                # disease are eligible if ... Patients with LCNEC are not eligible": it narrows and widens
                return c.All((c.Any((head_node, rest)), c.Any((c.All((head_node, rest)), c.Unparsed(raw.strip())))))
            if _PERMISSIVE.match(low) and _ON_CONDITION.search(low) and _presence_only(head_node):
                # "Prior radiotherapy is allowed if the last treatment was > 2 weeks before C1D1", "Patients
                # with brain metastases are eligible providing ... controlled": the head is permitted on a
                # condition, never sufficient (Any(head, rest) made radiotherapy last week a MET: a wrong
                # "eligible"); without the head the item asks nothing
                permitted = c.Any((c.Not(head_node), c.All((head_node, rest))))
                if after and _MUST.search(after):
                    # "Prior radiotherapy is permitted. However, all patients must have received ...": a
                    # requirement of its own that no patient meets by lacking the head
                    return c.All((permitted, c.Unparsed(tail[spans[1][0]:].strip())))
                return permitted
            looser = liver_threshold(head, low, head_node, self.terms) if "metasta" in low else None
            if looser is None and "gilbert" in low:
                looser = gilbert_threshold(head, low, head_node, self.terms)
            if looser is not None:
                return looser
            dated = self._dated_labs(head, tail, head_node, section)
            return c.Any((dated if dated is not None else head_node, rest))
        # "Major surgery within 4 weeks (excluding vascular access), minor surgery within 2 weeks, or
        # radiotherapy within 1 week": the exception may end at its bracket, the words after it being
        # the item's own alternatives; "Major surgery within 28 days. Note: if a subject had major
        # surgery, they must have recovered ...": a note stating a requirement of its own (NCT06757647).
        # Either may exclude a patient without the head: both readings must agree, else the item is
        # open (All alone cleared such a patient: a wrong "eligible")
        # (a note's "should not receive live vaccine whilst on treatment", "may not breast feed during
        # treatment" speak of conduct on the study, not of who is eligible: only "must" reaches the patient)
        own_note = low.startswith("note") and _MUST.search(low[:spans[0][1]] if spans else low) is not None
        if bracketed or own_note:
            return both_or_open((head_node, rest), raw)
        return folded if folded is not None else c.All((head_node, rest))

    def _dated_labs(self, head: str, tail: str, head_node: c.Node, section: str) -> c.Node | None:
        """"PT/INR/aPTT <= 1.5 x ULN OR if patient is receiving anticoagulant therapy and INR or aPTT is within target
        range of therapy (obtained <= 14 days prior to registration)" (NCT06525766): a window at the end of an
        inclusion's exception, no bracket of the exception's own before it, may date the exception alone or the
        whole item; the labs before it are read dated (the stricter reading: a result older than the window does
        not meet them), not with the matcher's default freshness."""
        window = _WINDOW_ASIDE.search(tail)
        labs = [n for n in walk(head_node) if not isinstance(n, (c.All, c.Any, c.Unparsed))]
        if window is None or not labs or not all(isinstance(n, c.Lab) and n.within_days is None for n in labs):
            return None
        bare = re.sub(r"(?i)(?:[\s,;:(-]+(?:or|and/or))?[\s,;:(-]*$", "", head)  # "... x ULN OR" before "if ..."
        dated = self._sentences(normalize(f"{bare} {window.group().strip().rstrip('.')}"), section)
        if dated is None:
            return None
        found = [n for n in walk(dated) if not isinstance(n, (c.All, c.Any, c.Unparsed))]
        if len(found) != len(labs) or not all(isinstance(n, c.Lab) and n.within_days is not None for n in found):
            return None
        return dated

    def _exception_at(self, low: str) -> int | None:
        """Where the exception clause starts (context rules EXCEPTION), passing over a subgroup of childbearing
        potential that opens a sentence about pregnancy ("If female of childbearing potential, must have a negative
        pregnancy test"): no exception, a pregnancy implies childbearing potential (builders/pregnancy_test.py).
        A subgroup elsewhere in the sentence ("... test within 24 hours if of childbearing potential and agrees
        to ...") stays the exception."""
        cut = self.context.exception_at(low)
        while cut is not None and low.startswith(("if ", "for ", "in "), cut) and "pregnan" in low \
                and (cut == 0 or low[cut - 2:cut] in (". ", "; ", ": ") or low[cut - 1] == "\n"
                     or (low[cut - 1] == " " and low[cut - 2].isdigit())) and _CHILDBEARING_SUBGROUP.match(low, cut):
            pos = low.index(" ", cut)  # after the word: the rest is searched again
            found = self.context.exception_at(low[pos:])
            cut = None if found is None else pos + found
        return cut

    def _later_stands_alone(self, low: str, spans: list[tuple[int, int]], section: str) -> bool:
        """Whether a sentence after the exception's first, of no dependent shape, is read on its own:
        "... (except basal or squamous cell carcinoma of the skin that has been definitively treated i.
        Patients with uncontrolled brain or leptomeningeal metastases. ..." (NCT05961124: a bracket
        never closed, the next criterion run on into it); read as part of the exception it cleared a
        patient with uncontrolled brain metastases (a wrong "eligible")."""
        for a, b in spans:
            before = low[:a].rstrip()
            if CUT_SHORT.search(before[:-1] if before.endswith(".") else before):
                continue  # "i.e. without evidence of progression ...": the split cut an abbreviation
            if section == "exclusion" and before.endswith(";"):
                continue  # "except for X; non-muscle invasive bladder cancer; ...": the exception's list goes on
            sentence = normalize(low[a:b].strip(" .;:"))
            if sentence and self.context.dependent(sentence) is None and self.parse_clause(sentence, section) is not None:
                return True
        return False

    def _refusal_bearing(self, tail: str) -> str | None:
        """How an inclusion's exception bears on its head when a sentence of it refuses patients ("... are
        not eligible", "are excluded", "only patients age <= 25 are eligible"): "narrows" (it only
        refuses), "open" (it also permits), None (it refuses nobody; restatements of an age limit or a
        pregnancy test refuse nobody the head admits)."""
        low = tail.lower()
        spans = sentence_spans(low) if len(low) == len(tail) else [(0, len(low))]
        refusing = [low[a:b] for a, b in spans
                    if _REFUSES.search(low[a:b])
                    and self.context.dependent(normalize(low[a:b])) not in ("age_restated", "pregnancy_test")]
        if not refusing:
            return None
        rest = _REFUSES.sub(" ", low)
        return "open" if _PERMISSION.search(rest) or WIDENS.search(rest) else "narrows"
