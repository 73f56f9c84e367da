"""The Biomarker atom (DESIGN.md, evidence rule "Biomarkers are compared on their own
scale").

- Results are the focus cancer's (see ``patient_view``); with a freshness window
  (``tumor_marker``, none by default) older results decide nothing.
- Status criteria: the latest *conclusive* result wins (equivocal results decide nothing);
  a status is read from the result or derived from its value (``biomarkers.yaml``); on one
  date, the scale listed last in ``scale_precedence`` decides (HER2: ISH over IHC);
  conclusive results of one date that still disagree give UNKNOWN.
- HER2-low needs an IHC score: IHC 1+, or 2+ with a negative ISH. "HER2 negative" alone
  is UNKNOWN for it.
- Value criteria compare only results on the criterion's scale; for markers listed in
  ``same_scale_only`` (PD-L1: TPS, CPS and IC are different scores) a result without a
  scale, or a criterion without one, decides nothing.
- A value criterion with no value on its scale is NOT_MET when the newest conclusive status
  rules out every value it accepts (``status_excludes_values``: by ASCO/CAP HER2 negative or
  low is not IHC 3+); otherwise UNKNOWN.
- MSI and MMR are different markers: an MSI criterion never reads MMR results. A criterion
  that accepts either says so with ``Any``.
"""

from __future__ import annotations

from itertools import groupby

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import MISSING
from trialmatch.matching.outcome_build import (
    SYMBOLS, compare, day, evidence, fmt, is_fresh, met, not_met, unknown,
)


def _scales(r) -> set[str]:
    return {x.lower() for x in (r.scale, r.unit) if x}


def result_status(rules, r) -> str | None:
    status = r.status
    if status is None and r.value is not None:
        scales = _scales(r)
        for rule in rules.status_from_value.get(r.marker, ()):
            if rule.applies(r.value, scales):
                status = rule.status
                break
    return rules.aliases.get(r.marker, {}).get(status, status)


def _label(r) -> str:
    parts = [r.marker]
    if r.scale:
        parts.append(r.scale)
    if r.value is not None:
        parts.append(fmt(r.value) + (f" {r.unit}" if r.unit and r.unit != r.scale else ""))
    if r.status:
        parts.append(r.status)
    return " ".join(parts)


def _ev(rs):
    return tuple(evidence(r.evidence, _label(r), r.date) for r in rs)


def compile_biomarker(node: c.Biomarker, negated, vocab, units):
    marker = node.marker
    statuses = tuple(s.lower() for s in node.status)
    parts = []
    if statuses:
        parts.append(_status_part(node, marker, statuses))
    if node.comparator is not None and node.value is not None:
        parts.append(_value_part(node, marker))
    item = f"{marker} {node.scale}" if node.scale and not statuses else f"{marker} status"
    if not parts:
        return lambda ctx: unknown(node, f"{marker}: criterion names no status or value", item)

    def evaluate(ctx):
        results = ctx.markers.get(marker, [])
        window = ctx.rules.window("tumor_marker")
        fresh = [r for r in results if is_fresh(r.date, window, ctx.as_of)]
        if not fresh:
            if results:
                r = results[0]
                return unknown(node, f"{_label(r)} ({day(r.date)}) older than {window} days", item,
                               MISSING, _ev(results[:1]))
            return unknown(node, f"no {marker} result", item)
        outcomes = [p(ctx, fresh) for p in parts]
        return min(outcomes, key=lambda o: o.verdict)

    return evaluate


def _status_part(node, marker, statuses):
    wanted = set(statuses)
    low_only = marker == "HER2" and "low" in wanted
    rest = wanted - {"low"} if marker == "HER2" else wanted
    label = f"{marker} {'/'.join(statuses)}"

    def by_status(ctx, results):
        rules = ctx.rules
        conclusive = [(r, result_status(rules, r)) for r in results]
        conclusive = [(r, s) for r, s in conclusive if s and s != "equivocal"]
        if not conclusive:
            return unknown(node, f"no conclusive {marker} result", f"{marker} status", MISSING, _ev(results[:2]))
        newest = [list(g) for _, g in groupby(conclusive, key=lambda rs: rs[0].date)][0]
        order = rules.scale_precedence.get(marker, ())
        rank = {s.lower(): i for i, s in enumerate(order)}
        best = max(rank.get((r.scale or "").lower(), -1) for r, _ in newest)
        newest = [(r, s) for r, s in newest if rank.get((r.scale or "").lower(), -1) == best]
        found = {s for _, s in newest}
        deciders = [r for r, _ in newest]
        if len(found) > 1:
            return unknown(node, f"{marker} results of {day(deciders[0].date)} disagree", f"{marker} status",
                           MISSING, _ev(deciders))
        status = found.pop()
        ev = _ev(deciders)
        if status in rest or rules.implies.get(marker, {}).get(status, frozenset()) & rest:
            return met(node, f"{marker} {status} ({day(deciders[0].date)})", ev)
        if rules.ambiguous.get(marker, {}).get(status, frozenset()) & rest:
            return unknown(node, f"{marker} {status}: protocols differ on whether it counts as {label}",
                           f"{marker} status", MISSING, ev)
        return not_met(node, f"{marker} {status} ({day(deciders[0].date)}), not {'/'.join(sorted(rest))}", ev)

    def evaluate(ctx, results):
        outcomes = []
        if rest:
            outcomes.append(by_status(ctx, results))
        if low_only:
            outcomes.append(_her2_low(node, ctx, results))
        return max(outcomes, key=lambda o: o.verdict)

    return evaluate


