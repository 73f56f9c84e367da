"""Worker entry: ``celery -A workers.celery_app worker``. Settings come from the environment."""

from trialmatch.api import create_app
from trialmatch.config import Settings

flask_app = create_app(Settings.from_env())
celery_app = flask_app.extensions["celery"]
celery_app.conf.include = ["workers.tasks", "workers.rescreen_tasks"]
