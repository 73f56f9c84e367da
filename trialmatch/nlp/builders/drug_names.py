"""Which drugs and drug classes a phrase names ("prior X" without its lead words and window):
lists of drugs and classes, phrases naming several classes at once ("systemic anticancer therapy"),
classes that need a setting to mean themselves (IMiDs), and whether an atom names a concurrent
(non-oncology) medication. Used by the therapy, allergy and current-use readings."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.treatment_words import THERAPY_WORD

LIST_SPLIT = re.compile(r"\s*(?:,\s*or|,\s*and/or|\s+or|\s+and/or)\s+|\s*,\s*|\s*/\s*")


# phrases naming several classes at once (the evaluation set's conventions)
SYSTEMIC = ("chemotherapy", "immunotherapy", "targeted_therapy", "endocrine_therapy")
_PD = ("anti_pd1", "anti_pdl1")
_MULTI = {
    "systemic anti-cancer": SYSTEMIC, "systemic anticancer": SYSTEMIC, "anti-cancer": SYSTEMIC, "anticancer": SYSTEMIC,
    "systemic antineoplastic": SYSTEMIC, "antineoplastic": SYSTEMIC, "systemic anti-neoplastic": SYSTEMIC,
    "anti-neoplastic": SYSTEMIC, "systemic": SYSTEMIC, "systemic cancer": SYSTEMIC, "anti-tumor": SYSTEMIC,
    "antitumor": SYSTEMIC, "anti-tumour": SYSTEMIC, "antitumour": SYSTEMIC,
    "systemic treatment for cancer": SYSTEMIC, "systemic therapy for cancer": SYSTEMIC,
    "anti-pd-1/pd-l1": _PD, "anti-pd-1/anti-pd-l1": _PD, "pd-1/pd-l1 inhibitor": _PD, "pd-1/pd-l1 inhibitors": _PD,
    "anti-pd-(l)1": _PD, "anti-pd(l)1": _PD, "pd-1/pd-l1": _PD, "anti-pd-1/l1": _PD, "anti-pd-1/pd-l1 antibody": _PD,
    "anti-pd-1/pd-l1 antibodies": _PD, "pd-(l)1 inhibitor": _PD, "pd-(l)1 inhibitors": _PD, "anti-pd-(l)1 antibody": _PD,
}
_MULTI_SUFFIX = re.compile(r" (?:therapy|therapies|treatment|agents?|drugs?|(?:monoclonal )?antibod(?:y|ies)|medications?|"
                           r"inhibitor therapy)$")
# "anti-cancer antibodies" are some systemic therapy, not all of it: the suffix names a kind
_KIND_SUFFIX = re.compile(r" (?:antibod(?:y|ies)|inhibitors?|inhibitor therapy)$")


# classes whose usual name is broader outside one setting: the class is kept only when the clause
# says that setting. "Immunomodulatory drugs/agents" are the IMiDs (thalidomide analogues) in
# myeloma, but steroids, interferons or checkpoint inhibitors elsewhere ("systematic
# immunomodulatory drugs ... such as thymosin, IL-2, IFN", NCT05746897).
_CLASS_NEEDS_CONTEXT = {
    "immunomodulatory_drug": re.compile(r"\bimids?\b|\bimide\b|thalidomide|lenalidomide|pomalidomide|myeloma"),
}


def _in_context(clause: Clause, classes) -> bool:
    return all(k not in _CLASS_NEEDS_CONTEXT or _CLASS_NEEDS_CONTEXT[k].search(clause.text) for k in classes)


_AND = re.compile(r"\band\b(?!/or)")
_PART_LEAD = re.compile(r"^(?:a|an|any|prior|previous|other) ")


def resolve_drug(clause: Clause, phrase: str, concurrent_ok: bool = False) -> c.PriorTherapy | None:
    """The drugs and classes the phrase names. Concurrent medications (``concurrent``) only when
    the caller reads a window or current use (``concurrent_ok``): "prior systemic steroids" with
    no window (ever, even one course years ago) is not what a criterion about them means."""
    atom = resolve_any(clause, phrase)
    if atom is None or not _in_context(clause, atom.classes):
        return None
    return atom if concurrent_ok or not concurrent(clause, atom) else None


def concurrent(clause: Clause, atom: c.PriorTherapy) -> bool:
    """The atom names a concurrent medication: a class marked ``oncology: false`` in the
    vocabulary (systemic corticosteroids, immunosuppressants) or a drug only in such classes."""
    vocab = clause.terms.vocab
    is_oncology = getattr(vocab, "is_oncology_class", None)
    if is_oncology is None:
        return False  # a stand-in vocabulary without the flag
    if any(not is_oncology(k) for k in atom.classes):
        return True
    return any(vocab.drug_classes(d) and not vocab.oncology_drug_classes(d) for d in atom.drugs)


def resolve_any(clause: Clause, phrase: str) -> c.PriorTherapy | None:
    """The drugs and classes a phrase names, read once per phrase: the answer depends on the words
    and the terms only (the same phrase is resolved by the prior, modified, alternatives and naive
    readings of a clause, and again in its heads)."""
    phrase = phrase.strip()
    return clause.terms.remembered(("therapy", phrase), lambda: _read_therapy(clause, phrase))


# "strong CYP3A4 inhibitors or inducers", "strong inhibitors/inducers of CYP3A4": both classes (each
# excludes alone). Strengths are the FDA table's: "strong", "moderate", and both ("strong or moderate",
# "moderate/strong", "strong to moderate", "strong and moderate": the protocol names both kinds). No
# strength ("CYP3A4 inhibitors"), "potent" (strong, or strong and moderate?), weak and other enzymes
# (CYP2C8, CYP2D6, P-gp) are not read. The enzyme's spellings: CYP3A, CYP3A4, CYP3A4/5, CYP 3A4,
# "cytochrome P450 3A4 (CYP3A4)", "cytochrome P450 (CYP) 3A4", "cytochrome P450 (CYP3A4/5)".
_CYP_ID = r"(?:cyp ?3a4?(?:/5|/cyp3a5)?)"
_CYP = (rf"(?:(?:human )?cytochrome p(?:450)? (?:\(cyp\) ?3a4?(?:/5)?|3a4?(?:/5)?(?: \({_CYP_ID}\))?|\({_CYP_ID}\))|"
        rf"\(cyp\) ?3a4?(?:/5)?|{_CYP_ID})")
_STRENGTH = (r"(?P<s>strong|moderate|(?:strong|moderate)(?: or | and | and/or |/| to )(?:strong|moderate))")
_BOTH = r"(?:inhibitors? ?(?:or|and/or|and|/) ?inducers?|inducers? ?(?:or|and/or|and|/) ?inhibitors?)"
_KIND = rf"(?P<k>{_BOTH}|inhibitors?|inducers?)"
_CYP_PHRASE = re.compile(rf"^(?:(?:known|any|a|an) )*(?:{_STRENGTH} {_CYP} {_KIND}|{_STRENGTH.replace('<s>', '<s2>')} "
                         rf"{_KIND.replace('<k>', '<k2>')} of {_CYP}|{_CYP} {_STRENGTH.replace('<s>', '<s3>')} "
                         rf"{_KIND.replace('<k>', '<k3>')})$")


def _cyp_classes(phrase: str) -> tuple[str, ...] | None:
    """The CYP3A classes a phrase names by strength and kind (see above), or None."""
    m = _CYP_PHRASE.match(phrase)
    if not m:
        return None
    strength = m.group("s") or m.group("s2") or m.group("s3")
    kind = m.group("k") or m.group("k2") or m.group("k3")
    strengths = [w for w in ("strong", "moderate") if w in strength]
    kinds = [w for w in ("inhibitor", "inducer") if w in kind]
    return tuple(f"{s}_cyp3a_{k}" for s in strengths for k in kinds)


def _read_therapy(clause: Clause, phrase: str) -> c.PriorTherapy | None:
    if ("strong" in phrase or "moderate" in phrase) and ("cyp" in phrase or "cytochrome" in phrase):
        cyp = _cyp_classes(phrase)
        if cyp:
            return c.PriorTherapy(classes=cyp)
    multi = _MULTI.get(phrase) or _MULTI.get(_MULTI_SUFFIX.sub("", phrase))
    if multi == SYSTEMIC and _KIND_SUFFIX.search(phrase):
        multi = None
    if multi:
        return c.PriorTherapy(classes=multi)
    if _AND.search(phrase):
        return None
    drugs: list[str] = []
    classes: list[str] = []
    whole = drug_or_class(clause, phrase)  # "cdk4/6 inhibition": whole before the slash splits it
    parts = [phrase] if whole else [p for p in LIST_SPLIT.split(phrase) if p]
    for part in parts:
        found = drug_or_class(clause, _PART_LEAD.sub("", part))
        if found is None:
            return None
        (classes if found[0] == "class" else drugs).append(found[1])
    if not drugs and not classes:
        return None
    return c.PriorTherapy(drugs=tuple(dict.fromkeys(drugs)), classes=tuple(dict.fromkeys(classes)))


def drug_or_class(clause: Clause, phrase: str):
    """A drug or class named by the phrase, or by the phrase without a trailing "therapy" /
    "agent" word ("aromatase inhibitor therapy" = "aromatase inhibitor"). "X inhibition
    [therapy]" is therapy with an X inhibitor ("prior therapy with CDK4/6 inhibition")."""
    found = clause.terms.drug_or_class(phrase)
    if found is None and THERAPY_WORD.search(phrase):
        phrase = THERAPY_WORD.sub("", phrase)
        found = clause.terms.drug_or_class(phrase)
    if found is None and phrase.endswith(" inhibition"):
        found = clause.terms.drug_or_class(phrase[:-len("inhibition")] + "inhibitor")
    return found
