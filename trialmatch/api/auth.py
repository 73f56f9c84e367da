"""API-key authentication and roles.

Keys come as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Roles: ``clinician``
(match), ``sponsor`` (create and change its own trials), ``admin`` (everything). Lookups are
remembered for ``CACHE_SECONDS`` per process, so a revoked key stops working within that time.
"""

from __future__ import annotations

import functools
import threading
import time

from flask import current_app, g, request

from trialmatch.errors import PermissionDenied
from trialmatch.store import keys
from trialmatch.store.keys import Caller

CACHE_SECONDS = 30.0


class Unauthenticated(PermissionDenied):
    """No key, or a key that is unknown or revoked (401, not 403)."""


class KeyCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Caller | None]] = {}

    def lookup(self, secret: str, sessionmaker) -> Caller | None:
        digest = keys.hash_key(secret)
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(digest)
            if hit and hit[0] > now:
                return hit[1]
        with sessionmaker() as session:
            caller = keys.caller_for(session, secret)
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[digest] = (now + CACHE_SECONDS, caller)
        return caller


def presented_key() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("X-API-Key") or None


def require(*roles: str):
    """Only callers with one of ``roles`` (or admin) reach the view; ``g.caller`` is set."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            secret = presented_key()
            if secret is None:
                raise Unauthenticated("an API key is required (Authorization: Bearer <key>)")
            runtime = current_app.extensions["trialmatch"]
            cache = current_app.extensions.setdefault("trialmatch.keys", KeyCache())
            caller = cache.lookup(secret, runtime.sessionmaker)
            if caller is None:
                raise Unauthenticated("the API key is unknown or revoked")
            if caller.role != "admin" and caller.role not in roles:
                raise PermissionDenied(f"the role {caller.role!r} may not do this; it needs {' or '.join(roles)}")
            g.caller = caller
            g.caller_digest = keys.hash_key(secret)[:32]  # names the key across deployments sharing a Redis
            return view(*args, **kwargs)

        return wrapper

    return decorator
