"""Metastatic sites as the condition builder's sibling: brain / CNS, liver and bone metastases with
their qualifiers (active, untreated, symptomatic, stable as the atom holds them; the others kept
Unparsed beside the site), leptomeningeal disease, and the NCI "will be excluded from this clinical
trial because of their poor prognosis" template."""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.required_literals import guarded

_META = guarded(
    r"^(?P<q>(?:[a-z/]+[\s,]+)*?)"
    r"(?:(?P<site>brain|cns|central nervous system|liver|hepatic|bone|osseous|peritoneal|lung|pulmonary|adrenal"
    # "brain/CNS metastases", "central nervous system or brain metastases": the brain or elsewhere in the CNS,
    # read as "CNS metastases" are (both sites)
    r"|(?:brain|cns|central nervous system)(?:\s*/\s*|,? or |,? and/or )(?:brain|cns|central nervous system))\s+"
    r"(?:metastases|metastasis|metastatic disease|mets)"
    r"(?P<cns_too>/(?:central nervous system|cns) disease)?"
    r"|(?P<site_b>brain|cns|central nervous system)\s+(?:involvement|disease)"
    # peritoneal carcinomatosis / dissemination: spread of a cancer to the peritoneum (NCI Dictionary of Cancer
    # Terms, "peritoneal carcinomatosis"); "peritoneal disease" is not read (it need not be cancer)
    r"|(?P<site_p>peritoneal)\s+(?:carcinomatosis|dissemination|metastatic spread))"
    # "LMD" after a brain site: leptomeningeal disease (the usual abbreviation: Nguyen et al., "An overview of
    # leptomeningeal disease", Ann Palliat Med 2020; MD Anderson "Leptomeningeal Disease Program")
    r"(?:(?P<join2>\s+(?:and/or|or)\s+|/)(?P<site2>leptomeningeal (?:disease|metastases|carcinomatosis|involvement)|carcinomatous meningitis|lmd))?$"
)
# "distant metastases", "distant metastatic disease": metastatic disease (AJCC: distant metastasis is the M1
# category, the extent the atom's "metastatic" holds); a site or a qualifier after them is not read
_DISTANT = re.compile(r"^distant (?:metastases|metastasis|metastatic disease|metastatic spread|mets)$")
# "meningeal carcinomatosis" and "meningeal metastasis" are other names of leptomeningeal carcinomatosis (NCI
# Dictionary of Cancer Terms, "leptomeningeal carcinomatosis", CDR0000747577)
_LEPTO = re.compile(r"^(?:has |have )?(?:known |active )*(?:leptomeningeal (?:disease|metastases|metastasis|carcinomatosis|involvement|spread)|"
                    r"carcinomatous meningitis|meningeal carcinomatosis|meningeal metastas[ie]s|leptomeningeal)$")
# "known, symptomatic leptomeningeal disease": the site with its qualifier when the atom holds it, else the
# narrowing word kept Unparsed beside it (All)
_LEPTO_NARROWED = re.compile(r"^(?:known,? (?:and )?)?(symptomatic|untreated|progressive|progressing|uncontrolled|clinically active) (?=lepto|carcinomatous|meningeal)")
# "presence of symptomatic CNS metastases", "clinical evidence of any untreated CNS disease": the lead adds nothing
_META_LEAD = re.compile(r"^(?:(?:clinical |radiological |radiographic )?evidence of |presence of |diagnosed with |(?:a )?diagnosis of )"
                        r"(?:any )?")
# "CNS metastases that are untreated": the qualifier after the site, one word
_META_AFTER = re.compile(r"^(?P<site>.+?) (?:that|which) (?:are|is) (?P<q>[a-z]+)$")
# "untreated brain metastases will be excluded from this clinical trial because of their poor prognosis"
# (the NCI template): the rationale adds nothing; in an inclusion the words say the patients are excluded
_EITHER_TREATED = re.compile(r"\s*\((?:previously )?(?:treated or untreated|untreated or treated|treated or not)\)")
_META_EXCLUDED = re.compile(r" (?:(?:will|should|must|shall) be|are) excluded(?: from (?:this|the) (?:clinical )?(?:trial|study))?"
                            r"(?: because\b.*)?$")


