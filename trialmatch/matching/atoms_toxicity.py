"""ResidualToxicity: an adverse event of prior anticancer therapy still above a CTCAE grade.

Evidence is the patient's AdverseEvent records (``PatientFacts.adverse_events``, HL7 CTCAE IG;
``mcode/adverse_events.py``). An exclusion "persistent toxicity > grade 1" and an inclusion
"recovered to <= grade 1" are both ``Not(ResidualToxicity(above_grade=1))``. A record *counts*
(shows the atom) only when all of these hold:

- graded: a CTCAE grade above ``above_grade`` (a record without a grade, or with the R4
  severity only, is to confirm; one at or below the limit shows nothing either way);
- not excepted: its event is not one of the atom's exceptions at or below that exception's own
  grade (``toxicity_terms.yaml``: a MedDRA code of the term, or a display / text that is its
  name). An event the atom does not except must be shown to be another event: coded in MedDRA
  (the CTCAE terms are MedDRA lowest-level terms) and not naming an excepted term; an event
  coded otherwise, or only in words, may be the excepted one and is to confirm;
- not resolved: no adverse-event-resolved-date, and an outcome other than resolved,
  resolvedWithSequelae or fatal (a resolved record is shown, never read as "recovered");
- attributed to anticancer therapy: a suspectEntity that is one of the patient's systemic
  anticancer medications (a drug of therapy.yaml's ``systemic_classes``) or cancer-related
  surgery or radiotherapy (a biopsy or port placement, kind "other", is no anticancer therapy). With
  ``therapy``: "chemotherapy" needs a drug of the chemotherapy class, "systemic" any systemic
  anticancer drug, "radiotherapy" a radiation procedure, "surgery" a surgery. No suspect, or one the record does not show to be such a
  therapy, is to confirm (AEs of other drugs are not this criterion's);
- current: dated (recordedDate, else date) within the ``adverse_event`` freshness window (28
  days, ``freshness.yaml``), whatever its outcome: an older or undated record, "ongoing" included
  (records are seldom closed when a toxicity improves), is to confirm, the old grade shown.

A counting record -> MET; with ``or_baseline`` ("resolved to baseline or grade <= 1") no record
states the patient's pre-treatment baseline, so it is UNKNOWN (to confirm whether the toxicity is
the patient's baseline) instead. Otherwise UNKNOWN, never NOT_MET: AE records are incomplete (a
toxicity graded in clinic notes only, or by another provider), so neither absence nor resolved
records show that none persists. The missing item is the "grade of residual toxicities of prior
therapy"; records that might count but cannot be shown to are named in the reason, kind
``to_confirm``.

What closes it is a clinician's assessment (entered fact ``residual_toxicity``: the worst grade of
the toxicities of prior therapy the patient still has, 0 = none), within the same 28-day window
and not older than any unresolved record above the limit: its grade at or below the limit -> NOT_MET; above it -> MET,
unless the atom excepts some toxicities, accepts the baseline or names one kind of therapy (the
grade alone does not tell: UNKNOWN, to confirm).
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import TO_CONFIRM
from trialmatch.matching.outcome_build import absent_kind, day, evidence, is_fresh, met, not_met, unknown

ITEM = "grade of residual toxicities of prior therapy"
RESOLVED_OUTCOMES = frozenset({"resolved", "resolvedWithSequelae", "fatal"})
_SUFFIX = re.compile(r"\s*\((?:disorder|finding)\)$")


def _meddra(coding) -> bool:
    system = (coding.system or "").lower()
    return "mdr" in system or "meddra" in system


def _names(ae) -> list[str]:
    texts = [x.display for x in ae.codes if x.display] + ([ae.text] if ae.text else [])
    return [_SUFFIX.sub("", t.strip().lower()) for t in texts]


def _label(ae) -> str:
    return next((x.display for x in ae.codes if x.display), None) or ae.text or "adverse event"


def _is_term(ae, term) -> bool:
    return any(_meddra(x) and x.code in term.meddra for x in ae.codes) or any(n in term.names for n in _names(ae))


def _mentions(ae, term) -> bool:
    """The event's words name the term somewhere ("chemotherapy-induced peripheral neuropathy")."""
    return any(re.search(rf"\b{re.escape(n)}\b", text) for n in term.names for text in _names(ae))


def _exception_state(ae, grade, node, terms) -> str:
    """"excepted", "counts" or "unclear" for a record graded above the atom's limit."""
    for exc in node.exceptions:
        term = terms.get(exc.term)
        if term is not None and _is_term(ae, term):
            return "excepted" if exc.max_grade is None or grade <= exc.max_grade else "counts"
    if any(exc.term not in terms or _mentions(ae, terms[exc.term]) for exc in node.exceptions):
        return "unclear"
    if node.exceptions and not any(_meddra(x) and x.code for x in ae.codes):
        return "unclear"
    return "counts"


