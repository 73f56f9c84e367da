"""Hypersensitivity: a known allergy to a drug, a drug class, or the trial's study treatment.

Evidence is the patient's AllergyIntolerance records (``PatientFacts.allergies``). Records
refuted, entered in error, inactive or resolved say nothing about the patient now and are not
read. In order:

1. A record whose substance is one of the atom's drugs, or a drug of one of its classes
   (vocabulary ingredient keys, from RxNorm codes or exact drug names) -> MET; if every such
   record is unconfirmed or an intolerance (not a hypersensitivity) -> UNKNOWN (to_confirm).
2. ``study_treatment`` ("any component of the study drug"): the compiled trial does not know
   its intervention drugs, so a recorded allergy to any drug (a record not marked food or
   environment) leaves it UNKNOWN (to_confirm: is that drug a component of the study
   treatment?). Its only other evidence is a "no known (drug) allergy" statement (3).
3. A "no known drug allergy" (SNOMED CT 409137002) or "no known allergy" (716186003)
   statement, within its freshness window (``freshness.yaml``: ``no_known_allergy``), with no
   other record it contradicts (a drug allergy for either statement, any allergy for "no
   known allergy") -> NOT_MET. A stale or contradicted statement -> UNKNOWN.
4. Anything else -> UNKNOWN: no record of the drug is not evidence that there is no allergy
   (lists are incomplete), whatever other allergies are recorded. The missing item is the
   "allergy list" (``to_confirm`` in an exclusion, ``missing`` in an inclusion).
"""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import TO_CONFIRM
from trialmatch.matching.outcome_build import absent_kind, day, evidence, is_fresh, met, not_met, unknown

NOT_READ_VERIFICATION = frozenset({"refuted", "entered-in-error"})
ENDED = frozenset({"inactive", "resolved"})
NOT_DRUG = frozenset({"food", "environment"})
ALLERGY_LIST = "allergy list"


def current(allergies):
    """The records that speak of the patient now (newest first, as the view keeps them)."""
    return [a for a in allergies if a.verification_status not in NOT_READ_VERIFICATION
            and a.clinical_status not in ENDED]


def is_drug_record(a) -> bool:
    """An allergy that may be to a drug: not a statement, and not only food or environment."""
    return not a.no_known and not (a.category and set(a.category) <= NOT_DRUG)


def named(a) -> str:
    """What the record names, as written (its first display, else its text, else its code)."""
    for coding in a.codes:
        if coding.display:
            return coding.display
    return ", ".join(a.substances) or next((x.code for x in a.codes if x.code), "allergy")


def label(node: c.Hypersensitivity) -> str:
    names = [*node.drugs, *(k.replace("_", " ") for k in node.classes)]
    if node.study_treatment:
        names.append("the study treatment")
    return " or ".join(names)


def compile_hypersensitivity(node: c.Hypersensitivity, negated, vocab, units):
    members = frozenset(node.drugs).union(*(vocab.class_members(k) for k in node.classes))
    what = label(node)
    item_to_confirm = f"allergy to {what}"

    def evaluate(ctx):
        records = current(ctx.view.allergies)
        hits = [a for a in records if not a.no_known and members.intersection(a.substances)]
        if hits:
            ev = tuple(evidence(a.evidence, named(a), a.date) for a in hits)
            sure = [a for a in hits if a.verification_status != "unconfirmed" and a.kind != "intolerance"]
            if sure:
                return met(node, f"allergy to {named(sure[0])} recorded ({day(sure[0].date)})", ev)
            return unknown(node, f"{named(hits[0])} recorded as an unconfirmed allergy or an intolerance",
                           item_to_confirm, TO_CONFIRM, ev)
        drug_records = [a for a in records if is_drug_record(a)]
        if node.study_treatment and drug_records:
            ev = tuple(evidence(a.evidence, named(a), a.date) for a in drug_records)
            return unknown(node, f"allergy to {named(drug_records[0])} recorded: whether it is a component "
                           f"of the study treatment is for the clinician", item_to_confirm, TO_CONFIRM, ev)
        statements = [a for a in records if a.no_known]
        if statements:
            latest = statements[0]
            said = "no known drug allergy" if latest.no_known == "drug_allergy" else "no known allergy"
            ev = (evidence(latest.evidence, said, latest.date),)
            against = drug_records if latest.no_known == "drug_allergy" else [a for a in records if not a.no_known]
            window = ctx.rules.window("no_known_allergy")
            if against:
                return unknown(node, f"'{said}' recorded, but also an allergy to {named(against[0])}",
                               ALLERGY_LIST, absent_kind(negated), ev)
            if not is_fresh(latest.date, window, ctx.as_of):
                return unknown(node, f"'{said}' recorded {day(latest.date)}, older than {window} days",
                               ALLERGY_LIST, absent_kind(negated), ev)
            return not_met(node, f"{said} recorded ({day(latest.date)})", ev)
        if drug_records:
            ev = tuple(evidence(a.evidence, named(a), a.date) for a in drug_records)
            return unknown(node, f"no record names {what} (allergies to other or uncoded substances are "
                           f"recorded); an unrecorded allergy is not ruled out", ALLERGY_LIST, absent_kind(negated), ev)
        return unknown(node, "no allergy record", ALLERGY_LIST, absent_kind(negated))

    return evaluate
