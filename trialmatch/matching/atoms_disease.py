"""Atoms about the cancer: CancerType, Histology, Stage, Metastasis.

A CancerType atom read as an inclusion (not under ``Not``) is evaluated on the focus
cancer, the cancer whose markers, variants and stage the trial's other atoms then read
(DESIGN.md, "Facts belong to their cancer"); under ``Not`` it is evaluated on every
cancer of the patient (an exclusion of a cancer type looks at them all).
"""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import MISSING, TO_CONFIRM
from trialmatch.matching.cancer_refine import histology_code_keys
from trialmatch.matching.disease_extent import disease_extent, group_in, group_may_be_in, parse_group
from trialmatch.matching.outcome_build import (
    absent_kind, day, evidence, is_fresh, met, not_met, unknown,
)
from trialmatch.matching.verdict_codes import MET, NOT_MET, UNKNOWN_MISSING


def cancer_match(vocab, cancer_type: str | None, codes) -> str:
    """"met" | "unknown" | "not_met" for one patient cancer type against criterion codes.
    A type the vocabulary does not know, or coded above the criterion's level ("BREAST"
    for a trial on "IDC"), is unknown, never a no."""
    tree = vocab.oncotree
    if not cancer_type or cancer_type not in tree:
        return "unknown"
    if any(tree.is_a(cancer_type, code) for code in codes):
        return "met"
    if any(tree.is_a(code, cancer_type) for code in codes):
        return "unknown"
    return "not_met"


def compile_cancer_type(node: c.CancerType, negated, vocab, units):
    codes = node.codes
    names = ", ".join(vocab.oncotree.name(x) or x for x in codes)
    key = (codes, node.role, negated)

    def evaluate(ctx):
        # the reading depends only on (codes, role, polarity) in a context: shared by every
        # trial naming the same types, whatever the node's text
        memo = ctx.__dict__.setdefault("_cancer_type", {})
        found = memo.get(key)
        if found is None:
            found = memo[key] = _read_cancer_type(ctx, node, negated, codes, names)
        kind, reason, ev, item = found
        if kind == "met":
            return met(node, reason, ev)
        if kind == "not_met":
            return not_met(node, reason, ev)
        return unknown(node, reason, item, MISSING, ev)

    def verdict_code(ctx):
        # evaluate's verdict code (verdict_codes), without reasons or evidence: MET when a
        # cancer matches, else UNKNOWN (missing) when one may, else NOT_MET
        cancers = _cancers_read(ctx, node, negated)
        if not cancers:
            return UNKNOWN_MISSING
        vocab, maybe = ctx.vocab, False
        for cancer in cancers:
            found = cancer_match(vocab, cancer.cancer_type, codes)
            if found == "met":
                return MET
            maybe = maybe or found == "unknown"
        return UNKNOWN_MISSING if maybe else NOT_MET

    evaluate.verdict_code = verdict_code
    return evaluate


def _cancers_read(ctx, node, negated) -> tuple:
    """The cancers a CancerType atom reads: the focus for an inclusion, else every primary
    (or every cancer, role "any")."""
    if not negated and ctx.focus is not None:
        return (ctx.focus,)
    v = ctx.view
    return v.facts.cancers if node.role == "any" else v.primaries


def _read_cancer_type(ctx, node, negated, codes, names):
    """(kind, reason, evidence, missing item) of a CancerType atom in a context."""
    v, vocab = ctx.view, ctx.vocab
    cancers = _cancers_read(ctx, node, negated)
    if not cancers:
        return "unknown", "no cancer diagnosis recorded", (), "cancer diagnosis"
    found = {"met": [], "unknown": [], "not_met": []}
    for cancer in cancers:
        found[cancer_match(vocab, cancer.cancer_type, codes)].append(cancer)

    def ev(cs):
        return tuple(evidence(x.evidence, _type_label(v, x), x.onset) for x in cs)

    if found["met"]:
        return "met", f"{_type_label(v, found['met'][0])} is {names}", ev(found["met"]), None
    if found["unknown"]:
        if any(not x.cancer_type or x.cancer_type not in vocab.oncotree for x in found["unknown"]):
            return ("unknown", f"cancer code not recognised as a cancer type; criterion {names}",
                    ev(found["unknown"]), "cancer type (code not recognised)")
        return ("unknown", f"cancer type not specific enough for {names}", ev(found["unknown"]),
                "cancer type (subtype)")
    return ("not_met", f"{', '.join(_type_label(v, x) for x in found['not_met'])} is not {names}",
            ev(found["not_met"]), None)


