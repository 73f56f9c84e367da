"""Comorbid conditions, metastatic sites (brain/CNS with qualifiers), pregnancy."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause

# "known", "active", "documented", "history of": the modifiers a condition clause may carry.
_COND_PREFIX = re.compile(
    r"^(?:(?:a |any |an )?(?:acute or chronic|active or chronic|chronic or active|known history of|a history of|"
    r"medical history of|history of|known to be|known to have|known|documented|confirmed|diagnosed|diagnosis of|presence of|"
    r"evidence of|current|currently|active|ongoing|prior|previous|past|positive for|have|has|with|"
    r"infection with|infected with|seropositive for|serologically positive for|(?:a )?positive (?:test|test result|serology) for|"
    r"testing positive for|tested positive for|chronic),?\s+)*"
)
# words that narrow a condition to a state the atom does not capture: kept unparsed beside it
_COND_NARROWING = re.compile(r"^((?:(?:uncontrolled|symptomatic|clinically significant|significant|severe|unstable|"
                             r"not[- ]controlled|poorly controlled|serious)(?:,? and/or |,? or |, | )?)+)\s*")
_COND_SUFFIX = re.compile(r"(?:\s+|-)(?:infections?|disease|positivity|positive|seropositivity|history|infected|carriers?|antibodies)$")
_HISTORY_WORDS = re.compile(r"\b(?:history|prior|previous|past)\b")
_HEP_BOTH = re.compile(r"^(?:viral )?hepatitis (?:b and/or c|b or c|b and c|b/c|b, c)(?: virus(?:es)?)?(?: infections?)?$|^(?:hbv|hbv and/or hcv|hbv or hcv|hbv/hcv|hbv and hcv) ?(?:infections?)?$")
_MALIGNANCY = re.compile(
    r"^(?:(?:any|a|an|or|and/or) )?(?P<q>(?:(?:other|another|second|additional|concurrent|concomitant|co-?existing|coexisting|prior|previous|past|"
    r"active|known|primary|synchronous|metachronous|invasive|separate|secondary|non-study|non study)(?:,? or |,? and/or | |, ))*)"
    r"(?:malignanc(?:y|ies)|cancers?|neoplasms?|primary malignanc(?:y|ies)|invasive malignanc(?:y|ies))$"
)
_OTHER_WORDS = re.compile(r"\b(?:other|another|second|additional|concurrent|concomitant|co-?existing|coexisting|prior|previous|past|"
                          r"synchronous|metachronous|separate|secondary|non-study|non study)\b")
_PAST_WORDS = re.compile(r"\b(?:prior|previous|past|metachronous|or)\b")
_COND_LIST = re.compile(r"\s*(?:,? or |,? and/or |/|, )\s*")


def _condition_key(clause: Clause, phrase: str) -> str | None:
    phrase = phrase.strip()
    key = clause.terms.key("CONDITION", phrase)
    if key is None:
        stripped = _COND_SUFFIX.sub("", phrase)
        key = clause.terms.key("CONDITION", stripped) if stripped != phrase else None
    return key


def _condition_list(clause: Clause, rest: str) -> list[str] | None:
    parts = [p for p in _COND_LIST.split(rest) if p]
    if len(parts) < 2:
        return None
    keys = []
    for part in parts:
        pm = _COND_PREFIX.match(part)
        part_prefix = pm.group(0) if pm else ""
        if _HISTORY_WORDS.search(part_prefix):
            return None  # "HIV or history of hepatitis": mixed time frames
        k = _condition_key(clause, part[len(part_prefix):])
        if k is None:
            return None
        keys.append(k)
    return keys


def build_condition(clause: Clause) -> c.Node | None:
    t = clause.text
    m = _COND_PREFIX.match(t)
    prefix = m.group(0) if m else ""
    rest = t[len(prefix):].strip()
    narrowing = _COND_NARROWING.match(rest)
    if narrowing and narrowing.end() < len(rest):
        words = narrowing.group(1).strip(" ,")
        inner = build_condition(Clause(prefix + rest[narrowing.end():], clause.terms, clause.section, clause.historical,
                                       clause.qualifiers))
        if inner is None or isinstance(inner, c.All):
            return None
        return c.All((inner, c.Unparsed(words)))
    historical = clause.historical or bool(_HISTORY_WORDS.search(prefix))
    if _HEP_BOTH.match(rest):
        keys: tuple[str, ...] = ("hepatitis_b", "hepatitis_c")
        return c.Any(tuple(c.Condition((k,), active_only=not historical) for k in keys))
    m = _MALIGNANCY.match(rest)
    if m and (historical or _OTHER_WORDS.search(prefix + m.group("q"))):
        # a cancer besides the one under study (the matcher decides from the patient's cancers);
        # only "active"/"concurrent" alone limit it to active cancers, any past word counts any
        words = prefix + m.group("q")
        active = bool(re.search(r"\b(?:active|concurrent|concomitant|co-?existing|coexisting)\b", words))
        return c.Condition(("other_malignancy",), active_only=active and not historical and not _PAST_WORDS.search(words))
    key = clause.terms.key("CONDITION", t) or _condition_key(clause, rest)
    if key is not None:
        return c.Condition((key,), active_only=not historical)
    # "HIV, hepatitis B or hepatitis C infection": alternatives, each a condition ("and" is refused)
    if re.search(r"\band\b(?!/or)", rest):
        return None
    keys = _condition_list(clause, rest) or _condition_list(clause, _COND_SUFFIX.sub("", rest))
    if not keys:
        return None
    atoms = tuple(c.Condition((k,), active_only=not historical) for k in dict.fromkeys(keys))
    return atoms[0] if len(atoms) == 1 else c.Any(atoms)


_META = re.compile(
    r"^(?P<q>(?:[a-z/]+[\s,]+)*?)"
    r"(?:(?P<site>brain|cns|central nervous system|liver|hepatic|bone|osseous)\s+(?:metastases|metastasis|metastatic disease|mets)"
    r"|(?P<site_b>brain|cns|central nervous system)\s+(?:involvement|disease))"
    r"(?:\s+(?:and/or|or)\s+(?P<site2>leptomeningeal (?:disease|metastases|carcinomatosis|involvement)|carcinomatous meningitis))?$"
)
_LEPTO = re.compile(r"^(?:known |active )*(?:leptomeningeal (?:disease|metastases|carcinomatosis|involvement)|carcinomatous meningitis|leptomeningeal)$")


def build_metastasis(clause: Clause) -> c.Node | None:
    if clause.historical:
        return None  # "history of brain metastases": the atom has no history flag
    t = clause.text
    if _LEPTO.match(t):
        return c.Metastasis(site="leptomeningeal")
    m = _META.match(t)
    if not m:
        return None
    site = clause.terms.key("SITE", m.group("site") or m.group("site_b"))
    if site is None:
        return None
    words = [w for w in re.split(r"[\s,]+", m.group("q")) if w]
    connectors = {w for w in words if w in ("and", "or", "and/or")}
    quals = []
    narrowing = []
    for w in words:
        if w in connectors:
            continue
        if w not in clause.qualifiers:
            return None  # a word that is no qualifier ("suspected", "extracranial")
        if clause.qualifiers[w] is None:
            narrowing.append(w)  # a qualifier we do not structure ("treated", "uncontrolled", "progressive")
        elif clause.qualifiers[w]:
            quals.append(clause.qualifiers[w])
    if connectors - {"or", "and/or"} and len(quals) > 1:
        return None  # "untreated and symptomatic": both required; not a shape we structure
    if narrowing and (quals or connectors):
        return None  # "treated or symptomatic": a structured and an unstructured alternative
    # "CNS metastases": brain or other CNS sites (not relying on the matcher nesting brain under cns)
    sites = ("cns", "brain") if site == "cns" else (site,)
    atoms: list[c.Node] = [c.Metastasis(site=s, qualifier=q) for q in (quals or [None]) for s in sites]
    if m.group("site2"):
        atoms.append(c.Metastasis(site="leptomeningeal"))
    node = atoms[0] if len(atoms) == 1 else c.Any(tuple(atoms))
    if narrowing:
        # "uncontrolled brain metastases": the site is a necessary condition, the qualifier stays unparsed
        return c.All((node, c.Unparsed(" ".join(narrowing))))
    return node


_PREG_WORDS = {
    "pregnant": "pregnant", "pregnancy": "pregnant", "breastfeeding": "breastfeeding", "breast-feeding": "breastfeeding",
    "breast feeding": "breastfeeding", "lactating": "breastfeeding", "breastfeeding/breastfeeding": "breastfeeding", "lactation": "breastfeeding", "nursing": "breastfeeding",
}
_PREG_FILLER = {"or", "and", "and/or", "women", "woman", "females", "female", "patients", "participants", "subjects",
                "who", "are", "is", "currently", "current", "mothers", "/", "be", "a", "known", "to", "participant", "participants",
                "individuals", "persons", "people", "of", "childbearing", "child-bearing", "potential", "wocbp"}


# "pregnant women are excluded from this study because ...": the rationale adds no criterion
_PREG_EXCLUDED = re.compile(r"\s+(?:are|is|will be) (?:excluded|not eligible|ineligible)(?: from (?:this|the) (?:study|trial))?"
                            r"(?:,?\s*(?:because|given|due to|as|since)\b.*)?$")
# "planning to become pregnant", "expecting to conceive ... within the trial": an alternative no record holds
_PREG_PLAN = re.compile(r"(?:,? (?:or|and/or) |, )(?:(?:are|is|who are) )?(?:(?:currently )?(?:planning|plans|plan|expecting|intending|intend|"
                        r"wishing|wish)(?: to)? (?:become pregnant|get pregnant|conceive|breast-?feed|breast feed|father children|"
                        r"a pregnancy|pregnancy)\b.*)$")


def build_pregnancy(clause: Clause) -> c.Node | None:
    t = clause.text.replace("breast feeding", "breast-feeding").replace("chestfeeding", "breastfeeding")
    t = _PREG_EXCLUDED.sub("", t)
    plan = _PREG_PLAN.search(t) if clause.section == "exclusion" else None
    if plan:
        t = t[:plan.start()]
        node = build_pregnancy(Clause(t, clause.terms, clause.section, clause.historical, clause.qualifiers))
        if node is None:
            return None
        atoms = node.items if isinstance(node, c.Any) else (node,)
        return c.Any(tuple(atoms) + (c.Unparsed(plan.group(0).lstrip(", ").removeprefix("or ").removeprefix("and/or ")),))
    words = [w for w in re.split(r"[\s,]+|(?<=\w)/(?=\w)", t) if w]
    statuses: list[str] = []
    for w in words:
        if w in _PREG_WORDS:
            if _PREG_WORDS[w] not in statuses:
                statuses.append(_PREG_WORDS[w])
        elif w not in _PREG_FILLER:
            return None
    if not statuses:
        return None
    atoms = tuple(c.Pregnancy() if s == "pregnant" else c.Pregnancy(status=s) for s in statuses)
    return atoms[0] if len(atoms) == 1 else c.Any(atoms)
