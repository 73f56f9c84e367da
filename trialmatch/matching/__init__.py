"""The matching engine: compile criteria trees once, draw candidate trials, evaluate them
against PatientFacts with Kleene logic and the evidence rules of DESIGN.md, rank, explain.

Pure and I/O-free; the vocabulary is passed in (``compile_trial(trial, vocab)``,
``TrialIndex(compiled, vocab)``), the clock too (``as_of``). See docs/matching.md.
"""

from trialmatch.matching.compiled_trial import CompiledTrial, compile_trial
from trialmatch.matching.match_result import ENGINE_VERSION, MatchResult, MissingSummary, match_patient
from trialmatch.matching.match_rules import MatchRules, load_rules
from trialmatch.matching.render import render
from trialmatch.matching.result_json import result_to_json
from trialmatch.matching.trial_class import ArmClass, ClassifyMemo, TrialClass, classify_patient, classify_patients
from trialmatch.matching.trial_index import TrialIndex
from trialmatch.matching.trial_result import ArmResult, TrialResult

__all__ = [
    "ArmClass", "ArmResult", "ClassifyMemo", "CompiledTrial", "ENGINE_VERSION", "MatchResult", "MatchRules", "MissingSummary", "TrialIndex",
    "TrialClass", "TrialResult", "classify_patient", "classify_patients", "compile_trial", "load_rules", "match_patient", "render", "result_to_json",
]
