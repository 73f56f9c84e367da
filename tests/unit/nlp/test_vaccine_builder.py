"""The vaccine builder (nlp/builders/vaccines.py) through the public parser: live vaccines within a
window, from real items of tests/data/trials/oncology-trials.jsonl (NCT id beside each), and the shapes
that stay Unparsed."""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def live(days):
    return {"type": "not", "item": {"type": "vaccination", "within_days": days}}


READ = [
    ("Received a live vaccine within 30 days of planned start of study medication", live(30)),  # NCT02332668
    ("Patients must not have been administered a live vaccine ≤ 4 weeks before enrollment.", live(28)),  # NCT04918186
    ("Use of any live vaccines against infectious diseases (eg, influenza, varicella) within 4 weeks (28 days) of "
     "C1D1.", live(28)),  # NCT06648434
    ("Receipt of live attenuated vaccine (including against COVID-19) within 30 days prior to the first dose of "
     "study intervention.", live(30)),  # NCT05261399
]


@pytest.mark.parametrize("text, node", READ, ids=[x[0][:40] for x in READ])
def test_exclusions_read(vocab, text, node):
    assert parse_one(vocab, "exc", text) == ("fully_structured", node)


def test_a_permission_of_killed_vaccines_stays_beside_the_atom(vocab):
    # NCT04317534: the second sentence documents the live reading; kept (All), never dropped
    status, node = parse_one(vocab, "exc", "Has received a live or live-attenuated vaccine within 30 days prior to "
                                           "the first dose of study drug. Administration of killed vaccines is allowed.")
    assert status == "partly_structured"
    assert node["item"]["items"][0] == {"type": "vaccination", "within_days": 30}


def test_a_window_that_is_not_the_trials_start_is_not_the_atoms(vocab):
    # NCT05463263: "or whilst participating in the study" is no washout window: kept Unparsed beside it
    status, node = parse_one(vocab, "exc", "Subjects who have received a live vaccine within 30 days prior to study "
                                           "enrollment or whilst participating in the study.")
    assert status == "partly_structured" and node["item"]["items"][0] == {"type": "vaccination", "within_days": 30}


@pytest.mark.parametrize("section, text", [
    ("exc", "Receipt of any vaccine within 30 days prior to the first dose of study treatment"),  # any vaccine
    ("exc", "Received any tumor vaccines within the previous 6 weeks"),
    ("exc", "Live COVID-19 vaccine administered ≤ 28 days prior to registration"),  # a named vaccine
    ("exc", "Live vaccines"),  # no window
    ("inc", "No live vaccine within 30 days prior to the first dose"),  # inclusions are not read
])
def test_not_read(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed" and node["type"] == "unparsed"
