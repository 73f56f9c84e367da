"""Atoms about treatment history: PriorTherapy, Procedure.

Records marked not given (``therapy.yaml``) are ignored. A drug is matched by ingredient,
or by class through the vocabulary (``drug_classes``); a criterion naming neither means any
systemic anticancer drug (``systemic_classes``). ``within_days``: the drug ended (or,
with no end, started) within that many days of the as-of date, or is still ongoing; a
record with no dates cannot show that and gives UNKNOWN. An order still "active" counts as
ongoing only while its start or the latest dated record of the drug is within
``ongoing_order_days`` (therapy.yaml; longer for classes in ``ongoing_order_days_by_class``,
e.g. adjuvant endocrine therapy); an older or undated one gives UNKNOWN (to_confirm).
In an exclusion (odd number of Not) a window is a washout counted back from a future first
dose: therapy under way or given within it gives UNKNOWN (to_confirm, "eligible after a
N-day washout"), never MET, so the exclusion is never NOT_MET for it (docs/matching.md). A therapy not in the record is
UNKNOWN, never "no" (``to_confirm`` in an exclusion: the clinician confirms).

``within_days`` 0 is current use ("concurrent use of systemic corticosteroids"): an order under
way (as above) or a record ending today; a record that ended before is NOT_MET ("no X given now").

Classes marked ``oncology: false`` (systemic corticosteroids, immunosuppressants: concurrent
medications) are matched only when a criterion names them; they are not in ``systemic_classes``,
so they never show "prior systemic therapy" or a line of therapy. Members of a ``route:
systemic`` class (the steroids) count for it only in a systemic dose form, read from the
record's RxNorm display (``vocab.dose_form_route``): a local form (cream, inhaler, oral paste)
does not count; a record showing no form (an ingredient code) counts only when the verdict is
the same with and without it, else the atom is UNKNOWN, to confirm. A criterion naming the drug
itself ("dexamethasone") reads every form.

Line counts are not reconstructed from medication lists (regimens, switches for toxicity
and maintenance cannot be told apart reliably): any systemic anticancer drug shows at
least one line, which decides ``min_lines <= 1`` as MET and ``max_lines == 0`` as
NOT_MET; other counts stay UNKNOWN ("number of prior lines of therapy").
"""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import MISSING, TO_CONFIRM
from trialmatch.matching.outcome_build import absent_kind, day, evidence, met, not_met, unknown, washout_over
from trialmatch.matching.surgery_classes import MAJOR, MINOR


def compile_prior_therapy(node: c.PriorTherapy, negated, vocab, units):
    drugs = frozenset(d.lower() for d in node.drugs)
    classes = frozenset(node.classes)
    label = ", ".join([*node.drugs, *(k.replace("_", "-") for k in node.classes)]) or "systemic therapy"
    if node.min_lines is not None or node.max_lines is not None:
        return _compile_lines(node, drugs, classes, label)
    window = node.within_days
    if window == 0:
        item = f"current {label}"
    else:
        item = f"prior {label}" + (f" within {window} days" if window else "")
    # members of the criterion's classes that count only in a systemic dose form (route: systemic)
    systemic_only = {k: vocab.systemic_only_members(k) for k in classes}

    def route(med, ing, cls):
        """"systemic" when the record counts for the criterion whatever its form, else the
        route its dose form shows ("local": it does not count; None: not shown)."""
        if drugs & ing or not classes:
            return "systemic"  # a drug named by the criterion, or any systemic anticancer drug
        for k in classes & cls:
            if (ing & vocab.class_members(k)) - systemic_only[k]:
                return "systemic"
        routes = {vocab.dose_form_route(x.display) for x in med.codes} - {None}
        return "local" if "local" in routes else ("systemic" if routes else None)

    def evaluate(ctx):
        systemic = ctx.rules.systemic_classes
        hits, unshown = [], []
        for med, ing, cls in ctx.view.medications:
            if not ((drugs & ing) or (classes & cls) or (not drugs and not classes and cls & systemic)):
                continue
            way = route(med, ing, cls)
            if way == "systemic":
                hits.append((med, ing, cls))
            elif way is None:
                unshown.append((med, ing, cls))
        outcome = _decide(ctx, hits)
        if not unshown:
            return outcome
        # records whose dose form is not shown (an ingredient code; "Injectable Suspension"): both
        # readings (systemic, local) must agree, else whether they were systemic is to confirm
        widened = _decide(ctx, hits + unshown)
        if widened.verdict == outcome.verdict:
            return widened
        names = ", ".join(sorted({i for _, ing, _ in unshown for i in ing}))
        ev = tuple(evidence(m.evidence, ", ".join(sorted(ing)), m.end or m.start) for m, ing, _ in hits + unshown)
        return unknown(node, f"{names} recorded without a dose form: whether it was systemic is to confirm",
                       item, TO_CONFIRM, ev)

    def _decide(ctx, hits):
        rules = ctx.rules
        if not hits:
            return unknown(node, f"no {label} recorded", item, absent_kind(negated))
        ev = tuple(evidence(m.evidence, ", ".join(sorted(ing)) or "medication", m.end or m.start) for m, ing, _ in hits)
        if window is None:
            m, ing, _ = hits[0]
            return met(node, f"{', '.join(sorted(ing))} recorded ({day(m.start)})", ev)
        current, recent, stale, undated = [], [], [], False
        for m, ing, cls in hits:
            names = ", ".join(sorted(ing)) or "medication"
            if m.end is None and m.status in rules.ongoing_statuses:
                seen = _last_seen(m, ing, ctx.view.medications)
                limit = max([rules.ongoing_order_days, *(rules.ongoing_order_days_by_class.get(k, 0) for k in cls)])
                if seen is not None and (ctx.as_of - seen).days <= limit:
                    current.append(names)
                else:
                    stale.append((names, m.status, seen))
                continue
            last = m.end or m.start
            if last is None:
                undated = True
            elif (ctx.as_of - last).days <= window:
                recent.append((names, last))
        if current or recent:
            return _within(node, negated, window, item, current, recent, ev)
        if stale:
            names, status, seen = stale[0]
            since = f"nothing recorded since {day(seen)}" if seen else "undated"
            return unknown(node, f"{names} order still '{status}' but {since}: whether it is given now "
                           f"is to confirm", item, TO_CONFIRM, ev)
        if undated:
            return unknown(node, f"{label} recorded without dates", item, MISSING, ev)
        if window == 0:
            # current use: an ended record shows that drug stopped, not that none of the class is taken
            # now (a switch from warfarin to an unrecorded apixaban): as with no record, to confirm
            last = max(((m.end or m.start) for m, _, _ in hits if (m.end or m.start)), default=None)
            return unknown(node, f"last {label} record ended{f' {day(last)}' if last else ''}; none recorded as given "
                                 f"now", item, absent_kind(negated), ev)
        return not_met(node, f"last {label} more than {window} days ago", ev)

    return evaluate


