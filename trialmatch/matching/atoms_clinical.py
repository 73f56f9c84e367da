"""Atoms about the patient's current state: PerformanceStatus, Lab, Condition.

Freshness (DESIGN.md): performance status and labs decide only within their window
(``freshness.yaml``; a Lab criterion's ``within_days`` overrides the lab window); the
latest result is read, and a stale one gives UNKNOWN with the old value shown.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import MISSING, TO_CONFIRM
from trialmatch.matching.outcome_build import (
    NEGATED, SYMBOLS, absent_kind, compare, day, evidence, fmt, is_fresh, met, not_met, unknown,
)


def compile_performance(node: c.PerformanceStatus, negated, vocab, units):
    """ECOG criteria read ECOG grades; a Karnofsky fact is read through the ECOG grades it
    maps to (the fact's own ``ecog``, else ``performance.yaml``): when those grades
    disagree on the criterion, UNKNOWN. Karnofsky criteria on ECOG facts use the Karnofsky
    range of the grade."""
    lo, hi = node.min, node.max
    karnofsky = node.scale.lower() == "karnofsky"
    scale = "Karnofsky" if karnofsky else "ECOG"
    bounds = " and ".join(p for p in (f"≥ {lo}" if lo is not None else "", f"≤ {hi}" if hi is not None else "") if p)

    def inside(x):
        return (lo is None or x >= lo) and (hi is None or x <= hi)

    def evaluate(ctx):
        facts = ctx.view.performance
        item = f"{scale} performance status"
        if not facts:
            return unknown(node, "no performance status recorded", item)
        latest = facts[0]
        window = ctx.rules.window("performance_status")
        shown = f"{latest.scale} {latest.value} ({day(latest.date)})"
        ev = (evidence(latest.evidence, f"{latest.scale} {latest.value}", latest.date),)
        if not is_fresh(latest.date, window, ctx.as_of):
            return unknown(node, f"{shown} older than {window} days", item, MISSING, ev)
        if karnofsky:
            if latest.scale == "Karnofsky":
                values = [latest.value]
            else:
                low_k, high_k = ctx.rules.ecog_to_karnofsky.get(latest.value, (None, None))
                values = [low_k, high_k] if low_k is not None else []
        elif latest.scale == "ECOG":
            values = [latest.value]
        else:
            values = list(latest.ecog) or list(ctx.rules.karnofsky_to_ecog.get(latest.value, ()))
        if not values:
            return unknown(node, f"{shown} cannot be read on the {scale} scale", item, MISSING, ev)
        results = {inside(x) for x in values}
        if len(results) > 1:
            grades = " or ".join(str(x) for x in values)
            return unknown(node, f"{shown} maps to {scale} {grades}; they disagree on {bounds}", item, MISSING, ev)
        ok = results.pop()
        shown_vals = "/".join(str(x) for x in values)
        reason = f"{shown}{'' if latest.scale == scale else f' = {scale} {shown_vals}'} {'meets' if ok else 'does not meet'} {bounds}"
        return (met if ok else not_met)(node, reason, ev)

    return evaluate


def compile_lab(node: c.Lab, negated, vocab, units):
    """Threshold converted once, at compile time, to the analyte's canonical unit (pint;
    mass <-> substance through the analyte's molar mass). "x ULN" reads the result's own
    reference range (``ref_high``), else UNKNOWN. A threshold with no unit is accepted only
    for dimensionless analytes (INR); an unconvertible unit gives UNKNOWN."""
    key = node.analyte
    cmp = node.comparator
    concept = _concept(vocab, key)
    canonical = concept.canonical_unit if concept else None
    name = key
    problem = None
    threshold = None
    if node.uln_multiple is None:
        if node.value is None:
            problem = "criterion has no threshold"
        elif concept is None:
            problem = f"analyte {key} not in the vocabulary"
        elif node.unit is None:
            if units.convert(1.0, canonical, "{ratio}") == 1.0:
                threshold = node.value
            else:
                problem = "threshold unit not stated"
        else:
            threshold = units.convert(node.value, node.unit, canonical, concept.molar_mass)
            if threshold is None:
                problem = f"threshold unit {node.unit} cannot be converted to {canonical}"
        label = f"{name} {SYMBOLS[cmp]} {fmt(node.value) if node.value is not None else '?'} {node.unit or ''}".strip()
    else:
        label = f"{name} {SYMBOLS[cmp]} {fmt(node.uln_multiple)} × ULN"
    item = f"{name} (lab)"

    def evaluate(ctx):
        if problem:
            return unknown(node, problem, f"{label} (criterion unit)")
        window = node.within_days if node.within_days is not None else ctx.rules.window("lab")
        labs = ctx.view.labs.get(key, ())
        if not labs:
            return unknown(node, f"no {name} result", item)
        lab = labs[0]
        shown = f"{name} {fmt(lab.value)} {lab.unit or canonical or ''}".strip() + f" ({day(lab.date)})"
        ev = (evidence(lab.evidence, f"{fmt(lab.value)} {lab.unit or canonical or ''}".strip(), lab.date),)
        if not is_fresh(lab.date, window, ctx.as_of):
            return unknown(node, f"{shown} older than {window} days", item, MISSING, ev)
        if node.uln_multiple is not None:
            if not lab.ref_high:
                return unknown(node, f"{shown} has no reference range", f"{name} upper limit of normal", MISSING, ev)
            ratio = lab.value / lab.ref_high
            ok = compare(ratio, cmp, node.uln_multiple)
            return (met if ok else not_met)(node, f"{shown} = {ratio:.2f} × ULN ({fmt(lab.ref_high)}) "
                                                  f"{SYMBOLS[cmp] if ok else NEGATED[cmp]} {fmt(node.uln_multiple)}", ev)
        ok = compare(lab.value, cmp, threshold)
        shown_thr = f"{fmt(round(threshold, 6))} {canonical}"
        return (met if ok else not_met)(node, f"{shown} {SYMBOLS[cmp] if ok else NEGATED[cmp]} {shown_thr}", ev)

    return evaluate


def _related(vocab, a: str | None, b: str | None) -> bool:
    """Same cancer type, one below the other, or either unknown."""
    tree = vocab.oncotree
    if not a or not b or a not in tree or b not in tree:
        return True
    return tree.is_a(a, b) or tree.is_a(b, a)


def _concept(vocab, key):
    try:
        return vocab.lab(key)
    except (KeyError, LookupError):
        return None


class _Record(NamedTuple):
    what: str
    ref: str
    status: str | None
    onset: date | None
    recorded: date | None
    covers: frozenset  # the criterion's alternatives (keys, codes) an inactive status of it settles
    settled_by: tuple[str, ...] | None = None  # the inactive statuses that show it gone (None: every one)


def _shown(records, with_status: bool = False):
    return tuple(evidence(r.ref, f"{r.what} ({r.status or 'status not stated'})" if with_status else r.what,
                          r.onset or r.recorded) for r in records)


def compile_condition(node: c.Condition, negated, vocab, units):
    """A comorbidity by key or code. Recorded (and active, when ``active_only``) -> MET;
    recorded with an inactive status -> NOT_MET (the record covers it; for a key with
    ``settled_by`` in conditions.yaml only those statuses: an inactive hepatitis B carrier is
    still HBsAg positive, so "inactive" there is UNKNOWN, to confirm); recorded with no
    status -> UNKNOWN (to confirm); absent -> UNKNOWN, ``to_confirm`` in an exclusion.

    A key flagged ``group`` in conditions.yaml gathers several distinct conditions (any
    infection, any autoimmune disease, any other cancer): an inactive record of one member
    covers that member only, never the key, so a patient whose only member is resolved reads
    as one with no record (UNKNOWN, ``absent_kind``), the resolved record shown ("COVID-19
    recorded as resolved" does not clear "active infection"). Likewise NOT_MET needs every
    key and code of the criterion covered by an inactive record.

    ``other_malignancy`` (a group) is read from the patient's cancers other than the focus one
    (other primaries; secondaries are the focus cancer's spread); another primary of the same
    or a related type, or of unknown type, may be the same cancer recorded twice (or a
    contralateral one the protocol may accept): UNKNOWN, to confirm.

    ``qualifier`` ("uncontrolled", "requiring systemic treatment"): a record that would make it MET
    leaves it UNKNOWN, to confirm, since no record holds that state; an inactive or absent record
    reads as without the qualifier (a resolved condition is not an uncontrolled one).

    ``within_days`` (an event in a window: "myocardial infarction within 6 months"): a record
    counts when its onset falls in the window ending on the as-of date; an onset before the
    window does not count (with nothing inside the window the answer is the one for an absent
    record: UNKNOWN, the old event shown). With no onset the recorded date bounds it (onset <=
    recorded): a record made before the window does not count, one made inside it may be an
    old event noted late, so it is to be confirmed, as is an undated one (which also keeps an
    inactive record inside the window from clearing the criterion). Only records that count go
    on to the ``active_only`` test."""
    keys = set(node.keys)
    codes = {(x.system, x.code) for x in node.codes}
    groups = {k for k in keys if k in vocab.conditions and vocab.conditions[k].group}
    alternatives = frozenset(keys | codes)
    label = ", ".join([*node.keys, *(x.display or x.code or "" for x in node.codes)]) or "condition"
    noun = label.replace("_", " ").removeprefix("other ")  # "another active infection", "another malignancy"
    # another cancer in remission covers itself only while other_malignancy is a group
    cancer_covers = frozenset() if "other_malignancy" in groups else frozenset({"other_malignancy"})
    window = node.within_days
    if window is not None:
        label += f" within {window} days"
    state = node.qualifier.replace("_", " ") if node.qualifier else None

    def counted(reason, ev):
        """A record that counts: MET, or to confirm when the criterion names a state no record holds."""
        if state is None:
            return met(node, reason, ev)
        return unknown(node, f"{reason}; whether {state} is not recorded", f"{label}: {state}?", TO_CONFIRM, ev)

    def record(k, cond):
        covers = {(x.system, x.code) for x in cond.codes} & codes
        if k in keys and k not in groups:
            covers.add(k)
        if k in groups and not covers:
            # a member of a group: named by its own code, it covers itself only
            what = next((x.display for x in cond.codes if x.display), None) or k
        else:
            what = k or label
        concept = vocab.conditions.get(k) if k else None
        return _Record(what, cond.evidence, cond.clinical_status, cond.onset, cond.recorded, frozenset(covers),
                       concept.settled_by if concept is not None else None)

    def evaluate(ctx):
        rules = ctx.rules
        records = [record(k, cond) for k, cond in ctx.view.conditions
                   if k in keys or any((x.system, x.code) in codes for x in cond.codes)]
        unsure = []
        if "other_malignancy" in keys:
            focus = ctx.focus
            for x in ctx.view.primaries:
                if focus is not None and x.evidence == focus.evidence:
                    continue
                r = _Record(f"other malignancy {x.cancer_type or ''}".strip(), x.evidence, x.clinical_status,
                            x.onset, x.recorded, cancer_covers)
                # a second primary of the same (or an unknown) type may be the same cancer recorded twice
                (unsure if _related(ctx.vocab, x.cancer_type, ctx.focus_type) else records).append(r)
        older = []
        if window is not None:
            start = ctx.as_of - timedelta(days=window)
            inside, undated = [], []
            for r in records:
                if r.onset is not None:
                    (inside if r.onset >= start else older).append(r)
                elif r.recorded is not None and r.recorded < start:
                    older.append(r)
                else:
                    undated.append(r)
            records, unsure = inside, unsure + undated
        if records and not node.active_only:
            return counted(f"{records[0].what} recorded", _shown(records, True))
        if records:
            ev = _shown(records, True)
            active = [r for r in records if r.status in rules.active_statuses]
            if active:
                return counted(f"{active[0].what} recorded, {active[0].status}", ev)
            unclear = [r for r in records if r.status not in rules.inactive_statuses]
            if unclear:
                return unknown(node, f"{unclear[0].what} recorded; whether active is not stated", label, TO_CONFIRM, ev)
            still = [r for r in records if r.settled_by is not None and r.status not in r.settled_by]
            if still:
                # an inactive hepatitis B carrier is still HBsAg positive: only "resolved" shows it gone
                shows = (f"only a {' or '.join(still[0].settled_by)} record shows it gone" if still[0].settled_by
                         else "no status shows it gone (lifelong)")
                return unknown(node, f"{still[0].what} recorded as {still[0].status}; {shows}", label, TO_CONFIRM, ev)
            covered = frozenset().union(*(r.covers for r in records))
            if covered >= alternatives and not unsure:
                return not_met(node, f"{records[0].what} recorded as {records[0].status}", ev)
        # nothing counted settles the criterion: read as for a patient with no such record, the
        # inactive records (members of a group, or some of several keys) shown
        if unsure:
            reason = ("another primary cancer of the same or an unknown type recorded" if window is None
                      else f"{unsure[0].what} recorded; whether within {window} days is not stated")
            return unknown(node, reason, label, TO_CONFIRM, _shown(unsure) + _shown(records, True))
        if records:
            first = records[0]
            return unknown(node, f"{first.what} recorded as {first.status}; another {noun} is not ruled out",
                           label, absent_kind(negated), _shown(records, True) + _shown(older))
        if older:
            # an older event does not count; none recorded inside the window is absence, as
            # for a patient with no such record at all (never a silent "no")
            return unknown(node, f"{older[0].what} recorded on {day(older[0].onset or older[0].recorded)}, more than "
                                 f"{window} days ago; none recorded since", label, absent_kind(negated), _shown(older))
        return unknown(node, f"no {label} recorded", label, absent_kind(negated))

    return evaluate
