"""Trial repository: criteria documents stored as versions; the catalogue's version.

Functions take the session explicitly (keyword-only) and never commit: the caller owns the
transaction.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialmatch.store.models import CriteriaVersion, Trial


def document_hash(document: dict) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save_trial_document(session: Session, *, document: dict, author: str, now: datetime,
                        owner_key_id: int | None = None) -> tuple[int, bool]:
    """Store ``document`` (a validated trial document) as the trial's newest criteria version.
    ``owner_key_id`` is recorded when the trial is created (its sponsor), never changed after.

    Returns (version, created): an unchanged document of an active trial creates nothing.
    """
    digest = document_hash(document)
    trial = session.get(Trial, document["trial_id"])
    if trial is not None:
        current = session.scalar(
            select(CriteriaVersion).where(
                CriteriaVersion.trial_id == trial.id, CriteriaVersion.version == trial.current_version
            )
        )
        if trial.active and current is not None and current.document_hash == digest:
            return trial.current_version, False
        version = trial.current_version + 1
    else:
        trial = Trial(id=document["trial_id"], owner_key_id=owner_key_id)
        session.add(trial)
        version = 1
    trial.title = document.get("title") or document["trial_id"]
    trial.status = document.get("status")
    trial.phase = document.get("phase")
    trial.active = True
    trial.current_version = version
    trial.updated_at = now
    session.flush()  # the trial row must exist before its version references it
    session.add(
        CriteriaVersion(
            trial_id=trial.id, version=version, document=document, document_hash=digest,
            author=author, created_at=now,
        )
    )
    return version, True


def active_documents(session: Session) -> list[tuple[str, int, dict]]:
    """(trial id, version, document) of every active trial's current version, by trial id."""
    rows = session.execute(
        select(Trial.id, Trial.current_version, CriteriaVersion.document)
        .join(CriteriaVersion, (CriteriaVersion.trial_id == Trial.id) & (CriteriaVersion.version == Trial.current_version))
        .where(Trial.active.is_(True))
        .order_by(Trial.id)
    )
    return [(trial_id, version, document) for trial_id, version, document in rows]


def catalogue_version(session: Session) -> str:
    """A short digest of which criteria versions are active and what they say: it changes
    whenever a trial is added, retired or given a new version, so cache keys that carry it stop
    matching; two stores holding the same documents share it (and so may share cache entries)."""
    rows = session.execute(
        select(Trial.id, Trial.current_version, CriteriaVersion.document_hash)
        .join(CriteriaVersion, (CriteriaVersion.trial_id == Trial.id) & (CriteriaVersion.version == Trial.current_version))
        .where(Trial.active.is_(True))
        .order_by(Trial.id)
    )
    digest = hashlib.sha256("\n".join(f"{i}:{v}:{h}" for i, v, h in rows).encode()).hexdigest()
    return digest[:16]


def get_trial(session: Session, trial_id: str) -> Trial | None:
    return session.get(Trial, trial_id)


def get_version(session: Session, trial_id: str, version: int) -> CriteriaVersion | None:
    return session.scalar(select(CriteriaVersion).where(CriteriaVersion.trial_id == trial_id,
                                                        CriteriaVersion.version == version))


def list_versions(session: Session, trial_id: str) -> list[dict]:
    rows = session.scalars(select(CriteriaVersion).where(CriteriaVersion.trial_id == trial_id)
                           .order_by(CriteriaVersion.version))
    return [{"version": r.version, "author": r.author, "created_at": r.created_at.isoformat()} for r in rows]


def list_trials(session: Session, *, include_retired: bool = False) -> list[Trial]:
    query = select(Trial).order_by(Trial.id)
    if not include_retired:
        query = query.where(Trial.active.is_(True))
    return list(session.scalars(query))


def retire_trial(session: Session, trial_id: str, *, now: datetime) -> bool:
    """Retire a trial: kept with its versions for audit, never matched again."""
    trial = session.get(Trial, trial_id)
    if trial is None or not trial.active:
        return False
    trial.active = False
    trial.updated_at = now
    return True
