"""Schemathesis over the OpenAPI document: generated requests to every documented operation,
with keys of every role, must never get a 5xx. Real Redis; jobs go to a queue no worker reads,
so matches answer 202 at once (the matching itself is covered by the other integration tests)."""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.integration.conftest import create_keys, load_catalogue
from trialmatch.api import create_app
from trialmatch.config import Settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def contract_app(redis_url, tmp_path_factory):
    database_url = f"sqlite:///{tmp_path_factory.mktemp('contract')}/t.db"
    load_catalogue(database_url)
    settings_ = Settings(database_url=database_url, redis_url=redis_url, match_wait_seconds=0.0,
                         queue="contract-" + uuid.uuid4().hex[:8])
    app = create_app(settings_)
    app.config["contract_keys"] = create_keys(database_url)
    yield app
    app.extensions["trialmatch"].engine.dispose()


def test_no_generated_request_gets_a_server_error(contract_app):
    """Every documented operation, a dozen generated requests each (schemathesis strategies driven
    by hypothesis directly: its pytest plugin does not load with this pytest)."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", contract_app)
    keys = contract_app.config["contract_keys"]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:  # as admin: every role check passes, so the requests reach the handlers

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {keys['admin']}"}, checks=[not_a_server_error])

        no_server_error()
