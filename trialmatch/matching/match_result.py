"""match_patient: one patient's facts against a TrialIndex, ranked, with the missing-data
summary ("HER2 status would decide 7 trials")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trialmatch.domain import facts as f
from trialmatch.domain.verdict import Evidence, Outcome, Verdict
from trialmatch.matching.atoms_disease import cancer_match
from trialmatch.matching.match_rules import MatchRules, load_rules
from trialmatch.matching.patient_view import PatientView
from trialmatch.matching.trial_index import TrialIndex
from trialmatch.matching.trial_rank import assess
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
        results = sorted((_deceased(ct, facts, note) for ct in candidates), key=_order)
        results = results[:limit] if limit is not None else results
        return MatchResult(tuple(results), (), ENGINE_VERSION, as_of, len(index), len(candidates), note)
    # rank every candidate cheaply, then explain only the results returned
    ranked = []
    only = view.context(view.single_primary) if view.single_primary is not None else None
    for ct in candidates:
        if only is not None and not ct.focus_any_role:  # one primary cancer: the only focus
            ctx = only
            rank, score, unknowns = assess(ct, ctx)
        else:
            best = None
            for focus in candidate_foci(ct, view):
                c = view.context(focus)
                a = assess(ct, c)
                if best is None or (a[0], a[1]) > (best[0][0], best[0][1]):
                    best = (a, c)
            (rank, score, unknowns), ctx = best
        ranked.append((-rank, -score, ct.trial.trial_id, ct, ctx, unknowns))
    ranked.sort(key=lambda x: x[:3])
    summary = _summary((x[2], x[5]) for x in ranked if x[0] == -1)
    chosen = ranked if limit is None else ranked[:limit]
    results = tuple(evaluate_trial(x[3], x[4]) for x in chosen)
    return MatchResult(results, summary, ENGINE_VERSION, as_of, len(index), len(candidates), note)


def _order(r: TrialResult):
    return (-CLASS_RANK[r.result_class], -r.score, r.trial_id)


def candidate_foci(ct, view) -> list:
    """The patient cancers a trial may be about (see ``patient_view``): those matching (or
    possibly matching) its cancer types when every such atom is required; every primary
    otherwise (the best focus wins)."""
    if not ct.focus_any_role and view.single_primary is not None:
        return view.single_primary_list  # the patient's one primary cancer, whatever the trial
    key = (ct.focus_codes, ct.focus_required, ct.focus_any_role)
    cached = view.foci_cache.get(key)
    if cached is not None:
        return cached
    view.foci_cache[key] = foci = _foci(ct, view)
    return foci


def _foci(ct, view) -> list:
    if ct.focus_codes and ct.focus_required:
        pool = view.facts.cancers if ct.focus_any_role else view.primaries
        foci = [x for x in pool if cancer_match(view.vocab, x.cancer_type, ct.focus_codes) != "not_met"]
        if foci:
            return foci
        return [view.primaries[0]] if view.primaries else [None]
    return list(view.primaries) or [None]


def evaluate_for_patient(ct, view) -> TrialResult:
    """Full evaluation of one compiled trial for a PatientView: the best result over the
    trial's candidate focus cancers."""
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
    """Over ranked TrialResults: each missing item with the possible trials it decides."""
    return _summary((r.trial_id, r.unknowns) for r in results if r.result_class == "possible")


def _summary(pairs) -> tuple[MissingSummary, ...]:
    by_item: dict[tuple[str, str], list[str]] = {}
    for trial_id, unknowns in pairs:
        for m in unknowns:
            by_item.setdefault((m.item, m.kind), []).append(trial_id)
    rows = [MissingSummary(item, kind, tuple(dict.fromkeys(ids))) for (item, kind), ids in by_item.items()]
    rows.sort(key=lambda s: (-len(s.trial_ids), s.item, s.kind))
    return tuple(rows)


__all__ = ["ENGINE_VERSION", "MatchResult", "MissingSummary", "match_patient"]
