"""A LOINC code as listed in the marker and lab tables: code, display, and where it was checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from trialmatch.errors import RuleFileError
from trialmatch.vocab.data_file import check_mapping, check_str

LOINC_SOURCES = ("valueset", "bundle", "brief", "unverified")
_LOINC_CODE = re.compile(r"^\d{1,6}-\d$")


@dataclass(frozen=True)
class LoincEntry:
    code: str
    display: str
    source: str  # one of LOINC_SOURCES


def parse_loinc_entries(value: Any, where: str) -> tuple[LoincEntry, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RuleFileError(f"{where}: expected a list of LOINC entries")
    entries = []
    for index, item in enumerate(value):
        at = f"{where}[{index}]"
        check_mapping(item, at, required=("code", "display", "source"))
        code = check_str(item["code"], f"{at}.code")
        if not _LOINC_CODE.match(code):
            raise RuleFileError(f"{at}.code: {code!r} is not a LOINC code (digits-check digit)")
        if item["source"] not in LOINC_SOURCES:
            raise RuleFileError(f"{at}.source: {item['source']!r} is not one of {list(LOINC_SOURCES)}")
        entries.append(LoincEntry(code, check_str(item["display"], f"{at}.display"), item["source"]))
    return tuple(entries)
