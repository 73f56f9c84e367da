"""Build ``data/metastatic_site_codes.tsv`` (SNOMED CT code -> metastatic site key).

Run by a maintainer, never at run time:

    python -m trialmatch.vocab.tools.build_site_table --valuesets flattened-valueset-codes.csv

Input rows: SNOMED CT codes with a display, either body structures (display ends in
"(body structure)") from any value set, or disorders of the mCODE Secondary Cancer
Disorder value set. The site patterns of ``data/metastatic_sites.yaml`` are applied to
the part of the display that names the involved site. Skipped on purpose: "Metastasis
from ..." (names the primary), leukemic infiltrates, bone marrow, blood vessels,
procedures, and displays that match two sites that are not part of one another.
Skipped rows are printed to stderr for review.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from trialmatch.vocab.data_file import default_data_dir, read_yaml

SNOMED = "http://snomed.info/sct"
SKIP = re.compile(
    r"^metastasis from|leuk|bone marrow|blood vessel|vertebral artery|\(procedure\)|widespread|"
    r"retroperitoneum and peritoneum|multiple sites|regime|therapy",
    re.IGNORECASE,
)
FROM_CLAUSE = re.compile(r"\b(from|by separate metastasis from)\b.*$", re.IGNORECASE)


def classify(display: str, patterns: dict[str, re.Pattern[str]], part_of: dict[str, str]) -> str | None:
    if SKIP.search(display):
        return None
    text = FROM_CLAUSE.sub("", display)
    if patterns["lymph_node"].search(text):
        return "lymph_node"
    found = {site for site, pattern in patterns.items() if pattern.search(text)}
    # keep the most specific of sites that are part of one another (brain within cns)
    found -= {part_of[site] for site in found if site in part_of}
    return found.pop() if len(found) == 1 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--valuesets", type=Path, required=True)
    args = parser.parse_args(argv)
    sites = read_yaml(default_data_dir(), "metastatic_sites.yaml")["sites"]
    patterns = {key: re.compile(body["pattern"], re.IGNORECASE) for key, body in sites.items()}
    part_of = {key: body["part_of"] for key, body in sites.items() if body.get("part_of")}
    rows: dict[str, tuple[str, str, str]] = {}
    with args.valuesets.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, display = row["code"], row["display"].strip()
            if row["system"] != SNOMED or not display or code in rows:
                continue
            if display.endswith("(body structure)"):
                kind = "body structure"
            elif row["valueset_title"] == "Secondary Cancer Disorder Value Set":
                kind = "secondary disorder"
            else:
                continue
            site = classify(display, patterns, part_of)
            if site is None:
                if kind == "secondary disorder":
                    print(f"unmapped {code}\t{display}", file=sys.stderr)
                continue
            rows[code] = (site, kind, display)
    sys.stdout.write("code\tsite\tkind\tmethod\tdisplay\n")
    for code in sorted(rows, key=int):
        site, kind, display = rows[code]
        sys.stdout.write(f"{code}\t{site}\t{kind}\tpattern\t{display}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
