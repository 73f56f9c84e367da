"""celery_init_app: the Flask pattern (tasks run inside the app context; Celery kept in
``app.extensions["celery"]``). Tasks live in ``workers.tasks`` and are sent by name."""

from __future__ import annotations

from celery import Celery, Task
from celery.backends.redis import RedisBackend
from flask import Flask

MATCH_TASK = "trialmatch.match"
INGEST_TASK = "trialmatch.ingest_trial"


class ResultBackend(RedisBackend):
    """Celery's Redis result backend without the pub/sub subscription that ``send_task`` makes
    for every task it sends (``on_task_call``, for ``AsyncResult.get``, which trialmatch never
    calls: jobs are read with get_task_meta and match outcomes with JobResults). Unread, those
    subscriptions pile up in the sender and every state change of every task is pushed to a
    socket nobody reads, until Redis drops the connection."""

    def on_task_call(self, producer, task_id):
        pass


def transport_options(visibility_timeout: float) -> dict:
    """Redis transport options for late acknowledgement: the visibility timeout (a task a killed
    worker held is delivered again after it), and an unacknowledged-message sweep frequent enough
    for it (kombu's default sweeps every 10 s x 10 calls, so a killed worker's message would wait
    up to 100 s more). The sweep holds a Redis lock shared by every worker of the database, which
    kombu keeps 300 s if its holder dies: it lapses here within the visibility timeout (two sweeps
    at once may deliver a message twice, which the idempotent rescreen chunks allow)."""
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": max(1, min(10, int(visibility_timeout // 3))),
        "unacked_restore_throttle": 1,
        "unacked_mutex_expire": max(1, min(300, int(visibility_timeout))),
    }


def celery_config(redis_url: str | None, *, result_ttl: int, queue: str, visibility_timeout: float = 3600.0) -> dict:
    """Celery settings; ``visibility_timeout`` (TRIALMATCH_VISIBILITY_TIMEOUT_SECONDS) is part of the
    configuration the app is built with, so every worker's broker connection uses it."""
    url = redis_url or "memory://"
    return {
        "task_default_queue": queue,
        "broker_url": url,
        "result_backend": f"{__name__}:ResultBackend+{redis_url}" if redis_url else "cache+memory://",
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_expires": result_ttl,
        "task_track_started": True,
        "task_acks_late": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": transport_options(visibility_timeout),
        "worker_hijack_root_logger": False,
    }


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
