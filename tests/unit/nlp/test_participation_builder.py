"""Investigational agents and other-trial participation (nlp/builders/participation.py) through the
public parser: real items of tests/data/trials/oncology-trials.jsonl (NCT id beside each), and the
shapes that must stay Unparsed (or keep the atom only as a necessary part)."""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def sp(within=None, drug=False):
    return {"type": "study_participation", **({"within_days": within} if within is not None else {}),
            **({"drug_only": True} if drug else {})}


def excluded(node):
    return {"type": "not", "item": node}


FULL = [
    ("Patients who are receiving any other investigational agents.", sp(drug=True)),  # NCT01174121
    ("Concomitant use of other investigational agents.", sp(drug=True)),  # NCT03829332 and others
    ("Concurrent participation in another interventional clinical study.", sp()),  # NCT06797336
    ("Current participant or enrollment in another interventional clinical trial", sp()),  # NCT06884618
    ("Patient is participating in a clinical trial at time of enrolment", sp()),  # NCT07124000
    # a therapeutic trial: one whose primary purpose is treatment
    ("Is participating in another therapeutic clinical trial",
     {"type": "study_participation", "purpose": "treatment"}),  # NCT05663710
    ("Received any other investigational agent within 30 days prior to enrollment.", sp(30, True)),  # NCT06863402
    ("Participation in another clinical study with an investigational product during the last 4 weeks",
     sp(28, True)),  # NCT04892953
    ("Treatment with any investigational drug within 28 days prior to registration.", sp(28, True)),  # NCT04322955
    # the window in an aside: "not now, nor within 28 days" is the window (it holds now)
    ("Patients may not be receiving any other investigational agents (within 28 days prior to Cycle 1, Day 1).",
     sp(28, True)),  # NCT07125183
    ("Participants may not be currently receiving any other investigational agents or have received any "
     "investigational agents within the past four weeks",
     {"type": "any", "items": [sp(drug=True), sp(28, True)]}),  # NCT05630794
]


@pytest.mark.parametrize("text,node", FULL)
def test_exclusions_read_whole(vocab, text, node):
    assert parse_one(vocab, "exc", text) == ("fully_structured", excluded(node))


def test_a_list_of_therapies_with_an_investigational_member_shares_the_window(vocab):
    # NCT06315491: "biologic agent" has no class key and stays an Unparsed alternative
    status, node = parse_one(vocab, "exc", "Cytotoxic chemotherapy, biologic agent, investigational agent, or radiation "
                                           "therapy within 3 weeks prior to the first dose of CBX-12.")
    assert status == "partly_structured"
    assert node == excluded({"type": "any", "items": [
        {"type": "prior_therapy", "classes": ["chemotherapy"], "within_days": 21},
        {"type": "procedure", "kind": "radiation", "within_days": 21},
        sp(21, True),
        {"type": "unparsed", "text": "biologic agent"}]})


def test_half_lives_whichever_is_shorter_keeps_the_longer_bound_beside_the_atom(vocab):
    # NCT06757647: min(30 days, 5 half-lives) is at most 30 days: a dose older than 30 days is clear
    status, node = parse_one(vocab, "exc", "Received any investigational drug within 30 days or 5 half-lives "
                                           "(whichever is shorter) before first dose of study drug")
    assert status == "partly_structured"
    assert node == excluded({"type": "all", "items": [sp(30, True),
                                                      {"type": "unparsed", "text": "or 5 half-lives (whichever is shorter)"}]})


def test_a_narrowing_qualifier_keeps_the_atom_necessary_only(vocab):
    # NCT05800587: receiving investigational agents is necessary; "for cancer" narrows it
    status, node = parse_one(vocab, "exc", "Patients currently receiving investigational agents for cancer.")
    assert status == "partly_structured"
    assert node == excluded({"type": "all", "items": [sp(drug=True), {"type": "unparsed", "text": "for cancer"}]})


UNPARSED = [
    "Prior treatment with an investigational anti-ENPP3/CD203c therapy",  # NCT05433142: ever, and narrowed
    "Participation in a clinical trial that does not permit enrollment in the Get Moving trial",  # NCT06040762
    # ("... within the last 30 days or five half-lives (whichever is longer)", NCT05888493, is read since round 6:
    # Any(StudyParticipation(30), Unparsed(half-lives)), tests/unit/nlp/test_round6_therapy.py)
    # ("Currently participating in or has planned participation in a study of another investigational agent or
    # device", NCT05732831, is read since round 7: Any(drug study now, Unparsed(item)),
    # tests/unit/nlp/test_r7_procedures2.py)
    "Participation in another clinical study with an investigational product administered in the last 14 days prior "
    "to receiving the first dose of HCB101.",  # NCT06216301: the time is not "now"
]


@pytest.mark.parametrize("text", UNPARSED)
def test_shapes_left_unparsed(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node
    assert node == {"type": "unparsed", "text": text}


WIDER = [
    # a drug study is one of the studies the item names: Any(drug study, the item), never cleared by it
    ("Has received an investigational agent or has used an investigational device within 4 weeks prior to study "
     "intervention administration", sp(28, True)),  # NCT06074588, NCT06136650
    ("Currently enrolled in another investigational device or drug trial", sp(drug=True)),  # NCT04958239
    ("Participation in another investigational study within 30 days", sp(30, True)),  # NCT06948552
    # a device study has no drug phase: the device stays in the Unparsed alternative
    ("Participation in another clinical study with an investigational agent or device during the 4 weeks prior to "
     "randomization.", sp(28, True)),  # NCT06216301
]


@pytest.mark.parametrize("text,node", WIDER)
def test_a_wider_study_or_product_keeps_the_drug_study_as_one_alternative(vocab, text, node):
    status, parsed = parse_one(vocab, "exc", text)
    assert status == "partly_structured"
    assert parsed["item"]["type"] == "any" and parsed["item"]["items"][0] == node
    assert parsed["item"]["items"][1]["type"] == "unparsed"


def test_this_trials_own_investigational_product_is_not_another_studys(vocab):
    status, node = parse_one(vocab, "exc", "Men receiving the investigational drug")
    assert not any(n.get("type") == "study_participation" for n in _walk(node))


def _walk(node):
    yield node
    for child in node.get("items", ()):
        yield from _walk(child)
    if "item" in node:
        yield from _walk(node["item"])


def test_the_literal_guard_skips_no_reading_on_real_items():
    # build_participation runs its expressions only when one of its literals is in the clause
    import json
    from pathlib import Path

    from trialmatch.nlp.builders.participation import participation_atom
    from trialmatch.nlp.normalize import normalize

    trials = Path(__file__).resolve().parents[2] / "data" / "trials" / "oncology-trials.jsonl"
    read = 0
    with trials.open(encoding="utf-8") as fh:
        for line in fh:
            raw = (json.loads(line).get("eligibility") or {}).get("raw_text") or ""
            for text in raw.splitlines():
                t = normalize(text.strip(" *-0123456789.\\"))
                if participation_atom(t) is not None:
                    read += 1
                    assert ("investigational" in t or "interventional" in t or "clinical trial" in t
                            or "clinical stud" in t), t
    assert read > 20