def _type_label(view, cancer) -> str:
    """The cancer's type, naming the coded type when its histology narrowed it."""
    if not cancer.cancer_type:
        return "type not recognised"
    coded = view.coded_types.get(cancer.evidence)
    return f"{cancer.cancer_type} ({coded} by histology)" if coded else cancer.cancer_type


def histology_keys(rules, vocab, cancer) -> set[str]:
    keys = histology_code_keys(rules, cancer.histology + cancer.codes)
    for key, h in rules.histology.items():
        if cancer.cancer_type and any(vocab.oncotree.is_a(cancer.cancer_type, o) for o in h.oncotree):
            keys.add(key)
    return keys


def compile_histology(node: c.Histology, negated, vocab, units):
    wanted_codes = {(x.system, x.code) for x in node.codes}
    label = ", ".join([*node.keys, *(x.display or x.code or "" for x in node.codes)])

    def evaluate(ctx):
        cancer = ctx.focus
        if cancer is None:
            return unknown(node, "no cancer to read the histology of", "histology")
        ev = tuple(evidence(cancer.evidence, x.display or x.code) for x in cancer.histology)
        if any((x.system, x.code) in wanted_codes for x in cancer.histology + cancer.codes):
            return met(node, f"histology {label}", ev)
        keys = histology_keys(ctx.rules, ctx.vocab, cancer)
        if set(node.keys) & keys:
            return met(node, f"histology {', '.join(sorted(set(node.keys) & keys))}", ev)
        excluded = all(k in ctx.rules.histology for k in node.keys) and node.keys and keys and not node.codes and all(
            all(p in ctx.rules.histology[k].excludes for k in node.keys) for p in keys)
        if excluded:
            return not_met(node, f"histology {', '.join(sorted(keys))}, not {label}", ev)
        return unknown(node, f"histology does not show {label}", "histology", MISSING, ev)

    return evaluate


def compile_stage(node: c.Stage, negated, vocab, units):
    groups = node.groups
    bare_iv = "IV" in {g.strip().upper() for g in groups}
    asks_iv = any(parse_group(g) and parse_group(g)[0] == "IV" for g in groups)
    label = "/".join(groups)

    def evaluate(ctx):
        ext = disease_extent(ctx)
        staged = next((s for s in ctx.stages if parse_group(s.group)), None)
        m1_not_iv = bool(ctx.focus_type) and any(ctx.vocab.oncotree.is_a(ctx.focus_type, x)
                                                 for x in ctx.rules.m1_not_always_stage_iv)
        later_mets = [i for i in ext.positive if staged is None or i.fact is not staged and
                      (i.when is None or staged.date is None or i.when > staged.date)]
        mev = tuple(evidence(getattr(i.fact, "evidence", ""), i.label, i.when) for i in later_mets)
        if later_mets and not (staged and parse_group(staged.group)[0] == "IV"):
            since = day(later_mets[0].when)
            if m1_not_iv:
                return unknown(node, f"metastatic since {since}; stage group not re-assigned", "current stage", MISSING, mev)
            if bare_iv:
                return met(node, f"metastatic since {since} (stage IV)", mev)
            if any(parse_group(g) and parse_group(g)[0] == "IV" for g in groups):
                return unknown(node, f"metastatic since {since}; substage unknown", "current stage", MISSING, mev)
            return not_met(node, f"metastatic since {since}, not stage {label}", mev)
        if staged is None:
            return unknown(node, "no stage recorded", "stage")
        ev = (evidence(staged.evidence, f"stage {staged.group}", staged.date),)
        if group_in(staged.group, groups):
            return met(node, f"stage {staged.group} ({day(staged.date)}) in {label}", ev)
        if group_may_be_in(staged.group, groups):
            # "III" recorded, "IIIB-IV" asked: the substage decides, and the record does not give it
            return unknown(node, f"stage {staged.group} ({day(staged.date)}); substage needed for {label}", "stage substage",
                           MISSING, ev)
        window = ctx.rules.window("extent_negative")
        if asks_iv and parse_group(staged.group)[0] != "IV" and not is_fresh(staged.date, window, ctx.as_of):
            # a stage below IV shows no metastasis at its date only (extent_negative window)
            return unknown(node, f"stage {staged.group} ({day(staged.date)}) older than {window} days, no later staging",
                           "current stage", MISSING, ev)
        return not_met(node, f"stage {staged.group} ({day(staged.date)}) not in {label}", ev)

    return evaluate


