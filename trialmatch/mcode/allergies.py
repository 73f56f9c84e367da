"""AllergyIntolerance -> Allergy facts (the evidence of Hypersensitivity atoms).

Read as recorded, never guessed: the substance is the record's ``code`` (and any
``reaction.substance``) as codings; ``substances`` are the vocabulary's drug ingredient keys
those codings name: an RxNorm code the vocabulary maps, or a coding display or the concept's
text that is exactly a drug's name, brand or synonym (case aside; "Keytruda" is
pembrolizumab, "pembrolizumab injection" is not read), once the words of a SNOMED CT allergy
finding around it are taken off ("Allergy to carboplatin (finding)", "Carboplatin allergy"). A statement of absence, SNOMED CT
716186003 "No known allergy" or 409137002 "No known drug allergy", is kept as ``no_known``
(the matcher decides what it shows). A record recorded in error is not a fact. A record with
no code at all names nothing: dropped with a warning naming its location (no value is logged).
"""

from __future__ import annotations

import functools
import re

from trialmatch.domain.facts import RXNORM, SNOMED, Allergy
from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import codings, parse_date, status_code

# SNOMED CT situations that state an absence (checked against the FHIR specification's
# examples allergyintolerance-nka and allergyintolerance-nkda)
NO_KNOWN = {"716186003": "allergy", "409137002": "drug_allergy"}
VOID = frozenset({"entered-in-error"})
CATEGORIES = frozenset({"food", "medication", "environment", "biologic"})
KINDS = frozenset({"allergy", "intolerance"})


@functools.lru_cache(maxsize=4)
def _drug_names(vocab) -> dict[str, str]:
    """Lower-case drug name, brand or synonym -> ingredient key (names two drugs share are left out)."""
    found: dict[str, set[str]] = {}
    for key, drug in vocab.drugs.drugs.items():
        for name in (key, *drug.brands, *drug.synonyms):
            found.setdefault(name.strip().lower(), set()).add(key)
    return {name: next(iter(keys)) for name, keys in found.items() if len(keys) == 1}


# SNOMED CT allergy findings name the substance in their display: "Allergy to pembrolizumab
# (finding)", "Carboplatin allergy"; the words around it are taken off, the rest must still be a
# drug's exact name
_WRAPPING = re.compile(r"^(?:allergy|hypersensitivity|allergic reaction) to |(?: allergy| hypersensitivity)?"
                       r"(?: \((?:finding|substance|disorder|product)\))?$")


def _name(text: str, names: dict[str, str]) -> str:
    text = text.strip().lower()
    return names.get(text) or names.get(_WRAPPING.sub("", text).strip(), "")


def substances(codes: tuple, texts: tuple[str, ...], vocab) -> tuple[str, ...]:
    out: list[str] = []
    names = _drug_names(vocab) if vocab is not None else {}
    for c in codes:
        if c.system == RXNORM and c.code and vocab is not None:
            out.extend(vocab.drugs_for_rxnorm(c.code))
        if c.display:
            out.append(_name(c.display, names))
    out.extend(_name(t, names) for t in texts)
    return tuple(dict.fromkeys(x for x in out if x))


def allergy(entry: Entry, vocab, warnings: Warnings) -> Allergy | None:
    r = entry.resource
    verification = status_code(r.get("verificationStatus"))
    if verification in VOID:
        return None
    concept = r.get("code") if isinstance(r.get("code"), dict) else {}
    codes = codings(concept)
    texts = [concept["text"]] if isinstance(concept.get("text"), str) else []
    for reaction in r.get("reaction") or ():
        if isinstance(reaction, dict) and isinstance(reaction.get("substance"), dict):
            codes += codings(reaction["substance"])
            text = reaction["substance"].get("text")
            texts += [text] if isinstance(text, str) else []
    if not codes and not texts:
        warnings.add(f"{entry.location}.code", "allergy record names no substance; not used")
        return None
    no_known = next((NO_KNOWN[c.code] for c in codes if c.system == SNOMED and c.code in NO_KNOWN), None)
    category = tuple(x for x in r.get("category") or () if x in CATEGORIES)
    onset = parse_date(r.get("onsetDateTime")) or parse_date((r.get("onsetPeriod") or {}).get("start"))
    when = parse_date(r.get("recordedDate")) or onset or parse_date(r.get("lastOccurrence"))
    return Allergy(
        evidence=entry.evidence, codes=codes, substances=substances(codes, tuple(texts), vocab),
        category=category, kind=r.get("type") if r.get("type") in KINDS else None,
        clinical_status=status_code(r.get("clinicalStatus")), verification_status=verification,
        no_known=no_known, date=when,
    )
