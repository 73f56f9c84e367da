"""Bundle -> validated entries, resource by resource and element by element.

The Bundle shell is checked by hand (its own R4B model would reject the whole Bundle for
one bad entry). Each entry's resource is validated with its fhir.resources R4B model; an
invalid element is removed (a required element missing removes its parent; a missing
required top-level element removes the resource) and the model re-run, each removal
reported as a Warning naming its location. Observations giving several value[x] at once are
split before validation: the extra values travel beside the resource (``extra_values``)
so that the extractor can check whether they agree. Warnings never carry input values.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from trialmatch.domain.facts import Warning
from trialmatch.errors import PatientDataError

BUNDLE_TYPES = frozenset({"collection", "transaction", "batch", "searchset", "document"})
OTHER_BUNDLE_TYPES = frozenset({"message", "transaction-response", "batch-response", "history"})
ENTRY_KEYS = frozenset({"id", "extension", "modifierExtension", "link", "fullUrl", "resource",
                        "search", "request", "response"})
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_MAX_REPAIRS = 10


@dataclass
class Entry:
    index: int
    location: str  # "Bundle.entry[3].resource"
    resource_type: str
    resource: dict
    full_url: str | None
    evidence: str  # "Type/id", else the fullUrl, else the location
    extra_values: dict = field(default_factory=dict)  # value[x] beyond the first


class Warnings:
    """Collects Warnings in order, without duplicates."""

    def __init__(self) -> None:
        self.items: list[Warning] = []
        self._seen: set[Warning] = set()

    def add(self, location: str, message: str) -> None:
        w = Warning(location, message)
        if w not in self._seen:
            self._seen.add(w)
            self.items.append(w)


def read_bundle(bundle: object, warnings: Warnings, supported: frozenset[str],
                ignored: frozenset[str]) -> list[Entry]:
    if not isinstance(bundle, dict):
        raise PatientDataError("input is not a FHIR Bundle",
                               [("$", "expected a JSON object with resourceType 'Bundle'")])
    if bundle.get("resourceType") != "Bundle":
        raise PatientDataError("input is not a FHIR Bundle",
                               [("resourceType", "expected 'Bundle'")])
    _check_shell(bundle, warnings)
    raw_entries = bundle.get("entry", [])
    if not isinstance(raw_entries, list):
        raise PatientDataError("Bundle.entry is not a list", [("Bundle.entry", "expected a list")])
    entries: list[Entry] = []
    skipped: dict[str, list[str]] = {}
    for i, raw in enumerate(raw_entries):
        where = f"Bundle.entry[{i}]"
        if not isinstance(raw, dict):
            warnings.add(where, "entry is not an object; skipped")
            continue
        for key in raw:
            if key not in ENTRY_KEYS:
                warnings.add(f"{where}.{key}", "unknown element in entry; ignored")
        resource = raw.get("resource")
        if not isinstance(resource, dict):
            warnings.add(f"{where}.resource", "entry has no resource object; skipped")
            continue
        rtype = resource.get("resourceType")
        if not isinstance(rtype, str) or not _known_type(rtype):
            warnings.add(f"{where}.resource.resourceType", "missing or unknown resource type; skipped")
            continue
        if rtype not in supported:
            if rtype not in ignored:
                skipped.setdefault(rtype, []).append(where)
            continue
        full_url = raw.get("fullUrl") if isinstance(raw.get("fullUrl"), str) else None
        entry = _validate(i, where + ".resource", rtype, resource, full_url, warnings)
        if entry is not None:
            entries.append(entry)
    for rtype, wheres in skipped.items():
        warnings.add(wheres[0], f"resource type {rtype} is not supported; {len(wheres)} entries skipped")
    return entries


def _check_shell(bundle: dict, warnings: Warnings) -> None:
    bid = bundle.get("id")
    if bid is not None and not (isinstance(bid, str) and _ID.match(bid)):
        warnings.add("Bundle.id", "id does not match the FHIR id pattern; ignored")
    btype = bundle.get("type")
    btype = btype if isinstance(btype, str) else None
    if btype not in BUNDLE_TYPES:
        if btype in OTHER_BUNDLE_TYPES:
            warnings.add("Bundle.type", "bundle type is not one of collection, transaction, batch, "
                         "searchset, document; entries read anyway")
        else:
            warnings.add("Bundle.type", "missing or invalid bundle type; entries read anyway")


def _known_type(rtype: str) -> bool:
    try:
        get_fhir_model_class(rtype)
    except (ValueError, KeyError, AttributeError):
        return False
    return True


def _split_values(resource: dict) -> tuple[dict, list[str]]:
    """Keep one value[x] of an Observation (valueCodeableConcept preferred) and name the
    others, which the caller keeps apart for the agreement check."""
    keys = [k for k in resource if k.startswith("value") and k[5:6].isupper()]
    if len(keys) <= 1:
        return resource, []
    keep = "valueCodeableConcept" if "valueCodeableConcept" in keys else keys[0]
    extra = [k for k in keys if k != keep]
    return {k: v for k, v in resource.items() if k not in extra}, extra


def _validate(index: int, where: str, rtype: str, resource: dict, full_url: str | None,
              warnings: Warnings) -> Entry | None:
    model = get_fhir_model_class(rtype)
    extra: dict = {}
    original = resource
    if rtype == "Observation":
        resource, extra_keys = _split_values(resource)
        extra = {k: original[k] for k in extra_keys}
    for _ in range(_MAX_REPAIRS):
        try:
            model.model_validate(resource)
        except ValidationError as exc:
            if resource is original:
                resource = copy.deepcopy(resource)
            if not _repair(resource, exc, where, warnings):
                warnings.add(where, f"{rtype} fails validation; resource skipped")
                return None
            continue
        except (ValueError, TypeError, RecursionError):
            warnings.add(where, f"{rtype} cannot be read; resource skipped")
            return None
        rid = resource.get("id")
        evidence = f"{rtype}/{rid}" if isinstance(rid, str) and rid else (full_url or where)
        return Entry(index, where, rtype, resource, full_url, evidence, extra)
    warnings.add(where, f"{rtype} has too many invalid elements; resource skipped")
    return None


def _repair(resource: dict, exc: ValidationError, where: str, warnings: Warnings) -> bool:
    """Remove every element an error points at. False when the resource itself is unusable."""
    targets = []
    for err in exc.errors():
        path = [p for p in err.get("loc", ()) if isinstance(p, (str, int))]
        if err.get("type") == "missing":
            if len(path) <= 1:
                warnings.add(_render(where, path), "required element missing")
                return False
            targets.append((path[:-1], f"required element {path[-1]} missing; parent dropped"))
        else:
            if not path:
                return False
            targets.append((path, f"invalid element ({err.get('type', 'error')}); dropped"))
    done = set()
    # deepest and highest list indexes first, so earlier removals do not shift later ones
    for path, message in sorted(targets, key=lambda t: [str(p).zfill(6) if isinstance(p, int) else p
                                                         for p in t[0]], reverse=True):
        path = _navigable(resource, path)
        if not path or tuple(path) in done:
            continue
        if any(tuple(path[:n]) in done for n in range(1, len(path))):
            continue
        done.add(tuple(path))
        _remove(resource, path)
        warnings.add(_render(where, path), message)
    return bool(done)


def _navigable(resource: dict, path: list) -> list:
    """The longest prefix of ``path`` that exists in ``resource`` (pydantic may add steps)."""
    node, out = resource, []
    for step in path:
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            break
        out.append(step)
    return out


def _remove(resource: dict, path: list) -> None:
    node = resource
    for step in path[:-1]:
        node = node[step]
    last = path[-1]
    if isinstance(node, list):
        node.pop(last)
        if not node and len(path) >= 2:
            _remove(resource, path[:-1])
    else:
        node.pop(last, None)


def _render(where: str, path: list) -> str:
    out = where
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else f".{step}"
    return out
