"""Running one rescreen chunk: match its patients, diff against the stored results, write.

Idempotence: the results are computed first, then written in one transaction whose first
statement claims the chunk (``registry.claim_chunk``): a second run of a chunk that is done,
or a concurrent run that lost the claim, writes nothing and reports ``already_done``. A worker
killed before its commit leaves nothing behind; the chunk's task is delivered again (late
acknowledgement) and runs from the start.

What is stored: the eligible and possible pairs (class, score, criteria version); ineligible
pairs are only counted. Each change of class against the stored results is a MatchEvent:
``newly_eligible`` (now eligible, before not), ``newly_possible`` (ineligible -> possible),
``no_longer_eligible`` (eligible -> possible or ineligible), ``no_longer_possible``
(possible -> ineligible). A trial of the rescreen's scope that is no longer in the catalogue
(retired) is ineligible for everyone: its stored results are withdrawn with events.
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from trialmatch.domain.facts_json import facts_from_json
from trialmatch.matching import TrialIndex
from trialmatch.matching.trial_class import ClassifyMemo, classify_patient
from trialmatch.matching.match_rules import load_rules
from trialmatch.rescreen import COUNT_KEYS, finish_if_complete
from trialmatch.rescreen_review import next_review, time_bounds
from trialmatch.store import registry
from trialmatch.store.registry import MatchEvent, MatchRecord, Patient

STORED = ("eligible", "possible")
BATCH = 5000
_BOUNDS: dict[str, object] = {}
_INDEXES: dict[tuple, TrialIndex] = {}


def change_kind(before: str, after: str) -> str | None:
    if before == after:
        return None
    if after == "eligible":
        return "newly_eligible"
    if before == "eligible":
        return "no_longer_eligible"
    return "newly_possible" if after == "possible" else "no_longer_possible"


def scoped_index(catalogue, trial_ids: list[str] | None) -> TrialIndex:
    """The catalogue's index, or one over the scope's trials (compiled once per catalogue)."""
    if trial_ids is None:
        return catalogue.index
    key = (catalogue.version, tuple(trial_ids))
    if key not in _INDEXES:
        if len(_INDEXES) > 64:
            _INDEXES.clear()
        wanted = set(trial_ids)
        _INDEXES[key] = TrialIndex([ct for ct in catalogue.index.trials if ct.trial.trial_id in wanted],
                                   catalogue.index.vocab)
    return _INDEXES[key]


def _bounds(catalogue, rules):
    if catalogue.version not in _BOUNDS:
        if len(_BOUNDS) > 16:
            _BOUNDS.clear()
        _BOUNDS[catalogue.version] = time_bounds(catalogue.trials, rules.freshness)
    return _BOUNDS[catalogue.version]


def compute_chunk(*, patients: list[Patient], catalogue, trial_ids: list[str] | None, as_of):
    """{patient id: {trial id: (class, score, version)}} of the stored classes, the number of
    pairs per patient, review dates, and errors (by patient id and error type, no values)."""
    rules = load_rules()
    index = scoped_index(catalogue, trial_ids)
    bounds = _bounds(catalogue, rules)
    pairs = len(trial_ids) if trial_ids is not None else len(catalogue.trials)
    versions = {trial.trial_id: trial.version for trial in catalogue.trials}
    memo = ClassifyMemo(as_of, rules)  # verdict-only fast path, shared by the chunk's patients
    results, review, errors = {}, {}, []
    for patient in patients:
        try:
            facts = facts_from_json(patient.facts)
            classes = classify_patient(facts, index, as_of=as_of, rules=rules, memo=memo)
        except Exception as exc:  # one bad record must not stop the chunk; named by id and type only
            errors.append({"patient_id": patient.id, "error": type(exc).__name__})
            continue
        results[patient.id] = {c.trial_id: (c.result_class, c.score, versions[c.trial_id])
                               for c in classes if c.result_class in STORED}
        review[patient.id] = next_review(facts, bounds, as_of)
    return results, pairs, review, errors


def run_chunk(*, sessionmaker, catalogue, rescreen_id: str, chunk_no: int, now: datetime) -> dict:
    """Run one chunk; {"status": "done", "counts": ...} or {"status": "already_done"}."""
    with sessionmaker() as session:
        rescreen = registry.get_rescreen(session, rescreen_id)
        chunk = registry.get_chunk(session, rescreen_id, chunk_no)
        if rescreen is None or chunk is None:
            return {"status": "unknown"}
        if chunk.status == "done":
            return {"status": "already_done"}
        trial_ids, as_of = rescreen.trial_ids, rescreen.as_of
        patients = [p for p in (session.get(Patient, pid) for pid in chunk.patient_ids) if p is not None]
        started = time.perf_counter()
        results, pairs, review, errors = compute_chunk(patients=patients, catalogue=catalogue,
                                                       trial_ids=trial_ids, as_of=as_of)
    computed = time.perf_counter()
    with sessionmaker.begin() as session:
        if not registry.claim_chunk(session, rescreen_id, chunk_no, now=now):
            return {"status": "already_done"}
        counts = write_results(session, results=results, trial_ids=trial_ids, rescreen_id=rescreen_id,
                               chunk_no=chunk_no, as_of=as_of, now=now)
        counts["patients"] = len(results)
        counts["pairs"] = pairs * len(results)
        counts["ineligible"] = counts["pairs"] - counts["eligible"] - counts["possible"]
        for patient_id, day in review.items():
            patient = session.get(Patient, patient_id)
            if patient is not None:
                patient.review_on = day
        chunk = registry.get_chunk(session, rescreen_id, chunk_no)
        chunk.counts = {key: counts.get(key, 0) for key in COUNT_KEYS}
        chunk.errors = errors
        chunk.catalogue_version = catalogue.version
    written = time.perf_counter()
    finished = finish_if_complete(sessionmaker=sessionmaker, rescreen_id=rescreen_id, now=now)
    return {"status": "done", "counts": chunk.counts, "rescreen_finished": finished,
            "seconds": {"match": round(computed - started, 3), "write": round(written - computed, 3)}}


def write_results(session, *, results: dict, trial_ids, rescreen_id: str, chunk_no: int, as_of,
                  now: datetime) -> dict:
    """Diff ``results`` against the stored records of these patients (within the scope) and
    write the difference with bulk statements; counts of classes and changes."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    scope = set(trial_ids) if trial_ids is not None else None
    existing = set(session.scalars(select(Patient.id).where(Patient.id.in_(list(results)))))  # deleted: skipped
    stored: dict[str, dict[str, tuple]] = {}
    for row in registry.record_rows(session, list(existing)):
        if scope is None or row.trial_id in scope:
            stored.setdefault(row.patient_id, {})[row.trial_id] = row
    events, added, changed, removed = [], [], [], []
    for patient_id in sorted(existing):
        new = results[patient_id]
        old = stored.get(patient_id, {})
        for trial_id in sorted(set(new) | set(old)):
            record = old.get(trial_id)
            before = record.result_class if record is not None else "ineligible"
            after, score, version = new.get(trial_id, ("ineligible", 0.0, None))
            if after in STORED:
                counts[after] += 1
            kind = change_kind(before, after)
            if kind:
                counts[kind] += 1
                events.append({"rescreen_id": rescreen_id, "chunk_no": chunk_no, "patient_id": patient_id,
                               "trial_id": trial_id, "change": kind, "before": before, "after": after,
                               "criteria_version": version if version is not None else record.criteria_version,
                               "at": now})
            values = {"result_class": after, "score": score, "criteria_version": version, "as_of": as_of,
                      "rescreen_id": rescreen_id, "updated_at": now}
            if after not in STORED:
                removed.append(record.id)
            elif record is None:
                added.append({"patient_id": patient_id, "trial_id": trial_id, **values})
            elif (record.result_class, record.score, record.criteria_version) != (after, score, version):
                # a record keeps the rescreen and as-of date that last changed it
                changed.append({"id": record.id, **values})
    for start in range(0, len(removed), BATCH):
        session.execute(delete(MatchRecord).where(MatchRecord.id.in_(removed[start:start + BATCH])))
    for rows, statement in ((added, insert(MatchRecord)), (changed, update(MatchRecord)), (events, insert(MatchEvent))):
        for start in range(0, len(rows), BATCH):
            session.execute(statement, rows[start:start + BATCH])
    return counts
