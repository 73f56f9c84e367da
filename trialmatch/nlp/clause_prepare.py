"""The words around what a clause states, taken off before the builders read it: subject words
("Patients must have"), leading negation and "history of", "known" / "any", unit equivalents,
examples, abbreviation asides ("(ANC)"), trailing connectors, and fillers that say when or by
whom the criterion is checked ("at screening", "as determined by the investigator")."""

from __future__ import annotations

import re

from trialmatch.nlp.builders.patterns import has_any
from trialmatch.nlp.context import Context
from trialmatch.nlp.required_literals import guarded

_SUBJECT_STEPS = tuple(re.compile(p) for p in (
    r"^(?:(?:male or female|female or male|adult|eligible|all|any)\s+)?(?:patients?|participants?|subjects?|"
    r"individuals?|persons?|people|candidates?)\b,?\s*"
    r"(?:\((?:male or female|female or male|males? and females?|females? and males?|men and women|men or women)\)\s*)?",
    # "female patients who are pregnant": the sex adds nothing to what follows; before an age ("male subjects aged
    # >= 18") it is a requirement of its own, kept for the age builder
    r"^(?:female|male)\s+(?:patients?|participants?|subjects?|individuals?|persons?|candidates?)\b"
    r"(?!\s*,?\s*(?:only\s*,?\s*)?(?:who (?:are|is)\s+|aged?\s+|of age\s+|of\s+)?(?:>=|>|<=|<|\d|between\b|aged?\b))\s*,?\s*",
    # "men and women >= 18 years": both sexes, no requirement on sex
    r"^(?:men and women|women and men|males and females|females and males|male and female|female and male)"
    r"(?:\s+(?:patients?|participants?|subjects?|adults?|individuals?))?,?\s+(?=aged?\b|>=|>|\d|who\b|must\b|with\b|of\b)",
    r"^(?:men|women|adults?)\s+(?=who\b|that\b|with\b|must\b|should\b|aged?\b)",
    r"^(?:who|that)\s+(?!performance|ps\b|or\b|/)",
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
# asides that carry meaning and never go: a sex ("QTcF > 470 ms (females)" is a threshold for women
# only; dropped, it reads as everyone's) or a QT correction formula ("QTc (Bazett) > 470 ms" names
# which QTc the lab builder reads; dropped, the QTc names none)
_SEX_ASIDE = re.compile(r"\b(?:females?|males?|women|woman|men|man|girls?|boys?)\b")
# an aside naming part of the trial ("(TAPS study)", "(Phase 2)", "(arm B only)"): the criterion is that part's
_SCOPE_ASIDE = re.compile(r"\b(?:study|cohorts?|arms?|parts?|phase|groups?|only|substudy|sub-?protocols?|modules?|strat(?:um|a))\b")
_FORMULA = re.compile(r"\b(?:qtc[fb]|fridericia|fredericia|frederica|bazett|framingham|hodges)\b|fridericia|bazett")


# asides on how a value was obtained that narrow which measurement counts: "Platelets >= 100,000/uL
# (unsupported)" is a count without transfusion (dropped, a count the day after a transfusion met it)
_SUPPORT_ASIDE = re.compile(r"\b(?:unsupported|untransfused|non-?transfused|transfusion\w*|support\w*|fasting|non-?fasting)\b")


# a head that holds every kind of anticancer therapy: its "(including radiotherapy)" restates it
_ANY_ANTICANCER = re.compile(r"\b(?:anti-?cancer|antineoplastic|anti-?neoplastic|anti-?tumou?r|cancer|oncologic)"
                             r" (?:therapy|therapies|treatments?)$")


def _widens(aside: re.Match, text: str) -> bool:
    """Whether an "(including ...)" aside names a kind of therapy the term before it may not hold. An
    investigational one always may: no record's drug class shows an investigational agent, so "any systemic
    anticancer therapy (including investigational) within 2 weeks" read without it cleared a patient dosed in
    another trial last week (audit, round 6)."""
    if "investigational" in aside.group(0):
        return True
    return bool(_WIDER_EXAMPLES.search(aside.group(0))) and not _ANY_ANTICANCER.search(text[:aside.start()].rstrip())


def _narrows(aside: re.Match, text: str) -> bool:
    """Whether an abbreviation-like aside must stay: a sex, a scope, how the value was obtained
    ("(unsupported)": without transfusion), a QT formula the clause names nowhere else, or a stage or TNM aside
    in a clause that names no stage or extent elsewhere ("Metastatic (stage IV)" restates; "stage III
    or IV melanoma (Stage IV)" contradicts: neither is read as a narrowing)."""
    if _SEX_ASIDE.search(aside.group(0)) or _SCOPE_ASIDE.search(aside.group(0)) or _SUPPORT_ASIDE.search(aside.group(0)):
        return True
    rest = text[:aside.start()] + text[aside.end():]
    if _FORMULA.search(aside.group(0)):
        return not _FORMULA.search(rest)  # "QT interval corrected by Fridericia's formula (QTcF)" restates it
    return bool(_CLINICAL_ASIDE.search(aside.group(0))) and not _STAGE_OR_EXTENT.search(rest)


_UNIT_EQUIVALENT = guarded(
    r"\s*[(\[](?:or |i\.e\.,? |equivalent to )?(?:>=|<=|>|<)?\s*\d+(?:\.\d+)?\s*(?:x10\^\d/[a-z0-9]+|/mm3|/ul|g/dl|g/l|mg/dl|umol/l|"
    r"mmol/l|ml/min[^)\]]*|u/l|%)[)\]]"
)
# "(e.g., palbociclib)": examples of the term before them; the term alone keeps the meaning
_EXAMPLES = guarded(r"\s*[(\[](?:e\.g\.?|eg\.?|for example|such as|including)[,:]?\s[^()\[\]]*[)\]]")
# "(including ...)" may add what the term before it does not hold: "Systemic chemotherapy (including
# VEGF-targeted therapy) within 2 months" adds bevacizumab to the washout (dropped, a patient on it
# 3 weeks ago read eligible). An aside naming another kind of therapy stays (the clause is then not
# read whole); one naming members ("cytotoxic chemotherapy (including fludarabine, ...)") goes.
_WIDER_EXAMPLES = re.compile(r"\bincluding\b.*\b(?:targeted|vegf\w*|antibod\w*|immuno\w*|hormon\w*|endocrine|radiation|"
                             r"radiotherap\w*|radiosurg\w*|biologic\w*|investigational|surg\w*|vaccin\w*|cell therap\w*|car-?t)\b")
# "(non-infectious) pneumonitis": a modifier the lexicon reads, in brackets
_BRACKETED_MODIFIER = guarded(r"\((non-?infectious|noninfectious)\)")
# "lactating (breastfeeding) women": the same state said again in brackets
_RESTATED_STATE = re.compile(r"(?:(?<=lactating)|(?<=nursing)) \((?:breast-?feeding|breast feeding|nursing|lactating)\)")
# "3.1.6 ECOG performance status <= 2": the protocol's outline number (two dots or more: never a value)
_OUTLINE_NUMBER = re.compile(r"^\d+(?:\.\d+){2,}\.?\s+(?=[a-z(])")
_TRAILING_CONNECTOR = re.compile(r"(?:;|,)?\s+(?:and|or)$")
_SPACES = re.compile(r"\s+")
# Phrases that add nothing to what the record can answer: when the protocol checks the criterion
# ("at screening", "prior to registration"), who judges it ("as determined by the investigator"),
# where it is written ("see section 5.2"). Never a window: "within 28 days" stays with its atom.
# each with literals every match of it holds: the expression runs only when one is there
_FILLERS = tuple((re.compile(p), words) for p, words in (
    (r",?\s*\((?:see|refer to|as defined in|as described in|per|defined in) (?:section|appendix|table|protocol section)[^()]*\)$",
     ("section", "appendix", "table")),
    (r",?\s*(?:\(|\[)?(?:see|refer to) (?:section|appendix|table) [0-9a-z.]+(?:\)|\])?$", ("section", "appendix", "table")),
    (r",?\s*(?:as )?(?:determined|judged|assessed|deemed|evaluated) by (?:the )?(?:treating |enrolling |site |local )?"
     r"(?:investigator|physician|clinician|oncologist|study doctor)s?$", ("d by ",)),
    (r",?\s*(?:per|according to|as per) (?:the )?(?:institutional|local|site|institution's|institution) "
     r"(?:standards?|guidelines?|criteria|practice|standard of care|laboratory|lab|normal ranges?|polic(?:y|ies))$",
     ("per ", "according to ")),
    (r",?\s*(?:at|during) (?:the )?(?:time of )?screening(?: visit)?$", ("screening",)),
    (r",?\s*at (?:the )?time of (?:study )?(?:enrollment|enrolment|registration|randomi[sz]ation|entry|study entry|inclusion|"
     r"consent|screening|signing (?:the )?(?:informed )?consent(?: form)?)$", ("time of ",)),
    (r",?\s*(?:prior to|before|at) (?:the )?(?:study )?(?:registration|enrollment|enrolment|randomi[sz]ation|study entry|entry)$",
     ("registration", "enrollment", "enrolment", "randomi", "entry")),
))


_KNOWN = re.compile(r"^known,?\s+(?!(?:or|and|and/or|to|by|as|in|at|for|if|that|with)\b|/)(?![^,;]*\bstatus\b)")
_ANY = re.compile(r"^any\s+(?!(?:of|one|two|three|other than|time|stage|grade|number|type|line|amount|dose|level|age|sex|"
                  r"gender|ecog|performance|histolog\w*)\b|\d)")


def strip_fillers(t: str) -> str:
    for _ in range(3):
        before = t
        for rx, words in _FILLERS:
            if has_any(t, words):
                t = rx.sub("", t)
            t = t.rstrip(" ,;:")
        if t == before:
            break
    return t


def prepare(text: str, section: str, context: Context) -> tuple[str, bool, bool]:
    """The clause's words without subject words, leading negation and history: (text, negated,
    historical); ("", False, False) for a double negation."""
    t = text.strip().rstrip(".;:,* ")
    if t[:1].isdigit():
        t = _OUTLINE_NUMBER.sub("", t, count=1)
    t = _TRAILING_CONNECTOR.sub("", t)
    t = _UNIT_EQUIVALENT.sub("", t)
    t = _EXAMPLES.sub(lambda m: m.group(0) if _widens(m, t) else "", t)
    t = _BRACKETED_MODIFIER.sub(r"\1", t)
    if "(" in t and ("lactating" in t or "nursing" in t):
        t = _RESTATED_STATE.sub("", t)
    t = _ABBREVIATION.sub(lambda m: m.group(0) if _narrows(m, t) else "", t)
    t = _SPACES.sub(" ", t).strip()
    negated = historical = False
    for _ in range(6):
        before = t
        for step in _SUBJECT_STEPS:
            t = step.sub("", t, count=1)
        m = context.negation.match(t)
        if m and m.end() > 0:
            if negated:
                return "", False, False  # a double negation: not a shape we read
            negated, t = True, t[m.end():]
        m = context.history.match(t)
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
