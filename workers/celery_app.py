"""Worker entry: ``celery -A workers.celery_app worker``. Settings come from the environment;
each worker process compiles the catalogue when it starts, not on its first job."""

import logging

from celery.signals import worker_process_init

from trialmatch.api import create_app
from trialmatch.config import Settings

flask_app = create_app(Settings.from_env())
celery_app = flask_app.extensions["celery"]
celery_app.conf.include = ["workers.tasks", "workers.rescreen_tasks"]


@worker_process_init.connect
def _warm_catalogue(**_kwargs) -> None:
    try:
        flask_app.extensions["trialmatch"].catalogues.current()
    except Exception as exc:  # the database may come up later; the first job retries
        logging.getLogger(__name__).warning("catalogue not loaded at start: %s", type(exc).__name__)