def _last_seen(order, ingredients, medications):
    """The latest date the record shows ``order``'s drug: its start or any dated record of the
    same ingredient (an administration, a later order); None when nothing is dated."""
    dates = [d for m, ing, _ in medications if m is order or ing & ingredients for d in (m.start, m.end) if d]
    return max(dates, default=None)


def _within(node, negated, window, item, current, recent, ev):
    """A therapy under way (or given within the window). An inclusion asking for it is MET. In
    an exclusion it is a washout, counted back from a future first dose: the patient can stop
    the drug or wait, so it is UNKNOWN (to_confirm), never a permanent "ineligible"."""
    if current:
        if not negated:
            return met(node, f"{current[0]} ongoing", ev)
        wait = "eligible if it is stopped" if window == 0 else f"eligible after a {window}-day washout if it is stopped"
        return unknown(node, f"on {current[0]} now; {wait}", item, TO_CONFIRM, ev)
    names, last = max(recent, key=lambda r: r[1])
    if window == 0:  # a record ending today or later: given now
        if not negated:
            return met(node, f"{names} given now (until {day(last)})", ev)
        return unknown(node, f"on {names} until {day(last)}; eligible if it is stopped", item, TO_CONFIRM, ev)
    if not negated:
        return met(node, f"{names} on {day(last)}, within {window} days", ev)
    return unknown(node, f"{names} on {day(last)}; eligible after a {window}-day washout "
                   f"(from {washout_over(last, window)})", item, TO_CONFIRM, ev)


def _compile_lines(node, drugs, classes, label):
    lo, hi = node.min_lines, node.max_lines
    item = "number of prior lines of therapy"

    def evaluate(ctx):
        systemic = ctx.rules.systemic_classes
        hits = [(m, ing) for m, ing, cls in ctx.view.medications
                if cls & systemic and ((drugs & ing) or (classes & cls) or (not drugs and not classes))]
        ev = tuple(evidence(m.evidence, ", ".join(sorted(ing)), m.start) for m, ing in hits)
        if hits:
            if hi is not None and hi < 1:
                return not_met(node, f"prior {label} recorded ({len(hits)} record(s))", ev)
            if (lo is None or lo <= 1) and hi is None:
                return met(node, f"at least one prior line of {label} recorded", ev)
        elif hi is not None and lo in (None, 0):
            return unknown(node, f"no prior {label} recorded", item, MISSING, ev)
        return unknown(node, "line count not reconstructed from medication records", item, MISSING, ev)

    return evaluate