def compile_metastasis(node: c.Metastasis, negated, vocab, units):
    if node.site is not None:
        return _compile_site(node, negated)
    extent = node.extent
    if extent == "unresectable":
        return lambda ctx: unknown(node, "resectability is a clinical judgement", "resectability", TO_CONFIRM)
    if extent == "recurrent":
        def recurrent(ctx):
            f = ctx.focus
            if f is not None and f.clinical_status in ("recurrence", "relapse"):
                return met(node, f"cancer status {f.clinical_status}", (evidence(f.evidence, f.clinical_status),))
            return unknown(node, "no recurrence recorded", "recurrence", absent_kind(negated))
        return recurrent
    return _compile_extent(node, extent)


def _compile_extent(node, extent):
    def evaluate(ctx):
        ext = disease_extent(ctx)
        rules = ctx.rules
        def ev(items):
            return tuple(evidence(getattr(i.fact, "evidence", ""), i.label, i.when) for i in items)
        if ext.positive:
            reason = f"metastatic: {ext.positive[0].label} ({day(ext.positive[0].when)})"
            if extent == "locally_advanced":
                return not_met(node, reason, ev(ext.positive))
            return met(node, reason, ev(ext.positive))
        if ext.unattributed:
            first = ext.unattributed[0]
            said = (f"{first.label} recorded" if first.label != "secondary cancer"
                    else "secondary cancer recorded; its primary is not stated")
            return unknown(node, said, "disease extent", MISSING, ev(ext.unattributed))
        latest = ext.latest_negative()
        signals = ext.progression_after.get(latest.when, ()) if latest else ()
        staged = next((s for s in ctx.stages if parse_group(s.group)), None)
        if extent != "metastatic" and staged is not None and group_in(staged.group, rules.extent_met[extent]):
            return met(node, f"stage {staged.group} ({day(staged.date)})", (evidence(staged.evidence, staged.group, staged.date),))
        if signals:
            return unknown(node, f"{signals[0].label} after the last staging", "current disease extent",
                           MISSING, ev(signals))
        window = rules.window("extent_negative")
        if extent == "metastatic" and latest is not None:
            if not is_fresh(latest.when, window, ctx.as_of):
                return unknown(node, f"{latest.label} ({day(latest.when)}) older than {window} days, no later staging",
                               "current disease extent", MISSING, ev((latest,)))
            return not_met(node, f"{latest.label} ({day(latest.when)}), no later metastasis recorded", ev((latest,)))
        if staged is not None and group_in(staged.group, rules.extent_not_met[extent]):
            stage_ev = (evidence(staged.evidence, staged.group, staged.date),)
            if not is_fresh(staged.date, window, ctx.as_of):
                return unknown(node, f"stage {staged.group} ({day(staged.date)}) older than {window} days, no later staging",
                               "current disease extent", MISSING, stage_ev)
            return not_met(node, f"stage {staged.group} ({day(staged.date)}), no later metastasis recorded", stage_ev)
        return unknown(node, "disease extent not shown by stage or metastases", "disease extent (stage)")
    return evaluate


def _compile_site(node, negated):
    site = node.site
    label = f"{site} metastases"

    def evaluate(ctx):
        is_a = ctx.vocab.site_is_a
        found = [(s, cancer) for s, cancer in ctx.view.metastatic_sites if is_a(s, site)]
        if not found:
            broader = [(s, cancer) for s, cancer in ctx.view.metastatic_sites if is_a(site, s)]
            if broader:
                return unknown(node, f"{broader[0][0]} metastasis recorded, site not specific", label, MISSING,
                               tuple(evidence(x.evidence, s, x.onset) for s, x in broader))
            return unknown(node, f"no {label} recorded", label, absent_kind(negated))
        ev = tuple(evidence(x.evidence, f"{s} ({x.clinical_status or 'status not stated'})", x.onset or x.recorded)
                   for s, x in found)
        if node.qualifier:
            return unknown(node, f"{label} recorded; whether {node.qualifier} is not recorded",
                           f"{label}: {node.qualifier}?", TO_CONFIRM, ev)
        if all(x.clinical_status in ctx.rules.inactive_statuses for _, x in found):
            return unknown(node, f"{label} recorded as {found[0][1].clinical_status}", label, TO_CONFIRM, ev)
        return met(node, f"{label} recorded", ev)

    return evaluate
