"""Genomic variants read from a phrase: "[germline|somatic] GENE[, GENE or GENE] alteration
[or alteration]" ("egfr exon 19 deletion or l858r mutation", "brca1, brca2, or palb2
mutation", "krasg12c", "l-myc or n-myc amplification").

Readings (documented choices):
- Gene symbols are HGNC (lexicon/genes.json); a gene group names its members: "RAS" is
  KRAS, NRAS or HRAS (the three RAS genes), "BRCA" / "BRCA1/2" BRCA1 or BRCA2, "NTRK" NTRK1-3,
  and a numbered family "IDH1/2", "BRCA 1 or 2" its numbered members.
- Several genes ("KRAS, NRAS or HRAS mutation") or several alterations are alternatives
  (Any): a variant in any of them meets it. A wild-type criterion over several genes needs
  each gene wild-type (All): "RAS wild-type" is no RAS gene mutated. A list joined by "and"
  alone ("MYC and BCL2 rearrangements") could mean both: not read.
- "X" as the new residue ("G719X") is any change at the position (protein_prefix); "p." is
  HGVS notation and dropped.
- "germline or somatic" is either source.
- "exon 2 mutation", "exon21", "ex20ins": the exon (a reported variant without its exon leaves
  the criterion UNKNOWN in the matcher).
- "BRAF V600E mutation-negative", "ALK-negative" (fusion genes only), "EGFR and ALK
  mutation-negative": the variant absent in every gene named (Not(Any)); "EGFR negative"
  (expression or mutation?) is not read.
- Qualified variants ("activating", "sensitizing", "deleterious", "pathogenic") and ones that
  point outside the words ("other", "non-", "uncommon", "select") stay unparsed: the atom would
  accept variants the criterion does not (unknown significance, the common ones).
- How the variant was documented is dropped (``strip_documentation``, below).
"""

from __future__ import annotations

import functools
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.patterns import has_any
from trialmatch.nlp.required_literals import guarded

# How a status or variant was documented, said after it: the ASCO/CAP guideline that defines HER2
# and ER/PR status (Wolff et al., J Clin Oncol 2018;36:2105; Allison et al., J Clin Oncol
# 2020;38:1346), a local, certified or validated laboratory, the test method (IHC, FISH, NGS, PCR)
# and "tumor tissue or blood" (either sample) say where a result in the record comes from: the
# status or variant is the criterion. A central laboratory, a named assay or one sample type only
# ("in tumor tissue") stay unparsed beside the atom.
_DOC_VERB = r"(?:(?:as )?(?:confirmed|determined|defined|assessed|classified|tested|detected|identified|documented|scored|evaluated)\s+)?"
_GUIDELINE = (r"(?:(?:current|latest|most recent)\s+)?(?:\d{4}\s+)?(?:asco[/ -]?cap|american society of clinical oncology[/ -](?:and )?"
              r"college of american pathologists)(?:\s*\(asco[/ -]?cap\))?(?:\s+\d{4})?(?:\s+(?:guidelines?|criteria|recommendations))?(?:\s+\d{4})?")
_LAB = (r"(?:an?\s+)?(?:(?:local|institutional|certified|clia[- ]certified|clia|accredited|validated|locally validated|analytically validated"
        r"|approved|locally approved|fda[- ]approved|standard)\s+)+(?:laboratory testing|laboratory test|laboratory|lab|testing|tests?|assays?|assessment|pathology|results?)"
        r"|(?:a\s+)?local(?:\s+(?:laboratory|lab))?")
# one staining method alone narrows a status ("HER2 positive by IHC" is IHC 3+, not IHC 2+ with a
# positive ISH): only sequencing methods, or IHC and ISH offered together, are documentation
_IHC_ISH = r"(?:immunohistochemistry|ihc|fluorescence in situ hybridi[sz]ation|fish|in situ hybridi[sz]ation|ish)"
_METHOD = (rf"(?:next[- ]generation sequencing|ngs|pcr|polymerase chain reaction|sequencing|genomic profiling|molecular testing)"
           rf"(?:\s*(?:,|or|and/or)\s+(?:next[- ]generation sequencing|ngs|pcr|{_IHC_ISH}))*"
           rf"|{_IHC_ISH}(?:\s*(?:,|,? or|,? and/or)\s+{_IHC_ISH})+")
