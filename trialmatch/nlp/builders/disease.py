"""The disease clause: "[histologically confirmed] [stage IIIB-IV] [locally advanced or
metastatic] [HR+/HER2-] [breast cancer]" -> All(Stage, Metastasis extent, markers, CancerType).

Extent words joined by "or" / "/" / "and/or" are alternatives; adjacent or comma-joined
words all hold ("unresectable locally advanced or metastatic" = (unresectable and locally
advanced) or metastatic). A cancer phrase must resolve as a whole through the vocabulary.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.markers import marker_nodes, variant_nodes

_CONFIRMED = re.compile(
    r"^(?:(?:a |an )?(?:(?:histologically|cytologically|pathologically|histological|cytological|pathological|"
    r"radiologically|radiographically|clinically|histologic|cytologic)-?(?:(?:,? and/or|,? or|,? and|,) )?)+\s*)?"
    r"(?:(?:biopsy[- ])?(?:confirmed|documented|proven|proved|verified|established|diagnosed)(?:(?: and|,)? (?:confirmed|documented))?"
    r"(?: new)?(?: diagnosis of| with)?\s+)?"
    r"(?:(?:a |an )?(?:new )?(?:diagnosis|evidence|confirmation|proof) of\s+)?(?:(?:a|an)\s+)?"
)
# histology words around a cancer phrase: "non-squamous NSCLC" = NSCLC, not squamous (labels' convention)
_NOT_SQUAMOUS = re.compile(r"^(?:non-?squamous|non squamous)(?: cell)? ")
_NO_SMALL_CELL = re.compile(r" (?:without|with no) (?:any )?(?:small[- ]cell|neuroendocrine) (?:features|histology|component|differentiation)s?$")
_NO_SMALL_CELL_KEY = {"small": "small_cell", "neuroendocrine": "neuroendocrine"}
# "<cancer> that is metastatic or unresectable", "<cancer> with metastatic disease"
_EXTENT_AFTER = re.compile(r"^(?P<cancer>.+?),? (?:that is|which is|that has become|with) (?P<e>(?:metastatic|locally advanced|advanced|unresectable|"
                           r"recurrent|non-resectable|nonresectable)(?:(?:,? and/or|,? or|,? and|,|/) ?(?:metastatic|locally advanced|advanced|"
                           r"unresectable|recurrent|non-resectable|nonresectable))*)(?: disease)?$")
_STAGE = re.compile(
    r"(?:ajcc |clinical |pathologic(?:al)? |tnm )?stage (?P<g>(?:0|iv|i{1,3})[abc]?(?:(?: ?- ?| to |, |,? or |,? and )(?:0|iv|i{1,3})[abc]?)*)"
)
_EXTENT_WORDS = {
    "metastatic": "metastatic", "locally advanced": "locally_advanced", "advanced": "advanced",
    "unresectable": "unresectable", "non-resectable": "unresectable", "nonresectable": "unresectable",
    "recurrent": "recurrent",
}
_EXTENT = re.compile(
    r"^(?P<e>(?:(?:metastatic|locally advanced|advanced|unresectable|non-resectable|nonresectable|recurrent)"
    r"(?:\s*,?\s*(?:or|and/or|and)\s+|\s*/\s*|\s*,\s*|\s+))+)"
)
_GENERIC = re.compile(r"^(?:disease|cancer|carcinoma|tumou?rs?|malignancy|malignancies|neoplasm|cancers|disease status)?$")
_ORDER = ("0", "I", "IA", "IB", "IC", "II", "IIA", "IIB", "IIC", "III", "IIIA", "IIIB", "IIIC", "IV", "IVA", "IVB", "IVC")


def _stage_groups(text: str) -> tuple[str, ...] | None:
    text = text.upper()
    m = re.fullmatch(r"(\w+) ?(?:-|TO) ?(\w+)", text)
    if m:
        lo, hi = m.group(1), m.group(2)
        if lo not in _ORDER or hi not in _ORDER or _ORDER.index(lo) > _ORDER.index(hi):
            return None
        span = _ORDER[_ORDER.index(lo):_ORDER.index(hi) + 1]
        # keep the coarsest groups: IIIB..IV -> IIIB, IIIC, IV (IV covers IVA..IVC)
        out = [g for g in span if not any(g != o and g.startswith(o) and o in span for o in span)]
        return tuple(out)
    groups = tuple(g for g in re.split(r" ?(?:,? OR |,? AND |, ) ?", text) if g)
    return groups if all(g in _ORDER for g in groups) else None


def _extent_node(text: str) -> c.Node | None:
    alternatives = re.split(r"\s*(?:,?\s*or|,?\s*and/or)\s+|\s*/\s*", text.strip(" ,"))
    options: list[c.Node] = []
    for alt in alternatives:
        words = re.findall(r"locally advanced|metastatic|advanced|unresectable|non-resectable|nonresectable|recurrent", alt)
        rest = re.sub(r"locally advanced|metastatic|advanced|unresectable|non-resectable|nonresectable|recurrent|,|\band\b", "", alt)
        if rest.strip() or not words:
            return None
        atoms = tuple(c.Metastasis(extent=_EXTENT_WORDS[w]) for w in dict.fromkeys(words))
        options.append(atoms[0] if len(atoms) == 1 else c.All(atoms))
    extents = {o.extent for o in options if isinstance(o, c.Metastasis)}
    if len(options) == 2 and len(extents) == 2 and extents <= {"locally_advanced", "metastatic", "advanced"}:
        return c.Metastasis(extent="advanced")  # "locally advanced or metastatic", "advanced or metastatic"
    return options[0] if len(options) == 1 else c.Any(tuple(options))


def build_disease(clause: Clause) -> c.Node | None:
    t = _CONFIRMED.sub("", clause.text, count=1).strip()
    parts: list[c.Node] = []
    after = _EXTENT_AFTER.match(t)
    if after:
        extent = _extent_node(after.group("e"))
        rest = build_disease(Clause(after.group("cancer"), clause.terms, clause.section, clause.historical, clause.qualifiers))
        if extent is None or rest is None:
            return None
        return c.All(((rest.items if isinstance(rest, c.All) else (rest,))) + (extent,))
    histology: list[c.Node] = []
    m = _NO_SMALL_CELL.search(t)
    if m:
        key = "small_cell" if "small" in m.group(0) else "neuroendocrine"
        histology.append(c.Not(c.Histology(keys=(key,))))
        t = t[:m.start()]
    m = re.match(_STAGE.pattern + r"\s*", t)
    if m:
        groups = _stage_groups(m.group("g"))
        if groups is None:
            return None
        parts.append(c.Stage(groups))
        t = t[m.end():]
    m = _EXTENT.match(t)
    if m:
        node = _extent_node(m.group("e"))
        if node is None:
            return None
        parts.append(node)
        t = t[m.end():]
    # trailing stage ("nsclc stage iv") and "(any stage)"
    tail = re.search(r"(?:,\s*|\s+)" + _STAGE.pattern + r"$", t)
    if tail:
        groups = _stage_groups(tail.group("g"))
        if groups is None:
            return None
        parts.append(c.Stage(groups))
        t = t[:tail.start()]
    t = re.sub(r"\s*\(any stage\)$", "", t).strip(" ,")
    m = _NOT_SQUAMOUS.match(t)
    if m:
        t = t[m.end():]
        histology.insert(0, c.Not(c.Histology(keys=("squamous",))))
    if t:
        rest = _markers_and_cancer(clause, t)
        if rest is None:
            return None
        parts.extend(rest)
    if histology:
        if not any(isinstance(p, c.CancerType) for p in parts):
            return None  # a histology with no cancer named: not a shape we read
        parts.extend(histology)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else c.All(tuple(parts))


_MARKER_START = re.compile(
    r"^(?:her2|her-2|erbb2|er|pr|pgr|hr|hormone|estrogen|oestrogen|progesterone|triple|msi|dmmr|mmr|pmmr|mss|tmb|pd-l1|pdl1|"
    r"germline|somatic|microsatellite|mismatch|high|deficient|proficient|brca|brca1/2|ntrk|known|documented|confirmed)\b"
)


def _may_start_markers(clause: Clause, word: str) -> bool:
    if _MARKER_START.match(word):
        return True
    gene = re.split(r"[-/+]", word, maxsplit=1)[0]
    return clause.terms.key("GENE", gene) is not None


def _markers_and_cancer(clause: Clause, t: str) -> list[c.Node] | None:
    """Marker or variant words, then a cancer phrase (or a generic word like "disease")."""
    if _GENERIC.match(t):
        return []
    codes = clause.terms.cancer(t)
    if codes:
        return [c.CancerType(codes)]
    whole = marker_nodes(t) or variant_nodes(clause, t)
    if whole:
        return whole
    words = t.split(" ")
    if not _may_start_markers(clause, words[0]):
        return None
    # try every split point: markers/variants on the left, a cancer phrase on the right
    for i in range(1, min(len(words), 8)):
        left, right = " ".join(words[:i]), " ".join(words[i:])
        nodes = marker_nodes(left) or variant_nodes(clause, left)
        if not nodes:
            continue
        if _GENERIC.match(right):
            return nodes
        codes = clause.terms.cancer(right)
        if codes:
            return nodes + [c.CancerType(codes)]
    return None
