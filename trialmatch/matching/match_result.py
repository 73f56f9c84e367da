"""match_patient: one patient's facts against a TrialIndex, ranked, with the missing-data
summary ("HER2 status would decide 7 trials")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trialmatch.domain import facts as f
from trialmatch.domain.verdict import Evidence, Missing, Outcome, Verdict
from trialmatch.matching.atoms_disease import cancer_match
from trialmatch.matching.match_rules import MatchRules, load_rules
from trialmatch.matching.patient_view import PatientView
from trialmatch.matching.trial_index import TrialIndex
from trialmatch.matching.trial_result import CLASS_RANK, TrialResult, evaluate_trial

ENGINE_VERSION = "trialmatch-matching/1.0"


@dataclass(frozen=True)
class MissingSummary:
    """A missing data item and the trials (possible ones) in which it is among the
    deciding unknowns."""

    item: str
    kind: str
    trial_ids: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    results: tuple[TrialResult, ...]
    missing_summary: tuple[MissingSummary, ...]
    engine_version: str
    as_of: date
    trials_indexed: int
    candidates: int
    note: str | None = None


def match_patient(facts: f.PatientFacts, index: TrialIndex, *, as_of: date, rules: MatchRules | None = None,
                  limit: int | None = None) -> MatchResult:
    rules = rules or load_rules()
    view = PatientView(facts, index.vocab, rules, as_of)
    candidates = index.candidates(view)
    note = None
    if facts.deceased:
        note = "patient recorded as deceased" + (f" ({facts.deceased_date.isoformat()})" if facts.deceased_date else "")
        results = [_deceased(ct, facts, note) for ct in candidates]
    else:
        results = [_best_focus(ct, view) for ct in candidates]
    results.sort(key=lambda r: (-CLASS_RANK[r.result_class], -r.score, r.trial_id))
    summary = missing_summary(results)
    if limit is not None:
        results = results[:limit]
    return MatchResult(tuple(results), summary, ENGINE_VERSION, as_of, len(index), len(candidates), note)


def candidate_foci(ct, view) -> list:
    """The patient cancers a trial may be about (see ``patient_view``): those matching (or
    possibly matching) its cancer types when every such atom is required; every primary
    otherwise (the best focus wins)."""
    if ct.focus_codes and ct.focus_required:
        pool = view.facts.cancers if ct.focus_any_role else view.primaries
        foci = [x for x in pool if cancer_match(view.vocab, x.cancer_type, ct.focus_codes) != "not_met"]
        if foci:
            return foci
        return [view.primaries[0]] if view.primaries else [None]
    return list(view.primaries) or [None]


def _best_focus(ct, view) -> TrialResult:
    best = None
    for focus in candidate_foci(ct, view):
        result = evaluate_trial(ct, view.context(focus))
        if best is None or result.rank_key > best.rank_key:
            best = result
    return best


def _deceased(ct, facts, note) -> TrialResult:
    t = ct.trial
    out = Outcome(verdict=Verdict.NOT_MET, reason=note, node_type="patient",
                  evidence=(Evidence(facts.patient_ref or "Patient", "deceased",
                                     facts.deceased_date.isoformat() if facts.deceased_date else None),))
    return TrialResult(trial_id=t.trial_id, title=t.title, version=t.version, result_class="ineligible", score=0.0,
                       outcome=out, deciding=(out,), phase=t.phase, status=t.status, note=note)


def missing_summary(results) -> tuple[MissingSummary, ...]:
    by_item: dict[tuple[str, str], list[str]] = {}
    for r in results:
        if r.result_class != "possible":
            continue
        for m in r.unknowns:
            by_item.setdefault((m.item, m.kind), []).append(r.trial_id)
    rows = [MissingSummary(item, kind, tuple(dict.fromkeys(ids))) for (item, kind), ids in by_item.items()]
    rows.sort(key=lambda s: (-len(s.trial_ids), s.item, s.kind))
    return tuple(rows)


__all__ = ["ENGINE_VERSION", "MatchResult", "Missing", "MissingSummary", "match_patient"]
