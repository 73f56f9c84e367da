"""Tumour markers (HER2, ER/PR, hormone receptor, triple negative, PD-L1 TPS/CPS, MSI/MMR,
TMB) and genomic variants (EGFR exon 19 deletion, L858R, KRAS G12C, BRAF V600E, ALK/ROS1
fusions, BRCA1/2), read from a phrase such as "hr+/her2-" or "egfr exon 19 deletion or
l858r mutation".

Conservative readings (documented choices):
- "HR-positive", "ER and/or PR positive", "ER/PR-positive": ER positive or PR positive.
- "HR-negative": ER negative and PR negative; "triple negative": ER, PR and HER2 negative.
- PD-L1 thresholds are structured only with a named scale (TPS, CPS; "TC" = TPS): a bare
  "PD-L1 >= 1%" stays unparsed, the scales are not interchangeable.
- Qualified variants ("activating", "sensitizing", "deleterious", "pathogenic") stay
  unparsed: the atom would also accept variants of unknown significance.
"""

from __future__ import annotations

import functools
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.patterns import CMP, NUM, number

_POS = r"(?:positive|\+|pos|overexpressing|overexpression)"
_NEG = r"(?:negative|-|neg)"
_SEP = re.compile(r"\s*(?:,? and/or |,? and |/|, | with )\s*")

def _status_atoms() -> tuple[tuple[re.Pattern, c.Node], ...]:
    er_pos, pr_pos = c.Biomarker("ER", ("positive",)), c.Biomarker("PR", ("positive",))
    er_neg, pr_neg = c.Biomarker("ER", ("negative",)), c.Biomarker("PR", ("negative",))
    her2_neg = c.Biomarker("HER2", ("negative",))
    msi_h, dmmr = c.Biomarker("MSI", ("high",)), c.Biomarker("MMR", ("deficient",))
    table = [
        (r"(?:her2|her-2|her 2|erbb2)[- ]?" + _POS, c.Biomarker("HER2", ("positive",))),
        (r"(?:her2|her-2|her 2|erbb2)[- ]?" + _NEG, her2_neg),
        (r"(?:her2|her-2|her 2|erbb2)[- ]?low", c.Biomarker("HER2", ("low",))),
        (r"(?:er|estrogen receptor|oestrogen receptor)[- ]?" + _POS, er_pos),
        (r"(?:er|estrogen receptor|oestrogen receptor)[- ]?" + _NEG, er_neg),
        (r"(?:pr|pgr|progesterone receptor)[- ]?" + _POS, pr_pos),
        (r"(?:pr|pgr|progesterone receptor)[- ]?" + _NEG, pr_neg),
        (r"(?:hr|hormone receptor|hormone-receptor|er and/or pr|er/pr|er or pr|er\+ and/or pr\+|er\+/pr\+|er\+ or pr\+)[- ]?" + _POS + "?",
         c.Any((er_pos, pr_pos))),
        (r"(?:hr|hormone receptor|hormone-receptor)[- ]?" + _NEG, c.All((er_neg, pr_neg))),
        (r"triple[- ]negative", c.All((er_neg, pr_neg, her2_neg))),
        (r"msi-?h|msi-high|microsatellite instability[- ]high|high microsatellite instability|high msi|microsatellite[- ]unstable", msi_h),
        (r"dmmr|mmr-?d|mismatch repair[- ]deficient|mismatch repair deficiency|deficient mismatch repair|mmr[- ]deficient", dmmr),
        (r"msi-?h/dmmr|msi-?h or dmmr|dmmr/msi-?h|dmmr or msi-?h|msi-?h and/or dmmr|dmmr and/or msi-?h", c.Any((msi_h, dmmr))),
        (r"mss|microsatellite[- ]stable", c.Biomarker("MSI", ("stable",))),
        (r"pmmr|mismatch repair[- ]proficient|proficient mismatch repair", c.Biomarker("MMR", ("proficient",))),
        (r"tmb-?h|tmb-high|high tmb|high tumou?r mutational burden|tumou?r mutational burden[- ]high", c.Biomarker("TMB", ("high",))),
    ]
    return tuple((re.compile(p), node) for p, node in table)


