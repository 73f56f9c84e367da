import re

import pytest

from trialmatch.api import create_app
from trialmatch.api.docs import openapi_document
from trialmatch.config import Settings


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(database_url=f"sqlite:///{tmp_path}/t.db"), vocab=object())


def test_openapi_json_is_the_shipped_document(app):
    body = app.test_client().get("/openapi.json").get_json()
    assert body == openapi_document()
    assert body["openapi"].startswith("3.")


def test_every_route_of_the_app_is_documented_with_its_methods(app):
    documented = openapi_document()["paths"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        assert path in documented, f"{path} is served but not in openapi.yaml"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in documented[path], f"{method} {path} not documented"


def test_the_docs_page_lists_every_operation_without_external_resources(app):
    page = app.test_client().get("/docs").get_data(as_text=True)
    for path in openapi_document()["paths"]:
        assert f"<code>{path}</code>" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page
