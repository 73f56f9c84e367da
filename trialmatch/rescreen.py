"""Patient registry and rescreens (issue #8): service functions, dependencies passed in.

Life of a rescreen:
1. *planned*: a row saying which trials (None: every active one) and which patients (None:
   every registered one) to match, and why (``trigger``). Planning is cheap and happens inside
   the transaction that caused it (a new criteria version, a patient's new data), so a trigger
   is never lost when the broker is down (an outbox).
2. ``dispatch``: each planned rescreen is split into chunks of patient ids (the patients
   registered at that moment) and one task per chunk is sent; it is then *running*.
3. ``rescreen_run.run_chunk`` matches one chunk, idempotently; when the last chunk is done the
   rescreen is *done* and its change events may be delivered (``webhooks``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy import func, select, update

from trialmatch import __version__
from trialmatch.cache import bundle_hash
from trialmatch.domain.facts_json import facts_from_json, facts_to_json
from trialmatch.errors import NotFoundError
from trialmatch.mcode import extract_facts
from trialmatch.store import audit, registry
from trialmatch.store.models import Trial
from trialmatch.store.registry import Patient, Rescreen, RescreenChunk
from trialmatch.webhooks import post_signed

EXTRACTOR_VERSION = f"trialmatch-mcode/{__version__}"
TRIGGERS = ("on_demand", "trial", "patient", "daily", "reextract")
COUNT_KEYS = ("patients", "pairs", "eligible", "possible", "ineligible",
              "newly_eligible", "newly_possible", "no_longer_eligible", "no_longer_possible")


@dataclass(frozen=True)
class PatientSaved:
    patient_id: str
    created: bool
    changed: bool  # the extracted facts differ from the stored ones (or the patient is new)
    data_version: int
    bundle_hash: str
    warnings: tuple
    rescreen_id: str | None


def new_id() -> str:
    return uuid.uuid4().hex


# --- registry ---------------------------------------------------------------------------

def save_patient(*, sessionmaker, bundle: dict, vocab, now: datetime, patient_id: str | None = None,
                 store_raw: bool = True, key_id: int | None = None) -> PatientSaved:
    """Validate ``bundle``, extract its facts and store them (and the raw bundle when
    ``store_raw``) as a new patient or a new data version of ``patient_id``. A change of facts
    plans a rescreen of that patient against every active trial. ``key_id`` (the caller's API
    key) goes to the audit log. Raises PatientDataError."""
    facts = extract_facts(bundle, vocab)
    facts_doc = facts_to_json(facts)
    digest = bundle_hash(bundle)
    with sessionmaker.begin() as session:
        patient = registry.get_patient(session, patient_id) if patient_id else None
        created = patient is None
        if created:
            patient = Patient(id=patient_id or new_id(), data_version=1, created_at=now)
            session.add(patient)
            changed = True
        else:
            changed = facts_from_json(patient.facts) != facts
            if changed:
                patient.data_version += 1
        patient.facts = facts_doc
        patient.bundle_hash = digest
        patient.bundle = bundle if store_raw else None
        patient.extractor_version = EXTRACTOR_VERSION
        patient.updated_at = now
        session.flush()
        rescreen_id = plan(session, trigger="patient", patient_ids=[patient.id], now=now) if changed else None
        audit.record(session, at=now, key_id=key_id, action="patient.create" if created else "patient.update",
                     target=patient.id, detail={"data_version": patient.data_version, "changed": changed})
        return PatientSaved(patient.id, created, changed, patient.data_version, digest, facts.warnings, rescreen_id)


def delete_patient(*, sessionmaker, patient_id: str, now: datetime, key_id: int | None = None) -> None:
    """Remove the patient with every stored result and event."""
    with sessionmaker.begin() as session:
        if not registry.delete_patient(session, patient_id):
            raise NotFoundError(f"no registered patient {patient_id!r}")
        audit.record(session, at=now, key_id=key_id, action="patient.delete", target=patient_id)


def patient_view(*, sessionmaker, patient_id: str) -> dict:
    """The registry's record of a patient: versions and current eligible/possible trials."""
    with sessionmaker() as session:
        patient = registry.get_patient(session, patient_id)
        if patient is None:
            raise NotFoundError(f"no registered patient {patient_id!r}")
        matches = [{"trial_id": r.trial_id, "class": r.result_class, "score": r.score,
                    "criteria_version": r.criteria_version, "as_of": r.as_of.isoformat()}
                   for r in registry.current_matches(session, patient_id)]
        return {"id": patient.id, "data_version": patient.data_version, "bundle_hash": patient.bundle_hash,
                "raw_bundle_stored": patient.bundle is not None, "extractor_version": patient.extractor_version,
                "updated_at": patient.updated_at.isoformat(),
                "review_on": patient.review_on.isoformat() if patient.review_on else None, "matches": matches}


