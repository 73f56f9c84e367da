"""Which cancer a marker, variant or stage describes.

Explicit links, first found wins: the resource's ``focus``; a related-condition extension
(mCODE ``mcode-related-condition``, ``mcode-related-primary-cancer-condition``); a
Condition whose ``stage.assessment`` lists the resource; the stage group or report
Observation whose ``hasMember`` lists it (the member inherits the parent's link). A link
that names a Condition missing from the Bundle gives cancer_ref=None with a Warning (the
record says which cancer, we cannot see it). With no link at all: the one primary cancer
when there is exactly one, else None (DESIGN.md: facts belong to their cancer).
"""

from __future__ import annotations

from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import extensions, references
from trialmatch.mcode.references import ReferenceIndex

RELATED = ("mcode-related-condition", "mcode-related-primary-cancer-condition", "related-condition")


class CancerLinker:
    def __init__(self, entries: list[Entry], refs: ReferenceIndex, cancers: set[str],
                 primaries: list[str], warnings: Warnings) -> None:
        self._refs = refs
        self._cancers = cancers
        self._default = primaries[0] if len(primaries) == 1 else None
        self._warnings = warnings
        self._assessed: dict[str, str] = {}
        self._parent: dict[str, str] = {}
        for e in entries:
            if e.resource_type == "Condition" and e.evidence in cancers:
                for stage in e.resource.get("stage") or ():
                    for ref in references(stage.get("assessment")):
                        target = refs.resolve(ref)
                        if target:
                            self._assessed.setdefault(target, e.evidence)
            if e.resource_type == "Observation":
                for ref in references(e.resource.get("hasMember")):
                    target = refs.resolve(ref)
                    if target:
                        self._parent.setdefault(target, e.evidence)
        self._by_evidence = {e.evidence: e for e in entries}

    def cancer_of(self, entry: Entry, _depth: int = 0) -> str | None:
        r = entry.resource
        candidates = references(r.get("focus"))
        for ext in extensions(r, *RELATED):
            candidates += references(ext.get("valueReference"))
        missing = False
        for ref in candidates:
            target = self._refs.resolve(ref)
            if target in self._cancers:
                return target
            if target is None and ("Condition/" in ref or ref.startswith("urn:")):
                missing = True
        if entry.evidence in self._assessed:
            return self._assessed[entry.evidence]
        parent = self._parent.get(entry.evidence)
        if parent is not None and _depth < 5 and parent in self._by_evidence:
            return self.cancer_of(self._by_evidence[parent], _depth + 1)
        if missing:
            self._warnings.add(f"{entry.location}.focus", "links to a condition that is not in the "
                               "bundle; cancer unknown")
            return None
        return self._default
