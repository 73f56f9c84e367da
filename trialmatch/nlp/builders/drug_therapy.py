"""Prior drug or class therapy: "prior X [within N days]", lists of drugs and classes
(known alternatives as atoms, unknown ones Unparsed beside them), lines of therapy, "X including
Y", "naive to X", one adjective narrowing a known therapy (the module docstring of therapy.py)."""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
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
_LIST_SPLIT = re.compile(r"\s*(?:,\s*or|,\s*and/or|\s+or|\s+and/or)\s+|\s*,\s*|\s*/\s*")


# phrases naming several classes at once (the evaluation set's conventions)
_SYSTEMIC = ("chemotherapy", "immunotherapy", "targeted_therapy", "endocrine_therapy")
_PD = ("anti_pd1", "anti_pdl1")
_MULTI = {
    "systemic anti-cancer": _SYSTEMIC, "systemic anticancer": _SYSTEMIC, "anti-cancer": _SYSTEMIC, "anticancer": _SYSTEMIC,
    "systemic antineoplastic": _SYSTEMIC, "antineoplastic": _SYSTEMIC, "systemic anti-neoplastic": _SYSTEMIC,
    "anti-neoplastic": _SYSTEMIC, "systemic": _SYSTEMIC, "systemic cancer": _SYSTEMIC, "anti-tumor": _SYSTEMIC,
    "antitumor": _SYSTEMIC, "anti-tumour": _SYSTEMIC, "antitumour": _SYSTEMIC,
    "systemic treatment for cancer": _SYSTEMIC, "systemic therapy for cancer": _SYSTEMIC,
    "anti-pd-1/pd-l1": _PD, "anti-pd-1/anti-pd-l1": _PD, "pd-1/pd-l1 inhibitor": _PD, "pd-1/pd-l1 inhibitors": _PD,
    "anti-pd-(l)1": _PD, "anti-pd(l)1": _PD, "pd-1/pd-l1": _PD, "anti-pd-1/l1": _PD, "anti-pd-1/pd-l1 antibody": _PD,
    "anti-pd-1/pd-l1 antibodies": _PD, "pd-(l)1 inhibitor": _PD, "pd-(l)1 inhibitors": _PD, "anti-pd-(l)1 antibody": _PD,
}
_MULTI_SUFFIX = re.compile(r" (?:therapy|therapies|treatment|agents?|drugs?|antibod(?:y|ies)|medications?|inhibitor therapy)$")
# "anti-cancer antibodies" are some systemic therapy, not all of it: the suffix names a kind
_KIND_SUFFIX = re.compile(r" (?:antibod(?:y|ies)|inhibitors?|inhibitor therapy)$")


# classes whose usual name is broader outside one setting: the class is kept only when the clause
# says that setting. "Immunomodulatory drugs/agents" are the IMiDs (thalidomide analogues) in
# myeloma, but steroids, interferons or checkpoint inhibitors elsewhere ("systematic
# immunomodulatory drugs ... such as thymosin, IL-2, IFN", NCT05746897).
_CLASS_NEEDS_CONTEXT = {
    "immunomodulatory_drug": re.compile(r"\bimids?\b|\bimide\b|thalidomide|lenalidomide|pomalidomide|myeloma"),
}


def _in_context(clause: Clause, classes) -> bool:
    return all(k not in _CLASS_NEEDS_CONTEXT or _CLASS_NEEDS_CONTEXT[k].search(clause.text) for k in classes)


# compiled once here (the readings below run on most clauses and heads)
_AND = re.compile(r"\band\b(?!/or)")
_OR = re.compile(r"\bor\b|\band/or\b")
_PART_LEAD = re.compile(r"^(?:a|an|any|prior|previous|other) ")
_MEMBER_LEAD = re.compile(r"^(?:(?:a|an|any|other|another) )+")
# "X including Y", "X (including investigational X)": an aside in brackets only for investigational ones at the
# end of the phrase (an aside naming another kind, "(including VEGF-targeted therapy)", is left to the clause
# reader's judgment: test_audit_readings)
_INCLUDING = re.compile(r"^(?P<x>.+?)(?:,? (?P<inc>including (?!but\b).+)| \((?P<inc2>including investigational [^()]+)\))$")
_ADJECTIVE = re.compile(r"^(?P<adj>[a-z][a-z-]+) (?P<rest>.+)$")
_HEAD_NOUN = re.compile(r" (inhibitors?|inhibition|antibod(?:y|ies)|agents?|therap(?:y|ies)|blockers?)$")


