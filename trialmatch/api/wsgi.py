"""WSGI entry for gunicorn: ``gunicorn trialmatch.api.wsgi:app``. Settings from the environment;
logging of the ``trialmatch`` loggers goes to stderr at INFO (the request log: key id, patient
hash, as-of date, never patient data); the catalogue is compiled once here, at start."""

import logging

from trialmatch.api import create_app
from trialmatch.config import Settings

_logger = logging.getLogger("trialmatch")
if not _logger.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    _logger.addHandler(_handler)
    _logger.setLevel(logging.INFO)

app = create_app(Settings.from_env())
try:
    app.extensions["trialmatch"].catalogues.current()
except Exception as exc:  # the database may come up later: /readyz says so, the first request retries
    logging.getLogger(__name__).warning("catalogue not loaded at start: %s", type(exc).__name__)
