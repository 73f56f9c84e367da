"""Lab analytes: key ("ANC", "PLT", "CREAT", ...) -> canonical UCUM unit, LOINC codes, molar mass.

Data: ``data/labs.yaml``. ``molar_mass`` (g/mol) is given only for analytes that labs
report in molar units (creatinine, bilirubin, glucose, calcium, magnesium, testosterone);
for the others it is ``None`` and a molar value cannot be converted (the caller keeps it
as not convertible, never guesses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trialmatch.errors import RuleFileError
from trialmatch.vocab.data_file import (
    check_dict,
    DataDir,
    check_mapping,
    check_number,
    check_str,
    check_str_list,
    read_yaml,
)
from trialmatch.vocab.loinc_entry import LoincEntry, parse_loinc_entries

FILE = "labs.yaml"
_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class LabConcept:
    key: str
    name: str
    loinc: tuple[str, ...]
    canonical_unit: str
    molar_mass: float | None = None
    synonyms: tuple[str, ...] = ()
    loinc_entries: tuple[LoincEntry, ...] = ()


def load_labs(data_dir: DataDir) -> dict[str, LabConcept]:
    document = check_mapping(read_yaml(data_dir, FILE), FILE, required=("labs",))
    labs = check_dict(document["labs"], f"{FILE}: labs")
    result: dict[str, LabConcept] = {}
    seen: dict[str, str] = {}
    for key, body in labs.items():
        where = f"{FILE}: labs.{key}"
        if not isinstance(key, str) or not _KEY.match(key):
            raise RuleFileError(f"{where}: lab key must be upper case letters, digits or _")
        check_mapping(body, where, required=("name", "canonical_unit", "loinc"), optional=("synonyms", "molar_mass"))
        entries = parse_loinc_entries(body["loinc"], f"{where}.loinc")
        if not entries:
            raise RuleFileError(f"{where}.loinc: at least one LOINC code is required")
        for entry in entries:
            if entry.code in seen:
                raise RuleFileError(f"{where}.loinc: code {entry.code} already listed under {seen[entry.code]}")
            seen[entry.code] = key
        molar_mass = None
        if body.get("molar_mass") is not None:
            molar_mass = check_number(body["molar_mass"], f"{where}.molar_mass")
            if molar_mass <= 0:
                raise RuleFileError(f"{where}.molar_mass: must be positive")
        result[key] = LabConcept(
            key=key,
            name=check_str(body["name"], f"{where}.name"),
            loinc=tuple(entry.code for entry in entries),
            canonical_unit=check_str(body["canonical_unit"], f"{where}.canonical_unit"),
            molar_mass=molar_mass,
            synonyms=check_str_list(body.get("synonyms"), f"{where}.synonyms"),
            loinc_entries=entries,
        )
    return result
