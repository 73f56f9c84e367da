"""WSGI entry for gunicorn: ``gunicorn trialmatch.api.wsgi:app``. Settings from the environment;
the catalogue is compiled once here, at start, rather than by the first request."""

import logging

from trialmatch.api import create_app
from trialmatch.config import Settings

app = create_app(Settings.from_env())
try:
    app.extensions["trialmatch"].catalogues.current()
except Exception as exc:  # the database may come up later: /readyz says so, the first request retries
    logging.getLogger(__name__).warning("catalogue not loaded at start: %s", type(exc).__name__)
