"""Which cancer a marker, variant or stage describes.

Explicit links, first found wins: the resource's ``focus``; a related-condition extension
(mCODE ``mcode-related-condition``, ``mcode-related-primary-cancer-condition``); a
Condition whose ``stage.assessment`` lists the resource; the stage group or report
Observation whose ``hasMember`` lists it (the member inherits the parent's link); the
``specimen`` it was measured on, when the Specimen names the cancer (a related-condition
extension, or ``request`` -> ServiceRequest ``reasonReference``); the DiagnosticReport whose
``result`` lists it, when the report names the cancer (related-condition extension,
``specimen`` as above, or a ``conclusionCode`` coding equal to a coding of exactly one
cancer of the Bundle). Each of these must name one cancer: a Specimen or report that
names two gives no link (never a guess; a body site shared with a cancer is not a link). A
link
that names a Condition missing from the Bundle gives cancer_ref=None with a Warning (the
record says which cancer, we cannot see it). With no link at all: the one primary cancer
when there is exactly one, else None (DESIGN.md: facts belong to their cancer).
"""

from __future__ import annotations

from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import code_keys, concept_list, extensions, references
from trialmatch.mcode.references import ReferenceIndex

RELATED = ("mcode-related-condition", "mcode-related-primary-cancer-condition", "related-condition")


class CancerLinker:
    def __init__(self, entries: list[Entry], refs: ReferenceIndex, cancers: set[str],
                 primaries: list[str], warnings: Warnings, links: list[Entry] = (),
                 cancer_codes: dict[str, set[str]] | None = None) -> None:
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
        self._by_evidence = {e.evidence: e for e in [*entries, *links]}
        self._cancer_codes = cancer_codes or {}
        self._reports: dict[str, list[Entry]] = {}
        for e in links:
            if e.resource_type == "DiagnosticReport":
                for ref in references(e.resource.get("result")):
                    target = refs.resolve(ref)
                    if target:
                        self._reports.setdefault(target, []).append(e)

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
        linked = self._via_specimens(r) or self._via_reports(entry.evidence)
        if linked is not None:
            return linked
        if missing:
            self._warnings.add(f"{entry.location}.focus", "links to a condition that is not in the "
                               "bundle; cancer unknown")
            return None
        return self._default

    def _named(self, resource: dict) -> set[str]:
        """Cancers a resource names through a related-condition extension."""
        found = set()
        for ext in extensions(resource, *RELATED):
            found |= {t for t in map(self._refs.resolve, references(ext.get("valueReference")))
                      if t in self._cancers}
        return found

    def _one(self, found: set[str]) -> str | None:
        return next(iter(found)) if len(found) == 1 else None

    def _specimen_cancers(self, resource: dict) -> set[str]:
        found = set()
        for ref in references(resource.get("specimen")):
            specimen = self._by_evidence.get(self._refs.resolve(ref) or "")
            if specimen is None or specimen.resource_type != "Specimen":
                continue
            found |= self._named(specimen.resource)
            for req in references(specimen.resource.get("request")):
                request = self._by_evidence.get(self._refs.resolve(req) or "")
                if request is not None and request.resource_type == "ServiceRequest":
                    found |= {t for t in map(self._refs.resolve, references(request.resource.get("reasonReference")))
                              if t in self._cancers}
        return found

    def _via_specimens(self, resource: dict) -> str | None:
        return self._one(self._specimen_cancers(resource))

    def _via_reports(self, evidence: str) -> str | None:
        found = set()
        for report in self._reports.get(evidence, ()):
            r = report.resource
            named = self._named(r) | self._specimen_cancers(r)
            if not named:
                keys = {k for concept in concept_list(r.get("conclusionCode")) for k in code_keys(concept)}
                named = {c for c, codes in self._cancer_codes.items() if codes & keys}
            found |= named
        return self._one(found)