def _cause(ae, view, systemic, therapy) -> str | None:
    """The kind of anticancer therapy a suspect of the record is, if the record shows one."""
    kinds: list[str] = []
    for med, _, classes in view.medications:
        if med.evidence in ae.suspects and classes & systemic:
            kinds += ["systemic", "chemotherapy"] if "chemotherapy" in classes else ["systemic"]
    for proc in view.facts.procedures:
        # a cancer-related procedure of another kind (a biopsy, a port placement) is no anticancer therapy
        if proc.evidence in ae.suspects and proc.kind in ("radiation", "surgery"):
            kinds.append("radiotherapy" if proc.kind == "radiation" else "surgery")
    if therapy is None:
        return kinds[0] if kinds else None
    return therapy if therapy in kinds else None


def compile_residual_toxicity(node: c.ResidualToxicity, negated, vocab, units):
    limit = node.above_grade
    cause_words = node.therapy or "prior anticancer therapy"

    def evaluate(ctx):
        rules = ctx.rules
        terms, window = rules.toxicity_terms, rules.window("adverse_event")
        counting, doubts, shown = [], [], []
        latest = None  # the date of the newest unresolved record above the limit (counting or not)
        for ae in ctx.view.facts.adverse_events:
            name = _label(ae)
            when = ae.recorded or ae.date
            if ae.grade is not None and ae.grade <= limit:
                continue
            shown.append(evidence(ae.evidence, f"{name}" + (f", grade {ae.grade}" if ae.grade is not None else ""),
                                  when))
            if ae.resolved is not None or ae.outcome in RESOLVED_OUTCOMES:
                continue  # over: shown, never read as "recovered" from every toxicity
            if when is not None:
                latest = when if latest is None else max(latest, when)
            if ae.grade is None:
                doubts.append(f"{name} ({day(when)}) has no CTCAE grade")
                continue
            state = _exception_state(ae, ae.grade, node, terms)
            if state == "excepted":
                continue
            if state == "unclear":
                doubts.append(f"whether grade {ae.grade} {name} is one of the accepted toxicities")
                continue
            if _cause(ae, ctx.view, rules.systemic_classes, node.therapy) is None:
                doubts.append(f"whether grade {ae.grade} {name} was caused by {cause_words}")
                continue
            if not is_fresh(when, window, ctx.as_of):
                # older than the window, "ongoing" or not: records are seldom closed when a toxicity improves
                doubts.append(f"whether grade {ae.grade} {name} ({day(when)}) persists")
                continue
            counting.append(f"grade {ae.grade} {name} ({ae.outcome or day(when)})")
        ev = tuple(shown)
        assessed = ctx.view.residual_toxicity[0] if ctx.view.residual_toxicity else None
        if assessed is not None and is_fresh(assessed.date, window, ctx.as_of) \
                and (latest is None or assessed.date >= latest):
            return _from_assessment(node, assessed, ev, cause_words)
        if counting and not node.or_baseline:
            return met(node, f"{'; '.join(counting)}: above grade {limit}, not resolved", ev)
        if counting:
            return unknown(node, f"{'; '.join(counting)}: above grade {limit}; whether it is the patient's baseline "
                           "is to confirm", ITEM, TO_CONFIRM, ev)
        if doubts:
            return unknown(node, "; ".join(doubts) + " is to confirm", ITEM, TO_CONFIRM, ev)
        return unknown(node, f"no unresolved adverse event above grade {limit} of {cause_words} recorded; "
                       "adverse event records are often incomplete", ITEM, absent_kind(negated), ev)

    return evaluate


def _from_assessment(node: c.ResidualToxicity, assessed, ev, cause_words: str):
    """A fresh clinician's assessment, not older than any unresolved record above the limit, decides: its worst grade at or
    below the limit rules the atom out; above it, the atom is met unless the atom excepts some
    toxicities, accepts the patient's baseline or names one kind of therapy (which the grade alone does
    not tell: to confirm)."""
    grade = assessed.max_grade
    said = f"worst residual toxicity grade {grade}, assessed {day(assessed.date)}"
    ev = ev + (evidence(assessed.evidence, f"worst residual toxicity grade {grade}", assessed.date),)
    if grade <= node.above_grade:
        return not_met(node, f"{said}: not above grade {node.above_grade}", ev)
    if node.exceptions or node.or_baseline or node.therapy:
        open_point = ("one of the accepted toxicities" if node.exceptions else
                      "the patient's baseline" if node.or_baseline else f"caused by {cause_words}")
        return unknown(node, f"{said}: whether it is {open_point} is to confirm", ITEM, TO_CONFIRM, ev)
    return met(node, f"{said}: above grade {node.above_grade}", ev)
