"""The Vocabulary: every table of ``trialmatch.vocab`` behind one frozen object.

``load_vocabulary()`` reads and validates the package data once (cached); tests and tools
may call ``load_vocabulary_from(path)`` on a copy of the data directory.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from trialmatch.domain.facts import Coding
from trialmatch.errors import RuleFileError
from trialmatch.vocab.cancer_names import CancerNames, load_cancer_names
from trialmatch.vocab.conditions import CodeIndex, ConditionConcept, load_conditions
from trialmatch.vocab.crosswalk import CancerCrosswalk, load_crosswalk
from trialmatch.vocab.data_file import DataDir, default_data_dir
from trialmatch.vocab.drugs import DrugTable, load_drugs
from trialmatch.vocab.fuzzy import KINDS, TermIndex, TermMatch, load_fuzzy_settings
from trialmatch.vocab.labs import LabConcept, load_labs
from trialmatch.vocab.markers import MarkerConcept, load_markers
from trialmatch.vocab.oncotree import OncoTree, load_oncotree
from trialmatch.vocab.sites import SiteConcept, load_sites, site_is_a
from trialmatch.vocab.term_lists import build_term_indexes


@dataclass(frozen=True, eq=False, repr=False)
class Vocabulary:
    """Frozen; compared and hashed by identity (it is loaded once), with a short repr."""

    oncotree: OncoTree
    crosswalk: CancerCrosswalk
    cancer_names: CancerNames
    markers: dict[str, MarkerConcept]
    labs: dict[str, LabConcept]
    drugs: DrugTable
    conditions: dict[str, ConditionConcept]
    sites: dict[str, SiteConcept]
    _condition_index: CodeIndex
    _site_index: CodeIndex
    _terms: dict[str, TermIndex]
    _marker_by_loinc: dict[str, str]
    _lab_by_loinc: dict[str, str]

    def __repr__(self) -> str:
        return (
            f"<Vocabulary: {len(self.oncotree.nodes)} OncoTree nodes, {len(self.crosswalk.rows)} crosswalk rows, "
            f"{len(self.markers)} markers, {len(self.labs)} labs, {len(self.drugs.drugs)} drugs, "
            f"{len(self.drugs.classes)} drug classes, {len(self.conditions)} conditions, {len(self.sites)} sites>"
        )

    # --- cancer types -------------------------------------------------------------
    def cancer_type_for(self, coding: Coding) -> str | None:
        """SNOMED CT / ICD-10-CM / ICD-O-3 topography (or an OncoTree coding) -> OncoTree code."""
        return self.crosswalk.cancer_type_for(coding, self.oncotree)

    def cancer_type_for_site(self, coding: Coding) -> str | None:
        """SNOMED body structure of a primary cancer -> OncoTree tissue node (for condition
        codes that name no site, such as 363346000 "Malignant neoplastic disease")."""
        return self.crosswalk.cancer_type_for_site(coding)

    def oncotree_code_for_name(self, name: str) -> str | None:
        """Current OncoTree names and old (MatchMiner) names -> OncoTree code; None if unresolved."""
        return self.cancer_names.code_for(name)

    # --- markers and labs ---------------------------------------------------------
    def marker_for_loinc(self, code: str) -> str | None:
        return self._marker_by_loinc.get(code.strip())

    def lab_for_loinc(self, code: str) -> LabConcept | None:
        key = self._lab_by_loinc.get(code.strip())
        return self.labs[key] if key else None

    def lab(self, key: str) -> LabConcept:
        try:
            return self.labs[key]
        except KeyError:
            raise KeyError(f"unknown lab analyte key {key!r}; known: {sorted(self.labs)}") from None

    # --- drugs --------------------------------------------------------------------
    def drug_for_rxnorm(self, code: str) -> str | None:
        """RxNorm ingredient or product code -> ingredient key; None for unknown codes and
        for products with two curated ingredients (see ``drugs_for_rxnorm``)."""
        return self.drugs.ingredient_for_rxnorm(code)

    def drugs_for_rxnorm(self, code: str) -> tuple[str, ...]:
        """Every curated ingredient of an RxNorm code (two for combination products)."""
        return self.drugs.ingredients_for_rxnorm(code)

    def drug_classes(self, ingredient: str) -> frozenset[str]:
        drug = self.drugs.drugs.get(ingredient.strip().lower())
        return drug.classes if drug else frozenset()

    def oncology_drug_classes(self, ingredient: str) -> frozenset[str]:
        """The ingredient's cancer-therapy classes (classes marked ``oncology: false``, such as
        systemic corticosteroids, left out)."""
        classes = self.drugs.classes
        return frozenset(k for k in self.drug_classes(ingredient) if classes[k].oncology)

    def is_oncology_class(self, class_key: str) -> bool:
        drug_class = self.drugs.classes.get(class_key)
        return drug_class is not None and drug_class.oncology

    def systemic_only_members(self, class_key: str) -> frozenset[str]:
        """Members of the class that count only in a systemic dose form (``route: systemic``)."""
        drug_class = self.drugs.classes.get(class_key)
        return drug_class.systemic_only if drug_class else frozenset()

    def concurrent_drugs_in(self, display: str | None) -> tuple[str, ...]:
        """Concurrent medications named by an RxNorm display whose code the table lacks."""
        return self.drugs.concurrent_drugs_in(display)

    def dose_form_route(self, display: str | None) -> str | None:
        """"local", "systemic" or None (not shown) for an RxNorm display ("Triamcinolone Oral Paste")."""
        return self.drugs.dose_forms.route(display)

    def class_members(self, class_key: str) -> frozenset[str]:
        drug_class = self.drugs.classes.get(class_key)
        return drug_class.members if drug_class else frozenset()

    # --- conditions and metastatic sites -------------------------------------------
    def condition_for(self, coding: Coding) -> str | None:
        """SNOMED CT (exact) or ICD-10-CM (prefix) -> comorbidity key."""
        return self._condition_index.key_for(coding)

    def metastatic_site_for(self, coding: Coding) -> str | None:
        """SNOMED body structure or secondary-neoplasm disorder, or ICD-10-CM C77-C79 -> site key."""
        return self._site_index.key_for(coding)

    def site_is_a(self, site: str, ancestor: str) -> bool:
        """True if ``site`` is ``ancestor`` or part of it ("brain" is part of "cns")."""
        return site_is_a(self.sites, site, ancestor)

    # --- free text ----------------------------------------------------------------
    def lookup(self, term: str, kind: str) -> TermMatch | None:
        """Free text -> concept key of ``kind`` (one of KINDS), or None below the kind's
        threshold, for inexact short terms, and for ambiguous matches."""
        if kind not in self._terms:
            raise ValueError(f"unknown lookup kind {kind!r}; kinds are {list(KINDS)}")
        return self._terms[kind].lookup(term)

    def term_lengths(self, kind: str) -> frozenset[int]:
        """The lengths of the texts ``lookup`` of ``kind`` matches against (as written), for
        callers that refuse a match whose length differs from the phrase's."""
        if kind not in self._terms:
            raise ValueError(f"unknown lookup kind {kind!r}; kinds are {list(KINDS)}")
        return frozenset(len(text) for _keys, text in self._terms[kind].terms.values())


