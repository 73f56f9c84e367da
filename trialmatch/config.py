"""Settings, read once from the environment by entry points (never at import time).

| variable                          | default                         | meaning |
|-----------------------------------|---------------------------------|---------|
| TRIALMATCH_DATABASE_URL           | sqlite:///var/trialmatch.db     | SQLAlchemy URL of the store |
| TRIALMATCH_REDIS_URL              | (none)                          | Redis for cache, broker and results; none: `trialmatch run` starts an embedded one, other entry points run uncached and in-process |
| TRIALMATCH_CATALOGUE_DIR          | (none)                          | criteria documents loaded into the store at start (`make run` sets criteria/) |
| TRIALMATCH_MATCH_WAIT_SECONDS     | 10                              | how long POST /match waits for its job before answering 202 |
| TRIALMATCH_CACHE_TTL_SECONDS      | 86400                           | lifetime of cached match results and job results |
| TRIALMATCH_MAX_BODY_BYTES         | 10485760                        | larger request bodies get 413 |
| TRIALMATCH_BROKER_TIMEOUT_SECONDS | 0.5                             | how long to wait for Redis before falling back to in-process matching |
| TRIALMATCH_QUEUE                  | trialmatch                      | Celery queue the web sends jobs to and the worker consumes |
| TRIALMATCH_LOCAL_KEY_FILE         | var/local-api-key               | where `trialmatch run` keeps its local admin API key |
| TRIALMATCH_WEBHOOK_URL            | (none)                          | where rescreen change events are POSTed (HMAC-SHA256 signed); none: events are only stored |
| TRIALMATCH_WEBHOOK_SECRET         | (none)                          | the HMAC key of those POSTs (required with a webhook URL) |
| TRIALMATCH_RESCREEN_CHUNK_SIZE    | 200                             | patients per rescreen chunk (one Celery task) |
| TRIALMATCH_VISIBILITY_TIMEOUT_SECONDS | 3600                        | Redis broker: a task unacknowledged this long (its worker was killed) is delivered again; keep it above the longest chunk |
| TRIALMATCH_STORE_RAW_BUNDLES      | 1                               | keep registered patients' raw bundles (0: facts only, `trialmatch reextract` then cannot re-read them) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Mapping

from trialmatch.errors import ConfigurationError

DEFAULT_DATABASE_URL = "sqlite:///var/trialmatch.db"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    catalogue_dir: str | None = None
    match_wait_seconds: float = 10.0
    cache_ttl_seconds: int = 86400
    max_body_bytes: int = 10 * 1024 * 1024
    broker_timeout_seconds: float = 0.5
    queue: str = "trialmatch"
    local_key_file: str = "var/local-api-key"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    rescreen_chunk_size: int = 200
    visibility_timeout_seconds: float = 3600.0
    store_raw_bundles: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        try:
            return cls(
                database_url=env.get("TRIALMATCH_DATABASE_URL") or DEFAULT_DATABASE_URL,
                redis_url=env.get("TRIALMATCH_REDIS_URL") or None,
                catalogue_dir=env.get("TRIALMATCH_CATALOGUE_DIR") or None,
                match_wait_seconds=float(env.get("TRIALMATCH_MATCH_WAIT_SECONDS", "10")),
                cache_ttl_seconds=int(env.get("TRIALMATCH_CACHE_TTL_SECONDS", "86400")),
                max_body_bytes=int(env.get("TRIALMATCH_MAX_BODY_BYTES", str(10 * 1024 * 1024))),
                broker_timeout_seconds=float(env.get("TRIALMATCH_BROKER_TIMEOUT_SECONDS", "0.5")),
                queue=env.get("TRIALMATCH_QUEUE") or "trialmatch",
                local_key_file=env.get("TRIALMATCH_LOCAL_KEY_FILE") or "var/local-api-key",
                webhook_url=env.get("TRIALMATCH_WEBHOOK_URL") or None,
                webhook_secret=env.get("TRIALMATCH_WEBHOOK_SECRET") or None,
                rescreen_chunk_size=int(env.get("TRIALMATCH_RESCREEN_CHUNK_SIZE", "200")),
                visibility_timeout_seconds=float(env.get("TRIALMATCH_VISIBILITY_TIMEOUT_SECONDS", "3600")),
                store_raw_bundles=_flag(env.get("TRIALMATCH_STORE_RAW_BUNDLES", "1")),
            )
        except ValueError as exc:
            raise ConfigurationError(f"invalid number in TRIALMATCH_* settings: {exc}") from None

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected 1/0, true/false, yes/no or on/off, got {value!r}")
