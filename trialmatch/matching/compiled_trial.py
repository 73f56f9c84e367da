"""Compiling criteria trees once into evaluators, reused for every patient.

``compile_trial(trial, vocab) -> CompiledTrial``. Each atom becomes a closure with its
constants precomputed (lab thresholds converted, labels rendered); each node becomes a
``CompiledNode`` whose hash is computed once, so that identical sub-trees of different
trials share one cached outcome per patient context (``EvalContext.cache``).

Polarity: an atom under an odd number of ``Not`` is compiled as an exclusion (``negated``),
which decides the kind of an UNKNOWN for facts absent from the record (``to_confirm``) and
reads CancerType over all the patient's cancers instead of the focus cancer.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import TYPE_NAMES, positive_atoms
from trialmatch.domain.verdict import Outcome, Verdict
from trialmatch.matching import (
    atoms_allergy, atoms_assessment, atoms_biomarker, atoms_clinical, atoms_disease, atoms_patient, atoms_study,
    atoms_therapy, atoms_toxicity, atoms_vaccination, atoms_variant,
)
from trialmatch.matching.render import display_text
from trialmatch.matching.units import load_units

COMPILERS = {
    c.Age: atoms_patient.compile_age,
    c.Sex: atoms_patient.compile_sex,
    c.Pregnancy: atoms_patient.compile_pregnancy,
    c.Unparsed: atoms_patient.compile_unparsed,
    c.CancerType: atoms_disease.compile_cancer_type,
    c.Histology: atoms_disease.compile_histology,
    c.Stage: atoms_disease.compile_stage,
    c.Metastasis: atoms_disease.compile_metastasis,
    c.Biomarker: atoms_biomarker.compile_biomarker,
    c.Variant: atoms_variant.compile_variant,
    c.PerformanceStatus: atoms_clinical.compile_performance,
    c.Lab: atoms_clinical.compile_lab,
    c.Condition: atoms_clinical.compile_condition,
    c.PriorTherapy: atoms_therapy.compile_prior_therapy,
    c.Procedure: atoms_therapy.compile_procedure,
    c.Measurable: atoms_assessment.compile_measurable,
    c.LifeExpectancy: atoms_assessment.compile_life_expectancy,
    c.Hypersensitivity: atoms_allergy.compile_hypersensitivity,
    c.Vaccination: atoms_vaccination.compile_vaccination,
    c.ResidualToxicity: atoms_toxicity.compile_residual_toxicity,
}


class CompiledNode:
    """One node of a compiled tree. ``key`` = (polarity, node): equal keys are
    interchangeable, and ``TrialIndex`` interns them so that trials share one object (and
    one cached outcome per patient context); the cache itself is keyed by identity."""

    __slots__ = ("node", "negated", "children", "fn", "code", "text", "scope", "__weakref__")

    def __init__(self, node, negated, children=(), fn=None, scope=None):
        self.node = node
        # the trial a StudyParticipation atom is compiled for (it skips that trial's own enrolment),
        # part of the key so that two trials never share one such atom
        self.scope = scope
        self.negated = negated
        self.children = children
        self.fn = fn
        # verdict code without the outcome, when the atom's compiler gives one (verdict_codes)
        self.code = getattr(fn, "verdict_code", None)
        self.text = display_text(node)

    @property
    def key(self):
        return (self.negated, self.node) if self.scope is None else (self.negated, self.node, self.scope)

    def evaluate(self, ctx) -> Outcome:
        cache = ctx.cache
        out = cache.get(self)
        if out is None:
            out = cache[self] = self._evaluate(ctx)
        return out

    def _evaluate(self, ctx) -> Outcome:
        node = self.node
        if self.fn is not None:
            return self.fn(ctx)
        outs = tuple(ch.evaluate(ctx) for ch in self.children)
        if isinstance(node, c.Not):
            return _negate(self.text, node, outs[0])
        if isinstance(node, c.All):
            verdict = min((o.verdict for o in outs), default=Verdict.MET)
        else:
            verdict = max((o.verdict for o in outs), default=Verdict.NOT_MET)
        counts = sum(1 for o in outs if o.verdict is verdict)
        n = len(outs)
        if isinstance(node, c.All):
            reason = {Verdict.MET: f"all {n} met", Verdict.NOT_MET: f"{counts} of {n} not met",
                      Verdict.UNKNOWN: f"{counts} of {n} unknown, none not met"}[verdict]
        else:
            reason = {Verdict.MET: f"{counts} of {n} met", Verdict.NOT_MET: f"none of {n} met",
                      Verdict.UNKNOWN: f"none met, {counts} of {n} unknown"}[verdict]
        missing = ()
        if verdict is Verdict.UNKNOWN:
            missing = tuple(dict.fromkeys(m for o in outs if o.verdict is Verdict.UNKNOWN for m in o.missing))
        return Outcome(verdict=verdict, reason=reason, node_type=TYPE_NAMES[type(node)], text=self.text,
                       id=node.id, missing=missing, children=outs)


def _negate(text: str, node: c.Not, child: Outcome) -> Outcome:
    verdict = child.verdict.negate()
    if child.verdict is Verdict.MET:
        reason = f"excluded: {child.reason}"
    else:  # NOT_MET ("not applicable: male patient" included) or UNKNOWN: the child's reason
        reason = child.reason
    return Outcome(verdict=verdict, reason=reason, node_type="not", text=text, id=node.id,
                   missing=child.missing if verdict is Verdict.UNKNOWN else (), children=(child,))


def compile_node(node: c.Node, vocab, units=None, negated: bool = False, trial_id: str | None = None) -> CompiledNode:
    """``trial_id``: the trial the tree belongs to (StudyParticipation skips its own enrolment)."""
    units = units or load_units()
    if isinstance(node, (c.All, c.Any, c.Not)):
        items = node.items if isinstance(node, (c.All, c.Any)) else (node.item,)
        inner = negated if isinstance(node, (c.All, c.Any)) else not negated
        children = tuple(compile_node(x, vocab, units, inner, trial_id) for x in items)
        # a node holding a trial-scoped atom is scoped too (interning must not share it across trials)
        return CompiledNode(node, negated, children, scope=trial_id if any(ch.scope for ch in children) else None)
    if isinstance(node, c.StudyParticipation):  # compiled for its trial (it skips that trial's own enrolment)
        fn = atoms_study.compile_study_participation(node, negated, vocab, units, trial_id)
        return CompiledNode(node, negated, (), fn, scope=trial_id)
    compiler = COMPILERS.get(type(node))
    if compiler is None:
        raise TypeError(f"not a criteria node: {type(node).__name__}")
    return CompiledNode(node, negated, (), compiler(node, negated, vocab, units))


def intern(node: CompiledNode, table: dict) -> CompiledNode:
    """The shared instance of ``node`` in ``table`` (children interned first)."""
    if node.children:
        node.children = tuple(intern(ch, table) for ch in node.children)
    return table.setdefault(node.key, node)


def conjuncts(node: c.Node):
    """The atoms every satisfying patient must meet: the root and, through ``All``, its items."""
    if isinstance(node, c.All):
        for item in node.items:
            yield from conjuncts(item)
    else:
        yield node


def positive_cancer_types(node: c.Node):
    return (a for a in positive_atoms(node) if isinstance(a, c.CancerType))


@dataclass(frozen=True, eq=False)
class CompiledArm:
    arm: c.Arm
    root: CompiledNode


@dataclass(frozen=True, eq=False)
class CompiledTrial:
    """One criteria version, compiled. ``required_*``: what the prefilter may rely on (atoms
    of the common criteria's top-level conjunction)."""

    trial: c.TrialCriteria
    root: CompiledNode
    arms: tuple[CompiledArm, ...]
    focus_codes: tuple[str, ...]  # codes of every positive CancerType atom (common and arms)
    focus_any_role: bool
    focus_required: bool  # every positive CancerType atom is in the top-level conjunction
    required_codes: tuple[str, ...] | None
    required_any_role: bool
    required_age: c.Age | None
    required_sex: str | None


def compile_trial(trial: c.TrialCriteria, vocab) -> CompiledTrial:
    units = load_units()
    root = compile_node(trial.criteria, vocab, units, trial_id=trial.trial_id)
    arms = tuple(CompiledArm(a, compile_node(a.criteria, vocab, units, trial_id=trial.trial_id)) for a in trial.arms)
    top = list(conjuncts(trial.criteria))
    all_ct = list(positive_cancer_types(trial.criteria)) + [x for a in trial.arms for x in positive_cancer_types(a.criteria)]
    top_ct = [x for x in top if isinstance(x, c.CancerType)]
    ages = [x for x in top if isinstance(x, c.Age)]
    sexes = [x for x in top if isinstance(x, c.Sex)]
    return CompiledTrial(
        trial=trial, root=root, arms=arms,
        focus_codes=tuple(dict.fromkeys(code for x in all_ct for code in x.codes)),
        focus_any_role=bool(all_ct) and all(x.role == "any" for x in all_ct),
        focus_required=bool(top_ct) and all(any(x is y for y in top_ct) for x in all_ct),
        required_codes=top_ct[0].codes if top_ct else None,
        required_any_role=bool(top_ct) and top_ct[0].role == "any",
        required_age=ages[0] if ages else None,
        required_sex=sexes[0].sex.lower() if sexes else None,
    )
