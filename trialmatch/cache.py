"""Result cache in Redis. Losing Redis loses no stored data: every failure here is a miss.

The key carries everything a result depends on: the hash of the bundle's canonical JSON (so a
hit needs no validation), the as-of date, the request's filters and the catalogue version
(a new criteria version stops old entries from being served).
"""

from __future__ import annotations

import hashlib
import json
import logging

log = logging.getLogger(__name__)

KEY_PREFIX = "trialmatch:match:v1:"


def canonical_json(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def bundle_hash(bundle: dict) -> str:
    return hashlib.sha256(canonical_json(bundle)).hexdigest()


def match_key(*, bundle_digest: str, as_of: str, filters: dict, catalogue_version: str) -> str:
    filters_digest = hashlib.sha256(canonical_json(filters)).hexdigest()[:16]
    return f"{KEY_PREFIX}{catalogue_version}:{as_of}:{filters_digest}:{bundle_digest}"


class ResultCache:
    """get/put text (rendered JSON bodies); Redis errors are logged (without keys' content) and
    count as misses."""

    def __init__(self, client, *, ttl_seconds: int):
        self._client = client
        self._ttl = ttl_seconds

    def get(self, key: str) -> str | None:
        if self._client is None:
            return None
        try:
            raw = self._client.get(key)
        except Exception as exc:  # redis down or timing out: a miss, never an error
            log.warning("result cache unavailable on get: %s", type(exc).__name__)
            return None
        return None if raw is None else raw.decode("utf-8")

    def put(self, key: str, value: str) -> bool:
        if self._client is None:
            return False
        try:
            self._client.set(key, value.encode("utf-8"), ex=self._ttl)
            return True
        except Exception as exc:
            log.warning("result cache unavailable on put: %s", type(exc).__name__)
            return False
