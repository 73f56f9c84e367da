"""The disease clause: "[histologically confirmed] [stage IIIB-IV] [locally advanced or
metastatic] [HR+/HER2-] [breast cancer]" -> All(Stage, Metastasis extent, markers, CancerType).

Readings (documented choices, issue #5):
- How a diagnosis was confirmed ("histologically or cytologically confirmed", "biopsy-proven",
  "documented", "known diagnosis of", "..., confirmed by histology") is documentation, not
  meaning: a recorded Condition of that cancer is the evidence. "Suspected" widens the
  criterion and is never read.
- Extent words joined by "or" / "/" / "and/or" are alternatives; adjacent or comma-joined
  words all hold ("unresectable locally advanced or metastatic" = (unresectable and locally
  advanced) or metastatic). "Non-metastatic" is Not(metastatic); "(clinically) localized" is
  Not(advanced) (the labels' reading).
- Words that narrow the disease but have no atom ("newly diagnosed", "progressive",
  "relapsed or refractory", "castration-resistant", "platinum-resistant", "early-stage",
  "resectable") are kept as an Unparsed remainder beside the atoms, which are necessary
  conditions: the item decides only where the remainder cannot matter. So are trailing
  qualifiers that open with "not amenable to", "harboring", "previously treated", ...
- Stage groups are AJCC/FIGO-style roman groups (arabic "2a" is read as IIA when the stage
  is tied to a named system or a disease). A range keeps exactly the groups between its ends
  ("IB-IIIA" = IB, IC, II, IIIA; never III, which would take IIIB): ``stage_groups``.
  Subgroups are a generic list (I-II: A-C, III: A-D, IV: A-C; digits 1-3), so a range never
  drops a group some system has; with a cancer named, a subgroup of another system only is left
  out ("IIIB-IV NSCLC" = IIIB, IIIC, IV; melanoma keeps IIID, ovarian cancer IC).
  An AJCC edition beside the stage ("stage II-III (AJCC 8th edition)") is documentation.
- Cancer phrases must resolve as a whole through the vocabulary; a list sharing its head noun
  ("breast, prostate, or lung cancer", "adenocarcinoma of the stomach or gastroesophageal
  junction") is the union of its members, each resolving on its own.
"""

from __future__ import annotations

import functools
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.markers import marker_nodes, variant_nodes
from trialmatch.nlp.builders.patterns import has_any

_HOW = (r"(?:histo-?pathologically|histologically|cytologically|pathologically|radiologically|radiographically|clinically|"
        r"histo-?pathological|histological|cytological|pathological|radiological|radiographic|histologic|cytologic|pathologic|"
        r"histo-?pathologic|morphologically|tissue|biopsy)")
