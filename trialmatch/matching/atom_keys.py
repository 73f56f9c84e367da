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
import operator

from trialmatch.domain import criteria as c
from trialmatch.matching.atoms_patient import birthday_today

_SKIPPED = {"evidence", "cancer_ref"}
_GETTERS: dict = {}


def project(fact) -> tuple:
    """The fact's fields but evidence and cancer_ref, in declaration order."""
    t = type(fact)
    getter = _GETTERS.get(t)
    if getter is None:
        names = [x.name for x in dataclasses.fields(t) if x.name not in _SKIPPED]
        get = operator.attrgetter(*names)
        getter = _GETTERS[t] = (lambda x: (get(x),)) if len(names) == 1 else get
    return (t.__name__, *getter(fact))


def _variants_of(ctx) -> dict:
    by_gene = ctx.__dict__.get("_key_variants")
    if by_gene is None:
        by_gene = ctx.__dict__["_key_variants"] = _variants_by_gene(ctx)
    return by_gene


_NO_VARIANT = ((), False, False)


def _variants_by_gene(ctx) -> dict:
    """gene -> (projected variants, tested, tested by a germline test) in a context."""
    found: dict = {}
    for v in ctx.variants:
        found.setdefault(v.gene.upper(), []).append(project(v))
    tested = {g.gene.upper() for g in ctx.genes_tested}
    germline = {g.gene.upper() for g in ctx.germline_tests}
    return {gene: (tuple(found.get(gene, ())), gene in tested, gene in germline)
            for gene in set(found) | tested | germline}


def _markers_of(ctx) -> dict:
    found = ctx.__dict__.get("_key_markers")
    if found is None:
        found = ctx.__dict__["_key_markers"] = {}
    return found


def _cancer_type_key(negated: bool, any_role: bool, ctx):
    if not negated and ctx.focus is not None:
        return ("focus", ctx.focus.cancer_type)
    view = ctx.view
    pool = view.facts.cancers if any_role else view.primaries
    return ("all", tuple(x.cancer_type for x in pool))


def key_function(cn):
    """``ctx -> fact key`` of an atom (the parameters it reads resolved once), or None for
    atom types without a key."""
    node = cn.node
    t = node.__class__
    if t is c.Variant:
        gene = node.gene.upper()
        return lambda ctx: _variants_of(ctx).get(gene) or _NO_VARIANT

    if t is c.Biomarker:
        marker = node.marker

        def marker_key(ctx):
            found = _markers_of(ctx)
            key = found.get(marker)
            if key is None:
                key = found[marker] = tuple([project(m) for m in ctx.markers.get(marker, ())])
            return key

        return marker_key
    if t is c.CancerType:
        negated, any_role = cn.negated, node.role == "any"
        return lambda ctx: _cancer_type_key(negated, any_role, ctx)
    if t is c.Age:  # completed years, and the birthday itself ("over 18" holds from the day after it)
        return lambda ctx: (ctx.view.age, birthday_today(ctx.view.facts.birth_date, ctx.as_of))
    if t is c.Sex:
        return lambda ctx: ctx.view.facts.sex
    if t is c.Unparsed:
        return lambda ctx: ()
    if t is c.Measurable:
        return lambda ctx: tuple([project(x) for x in ctx.view.measurable_disease])
    if t is c.LifeExpectancy:
        return lambda ctx: tuple([project(x) for x in ctx.view.life_expectancy])
    return None


KEYS = frozenset({c.Age, c.Sex, c.Unparsed, c.CancerType, c.Variant, c.Biomarker, c.Measurable, c.LifeExpectancy})


def atom_key(cn, ctx):
    fn = key_function(cn)
    return None if fn is None else fn(ctx)


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
