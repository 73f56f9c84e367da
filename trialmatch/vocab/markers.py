"""Tumor markers: marker key ("HER2", "ER", "PDL1", ...) -> LOINC codes, names and synonyms.

Data: ``data/markers.yaml`` (each LOINC code with its display and where it was checked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trialmatch.errors import RuleFileError
from trialmatch.vocab.data_file import DataDir, check_dict, check_mapping, check_str, check_str_list, read_yaml
from trialmatch.vocab.loinc_entry import LoincEntry, parse_loinc_entries

FILE = "markers.yaml"
_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class MarkerConcept:
    key: str
    name: str
    synonyms: tuple[str, ...]
    loinc: tuple[LoincEntry, ...]


def load_markers(data_dir: DataDir) -> dict[str, MarkerConcept]:
    document = check_mapping(read_yaml(data_dir, FILE), FILE, required=("markers",))
    markers = check_dict(document["markers"], f"{FILE}: markers")
    result: dict[str, MarkerConcept] = {}
    seen: dict[str, str] = {}
    for key, body in markers.items():
        where = f"{FILE}: markers.{key}"
        if not isinstance(key, str) or not _KEY.match(key):
            raise RuleFileError(f"{where}: marker key must be upper case letters, digits or _")
        check_mapping(body, where, required=("name", "loinc"), optional=("synonyms",))
        loinc = parse_loinc_entries(body["loinc"], f"{where}.loinc")
        for entry in loinc:
            if entry.code in seen:
                raise RuleFileError(f"{where}.loinc: code {entry.code} already listed under {seen[entry.code]}")
            seen[entry.code] = key
        result[key] = MarkerConcept(
            key=key,
            name=check_str(body["name"], f"{where}.name"),
            synonyms=check_str_list(body.get("synonyms"), f"{where}.synonyms"),
            loinc=loinc,
        )
    return result
