"""Celery tasks: thin adapters over trialmatch.services. They take JSON, never ORM objects."""

import contextlib
from datetime import date, datetime, timezone

import redis
from celery import shared_task
from flask import current_app

from trialmatch import services
from trialmatch.errors import TrialMatchError
from trialmatch.store.keys import Caller


@shared_task(name="trialmatch.match", bind=True)
def match(self, bundle: dict, as_of: str, catalogue_version: str | None = None, entered: dict | None = None,
          filters: dict | None = None, fmt: str = "json") -> dict:
    """The outcome (with the rendered body) goes to the job's result list, which waiting web
    requests block on (trialmatch.cache.JobResults); the result backend keeps only its header,
    so the body is neither JSON-encoded again nor stored twice."""
    runtime = current_app.extensions["trialmatch"]
    results = runtime.job_results
    try:
        outcome = services.run_match_job(bundle=bundle, as_of=date.fromisoformat(as_of),
                                         catalogue=runtime.catalogues.current(catalogue_version), vocab=runtime.vocab,
                                         cache=runtime.cache, entered=entered, filters=filters, fmt=fmt)
    except Exception:  # a bug: waiting requests learn it now; Celery records and logs it
        if results is not None:
            with contextlib.suppress(redis.RedisError):
                results.publish(self.request.id, {"status": "error"})
        raise
    if results is None:  # no Redis (an in-memory broker): the backend keeps the whole outcome
        return outcome
    results.publish(self.request.id, outcome)
    return {k: v for k, v in outcome.items() if k != "body"}


@shared_task(name="trialmatch.ingest_trial")
def ingest_trial(body: dict, fmt: str, caller: dict) -> dict:
    """Parse an uploaded free-text trial and store it as a new criteria version."""
    runtime = current_app.extensions["trialmatch"]
    try:
        result = services.ingest_trial(sessionmaker=runtime.sessionmaker, body=body, fmt=fmt, vocab=runtime.vocab,
                                       caller=Caller(**caller), now=datetime.now(timezone.utc))
    except TrialMatchError as exc:
        return {"status": "refused", "problem": {"title": type(exc).__name__, "detail": str(exc)}}
    return {"status": "done", "result": result}
