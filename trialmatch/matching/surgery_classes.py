"""SurgeryClasses: surgical procedure codes classified major, minor or undecided
(``data/surgery.yaml``, its header gives the definitions, sources and the evidence rule),
validated at load: a bad file raises RuleFileError naming file and field."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from trialmatch.domain.facts import SNOMED, Coding
from trialmatch.errors import RuleFileError
from trialmatch.matching.rule_file import mapping, read_yaml, str_list

FILE = "surgery.yaml"
CPT = "http://www.ama-assn.org/go/cpt"
SYSTEMS = {"snomed": SNOMED, "cpt": CPT}
MAJOR, MINOR, UNDECIDED = "major", "minor", "undecided"
_CODE = re.compile(r"^\d{3,18}$")


@dataclass(frozen=True)
class SurgeryClasses:
    by_code: dict[tuple[str, str], str]  # (system, code) -> major | minor | undecided
    minor_aside_words: frozenset[str]  # lower case

    def classify(self, codes: tuple[Coding, ...]) -> str | None:
        """The class of a procedure from its codes: major or minor when its classified codes
        all say so; None (unclassified) when none is classified, one is undecided, or they
        disagree."""
        found = {self.by_code.get((x.system, x.code)) for x in codes} - {None}
        return found.pop() if len(found) == 1 and found <= {MAJOR, MINOR} else None


EMPTY = SurgeryClasses({}, frozenset())


@functools.lru_cache(maxsize=4)
def load_surgery_classes(directory: Path | None = None) -> SurgeryClasses:
    data = mapping(read_yaml(FILE, directory), FILE, required=(MAJOR, MINOR, UNDECIDED))
    by_code: dict[tuple[str, str], str] = {}
    words: set[str] = set()
    for cls in (MAJOR, MINOR, UNDECIDED):
        groups = data[cls]
        if not isinstance(groups, list) or not groups:
            raise RuleFileError(f"{FILE}: {cls}: expected a non-empty list of groups")
        for i, group in enumerate(groups):
            where = f"{FILE}: {cls}[{i}]"
            g = mapping(group, where, required=("group", "why"),
                        optional=("snomed", "cpt") + (("aside_words",) if cls == MINOR else ()))
            for key in ("group", "why"):
                if not isinstance(g[key], str) or not g[key].strip():
                    raise RuleFileError(f"{where}.{key}: expected a non-empty string")
            if not any(k in g for k in ("snomed", "cpt", "aside_words")):
                raise RuleFileError(f"{where}: needs codes (snomed, cpt) or aside_words")
            for name, system in SYSTEMS.items():
                codes = mapping(g.get(name) or {}, f"{where}.{name}", optional=None)
                for code, display in codes.items():
                    if not isinstance(code, str) or not _CODE.match(code):
                        raise RuleFileError(f"{where}.{name}: expected a code of digits in quotes, got {code!r}")
                    if not isinstance(display, str) or not display.strip():
                        raise RuleFileError(f"{where}.{name}.{code}: the display must be written down")
                    seen = by_code.get((system, code))
                    if seen is not None:
                        raise RuleFileError(f"{where}.{name}.{code}: already classified {seen}")
                    by_code[(system, code)] = cls
            if "aside_words" in g:
                words |= {w.lower() for w in str_list(g["aside_words"], f"{where}.aside_words")}
    return SurgeryClasses(by_code, frozenset(words))
