"""HTTP API: ``create_app(settings)`` builds the Flask app with its blueprints, error handlers,
runtime objects and Celery."""

from __future__ import annotations

from datetime import date
from typing import Callable

from flask import Flask

from trialmatch.api.celery import celery_config, celery_init_app
from trialmatch.api.errors import register_error_handlers
from trialmatch.api.runtime import build_runtime
from trialmatch.config import Settings


def create_app(settings: Settings, *, vocab=None, today: Callable[[], date] = date.today) -> Flask:
    from trialmatch.api import codex, docs, health, jobs, match, patients, rescreens, schema, trials

    if vocab is None:
        from trialmatch.vocab import load_vocabulary

        vocab = load_vocabulary()
    app = Flask("trialmatch")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.config["CELERY"] = celery_config(settings.redis_url, result_ttl=settings.cache_ttl_seconds,
                                        queue=settings.queue, visibility_timeout=settings.visibility_timeout_seconds)
    app.json.sort_keys = False
    app.extensions["trialmatch"] = build_runtime(settings, vocab=vocab, today=today)
    for module in (health, docs, match, codex, jobs, schema, trials, patients, rescreens):
        app.register_blueprint(module.bp)
    register_error_handlers(app)
    celery_init_app(app)
    return app