_SAMPLE = (r"(?:the\s+)?(?:tumou?r\s+)?(?:tissue|tumou?r|biopsy)(?:\s+(?:samples?|specimens?))?\s+(?:or|and/or)\s+"
           r"(?:blood|plasma|ctdna|circulating tumou?r dna|liquid biopsy)(?:\s+samples?)?")
DOC_TAIL = guarded(
    rf",?\s*\(?{_DOC_VERB}(?:(?:by|per|using|according to|in accordance with|based on|on|via|with)\s+(?:the\s+)?"
    rf"(?:{_GUIDELINE}|{_LAB}|{_METHOD})|(?:in|from|on)\s+{_SAMPLE})\)?\.?$")


# a word every documentation tail holds (a cheap test before DOC_TAIL, which is slow to fail)
_DOC_PARTS = ("asco", "american society", "lab", "local", "institution", "certif", "clia", "accredit", "validat", "approved",
              "standard", "test", "assay", "assess", "patholog", "result", "sequenc", "ngs", "pcr", "polymerase", "profiling",
              "molecular", "ihc", "immunohisto", "fish", "hybridi", "ish", "blood", "plasma", "ctdna", "circulating", "biopsy")


@functools.lru_cache(maxsize=65536)
def strip_documentation(phrase: str) -> str:
    """The phrase without how it was documented ("... by ihc or fish per asco/cap guidelines")."""
    phrase = phrase.strip()
    if not has_any(phrase, _DOC_PARTS):
        return phrase
    for _ in range(3):
        bare = DOC_TAIL.sub("", phrase).strip()
        if bare == phrase:
            break
        phrase = bare
    return phrase


_RAS = ("KRAS", "NRAS", "HRAS")
# names that stand for several genes, or multi-word gene names (longest tried first). RAS: the
# three RAS genes (HGNC gene group "RAS type GTPase family"; KRAS, NRAS, HRAS are its classical
# members named "RAS" in trial text); Kirsten rat sarcoma viral oncogene homolog is KRAS (HGNC
# previous name)
_GENE_ALIASES = {"brca1/2": ("BRCA1", "BRCA2"), "brca": ("BRCA1", "BRCA2"), "brca 1/2": ("BRCA1", "BRCA2"),
                 "brca1/brca2": ("BRCA1", "BRCA2"),
                 "ntrk": ("NTRK1", "NTRK2", "NTRK3"),
                 "ras": _RAS, "rat sarcoma viral oncogene homolog": _RAS, "rat sarcoma virus": _RAS,
                 "kirsten rat sarcoma viral oncogene homolog": ("KRAS",), "kirsten rat sarcoma": ("KRAS",),
                 "kirsten rat sarcoma virus": ("KRAS",)}
FUSION_GENES = {"ALK", "ROS1", "RET", "NTRK1", "NTRK2", "NTRK3", "NRG1", "FGFR2", "FGFR3"}
_ALTERATION = re.compile(
    r"^(?:(?P<exon>exon ?\d{1,2}|ex\d{1,2}) ?(?P<ex_kind>deletions?|del|insertions?|ins|mutations?)(?: mutations?)?"
    r"|(?:exon ?\d{1,2} )?(?:p\.)?(?P<change>[acdefghiklmnpqrstvwy]\d{1,4}[acdefghiklmnpqrstvwyx]?)(?: point)?"
    r"(?:[- ](?:mutations?|mutated|mutant|substitution|positive|mutation[- ]positive|alteration|mutation\(s\)))?"
    r"|(?P<word>mutation|mutations|mutation\(s\)|mutated|mutant|mutation-positive|mutation positive|gene mutations?|"
    r"rearrangement|rearrangements|rearranged|fusion|fusions|fusion-positive|fusion positive|gene fusions?|gene rearrangements?|"
    r"translocation|positive|amplification|amplified|gene amplification|wild[- ]?type|wt|alteration|alterations|altered|"
    r"gene alterations?))$"
)
_KNOWN = re.compile(r"^(?:a |an |the )?(?:known |documented |confirmed )")
_SOURCE = re.compile(r"^(?:(?P<both>germline (?:or|and/or) somatic|somatic (?:or|and/or) germline)|(?P<one>germline|somatic))\s+")
_ALIASES_LONGEST_FIRST = tuple(sorted(_GENE_ALIASES.items(), key=lambda kv: -len(kv[0])))
# "idh1/2", "brca 1 or 2", "ntrk1/2/3": a numbered family, each member a gene of the lexicon
_FAMILY = re.compile(r"^([a-z]+) ?(\d)((?:(?:/|,? or |,? and/or |, ) ?\d)+|-\d)(?=[- ]|$)")
# "krasg12c", "brafv600e": a gene glued to its protein change
_GLUED = re.compile(r"^([a-z][a-z0-9]{1,6}?)(p\.)?([acdefghiklmnpqrstvwy]\d{1,4}[acdefghiklmnpqrstvwyx]?)(?=[- ]|$)")
_TOKEN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)?")
_GENE_SEP = re.compile(r"^(?:,? or |,? and/or |, |/|,? and )")
# "braf v600e mutation-negative", "egfr and alk mutation-negative", "alk-negative": the variant absent
_NEGATIVE = re.compile(r"^[- ](?P<alt>(?:(?:p\.)?[acdefghiklmnpqrstvwy]\d{1,4}[acdefghiklmnpqrstvwy]?[- ])?"
                       r"(?:(?:gene )?(?:mutations?|fusions?|rearrangements?|alterations?|amplification)[- ]?)?)negative$")