def build_metastasis(clause: Clause) -> c.Node | None:
    if clause.historical:
        # "history of brain metastases", "history of leptomeningeal disease": the atom has no history flag, but a
        # bare site is read: the matcher gives MET only for a site recorded active (a history holds it), UNKNOWN
        # for one recorded inactive or none recorded, never NOT_MET; so the site atom never decides against the
        # history the words ask for. A qualifier ("history of untreated ...") or an extent is not read.
        node = build_metastasis(dataclasses.replace(clause, historical=False))
        return node if node is not None and _bare_sites(node) else None
    t = clause.text
    if " excluded" in t:
        m = _META_EXCLUDED.search(t)
        if m is None:
            return None
        node = build_metastasis(clause.with_text(t[:m.start()]))
        if node is None:
            return None
        return node if clause.section == "exclusion" else c.Not(node) if clause.section == "inclusion" else None
    if t.startswith(("presence", "evidence", "clinical", "radiolog", "diagnos", "a diagnos")):
        t = _META_LEAD.sub("", t, count=1)
    if "treated" in t and "(" in t:
        # "symptomatic (treated or untreated) brain metastases": the aside says treatment does not matter
        t = _EITHER_TREATED.sub("", t)
    if " that " in t or " which " in t:
        after = _META_AFTER.match(t)
        site_only = _META.match(after.group("site")) if after else None
        if site_only is None or site_only.group("q") or not clause.qualifiers.get(after.group("q")):
            return None  # only a structured qualifier after a bare site: the words are kept as written otherwise
        t = f"{after.group('q')} {after.group('site')}"  # "CNS metastases that are untreated" = untreated CNS metastases
    if t.endswith(" not previously treated"):
        t = "untreated " + t[:-len(" not previously treated")]  # "active CNS metastases not previously treated"
    if t.startswith("distant") and _DISTANT.match(t):
        return c.Metastasis(extent="metastatic")
    if _LEPTO.match(t):
        return c.Metastasis(site="leptomeningeal")
    narrowed = _LEPTO_NARROWED.match(t)
    if narrowed and _LEPTO.match(t[narrowed.end():]):
        word = narrowed.group(1)
        value = clause.qualifiers.get(word.split()[-1] if word == "clinically active" else word)
        if value:  # a qualifier the atom holds ("symptomatic", "untreated", "active")
            return c.Metastasis(site="leptomeningeal", qualifier=value)
        return c.All((c.Metastasis(site="leptomeningeal"), c.Unparsed(word)))
    m = _META.match(t)
    if not m:
        return None
    named = m.group("site") or m.group("site_b") or m.group("site_p")
    if "brain" in named and ("cns" in named or "central" in named):
        named = "cns"  # "brain/cns": both sites, as "cns" gives them below
    site = clause.terms.key("SITE", named)
    if site is None:
        return None
    words = [w for w in re.split(r"[\s,]+", m.group("q")) if w]
    if len(words) > 2 and words[1] == "and" and clause.qualifiers.get(words[0]) == "":
        words = words[2:]  # "known and untreated, or active": "known" adds nothing, the "and" joins nothing else
    connectors = {w for w in words if w in ("and", "or", "and/or")}
    if (connectors == {"and"} and len(words) == 3 and words[1] == "and"
            and sum(bool(clause.qualifiers.get(w)) for w in (words[0], words[2])) <= 1):
        # "active and uncontrolled CNS metastases": both words hold, as "active uncontrolled" (the structured one
        # the atom's qualifier, the other kept Unparsed beside it)
        words, connectors = [words[0], words[2]], set()
    quals = []
    narrowing = []
    for i, w in enumerate(words):
        if w in connectors:
            continue
        if w == "clinically" and i + 1 < len(words) and words[i + 1] == "active":
            continue  # "clinically active brain metastases": active
        if w in _JOINERS and i + 1 < len(words) and clause.qualifiers.get(words[i + 1], "") is None:
            narrowing.append(w)  # "clinically unstable", "actively progressing": kept with its word, unparsed
            continue
        if w not in clause.qualifiers:
            return None  # a word that is no qualifier ("suspected", "extracranial")
        if clause.qualifiers[w] is None:
            narrowing.append(w)  # a qualifier we do not structure ("treated", "uncontrolled", "progressive")
        elif clause.qualifiers[w]:
            quals.append(clause.qualifiers[w])
    if connectors - {"or", "and/or"} and len(quals) > 1:
        return None  # "untreated and symptomatic": both required; not a shape we structure
    if narrowing and (connectors or len(quals) > 1):
        # "symptomatic, untreated, or actively progressing": alternatives, each one qualifier or narrowing words
        # (commas alone are adjectives side by side, "symptomatic, uncontrolled": both, not read with narrowing)
        return _meta_alternatives(m, site, clause.qualifiers) if connectors and connectors <= {"or", "and/or"} else None
    # "CNS metastases": brain or other CNS sites (not relying on the matcher nesting brain under cns);
    # "brain metastases/CNS disease" names both
    sites = ("cns", "brain") if site == "cns" or m.group("cns_too") else (site,)
    quals = list(dict.fromkeys(quals))
    if len(quals) > 1 and not connectors:
        # "active untreated brain metastases", "active, untreated ...": metastases that are both (Any
        # excluded a patient with treated, active ones)
        both = [c.All(tuple(c.Metastasis(site=s, qualifier=q) for q in quals)) for s in sites]
        atoms: list[c.Node] = list(both)
    else:
        atoms = [c.Metastasis(site=s, qualifier=q) for q in (quals or [None]) for s in sites]
    if m.group("site2"):
        # "symptomatic brain metastasis or LMD" (NCT05779423, audit): after "or" the qualifiers may reach the second
        # site too (the trial admits asymptomatic LMD): read so, a bare LMD record never excludes alone. After
        # "and/or" (the KEYNOTE template "known active CNS metastases and/or carcinomatous meningitis", whose own
        # carve-out covers treated brain metastases only and says carcinomatous meningitis "is excluded regardless")
        # the second site is a separate exclusion, read bare (the audits of session 8)
        reach = quals and m.group("join2").strip() != "and/or"
        atoms.extend([c.All(tuple(c.Metastasis(site="leptomeningeal", qualifier=q) for q in quals))]
                     if reach and len(quals) > 1 and not connectors
                     else [c.Metastasis(site="leptomeningeal", qualifier=q) for q in (quals if reach else [None])])
    node = atoms[0] if len(atoms) == 1 else c.Any(tuple(atoms))
    if narrowing:
        # "uncontrolled brain metastases", "symptomatic uncontrolled brain metastases": the site (with its
        # structured qualifier) is a necessary condition, the narrowing words stay unparsed beside it
        return c.All((node, c.Unparsed(" ".join(narrowing))))
    return node


