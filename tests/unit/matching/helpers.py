"""Helpers for matcher unit tests: the real vocabulary (with a stand-in for the parts of
its API not yet shipped), and one-call evaluation of a criterion against PatientFacts."""

from __future__ import annotations

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.matching.compiled_trial import compile_node, compile_trial
from trialmatch.matching.match_rules import load_rules
from trialmatch.matching.patient_view import PatientView
from trialmatch.vocab import load_vocabulary

AS_OF = date(2026, 11, 26)

# Codes the tests use for the vocabulary methods the matcher calls. When the real
# vocabulary implements a method, the real one is used (and must agree with these).
SNOMED_HIV = f.Coding(f.SNOMED, "86406008", "Human immunodeficiency virus infection")
SNOMED_BRAIN = f.Coding(f.SNOMED, "12738006", "Brain structure")
SNOMED_LIVER = f.Coding(f.SNOMED, "10200004", "Liver structure")
_CONDITIONS = {(f.SNOMED, "86406008"): "hiv"}
_SITES = {(f.SNOMED, "12738006"): "brain", (f.SNOMED, "10200004"): "liver"}
_CLASSES = {
    "pembrolizumab": {"anti_pd1", "immune_checkpoint_inhibitor", "immunotherapy"},
    "carboplatin": {"platinum", "chemotherapy", "alkylating_agent"},
    "paclitaxel": {"taxane", "chemotherapy"},
    "trastuzumab": {"anti_her2_antibody", "anti_her2", "targeted_therapy"},
}


class TestVocabulary:
    """The real vocabulary; methods it does not have yet fall back to small tables above."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def condition_for(self, coding):
        if hasattr(self._real, "condition_for"):
            return self._real.condition_for(coding)
        return _CONDITIONS.get((coding.system, coding.code))

    def metastatic_site_for(self, coding):
        if hasattr(self._real, "metastatic_site_for"):
            return self._real.metastatic_site_for(coding)
        return _SITES.get((coding.system, coding.code))

    def drug_for_rxnorm(self, code):
        if hasattr(self._real, "drug_for_rxnorm"):
            return self._real.drug_for_rxnorm(code)
        return None

    def drug_classes(self, ingredient):
        if hasattr(self._real, "drug_classes"):
            return self._real.drug_classes(ingredient)
        return frozenset(_CLASSES.get(ingredient, ()))


VOCAB = TestVocabulary(load_vocabulary())
RULES = load_rules()


def outcome(node: c.Node, facts: f.PatientFacts, *, as_of: date = AS_OF, focus: f.Cancer | None = "single"):
    """Evaluate one criteria node for the patient, seen from ``focus`` (default: the
    patient's only primary cancer)."""
    view = PatientView(facts, VOCAB, RULES, as_of)
    if focus == "single":
        focus = view.single_primary
    return compile_node(node, VOCAB).evaluate(view.context(focus))


def trial(trial_id: str, criteria: c.Node, **kw) -> c.TrialCriteria:
    return c.TrialCriteria(trial_id=trial_id, title=kw.pop("title", f"Trial {trial_id}"), criteria=criteria, **kw)


def compiled(*trials):
    return [compile_trial(t, VOCAB) for t in trials]


BREAST = f.Cancer(evidence="Condition/breast", role="primary", cancer_type="IDC", onset=date(2024, 3, 1))
LUNG = f.Cancer(evidence="Condition/lung", role="primary", cancer_type="LUAD", onset=date(2025, 1, 10))


def patient(**kw) -> f.PatientFacts:
    base = dict(patient_ref="Patient/p1", birth_date=date(1970, 5, 20), sex="female", cancers=(BREAST,))
    base.update(kw)
    return f.PatientFacts(**base)