def compile_procedure(node: c.Procedure, negated, vocab, units):
    """A surgery or radiation, optionally of given codes, on a body site, within a window.

    ``major`` (surgery.yaml, ``surgery_classes.py``): each surgery is classified by its codes.
    A major one counts; a minor one does not count at all (as if absent); an unclassified one
    (no code in the table, an undecided code, or codes that disagree) may have been major, so
    in the window it leaves the atom UNKNOWN, to confirm, never MET or NOT_MET by a guess.
    Counted surgeries all older than the window give NOT_MET as for any surgery; none
    recorded gives UNKNOWN. A procedure the record does not profile as a surgery ("other")
    counts as one when its code is classified major (a lobectomy is a surgery however it
    is profiled).

    In an exclusion (odd number of Not) a window is a washout counted back from a future
    first dose, as for PriorTherapy: a surgery or radiation within it gives UNKNOWN
    (to_confirm, "eligible after an N-day washout (from <date>)"), never MET, so the
    exclusion is never NOT_MET for it (the patient can wait). An inclusion asking for a
    recent procedure is MET."""
    codes = {(x.system, x.code) for x in node.codes}
    window = node.within_days
    major = node.major and node.kind == "surgery"
    label = ("major " if major else "") + f"{node.kind}" + (f" of {node.body_site}" if node.body_site else "")
    item = f"prior {label}" + (f" within {window} days" if window else "")

    def evaluate(ctx):
        surgery = ctx.rules.surgery
        hits, minor = [], []
        for p in ctx.view.facts.procedures:
            cls = surgery.classify(p.codes) if node.kind == "surgery" else None
            if p.kind != node.kind and not (p.kind == "other" and cls == MAJOR):
                continue
            if codes and not any((x.system, x.code) in codes for x in p.codes):
                continue
            if node.body_site:
                sites = {ctx.vocab.metastatic_site_for(x) for x in p.body_site} - {None}
                if not any(ctx.vocab.site_is_a(s, node.body_site) for s in sites):
                    continue
            if major and cls == MINOR:
                minor.append(p)
                continue
            hits.append((p, cls))
        if not hits:
            if minor:
                return unknown(node, f"only minor surgery recorded ({_names(minor)}), no major surgery",
                               item, absent_kind(negated), _ev(minor))
            return unknown(node, f"no {label} recorded", item, absent_kind(negated))
        ev = _ev([p for p, _ in hits]) if major else tuple(evidence(p.evidence, p.kind, p.date) for p, _ in hits)
        if window is None:
            if not major:
                return met(node, f"{label} recorded ({day(hits[0][0].date)})", ev)
            if not any(cls == MAJOR for _, cls in hits):
                return _whether_major([p for p, _ in hits], node, item, ev)
            p = next(p for p, cls in hits if cls == MAJOR)
            return met(node, f"{label} recorded ({_name(p)}, {day(p.date)})", ev)
        recent = [(p, cls) for p, cls in hits if p.date is not None and (ctx.as_of - p.date).days <= window]
        if major:
            found = [p for p, cls in recent if cls == MAJOR]
            if found and not negated:
                return met(node, f"{label} within {window} days ({_name(found[0])}, {day(found[0].date)})", ev)
            if found:
                return _washout(node, window, item, max(found, key=lambda p: p.date),
                                [p for p, cls in recent if cls != MAJOR], ev)
            if recent:
                return _whether_major([p for p, _ in recent], node, item, ev, window, negated)
        elif recent and not negated:
            return met(node, f"{label} within {window} days", ev)
        elif recent:
            return _washout(node, window, item, max((p for p, _ in recent), key=lambda p: p.date), [], ev)
        if any(p.date is None for p, _ in hits):
            return unknown(node, f"{label} recorded without a date", item, MISSING, ev)
        return not_met(node, f"last {label} more than {window} days ago", ev)

    return evaluate


def _name(p) -> str:
    """The procedure's first display, else its kind (a bare code, such as a radiotherapy course
    summary's 1217123003, tells the reader nothing)."""
    return next((x.display for x in p.codes if x.display), p.kind)


def _names(procedures) -> str:
    return ", ".join(f"{_name(p)} {day(p.date)}" for p in procedures)


def _ev(procedures) -> tuple:
    return tuple(evidence(p.evidence, _name(p), p.date) for p in procedures)


def _washout(node, window, item, last, unclassified, ev):
    """A procedure within the window of an exclusion: a washout still running, counted back
    from a future first dose, so UNKNOWN (to_confirm), never a permanent "ineligible". The
    date eligibility opens is counted from ``last``; a later surgery the code table leaves
    unclassified may have been major too, and then the wait runs from it (said, not guessed)."""
    reason = f"{_name(last)} on {day(last.date)}; eligible after a {window}-day washout (from {washout_over(last.date, window)})"
    later = [p for p in unclassified if p.date > last.date]
    if later:
        p = max(later, key=lambda p: p.date)
        reason += f", or from {washout_over(p.date, window)} if {_name(p)} on {day(p.date)} was major"
    return unknown(node, reason, item, TO_CONFIRM, ev)


def _whether_major(procedures, node, item, ev, window=None, negated=False):
    """Surgery the code table does not classify (surgery.yaml): whether it was major is for
    the clinician to confirm; in an exclusion the wait it would start is said too."""
    within = f" within {window} days" if window else ""
    reason = f"surgery{within} ({_names(procedures)}) not classified major or minor: whether it was major is to confirm"
    if negated and window:
        last = max(p.date for p in procedures)
        reason += f"; if it was, eligible after a {window}-day washout (from {washout_over(last, window)})"
    return unknown(node, reason, item, TO_CONFIRM, ev)
