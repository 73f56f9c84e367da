"""Sections and items: spellings of headings, bullets, nesting, wrapped lines, notes, and
no text lost on the 1,000 real trials."""

from __future__ import annotations

import json
from pathlib import Path

from trialmatch.nlp.sections import CRITERION, EXCLUSION, HEADING, INCLUSION, NOTE, UNKNOWN_SECTION, split_segments

TRIALS = Path(__file__).resolve().parents[2] / "data" / "trials" / "oncology-trials.jsonl"


def _view(text):
    return [(s.section, s.kind, s.text, s.scope) for s in split_segments(text)]


def test_heading_spellings_open_sections():
    for heading, section in [
        ("Inclusion Criteria:", INCLUSION), ("INCLUSION CRITERIA", INCLUSION), ("* INCLUSION CRITERIA:", INCLUSION),
        ("Key Exclusion Criteria", EXCLUSION), ("Exclusion criteria:", EXCLUSION), ("-INCLUSION CRITERIA:", INCLUSION),
        ("Inclusion Criteria and Exclusion Criteria:", UNKNOWN_SECTION),
    ]:
        segments = split_segments(f"{heading}\n\n* Age >= 18\n")
        assert [(s.section, s.kind) for s in segments] == [(section, HEADING), (section, CRITERION)], heading


def test_items_of_each_marker_kind():
    text = "Inclusion Criteria:\n\n* one\n- two\n\\- three\n1. four\n2) five\na. six\n• seven\n\nplain paragraph\n"
    assert [s.text for s in split_segments(text) if s.kind == CRITERION] == [
        "one", "two", "three", "four", "five", "six", "seven", "plain paragraph"]


def test_nested_bullets_and_wrapped_lines_stay_with_their_item():
    text = ("Inclusion Criteria:\n\n* Adequate organ function defined as:\n  * ANC >= 1.5\n  * Platelets >= 100\n"
            "* A long item that wraps\n  onto a second line\n")
    segments = [s for s in split_segments(text) if s.kind == CRITERION]
    assert [s.text for s in segments] == [
        "Adequate organ function defined as:\n  * ANC >= 1.5\n  * Platelets >= 100",
        "A long item that wraps\n  onto a second line",
    ]
    first = segments[0]
    assert [text[a:b] for a, b in first.children] == ["ANC >= 1.5", "Platelets >= 100"]


def test_sub_headings_and_notes():
    text = ("Inclusion Criteria:\n\nCohort A:\n\n* HER2-positive\n\nDisease characteristics:\n\n* Age >= 18\n\n"
            "Exclusion Criteria:\n\n* HIV\n\nNote: Other protocol-defined Inclusion/Exclusion Criteria apply\n")
    assert _view(text) == [
        (INCLUSION, HEADING, "Inclusion Criteria:", None),
        (INCLUSION, HEADING, "Cohort A:", "Cohort A:"),
        (INCLUSION, CRITERION, "HER2-positive", "Cohort A:"),
        (INCLUSION, HEADING, "Disease characteristics:", None),
        (INCLUSION, CRITERION, "Age >= 18", None),
        (EXCLUSION, HEADING, "Exclusion Criteria:", None),
        (EXCLUSION, CRITERION, "HIV", None),
        (EXCLUSION, NOTE, "Note: Other protocol-defined Inclusion/Exclusion Criteria apply", None),
    ]


def test_a_note_right_after_an_item_stays_with_it():
    text = "Exclusion Criteria:\n\n* Brain metastases\nNote: treated ones are allowed\n* HIV\n"
    assert [s.text for s in split_segments(text) if s.kind == CRITERION] == [
        "Brain metastases\nNote: treated ones are allowed", "HIV"]


def test_offsets_give_back_the_text():
    text = "Inclusion Criteria:\n\n* Age \\>= 18 years\n\nExclusion Criteria:\n\n1. Pregnant\n"
    for s in split_segments(text):
        assert text[s.start:s.end] == s.text


