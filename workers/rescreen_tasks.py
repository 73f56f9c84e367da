"""Rescreen tasks (thin adapters over trialmatch.rescreen) and their beat schedule.

- ``trialmatch.rescreen.dispatch``: split planned rescreens into chunks and send one
  ``trialmatch.rescreen.chunk`` per chunk; every DISPATCH_SECONDS from beat, and sent by the
  API after a patient change or a rescreen request. One dispatcher at a time (a Redis lock).
- ``trialmatch.rescreen.chunk``: one chunk, idempotent, acknowledged late: a worker killed
  mid-chunk leaves the message unacknowledged and the broker delivers it again after the
  visibility timeout (TRIALMATCH_VISIBILITY_TIMEOUT_SECONDS, in the Celery configuration:
  trialmatch.api.celery.transport_options).
- ``trialmatch.rescreen.daily``: patients whose results may change with time (age bounds,
  washout and freshness windows), daily at DAILY_AT UTC.
- Pending chunks of a rescreen dispatched more than twice the visibility timeout ago are sent
  again by the dispatcher (a lost or finally failed task does not stall the rescreen).
- ``trialmatch.rescreen.deliver``: POST a finished rescreen's change events to the webhook,
  retried with backoff.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from celery import current_app as celery_current_app
from celery import shared_task
from celery.schedules import crontab
from flask import current_app

from trialmatch import rescreen
from trialmatch.catalogue import catalogue_from_store
from trialmatch.rescreen_run import run_chunk
from trialmatch.store import trials as trial_store
from trialmatch.webhooks import WebhookError

CHUNK_TASK = "trialmatch.rescreen.chunk"
DISPATCH_TASK = "trialmatch.rescreen.dispatch"
DAILY_TASK = "trialmatch.rescreen.daily"
DELIVER_TASK = "trialmatch.rescreen.deliver"
DISPATCH_SECONDS = 15.0
DAILY_AT = {"hour": 2, "minute": 30}
DISPATCH_LOCK = "trialmatch:rescreen:dispatch-lock"
BEAT_SCHEDULE = {
    "trialmatch-rescreen-dispatch": {"task": DISPATCH_TASK, "schedule": DISPATCH_SECONDS},
    "trialmatch-rescreen-daily": {"task": DAILY_TASK, "schedule": crontab(**DAILY_AT)},
}
celery_current_app.conf.beat_schedule = {**(celery_current_app.conf.beat_schedule or {}), **BEAT_SCHEDULE}


def _now() -> datetime:
    return datetime.now(timezone.utc)


_latest: dict = {}


def current_catalogue(runtime):
    """The catalogue of the store's current version. The process's CatalogueSource checks the
    store at most once a second; a chunk planned by a trial change that just happened must not
    run against the catalogue from before it."""
    catalogue = runtime.catalogues.current()
    with runtime.sessionmaker() as session:
        version = trial_store.catalogue_version(session)
    if catalogue.version == version:
        return catalogue
    if _latest.get("catalogue") is None or _latest["catalogue"].version != version:
        _latest["catalogue"] = catalogue_from_store(runtime.sessionmaker, vocab=runtime.vocab)
    return _latest["catalogue"]


def _send_deliver(rescreen_id: str) -> None:
    runtime = current_app.extensions["trialmatch"]
    if runtime.settings.webhook_url:
        current_app.extensions["celery"].send_task(DELIVER_TASK, kwargs={"rescreen_id": rescreen_id})


def dispatch_planned(runtime, celery_app) -> list[str]:
    def send(rescreen_id: str, chunk_no: int) -> None:
        celery_app.send_task(CHUNK_TASK, kwargs={"rescreen_id": rescreen_id, "chunk_no": chunk_no})

    lock = runtime.redis.lock(DISPATCH_LOCK, timeout=120, blocking_timeout=60) if runtime.redis else None
    if lock is not None and not lock.acquire():
        return []
    try:
        return rescreen.dispatch(sessionmaker=runtime.sessionmaker, send=send, today=runtime.today(), now=_now(),
                                 chunk_size=runtime.settings.rescreen_chunk_size, on_finished=_send_deliver,
                                 stale_after=timedelta(seconds=2 * runtime.settings.visibility_timeout_seconds))
    finally:
        if lock is not None:
            lock.release()


@shared_task(name=DISPATCH_TASK)
def dispatch() -> dict:
    runtime = current_app.extensions["trialmatch"]
    return {"dispatched": dispatch_planned(runtime, current_app.extensions["celery"])}


# a chunk that fails (a database error; two rescreens writing one new pair at once) is retried;
# running it again is harmless
@shared_task(name=CHUNK_TASK, acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,),
             retry_backoff=2, retry_backoff_max=120, max_retries=8)
def chunk(rescreen_id: str, chunk_no: int) -> dict:
    runtime = current_app.extensions["trialmatch"]
    result = run_chunk(sessionmaker=runtime.sessionmaker, catalogue=current_catalogue(runtime),
                       rescreen_id=rescreen_id, chunk_no=chunk_no, now=_now())
    if result.get("rescreen_finished"):
        _send_deliver(rescreen_id)
    return result


@shared_task(name=DAILY_TASK)
def daily() -> dict:
    runtime = current_app.extensions["trialmatch"]
    planned = rescreen.plan_daily(sessionmaker=runtime.sessionmaker, today=runtime.today(), now=_now())
    dispatch_planned(runtime, current_app.extensions["celery"])
    return {"rescreen_id": planned}


@shared_task(name=DELIVER_TASK, bind=True, max_retries=12)
def deliver(self, rescreen_id: str) -> dict:
    runtime = current_app.extensions["trialmatch"]
    settings = runtime.settings
    try:
        count = rescreen.deliver_events(sessionmaker=runtime.sessionmaker, rescreen_id=rescreen_id,
                                        url=settings.webhook_url, secret=settings.webhook_secret or "", now=_now())
    except WebhookError as exc:
        raise self.retry(countdown=min(30 * 2 ** self.request.retries, 3600), exc=exc)
    return {"delivered": count}