def _bare_sites(node: c.Node) -> bool:
    """Whether ``node`` is a site atom with no qualifier, or an Any of them."""
    if isinstance(node, c.Any):
        return all(_bare_sites(n) for n in node.items)
    return isinstance(node, c.Metastasis) and node.site is not None and node.qualifier is None and node.extent is None


_ALT_SPLIT = re.compile(r",\s*(?:or |and/or )?|\s+(?:or|and/or)\s+")
_JOINERS = ("clinically", "actively")


def _meta_alternatives(m: re.Match, site: str, qualifiers: dict) -> c.Node | None:
    """"symptomatic, untreated, or actively progressing CNS metastases": Any of the alternatives; one the atom
    holds is a Metastasis with its qualifier, one it does not is the site beside its words, Unparsed."""
    sites = ("cns", "brain") if site == "cns" or m.group("cns_too") else (site,)
    alternatives: list[c.Node] = []
    for group in (g.strip() for g in _ALT_SPLIT.split(m.group("q").strip(" ,")) if g.strip()):
        words = group.split()
        values = [qualifiers.get(w, "") if w not in _JOINERS else None for w in words if qualifiers.get(w) != ""]
        if any(w not in qualifiers and w not in _JOINERS for w in words) or not values:
            return None
        if all(v is None for v in values):
            site_node = c.Metastasis(site=sites[0]) if len(sites) == 1 else c.Any(tuple(c.Metastasis(site=s) for s in sites))
            words_kept = " ".join(w for w in words if qualifiers.get(w) != "")  # "known" adds nothing
            alternatives.append(c.All((site_node, c.Unparsed(words_kept))))
        elif len(values) == 1:
            alternatives.extend(c.Metastasis(site=s, qualifier=values[0]) for s in sites)
        else:
            return None  # a structured qualifier beside other words in one alternative
    if m.group("site2"):
        # after "or" the alternatives may reach the second site too: it is necessary, the words kept beside it;
        # after "and/or" it is a separate exclusion (see build_metastasis)
        lepto = c.Metastasis(site="leptomeningeal")
        alternatives.append(lepto if m.group("join2").strip() == "and/or"
                            else c.All((lepto, c.Unparsed(m.group("q").strip(" ,")))))
    return c.Any(tuple(alternatives)) if len(alternatives) > 1 else None
