"""OncoTree: the cancer-type hierarchy (release 2025-10-03, cBioPortal/oncotree, CC BY 4.0).

Codes are upper case as in the release ("BREAST", "IDC", "NSCLC", "LUAD"). Two special
keys group the tree the way MatchMiner does:

- ``_LIQUID_``: every node whose tissue is "Lymphoid" or "Myeloid" (blood cancers);
- ``_SOLID_``: every other node below the root ``TISSUE``.

``ancestors(code)`` lists the parents nearest first, up to ``TISSUE``, then the special key
(``_SOLID_`` or ``_LIQUID_``), so that ``is_a(code, x)`` is exactly ``x == code or x in
ancestors(code)``. An unknown code has no ancestors and is a descendant of nothing, not
even of itself (the matcher then says it does not know the code).

MatchMiner treats the dendritic-cell sarcomas (tissue "Myeloid") as solid; we follow the
brief (tissue decides) and list the difference in docs/vocabulary.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialmatch.errors import RuleFileError
from trialmatch.vocab.data_file import DataDir, read_tsv

FILE = "oncotree_2025_10_03_tumor_types.tsv"
COLUMNS = ("code", "name", "main_type", "tissue", "parent", "level", "umls", "nci", "history", "precursors", "revocations")
ROOT = "TISSUE"
SOLID = "_SOLID_"
LIQUID = "_LIQUID_"
LIQUID_TISSUES = frozenset({"Lymphoid", "Myeloid"})


@dataclass(frozen=True)
class OncoTreeNode:
    code: str
    name: str
    main_type: str
    tissue: str
    parent: str | None
    level: int
    umls: tuple[str, ...] = ()
    nci: tuple[str, ...] = ()
    history: tuple[str, ...] = ()  # earlier codes of this node
    precursors: tuple[str, ...] = ()  # codes this node was split from
    revocations: tuple[str, ...] = ()  # codes retired in favour of this node


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


@dataclass(frozen=True, eq=False, repr=False)
class OncoTree:
    def __repr__(self) -> str:
        return f"<OncoTree: {len(self.nodes)} nodes>"

    nodes: dict[str, OncoTreeNode]
    _ancestors: dict[str, tuple[str, ...]]

    @classmethod
    def from_nodes(cls, nodes: dict[str, OncoTreeNode]) -> OncoTree:
        ancestors: dict[str, tuple[str, ...]] = {}
        for code, node in nodes.items():
            chain: list[str] = []
            parent = node.parent
            while parent is not None:
                if parent in chain or parent == code:
                    raise RuleFileError(f"{FILE}: code {code}: field parent forms a cycle")
                chain.append(parent)
                parent = nodes[parent].parent
            if code != ROOT:
                chain.append(LIQUID if node.tissue in LIQUID_TISSUES else SOLID)
            ancestors[code] = tuple(chain)
        return cls(nodes=nodes, _ancestors=ancestors)

    def __contains__(self, code: object) -> bool:
        return code in self.nodes or code in (SOLID, LIQUID)

    def node(self, code: str) -> OncoTreeNode | None:
        return self.nodes.get(code)

    def name(self, code: str) -> str | None:
        if code == SOLID:
            return "Solid tumor"
        if code == LIQUID:
            return "Blood cancer (lymphoid or myeloid)"
        node = self.nodes.get(code)
        return node.name if node else None

    def ancestors(self, code: str) -> tuple[str, ...]:
        return self._ancestors.get(code, ())

    def is_a(self, code: str, ancestor: str) -> bool:
        if code not in self.nodes and code not in (SOLID, LIQUID):
            return False
        return code == ancestor or ancestor in self._ancestors.get(code, ())

    def children(self, code: str) -> tuple[str, ...]:
        return tuple(sorted(c for c, n in self.nodes.items() if n.parent == code))

    def descendants(self, code: str) -> frozenset[str]:
        """Every node that ``is_a`` ``code``, the node itself included."""
        return frozenset(c for c in self.nodes if self.is_a(c, code))


def load_oncotree(data_dir: DataDir) -> OncoTree:
    nodes: dict[str, OncoTreeNode] = {}
    for number, row in enumerate(read_tsv(data_dir, FILE, COLUMNS), start=2):
        code = row["code"].strip()
        where = f"{FILE}: line {number}"
        if not code or code != code.upper():
            raise RuleFileError(f"{where}: field code must be a non-empty upper-case code, got {code!r}")
        if code in nodes:
            raise RuleFileError(f"{where}: field code {code} is duplicated")
        if not row["name"].strip():
            raise RuleFileError(f"{where}: field name is empty")
        try:
            level = int(row["level"])
        except ValueError as exc:
            raise RuleFileError(f"{where}: field level is not an integer: {row['level']!r}") from exc
        nodes[code] = OncoTreeNode(
            code=code,
            name=row["name"].strip(),
            main_type=row["main_type"].strip(),
            tissue=row["tissue"].strip(),
            parent=row["parent"].strip() or None,
            level=level,
            umls=_split(row["umls"]),
            nci=_split(row["nci"]),
            history=_split(row["history"]),
            precursors=_split(row["precursors"]),
            revocations=_split(row["revocations"]),
        )
    if ROOT not in nodes:
        raise RuleFileError(f"{FILE}: field code: root {ROOT} is missing")
    for code, node in nodes.items():
        if node.parent is not None and node.parent not in nodes:
            raise RuleFileError(f"{FILE}: code {code}: field parent {node.parent!r} is not a code in the file")
        if code != ROOT and node.parent is None:
            raise RuleFileError(f"{FILE}: code {code}: field parent is empty")
    return OncoTree.from_nodes(nodes)
