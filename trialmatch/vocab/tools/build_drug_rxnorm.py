"""Build ``data/drug_rxnorm.tsv`` (RxNorm code -> ingredient keys) from source files.

Run by a maintainer, never at run time:

    python -m trialmatch.vocab.tools.build_drug_rxnorm \
        --medications PATH/medications.json --bundles DIR [--bundles DIR ...] \
        --ingredients trialmatch/vocab/tools/rxnorm_ingredients.tsv > drug_rxnorm.tsv

A code maps to the curated ingredients (``data/drugs.yaml``: key, synonyms, brand names,
biosimilar suffixes) named in its display, longest name first. Codes from example bundles
are kept only when every occurrence of the code carries the same display, no other code
carries that display, and medications.json does not contradict it (the examples contain
codes with wrong displays, e.g. four codes labelled "Paclitaxel 100 MG Injection").
Codes whose display names no curated ingredient, and local-use products (topical,
ophthalmic, ..., and the local dose forms of ``drug_classes.yaml``: inhalation, nasal, oral
paste, intra-articular, ...), are dropped. ``--ingredients`` adds ingredient codes (TTY IN) from
a curated file naming its source per row (``rxnorm_ingredients.tsv``: the CPIC drug table),
for ingredients the other sources do not code; a code they already map is kept as they map it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from trialmatch.vocab.data_file import default_data_dir, read_yaml

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
# Local (skin, eye, ear) products are not systemic cancer therapy: topical fluorouracil for
# actinic keratosis must not count as a prior fluoropyrimidine. Their codes stay unmapped.
LOCAL_USE = re.compile(r"\b(topical|ophthalmic|otic|shampoo|lotion|ointment|efudex|carac|fluoroplex|tolak)\b", re.IGNORECASE)


def _local_forms() -> re.Pattern[str]:
    words = read_yaml(default_data_dir(), "drug_classes.yaml")["dose_forms"]["local"]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


LOCAL_FORMS = _local_forms()


def name_patterns() -> list[tuple[re.Pattern[str], str]]:
    drugs = read_yaml(default_data_dir(), "drugs.yaml")["drugs"]
    names: list[tuple[str, str]] = []
    for key, body in drugs.items():
        for name in [key, *body.get("synonyms", []), *body.get("brands", [])]:
            names.append((name, key))
    names.sort(key=lambda item: -len(item[0]))
    return [
        (re.compile(r"(?<![\w-])" + re.escape(name) + r"(?:-[a-z]{4})?(?![\w-])", re.IGNORECASE), key)
        for name, key in names
    ]


def ingredients_in(display: str, patterns: list[tuple[re.Pattern[str], str]]) -> tuple[str, ...]:
    if LOCAL_USE.search(display) or LOCAL_FORMS.search(display):
        return ()
    found: list[str] = []
    text = display
    for pattern, key in patterns:
        if pattern.search(text):
            if key not in found:
                found.append(key)
            text = pattern.sub(" ", text)
    if "trastuzumab emtansine" in found or "trastuzumab deruxtecan" in found:
        found = [key for key in found if key != "trastuzumab"]  # "Trastuzumab Injection [KADCYLA]"
    return tuple(sorted(found))


def walk(resource: dict, out: list[tuple[str, str]]) -> None:
    if resource.get("resourceType") == "Bundle":
        for entry in resource.get("entry", []):
            if isinstance(entry.get("resource"), dict):
                walk(entry["resource"], out)
        return
    concept = resource.get("medicationCodeableConcept") or (
        resource.get("code") if resource.get("resourceType") == "Medication" else None
    )
    for coding in (concept or {}).get("coding", []):
        if coding.get("system") == RXNORM and coding.get("code") and coding.get("display"):
            out.append((coding["code"], coding["display"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--medications", type=Path, required=True)
    parser.add_argument("--bundles", type=Path, action="append", default=[])
    parser.add_argument("--ingredients", type=Path, default=None)
    args = parser.parse_args(argv)
    patterns = name_patterns()
    rows: dict[str, tuple[tuple[str, ...], str, str]] = {}
    codes_by_display: dict[str, set[str]] = defaultdict(set)
    for item in json.loads(args.medications.read_text(encoding="utf-8")):
        codes_by_display[item["display"].strip().casefold()].add(item["code"])
        found = ingredients_in(item["display"], patterns)
        if found and item.get("system") == RXNORM:
            rows[item["code"]] = (found, item["display"], "medications.json")
    seen: dict[str, set[str]] = defaultdict(set)
    for directory in args.bundles:
        for path in sorted(directory.rglob("*.json")):
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if isinstance(document, dict):
                found_codes: list[tuple[str, str]] = []
                walk(document, found_codes)
                for code, display in found_codes:
                    seen[code].add(display.strip())
                    codes_by_display[display.strip().casefold()].add(code)
    for code, displays in sorted(seen.items()):
        keys = {ingredients_in(display, patterns) for display in displays}
        if len(keys) != 1:
            print(f"skipped {code}: conflicting displays {sorted(displays)}", file=sys.stderr)
            continue
        found = keys.pop()
        if not found:
            continue
        shared = {c for d in displays for c in codes_by_display[d.casefold()]} - {code}
        if shared and code not in rows:
            print(f"skipped bundle code {code}: display {sorted(displays)} also carried by {sorted(shared)}", file=sys.stderr)
            continue
        if code in rows:
            if rows[code][0] != found:
                print(f"skipped bundle code {code}: {sorted(displays)} contradicts medications.json", file=sys.stderr)
            continue
        rows[code] = (found, sorted(displays)[0], "mcode-example")
    if args.ingredients is not None:
        for line in args.ingredients.read_text(encoding="utf-8").splitlines()[1:]:
            if line.startswith("#") or line.startswith("code\t") or not line.strip():
                continue
            code, display, source = line.split("\t")
            found = ingredients_in(display, patterns)
            if len(found) != 1:
                print(f"skipped ingredient code {code}: {display!r} names {list(found)}", file=sys.stderr)
                continue
            rows.setdefault(code, (found, display, source))
    sys.stdout.write("code\tingredients\tdisplay\tsource\n")
    for code in sorted(rows, key=int):
        found, display, source = rows[code]
        sys.stdout.write(f"{code}\t{';'.join(found)}\t{display.replace(chr(9), ' ')}\t{source}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
