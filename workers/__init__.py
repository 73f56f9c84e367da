"""Celery worker entry (``celery -A workers.celery_app worker``) and its tasks."""
