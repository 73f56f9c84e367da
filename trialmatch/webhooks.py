"""Signed webhook POSTs with retries.

Each POST carries a JSON body and two headers:
``X-Trialmatch-Timestamp`` (Unix seconds) and ``X-Trialmatch-Signature: sha256=<hex>``, the
HMAC-SHA256 under the shared secret of ``<timestamp>.<body bytes>``. A receiver recomputes it
(``verify``), compares in constant time, and refuses old timestamps (replays).

``post_signed`` tries ``attempts`` times, waiting ``backoff[i]`` seconds between tries, and
retries on connection errors, timeouts, 5xx and 429; any other 4xx is final (the receiver
refused the payload). Only the status code is logged, never the body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Trialmatch-Signature"
TIMESTAMP_HEADER = "X-Trialmatch-Timestamp"
DEFAULT_BACKOFF = (0.5, 2.0, 5.0)


class WebhookError(Exception):
    """Delivery failed after every attempt (or was refused with a 4xx)."""


@dataclass(frozen=True)
class Delivery:
    status: int
    attempts: int


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None,
           tolerance: float = 300.0) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - stamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature)


def _retryable(status: int) -> bool:
    return status >= 500 or status == 429


def post_signed(url: str, payload: dict, *, secret: str, attempts: int = 4, backoff=DEFAULT_BACKOFF,
                timeout: float = 10.0, sleep: Callable[[float], None] = time.sleep,
                clock: Callable[[], float] = time.time) -> Delivery:
    if not secret:
        raise WebhookError("a webhook secret is required to sign deliveries")
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    last = "no attempt"
    for attempt in range(1, attempts + 1):
        stamp = int(clock())
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: sign(secret, stamp, body), "User-Agent": "trialmatch-webhook/1"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Delivery(status=response.status, attempts=attempt)
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if not _retryable(exc.code):
                raise WebhookError(f"webhook refused the delivery ({last})") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            last = type(exc).__name__
        log.warning("webhook delivery attempt %d of %d failed: %s", attempt, attempts, last)
        if attempt < attempts:
            sleep(backoff[min(attempt - 1, len(backoff) - 1)])
    raise WebhookError(f"webhook delivery failed after {attempts} attempts ({last})")