_STATUS = _status_atoms()
# the table as one expression, its rows as numbered alternatives in order: the first row that matches
# the whole phrase wins, as when they were tried one by one (one scan instead of 16)
_STATUS_ANY = re.compile("|".join(f"(?P<s{i}>{rx.pattern})" for i, (rx, _node) in enumerate(_STATUS)))
_PDL1 = re.compile(
    rf"^(?:pd-l1|pdl1)(?: expression| protein expression)?(?: by ihc)?(?: with| of| as)?(?: a)? ?"
    rf"(?P<scale>tps|tumou?r proportion score|cps|combined positive score|tc|tumou?r cells?)(?: score| expression)?(?: of)? ?{CMP} ?{NUM} ?%?$"
    rf"|^(?:pd-l1|pdl1)(?: expression)?(?: of)? ?{CMP} ?{NUM} ?%? ?(?:by |as |\(|on |using )?(?P<scale2>tps|cps|tumou?r proportion score|combined positive score)\)?$"
)

_GENE_ALIASES = {"brca1/2": ("BRCA1", "BRCA2"), "brca": ("BRCA1", "BRCA2"), "brca 1/2": ("BRCA1", "BRCA2"),
                 "brca1/brca2": ("BRCA1", "BRCA2"), "brca1 or brca2": ("BRCA1", "BRCA2"), "brca1 and/or brca2": ("BRCA1", "BRCA2"),
                 "ntrk": ("NTRK1", "NTRK2", "NTRK3"), "ntrk1/2/3": ("NTRK1", "NTRK2", "NTRK3")}
_FUSION_GENES = {"ALK", "ROS1", "RET", "NTRK1", "NTRK2", "NTRK3", "NRG1", "FGFR2", "FGFR3"}
_ALTERATION = re.compile(
    r"^(?:(?P<exon>exon \d{1,2}) (?P<ex_kind>deletions?|del|insertions?|ins)(?: mutations?)?"
    r"|(?:exon \d{1,2} )?(?P<change>[acdefghiklmnpqrstvwy]\d{1,4}[acdefghiklmnpqrstvwy]?)(?: point)?(?:[- ](?:mutation|mutations|mutated|mutant|substitution|positive))?"
    r"|(?P<word>mutation|mutations|mutated|mutant|mutation-positive|mutation positive|rearrangement|rearrangements|rearranged|"
    r"fusion|fusions|fusion-positive|fusion positive|gene fusion|gene rearrangement|translocation|positive|amplification|amplified|"
    r"wild[- ]?type|wt|alteration|alterations|altered))$"
)
_KNOWN = re.compile(r"^(?:a |an )?(?:known |documented |confirmed )")
_SOURCE = re.compile(r"^(germline|somatic)\s+")
_ALIASES_LONGEST_FIRST = tuple(sorted(_GENE_ALIASES.items(), key=lambda kv: -len(kv[0])))
_ALIAS_STARTS = tuple(_GENE_ALIASES)  # a phrase naming none of them skips the loop below
_GENE_WORD = re.compile(r"^([a-z0-9]+)[- ]")
_ALTERNATIVES = re.compile(r"\s*(?:,? or |,? and/or |, |/)\s*")
_REFUSED_QUALIFIERS = re.compile(r"\b(?:activating|sensitizing|sensitising|deleterious|pathogenic|likely|suspected|oncogenic|actionable|driver)\b")


def marker_nodes(phrase: str) -> list[c.Node] | None:
    """Atoms for a phrase made only of marker statuses ("hr+/her2-"), else None."""
    found = _marker_atoms(phrase)
    return None if found is None else list(found)


@functools.lru_cache(maxsize=50_000)  # the phrase alone decides; the disease reading tries the same words often
def _marker_atoms(phrase: str) -> tuple[c.Node, ...] | None:
    found = _marker_nodes(phrase)
    return None if found is None else tuple(found)


