import time

import redis

from trialmatch import embedded_redis


def wait_for_ping(client: redis.Redis, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            time.sleep(0.05)
    return False


def test_the_wheel_redis_starts_answers_and_stops():
    port = embedded_redis.free_port()
    proc = embedded_redis.start(port)
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    try:
        assert wait_for_ping(client)
        assert client.set("k", "v") and client.get("k") == b"v"
    finally:
        client.close()
        proc.terminate()
        proc.wait(10)
    assert proc.returncode is not None