_ALTERNATIVES = re.compile(r"\s*(?:,? or |,? and/or |, |/)\s*")
_REFUSED_QUALIFIERS = re.compile(r"\b(?:activating|sensitizing|sensitising|deleterious|pathogenic|likely|suspected|oncogenic|"
                                 r"actionable|driver|other|non-|uncommon|rare|specific|select)\b")


def variant_nodes(clause: Clause, phrase: str) -> list[c.Node] | None:
    """Atoms for "[germline|somatic] GENE alteration [or alteration]" phrases, else None.
    The alternatives (genes x alterations) are one list entry, an Any."""
    found = clause.terms.remembered(("variant", phrase), lambda: _variant_atoms(clause, phrase))
    return None if found is None else list(found)


def _variant_atoms(clause: Clause, phrase: str) -> tuple[c.Node, ...] | None:
    found = _variant_nodes(clause, phrase)
    return None if found is None else tuple(found)


# the last word of every phrase read: an alteration (_ALTERATION) or its absence (_NEGATIVE); a cheap
# test before the gene list is looked up
_ENDS_ALTERATION = re.compile(r"(?:mutations?|mutation\(s\)|mutated|mutant|positive|negative|fusions?|rearrange\w*|"
                              r"translocation|amplif\w*|type|wt|alter\w*|del|deletions?|ins|insertions?|substitution|"
                              r"[a-z]\d{1,4}[a-z]?)$")


def _ends_with_alteration(phrase: str) -> bool:
    """_ENDS_ALTERATION on the last word only (a search for "...$" tries every position)."""
    return _ENDS_ALTERATION.search(phrase[phrase.rfind(" ") + 1:]) is not None


def _variant_nodes(clause: Clause, phrase: str) -> list[c.Node] | None:
    phrase = strip_documentation(phrase)
    if not _ends_with_alteration(phrase):
        return None
    if _REFUSED_QUALIFIERS.search(phrase):
        return None
    source = "any"
    phrase = _KNOWN.sub("", phrase)
    m = _SOURCE.match(phrase)
    if m:
        source, phrase = (m.group("one") or "any"), phrase[m.end():]
    found = _gene_list(clause, phrase)
    if found is None:
        return None
    genes, phrase, joined_by_and = found
    if not phrase.startswith((" ", "-")):
        return None
    neg = _NEGATIVE.match(phrase)
    if neg:  # absent: no gene of the list carries it ("egfr and alk negative": neither)
        alt = neg.group("alt").strip(" -") or ("fusion" if all(g in FUSION_GENES for g in genes) else "")
        am = _ALTERATION.match(alt) if alt else None
        atoms = [_variant(gene, am, source) for gene in genes] if am else [None]
        if None in atoms:
            return None
        atoms = list(dict.fromkeys(atoms))
        return [c.Not(atoms[0] if len(atoms) == 1 else c.Any(tuple(atoms)))]
    if joined_by_and:
        return None  # "myc and bcl2 rearrangements": both, or either?
    alterations = [_ALTERATION.match(alt.strip()) for alt in _ALTERNATIVES.split(phrase[1:])]
    if not all(alterations):
        return None
    wild = [bool(am.group("word") and _is_wild(am.group("word"))) for am in alterations]
    if any(wild) and not all(wild):
        return None  # "wild-type or mutated": no requirement
    if all(wild):
        atoms = [c.Variant(gene, wild_type=True, source=source) for gene in dict.fromkeys(genes)]
        return [atoms[0] if len(atoms) == 1 else c.All(tuple(atoms))]
    atoms = []
    for am in alterations:
        for gene in genes:
            atom = _variant(gene, am, source)
            if atom is None:
                return None
            atoms.append(atom)
    atoms = list(dict.fromkeys(atoms))
    return [atoms[0] if len(atoms) == 1 else c.Any(tuple(atoms))]