def _marker_nodes(phrase: str) -> list[c.Node] | None:
    phrase = phrase.strip()
    m = _PDL1.match(phrase)
    if m:
        scale_text = m.group("scale") or m.group("scale2")
        cmp, num = (m.group(2), m.group(3)) if m.group("scale") else (m.group(5), m.group(6))
        scale = "CPS" if "c" == scale_text[0] else "TPS"
        return [c.Biomarker("PDL1", comparator=cmp, value=number(num), scale=scale)]
    m = _STATUS_ANY.fullmatch(phrase)
    if m:
        return [_STATUS[int(m.lastgroup[1:])][1]]
    parts = _SEP.split(phrase)
    if len(parts) < 2:
        return None
    out: list[c.Node] = []
    for p in parts:
        sub = marker_nodes(p)
        if sub is None:
            return None
        out.extend(sub)
    return out


def variant_nodes(clause: Clause, phrase: str) -> list[c.Node] | None:
    """Atoms for "[germline|somatic] GENE alteration [or alteration]" phrases, else None.
    Several alterations of one gene are alternatives (one list entry, an Any)."""
    found = clause.terms.remembered(("variant", phrase), lambda: _variant_atoms(clause, phrase))
    return None if found is None else list(found)


def _variant_atoms(clause: Clause, phrase: str) -> tuple[c.Node, ...] | None:
    found = _variant_nodes(clause, phrase)
    return None if found is None else tuple(found)


def _variant_nodes(clause: Clause, phrase: str) -> list[c.Node] | None:
    phrase = phrase.strip()
    if _REFUSED_QUALIFIERS.search(phrase):
        return None
    source = "any"
    phrase = _KNOWN.sub("", phrase)
    m = _SOURCE.match(phrase)
    if m:
        source, phrase = m.group(1), phrase[m.end():]
    genes = None
    for alias, names in (_ALIASES_LONGEST_FIRST if phrase.startswith(_ALIAS_STARTS) else ()):
        if phrase.startswith(alias + " ") or phrase.startswith(alias + "-"):
            genes, phrase = names, phrase[len(alias) + 1:]
            break
    if genes is None:
        m = _GENE_WORD.match(phrase)
        if not m:
            return None
        gene = _gene(clause, m.group(1))
        if gene is None:
            return None
        genes, phrase = (gene,), phrase[m.end():]
    alternatives = _ALTERNATIVES.split(phrase)
    atoms: list[c.Node] = []
    for alt in alternatives:
        am = _ALTERATION.match(alt.strip())
        if not am:
            return None
        for gene in genes:
            atom = _variant(gene, am, source)
            if atom is None:
                return None
            atoms.append(atom)
    return [atoms[0] if len(atoms) == 1 else c.Any(tuple(atoms))]


def _gene(clause: Clause, word: str) -> str | None:
    return clause.terms.key("GENE", word.lower())


def _variant(gene: str, am: re.Match, source: str) -> c.Variant | None:
    if am.group("exon"):
        exon = int(am.group("exon").split()[1])
        category = "deletion" if am.group("ex_kind").startswith("del") else "insertion"
        return c.Variant(gene, category=category, exon=exon, source=source)
    if am.group("change"):
        change = am.group("change").upper()
        if change[-1].isdigit():
            return c.Variant(gene, protein_prefix=change, source=source)
        return c.Variant(gene, protein_change=change, source=source)
    word = am.group("word")
    if word.startswith("wild") or word == "wt":
        return c.Variant(gene, wild_type=True, source=source)
    if word.startswith(("rearrange", "fusion", "gene fusion", "gene rearrangement", "translocation")):
        return c.Variant(gene, category="fusion", source=source)
    if word == "positive":
        return c.Variant(gene, category="fusion", source=source) if gene in _FUSION_GENES else None
    if word.startswith("amplif"):
        return c.Variant(gene, category="amplification", source=source)
    if word.startswith("alter"):
        return c.Variant(gene, source=source)  # any alteration of the gene
    if gene in _FUSION_GENES and gene not in ("FGFR2", "FGFR3"):
        return None  # "ALK mutation" is unusual wording: ALK is mostly altered by fusion
    return c.Variant(gene, category="mutation", source=source)
