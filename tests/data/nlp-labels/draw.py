"""Draw the NLP evaluation items from the ClinicalTrials.gov export (one-off tool, not a test).

Usage (from the repository root):
    python tests/data/nlp-labels/draw.py <copy of oncology-trials.jsonl> [--seed 20261126]
        [--items-per-trial 5] [--total 320] > drawn.jsonl

Reads the JSONL export (one trial per line, ``eligibility.raw_text`` holding the criteria),
splits each trial's text into sections and items (rules below), shuffles the trials with
``random.Random(seed)``, and takes ``items-per-trial`` items at random from each trial in
that order (trials with fewer items are skipped) until ``total`` items are drawn. Output:
one JSON object per line ``{"nct_id", "section", "text"}``, trials in draw order, items in
document order within a trial. Labels are then added by hand (see README.md).

Splitting rules:
- A heading is a line (bullet marker allowed) of at most 80 characters that names
  "inclusion" or "exclusion" and either ends with ":" or has no sentence-ending full stop. It opens an
  inclusion section, an exclusion section, or (naming both) no section.
- Lines outside a section are ignored.
- An item is a bullet ("*", "-", "\\-", "+", "•") or numbered/lettered entry ("1.", "1)",
  "1\\)", "(1)", "a.", "a)", "ii.") at any depth, or an unindented plain paragraph line.
- Not items: headings; plain lines ending with ":" (sub-headings such as "Cohort A:");
  indented plain lines (continuations of the item above); notes (text starting with
  "Note"/"NB", or "protocol-defined ... criteria ... apply").
- The item text is the line with its marker and surrounding whitespace stripped; inner
  text is kept verbatim (including escapes such as "\\>=").
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys

MARKER = re.compile(
    r"^(?:\\?[-*+•]+|\(?\d{1,2}\\?[.)](?!\d)|\(\d{1,2}\\?\)|\(?[a-zA-Z]\\?[.)]|\(?[ivxIVX]{1,4}\\?[.)])\s+"
)
HEADING_WORD = re.compile(r"(?i)\b(inclusion|exclusion)s?\b")
SENTENCE_END = re.compile(r"\.(\s|$)")
NOTE = re.compile(r"(?i)^(?:-+\s*)?(?:\*+\s*)?(?:note\b|nb\b)|protocol[- ]defined.*criteria.*appl")


def _strip_marker(line: str) -> tuple[str, bool]:
    stripped = line.strip()
    match = MARKER.match(stripped)
    if match:
        return stripped[match.end():].strip(), True
    return stripped, False


def _heading_section(text: str) -> str | None | bool:
    """'inclusion' / 'exclusion' / None (both) for a heading; False when not a heading."""
    if len(text) > 80 or not HEADING_WORD.search(text):
        return False
    if not (text.endswith(":") or not SENTENCE_END.search(text)) or NOTE.search(text):
        return False
    words = {m.lower() for m in HEADING_WORD.findall(text)}
    if words == {"inclusion"}:
        return "inclusion"
    if words == {"exclusion"}:
        return "exclusion"
    return None


def split_items(raw_text: str) -> list[tuple[str, str]]:
    """(section, text) of every item of one trial's eligibility text, in order."""
    items: list[tuple[str, str]] = []
    section: str | None = None
    for line in raw_text.split("\n"):
        if not line.strip():
            continue
        text, bulleted = _strip_marker(line)
        heading = _heading_section(text)
        if heading is not False:
            section = heading
            continue
        if section is None or not text or NOTE.search(text):
            continue
        if not bulleted and (text.endswith(":") or line[:1].isspace()):
            continue
        items.append((section, text))
    return items


def draw(trials: list[dict], seed: int, per_trial: int, total: int) -> list[dict]:
    rng = random.Random(seed)
    order = sorted(trials, key=lambda t: t["nct_id"])
    rng.shuffle(order)
    drawn: list[dict] = []
    for trial in order:
        if len(drawn) >= total:
            break
        items = split_items(trial["eligibility"]["raw_text"] or "")
        if len(items) < per_trial:
            continue
        picked = sorted(rng.sample(range(len(items)), per_trial))
        for i in picked:
            section, text = items[i]
            drawn.append({"nct_id": trial["nct_id"], "section": section, "text": text})
    return drawn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trials", help="path to a copy of oncology-trials.jsonl")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--items-per-trial", type=int, default=5)
    parser.add_argument("--total", type=int, default=320)
    args = parser.parse_args(argv)
    with open(args.trials, encoding="utf-8") as fh:
        trials = [json.loads(line) for line in fh if line.strip()]
    for item in draw(trials, args.seed, args.items_per_trial, args.total):
        sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
