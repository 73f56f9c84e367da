"""Hypersensitivity (allergy) to drugs, drug classes or the study treatment.

"Known hypersensitivity to pembrolizumab or any of its excipients" -> ``Hypersensitivity(drugs=
("pembrolizumab",))``; "allergy to any component of the study drug" -> ``Hypersensitivity(
study_treatment=True)``; "allergic reaction to PARP inhibitors" -> the class. Readings:

- The excipients clause ("or any of its excipients / components / ingredients", "any component
  of the X formulation") is the drug X: no record names an excipient apart from the product,
  so it widens nothing a record can show. An excipient clause with no drug before it
  ("excipients of NVL-655") is not read.
- Narrowing words the atom does not carry ("severe", "serious", "life-threatening",
  "immediate", "grade >= 3") are kept Unparsed beside it (All: the narrowed allergy is the
  criterion; a recorded allergy of unknown severity stays UNKNOWN under an exclusion).
- A list part the vocabulary does not hold (an investigational code, "metformin") is an
  Unparsed alternative beside the atom (Any: an allergy to a known part decides; the other
  parts stay unknown); at least one part must be known.
- The NCI template "allergic reactions attributed to compounds of similar chemical or biologic
  composition to X" (X a drug or the study agents): an allergy to X itself is certainly one such
  reaction; the similar compounds widen it, and no record says which compounds are similar:
  ``Any(Hypersensitivity(X), Unparsed("compounds of similar ... composition"))``. Under the
  exclusion an allergy recorded to X excludes, and the criterion never clears a patient (a "no
  known drug allergy" leaves the similar compounds open). X must be read as for a plain allergy
  (a drug the vocabulary lacks, alone, leaves the clause Unparsed).
- Sixth round: no drug named, "the active substance(s) / agent / ingredients", "either the drug
  substance or inactive ingredients in the drug product", "any of the components within the study
  agents", "study drug(s) including active product or excipient components" are the study treatment
  (the EU SmPC wording "hypersensitivity to the active substance or to any of the excipients" names the
  product's own substance); an excipients tail naming the study drug ("X or any component of the study
  drug") adds the study treatment to X; "( grade 3)" (a ">=" lost in the registry text) is a narrowing
  like "(grade >= 3)"; "hypersensitivity or allergy / anaphylaxis to X" is read (each is an allergy to X).
- Not read (the clause stays Unparsed): "intolerance" or "contraindication" beside the
  allergy (wider than a hypersensitivity), "suspected", "related compounds", "analogues", "the same class", "other
  monoclonal antibodies" (no class), contrast media, latex, foods, a scope in brackets
  ("(cohort B only)"), or any other word the grammar does not know.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.drug_names import resolve_drug
from trialmatch.nlp.builders.treatment_words import THERAPY_WORD

_HEAD_WORD = (r"(?:hypersensitivity(?: reactions?)?|allerg(?:y|ies)|allergic (?:reactions?|responses?)"
              r"|anaphylactic reactions?|anaphylaxis)")
_NARROW = r"(?:severe|serious|life-threatening|immediate|acute)"
# "( grade 3)": a ">=" lost in the registry's text (NCT04104893, six items); a narrowing kept Unparsed like the others
_GRADE = r"(?:\( ?(?:ctcae )?(?:grade >= ?3|>= ?grade 3|grade 3 or higher|grade 3) ?\)|(?:ctcae )?(?:grade >= ?3|>= ?grade 3|grade 3 or higher))"
_LEAD = r"(?:(?:had|has|have|experienced|documented|prior|previous|previously identified|previously known|any prior|an?) )*"
_CLAUSE = re.compile(
    rf"^{_LEAD}(?P<pre>(?:(?:{_NARROW}|{_GRADE})(?: or {_NARROW})? )*)"
    rf"(?P<head>{_HEAD_WORD}(?:(?:,? (?:or|and/or)|/|,) {_HEAD_WORD})*)"
    rf"(?P<post>(?: {_GRADE})?) (?:to|against|attributed to) (?P<obj>.+?)(?: previously)?$")
# "penicillin allergy", "pembrolizumab hypersensitivity"
_BEFORE = re.compile(r"^(?P<obj>[a-z0-9][a-z0-9-]*) (?:allergy|hypersensitivity)$")

_EXCIPIENT_NOUN = r"(?:excipients?|components?|constituents?|ingredients?|inactive ingredients)"
# the excipients clause after the drug(s), read as the drug(s)
_EXCIPIENT_TAIL = re.compile(
    rf"(?:,? (?:and/or|or|and) (?:to )?(?:any (?:of )?)?(?:its |their |the |any associated )?(?:other )?{_EXCIPIENT_NOUN}"
    rf"(?: (?:or|and) (?:excipients?|components?))?"
    rf"(?: (?:of|in) (?:the |its |their )?(?:formulations?|products?|drug products?|investigational products?(?:\(s\))?|study (?:drugs?|treatments?|agents?|interventions?)))?"
    rf"| (?:components?|excipients?)(?: (?:or|and) (?:excipients?|components?))?"
    # "study drug(s) including active product or excipient components" (NCT04883437): the product's parts
    rf"| including (?:the )?active (?:products?|substances?|ingredients?) (?:or|and|and/or) "
    rf"(?:excipient|inactive) (?:components?|ingredients?))$")
# "any component of the nivolumab formulation", "any of the components of X"
_EXCIPIENT_LEAD = re.compile(rf"^(?:any (?:of )?)?(?:the )?{_EXCIPIENT_NOUN} (?:of|in|within) (?:the |any of the |any )?")
_FORMULATION = re.compile(r" (?:formulations?|products?)$")
_STUDY = re.compile(
    r"^(?:any (?:of )?)?(?:the )?(?:(?:an? )?assigned )?(?:study|investigational|trial|protocol)"
    r"(?: drugs?| drug\(s\)| treatments?| medications?| agents?| agent\(s\)| interventions?| products?| therap(?:y|ies))"
    r"(?: (?:components?|formulations?|ingredients?))?$"
    r"|^(?:any (?:of )?)?(?:the )?(?:other )?(?:drugs|agents|agent\(s\)|products) (?:used|administered|given) in (?:this |the )?(?:study|protocol|trial)$"
    r"|^(?:any (?:of )?)?the drugs in the protocol$"
    # no drug named: "the active substance(s)", "either the drug substance" (or the inactive ingredients in the
    # drug product) of an eligibility list are the study drug's (the EU SmPC wording of section 4.3,
    # "Hypersensitivity to the active substance or to any of the excipients"); a drug named in the same
    # clause is read as the drug
    r"|^(?:either )?(?:the )?(?:active (?:substances?|ingredients?|agents?|pharmaceutical ingredients?)|drug substances?)$")
_PART_LEAD = re.compile(r"^(?:to |any |other |either |the )+")
_LIST = re.compile(r"\s*(?:,\s*or|,\s*and/or|\s+or|\s+and/or)\s+(?:to\s+)?|\s*,\s*")
# an unknown list part kept as an alternative must look like a name, not words that say more
_NAME = re.compile(r"^[a-z0-9][a-z0-9.\-]*(?: [a-z0-9][a-z0-9.\-]*)?$")
_NOT_A_NAME = re.compile(
    r"\b(?:any|all|its|their|of|in|with|for|by|per|as|history|known|prior|included|agents?|drugs?|therap(?:y|ies)|"
    r"treatments?|medications?|medicines?|chemotherap\w*|inhibitors?|biologics?|biological|other|another|study|"
    r"investigational|hypersensitivit\w*|allerg\w*|anaphyla\w*|reactions?)\b")
_REFUSED = re.compile(
    r"\b(?:intoleran\w*|contraindicat\w*|suspected|expected|similar|related|analogu?e?s?|equivalent|same class|"
    r"cohorts?|parts?|arms?|only|if|unless|except\w*|including|such as|e\.g|that|which|who|cannot|not|toxicit\w*|"
    r"adverse|contrast|iodine|iodinated|gadolinium|latex|food|foods|vaccines?|vaccination|blood|transfusions?|"
    r"antibod(?:y|ies)|mabs?|proteins?|murine|chimeric|humanized|products?|compounds?|class|used|during|regimen|"
    r"premedication|steroids?|radiation|metal|skin|adhesives?|porphyrins?|excipients?|components?|constituents?|"
    r"ingredients?|formulations?)\b|[()\[\];:]")
# "compounds of similar chemical or biologic composition to X" (the NCI template; "compounds, or any of its
# excipients, of similar ...", "as X"): the object after it is read, the similar compounds kept beside
_SIMILAR = re.compile(
    r"^(?P<similar>compounds?(?:,? or any of its excipients,)? of similar chemical or biologic(?:al)? composition) (?:to|as) ")
_SYSTEMIC = frozenset({"chemotherapy", "immunotherapy", "targeted_therapy", "endocrine_therapy"})
_LITERALS = ("allerg", "hypersensitiv", "anaphyla")


def build_allergy(clause: Clause) -> c.Node | None:
    t = clause.text
    if clause.section != "exclusion" or not any(w in t for w in _LITERALS):
        return None  # an inclusion never requires an allergy: one there is a misplaced exclusion, not read
    m = _CLAUSE.match(t)
    if m:
        head = m.group("head")
        narrow = " ".join((m.group("pre") + " " + m.group("post")).split())
        obj = m.group("obj")
    else:
        m = _BEFORE.match(t)
        if not m:
            return None
        head, narrow, obj = "allergy", "", m.group("obj")
    # "hypersensitivity or allergy / anaphylaxis / allergic reaction to X": each is an allergy to X (the
    # head holds allergy words only; "intolerance" beside them is refused with the object)
    if all("anaphyla" in h for h in re.split(r",? (?:or|and/or) |/|, ", head)):
        # "anaphylactic reactions to irinotecan": the severe, immediate kind; a record rarely says which
        # reaction an allergy was, so the word stays beside the atom as "severe" does (NCT06730750)
        narrow = " ".join((narrow + " anaphylactic").split())
    similar = _SIMILAR.match(obj)
    if similar:
        obj = obj[similar.end():]
    node = _substances(clause, obj)
    if node is None:
        return None
    if similar:
        # an allergy to X is one to a compound similar to X; the others are not known: never clears
        parts = node.items if isinstance(node, c.Any) else (node,)
        node = c.Any((*parts, c.Unparsed(similar.group("similar"))))
    return c.All((node, c.Unparsed(narrow))) if narrow else node


def _substances(clause: Clause, obj: str) -> c.Node | None:
    obj = obj.strip(" ,.")
    tail = _EXCIPIENT_TAIL.search(obj)
    # "X or any component of the study drug": the study drug's components are the study treatment's
    tail_study = tail is not None and ("study" in tail.group(0) or "investigational" in tail.group(0))
    obj = obj[:tail.start()] if tail else obj
    lead = _EXCIPIENT_LEAD.match(obj)
    if lead:  # "any component of the nivolumab formulation": the drug
        obj = _FORMULATION.sub("", obj[lead.end():])
    if not obj or re.search(r"\band\b(?!/or)", obj):
        return None  # "A and B": each, or only together? not said
    drugs: list[str] = []
    classes: list[str] = []
    study = tail_study
    unknown: list[str] = []
    for part in (p for p in _LIST.split(obj) if p):
        part = part.strip()
        if _STUDY.match(part):
            study = True
            continue
        bare = _PART_LEAD.sub("", part)
        if _REFUSED.search(bare):
            return None
        found = resolve_drug(clause, bare) or (
            resolve_drug(clause, THERAPY_WORD.sub("", bare)) if THERAPY_WORD.search(bare) else None)
        if found is not None and not (set(found.classes) & _SYSTEMIC and len(found.classes) > 1):
            drugs += found.drugs
            classes += found.classes
        elif _NAME.match(bare) and not _NOT_A_NAME.search(bare):
            unknown.append(part)
        else:
            return None
    if not (drugs or classes or study):
        return None
    atom = c.Hypersensitivity(drugs=tuple(dict.fromkeys(drugs)), classes=tuple(dict.fromkeys(classes)),
                              study_treatment=study)
    return c.Any((atom, *(c.Unparsed(u) for u in unknown))) if unknown else atom
