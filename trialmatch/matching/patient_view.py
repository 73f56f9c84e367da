"""PatientView: one patient's facts indexed once per match, and EvalContext: the view seen
from one of the patient's cancers (the *focus*).

Evidence rule "facts belong to their cancer" (DESIGN.md): markers, variants, genes tested
and stages are read for the focus cancer only: a fact whose ``cancer_ref`` is the focus;
a fact with ``cancer_ref`` None (or pointing at no primary cancer, e.g. at a secondary
cancer) only when the patient's primaries are one cancer (``one_cancer``): exactly one
primary, or several records that can only be the same cancer (every type known, and one
of them is the type or an OncoTree ancestor of all the others: NSCLC twice, NSCLC and
LUAD). Two different cancers (breast and lung, or a type the vocabulary does not know)
are kept apart. Germline variants are the patient's, not a tumour's, and are read
whatever the focus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trialmatch.domain import facts as f
from trialmatch.matching.cancer_refine import refine_cancers
from trialmatch.matching.match_rules import MatchRules

_OLD = date.min


def newest_first(items, key=lambda x: x.date):
    """Dated facts newest first; undated ones last."""
    return sorted(items, key=lambda x: key(x) or _OLD, reverse=True)


_TOO_BROAD = frozenset({"TISSUE", "_SOLID_", "_LIQUID_"})


def same_cancer(vocab, primaries) -> bool:
    """Several primary records that can only be one cancer: every type known to OncoTree,
    one of them the type or an ancestor of all the others (not the root "TISSUE": a cancer
    of unstated type may be another one), and no two recorded lateralities differ (left
    and right breast cancers of one type are two cancers)."""
    tree = vocab.oncotree
    types = {x.cancer_type for x in primaries}
    if len(primaries) < 2 or any(t is None or t not in tree or t in _TOO_BROAD for t in types):
        return False
    sides = {(x.laterality.system, x.laterality.code) for x in primaries if x.laterality is not None}
    if len(sides) > 1:
        return False
    return any(all(tree.is_a(t, top) for t in types) for top in types)


class PatientView:
    """Indexes over one PatientFacts, built once per match (pure; no I/O)."""

    def __init__(self, facts: f.PatientFacts, vocab: Any, rules: MatchRules, as_of: date):
        # a broad cancer code narrowed by its recorded histology (cancer_refine.py);
        # coded_types: {cancer evidence: type as coded} of the cancers refined
        facts, self.coded_types = refine_cancers(rules, facts)
        self.facts = facts
        self.vocab = vocab
        self.rules = rules
        self.as_of = as_of
        self.age = facts.age_on(as_of)
        self.primaries = tuple(c for c in facts.cancers if c.role == "primary")
        self.secondaries = tuple(c for c in facts.cancers if c.role != "primary")
        self.single_primary = self.primaries[0] if len(self.primaries) == 1 else None
        self.single_primary_list = [self.single_primary]
        self.primary_refs = frozenset(c.evidence for c in self.primaries)
        self.one_cancer = self.single_primary is not None or same_cancer(vocab, self.primaries)
        self.performance = tuple(newest_first(facts.performance))
        self.pregnancy = tuple(newest_first(facts.pregnancy))
        self.measurable_disease = tuple(newest_first(facts.measurable_disease))
        self.life_expectancy = tuple(newest_first(facts.life_expectancy))
        self.residual_toxicity = tuple(newest_first(facts.residual_toxicity))
        self.allergies = tuple(newest_first(facts.allergies))
        self.studies = tuple(newest_first(facts.studies, key=lambda x: x.end or x.start))
        self.labs: dict[str, list[f.Lab]] = {}
        for lab in newest_first(facts.labs):
            if lab.analyte and lab.value is not None and not lab.implausible:
                self.labs.setdefault(lab.analyte, []).append(lab)
        self.conditions: list[tuple[str | None, f.Condition]] = []
        for cond in facts.conditions:
            keys = {vocab.condition_for(c) for c in cond.codes} - {None}
            for key in sorted(keys) or [None]:
                self.conditions.append((key, cond))
        self.medications: list[tuple[f.Medication, frozenset[str], frozenset[str]]] = []
        for med in facts.medications:
            if med.status in rules.not_given_statuses:
                continue
            ingredients = set(med.ingredients)
            for coding in med.codes:
                if coding.code and coding.system == f.RXNORM:
                    ingredients.update(vocab.drugs_for_rxnorm(coding.code))
            classes: set[str] = set()
            for ing in ingredients:
                classes |= vocab.drug_classes(ing)
            self.medications.append((med, frozenset(ingredients), frozenset(classes)))
        self.metastatic_sites: list[tuple[str, f.Cancer]] = []
        for cancer in self.secondaries:
            sites = {vocab.metastatic_site_for(c) for c in cancer.body_site + cancer.codes} - {None}
            self.metastatic_sites.extend((s, cancer) for s in sorted(sites))
        self._contexts: dict[str | None, EvalContext] = {}
        self.foci_cache: dict = {}
        self.batch_memo = None  # trial_class.ClassifyMemo when classifying a batch

    def attributed(self, cancer_ref: str | None, focus: f.Cancer | None) -> bool:
        if focus is None:
            return False
        if cancer_ref == focus.evidence:
            return True
        if cancer_ref in self.primary_refs:
            return False
        return self.one_cancer and focus.evidence in self.primary_refs

    def context(self, focus: f.Cancer | None) -> "EvalContext":
        key = focus.evidence if focus is not None else None
        ctx = self._contexts.get(key)
        if ctx is None:
            ctx = self._contexts[key] = EvalContext(self, focus)
        return ctx


@dataclass(eq=False)
class EvalContext:
    """The patient seen from one focus cancer; caches atom outcomes across trials."""

    view: PatientView
    focus: f.Cancer | None
    cache: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)
    vcodes: dict = field(default_factory=dict)  # verdict codes (trial_class.node_code)

    def __post_init__(self):
        v, focus = self.view, self.focus
        self.rules = v.rules
        self.vocab = v.vocab
        self.as_of = v.as_of
        self.stages = tuple(newest_first(s for s in v.facts.stages if v.attributed(s.cancer_ref, focus)))
        self.markers: dict[str, list[f.TumorMarker]] = {}
        for m in newest_first(v.facts.markers):
            if v.attributed(m.cancer_ref, focus):
                self.markers.setdefault(m.marker, []).append(m)
        self.variants = tuple(
            x for x in v.facts.variants
            if (x.source_class == "germline" and x.cancer_ref is None) or v.attributed(x.cancer_ref, focus)
        )
        self.genes_tested = tuple(g for g in v.facts.genes_tested if v.attributed(g.cancer_ref, focus))
        # tests tied to no cancer: read as germline tests (for germline criteria only)
        self.germline_tests = tuple(g for g in v.facts.genes_tested if g.cancer_ref is None)
        self.focus_type = focus.cancer_type if focus is not None else None
