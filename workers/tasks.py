"""Celery tasks: thin adapters over trialmatch.services. They take JSON, never ORM objects."""

from datetime import date

from celery import shared_task
from flask import current_app

from trialmatch import services


@shared_task(name="trialmatch.match")
def match(bundle: dict, as_of: str) -> dict:
    runtime = current_app.extensions["trialmatch"]
    return services.run_match_job(bundle=bundle, as_of=date.fromisoformat(as_of),
                                  catalogue=runtime.catalogues.current(), vocab=runtime.vocab,
                                  cache=runtime.cache)
