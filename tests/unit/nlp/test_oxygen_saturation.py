"""Oxygen saturation thresholds read as Lab(SPO2) (issue #5), through the public parser.

A recorded saturation may have been taken on oxygen, which only raises it: below the threshold it
settles a room-air criterion, above it leaves the criterion open. Texts are items of
tests/data/trials/oncology-trials.jsonl (NCT id in the comment), parsed alone in their section.
"""

from __future__ import annotations

import pytest

from tests.unit.nlp.test_labs_recall import lab, parse_one


def room_air(kind, node, words="on room air"):
    return {"type": kind, "items": [node, {"type": "unparsed", "text": words}]}


CASES = [
    # NCT05281471: no room air named, the recorded value decides
    ("exc", "Oxygen saturation \\<90%.", "fully_structured",
     {"type": "not", "item": lab("SPO2", "<", value=90, unit="%")}),
    # NCT04690595: at least 92% on room air: a recorded value below 92% settles it, a higher one does not
    ("inc", "O2 saturation ≥ 92% on room air.", "partly_structured",
     room_air("all", lab("SPO2", ">=", value=92, unit="%"))),
    # NCT06654050: the method and the time are documentation
    ("inc", "Oxygen saturation \\>=92% on room air by pulse oximetry at screening.", "partly_structured",
     room_air("all", lab("SPO2", ">=", value=92, unit="%"))),
    # NCT06916767: the lead-in is defined by the value
    ("inc", "Adequate pulmonary function as defined as pulse oximetry ≥ 92% on room air.", "partly_structured",
     room_air("all", lab("SPO2", ">=", value=92, unit="%"))),
    # NCT05254184: below 90% on room air excludes; a recorded value below 90% is enough
    ("exc", "Has a pulse oximetry \\< 90% on room air.", "partly_structured",
     {"type": "not", "item": room_air("any", lab("SPO2", "<", value=90, unit="%"))}),
    # NCT05798897: room air said before the threshold
    ("exc", "Oxygen saturation at room air \\< 92%", "partly_structured",
     {"type": "not", "item": room_air("any", lab("SPO2", "<", value=92, unit="%"), "at room air")}),
]


@pytest.mark.parametrize("section,text,status,expected", CASES, ids=[t[:50] for _, t, _, _ in CASES])
def test_saturation(vocab, section, text, status, expected):
    assert parse_one(vocab, section, text) == (status, expected)


def test_room_air_is_read_only_for_a_saturation(vocab):
    # constructed: another analyte with "on room air" is not a shape the builder knows
    assert parse_one(vocab, "inc", "Hemoglobin ≥ 9 g/dL on room air")[0] != "fully_structured"
