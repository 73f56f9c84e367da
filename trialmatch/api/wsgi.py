"""WSGI entry for gunicorn: ``gunicorn trialmatch.api.wsgi:app``. Settings from the environment."""

from trialmatch.api import create_app
from trialmatch.config import Settings

app = create_app(Settings.from_env())
