"""Celery tasks: thin adapters over trialmatch.services. They take JSON, never ORM objects."""

from datetime import date, datetime, timezone

from celery import shared_task
from flask import current_app

from trialmatch import services
from trialmatch.errors import TrialMatchError
from trialmatch.store.keys import Caller


@shared_task(name="trialmatch.match")
def match(bundle: dict, as_of: str, catalogue_version: str | None = None, entered: dict | None = None,
          filters: dict | None = None, fmt: str = "json") -> dict:
    runtime = current_app.extensions["trialmatch"]
    return services.run_match_job(bundle=bundle, as_of=date.fromisoformat(as_of),
                                  catalogue=runtime.catalogues.current(catalogue_version), vocab=runtime.vocab,
                                  cache=runtime.cache, entered=entered, filters=filters, fmt=fmt)


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
