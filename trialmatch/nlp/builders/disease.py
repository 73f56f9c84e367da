"""The disease clause: "[histologically confirmed] [stage IIIB-IV] [locally advanced or
metastatic] [HR+/HER2-] [breast cancer]" -> All(Stage, Metastasis extent, markers, CancerType).

Readings (documented choices, issue #5):
- How a diagnosis was confirmed ("histologically or cytologically confirmed", "biopsy-proven",
  "documented", "known diagnosis of", "..., confirmed by histology") is documentation, not
  meaning: a recorded Condition of that cancer is the evidence. "Suspected" widens the
  criterion and is never read.
- Stage groups and extent words are read by builders/stages.py. "Non-metastatic" is
  Not(metastatic); "(clinically) localized" is Not(advanced) (the labels' reading).
- Words that narrow the disease but have no atom ("newly diagnosed", "progressive",
  "relapsed or refractory", "castration-resistant", "platinum-resistant", "early-stage",
  "resectable") are kept as an Unparsed remainder beside the atoms, which are necessary
  conditions: the item decides only where the remainder cannot matter. So are trailing
  qualifiers that open with "not amenable to", "harboring", "previously treated", ...
- Cancer phrases must resolve as a whole through the vocabulary (builders/cancer_names.py).
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.cancer_names import GENERIC, cancer_codes
from trialmatch.nlp.builders.markers import marker_nodes
from trialmatch.nlp.builders.variants import variant_nodes
from trialmatch.nlp.builders.patterns import has_any
from trialmatch.nlp.builders.stages import EXTENT, GA, GSEP, STAGE, extent_node, for_cancer, stage_groups, stage_node
from trialmatch.nlp.required_literals import guarded

__all__ = ["build_disease", "cancer_codes", "stage_groups"]

_HOW = (r"(?:histo-?pathologically|histologically|cytologically|pathologically|radiologically|radiographically|clinically|"
        r"histo-?pathological|histological|cytological|pathological|radiological|radiographic|histologic|cytologic|pathologic|"
        r"histo-?pathologic|morphologically|tissue|biopsy|clinical|radiologic)")
_PROVEN = r"(?:confirmed|documented|proven|proved|verified|established|diagnosed)"
# documentation words before the disease: dropped (the module docstring)
_DOC = guarded(
    r"^(?:"
    # "histological or cytological diagnosis of", "pathologic confirmation of", "a confirmed diagnosis of"
    rf"(?:(?:a|an|the) )?(?:(?:confirmed|documented|known|established|prior|previous|definitive|proven) )?"
    rf"(?:{_HOW}-?(?:(?:,? and/or|,? or|,? and|,|/) ?{_HOW}-?)* )?"
    r"(?:(?:confirmed|documented|proven|verified) )?(?:diagnosis|evidence|confirmation|proof|documentation|verification|diagnoses|presence)"
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
# the classification a diagnosis follows, after the disease ("cll or sll according to the iwcll 2018 guidelines", "(who
# criteria)"): the standard definition of the disease, documentation as "histologically confirmed" is (a recorded
# diagnosis is taken to follow it); a treatment indication ("requiring treatment per iwcll") is not this
_DIAGNOSIS_CRITERIA = re.compile(
    r",?\s*(?:(?:as )?defined by|according to|per|based on|by)\s+(?:the\s+)?(?:(?:19|20)\d\d\s+)?"
    r"(?:who|world health organi[sz]ation(?:\s+\(who\))?|iwcll|international workshop on (?:chronic lymphocytic leuka?emia|cll)"
    r"(?:\s+\(iwcll\))?|imwg|international myeloma working group(?:\s+\(imwg\))?)(?:\s+(?:19|20)\d\d)?"
    r"\s+(?:classification|criteria|guidelines?)(?:\s+for (?:hematolymphoid|haematolymphoid|lymphoid|myeloid) (?:neoplasms|tumou?rs))?$"
    r"|\s*\((?:(?:19|20)\d\d )?(?:who|iwcll|imwg)(?: (?:19|20)\d\d)? (?:criteria|classification|guidelines)\)$")
_DIAGNOSIS_CRITERIA_WORDS = ("who", "world health", "iwcll", "imwg", "myeloma working", "international workshop")
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
    r"early[- ]stage|extensive[- ]stage|limited[- ]stage|operable|inoperable|non-?operable|(?:borderline )?resectable|incurable|"
    r"(?:non-?)?muscle[- ]invasive)(?:\s*,)?\s+"
)
_EXTENT_AFTER = re.compile(r"^(?P<cancer>.+?),? (?:that is|which is|that has become|with) (?P<e>(?:metastatic|locally advanced|advanced|unresectable|"
                           r"recurrent|non-resectable|nonresectable)(?:(?:,? and/or|,? or|,? and|,|/) ?(?:metastatic|locally advanced|advanced|"
                           r"unresectable|recurrent|non-resectable|nonresectable))*)(?: disease)?$")
_NOT_EXTENT = re.compile(r"^(?:(?P<m>non-?metastatic)|(?P<l>(?:clinically )?locali[sz]ed))\s+")
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
# a metastatic cancer written as one abbreviation ("mNSCLC", "mCRC"): the extent and the cancer the rest names
# ("mBC" is left out: in some protocols it is male breast cancer)
_METASTATIC_ABBREVIATIONS = {"mnsclc": "nsclc", "mcrc": "crc"}
# a cancer with words no atom holds written as one abbreviation: (the cancer's name, marker phrase, narrowing words);
# "TNBC" is triple-negative breast cancer, read as "triple negative breast cancer" is (ER, PR and HER2 negative);
# extensive / limited stage is the VALSG staging of small cell lung cancer (no Stage group): kept unparsed
_ABBREVIATED_STATES = {
    "tnbc": ("breast cancer", "triple negative", None),
    "es-sclc": ("sclc", None, "extensive-stage"),
    "ls-sclc": ("sclc", None, "limited-stage"),
}
# a trailing qualifier of the whole disease phrase (the head stays a necessary condition)
_TAIL_WORDS = (
    r"(?:not (?:amenable|a candidate|candidates|eligible|suitable|curable|potentially curable)|amenable|"
    r"harbou?ring|carrying|bearing|previously (?:treated|untreated)|refractory to|resistant to|progressing|progressed|"
    r"whose|ineligible for|unsuitable for|undergoing|receiving|located|involving|arising|originating|with)\b"
)
_TAIL_STARTS = guarded(r"(?:,\s*|\s+)(?=" + _TAIL_WORDS + ")")
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
_SUSPECTED = guarded(r"\bsuspect|\bpossible\b|\bprobable\b|\bsuspicio")
_ONE_OR = re.compile(r",? (?:or|and/or) ")
_ARTICLE = re.compile(r"^(?:a|an|the)\s+")
_STAGE_LEAD = re.compile(STAGE.pattern + r"(?:\s*\((?:ajcc|american joint)[^()]*\))?(?:,?\s+|$)")
_EARLY_STAGE = re.compile(rf"early[- ]stages? \((?P<g>{GA}(?:{GSEP}{GA})*)\)\s+")
_BRACKETED_STAGE = re.compile(r"\((?:ajcc |american joint committee on cancer )?stage (?P<g>[^()]+)\)\s+")
_SUBJECT_END = re.compile(r"\s+(?:patients|participants|subjects|diagnosis)$")
_STAGE_TAIL = re.compile(r"(?:,\s*|\s+|\s*\()" + STAGE.pattern + r"\)?(?:\s*\((?:ajcc|american joint)[^()]*\))?$")
_GENE_END = re.compile(r"[-/+]")
_SOLID_CANCER = re.compile(r"^((?:advanced |malignant )?solid tumou?rs?) (?:cancers?|malignanc(?:y|ies))$")
# the staging system named after the cancer of a stage read before it ("stage iv mnsclc (based on the american joint
# committee on cancer edition 8)"): documentation of the stage, as the aside right after the stage (_STAGE_LEAD)
_AJCC_ASIDE = re.compile(r"\s*\((?:based on |per |according to |using )?(?:the )?(?:ajcc|american joint committee on cancer)[^()]*\)$")
_SLASHED_ABBREVIATION = re.compile(r"\s*\(([a-z][a-z0-9-]{1,9})\)(?=/)")
# words without which an expression cannot match (each is a literal every match contains)
_SUBJECT_END_WORDS = ("patients", "participants", "subjects", "diagnosis")
_DOC_AFTER_WORDS = ("confirmed", "documented", "proven", "proved", "verified", "established", "diagnosed")  # _PROVEN
_ANY_STAGE_WORDS = ("stage", "histolog", "subtype")
_EXTENT_AFTER_WORDS = ("that is", "which is", "that has become", "with ")



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
    if " or " not in clause.text and "/or " not in clause.text:
        return None  # every match of _ONE_OR holds one of them: no split, one piece
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
            stage = stage_node(m, arabic_ok=bool(t[m.end():].strip()))
            if stage is None:
                return None
            parts.append(stage)
            t = t[m.end():]
        m = EXTENT.match(t)
        if m:
            node = extent_node(m.group("e"))
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
            stage = STAGE.fullmatch("stage " + m.group("g"))
            node = stage_node(stage, arabic_ok=True) if stage else None
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
            stage = STAGE.fullmatch("stage " + m.group("g"))
            node = stage_node(stage, arabic_ok=True) if stage else None
            if node is None:
                return None
            parts.append(node)
            t = t[m.end():]
        if t == before:
            break
    # each expression below runs only when the words it requires are there (a search fails anyway
    # without them; most phrases tried have none)
    if ("ajcc" in t or "american joint" in t) and any(isinstance(p, c.Stage) for p in parts):
        t = _AJCC_ASIDE.sub("", t)
    if has_any(t, _SUBJECT_END_WORDS):
        t = _SUBJECT_END.sub("", t)
    if has_any(t, _DOC_AFTER_WORDS):
        t = _DOC_AFTER.sub("", t)
    if has_any(t, _DIAGNOSIS_CRITERIA_WORDS):
        t = _DIAGNOSIS_CRITERIA.sub("", t)
    if "squamous" in t:
        t = _ALL_HISTOLOGIES.sub("", t)
    if has_any(t, _ANY_STAGE_WORDS):
        t = _ANY_STAGE.sub("", t)
    t = t.strip(" ,")
    trailing: list[c.Node] = []  # "endometrial cancer that is recurrent or metastatic": after the cancer
    after = _EXTENT_AFTER.match(t) if has_any(t, _EXTENT_AFTER_WORDS) else None
    if after:
        extent = extent_node(after.group("e"))
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
        stage = stage_node(tail, arabic_ok=True)
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
        parts = [for_cancer(clause, p, cancers[0].codes) if isinstance(p, c.Stage) else p for p in parts]
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
    r"germline|somatic|microsatellite|mismatch|high|deficient|proficient|brca|brca1/2|ntrk|known|documented|confirmed|"
    # gene groups and negated statuses the GENE lexicon does not name as one word: "ras-mutated nsclc",
    # "non-msi-h crc"
    r"ras|non-msi|non-dmmr|non-mmr|non-microsatellite)\b"
)


def _may_start_markers(clause: Clause, word: str) -> bool:
    if _MARKER_START.match(word):
        return True
    gene = _GENE_END.split(word, maxsplit=1)[0]
    return clause.terms.key("GENE", gene) is not None


def _markers_and_cancer(clause: Clause, t: str, markers: bool, narrowing: list[str]) -> list[c.Node] | None:
    """Marker or variant words, then a cancer phrase (or a generic word like "disease")."""
    if GENERIC.match(t):
        return []
    if "solid" in t:
        t = _SOLID_CANCER.sub(r"\1", t)  # "solid tumor cancer"
    # "myelodysplastic syndrome (mds)/acute myeloid leukemia": an abbreviation naming a cancer itself
    if ")/" in t:
        t = _SLASHED_ABBREVIATION.sub(lambda m: "" if clause.terms.cancer(m.group(1)) else m.group(0), t)
    codes = cancer_codes(clause, t)
    if codes:
        return [c.CancerType(codes)]
    if t.startswith("primary ") and not GENERIC.match(t[8:]):
        # "primary breast cancer" (a name that is no entity of its own, as "primary myelofibrosis" is): the cancer,
        # "primary" kept unparsed beside it (it may mean the primary tumour, or, in European usage, early disease)
        codes = cancer_codes(clause, t[8:])
        if codes:
            narrowing.append("primary")
            return [c.CancerType(codes)]
    state = _PROSTATE_STATES.get(t)
    if state is not None:
        extent, words = state
        narrowing.append(words)
        return [c.CancerType(("PROSTATE",))] + ([extent] if extent is not None else [])
    abbreviated = _ABBREVIATED_STATES.get(t)
    if abbreviated is not None:
        name, marker_words, words = abbreviated
        codes = clause.terms.cancer(name)
        found = marker_nodes(marker_words) if marker_words else []
        if not codes or found is None:
            return None
        if words:
            narrowing.append(words)
        return found + [c.CancerType(codes)]
    named = _METASTATIC_ABBREVIATIONS.get(t)
    if named is not None:
        codes = clause.terms.cancer(named)
        return [c.CancerType(codes), c.Metastasis(extent="metastatic")] if codes else None
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
        if GENERIC.match(right):
            return nodes
        rest = _disease(clause, right, markers=False)
        if rest is not None:
            return nodes + list(_flat(rest))
    return None


