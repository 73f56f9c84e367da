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


def celery_config(redis_url: str | None, *, result_ttl: int, queue: str) -> dict:
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
        "broker_transport_options": {"visibility_timeout": 3600},
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