def test_no_text_is_lost_on_the_1000_trials():
    """Every non-blank line belongs to exactly one item (headings and notes included)."""
    lost = []
    trials = 0
    for line in TRIALS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record["eligibility"]["raw_text"] or ""
        trials += 1
        segments = split_segments(text)
        pos = 0
        for raw in text.splitlines(keepends=True):
            body = raw.rstrip("\r\n")
            if body.strip():
                start = pos + len(body) - len(body.lstrip())
                end = pos + len(body.rstrip())
                owners = [s for s in segments if s.start < end and start < s.end]
                if len(owners) != 1:
                    lost.append((record["nct_id"], body.strip()[:60], len(owners)))
            pos += len(raw)
        for s in segments:
            assert text[s.start:s.end] == s.text
    assert trials == 1000
    assert lost == []


def test_a_long_lead_in_is_an_item_not_a_dropped_heading():
    text = ("Inclusion Criteria:\n\nPatients must have completed first line platinum-based therapy:\n\n"
            "* Age >= 18\n")
    assert _view(text) == [
        (INCLUSION, HEADING, "Inclusion Criteria:", None),
        (INCLUSION, CRITERION, "Patients must have completed first line platinum-based therapy:", None),
        (INCLUSION, CRITERION, "Age >= 18", None),
    ]


def test_a_line_saying_the_following_criteria_exclude_opens_the_exclusions():
    # NCT06660654 (shortened): there was no "Exclusion Criteria" heading, so its exclusions were read as
    # inclusion requirements (a wrong "ineligible")
    text = ("Participants must meet all of the following criteria to be eligible for enrollment into the trial:\n\n"
            "Inclusion Criteria:\n\n1. Adults ≥18 years of age on the day of signing the ICF.\n\n"
            "Participants who meet any of the following criteria will be disqualified from entering the trial:\n\n"
            "1. Clinically active brain metastases, spinal cord compression, or leptomeningeal carcinomatosis\n"
            "2. Clinically severe pulmonary compromise\n")
    view = _view(text)
    assert view[-3:] == [
        (EXCLUSION, HEADING, "Participants who meet any of the following criteria will be disqualified from entering the trial:",
         None),
        (EXCLUSION, CRITERION, "Clinically active brain metastases, spinal cord compression, or leptomeningeal carcinomatosis",
         None),
        (EXCLUSION, CRITERION, "Clinically severe pulmonary compromise", None),
    ]


def test_other_spellings_of_an_exclusion_lead_in():
    # lead-ins of the 1,000 trials (NCT05443126, NCT05650723, NCT04771572, NCT06916767), put under an inclusion heading
    for line in ["Patients with any of the following will not be included in the study:",
                 "A subject will be ineligible for the study if he/she meets the following criteria:",
                 "A subject will not be eligible for study participation if he/she meets any of the following criteria.",
                 "The presence of any of the following will exclude a participant from study enrollment:"]:
        segments = split_segments(f"Inclusion Criteria:\n\n* Age >= 18\n\n{line}\n\n* HIV\n")
        assert [(s.section, s.kind, s.scope) for s in segments[-2:]] == [
            (EXCLUSION, HEADING, None), (EXCLUSION, CRITERION, None)], line


def test_items_that_merely_say_excluded_are_no_heading():
    for line in [
        # NCT06764095: it names what is excluded; an item
        "* The following histologic variants/divergent differentiation are excluded from trial participation:",
        "The following histologic variants/divergent differentiation are excluded from trial participation:",
        # NCT06712875, NCT05563220
        "Patients with bulky tumor on imaging are ineligible. Bulky tumor is defined as:",
        "Pregnant and breast-feeding women are excluded from the study. In addition, women of childbearing potential are "
        "excluded who:",
        # NCT06520345: a labelled list of a few exclusions among the inclusions (the inclusions go on after it)
        "PSMA exclusion critieria: The presence of any of the following will result in the patient being ineligible for "
        "this trial:",
        # NCT05064280: an exception in the lead-in
        "Patients are excluded from the study if any of the following criteria apply, unless medically indicated and after "
        "approval by study chair/IRB office:",
    ]:
        segments = split_segments(f"Inclusion Criteria:\n\n* Age >= 18\n\n{line}\n\n  * HIV\n")
        assert {s.section for s in segments} == {INCLUSION}, line
