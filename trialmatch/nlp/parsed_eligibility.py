"""The result of parsing eligibility text: ``ParsedEligibility`` of ``ParsedItem``s."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import TYPE_NAMES, to_json, walk

# item kinds (sections.py) and statuses
FULLY, PARTLY, UNPARSED, NON_CLINICAL = "fully_structured", "partly_structured", "unparsed", "non_clinical"
NOT_COUNTED = "not_counted"  # headings and notes


@dataclass(frozen=True)
class ParsedItem:
    """One item: ``section`` "inclusion" | "exclusion" | "unknown"; ``kind`` "criterion" |
    "heading" | "note"; ``text`` the source text at ``start``:``end`` of the eligibility
    text; ``node`` its criterion (exclusions already wrapped in Not); ``status`` one of
    fully_structured, partly_structured, unparsed, non_clinical, not_counted; ``scope`` the
    sub-heading restricting the item to part of the trial (cohort, arm, part), if any;
    ``recognised`` the concept of a clinical requirement no atom holds yet ("measurable_disease",
    "life_expectancy"; context rules of category RECOGNISED) found in an item not fully structured."""

    section: str
    kind: str
    text: str
    start: int
    end: int
    node: c.Node
    status: str
    scope: str | None = None
    parser_version: str = ""
    recognised: str | None = None


@dataclass(frozen=True)
class ParsedEligibility:
    items: tuple[ParsedItem, ...]
    parser_version: str

    @property
    def criteria_items(self) -> tuple[ParsedItem, ...]:
        return tuple(i for i in self.items if i.kind == "criterion")

    def to_node(self) -> c.All:
        """The All of the criterion items' nodes (headings and notes left out)."""
        return c.All(tuple(i.node for i in self.criteria_items))

    def report(self) -> dict:
        """Counts over criterion items; ``by_kind`` counts the structured atoms by type;
        ``recognised`` counts the unparsed items by recognised concept (no atom for them yet)."""
        items = self.criteria_items
        statuses = Counter(i.status for i in items)
        by_kind: Counter = Counter()
        for item in items:
            for node in walk(item.node):
                if not isinstance(node, (c.All, c.Any, c.Not, c.Unparsed)):
                    by_kind[TYPE_NAMES[type(node)]] += 1
        return {
            "items": len(items),
            FULLY: statuses[FULLY],
            PARTLY: statuses[PARTLY],
            UNPARSED: statuses[UNPARSED],
            NON_CLINICAL: statuses[NON_CLINICAL],
            "by_kind": dict(sorted(by_kind.items())),
            "recognised": dict(sorted(Counter(i.recognised for i in items
                                              if i.status == UNPARSED and i.recognised).items())),
        }

    def to_json(self) -> dict:
        return {
            "parser_version": self.parser_version,
            "items": [
                {"section": i.section, "kind": i.kind, "text": i.text, "start": i.start, "end": i.end,
                 "status": i.status, "scope": i.scope, "recognised": i.recognised, "node": to_json(i.node)}
                for i in self.items
            ],
        }


def merge_reports(reports) -> dict:
    total: dict = {"items": 0, FULLY: 0, PARTLY: 0, UNPARSED: 0, NON_CLINICAL: 0, "by_kind": {}, "recognised": {}}
    for r in reports:
        for key in ("items", FULLY, PARTLY, UNPARSED, NON_CLINICAL):
            total[key] += r[key]
        for kind, n in r["by_kind"].items():
            total["by_kind"][kind] = total["by_kind"].get(kind, 0) + n
        for concept, n in r.get("recognised", {}).items():
            total["recognised"][concept] = total["recognised"].get(concept, 0) + n
    total["by_kind"] = dict(sorted(total["by_kind"].items()))
    total["recognised"] = dict(sorted(total["recognised"].items()))
    return total
