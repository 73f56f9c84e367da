"""Stage groups and extent words of a disease phrase.

- Stage groups are AJCC/FIGO-style roman groups (arabic "2a" is read as IIA when the stage
  is tied to a named system or a disease). A range keeps exactly the groups between its ends
  ("IB-IIIA" = IB, IC, II, IIIA; never III, which would take IIIB): ``stage_groups``.
  Subgroups are a generic list (I-II: A-C, III: A-D, IV: A-C; digits 1-3), so a range never
  drops a group some system has; with a cancer named, a subgroup of another system only is left
  out ("IIIB-IV NSCLC" = IIIB, IIIC, IV; melanoma keeps IIID, ovarian cancer IC).
- Extent words joined by "or" / "/" / "and/or" are alternatives; adjacent or comma-joined
  words all hold ("unresectable locally advanced or metastatic" = (unresectable and locally
  advanced) or metastatic).
"""

from __future__ import annotations

import functools
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause

GA = r"(?:0|iv|i{1,3}|[1-4])(?:[a-d][1-3]?)?"  # with arabic numerals
GSEP = r"(?: ?- ?| to |, ?|,? or |,? and |,? and/or |/| through )"
_SYSTEM = r"(?:ajcc |clinical |pathologic(?:al)? |tnm |figo |anatomic |ann arbor |overall )"
STAGE = re.compile(
    rf"(?P<sys>{_SYSTEM}(?:\(ajcc\) )?)?stages? (?P<g>{GA}(?:{GSEP}(?:stage )?{GA})*)(?P<up>,? or (?:higher|greater|above)|,? and (?:higher|above))?"
)
_ORDER = ("0", "I", "II", "III", "IV")
_LETTERS = {"0": "", "I": "ABC", "II": "ABC", "III": "ABCD", "IV": "ABC"}
# subgroups of one staging system only: IIID (AJCC 8 melanoma), IC (FIGO ovary, fallopian tube and
# peritoneum; FIGO 2023 endometrium)
_SUBGROUP_TYPES = {"IIID": ("MEL", "SKIN"), "IC": ("OVARY", "PERITONEUM", "UTERUS")}
_ARABIC = {"1": "I", "2": "II", "3": "III", "4": "IV"}
_EXTENT_WORDS = {
    "metastatic": "metastatic", "locally advanced": "locally_advanced", "advanced": "advanced",
    "unresectable": "unresectable", "non-resectable": "unresectable", "nonresectable": "unresectable",
    "recurrent": "recurrent",
}
EXTENT = re.compile(
    r"^(?P<e>(?:(?:metastatic|locally advanced|advanced|unresectable|non-resectable|nonresectable|recurrent)"
    r"(?:\s*,?\s*(?:or|and/or|and)\s+|\s*/\s*|\s*,\s*|\s+))+)"
)
_GROUP_PARTS = re.compile(r"(0|IV|I{1,3})([A-D]?)([1-3]?)")
_GROUP = re.compile(r"(?:0|IV|I{1,3})(?:[A-D][1-3]?)?")
_DIGIT = re.compile(r"\d")
_STAGE_ITEMS = re.compile(r"(?:,? or |,? and/or |,? and |, ?|/)(?:stage )?")
_STAGE_ENDS = re.compile(r" ?- ?| to | through ")
_EXTENT_ALTS = re.compile(r"\s*(?:,?\s*or|,?\s*and/or)\s+|\s*/\s*")
_COMMA = re.compile(r"\s*,\s*")
_JOINT_EXTENT = re.compile(r"unresectable|non-?resectable|(?:locally )?advanced")
_EXTENT_WORD = re.compile(r"locally advanced|metastatic|advanced|unresectable|non-resectable|nonresectable|recurrent")
_EXTENT_REST = re.compile(r"locally advanced|metastatic|advanced|unresectable|non-resectable|nonresectable|recurrent|,|\band\b")


def _key(g: str) -> tuple[int, int | None, int | None]:
    m = _GROUP_PARTS.fullmatch(g)
    letter = "ABCD".index(m.group(2)) if m.group(2) else None
    return _ORDER.index(m.group(1)), letter, int(m.group(3)) if m.group(3) else None


def _bounds(g: str) -> tuple[tuple, tuple]:
    n, letter, digit = _key(g)
    letters = _LETTERS[_ORDER[n]]
    lo = (n, letter if letter is not None else 0, digit if digit is not None else 1)
    hi = (n, letter if letter is not None else max(len(letters) - 1, 0), digit if digit is not None else 3)
    return lo, hi


