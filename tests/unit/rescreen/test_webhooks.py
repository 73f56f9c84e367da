"""Signed webhook POSTs against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.unit.rescreen.conftest import NOW
from trialmatch import rescreen, webhooks

SECRET = "s3cret"


class Receiver:
    """Answers with the next status of ``statuses`` (then 200) and keeps what it received."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for r in made:
        r.close()


def test_the_signature_verifies_with_the_secret_and_not_without(receiver):
    server = receiver()
    delivery = webhooks.post_signed(server.url, {"a": 1}, secret=SECRET)
    assert delivery == webhooks.Delivery(status=200, attempts=1)
    headers, body = server.received[0]
    stamp, signature = headers[webhooks.TIMESTAMP_HEADER], headers[webhooks.SIGNATURE_HEADER]
    assert json.loads(body) == {"a": 1}
    assert webhooks.verify(SECRET, stamp, body, signature)
    assert not webhooks.verify("other", stamp, body, signature)
    assert not webhooks.verify(SECRET, stamp, body + b" ", signature)
    assert not webhooks.verify(SECRET, stamp, body, signature, now=int(stamp) + 3600)


def test_server_errors_are_retried_with_backoff_until_accepted(receiver):
    server = receiver([500, 503])
    waits = []
    delivery = webhooks.post_signed(server.url, {"a": 1}, secret=SECRET, sleep=waits.append, backoff=(1, 2, 4))
    assert delivery.attempts == 3 and len(server.received) == 3
    assert waits == [1, 2]


def test_a_client_error_is_final(receiver):
    server = receiver([400])
    with pytest.raises(webhooks.WebhookError, match="HTTP 400"):
        webhooks.post_signed(server.url, {"a": 1}, secret=SECRET, sleep=lambda s: None)
    assert len(server.received) == 1


def test_an_unreachable_receiver_fails_after_every_attempt(receiver):
    server = receiver()
    url = server.url
    server.close()
    with pytest.raises(webhooks.WebhookError, match="after 3 attempts"):
        webhooks.post_signed(url, {"a": 1}, secret=SECRET, attempts=3, sleep=lambda s: None, timeout=2)


def test_no_secret_no_delivery():
    with pytest.raises(webhooks.WebhookError, match="secret"):
        webhooks.post_signed("http://127.0.0.1:9/", {}, secret="")


def test_a_rescreens_events_are_delivered_once_in_signed_batches(registry, bundles, receiver):
    registry.dispatch()  # the registry has seen the catalogue: no trial rescreen is planned below
    patient_id, bundle = next((p, b) for p, b in bundles.items() if "mcode-ig" in p)
    rescreen_id = registry.save(patient_id, bundle).rescreen_id
    registry.dispatch()
    events = rescreen.rescreen_events(sessionmaker=registry.sessions, rescreen_id=rescreen_id)
    assert len(events) > 5
    server = receiver([502])
    sent = rescreen.deliver_events(sessionmaker=registry.sessions, rescreen_id=rescreen_id, url=server.url,
                                   secret=SECRET, now=NOW, batch=5,
                                   post=lambda url, payload, secret: webhooks.post_signed(
                                       url, payload, secret=secret, sleep=lambda s: None))
    assert sent == len(events)
    bodies = [json.loads(body) for _h, body in server.received]
    assert all(webhooks.verify(SECRET, h[webhooks.TIMESTAMP_HEADER], b, h[webhooks.SIGNATURE_HEADER])
               for h, b in server.received)
    delivered = [e for body in bodies[1:] for e in body["events"]]  # the first answer was a 502
    assert delivered == events
    assert {body["rescreen_id"] for body in bodies} == {rescreen_id}
    assert rescreen.deliver_events(sessionmaker=registry.sessions, rescreen_id=rescreen_id, url=server.url,
                                   secret=SECRET, now=NOW) == 0
