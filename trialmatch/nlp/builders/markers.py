"""Tumour markers (HER2, ER/PR, hormone receptor, triple negative, PD-L1 TPS/CPS, MSI/MMR,
TMB) read from a phrase such as "hr+/her2-" or "er-positive and/or pr-positive, her2-negative".
Genomic variants are read by builders/variants.py.

Conservative readings (documented choices):
- "HR-positive", "ER and/or PR positive", "ER/PR-positive": ER positive or PR positive.
- "HR-negative": ER negative and PR negative; "triple negative": ER, PR and HER2 negative.
- Joins: "and", ",", "/" and glued statuses ("er+her2-") are all of them; "or" and "and/or" bind
  closer ("er+ and/or pr+, her2-" = (ER+ or PR+) and HER2-). Beside an "or", a "/" or "and" join
  is not read ("msi-h/dmmr or tmb-high": "/" is "and" in "hr+/her2-", "or" in "msi-h/dmmr").
- PD-L1 thresholds are structured only with a named scale (TPS, CPS; "TC" = TPS): a bare
  "PD-L1 >= 1%" stays unparsed, the scales are not interchangeable. "PD-L1 positive" is the
  laboratory's reported interpretation.
- "HER2 IHC 3+" is the IHC score (HER2 >= 3 on IHC), not the status: a 2+ tumour with a
  positive ISH is HER2-positive but not IHC 3+. "HER2-positive (IHC 3+ or ISH+)" restates the
  ASCO/CAP definition: HER2 positive.
- How a status was documented (ASCO/CAP guideline, local laboratory, ...) is dropped
  (variants.strip_documentation); "status"/"expression" after a status adds nothing.
"""

from __future__ import annotations

import functools
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders.patterns import CMP, NUM, has_any, number
from trialmatch.nlp.builders.variants import strip_documentation

__all__ = ["marker_nodes"]

_POS = r"(?:positive|\+|pos|overexpressing|overexpression|positivity)"
_NEG = r"(?:negative|-|neg)"
# "er+pr-", "hr+her2-": statuses written without a separator (the sign ends one)
_AND_OR = re.compile(r"\s*,? (?:and/)?or\s+")
_SEP = re.compile(r"\s*(?:,? and |(?<!\band)/(?!or\b)|, | with )\s*|(?<=[a-z0-9][+-])(?=(?:er|pr|hr|her2|her-2)(?:\b|[+-]))"
                  # "hr-positive her2-negative": a status word, then the next marker's name
                  r"|(?<=positive|negative) (?=(?:her2|her-2|human epidermal|er|pr|pgr|hr|hormone|estrogen|oestrogen|progesterone)\b)")
_HER2 = r"(?:her2|her-2|her 2|erbb2|human epidermal growth factor (?:receptor[- ])?2)(?:[/ -]?neu)?"