_PROVEN = r"(?:confirmed|documented|proven|proved|verified|established|diagnosed)"
# documentation words before the disease: dropped (the module docstring)
_DOC = re.compile(
    r"^(?:"
    # "histological or cytological diagnosis of", "pathologic confirmation of", "a confirmed diagnosis of"
    rf"(?:(?:a|an|the) )?(?:(?:confirmed|documented|known|established|prior|previous|definitive|proven) )?"
    rf"(?:{_HOW}-?(?:(?:,? and/or|,? or|,? and|,|/) ?{_HOW}-?)* )?"
    r"(?:(?:confirmed|documented|proven|verified) )?(?:diagnosis|evidence|confirmation|proof|documentation|verification|diagnoses)"
    r"(?: (?:and/or|or) (?:confirmation|documentation))?(?: of| with)"
    # "histologically or cytologically confirmed", "histologically- and/or cytologically-documented", "biopsy proven"
    rf"|(?:{_HOW}-?(?:(?:,? and/or|,? or|,? and|,|/) ?)?)+ ?{_PROVEN}(?:(?: and|,)? (?:confirmed|documented))?"
    # "confirmed", "documented confirmed", "known"
    r"|(?:confirmed|documented|proven|verified|known|established)(?: and documented| and confirmed)?"
    r"|diagnosed with|diagnosed as having|diagnosis:"
    r")(?:\s*,)?\s+"
)
# documentation after the disease: ", confirmed by histology or cytology", "proven by histopathology"
_DOC_AFTER = re.compile(
    rf",? (?:as )?(?:{_PROVEN}|(?:histologically|cytologically|pathologically) (?:confirmed|proven)) (?:by|on|via|through|with) "
    r"(?:(?:local |central )?(?:histology|cytology|pathology|histopathology|biopsy|tissue biopsy|tissue|core biopsy|"
    r"histological or cytological (?:examination|evaluation|assessment)|pathological (?:examination|evaluation|assessment|tissue analysis))"
    r"(?:(?:,? and/or|,? or|,? and) )?)+$"
    r"|\s*\((?:histologically|cytologically|pathologically)(?: (?:or|and/or|and) (?:histologically|cytologically))? (?:confirmed|proven|documented)\)$"
)
# "squamous or non-squamous nsclc", "nsclc (squamous or nonsquamous)": every histology of the cancer
_ALL_HISTOLOGIES = re.compile(r"^(?:squamous (?:or|and/or|and) non-?squamous|non-?squamous (?:or|and/or|and) squamous)(?: cell)? "
                              r"|\s*\((?:squamous (?:or|and/or|and) non-?squamous|non-?squamous (?:or|and/or|and) squamous)(?: histology)?\)$")
_ANY_STAGE = re.compile(r"\s*(?:\((?:any|all) (?:stages?|histolog(?:y|ies)|subtypes?)\)|,? (?:of )?(?:any|all) (?:stages?|histolog(?:y|ies)|subtypes?))$")
# words narrowing the disease that no atom holds: kept unparsed beside the atoms
_NARROW = re.compile(
    r"^(?P<w>newly[- ]diagnosed|new|previously[- ]untreated|untreated|treatment[- ]na[iï]ve|therapy[- ]na[iï]ve|"
    r"chemotherapy[- ]na[iï]ve|de novo|progressive|progressing|persistent|active|current|"
    r"(?:relapsed|recurrent|refractory)(?: ?(?:,? or|,? and/or|,? and|/) ?(?:relapsed|refractory|recurrent|progressive|persistent))+|"
    r"relapsed|refractory|r/r|"
    r"castrat(?:e|ion)[- ](?:resistant|refractory)|(?:castrat(?:e|ion)|hormone)[- ]sensitive|"
    r"(?:primary )?platinum[- ](?:resistant|sensitive|refractory)|(?:high|intermediate|low)[- ]risk|"
    r"early[- ]stage|operable|inoperable|non-?operable|(?:borderline )?resectable|incurable|"
    r"(?:non-?)?muscle[- ]invasive)(?:\s*,)?\s+"
)
_EXTENT_AFTER = re.compile(r"^(?P<cancer>.+?),? (?:that is|which is|that has become|with) (?P<e>(?:metastatic|locally advanced|advanced|unresectable|"
                           r"recurrent|non-resectable|nonresectable)(?:(?:,? and/or|,? or|,? and|,|/) ?(?:metastatic|locally advanced|advanced|"
                           r"unresectable|recurrent|non-resectable|nonresectable))*)(?: disease)?$")