def resolve_drug(clause: Clause, phrase: str, concurrent_ok: bool = False) -> c.PriorTherapy | None:
    """The drugs and classes the phrase names. Concurrent medications (``concurrent``) only when
    the caller reads a window or current use (``concurrent_ok``): "prior systemic steroids" with
    no window (ever, even one course years ago) is not what a criterion about them means."""
    atom = _resolve_any(clause, phrase)
    if atom is None or not _in_context(clause, atom.classes):
        return None
    return atom if concurrent_ok or not concurrent(clause, atom) else None


def concurrent(clause: Clause, atom: c.PriorTherapy) -> bool:
    """The atom names a concurrent medication: a class marked ``oncology: false`` in the
    vocabulary (systemic corticosteroids, immunosuppressants) or a drug only in such classes."""
    vocab = clause.terms.vocab
    is_oncology = getattr(vocab, "is_oncology_class", None)
    if is_oncology is None:
        return False  # a stand-in vocabulary without the flag
    if any(not is_oncology(k) for k in atom.classes):
        return True
    return any(vocab.drug_classes(d) and not vocab.oncology_drug_classes(d) for d in atom.drugs)


def _resolve_any(clause: Clause, phrase: str) -> c.PriorTherapy | None:
    """The drugs and classes a phrase names, read once per phrase: the answer depends on the words
    and the terms only (the same phrase is resolved by the prior, modified, alternatives and naive
    readings of a clause, and again in its heads)."""
    phrase = phrase.strip()
    return clause.terms.remembered(("therapy", phrase), lambda: _read_therapy(clause, phrase))


# "strong CYP3A4 inhibitors or inducers", "strong inhibitors/inducers of CYP3A4": both classes (each
# excludes alone); "moderate" or a strength left unsaid is not read (only strong classes exist)
_CYP = r"(?:cyp ?3a4?(?:/5)?|cytochrome p450 3a4?(?:/5)?(?: \(cyp ?3a4?(?:/5)?\))?)"
_BOTH = r"(?:inhibitors? ?(?:or|and/or|and|/) ?inducers?|inducers? ?(?:or|and/or|and|/) ?inhibitors?)"
_CYP_BOTH = re.compile(rf"^(?:known )?strong (?:{_CYP} {_BOTH}|{_BOTH} of {_CYP})$")
_CYP_CLASSES = ("strong_cyp3a_inhibitor", "strong_cyp3a_inducer")


def _read_therapy(clause: Clause, phrase: str) -> c.PriorTherapy | None:
    if "strong" in phrase and _CYP_BOTH.match(phrase):
        return c.PriorTherapy(classes=_CYP_CLASSES)
    multi = _MULTI.get(phrase) or _MULTI.get(_MULTI_SUFFIX.sub("", phrase))
    if multi == _SYSTEMIC and _KIND_SUFFIX.search(phrase):
        multi = None
    if multi:
        return c.PriorTherapy(classes=multi)
    if _AND.search(phrase):
        return None
    drugs: list[str] = []
    classes: list[str] = []
    whole = _drug_or_class(clause, phrase)  # "cdk4/6 inhibition": whole before the slash splits it
    parts = [phrase] if whole else [p for p in _LIST_SPLIT.split(phrase) if p]
    for part in parts:
        found = _drug_or_class(clause, _PART_LEAD.sub("", part))
        if found is None:
            return None
        (classes if found[0] == "class" else drugs).append(found[1])
    if not drugs and not classes:
        return None
    return c.PriorTherapy(drugs=tuple(dict.fromkeys(drugs)), classes=tuple(dict.fromkeys(classes)))


