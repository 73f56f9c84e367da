"""Atoms about treatment history: PriorTherapy, Procedure.

Records marked not given (``therapy.yaml``) are ignored. A drug is matched by ingredient,
or by class through the vocabulary (``drug_classes``); a criterion naming neither means any
systemic anticancer drug (``systemic_classes``). ``within_days``: the drug ended (or,
with no end, started) within that many days of the as-of date, or is still ongoing; a
record with no dates cannot show that and gives UNKNOWN. A therapy not in the record is
UNKNOWN, never "no" (``to_confirm`` in an exclusion: the clinician confirms).

Line counts are not reconstructed from medication lists (regimens, switches for toxicity
and maintenance cannot be told apart reliably): any systemic anticancer drug shows at
least one line, which decides ``min_lines <= 1`` as MET and ``max_lines == 0`` as
NOT_MET; other counts stay UNKNOWN ("number of prior lines of therapy").
"""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import MISSING
from trialmatch.matching.outcome_build import absent_kind, day, evidence, met, not_met, unknown


def compile_prior_therapy(node: c.PriorTherapy, negated, vocab, units):
    drugs = frozenset(d.lower() for d in node.drugs)
    classes = frozenset(node.classes)
    label = ", ".join([*node.drugs, *(k.replace("_", "-") for k in node.classes)]) or "systemic therapy"
    if node.min_lines is not None or node.max_lines is not None:
        return _compile_lines(node, drugs, classes, label)
    window = node.within_days
    item = f"prior {label}" + (f" within {window} days" if window else "")

    def evaluate(ctx):
        systemic = ctx.rules.systemic_classes
        hits = [(med, ing) for med, ing, cls in ctx.view.medications
                if (drugs & ing) or (classes & cls) or (not drugs and not classes and cls & systemic)]
        if not hits:
            return unknown(node, f"no {label} recorded", item, absent_kind(negated))
        ev = tuple(evidence(m.evidence, ", ".join(sorted(ing)) or "medication", m.end or m.start) for m, ing in hits)
        if window is None:
            m, ing = hits[0]
            return met(node, f"{', '.join(sorted(ing))} recorded ({day(m.start)})", ev)
        undated = False
        for m, ing in hits:
            last = m.end or (None if m.status in ctx.rules.ongoing_statuses else m.start)
            if m.end is None and m.status in ctx.rules.ongoing_statuses:
                return met(node, f"{', '.join(sorted(ing))} ongoing", ev)
            if last is None:
                undated = True
                continue
            if (ctx.as_of - last).days <= window:
                return met(node, f"{', '.join(sorted(ing))} on {day(last)}, within {window} days", ev)
        if undated:
            return unknown(node, f"{label} recorded without dates", item, MISSING, ev)
        return not_met(node, f"last {label} more than {window} days ago", ev)

    return evaluate


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
    codes = {(x.system, x.code) for x in node.codes}
    window = node.within_days
    label = f"{node.kind}" + (f" of {node.body_site}" if node.body_site else "")
    item = f"prior {label}" + (f" within {window} days" if window else "")

    def evaluate(ctx):
        hits = []
        for p in ctx.view.facts.procedures:
            if p.kind != node.kind:
                continue
            if codes and not any((x.system, x.code) in codes for x in p.codes):
                continue
            if node.body_site:
                sites = {ctx.vocab.metastatic_site_for(x) for x in p.body_site} - {None}
                if not any(ctx.vocab.site_is_a(s, node.body_site) for s in sites):
                    continue
            hits.append(p)
        if not hits:
            return unknown(node, f"no {label} recorded", item, absent_kind(negated))
        ev = tuple(evidence(p.evidence, p.kind, p.date) for p in hits)
        if window is None:
            return met(node, f"{label} recorded ({day(hits[0].date)})", ev)
        dated = [p for p in hits if p.date is not None]
        if any((ctx.as_of - p.date).days <= window for p in dated):
            return met(node, f"{label} within {window} days", ev)
        if len(dated) < len(hits):
            return unknown(node, f"{label} recorded without a date", item, MISSING, ev)
        return not_met(node, f"last {label} more than {window} days ago", ev)

    return evaluate
