"""Build ``data/cancer_body_sites.tsv``: SNOMED CT body structure -> OncoTree tissue node.

Run by a maintainer, never at run time:

    python -m trialmatch.vocab.tools.build_body_site_tissues --valuesets flattened-valueset-codes.csv \
        [--bundles DIR ...]

Input: SNOMED codes whose display ends in "(body structure)" in the value sets or in the
example bundles' Condition.bodySite. The site patterns of the crosswalk tool give the
tissue; a display naming several tissues (or none) is left out. Lymph nodes, bone marrow
and skin appendages are left out: a primary cancer there is usually a lymphoma or a
cancer of another site.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

from trialmatch.vocab.tools.build_cancer_crosswalk import SNOMED, sites_in

SKIP = re.compile(r"lymph|marrow|blood|vessel|artery|vein|\(procedure\)|muscle|nerve", re.IGNORECASE)


def bundle_sites(directory: Path, out: dict[str, str]) -> None:
    for path in sorted(directory.rglob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        stack = [document]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if item.get("resourceType") == "Condition":
                    for site in item.get("bodySite", []):
                        for coding in site.get("coding", []):
                            display = (coding.get("display") or "").strip()
                            if coding.get("system") == SNOMED and display.endswith("(body structure)"):
                                out.setdefault(coding["code"], display)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--valuesets", type=Path, required=True)
    parser.add_argument("--bundles", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    displays: dict[str, str] = {}
    with args.valuesets.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            display = row["display"].strip()
            if row["system"] == SNOMED and display.endswith("(body structure)"):
                displays.setdefault(row["code"], display)
    for directory in args.bundles:
        bundle_sites(directory, displays)
    sys.stdout.write("code\toncotree\tdisplay\n")
    for code in sorted(displays, key=int):
        display = displays[code]
        tissues = sites_in(display)
        if SKIP.search(display) or len(tissues) != 1:
            continue
        sys.stdout.write(f"{code}\t{tissues.pop()}\t{display}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
