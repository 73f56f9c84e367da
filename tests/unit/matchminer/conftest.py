from pathlib import Path

import pytest

from trialmatch.vocab import load_vocabulary

DATA = Path(__file__).resolve().parents[2] / "data" / "matchminer"


@pytest.fixture(scope="session")
def vocab():
    return load_vocabulary()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
