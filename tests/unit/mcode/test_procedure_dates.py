"""A procedure's date is the last day it was performed (mcode/treatments.py): the end of a
radiotherapy course, not its first fraction; a course under way has no last day yet."""

from __future__ import annotations

import copy
from datetime import date

from tests.unit.mcode.conftest import load_bundle
from trialmatch.mcode import extract_facts

JENNY = "mcode-ig-assembled/Bundle-assembled-cancer-patient-jenny-m.json"
COURSE = "Procedure/radiotherapy-treatment-summary-chest-wall-jenny-m"


def _course(bundle):
    return next(e["resource"] for e in bundle["entry"]
                if f"Procedure/{e['resource'].get('id')}" == COURSE)


def _dates(bundle, vocab):
    return {p.evidence: (p.kind, p.date) for p in extract_facts(bundle, vocab).procedures}


def test_a_radiotherapy_course_is_dated_by_its_last_day(vocab):
    bundle = load_bundle(JENNY)
    assert _course(bundle)["performedPeriod"] == {"start": "2018-08-15", "end": "2018-10-25"}
    dates = _dates(bundle, vocab)
    assert dates[COURSE] == ("radiation", date(2018, 10, 25))
    # a surgery with one performedDateTime keeps that day
    assert ("surgery", date(2018, 4, 1)) in dates.values()


def test_a_course_under_way_has_no_known_last_day(vocab):
    bundle = copy.deepcopy(load_bundle(JENNY))
    course = _course(bundle)
    course["status"] = "in-progress"
    course["performedPeriod"] = {"start": "2018-08-15"}
    assert _dates(bundle, vocab)[COURSE] == ("radiation", None)
    # completed with no end recorded: its start is the only day known
    course["status"] = "completed"
    assert _dates(bundle, vocab)[COURSE] == ("radiation", date(2018, 8, 15))