def _status_atoms() -> tuple[tuple[re.Pattern, c.Node], ...]:
    er_pos, pr_pos = c.Biomarker("ER", ("positive",)), c.Biomarker("PR", ("positive",))
    er_neg, pr_neg = c.Biomarker("ER", ("negative",)), c.Biomarker("PR", ("negative",))
    her2_neg = c.Biomarker("HER2", ("negative",))
    msi_h, dmmr = c.Biomarker("MSI", ("high",)), c.Biomarker("MMR", ("deficient",))
    table = [
        (_HER2 + r"[- ]?" + _POS, c.Biomarker("HER2", ("positive",))),
        (_HER2 + r"[- ]?" + _NEG, her2_neg),
        (_HER2 + r"[- ]?low", c.Biomarker("HER2", ("low",))),
        # IHC 3+ is HER2-positive by the ASCO/CAP definition: "positive (ihc 3+ or ish+)" restates it;
        # "ihc 3+" alone asks for the score (a positive ISH with IHC 2+ does not meet it)
        (_HER2 + r"[- ]?(?:positive|\+) \((?:ihc 3\+,? or (?:ish|fish)(?:\+| positive)|(?:ish|fish)(?:\+| positive),? or ihc 3\+)\)",
         c.Biomarker("HER2", ("positive",))),
        (_HER2 + r"(?: overexpression| overexpressing| positive)? \(?ihc 3\+\)?|" + _HER2 + r" 3\+(?: by ihc)?",
         c.Biomarker("HER2", comparator=">=", value=3, scale="IHC")),
        # a status the laboratory reports as positive (its assay's cut-off); a threshold names its scale (_PDL1)
        (r"(?:pd-l1|pdl1)[- ]?(?:positive|\+)(?: expression| status)?|positive pd-l1(?: expression| status)?",
         c.Biomarker("PDL1", ("positive",))),
        (r"(?:er|estrogen[- ]receptor|oestrogen[- ]receptor)[- ]?" + _POS, er_pos),
        (r"(?:er|estrogen[- ]receptor|oestrogen[- ]receptor)[- ]?" + _NEG, er_neg),
        (r"(?:pr|pgr|progesterone[- ]receptor)[- ]?" + _POS, pr_pos),
        (r"(?:pr|pgr|progesterone[- ]receptor)[- ]?" + _NEG, pr_neg),
        (r"(?:hr|hormone receptor|hormone-receptor|er and/or pr|er/pr|er or pr|er\+ and/or pr\+|er\+/pr\+|er\+ or pr\+)[- ]?" + _POS + "?",
         c.Any((er_pos, pr_pos))),
        (r"(?:hr|hormone receptor|hormone-receptor)[- ]?" + _NEG, c.All((er_neg, pr_neg))),
        (r"triple[- ]negative", c.All((er_neg, pr_neg, her2_neg))),
        (r"msi-?h|msi-high|microsatellite instability[- ]high|high microsatellite instability|high msi|microsatellite[- ]unstable", msi_h),
        (r"dmmr|mmr-?d|mismatch repair[- ]deficient|mismatch repair deficiency|deficient mismatch repair|mmr[- ]deficient", dmmr),
        (r"msi-?h/dmmr|msi-?h or dmmr|dmmr/msi-?h|dmmr or msi-?h|msi-?h and/or dmmr|dmmr and/or msi-?h", c.Any((msi_h, dmmr))),
        # "non-MSI-H", "non-dMMR": the tumour is not MSI-high / not MMR-deficient (Not of the status: a tumour
        # never tested is UNKNOWN, never read as stable or proficient)
        (r"non-msi-?h|non-msi-high|non-microsatellite instability[- ]high", c.Not(msi_h)),
        (r"non-dmmr|non-mmr-?d|non-mismatch repair[- ]deficient", c.Not(dmmr)),
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



def marker_nodes(phrase: str) -> list[c.Node] | None:
    """Atoms for a phrase made only of marker statuses ("hr+/her2-"), else None."""
    found = _marker_atoms(phrase)
    return None if found is None else list(found)


@functools.lru_cache(maxsize=50_000)  # the phrase alone decides; the disease reading tries the same words often
def _marker_atoms(phrase: str) -> tuple[c.Node, ...] | None:
    found = _marker_nodes(phrase)
    return None if found is None else tuple(found)


_STATUS_WORDS = re.compile(r"^(?:(?:tumou?r|disease)\s+)?(?:status|expression)$")
_STATUS_FIRST = re.compile(r"^(positive|negative) (?:for )?(her2|her-2|er|pr|hr|estrogen receptor|progesterone receptor|hormone receptor)"
                           r"(?: (?:tumou?r )?(?:status|expression))?$")


# what every phrase the status table or _PDL1 reads holds (a cheap test before them): a marker word,
# or "er"/"pr"/"hr"/"mss" as a word of its own ("er+", "hr-positive")
_MARKER_PARTS = ("her", "erbb2", "epidermal", "pd-l1", "pdl1", "estrogen", "oestrogen", "pgr", "progesterone", "hormone",
                 "triple", "msi", "microsatellite", "mmr", "mismatch", "tmb", "mutational")
_SHORT_MARKER = re.compile(r"\b(?:er|pr|hr|mss)\b")


def _may_name_marker(phrase: str) -> bool:
    return has_any(phrase, _MARKER_PARTS) or _SHORT_MARKER.search(phrase) is not None


def _marker_nodes(phrase: str) -> list[c.Node] | None:
    if not _may_name_marker(phrase):
        return None
    phrase = strip_documentation(phrase)
    m = _STATUS_FIRST.match(phrase)
    if m:  # "positive her2 status"
        phrase = f"{m.group(2)} {m.group(1)}"
    words = phrase.rsplit(" ", 2)
    if len(words) == 3 and _STATUS_WORDS.match(" ".join(words[1:])):
        phrase = words[0]  # "her2-negative tumor status": the status
    elif len(words) >= 2 and _STATUS_WORDS.match(words[-1]) and _STATUS_ANY.fullmatch(" ".join(words[:-1])):
        phrase = " ".join(words[:-1])
    m = _PDL1.match(phrase)
    if m:
        scale_text = m.group("scale") or m.group("scale2")
        cmp, num = (m.group(2), m.group(3)) if m.group("scale") else (m.group(5), m.group(6))
        scale = "CPS" if "c" == scale_text[0] else "TPS"
        return [c.Biomarker("PDL1", comparator=cmp, value=number(num), scale=scale)]
    m = _STATUS_ANY.fullmatch(phrase)
    if m:
        return [_STATUS[int(m.lastgroup[1:])][1]]
    # "or" / "and/or" bind closer than "," and "/": "er+ and/or pr+, her2-" is (ER+ or PR+) and HER2-;
    # with "and" or "/" as well ("her2+ or er+ and pr+") the binding is not clear: not read
    groups = _SEP.split(phrase)
    alternative = bool(_AND_OR.search(phrase))
    if len(groups) < 2 and not alternative:
        return None
    if alternative and {m.group(0).strip() for m in _SEP.finditer(phrase)} - {",", "with"}:
        return None  # "msi-h/dmmr or tmb-high": is "/" "and" or "or" here?
    out: list[c.Node] = []
    for group in groups:
        alternatives = _AND_OR.split(group) if alternative else [group]
        nodes: list[c.Node] = []
        for p in alternatives:
            sub = marker_nodes(p) if len(groups) > 1 or len(alternatives) > 1 else None
            if sub is None:
                return None
            nodes.append(sub[0] if len(sub) == 1 else c.All(tuple(sub)))
        out.append(nodes[0] if len(nodes) == 1 else c.Any(tuple(nodes)))
    return out
