"""StudyParticipation: the patient takes part in another interventional clinical study (docs/matching.md).

Evidence is the record's ResearchSubject resources (``StudyEnrolment`` facts) and the
ResearchStudy each names. A medication record is never read as investigational: nothing in it
says that a drug was given in a trial. Each enrolment is read on its own:

- the trial being matched (a study identifier equal to the trial's id, e.g. its NCT number) is
  not "another" study: skipped;
- not on study (candidate, eligible, screening, pending-on-study, ineligible, not-registered,
  withdrawn, potential-candidate): does not count;
- on study (on-study, on-study-intervention) with a period overlapping the window (for "now":
  not ended before the as-of date and not starting after it), or off-study with a period ending
  inside the window: active in the window; an on-study record with no end whose study is no longer
  running (completed, withdrawn, closed to intervention...) is stale: open (to confirm);
- follow-up or on-study-observation: the study's intervention is over, but when is not
  recorded: open for a window, and for "currently participating" (a follow-up phase may or may not
  count as participation); not receiving the agent for a current ``drug_only`` atom;
- a record active in the window counts only when its study is shown interventional (category,
  primary purpose or phase, see ``mcode.research_subjects``); observational: does not count; not
  in the Bundle or design not recorded: open. ``drug_only`` (an investigational agent) also needs
  a drug-testing phase (early phase 1 to phase 3; a phase 4 study may test an approved use, and
  "n-a" is not a drug trial): otherwise open. ``purpose`` ("treatment": a therapeutic study) needs
  the study's primary purpose to be it: otherwise open (a supportive-care or diagnostic study may
  or may not be what the protocol calls therapeutic).

Verdict: a counting record -> MET; in an exclusion with a window, a washout counted back from the
trial's first dose (like PriorTherapy): UNKNOWN (to_confirm, "eligible after a N-day washout"),
never a permanent "ineligible". No counting record -> UNKNOWN, never NOT_MET: a trial elsewhere
is often not in the record (absence is not evidence); the missing item is "trial participation
history" (``to_confirm`` in an exclusion, ``missing`` in an inclusion), open records named in the
reason.
"""

from __future__ import annotations

from datetime import timedelta

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import TO_CONFIRM
from trialmatch.matching.outcome_build import absent_kind, day, evidence, met, unknown, washout_over

ITEM = "trial participation history"
ON_STUDY = frozenset({"on-study", "on-study-intervention"})
INTERVENTION_OVER = frozenset({"follow-up", "on-study-observation"})
# ResearchStudy statuses under which a study's intervention may still be given
STUDY_RUNNING = frozenset({"active", "closed-to-accrual", "temporarily-closed-to-accrual"})
TESTING_PHASES = frozenset({"early-phase-1", "phase-1", "phase-1-phase-2", "phase-2", "phase-2-phase-3", "phase-3"})


def compile_study_participation(node: c.StudyParticipation, negated, vocab, units, trial_id: str | None = None):
    own = trial_id.strip().upper() if trial_id else None
    window = node.within_days
    what = "a study of an investigational agent" if node.drug_only else "an interventional study"
    if node.purpose:
        what += f" ({node.purpose})"
    item = ITEM

    def evaluate(ctx):
        counted, open_ = [], []
        for s in ctx.view.studies:
            reading = _reading(s, node, own, ctx.as_of)
            if reading is None:
                continue
            kind, said = reading
            (counted if kind == "counts" else open_).append((s, said))
        if counted:
            s, said = counted[0]
            ev = _evidence(counted)
            if window is None:
                return met(node, f"on {what} now: {said}", ev)
            if not negated:
                return met(node, f"on {what} within {window} days: {said}", ev)
            if s.end is None or s.end >= ctx.as_of:
                return unknown(node, f"on {what} now ({said}); eligible {window} days after its intervention ends",
                               item, TO_CONFIRM, ev)
            return unknown(node, f"on {what} ({said}); eligible after a {window}-day washout "
                           f"(from {washout_over(s.end, window)})", item, TO_CONFIRM, ev)
        kind = absent_kind(negated)
        if open_:
            return unknown(node, "; ".join(said for _, said in open_), item, kind, _evidence(open_))
        return unknown(node, f"no participation in {what} recorded (a trial elsewhere is often not in the record)",
                       item, kind)

    return evaluate


def _evidence(records):
    out = []
    for s, said in records:
        out.append(evidence(s.evidence, s.status, s.end or s.start))
        if s.study:
            out.append(evidence(s.study, s.phase or s.design or s.study_status, None))
    return tuple(out)


def _reading(s, node: c.StudyParticipation, own: str | None, as_of):
    """("counts", said), ("open", said) or None (the record does not count)."""
    if own is not None and own in {i.upper() for i in s.study_ids}:
        return None  # the trial being matched is not "another" study
    window = node.within_days
    since = as_of - timedelta(days=window) if window is not None else as_of
    if s.status in ON_STUDY:
        if (s.start is not None and s.start > as_of) or (s.end is not None and s.end < since):
            return None
        if s.end is None and s.study_status is not None and s.study_status not in STUDY_RUNNING:
            return "open", f"on-study record, but its study is '{s.study_status}': whether the patient is still on it is to confirm"
        active = f"{s.status} since {day(s.start)}" + (f" until {day(s.end)}" if s.end else "")
    elif s.status == "off-study":
        if window is None:
            return None
        if s.end is None:
            return "open", "off-study record without an end date: whether it ended within the window is to confirm"
        if s.end < since:
            return None
        active = f"off-study on {day(s.end)}"
    elif s.status in INTERVENTION_OVER:
        if window is None and node.drug_only:
            return None  # not receiving the study's intervention now
        return "open", f"{s.status} record: when the study's intervention ended is to confirm"
    else:
        return None  # candidate, screening, withdrawn, ineligible, not-registered, ...
    if s.study is None:
        return "open", f"{active}; its study is not in the record, so its design is unknown"
    if s.design == "observational":
        return None
    if s.design != "interventional":
        return "open", f"{active}; the study's design (interventional or not) is not recorded"
    if node.drug_only and s.phase not in TESTING_PHASES:
        return "open", f"{active}; the study's phase ({s.phase or 'not recorded'}) does not show a drug under test"
    if node.purpose is not None and s.purpose != node.purpose:
        return "open", f"{active}; the study's primary purpose ({s.purpose or 'not recorded'}) is not {node.purpose}"
    return "counts", f"{active}, {s.phase or s.design}"
