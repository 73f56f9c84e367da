"""Fact keys for the batch fast path: what an atom's verdict depends on.

``atom_key(cn, ctx)`` returns a hashable projection of the facts an atom reads in a context
(None when the atom type has no key: evaluated per patient). Two contexts with equal keys
give the atom the same verdict and missing items (evidence references aside), on the same
as-of date with the same rules; ``classify_memo.ClassifyMemo`` caches the verdict codes of
an atom family (atoms of one type reading the same facts, ``family``) by key across the
patients of a batch. Facts are projected on every field but
``evidence`` and ``cancer_ref`` (attribution to the focus cancer is done before: the
projection is of the context's facts), so a field added to a fact is part of the key
without a change here. Tested: the fast path equals the full path on golden, MatchMiner and
synthetic patients (tests/unit/matching/test_trial_class.py).
"""

from __future__ import annotations

import dataclasses

from trialmatch.domain import criteria as c

_SKIPPED = {"evidence", "cancer_ref"}
_FIELDS: dict[type, tuple[str, ...]] = {}


def project(fact) -> tuple:
    """The fact's fields but evidence and cancer_ref, in declaration order."""
    t = type(fact)
    names = _FIELDS.get(t)
    if names is None:
        names = _FIELDS[t] = tuple(x.name for x in dataclasses.fields(t) if x.name not in _SKIPPED)
    return (t.__name__, *(getattr(fact, n) for n in names))


def _variant_key(cn, ctx):
    by_gene = ctx.__dict__.get("_key_variants")
    if by_gene is None:
        by_gene = ctx.__dict__["_key_variants"] = _variants_by_gene(ctx)
    gene = cn.node.gene.upper()
    return by_gene.get(gene) or ((), False, False)


def _variants_by_gene(ctx) -> dict:
    """gene -> (projected variants, tested, tested by a germline test) in a context."""
    found: dict = {}
    for v in ctx.variants:
        found.setdefault(v.gene.upper(), []).append(project(v))
    tested = {g.gene.upper() for g in ctx.genes_tested}
    germline = {g.gene.upper() for g in ctx.germline_tests}
    return {gene: (tuple(found.get(gene, ())), gene in tested, gene in germline)
            for gene in set(found) | tested | germline}


def _marker_key(cn, ctx):
    found = ctx.__dict__.get("_key_markers")
    if found is None:
        found = ctx.__dict__["_key_markers"] = {}
    marker = cn.node.marker
    key = found.get(marker)
    if key is None:
        key = found[marker] = tuple(project(m) for m in ctx.markers.get(marker, ()))
    return key


def _cancer_type_key(cn, ctx):
    if not cn.negated and ctx.focus is not None:
        return ("focus", ctx.focus.cancer_type)
    view = ctx.view
    pool = view.facts.cancers if cn.node.role == "any" else view.primaries
    return ("all", tuple(x.cancer_type for x in pool))


KEYS = {
    c.Age: lambda cn, ctx: ctx.view.age,
    c.Sex: lambda cn, ctx: ctx.view.facts.sex,
    c.Unparsed: lambda cn, ctx: (),
    c.CancerType: _cancer_type_key,
    c.Variant: _variant_key,
    c.Biomarker: _marker_key,
}


def atom_key(cn, ctx):
    fn = KEYS.get(cn.node.__class__)
    return None if fn is None else fn(cn, ctx)


def family(cn):
    """Atoms of one family read the same facts (their ``atom_key`` is the same function of
    the context): (type, parameter), or None for atom types without a key."""
    node = cn.node
    t = node.__class__
    if t not in KEYS:
        return None
    if t is c.Variant:
        return t, node.gene.upper()
    if t is c.Biomarker:
        return t, node.marker
    if t is c.CancerType:
        return t, cn.negated, node.role == "any"
    return (t,)
