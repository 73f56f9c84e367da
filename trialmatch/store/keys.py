"""API keys, stored hashed. A key is shown once, at creation; only its SHA-256 is kept (keys are
32 random bytes, so a plain hash is enough: there is nothing to brute-force)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialmatch.errors import ConfigurationError
from trialmatch.store.models import ApiKey

ROLES = ("clinician", "sponsor", "admin")
PREFIX = "tm_"


@dataclass(frozen=True)
class Caller:
    key_id: int
    name: str
    role: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, *, role: str, name: str, now: datetime) -> tuple[Caller, str]:
    """A new key: (the caller it identifies, the secret to give to its holder)."""
    if role not in ROLES:
        raise ConfigurationError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name, role=role, key_hash=hash_key(secret), created_at=now, revoked=False)
    session.add(row)
    session.flush()
    return Caller(row.id, row.name, row.role), secret


def caller_for(session: Session, secret: str) -> Caller | None:
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(secret), ApiKey.revoked.is_(False)))
    return None if row is None else Caller(row.id, row.name, row.role)
