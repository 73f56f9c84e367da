import pytest

from trialmatch.vocab import load_vocabulary


@pytest.fixture(scope="session")
def vocab():
    return load_vocabulary()
