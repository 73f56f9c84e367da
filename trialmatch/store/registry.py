"""Patient registry and rescreens: models and repository functions.

Tables: ``patients`` (extracted facts, bundle hash, optional raw bundle, the date its results
may next change with time), ``match_records`` (one row per patient x trial that is eligible or
possible now; ineligible pairs are counted, never stored), ``rescreens`` and their
``rescreen_chunks`` (the unit of work and of idempotence), ``match_events`` (every change of
class), ``trial_screen_states`` (which criteria version and recruitment status of each trial
the registry was last screened against, and when).

Functions take the session (keyword-only after it) and never commit: the caller owns the
transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, delete, select, update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from trialmatch.store.models import Base


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    facts: Mapped[dict] = mapped_column(JSON)
    bundle_hash: Mapped[str] = mapped_column(String(64))
    bundle: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    extractor_version: Mapped[str] = mapped_column(String(64))
    data_version: Mapped[int] = mapped_column(Integer, default=1)
    review_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MatchRecord(Base):
    __tablename__ = "match_records"
    __table_args__ = (UniqueConstraint("patient_id", "trial_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    trial_id: Mapped[str] = mapped_column(String(64), index=True)
    result_class: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    criteria_version: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    rescreen_id: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Rescreen(Base):
    __tablename__ = "rescreens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    trigger: Mapped[str] = mapped_column(String(32))  # on_demand | trial | patient | daily | reextract
    trial_ids: Mapped[list | None] = mapped_column(JSON, nullable=True)  # None: every active trial
    patient_ids: Mapped[list | None] = mapped_column(JSON, nullable=True)  # None: every registered patient
    as_of: Mapped[date | None] = mapped_column(Date, nullable=True)  # None: the day it is dispatched
    status: Mapped[str] = mapped_column(String(16))  # planned | running | done
    chunk_total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class RescreenChunk(Base):
    __tablename__ = "rescreen_chunks"
    __table_args__ = (UniqueConstraint("rescreen_id", "chunk_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rescreen_id: Mapped[str] = mapped_column(ForeignKey("rescreens.id", ondelete="CASCADE"), index=True)
    chunk_no: Mapped[int] = mapped_column(Integer)
    patient_ids: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # pending | done
    counts: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    errors: Mapped[list | None] = mapped_column(JSON, nullable=True)
    catalogue_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class MatchEvent(Base):
    __tablename__ = "match_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rescreen_id: Mapped[str] = mapped_column(String(32), index=True)
    chunk_no: Mapped[int] = mapped_column(Integer)
    patient_id: Mapped[str] = mapped_column(String(64), index=True)
    trial_id: Mapped[str] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(String(32))
    before: Mapped[str] = mapped_column(String(16))
    after: Mapped[str] = mapped_column(String(16))
    criteria_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class TrialScreenState(Base):
    __tablename__ = "trial_screen_states"

    trial_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    criteria_version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: retired
    status: Mapped[str | None] = mapped_column(String(64), nullable=True)
    verified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- patients ---------------------------------------------------------------------------

def get_patient(session: Session, patient_id: str) -> Patient | None:
    return session.get(Patient, patient_id)


def delete_patient(session: Session, patient_id: str) -> bool:
    """Remove the patient with every stored result and event; False if unknown."""
    if session.get(Patient, patient_id) is None:
        return False
    session.execute(delete(MatchRecord).where(MatchRecord.patient_id == patient_id))
    session.execute(delete(MatchEvent).where(MatchEvent.patient_id == patient_id))
    session.execute(delete(Patient).where(Patient.id == patient_id))
    return True


def patient_ids(session: Session, *, only: list[str] | None = None) -> list[str]:
    query = select(Patient.id).order_by(Patient.id)
    if only is not None:
        query = query.where(Patient.id.in_(only))
    return list(session.scalars(query))


def patients_due(session: Session, *, on: date) -> list[str]:
    """Patients whose results may have changed with time by ``on``."""
    return list(session.scalars(select(Patient.id).where(Patient.review_on <= on).order_by(Patient.id)))


def records_of(session: Session, patient_ids: list[str]) -> dict[tuple[str, str], MatchRecord]:
    rows = session.scalars(select(MatchRecord).where(MatchRecord.patient_id.in_(patient_ids)))
    return {(r.patient_id, r.trial_id): r for r in rows}


def record_rows(session: Session, patient_ids: list[str]) -> list[tuple]:
    """(id, patient id, trial id, class, score, criteria version) of these patients' records."""
    return list(session.execute(select(MatchRecord.id, MatchRecord.patient_id, MatchRecord.trial_id,
                                       MatchRecord.result_class, MatchRecord.score, MatchRecord.criteria_version)
                                .where(MatchRecord.patient_id.in_(patient_ids))))


