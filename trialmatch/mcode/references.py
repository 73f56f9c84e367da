"""ReferenceIndex: resolves the many spellings of a reference inside one Bundle.

A resource may be referenced as ``Type/id``, by its entry's fullUrl (``urn:uuid:...``), by
an absolute URL ending in ``Type/id``, or (in some CodeX test bundles) by its bare id. Each
resolves to the entry's evidence string; a bare id resolves only when exactly one resource
carries it.
"""

from __future__ import annotations

from trialmatch.mcode.bundle_entries import Entry


class ReferenceIndex:
    def __init__(self, entries: list[Entry]) -> None:
        self._by_alias: dict[str, str] = {}
        bare: dict[str, set[str]] = {}
        for e in entries:
            rid = e.resource.get("id")
            aliases = [e.evidence]
            if e.full_url:
                aliases.append(e.full_url)
            if isinstance(rid, str) and rid:
                aliases.append(f"{e.resource_type}/{rid}")
                bare.setdefault(rid, set()).add(e.evidence)
            for alias in aliases:
                self._by_alias.setdefault(alias, e.evidence)
        for rid, evidences in bare.items():
            if len(evidences) == 1:
                self._by_alias.setdefault(rid, next(iter(evidences)))

    def resolve(self, reference: str) -> str | None:
        """The evidence string of the referenced entry, or None when not in the Bundle."""
        if reference in self._by_alias:
            return self._by_alias[reference]
        parts = reference.rstrip("/").split("/")
        if len(parts) >= 2:
            # absolute URL or versioned reference: .../Type/id[/_history/n]
            if len(parts) >= 4 and parts[-2] == "_history":
                parts = parts[:-2]
            return self._by_alias.get(f"{parts[-2]}/{parts[-1]}")
        return None
