"""result_to_json(match_result) -> dict: the plain JSON view the CLI and the HTTP API print.

Stable shape (documented in docs/matching.md): every key is always present (``null`` or
``[]`` when empty); verdicts are "met" | "not_met" | "unknown"; classes "eligible" |
"possible" | "ineligible"; dates ISO 8601.
"""

from __future__ import annotations

from trialmatch.domain.verdict import Outcome


def outcome_to_json(out: Outcome, memo: dict | None = None) -> dict:
    """The JSON of an outcome tree. Trials share criteria, and the engine evaluates a shared node
    once, so one Outcome object appears under many trials: with ``memo`` (one per result, keyed by
    the object's identity, the objects outliving it) its JSON is built once and shared. Nobody
    mutates these dicts; they are only serialised."""
    if memo is not None:
        done = memo.get(id(out))
        if done is not None:
            return done
    data = {
        "id": out.id,
        "type": out.node_type,
        "text": out.text,
        "verdict": out.verdict.label,
        "reason": out.reason,
        "evidence": [{"reference": e.reference, "value": e.value, "date": e.date} for e in out.evidence],
        "missing": [{"item": m.item, "kind": m.kind} for m in out.missing],
        "children": [outcome_to_json(ch, memo) for ch in out.children],
    }
    if memo is not None:
        memo[id(out)] = data
    return data


def _deciding(items) -> list[dict]:
    return [{"id": o.id, "text": o.text, "reason": o.reason} for o in items]


def _unknowns(items) -> list[dict]:
    return [{"item": m.item, "kind": m.kind} for m in items]


def trial_result_to_json(r, memo: dict | None = None) -> dict:
    return {
        "trial_id": r.trial_id,
        "title": r.title,
        "version": r.version,
        "phase": r.phase,
        "status": r.status,
        "result_class": r.result_class,
        "score": r.score,
        "focus_cancer": r.focus_cancer,
        "note": r.note,
        "deciding": _deciding(r.deciding),
        "unknowns": _unknowns(r.unknowns),
        "criteria": outcome_to_json(r.outcome, memo),
        "arms": [{
            "arm_id": a.arm_id,
            "label": a.label,
            "suspended": a.suspended,
            "result_class": a.result_class,
            "score": a.score,
            "deciding": _deciding(a.deciding),
            "unknowns": _unknowns(a.unknowns),
            "criteria": outcome_to_json(a.outcome, memo),
        } for a in r.arms],
    }


def result_to_json(match_result) -> dict:
    m = match_result
    memo: dict = {}
    return {
        "engine_version": m.engine_version,
        "as_of": m.as_of.isoformat(),
        "trials_indexed": m.trials_indexed,
        "candidates": m.candidates,
        "note": m.note,
        "results": [trial_result_to_json(r, memo) for r in m.results],
        "missing_summary": [{"item": s.item, "kind": s.kind, "count": len(s.trial_ids), "trial_ids": list(s.trial_ids)}
                            for s in m.missing_summary],
    }