def _drug_or_class(clause: Clause, phrase: str):
    """A drug or class named by the phrase, or by the phrase without a trailing "therapy" /
    "agent" word ("aromatase inhibitor therapy" = "aromatase inhibitor"). "X inhibition
    [therapy]" is therapy with an X inhibitor ("prior therapy with CDK4/6 inhibition")."""
    found = clause.terms.drug_or_class(phrase)
    if found is None and THERAPY_WORD.search(phrase):
        phrase = THERAPY_WORD.sub("", phrase)
        found = clause.terms.drug_or_class(phrase)
    if found is None and phrase.endswith(" inhibition"):
        found = clause.terms.drug_or_class(phrase[:-len("inhibition")] + "inhibitor")
    return found



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
        _form_of(clause, x) if ok else None)
    if atom is None:
        return None
    return dataclasses.replace(atom, within_days=within) if within is not None else atom


# Current use of a concurrent medication: "concurrent use of systemic corticosteroids", "use of
# systemic steroids", "requires chronic systemic steroid therapy", "currently receiving
# immunosuppressive therapy". In an exclusion these mean the drug is taken now (the medication
# list of the screening visit), so the atom is PriorTherapy(within_days=0): an order under way,
# never a course that ended (the matcher reads an exclusion with a window as a wait: on the drug
# now is UNKNOWN, to confirm, "eligible if it is stopped"). Words of the past ("prior",
# "history of", "received", "current or prior") without a window are not read: ever having had
# a steroid course is not what these criteria mean. Oncology drugs are not read this way here.
_NOW_WORD = (r"(?:currently|concurrently|current|concurrent|concomitant|concomitantly|ongoing|chronic|chronically|"
             r"regular|long-term|continuous|daily|active)")
_NOW_VERB = (r"(?:use of|usage of|treatment with|therapy with|administration of|receiving|taking|using|requiring|"
             r"requires|require|required|need for|needs|need|on|anticoagulation with|anticoagulated with)")
_CURRENT = re.compile(
    rf"^(?:(?:is|are|be|being|who are|who is|who require|who requires) )?(?P<now>(?:{_NOW_WORD} )*)"
    rf"(?P<verb>(?:{_NOW_VERB} )*)(?:(?:any|a|an|the|other) )?(?P<now2>(?:{_NOW_WORD} )*)(?P<x>.+)$")
_PAST = re.compile(r"\b(?:prior|previous|previously|history|received|receipt|had|have had|has had|ever|past|recent|"
                   r"recently|former|formerly|exposure|exposed|last)\b")


def current_use(clause: Clause, t: str) -> c.PriorTherapy | None:
    """PriorTherapy(concurrent medication, within_days=0) for words of current use (see above); a
    window at the end is kept ("concurrent use of systemic steroids within 14 days")."""
    head, within = window_at_end(t)
    m = _CURRENT.match(head)
    if not m or not (m.group("now") or m.group("verb") or m.group("now2")) or clause.historical:
        return None
    if within is None and _PAST.search(head):
        return None
    x = _KNOWN_AS.sub("", m.group("x"))
    atom = resolve_drug(clause, x, True) or (
        resolve_drug(clause, THERAPY_WORD.sub("", x), True) if THERAPY_WORD.search(x) else None) or _form_of(clause, x)
    if atom is None or not concurrent(clause, atom):
        return None
    return dataclasses.replace(atom, within_days=within if within is not None else 0)


# "medications that are known to be strong inhibitors of CYP3A4", "known strong CYP3A4 inducers": the class
_KNOWN_AS = re.compile(r"^(?:(?:medications?|drugs?|agents?|therap(?:y|ies)|substances?|products?)(?: that| which)? "
                       r"(?:are|is) (?:known (?:to be |as )?)?|known (?:to be |as )?)")


# "any other form of immunosuppressive therapy" (the KEYNOTE template): the class itself
_FORM_OF = re.compile(r"^(?:(?:any|other|another) )*(?:forms?|kinds?|types?) of (?:(?:any|other) )?")


def _form_of(clause: Clause, x: str) -> c.PriorTherapy | None:
    """A concurrent medication class after "any other form of"; oncology phrases are not read so."""
    m = _FORM_OF.match(x)
    if not m:
        return None
    rest = x[m.end():]
    atom = resolve_drug(clause, rest, True) or (
        resolve_drug(clause, THERAPY_WORD.sub("", rest), True) if THERAPY_WORD.search(rest) else None)
    return atom if atom is not None and concurrent(clause, atom) else None


