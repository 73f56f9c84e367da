"""App-wide objects of a web or worker process, kept in ``app.extensions["trialmatch"]``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

import redis
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from trialmatch.cache import JobResults, ResultCache
from trialmatch.catalogue import CatalogueSource
from trialmatch.config import Settings
from trialmatch.store.database import make_engine, make_sessionmaker


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessionmaker: sessionmaker
    redis: redis.Redis | None
    cache: ResultCache
    job_results: JobResults | None  # None without Redis
    catalogues: CatalogueSource
    vocab: object
    today: Callable[[], date]

    def redis_alive(self) -> bool:
        if self.redis is None:
            return False
        try:
            return bool(self.redis.ping())
        except redis.RedisError:
            return False


def build_runtime(settings: Settings, *, vocab, today: Callable[[], date]) -> Runtime:
    """Connections are created lazily: building the runtime does no network I/O."""
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    client = None
    if settings.redis_url:
        client = redis.Redis.from_url(
            settings.redis_url,
            socket_timeout=max(settings.broker_timeout_seconds, 0.1) * 4,
            socket_connect_timeout=settings.broker_timeout_seconds,
        )
    return Runtime(
        settings=settings, engine=engine, sessionmaker=sessions, redis=client,
        cache=ResultCache(client, ttl_seconds=settings.cache_ttl_seconds),
        job_results=None if client is None else JobResults(client, ttl_seconds=settings.cache_ttl_seconds),
        catalogues=CatalogueSource(sessions, vocab=vocab), vocab=vocab, today=today,
    )
