"""Helpers for matcher unit tests: the real vocabulary and rules, and one-call evaluation
of a criterion against PatientFacts (constructed directly in the tests)."""

from __future__ import annotations

from datetime import date

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.matching.compiled_trial import compile_node, compile_trial
from trialmatch.matching.match_rules import load_rules
from trialmatch.matching.patient_view import PatientView
from trialmatch.vocab import load_vocabulary

AS_OF = date(2026, 11, 26)

# Codes of the real vocabulary the tests rely on
SNOMED_HIV = f.Coding(f.SNOMED, "86406008", "Human immunodeficiency virus infection")
SNOMED_BRAIN = f.Coding(f.SNOMED, "12738006", "Brain structure")
SNOMED_LIVER = f.Coding(f.SNOMED, "10200004", "Liver structure")

VOCAB = load_vocabulary()
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
