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


RESULT_KEY_PREFIX = "trialmatch:jobresult:"


def encode_outcome(outcome: dict) -> bytes:
    """A match job's outcome as stored: a JSON header line, then (for a finished match) the
    rendered body exactly as it is, so that nobody decodes or re-encodes the body on its way."""
    header = {k: v for k, v in outcome.items() if k != "body"}
    line = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    return line + outcome["body"].encode("utf-8") if "body" in outcome else line


def decode_outcome(raw: bytes) -> dict:
    header, _, body = raw.partition(b"\n")
    outcome = json.loads(header)
    if body:
        outcome["body"] = body.decode("utf-8")
    return outcome


class JobResults:
    """Match job outcomes in Redis, one list of one element per job (``RESULT_KEY_PREFIX`` + id),
    kept ``ttl_seconds``. The worker publishes the outcome when the job ends; a waiting web
    request blocks on the list (BLMOVE onto itself: it takes the element and leaves it in place,
    so any number of requests can wait for the same job) instead of polling the result backend.
    Needs Redis >= 6.2. Redis errors are raised: the callers decide what a failure means."""

    def __init__(self, client, *, ttl_seconds: int):
        self._client = client
        self._ttl = ttl_seconds

    def publish(self, job_id: str, outcome: dict) -> None:
        key = RESULT_KEY_PREFIX + job_id
        with self._client.pipeline(transaction=True) as pipe:  # a job delivered twice still has one outcome
            pipe.delete(key)
            pipe.rpush(key, encode_outcome(outcome))
            pipe.expire(key, self._ttl)
            pipe.execute()

    def get(self, job_id: str) -> dict | None:
        raw = self._client.lindex(RESULT_KEY_PREFIX + job_id, 0)
        return None if raw is None else decode_outcome(raw)

    def wait(self, job_id: str, seconds: float) -> dict | None:
        """The outcome, waiting up to ``seconds`` (> 0; one blocking call, no polling)."""
        key = RESULT_KEY_PREFIX + job_id
        raw = self._client.blmove(key, key, seconds, "LEFT", "LEFT")
        return None if raw is None else decode_outcome(raw)
