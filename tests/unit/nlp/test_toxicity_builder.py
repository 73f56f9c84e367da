"""The residual-toxicity builder (nlp/builders/toxicity.py) through the public parser, on real items of
tests/data/trials/oncology-trials.jsonl (NCT id beside each): persistent toxicity above a grade in an
exclusion and recovery to a grade in an inclusion are both Not(ResidualToxicity(N)); the words the atom
cannot carry stay Unparsed beside it; and the shapes that must stay unparsed."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import from_json, to_json
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.toxicity import build_residual_toxicity, fold_exception


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def tox(n, **kw):
    return {"type": "residual_toxicity", "above_grade": n, **kw}


def no(node):
    return {"type": "not", "item": node}


READ = [
    # exclusions: the toxicity excludes
    ("exc", "Presence of toxicities from prior therapy of grade 2 or higher", no(tox(1))),  # NCT04511039
    ("exc", "Any toxicities from prior treatment that have not recovered to ≤ CTCAE Grade 1", no(tox(1))),  # NCT04390737
    ("exc", "Unresolved toxicity of \\> grade 1 from previous anti-cancer therapy (including radiotherapy).",
     no(tox(1))),  # NCT05065021
    ("exc", "Persistent toxicities Grade \\> 2 caused by previous cancer therapy (per Common Terminology Criteria for "
            "Adverse Event (CTCAE)).", no(tox(2))),  # NCT05498272
    ("exc", "Any adverse event from prior anti-tumor therapy has not yet recovered to≤ grade 1 of CTCAE v5.0.",
     no(tox(1))),  # NCT06187402
    ("exc", "Have any unresolved toxicities from prior therapy greater than National Cancer Institute (NCI) Common "
            "Terminology Criteria for Adverse Events (CTCAE) v5.0 Grade 1.", no(tox(1))),  # NCT06586515
    # "has not recovered ... (i.e., have residual toxicities > grade 1)": the reader's Not, then the section's
    ("exc", "Participants who have not recovered from adverse events due to prior anti-cancer therapy (i.e., have "
            "residual toxicities \\> Grade 1)", no(no(no(tox(1))))),  # NCT05779423
    # inclusions: recovery to a grade is the atom's negation
    ("inc", "Recovered to ≤ Grade 2 toxicity from prior therapy (per CTCAE Version 5.0)", no(tox(2))),  # NCT06228053
    ("inc", "Adequate recovery from toxicities related to prior treatments to at least Grade 1 by CTCAE v 5.0",
     no(tox(1))),  # NCT05512208
    ("inc", "All adverse events associated with any prior surgery must have resolved to CTCAE version 5.0 grade \\< 2 "
            "prior to registration", no(tox(1, therapy="surgery"))),  # NCT06764095
    ("inc", "Recovered to baseline or to CTCAE v5.0 ≤ Grade 1 treatment-related toxicity from prior therapies",
     no(tox(1, or_baseline=True))),  # NCT04820179
    ("inc", "Recovered from all AEs due to previous therapies to Grade ≤1 or baseline.",
     no(tox(1, or_baseline=True))),  # NCT07020221
]


@pytest.mark.parametrize("section, text, node", READ, ids=[x[1][:40] for x in READ])
def test_read_whole(vocab, section, text, node):
    assert parse_one(vocab, section, text) == ("fully_structured", node)


def test_exceptions_of_known_terms_become_the_atoms_with_their_grades(vocab):
    # clause level (the sentence reader cuts most exceptions off before the builders see them)
    clause = Clause("fully recovered from the acute toxic effects (except alopecia) to <= grade 1 to prior "
                    "anti-cancer therapy", None, "inclusion")  # NCT04690595
    assert build_residual_toxicity(clause) == c.Not(c.All((
        c.ResidualToxicity(1, exceptions=(c.ToxicityException("alopecia"),)), c.Unparsed("acute"))))
    clause = Clause("persisting >= grade 2 toxicity (except alopecia and grade 2 peripheral neuropathy) from previous "
                    "anti-cancer treatment", None, "exclusion")
    assert build_residual_toxicity(clause) == c.ResidualToxicity(1, exceptions=(
        c.ToxicityException("alopecia"), c.ToxicityException("peripheral_neuropathy", 2)))
    clause = Clause("persistent toxicity > grade 1 of prior therapy (other than sensory neuropathy grade <= 2)", None,
                    "exclusion")
    assert build_residual_toxicity(clause) == c.ResidualToxicity(1, exceptions=(
        c.ToxicityException("peripheral_sensory_neuropathy", 2),))


def test_an_exception_sentence_folds_into_the_atom_only_when_every_term_is_known():
    head = c.ResidualToxicity(2)
    assert fold_exception(head, "excluding alopecia.") == c.ResidualToxicity(2, exceptions=(c.ToxicityException("alopecia"),))
    assert fold_exception(c.Not(c.All((c.ResidualToxicity(1), c.Unparsed("acute")))),
                          "(except for alopecia and Grade ≤2 neuropathy)") == c.Not(c.All((c.ResidualToxicity(
                              1, exceptions=(c.ToxicityException("alopecia"), c.ToxicityException("peripheral_neuropathy", 2)),
                          ), c.Unparsed("acute"))))
    assert fold_exception(head, "excluding alopecia and stable neuropathy.") is None  # "stable": not a grade
    assert fold_exception(head, "except for alopecia or Grade ≤2 immunotherapy-related thyroid toxicity.") is None
    assert fold_exception(head, "unless the investigator agrees") is None
    assert fold_exception(c.Age(min=18), "except alopecia") is None


def test_exceptions_not_wholly_read_and_narrowing_words_stay_beside_the_atom(vocab):
    # an exception naming a term the atom has not ("hypertension") is never dropped
    clause = Clause("persistent toxicity > grade 1 of prior therapy (except alopecia and hypertension)", None,
                    "exclusion")
    assert build_residual_toxicity(clause) == c.All((c.ResidualToxicity(1), c.Unparsed("except alopecia and hypertension")))
    status, node = parse_one(vocab, "exc", "Unresolved clinically significant AEs \\> Grade 1 from prior anticancer "
                                           "therapy.")  # NCT06084481
    assert node == no({"type": "all", "items": [tox(1), {"type": "unparsed", "text": "clinically significant"}]})
    # the item's exception (cut by the sentence reader) is folded into the atom when every term is known
    status, node = parse_one(vocab, "exc", "Persistent toxicities (\\> Common Terminology Criteria for Adverse Event "
                                           "(CTCAE) grade 2) caused by previous cancer therapy, excluding alopecia.")
    assert node == no(tox(2, exceptions=[{"term": "alopecia"}]))  # NCT03786796
    # and stays Unparsed beside it when one is not: under Not, All never clears a patient
    status, node = parse_one(vocab, "exc", "Persistent toxicities (\\> Common Terminology Criteria for Adverse Event "
                                           "(CTCAE) grade 2) caused by previous cancer therapy, excluding alopecia and "
                                           "hypertension.")
    assert node == no({"type": "all", "items": [tox(2), {"type": "unparsed",
                                                         "text": "excluding alopecia and hypertension."}]})


STAY_UNPARSED = [
    # a misplaced requirement in an exclusion reads like a negation the reader took off (the reader's
    # negated flag tells them apart: "Has not recovered (i.e., to Grade <= 1 ...)" is read, test_sentence_round2)
    ("exc", "Patients must have recovered to grade 1 from toxicities of prior therapy"),
    # a grade with no persistence word: ever, or now?
    ("exc", "Grade ≥3 toxicities attributed to any prior therapy"),
    # two kinds of therapy named (the atom holds one or any)
    ("inc", "Patients must have recovered to ≤ grade 1 from all reversible toxicity related to prior systemic or "
            "radiation therapy."),
    # an adverse event with no cause may be any adverse event
    ("exc", "Has not recovered from AEs to at least Grade 1 by NCI CTCAE"),
    # "< grade 1": grade 0, or a slip for <= 1?
    ("inc", "If have had adverse events (AEs) due to previous anticancer therapies, must have recovered to \\< Grade 1 "
            "or baseline"),
    # a drug named: not "prior anticancer therapy"
    ("inc", "Recovered from toxicities of pembrolizumab to Grade ≤1, excluding endocrine toxicities"),
    # a persistence word in an inclusion is a misplaced exclusion
    ("inc", "Unresolved toxicity \\> CTCAE grade 1 from previous anti-cancer therapy"),
]


@pytest.mark.parametrize("section, text", STAY_UNPARSED, ids=[x[1][:40] for x in STAY_UNPARSED])
def test_shapes_that_stay_unparsed(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert "residual_toxicity" not in str(node), node


def test_every_reading_round_trips_through_json(vocab):
    for section, text, node in READ:
        assert to_json(from_json(node)) == node
