import pytest

from trialmatch.errors import CriteriaError
from trialmatch.trial_review import apply_overrides, criteria_items, item_status

DOC = {
    "trial_id": "NCT0",
    "criteria": {"type": "all", "items": [
        {"type": "age", "min": 18, "id": "inc-1", "text": "Age >= 18"},
        {"type": "unparsed", "text": "Measurable disease per RECIST", "id": "inc-2"},
        {"type": "unparsed", "text": "Signed consent", "non_clinical": True, "id": "inc-3"},
        {"type": "all", "id": "inc-4", "text": "ECOG 0-1 and adequate organ function",
         "items": [{"type": "performance_status", "max": 1}, {"type": "unparsed", "text": "adequate organ function"}]},
        {"type": "not", "id": "exc-1", "text": "Pregnant", "item": {"type": "pregnancy"}},
    ]},
    "arms": [{"id": "A", "label": "Arm A", "criteria": {"type": "biomarker", "marker": "HER2", "status": ["positive"],
                                                         "id": "a-1", "text": "HER2+"}}],
}


def test_items_list_every_top_level_item_with_its_status_and_arm_items():
    items = criteria_items(DOC)
    assert [(i["scope"], i["id"], i["status"]) for i in items] == [
        ("trial", "inc-1", "structured"), ("trial", "inc-2", "unparsed"), ("trial", "inc-3", "non_clinical"),
        ("trial", "inc-4", "partly_structured"), ("trial", "exc-1", "structured"), ("arm:A", "a-1", "structured"),
    ]
    assert items[0]["text"] == "Age >= 18"


def test_not_of_unparsed_is_unparsed():
    assert item_status({"type": "not", "item": {"type": "unparsed", "text": "x"}}) == "unparsed"


def test_an_override_replaces_the_named_item_keeping_id_and_source_text():
    new = apply_overrides(DOC, [{"id": "inc-2", "node": {"type": "metastasis", "extent": "metastatic"}}])
    assert new["criteria"]["items"][1] == {"type": "metastasis", "extent": "metastatic", "id": "inc-2",
                                           "text": "Measurable disease per RECIST"}
    assert DOC["criteria"]["items"][1]["type"] == "unparsed"  # the original is not changed
    new = apply_overrides(DOC, [{"id": "a-1", "node": {"type": "biomarker", "marker": "HER2", "status": ["low"]}}])
    assert new["arms"][0]["criteria"]["text"] == "HER2+" and new["arms"][0]["criteria"]["status"] == ["low"]


def test_an_override_of_an_unknown_item_is_refused_by_id():
    with pytest.raises(CriteriaError, match="inc-99"):
        apply_overrides(DOC, [{"id": "inc-99", "node": {"type": "age", "min": 1}}])


@pytest.mark.parametrize("overrides", [None, [], [{"id": "inc-1"}], [{"node": {}}], ["inc-1"]])
def test_malformed_overrides_are_refused(overrides):
    with pytest.raises(CriteriaError, match="overrides"):
        apply_overrides(DOC, overrides)
