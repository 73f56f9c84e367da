"""The CVX codes of live vaccines (``data/live_vaccines.yaml``, its header gives the source),
validated at load with the other rule files: a bad file raises RuleFileError naming file and field."""

from __future__ import annotations

import functools
from pathlib import Path

from trialmatch.errors import RuleFileError
from trialmatch.matching.rule_file import mapping, read_yaml

FILE = "live_vaccines.yaml"


def cvx_key(code: str) -> str:
    """One key per CVX code: "3" and "03" are the same code."""
    return code.lstrip("0")


@functools.lru_cache(maxsize=4)
def load_live_vaccines(directory: Path | None = None) -> frozenset[str]:
    """The live vaccines' CVX codes as keys (``cvx_key``)."""
    data = mapping(read_yaml(FILE, directory), FILE, required=("source", "vaccines"))
    if not isinstance(data["vaccines"], list) or not data["vaccines"]:
        raise RuleFileError(f"{FILE}: vaccines: expected a non-empty list")
    codes: list[str] = []
    for i, entry in enumerate(data["vaccines"]):
        where = f"{FILE}: vaccines[{i}]"
        entry = mapping(entry, where, required=("cvx", "name"))
        if not (isinstance(entry["cvx"], str) and entry["cvx"].isdigit()):
            raise RuleFileError(f"{where}.cvx: expected a CVX code written as a string of digits ('03')")
        if not isinstance(entry["name"], str) or not entry["name"]:
            raise RuleFileError(f"{where}.name: expected the vaccine's name")
        if cvx_key(entry["cvx"]) in codes:
            raise RuleFileError(f"{where}.cvx: {entry['cvx']} listed twice")
        codes.append(cvx_key(entry["cvx"]))
    return frozenset(codes)
