"""What a sponsor reviews and corrects: a criteria document's items with their parse, and
structured overrides of chosen items. Pure functions over document dicts."""

from __future__ import annotations

import copy

from trialmatch.errors import CriteriaError


def _top_items(node: dict) -> list[dict]:
    return list(node.get("items", [])) if node.get("type") == "all" else [node]


def item_status(node: dict) -> str:
    """structured | partly_structured | unparsed | non_clinical (a Not looks at what it wraps)."""
    inner = node
    while inner.get("type") == "not":
        inner = inner["item"]
    if inner.get("type") == "unparsed":
        return "non_clinical" if inner.get("non_clinical") else "unparsed"
    return "partly_structured" if _contains_unparsed(inner) else "structured"


def _contains_unparsed(node: dict) -> bool:
    if node.get("type") == "unparsed":
        return True
    children = node.get("items", []) + ([node["item"]] if "item" in node else [])
    return any(_contains_unparsed(child) for child in children)


def criteria_items(document: dict) -> list[dict]:
    """Every top-level item of the trial's criteria and of each arm, in document order."""
    out = [{"scope": "trial", "id": n.get("id"), "text": n.get("text"), "status": item_status(n), "parse": n}
           for n in _top_items(document["criteria"])]
    for arm in document.get("arms", []):
        out += [{"scope": f"arm:{arm['id']}", "id": n.get("id"), "text": n.get("text"), "status": item_status(n),
                 "parse": n} for n in _top_items(arm["criteria"])]
    return out


def apply_overrides(document: dict, overrides: list[dict]) -> dict:
    """A copy of ``document`` where each node whose ``id`` is named is replaced by the override's
    ``node``. The replacement keeps the id, and the source text unless it brings its own."""
    if not isinstance(overrides, list) or not overrides:
        raise CriteriaError("overrides: expected a non-empty list of {\"id\", \"node\"}")
    wanted = {}
    for i, override in enumerate(overrides):
        if not isinstance(override, dict) or not isinstance(override.get("id"), str) \
                or not isinstance(override.get("node"), dict):
            raise CriteriaError(f"overrides[{i}]: expected {{\"id\": <item id>, \"node\": <criteria node>}}")
        wanted[override["id"]] = override["node"]
    result = copy.deepcopy(document)
    found: set[str] = set()

    def replace(node: dict) -> dict:
        if node.get("id") in wanted:
            found.add(node["id"])
            new = dict(wanted[node["id"]])
            new["id"] = node["id"]
            if "text" in node and "text" not in new and new.get("type") != "unparsed":
                new["text"] = node["text"]
            return new
        if "items" in node:
            node["items"] = [replace(child) for child in node["items"]]
        if "item" in node:
            node["item"] = replace(node["item"])
        return node

    result["criteria"] = replace(result["criteria"])
    for arm in result.get("arms", []):
        arm["criteria"] = replace(arm["criteria"])
    missing = sorted(set(wanted) - found)
    if missing:
        raise CriteriaError(f"overrides: no item with id {', '.join(missing)} in the current criteria version")
    return result