def reextract(*, sessionmaker, vocab, now: datetime) -> dict:
    """Extract every stored raw bundle again (after an extractor improvement); patients whose
    facts changed are updated and rescreened together. Patients stored without their bundle are
    counted as skipped."""
    changed, same, skipped = [], 0, 0
    with sessionmaker.begin() as session:
        for patient in session.scalars(select(Patient).order_by(Patient.id)):
            if patient.bundle is None:
                skipped += 1
                continue
            facts = extract_facts(patient.bundle, vocab)
            patient.extractor_version = EXTRACTOR_VERSION
            if facts_from_json(patient.facts) == facts:
                same += 1
                continue
            patient.facts = facts_to_json(facts)
            patient.data_version += 1
            patient.updated_at = now
            changed.append(patient.id)
        rescreen_id = plan(session, trigger="reextract", patient_ids=changed, now=now) if changed else None
    return {"changed": len(changed), "unchanged": same, "skipped_without_bundle": skipped, "rescreen_id": rescreen_id}


# --- planning and dispatch --------------------------------------------------------------

def plan(session, *, trigger: str, now: datetime, trial_ids: list[str] | None = None,
         patient_ids: list[str] | None = None, as_of: date | None = None, note: str | None = None) -> str:
    """Record a planned rescreen in the caller's transaction; its id."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown rescreen trigger {trigger!r}")
    rescreen = Rescreen(id=new_id(), trigger=trigger, trial_ids=sorted(set(trial_ids)) if trial_ids is not None else None,
                        patient_ids=sorted(set(patient_ids)) if patient_ids is not None else None, as_of=as_of,
                        status="planned", chunk_total=0, created_at=now, note=note)
    session.add(rescreen)
    return rescreen.id


def request_rescreen(*, sessionmaker, now: datetime, trial_ids: list[str] | None = None,
                     patient_ids: list[str] | None = None, as_of: date | None = None) -> str:
    """An on-demand rescreen (all x all, or the named trials and/or patients). Names that the
    store does not know are refused (NotFoundError naming them); a retired trial may be named
    (its stored results are then withdrawn)."""
    with sessionmaker.begin() as session:
        if trial_ids:
            known = set(session.scalars(select(Trial.id).where(Trial.id.in_(trial_ids))))
            if unknown := sorted(set(trial_ids) - known):
                raise NotFoundError(f"unknown trials: {', '.join(unknown)}")
        if patient_ids:
            known = set(registry.patient_ids(session, only=list(patient_ids)))
            if unknown := sorted(set(patient_ids) - known):
                raise NotFoundError(f"unknown patients: {', '.join(unknown)}")
        return plan(session, trigger="on_demand", trial_ids=trial_ids or None, patient_ids=patient_ids or None,
                    as_of=as_of, now=now)


def trial_changed(session, *, now: datetime, trial_id: str | None = None) -> str | None:
    """Compare each trial (or ``trial_id``) with the version and recruitment status the registry
    was last screened against; plan one rescreen of the trials that changed (a new criteria
    version, a retirement, a status change). Every trial looked at records ``verified_at``.
    Called in the transaction that changed the trial (``services``) and by the periodic
    dispatcher (which catches changes made by other paths, such as ``trialmatch load``)."""
    session.flush()
    query = select(Trial)
    if trial_id is not None:
        query = query.where(Trial.id == trial_id)
    states = registry.trial_states(session)
    changed = []
    for trial in session.scalars(query):
        version = trial.current_version if trial.active else None
        state = states.get(trial.id)
        if state is None:
            state = registry.TrialScreenState(trial_id=trial.id, criteria_version=None, status=None, verified_at=now)
            session.add(state)
            if version is None:
                continue
        if (state.criteria_version, state.status) != (version, trial.status):
            changed.append(trial.id)
            state.criteria_version, state.status = version, trial.status
        state.verified_at = now
    return plan(session, trigger="trial", trial_ids=changed, now=now) if changed else None


def plan_daily(*, sessionmaker, today: date, now: datetime) -> str | None:
    """Plan a rescreen of the patients whose results may have changed with time by ``today``
    (an age bound crossed, a washout or freshness window ended)."""
    with sessionmaker.begin() as session:
        due = registry.patients_due(session, on=today)
        return plan(session, trigger="daily", patient_ids=due, as_of=today, now=now) if due else None


def dispatch(*, sessionmaker, send: Callable[[str, int], None], today: date, now: datetime,
             chunk_size: int, on_finished: Callable[[str], None] | None = None,
             stale_after: timedelta | None = None) -> list[str]:
    """Split each planned rescreen into chunks and ``send(rescreen_id, chunk_no)`` each one.
    Sending twice is harmless (chunks are idempotent); a failed send leaves the rescreen planned,
    and a later dispatch sends it again. ``on_finished(rescreen_id)`` is called for a rescreen
    this call found complete (no patients; or chunks run synchronously by ``send``).
    With ``stale_after``, the pending chunks of a rescreen dispatched longer ago than that are
    sent again (a task lost with the broker's data, or failed for good, is not lost for the
    rescreen). Returns the ids dispatched (or sent again)."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    with sessionmaker.begin() as session:
        trial_changed(session, now=now)
    out = []
    with sessionmaker() as session:
        planned = [r.id for r in registry.planned_rescreens(session)]
        if stale_after is not None:
            planned += registry.stale_rescreens(session, before=now - stale_after)
    for rescreen_id in planned:
        with sessionmaker.begin() as session:
            rescreen = session.get(Rescreen, rescreen_id)
            if rescreen.status == "planned" and not registry.chunks_of(session, rescreen_id):
                ids = registry.patient_ids(session, only=rescreen.patient_ids)
                chunks = [ids[i:i + chunk_size] for i in range(0, len(ids), chunk_size)]
                registry.add_chunks(session, rescreen_id, chunks)
                rescreen.chunk_total = len(chunks)
                rescreen.as_of = rescreen.as_of or today
        with sessionmaker() as session:
            pending = [ch.chunk_no for ch in registry.chunks_of(session, rescreen_id) if ch.status != "done"]
        for chunk_no in pending:
            send(rescreen_id, chunk_no)
        with sessionmaker.begin() as session:
            session.execute(update(Rescreen).where(Rescreen.id == rescreen_id, Rescreen.status != "done")
                            .values(status="running", dispatched_at=now))
        if finish_if_complete(sessionmaker=sessionmaker, rescreen_id=rescreen_id, now=now) and on_finished:
            on_finished(rescreen_id)
        out.append(rescreen_id)
    return out


