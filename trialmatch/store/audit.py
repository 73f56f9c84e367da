"""The audit log: who did what to which target, and when. Never patient data: a match is logged
with the key and a hash of the patient's bundle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialmatch.store.models import AuditEntry


def record(session: Session, *, at: datetime, key_id: int | None, action: str, target: str | None = None,
           detail: dict | None = None) -> None:
    session.add(AuditEntry(at=at, key_id=key_id, action=action, target=target, detail=detail))


def entries(session: Session, *, target: str | None = None) -> list[dict]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if target is not None:
        query = query.where(AuditEntry.target == target)
    return [{"at": e.at.isoformat(), "key_id": e.key_id, "action": e.action, "target": e.target, "detail": e.detail}
            for e in session.scalars(query)]