def _gene_list(clause: Clause, phrase: str) -> tuple[tuple[str, ...], str, bool] | None:
    """The genes a phrase opens with ("kras, nras or hras", "brca1/2", "l-myc or n-myc"), the
    rest of the phrase, and whether "and" joined two of them; or None."""
    genes: list[str] = []
    rest = phrase
    joined_by_and = False
    while True:
        found = _gene_at(clause, rest)
        if found is None:
            return None
        names, rest = found
        genes.extend(names)
        sep = _GENE_SEP.match(rest)
        if sep is None or _gene_at(clause, rest[sep.end():]) is None:
            return tuple(dict.fromkeys(genes)), rest, joined_by_and
        joined_by_and = joined_by_and or sep.group(0).strip(" ,") == "and"
        rest = rest[sep.end():]


def _gene_at(clause: Clause, s: str) -> tuple[tuple[str, ...], str] | None:
    """The gene or genes named at the start of ``s`` and what follows them."""
    m = _FAMILY.match(s)
    if m:
        rest = m.group(3)
        digits = ([str(d) for d in range(int(m.group(2)), int(rest[1]) + 1)] if rest.startswith("-")  # "ntrk1-3"
                  else [m.group(2)] + re.findall(r"\d", rest))
        names = tuple(clause.terms.key("GENE", m.group(1) + d) for d in digits)
        if all(names):
            return names, s[m.end():]
    for alias, names in _ALIASES_LONGEST_FIRST:
        if s.startswith(alias) and (len(s) == len(alias) or s[len(alias)] in " -,/"):
            return names, s[len(alias):]
    m = _GLUED.match(s)
    if m and not clause.terms.key("GENE", m.group(0)):
        gene = clause.terms.key("GENE", m.group(1))
        if gene:  # "krasg12c" -> "kras g12c"
            return (gene,), " " + m.group(3) + s[m.end():]
    m = _TOKEN.match(s)
    if not m:
        return None
    gene = clause.terms.key("GENE", m.group(0))  # "l-myc", "c-met"
    if gene:
        return (gene,), s[m.end():]
    head = m.group(0).split("-")[0]
    gene = clause.terms.key("GENE", head) if head != m.group(0) else None
    return ((gene,), s[len(head):]) if gene else None


def _is_wild(word: str) -> bool:
    return word.startswith("wild") or word == "wt"


def _variant(gene: str, am: re.Match, source: str) -> c.Variant | None:
    if am.group("exon"):
        exon = int(re.sub(r"\D", "", am.group("exon")))
        kind = am.group("ex_kind")
        category = "deletion" if kind.startswith("del") else "mutation" if kind.startswith("mut") else "insertion"
        return c.Variant(gene, category=category, exon=exon, source=source)
    if am.group("change"):
        change = am.group("change").upper()
        if change[-1] == "X":  # "G719X": any change at G719
            return c.Variant(gene, protein_prefix=change[:-1], source=source)
        if change[-1].isdigit():
            return c.Variant(gene, protein_prefix=change, source=source)
        return c.Variant(gene, protein_change=change, source=source)
    word = am.group("word").removeprefix("gene ")
    if word.startswith(("rearrange", "fusion", "translocation")):
        return c.Variant(gene, category="fusion", source=source)
    if word == "positive":
        return c.Variant(gene, category="fusion", source=source) if gene in FUSION_GENES else None
    if word.startswith("amplif"):
        return c.Variant(gene, category="amplification", source=source)
    if word.startswith("alter"):
        return c.Variant(gene, source=source)  # any alteration of the gene
    if gene in FUSION_GENES and gene not in ("FGFR2", "FGFR3"):
        return None  # "ALK mutation" is unusual wording: ALK is mostly altered by fusion
    return c.Variant(gene, category="mutation", source=source)