def finish_if_complete(*, sessionmaker, rescreen_id: str, now: datetime) -> bool:
    """Mark the rescreen done when every chunk is; True for the one caller that did it."""
    with sessionmaker.begin() as session:
        pending = select(func.count()).select_from(RescreenChunk).where(
            RescreenChunk.rescreen_id == rescreen_id, RescreenChunk.status != "done").scalar_subquery()
        started = select(func.count()).select_from(RescreenChunk).where(
            RescreenChunk.rescreen_id == rescreen_id).scalar_subquery()
        # planned with chunks (a chunk may finish before dispatch marks the rescreen running),
        # or running; a planned rescreen without chunks is not split yet, unless it is running
        result = session.execute(update(Rescreen).where(
            Rescreen.id == rescreen_id, pending == 0,
            (Rescreen.status == "running") | ((Rescreen.status == "planned") & (started > 0)))
                                 .values(status="done", finished_at=now))
        return result.rowcount == 1


def rescreen_status(*, sessionmaker, rescreen_id: str) -> dict:
    """Status, chunks done and total, counts so far, errors."""
    with sessionmaker() as session:
        rescreen = registry.get_rescreen(session, rescreen_id)
        if rescreen is None:
            raise NotFoundError(f"no rescreen with id {rescreen_id!r}")
        chunks = registry.chunks_of(session, rescreen_id)
        done = [ch for ch in chunks if ch.status == "done"]
        counts = {key: sum((ch.counts or {}).get(key, 0) for ch in done) for key in COUNT_KEYS}
        errors = [e for ch in done for e in (ch.errors or [])]
        return {"id": rescreen.id, "status": rescreen.status, "trigger": rescreen.trigger,
                "trials": rescreen.trial_ids, "patients": rescreen.patient_ids,
                "as_of": rescreen.as_of.isoformat() if rescreen.as_of else None,
                "chunks": {"done": len(done), "total": rescreen.chunk_total}, "counts": counts,
                "errors": errors, "created_at": rescreen.created_at.isoformat(),
                "finished_at": rescreen.finished_at.isoformat() if rescreen.finished_at else None}


def rescreen_events(*, sessionmaker, rescreen_id: str) -> list[dict]:
    with sessionmaker() as session:
        if registry.get_rescreen(session, rescreen_id) is None:
            raise NotFoundError(f"no rescreen with id {rescreen_id!r}")
        return [event_json(e) for e in registry.events_of(session, rescreen_id)]


def event_json(event) -> dict:
    return {"id": event.id, "rescreen_id": event.rescreen_id, "patient_id": event.patient_id,
            "trial_id": event.trial_id, "change": event.change, "before": event.before, "after": event.after,
            "criteria_version": event.criteria_version, "at": event.at.isoformat()}



def deliver_events(*, sessionmaker, rescreen_id: str, url: str, secret: str, now: datetime,
                   post: Callable = post_signed, batch: int = 500) -> int:
    """POST the rescreen's undelivered change events to ``url`` in signed batches of ``batch``
    ({"rescreen_id", "events": [...]}), marking each batch delivered once accepted. Raises
    WebhookError when a batch cannot be delivered (the caller retries later; delivered
    batches are not sent again). Returns the number of events delivered now."""
    with sessionmaker() as session:
        ids_and_events = [(e.id, event_json(e)) for e in registry.undelivered_events(session, rescreen_id)]
    delivered = 0
    for start in range(0, len(ids_and_events), batch):
        part = ids_and_events[start:start + batch]
        post(url, {"rescreen_id": rescreen_id, "events": [e for _id, e in part]}, secret=secret)
        with sessionmaker.begin() as session:
            session.execute(update(registry.MatchEvent).where(registry.MatchEvent.id.in_([i for i, _e in part]))
                            .values(delivered_at=now))
        delivered += len(part)
    return delivered