def _all_groups() -> tuple[str, ...]:
    out = []
    for n in _ORDER:
        out.append(n)
        for letter in _LETTERS[n]:
            out.extend([n + letter] + [n + letter + d for d in "123"])
    return tuple(out)


_GROUPS = _all_groups()


def _roman(g: str) -> str | None:
    g = g.upper()
    if g[0] in _ARABIC:
        g = _ARABIC[g[0]] + g[1:]
    return g if _GROUP.fullmatch(g) and (len(g) == 1 or g[0] != "0") else None


@functools.lru_cache(maxsize=4096)
def stage_groups(lo: str, hi: str) -> tuple[str, ...] | None:
    """The fewest groups covering exactly the range lo..hi (both ends with their subgroups)."""
    start, end = _bounds(lo)[0], _bounds(hi)[1]
    if start > end:
        return None
    inside = [g for g in _GROUPS if _bounds(g)[0] >= start and _bounds(g)[1] <= end]
    return tuple(g for g in inside if not any(_parent_of(p, g) for p in inside))


def _parent_of(p: str, g: str) -> bool:
    """"III" is a parent of "IIIA" and "IIIA1"; "II" is not a parent of "III"."""
    (pn, pl, pd), (gn, gl, gd) = _key(p), _key(g)
    return pn == gn and (p, pl, pd) != (g, gl, gd) and (pl is None or (pl == gl and pd is None and gd is not None))


def stage_node(m: re.Match, arabic_ok: bool) -> c.Stage | None:
    text = m.group("g")
    if _DIGIT.search(text) and not (arabic_ok or m.group("sys")):
        return None  # "stage 2" alone may be a study stage
    items = _STAGE_ITEMS.split(text)
    groups: list[str] = []
    for item in items:
        ends = _STAGE_ENDS.split(item)
        romans = [_roman(e.strip()) for e in ends]
        if None in romans or len(romans) > 2:
            return None
        span = stage_groups(romans[0], romans[-1]) if len(romans) == 2 else (romans[0],)
        if span is None:
            return None
        groups.extend(span)
    if m.group("up"):
        if len(groups) != 1:
            return None
        groups = list(stage_groups(groups[0], "IV"))
    return c.Stage(tuple(dict.fromkeys(groups)))


def for_cancer(clause: Clause, stage: c.Stage, codes: tuple[str, ...]) -> c.Stage | None:
    """A range's generic subgroups that the named cancer's staging has not are left out
    ("IIIB-IV NSCLC" = IIIB, IIIC, IV: IIID is melanoma's alone)."""
    tree = getattr(clause.terms.vocab, "oncotree", None)
    if tree is None:
        return stage

    def has(group: str) -> bool:
        roots = _SUBGROUP_TYPES.get(group)
        return roots is None or any(tree.is_a(x, r) or tree.is_a(r, x) for x in codes for r in roots)

    groups = tuple(g for g in stage.groups if has(g))
    return c.Stage(groups) if groups else None


def extent_node(text: str) -> c.Node | None:
    alternatives = []
    for alt in _EXTENT_ALTS.split(text.strip(" ,")):
        pieces = [p for p in _COMMA.split(alt) if p]
        if len(pieces) > 1 and not all(_JOINT_EXTENT.fullmatch(p) for p in pieces):
            alternatives.extend(pieces)  # "advanced, recurrent, or metastatic": a list of alternatives
        else:
            alternatives.append(alt)  # "unresectable, locally advanced": both hold
    options: list[c.Node] = []
    for alt in alternatives:
        words = _EXTENT_WORD.findall(alt)
        rest = _EXTENT_REST.sub("", alt)
        if rest.strip() or not words:
            return None
        atoms = tuple(c.Metastasis(extent=_EXTENT_WORDS[w]) for w in dict.fromkeys(words))
        options.append(atoms[0] if len(atoms) == 1 else c.All(atoms))
    extents = {o.extent for o in options if isinstance(o, c.Metastasis)}
    if len(options) == 2 and len(extents) == 2 and extents <= {"locally_advanced", "metastatic", "advanced"}:
        return c.Metastasis(extent="advanced")  # "locally advanced or metastatic", "advanced or metastatic"
    return options[0] if len(options) == 1 else c.Any(tuple(options))

