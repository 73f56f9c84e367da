"""Progression on, relapse after, refractoriness to a therapy (builders/progression.py): the therapy
was received (PriorTherapy necessary), the progression stays Unparsed beside it. Item texts are
from tests/data/trials/oncology-trials.jsonl (NCT id beside each)."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.progression import progressed_on
from trialmatch.nlp.terms import terms_for
from tests.unit.nlp.test_therapy_recall import NOT, ALL, parse_one


def words(text):
    return {"type": "unparsed", "text": text}


READ = [
    ("inc", "Has progressed on a prior PD-1/PD-L1 treatment",  # NCT06771544
     ("partly_structured", {"type": ALL, "items": [
         {"type": "prior_therapy", "classes": ["anti_pd1", "anti_pdl1"]}, words("progressed on")]})),
    ("inc", "Patients must have progressed on prior line(s) of therapy.",  # NCT06800313
     ("partly_structured", {"type": ALL, "items": [{"type": "prior_therapy", "min_lines": 1}, words("progressed on")]})),
    ("inc", "Progression on ≥1 line of systemic therapy.",  # NCT06843551
     ("partly_structured", {"type": ALL, "items": [{"type": "prior_therapy", "min_lines": 1}, words("Progression on")]})),
    ("inc", "Disease progression after at least one prior systemic therapy.",  # NCT05458219
     ("partly_structured", {"type": ALL, "items": [
         {"type": "prior_therapy", "min_lines": 1}, words("Disease progression after")]})),
    # the longest connector is read ("on or after", not "on")
    ("inc", "Disease progression on or after at least one prior novel hormonal therapy (NHT)",  # NCT05168618 (head)
     ("partly_structured", {"type": ALL, "items": [
         {"type": "prior_therapy", "classes": ["arpi"], "min_lines": 1}, words("Disease progression on or after")]})),
    # in an exclusion: a patient without the drug recorded is UNKNOWN, never excluded
    ("exc", "Disease progression on ibrutinib",  # NCT06757647
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "prior_therapy", "drugs": ["ibrutinib"]}, words("Disease progression on")]}})),
    ("exc", "Patients who have progressed while receiving a PARP inhibitor",  # NCT05554328
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "prior_therapy", "classes": ["parp_inhibitor"]}, words("progressed while receiving")]}})),
    ("exc", "Prior progression of disease on abemaciclib, fulvestrant, or other selective estrogen receptor degrader "
            "(SERD) therapy.",  # NCT05696626 (labels)
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "prior_therapy", "drugs": ["abemaciclib", "fulvestrant"], "classes": ["serd"]},
         words("Prior progression of disease on")]}})),
    # a setting after the therapy narrows it: kept unparsed beside it (the qualifier pattern)
    ("inc", "Must have progressed on at least 1 line of prior therapy for locally advanced/metastatic NSCLC, as stated "
            "in the protocol.",  # NCT06568939
     ("partly_structured", {"type": ALL, "items": [
         {"type": ALL, "items": [{"type": "prior_therapy", "min_lines": 1}, words("progressed on")]},
         words("for locally advanced/metastatic NSCLC, as stated in the protocol")]})),
    ("inc", "Relapsed/refractory disease after failure of ≥ 2 prior lines of therapy.",  # NCT04690595
     ("partly_structured", {"type": ALL, "items": [
         {"type": "prior_therapy", "min_lines": 2}, words("Relapsed/refractory disease after failure of")]})),
    ("inc", "Relapsed or refractory to at least 2 prior lines of therapy",
     ("partly_structured", {"type": ALL, "items": [
         {"type": "prior_therapy", "min_lines": 2}, words("Relapsed or refractory to")]})),
]


@pytest.mark.parametrize("section, text, expected", READ)
def test_read(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


REFUSED = [
    # a time counted from the therapy, not from today
    ("inc", "Progression within 6 months of completing platinum-based chemotherapy"),
    ("inc", "Disease progression on or within 6 months after completion of platinum-based chemotherapy"),
    # intolerance may be known without the drug ever given; "ineligible" says it was not given
    ("inc", "Progressed on or are intolerant to prior anti-PD-1 therapy"),
    ("inc", "Refractory to or intolerant of fluoropyrimidine, oxaliplatin and irinotecan"),
    ("inc", "Disease progressed on or ineligible for platinum-based chemotherapy"),
]


@pytest.mark.parametrize("section, text", REFUSED)
def test_refused(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


def _build(vocab, text, section="inclusion"):
    return progressed_on(Clause(text, terms_for(vocab), section))


def test_bare_count_without_what_was_counted_refused(vocab):
    # label 100 (NCT06973187): "relapsed after or refractory to at least 1 line of therapy including a cBTKi"
    # is cut by the qualifier pattern before "of therapy ..."; the bare count is not read
    assert _build(vocab, "disease relapsed after or refractory to >= 1 line") is None
    assert _build(vocab, "disease relapsed after >= 1 prior line") == c.All((
        c.PriorTherapy(min_lines=1), c.Unparsed("disease relapsed after")))


def test_a_count_word_is_not_a_kind_of_therapy(vocab):
    # NCT04429542: "progressed on one prior systemic therapy" (exactly one? at least one?) is not
    # All(PriorTherapy(systemic), Unparsed("one"))
    assert _build(vocab, "progressed on one prior systemic therapy") is None



# a count of lines after "previously treated with" / "been treated with" (the lines were given)
@pytest.mark.parametrize("text, lines", [
    ("Subjects must have been treated with at least two lines of therapy.", 2),  # NCT05418088 (first sentence)
    ("Patients must have been treated with at least 1 prior line of therapy.", 1),  # NCT05711615 (first sentence)
    ("Previously treated with at least one line of systemic anticancer therapy", 1),
])
def test_count_after_treated_with(vocab, text, lines):
    assert parse_one(vocab, "inc", text) == ("fully_structured", {"type": "prior_therapy", "min_lines": lines})