def _her2_low(node, ctx, results):
    ihc = [r for r in results if (r.scale or "").upper() == "IHC" and r.value is not None]
    ish = [r for r in results if (r.scale or "").upper() == "ISH" and result_status(ctx.rules, r) in ("positive", "negative")]
    if ihc:
        r = ihc[0]
        ev = _ev([r])
        score = int(round(r.value))
        if score == 1:
            return met(node, f"HER2 IHC 1+ ({day(r.date)}): HER2-low", ev)
        if score == 2:
            later = [x for x in ish if r.date is None or x.date is None or x.date >= r.date]
            if not later:
                return unknown(node, f"HER2 IHC 2+ ({day(r.date)}) without ISH", "HER2 ISH", MISSING, ev)
            s = result_status(ctx.rules, later[0])
            ev = _ev([r, later[0]])
            if s == "negative":
                return met(node, "HER2 IHC 2+, ISH negative: HER2-low", ev)
            return not_met(node, "HER2 IHC 2+, ISH positive: HER2-positive, not HER2-low", ev)
        return not_met(node, f"HER2 IHC {score}{'+' if score else ''} ({day(r.date)}): not HER2-low", ev)
    statuses = [(r, result_status(ctx.rules, r)) for r in results]
    low = [r for r, s in statuses if s == "low"]
    if low:
        return met(node, f"HER2-low ({day(low[0].date)})", _ev(low[:1]))
    pos = [r for r, s in statuses if s == "positive"]
    if pos and pos[0] is results[0]:
        return not_met(node, f"HER2 positive ({day(pos[0].date)}): not HER2-low", _ev(pos[:1]))
    return unknown(node, "HER2-low needs an IHC score", "HER2 IHC score", MISSING, _ev(results[:1]))


def _value_part(node, marker):
    cmp, threshold = node.comparator, node.value
    want_scale = (node.scale or "").lower() or None
    label = f"{marker}{' ' + node.scale if node.scale else ''} {SYMBOLS[cmp]} {fmt(threshold)}"
    item = f"{marker} {node.scale}" if node.scale else f"{marker} value"

    def evaluate(ctx, results):
        strict = marker in ctx.rules.same_scale_only
        valued = [r for r in results if r.value is not None]
        if want_scale is None:
            usable = [] if strict else valued
        else:
            usable = [r for r in valued if want_scale in _scales(r)]
        if strict and want_scale is not None:
            usable = [r for r in usable if r.scale]
        if not usable:
            ruled_out = _excluded_by_status(ctx.rules, marker, cmp, threshold, want_scale, results)
            if ruled_out is not None:
                r, status = ruled_out
                return not_met(node, f"{marker} {status} ({day(r.date)}): not {label} "
                               f"(biomarkers.yaml status_excludes_values)", _ev([r]))
            others = ", ".join(sorted({r.scale or "no scale" for r in valued}))
            reason = f"{marker} reported on {others}, not comparable" if valued else f"no {marker} value"
            return unknown(node, reason, item, MISSING, _ev(valued[:2]))
        r = usable[0]
        ok = compare(r.value, cmp, threshold)
        text = f"{_label(r)} ({day(r.date)}) {'meets' if ok else 'does not meet'} {label}"
        return (met if ok else not_met)(node, text, _ev([r]))

    return evaluate


def _excluded_by_status(rules, marker, cmp, threshold, want_scale, results):
    """(result, status) when the newest conclusive status rules out every value the criterion
    accepts on its scale (``status_excludes_values``: HER2 negative or low is not IHC 3+), else
    None. Results of the newest date must all agree."""
    if want_scale is None:
        return None
    excl = [e for e in rules.status_excludes_values.get(marker, ()) if e.scale.lower() == want_scale
            and e.covers(cmp, threshold)]
    if not excl:
        return None
    conclusive = [(r, s) for r in results if (s := result_status(rules, r)) and s != "equivocal"]
    if not conclusive:
        return None
    newest = next(list(g) for _, g in groupby(conclusive, key=lambda rs: rs[0].date))
    found = {s for _, s in newest}
    if len(found) == 1 and any(found <= e.statuses for e in excl):
        return newest[0]
    return None
