from datetime import date

import pytest

from trialmatch.domain import facts as f
from trialmatch.entered_facts import merge, parse_entered_facts
from trialmatch.errors import PatientDataError

AS_OF = date(2026, 11, 26)


def test_entered_facts_become_dated_evidence_marked_as_entered():
    facts = parse_entered_facts({
        "markers": [{"marker": "HER2", "status": "positive", "date": "2026-11-01"}],
        "performance": [{"scale": "ECOG", "value": 1, "date": "2026-11-20"}],
    }, as_of=AS_OF)
    assert facts.markers == (f.TumorMarker(evidence="entered:markers[0]", marker="HER2", status="positive",
                                           date=date(2026, 11, 1)),)
    assert facts.performance == (f.PerformanceStatus(evidence="entered:performance[0]", scale="ECOG", value=1,
                                                     ecog=(1,), date=date(2026, 11, 20)),)


def test_merge_adds_to_the_record_and_keeps_what_it_had():
    record = f.PatientFacts(sex="female", markers=(f.TumorMarker("Observation/1", "ER", "positive"),))
    entered = parse_entered_facts({"markers": [{"marker": "HER2", "status": "negative", "date": "2026-01-02"}]},
                                  as_of=AS_OF)
    merged = merge(record, entered)
    assert [m.marker for m in merged.markers] == ["ER", "HER2"] and merged.sex == "female"
    assert merge(record, parse_entered_facts(None, as_of=AS_OF)) is record


@pytest.mark.parametrize("data, location", [
    ([], "entered_facts"),
    ({"labs": []}, "entered_facts.labs"),
    ({"markers": {}}, "entered_facts.markers"),
    ({"markers": [{"marker": "HER2", "status": "positive"}]}, "entered_facts.markers[0].date"),
    ({"markers": [{"marker": "HER2", "status": "pos", "date": "2026-11-01"}]}, "entered_facts.markers[0].status"),
    ({"markers": [{"marker": "HER2", "date": "2026-11-01"}]}, "entered_facts.markers[0]"),
    ({"markers": [{"marker": "HER2", "status": "positive", "date": "2027-01-01"}]}, "entered_facts.markers[0].date"),
    ({"markers": [{"marker": "HER2", "status": "positive", "date": "2026-11-01", "evidence": "x"}]},
     "entered_facts.markers[0].evidence"),
    ({"markers": [{"marker": "HER2", "colour": "red", "date": "2026-11-01"}]}, "entered_facts.markers[0]"),
    ({"performance": [{"scale": "Karnofsky", "value": 80, "date": "2026-11-01"}]}, "entered_facts.performance[0]"),
    ({"performance": [{"scale": "ECOG", "value": 7, "date": "2026-11-01"}]}, "entered_facts.performance[0]"),
])
def test_each_problem_is_refused_naming_its_location(data, location):
    with pytest.raises(PatientDataError) as caught:
        parse_entered_facts(data, as_of=AS_OF)
    assert caught.value.issues[0][0] == location