def current_matches(session: Session, patient_id: str) -> list[MatchRecord]:
    return list(session.scalars(select(MatchRecord).where(MatchRecord.patient_id == patient_id)
                                .order_by(MatchRecord.trial_id)))


def all_records(session: Session) -> dict[tuple[str, str], str]:
    """{(patient id, trial id): class} of every stored pair."""
    return {(p, t): c for p, t, c in session.execute(
        select(MatchRecord.patient_id, MatchRecord.trial_id, MatchRecord.result_class))}


# --- rescreens --------------------------------------------------------------------------

def add_chunks(session: Session, rescreen_id: str, chunks: list[list[str]]) -> None:
    session.add_all(RescreenChunk(rescreen_id=rescreen_id, chunk_no=i, patient_ids=ids, status="pending")
                    for i, ids in enumerate(chunks))


def planned_rescreens(session: Session) -> list[Rescreen]:
    return list(session.scalars(select(Rescreen).where(Rescreen.status == "planned")
                                .order_by(Rescreen.created_at, Rescreen.id)))


def stale_rescreens(session: Session, *, before: datetime) -> list[str]:
    """Running rescreens dispatched before ``before`` that still have pending chunks."""
    pending = select(RescreenChunk.rescreen_id).where(RescreenChunk.status != "done")
    return list(session.scalars(select(Rescreen.id).where(Rescreen.status == "running",
                                                          Rescreen.dispatched_at < before,
                                                          Rescreen.id.in_(pending)).order_by(Rescreen.created_at)))


def get_rescreen(session: Session, rescreen_id: str) -> Rescreen | None:
    return session.get(Rescreen, rescreen_id)


def chunks_of(session: Session, rescreen_id: str) -> list[RescreenChunk]:
    return list(session.scalars(select(RescreenChunk).where(RescreenChunk.rescreen_id == rescreen_id)
                                .order_by(RescreenChunk.chunk_no)))


def get_chunk(session: Session, rescreen_id: str, chunk_no: int) -> RescreenChunk | None:
    return session.scalar(select(RescreenChunk).where(RescreenChunk.rescreen_id == rescreen_id,
                                                      RescreenChunk.chunk_no == chunk_no))


def claim_chunk(session: Session, rescreen_id: str, chunk_no: int, *, now: datetime) -> bool:
    """Mark a pending chunk done, as the first statement of the transaction that writes its
    results: the UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite), so of two
    runs of one chunk exactly one writes; the other gets False and must roll back."""
    result = session.execute(update(RescreenChunk)
                             .where(RescreenChunk.rescreen_id == rescreen_id, RescreenChunk.chunk_no == chunk_no,
                                    RescreenChunk.status != "done")
                             .values(status="done", finished_at=now))
    return result.rowcount == 1


def events_of(session: Session, rescreen_id: str) -> list[MatchEvent]:
    return list(session.scalars(select(MatchEvent).where(MatchEvent.rescreen_id == rescreen_id)
                                .order_by(MatchEvent.chunk_no, MatchEvent.id)))


def undelivered_events(session: Session, rescreen_id: str) -> list[MatchEvent]:
    return list(session.scalars(select(MatchEvent).where(MatchEvent.rescreen_id == rescreen_id,
                                                         MatchEvent.delivered_at.is_(None))
                                .order_by(MatchEvent.id)))


# --- trial screen states ----------------------------------------------------------------

def trial_states(session: Session) -> dict[str, TrialScreenState]:
    return {s.trial_id: s for s in session.scalars(select(TrialScreenState))}