def load_vocabulary_from(data_dir: DataDir) -> Vocabulary:
    oncotree = load_oncotree(data_dir)
    markers = load_markers(data_dir)
    labs = load_labs(data_dir)
    marker_by_loinc = {entry.code: key for key, marker in markers.items() for entry in marker.loinc}
    lab_by_loinc = {code: key for key, lab in labs.items() for code in lab.loinc}
    conditions, condition_index = load_conditions(data_dir)
    sites, site_index = load_sites(data_dir)
    both = sorted(set(marker_by_loinc) & set(lab_by_loinc))
    if both:
        raise RuleFileError(f"markers.yaml/labs.yaml: LOINC code(s) {both} listed as both marker and lab")
    cancer_names = load_cancer_names(data_dir, oncotree)
    drugs = load_drugs(data_dir)
    terms = build_term_indexes(
        load_fuzzy_settings(data_dir), oncotree, cancer_names, drugs, conditions, markers, labs, sites
    )
    return Vocabulary(
        oncotree=oncotree,
        crosswalk=load_crosswalk(data_dir, oncotree),
        cancer_names=cancer_names,
        markers=markers,
        labs=labs,
        drugs=drugs,
        conditions=conditions,
        sites=sites,
        _condition_index=condition_index,
        _site_index=site_index,
        _terms=terms,
        _marker_by_loinc=marker_by_loinc,
        _lab_by_loinc=lab_by_loinc,
    )


@functools.cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary shipped in the package, loaded and validated once."""
    return load_vocabulary_from(default_data_dir())
