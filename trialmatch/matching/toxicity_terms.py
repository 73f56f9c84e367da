"""The adverse-event terms of residual-toxicity exceptions (``data/toxicity_terms.yaml``, its
header gives the sources), validated at load with the other rule files: a bad file raises
RuleFileError naming file and field."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from trialmatch.errors import RuleFileError
from trialmatch.matching.rule_file import mapping, read_yaml, str_list

FILE = "toxicity_terms.yaml"


@dataclass(frozen=True)
class ToxicityTerm:
    key: str
    name: str
    meddra: frozenset[str]  # MedDRA LLT codes of the term and the terms it includes
    names: frozenset[str]  # lower-case displays / texts of the term and the terms it includes
    phrases: tuple[str, ...]  # protocol words for the term (the parser's)


@functools.lru_cache(maxsize=4)
def load_toxicity_terms(directory: Path | None = None) -> dict[str, ToxicityTerm]:
    data = mapping(read_yaml(FILE, directory), FILE, required=("source", "terms"))
    raw = mapping(data["terms"], f"{FILE}: terms", optional=None)
    if not raw:
        raise RuleFileError(f"{FILE}: terms: expected at least one term")
    own: dict[str, dict] = {}
    for key, entry in raw.items():
        where = f"{FILE}: terms.{key}"
        entry = mapping(entry, where, required=("name", "meddra", "names", "phrases"), optional=("includes",))
        codes = entry["meddra"]
        if not isinstance(codes, list) or not all(isinstance(x, str) and x.isdigit() and len(x) == 8 for x in codes):
            raise RuleFileError(f"{where}.meddra: expected a list of 8-digit MedDRA codes written as strings")
        own[str(key)] = {"name": str(entry["name"]), "meddra": frozenset(codes),
                         "names": frozenset(n.lower() for n in str_list(entry["names"], f"{where}.names")),
                         "phrases": tuple(p.lower() for p in str_list(entry["phrases"], f"{where}.phrases")),
                         "includes": str_list(entry["includes"], f"{where}.includes") if "includes" in entry else ()}
    for key, entry in own.items():
        for other in entry["includes"]:
            if other not in own or other == key:
                raise RuleFileError(f"{FILE}: terms.{key}.includes: {other!r} is not another term of the file")
    return {key: ToxicityTerm(key, e["name"],
                              e["meddra"].union(*(own[o]["meddra"] for o in e["includes"])),
                              e["names"].union(*(own[o]["names"] for o in e["includes"])), e["phrases"])
            for key, e in own.items()}
