"""Temp copies of the vocabulary data, edited to show how a broken file is refused."""

import shutil
from importlib import resources
from pathlib import Path

import pytest


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(str(resources.files("trialmatch.vocab") / "data"), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file (which must hold it) by ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