# words before a therapy that do not narrow it to a kind: negation, investigational status, a count
# ("one prior systemic therapy" is a count of lines, not a kind of therapy), a verb ("receiving X" is
# under way now)
_NOT_NARROWING = re.compile(r"\b(?:or|and|other|non|not|investigational|experimental|approved|study|novel|unapproved|"
                            r"one|two|three|four|five|single|multiple|several|"
                            r"receive|receiving|take|taking|use|using|get|getting|start|starting|continue|continuing)\b")


# a dose word narrowing current use of a concurrent medication ("therapeutic anticoagulation": a
# prophylactic heparin does not count, which the record's dose cannot tell): kept Unparsed beside it
_DOSE_WORD = re.compile(r"^(?:therapeutic|therapeutic-dose|therapeutic dose|full-dose|full dose|high-dose|high dose)"
                        r"(?: doses? of)? ")


def current_use_narrowed(clause: Clause, t: str) -> c.Node | None:
    """All(PriorTherapy(concurrent medication, current), Unparsed(dose word)) for "requires therapeutic
    anticoagulation with warfarin", "current use of therapeutic anticoagulants"."""
    head, within = window_at_end(t)
    m = _CURRENT.match(head)
    if not m or not (m.group("now") or m.group("verb") or m.group("now2")) or clause.historical:
        return None
    d = _DOSE_WORD.match(m.group("x"))
    if not d:
        return None
    rest = m.group("x")[d.end():]
    atom = current_use(clause, "use of " + rest + (t[len(head):] if within is not None else ""))
    return c.All((atom, c.Unparsed(d.group(0).strip()))) if atom is not None else None


def modified_therapy(clause: Clause, t: str) -> c.Node | None:
    """"prior covalent BTK inhibitor": one adjective narrowing a known therapy (labels' reading):
    the therapy is necessary, All(PriorTherapy, Unparsed(adjective)). Also a dose word before a
    concurrent medication taken now (``current_use_narrowed``)."""
    narrowed = current_use_narrowed(clause, t)
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
        if atom is None or atom.classes == _SYSTEMIC or (not atom.classes and not atom.drugs):
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
    for sep in _LIST_SPLIT.finditer(x):
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
            if _drug_or_class(clause, " ".join(words[k:])) or _drug_or_class(clause, " ".join(words[:k])):
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
            and _resolve_any(clause, _MEMBER_LEAD.sub("", x[spans[-1][0]:])) == c.PriorTherapy(classes=_SYSTEMIC)):
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


# An inclusion asking something of the patients on a medication only: "Participants receiving bone
# resorptive therapy must be on stable doses for at least 42 days", "Patients who are receiving
# dexamethasone must be on a stable or decreasing dose for at least 1 week". A patient not on it
# meets the item (the requirement is not theirs); one on it is to confirm (the requirement stays
# Unparsed): Any(Not(PriorTherapy(X, within_days=0)), Unparsed(requirement)). The medication is never
# required. Refused: a subject in the past ("receiving prior systemic therapy", "treated with"), a
# drug the vocabulary does not know, a requirement that is not one ("should be encouraged").
_SUBGROUP = re.compile(
    r"^(?:who (?:are|is) |(?:are|is) )?(?:currently )?(?:receiving|taking|using|on) (?P<x>.+?) "
    r"(?P<req>(?:must|need to|are required to|is required to) .+)$")
_SUBGROUP_DOSE = re.compile(r"^(?:(?:concomitant|concurrent|ongoing|chronic|regular|daily) )*"
                            r"(?:(?:full|therapeutic|high|low|stable)(?:-| )dose )?")


def subgroup_on_drug(clause: Clause, t: str) -> c.Node | None:
    if clause.section != "inclusion" or clause.historical or not (" must " in t or " required " in t or " need " in t):
        return None
    m = _SUBGROUP.match(t)
    if not m or _PAST.search(m.group("x")):
        return None
    x = m.group("x")[_SUBGROUP_DOSE.match(m.group("x")).end():]  # the subgroup's dose words: on X at all
    atom = resolve_drug(clause, x, True) or (
        resolve_drug(clause, THERAPY_WORD.sub("", x), True) if THERAPY_WORD.search(x) else None)
    if atom is None:
        return None
    return c.Any((c.Not(dataclasses.replace(atom, within_days=0)), c.Unparsed(m.group("req"))))

