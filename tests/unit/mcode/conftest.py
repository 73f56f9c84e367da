import json
from pathlib import Path

import pytest

from trialmatch.vocab import load_vocabulary

BUNDLES = Path(__file__).resolve().parents[2] / "data" / "bundles"


@pytest.fixture(scope="session")
def vocab():
    return load_vocabulary()


def load_bundle(rel: str) -> dict:
    return json.loads((BUNDLES / rel).read_text(encoding="utf-8"))