_G = r"(?:0|iv|i{1,3})(?:[a-d][1-3]?)?"
_GA = r"(?:0|iv|i{1,3}|[1-4])(?:[a-d][1-3]?)?"  # with arabic numerals
_GSEP = r"(?: ?- ?| to |, ?|,? or |,? and |,? and/or |/| through )"
_SYSTEM = r"(?:ajcc |clinical |pathologic(?:al)? |tnm |figo |anatomic |ann arbor |overall )"
_STAGE = re.compile(
    rf"(?P<sys>{_SYSTEM}(?:\(ajcc\) )?)?stages? (?P<g>{_GA}(?:{_GSEP}(?:stage )?{_GA})*)(?P<up>,? or (?:higher|greater|above)|,? and (?:higher|above))?"
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
_EXTENT = re.compile(
    r"^(?P<e>(?:(?:metastatic|locally advanced|advanced|unresectable|non-resectable|nonresectable|recurrent)"
    r"(?:\s*,?\s*(?:or|and/or|and)\s+|\s*/\s*|\s*,\s*|\s+))+)"
)
_NOT_EXTENT = re.compile(r"^(?:(?P<m>non-?metastatic)|(?P<l>(?:clinically )?locali[sz]ed))\s+")
_GENERIC = re.compile(r"^(?:disease|cancer|carcinoma|tumou?rs?|malignancy|malignancies|neoplasm|cancers|disease status)?$")
# histology words around a cancer phrase: "non-squamous NSCLC" = NSCLC, not squamous (labels' convention)
_NOT_SQUAMOUS = re.compile(r"^(?:non-?squamous|non squamous)(?: cell)?,? ")
_NO_SMALL_CELL = re.compile(r" (?:without|with no) (?:any )?(?:small[- ]cell|neuroendocrine) (?:features|histology|component|differentiation)s?$")
# prostate cancer states written as one abbreviation: the state stays unparsed (labels: "mCRPC")
_PROSTATE_STATES = {
    "mcrpc": (c.Metastasis(extent="metastatic"), "castration-resistant"),
    "crpc": (None, "castration-resistant"),
    "mcspc": (c.Metastasis(extent="metastatic"), "castration-sensitive"),
    "mhspc": (c.Metastasis(extent="metastatic"), "hormone-sensitive"),
    "nmcrpc": (c.Not(c.Metastasis(extent="metastatic")), "castration-resistant"),
}
# a trailing qualifier of the whole disease phrase (the head stays a necessary condition)
_TAIL_WORDS = (
    r"(?:not (?:amenable|a candidate|candidates|eligible|suitable|curable|potentially curable)|amenable|"
    r"harbou?ring|carrying|bearing|previously (?:treated|untreated)|refractory to|resistant to|progressing|progressed|"
    r"whose|ineligible for|unsuitable for|undergoing|receiving|located|involving|arising|originating|with)\b"
)
_TAIL_STARTS = re.compile(r"(?:,\s*|\s+)(?=" + _TAIL_WORDS + ")")
_TAIL_WHOLE = re.compile(_TAIL_WORDS + r"\s+\S")  # "x, not suitable": a tail cut short by the clause parser is not read
# an alternative to the head inside the tail ("X, not suitable for Y or metastatic X"): the head is not necessary
_ALTERNATIVE = re.compile(
    r",\s*(?:or|and/or)\b|;|\b(?:or|and/or) (?:has|have|had|is|are|was|were|current|currently|patients?|participants?|with)\b"
    r"|\b(?:or|and/or) (?:\S+ ){0,4}?(?:metastatic|locally|advanced|unresectable|recurrent|stage|squamous|non-?squamous|"
    r"cancers?|carcinomas?|tumou?rs?|malignan\w*|disease|nsclc|sclc|crpc|mcrpc|lymphomas?|leuka?emias?|sarcomas?|melanomas?)\b"
)
# tail words the clause parser's qualifier pattern cuts at itself: read here only when the atoms carry the tail
_ATOM_TAILS = ("with ",)
_SUGGESTIVE = re.compile(r",? (?:or|and/or) (?P<rest>(?:with )?(?:features|findings) (?:suggestive|consistent with) .+)$")
_CARRIES = re.compile(r"^(?:with|harbou?ring|carrying|bearing)(?: (?:a|an|the))?(?: (?:known|documented|confirmed))? (?P<m>.+)$")

# The expressions below are compiled once here, not looked up at each call (the parser tries the
# disease reading on most sub-texts of most items: it is the parser's hottest code).
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
_SUSPECTED = re.compile(r"\bsuspect|\bpossible\b|\bprobable\b|\bsuspicio")
_ONE_OR = re.compile(r",? (?:or|and/or) ")
_ARTICLE = re.compile(r"^(?:a|an|the)\s+")
_STAGE_LEAD = re.compile(_STAGE.pattern + r"(?:\s*\((?:ajcc|american joint)[^()]*\))?(?:,?\s+|$)")
_EARLY_STAGE = re.compile(rf"early[- ]stages? \((?P<g>{_GA}(?:{_GSEP}{_GA})*)\)\s+")
_BRACKETED_STAGE = re.compile(r"\((?:ajcc |american joint committee on cancer )?stage (?P<g>[^()]+)\)\s+")
_SUBJECT_END = re.compile(r"\s+(?:patients|participants|subjects|diagnosis)$")
_STAGE_TAIL = re.compile(r"(?:,\s*|\s+|\s*\()" + _STAGE.pattern + r"\)?(?:\s*\((?:ajcc|american joint)[^()]*\))?$")
_GENE_END = re.compile(r"[-/+]")
_SOLID_CANCER = re.compile(r"^((?:advanced |malignant )?solid tumou?rs?) (?:cancers?|malignanc(?:y|ies))$")
_SLASHED_ABBREVIATION = re.compile(r"\s*\(([a-z][a-z0-9-]{1,9})\)(?=/)")
_SLASH = re.compile(r"\s*/\s*")
# words without which an expression cannot match (each is a literal every match contains)
_SUBJECT_END_WORDS = ("patients", "participants", "subjects", "diagnosis")
_DOC_AFTER_WORDS = ("confirmed", "documented", "proven", "proved", "verified", "established", "diagnosed")  # _PROVEN
_ANY_STAGE_WORDS = ("stage", "histolog", "subtype")
_EXTENT_AFTER_WORDS = ("that is", "which is", "that has become", "with ")


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


def _stage_node(m: re.Match, arabic_ok: bool) -> c.Stage | None:
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


def _for_cancer(clause: Clause, stage: c.Stage, codes: tuple[str, ...]) -> c.Stage | None:
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


def _extent_node(text: str) -> c.Node | None:
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


def build_disease(clause: Clause) -> c.Node | None:
    if _SUSPECTED.search(clause.text):
        return None  # "known or suspected X" widens X
    node = _disease(clause, clause.text, markers=True) or _shared_cancer(clause)
    if node is not None:
        return node
    m = _SUGGESTIVE.search(clause.text) if "suggestive" in clause.text or "consistent with" in clause.text else None
    if m:  # "mds/aml or with features suggestive of mds/aml": the cancer, or what no atom holds
        node = _disease(clause, clause.text[:m.start()], markers=True)
        if node is not None:
            return c.Any((node, c.Unparsed(m.group("rest"))))
    # "X not amenable to curative therapy", "X harboring an activating mutation": X, then the rest unparsed
    for m in reversed(list(_TAIL_STARTS.finditer(clause.text))):
        head, rest = clause.text[:m.start()], clause.text[m.end():]
        if not _TAIL_WHOLE.match(rest):
            continue
        if _ALTERNATIVE.search(rest):
            return None  # an alternative to the head: the head is not necessary
        node = _disease(clause, head, markers=True)
        if node is None:
            continue
        if not any(isinstance(n, c.CancerType) for n in _flat(node)):
            return None
        carried = _CARRIES.match(rest)
        if carried:  # "nsclc harboring a kras g12c mutation": the variant or marker is an atom
            found = marker_nodes(carried.group("m")) or variant_nodes(clause, carried.group("m"))
            if found:
                return c.All(_flat(node) + tuple(found))
        if rest.startswith(_ATOM_TAILS):
            return None  # left to the clause parser's qualifier pattern
        return c.All(_flat(node) + (c.Unparsed(rest),))
    return None


_GENERIC_END = re.compile(r"\b(?:disease|cancers?|carcinomas?|tumou?rs?|malignanc(?:y|ies)|neoplasms?)$")


def _shared_cancer(clause: Clause) -> c.Node | None:
    """"stage iv or unresectable stage iii melanoma", "msi-h or mmr-deficient pancreatic cancer":
    the cancer named last is the cancer of both alternatives (never split into an alternative
    without it). One "or" only; the left side names no cancer, the right side does."""
    pieces = _ONE_OR.split(clause.text)
    if len(pieces) != 2 or _GENERIC_END.search(pieces[0]):
        return None  # "stage iv cancer or metastatic breast cancer": the left names its own (any) cancer
    left = _disease(clause, pieces[0], markers=True)
    right = _disease(clause, pieces[1], markers=True) if left is not None else None
    if left is None or right is None:
        return None
    left_items, right_items = _flat(left), _flat(right)
    cancers = [n for n in right_items if isinstance(n, c.CancerType)]
    if len(cancers) != 1 or any(isinstance(n, (c.CancerType, c.Unparsed)) for n in left_items):
        return None
    rest = tuple(n for n in right_items if n is not cancers[0])
    if not rest:
        return None
    side = (lambda items: items[0] if len(items) == 1 else c.All(items))
    return c.All((cancers[0], c.Any((side(left_items), side(rest)))))


def _flat(node: c.Node) -> tuple[c.Node, ...]:
    return node.items if isinstance(node, c.All) else (node,)


def _disease(clause: Clause, t: str, markers: bool) -> c.Node | None:
    """Atoms of a whole disease phrase (leading documentation, stage, extent and narrowing
    words, markers, the cancer, trailing stage or extent), or None. Read once per phrase: it
    depends on the words and the terms only (never the section or "history of"), and the same
    phrase is tried as a whole clause, a head before a qualifier, a side of an "or"."""
    return clause.terms.remembered(("disease", t, markers), lambda: _read_disease(clause, t, markers))


def _read_disease(clause: Clause, t: str, markers: bool) -> c.Node | None:
    parts: list[c.Node] = []
    narrowing: list[str] = []
    t = t.strip(" ,")
    for _ in range(8):
        before = t
        m = _DOC.match(t)
        if m:
            t = _ARTICLE.sub("", t[m.end():])
        m = _STAGE_LEAD.match(t)
        if m:
            stage = _stage_node(m, arabic_ok=bool(t[m.end():].strip()))
            if stage is None:
                return None
            parts.append(stage)
            t = t[m.end():]
        m = _EXTENT.match(t)
        if m:
            node = _extent_node(m.group("e"))
            if node is None:
                return None
            parts.append(node)
            t = t[m.end():]
        m = _NOT_EXTENT.match(t)
        if m:
            parts.append(c.Not(c.Metastasis(extent="metastatic" if m.group("m") else "advanced")))
            t = t[m.end():]
        m = _EARLY_STAGE.match(t)
        if m:  # "early stage (ib-iiia) nsclc": the groups say what early means
            stage = _STAGE.fullmatch("stage " + m.group("g"))
            node = _stage_node(stage, arabic_ok=True) if stage else None
            if node is None:
                return None
            parts.append(node)
            t = t[m.end():]
        m = _NARROW.match(t)
        if m:
            narrowing.append(m.group("w"))
            t = t[m.end():]
        m = _BRACKETED_STAGE.match(t)
        if m:  # "metastatic (ajcc stage iv) renal cell carcinoma"
            stage = _STAGE.fullmatch("stage " + m.group("g"))
            node = _stage_node(stage, arabic_ok=True) if stage else None
            if node is None:
                return None
            parts.append(node)
            t = t[m.end():]
        if t == before:
            break
    # each expression below runs only when the words it requires are there (a search fails anyway
    # without them; most phrases tried have none)
    if has_any(t, _SUBJECT_END_WORDS):
        t = _SUBJECT_END.sub("", t)
    if has_any(t, _DOC_AFTER_WORDS):
        t = _DOC_AFTER.sub("", t)
    if "squamous" in t:
        t = _ALL_HISTOLOGIES.sub("", t)
    if has_any(t, _ANY_STAGE_WORDS):
        t = _ANY_STAGE.sub("", t)
    t = t.strip(" ,")
    trailing: list[c.Node] = []  # "endometrial cancer that is recurrent or metastatic": after the cancer
    after = _EXTENT_AFTER.match(t) if has_any(t, _EXTENT_AFTER_WORDS) else None
    if after:
        extent = _extent_node(after.group("e"))
        if extent is None:
            return None
        trailing.append(extent)
        t = after.group("cancer")
    histology: list[c.Node] = []
    m = _NO_SMALL_CELL.search(t) if " with" in t else None
    if m:
        key = "small_cell" if "small" in m.group(0) else "neuroendocrine"
        histology.append(c.Not(c.Histology(keys=(key,))))
        t = t[:m.start()]
    # trailing stage ("nsclc stage iv", "breast cancer, stage 0-iii", "gastric cancer (stage ii-iii)")
    tail = _STAGE_TAIL.search(t) if "stage" in t else None
    if tail and t[:tail.start()].strip():
        stage = _stage_node(tail, arabic_ok=True)
        if stage is None:
            return None
        parts.append(stage)
        t = t[:tail.start()]
    t = t.strip(" ,")
    m = _NOT_SQUAMOUS.match(t)
    if m:
        t = t[m.end():]
        histology.insert(0, c.Not(c.Histology(keys=("squamous",))))
    if t:
        rest = _markers_and_cancer(clause, t, markers, narrowing)
        if rest is None:
            return None
        parts.extend(rest)
    elif not parts and not trailing:
        return None
    parts.extend(trailing)
    if histology:
        if not any(isinstance(p, c.CancerType) for p in parts):
            return None  # a histology with no cancer named: not a shape we read
        parts.extend(histology)
    cancers = [p for p in parts if isinstance(p, c.CancerType)]
    if cancers:
        parts = [_for_cancer(clause, p, cancers[0].codes) if isinstance(p, c.Stage) else p for p in parts]
        if any(p is None for p in parts):
            return None
    if narrowing:
        if not parts:
            return None  # "progressive disease", "relapsed disease": nothing but the narrowing words
        parts.append(c.Unparsed(" ".join(narrowing)))
    if not parts or all(isinstance(p, c.Unparsed) for p in parts):
        return None
    return parts[0] if len(parts) == 1 else c.All(tuple(parts))


_MARKER_START = re.compile(
    r"^(?:her2|her-2|erbb2|er|pr|pgr|hr|hormone|estrogen|oestrogen|progesterone|triple|msi|dmmr|mmr|pmmr|mss|tmb|pd-l1|pdl1|"
    r"germline|somatic|microsatellite|mismatch|high|deficient|proficient|brca|brca1/2|ntrk|known|documented|confirmed)\b"
)


def _may_start_markers(clause: Clause, word: str) -> bool:
    if _MARKER_START.match(word):
        return True
    gene = _GENE_END.split(word, maxsplit=1)[0]
    return clause.terms.key("GENE", gene) is not None


def _markers_and_cancer(clause: Clause, t: str, markers: bool, narrowing: list[str]) -> list[c.Node] | None:
    """Marker or variant words, then a cancer phrase (or a generic word like "disease")."""
    if _GENERIC.match(t):
        return []
    if "solid" in t:
        t = _SOLID_CANCER.sub(r"\1", t)  # "solid tumor cancer"
    # "myelodysplastic syndrome (mds)/acute myeloid leukemia": an abbreviation naming a cancer itself
    if ")/" in t:
        t = _SLASHED_ABBREVIATION.sub(lambda m: "" if clause.terms.cancer(m.group(1)) else m.group(0), t)
    codes = cancer_codes(clause, t)
    if codes:
        return [c.CancerType(codes)]
    state = _PROSTATE_STATES.get(t)
    if state is not None:
        extent, words = state
        narrowing.append(words)
        return [c.CancerType(("PROSTATE",))] + ([extent] if extent is not None else [])
    if not markers:
        return None
    whole = marker_nodes(t) or variant_nodes(clause, t)
    if whole:
        return whole
    words = t.split(" ")
    if not _may_start_markers(clause, words[0]):
        return None
    # try every split point: markers/variants on the left, a disease phrase on the right
    for i in range(1, min(len(words), 8)):
        left, right = " ".join(words[:i]), " ".join(words[i:])
        nodes = marker_nodes(left) or variant_nodes(clause, left)
        if not nodes:
            continue
        if _GENERIC.match(right):
            return nodes
        rest = _disease(clause, right, markers=False)
        if rest is not None:
            return nodes + list(_flat(rest))
    return None


_HEAD = re.compile(r"\s(?P<h>(?:cancers?|carcinomas?|adenocarcinomas?|tumou?rs?|malignanc(?:y|ies)|neoplasms?|sarcomas?))$")
_OF_HEAD = re.compile(r"^(?P<h>(?:\w+ )?(?:cancers?|carcinomas?|adenocarcinomas?|malignanc(?:y|ies)) of the) (?P<rest>.+)$")
_LIST_SEP = re.compile(r"\s*,\s*(?:or\s+|and/or\s+|and\s+)?|\s+(?:or|and/or|and)\s+")
# a list member that is a histology only: the head noun after the list would make it another cancer
_HISTOLOGY_ONLY = re.compile(
    r"(?:(?:(?:small|large|clear|squamous|basal|transitional|signet[- ]ring|spindle|non-?small)[- ]cell|squamous|non-?squamous|"
    r"adenosquamous|mucinous|serous|papillary|medullary|ductal|lobular|neuroendocrine|endometrioid|anaplastic|sarcomatoid|"
    r"undifferentiated|(?:poorly|well)[- ]differentiated|carcinoid|(?:non-?)?invasive|in situ|high[- ]grade|low[- ]grade)\s*)+"
)


def cancer_codes(clause: Clause, t: str) -> tuple[str, ...] | None:
    """OncoTree codes of a cancer phrase or of a list of cancers sharing a head noun."""
    codes = clause.terms.cancer(t)
    if codes:
        return codes
    if not _LIST_SEP.search(t) and "/" not in t:
        return None
    of = _OF_HEAD.match(t)
    head_after = _HEAD.search(t)
    parts = _LIST_SEP.split(of.group("rest") if of else t)
    if not all(parts) or (len(parts) < 2 and "/" not in t):
        return None
    with_and = " and " in t and " and/or " not in t
    found: list[str] = []
    seen: list[str] = []
    for i, part in enumerate(parts):
        got = None
        if of:
            got = clause.terms.cancer(f"{of.group('h')} {part}")
        else:
            if head_after and i < len(parts) - 1:
                if _HISTOLOGY_ONLY.fullmatch(part):
                    return None  # "small cell or neuroendocrine prostate cancer": "small cell cancer" is not the prostate's
                got = clause.terms.cancer(f"{part} {head_after.group('h')}")
            if got is None:
                if with_and and i < len(parts) - 1:
                    return None  # "A and B" naming two cancers: both, or either? only "breast, lung and colorectal cancer"
                got = None if _GENERIC.match(part) else clause.terms.cancer(part)
        if not got and "/" in part:  # "myelodysplastic syndrome/acute myeloid leukemia", each side a cancer
            sides = [clause.terms.cancer(x) for x in _SLASH.split(part)]
            got = tuple(x for side in sides for x in side) if all(sides) else None
        if not got or part in seen:
            return None  # "gastric cancer or gastric cancer in a family member": a repeat is told apart by words not read
        seen.append(part)
        found.extend(got)
    return _without_descendants(clause, tuple(dict.fromkeys(found)))


def _without_descendants(clause: Clause, codes: tuple[str, ...]) -> tuple[str, ...]:
    tree = getattr(clause.terms.vocab, "oncotree", None)
    if tree is None:
        return codes
    return tuple(x for x in codes if not any(y != x and tree.is_a(x, y) for y in codes))
