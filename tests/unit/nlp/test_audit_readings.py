"""Readings a clinical audit of 200 random fully structured items (session 6) found wrong, each at
its cause, with the real item text (tests/data/trials/oncology-trials.jsonl)."""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp import parse_eligibility


def _node(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inclusion" else "Exclusion Criteria:"
    [item] = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    return item.node, item.status


def test_active_governs_every_word_after_it_in_another_malignancy(vocab):
    # NCT05887492: "active prior or concurrent" is an active cancer, whenever diagnosed (read as any cancer
    # ever, a breast cancer resolved in 2012 made a lung cancer patient ineligible)
    node, _ = _node(vocab, "exclusion", "Active prior or concurrent malignancy.")
    assert node == c.Not(c.Condition(("other_malignancy",)))
    node, _ = _node(vocab, "exclusion", "Active or prior malignancy")
    assert node == c.Not(c.Condition(("other_malignancy",), active_only=False))  # alternatives: either


def test_a_bare_equals_before_a_performance_grade_is_not_read_as_exact(vocab):
    # NCT04361708 writes every bound as "=" (its NCI copy "=< 1"): exactly 1 failed every ECOG 0 patient
    node, status = _node(vocab, "inclusion", "Eastern Cooperative Oncology Group (ECOG) performance status =1")
    assert status == "unparsed" and isinstance(node, c.Unparsed)
    node, _ = _node(vocab, "inclusion", "ECOG performance status = 0")
    assert node == c.PerformanceStatus(max=0)


def test_unsupported_count_keeps_its_narrowing(vocab):
    # NCT04166409: "(unsupported)" is a count without transfusion; dropped as an abbreviation, a count the
    # day after a transfusion met it
    node, status = _node(vocab, "inclusion", "Platelets \\>= 100,000/uL (unsupported)")
    assert status == "partly_structured"
    assert node == c.All((c.Lab("PLT", ">=", 100000.0, "/uL"), c.Unparsed("(unsupported)")))


def test_including_another_kind_of_therapy_is_not_dropped(vocab):
    # NCT04620239: "(including VEGF-targeted therapy)" adds bevacizumab & co. to a chemotherapy washout
    node, status = _node(vocab, "exclusion",
                         "Systemic chemotherapy treatment (including VEGF-targeted therapy) within 2 months prior to "
                         "enrollment")
    assert status == "unparsed"
    # members of the class named as examples still go
    node, status = _node(vocab, "exclusion", "Received cytotoxic chemotherapy (including fludarabine, cyclophosphamide, "
                                             "bendamustine, or chlorambucil) within the last 6 months")
    assert node == c.Not(c.PriorTherapy(classes=("chemotherapy",), within_days=183))


def test_a_condition_and_a_drug_taken_now_is_a_list_of_exclusions(vocab):
    # NCT05766371 (audit 2): "bleeding diathesis and currently on anticoagulation" read All cleared a patient
    # with von Willebrand disease whose anticoagulant had ended; now both readings must agree
    node, _ = _node(vocab, "exclusion", "History of bleeding diathesis and currently on anti-coagulation therapy")
    bleeding = c.Condition(("bleeding_disorder",), active_only=False)
    anticoagulant = c.PriorTherapy(classes=("anticoagulant",), within_days=0)
    assert isinstance(node, c.Not) and isinstance(node.item, c.Any)
    assert c.All((bleeding, anticoagulant)) in node.item.items


def test_a_permission_on_a_condition_never_makes_the_head_sufficient(vocab):
    # NCT05766371: "Prior radiotherapy is allowed if the last radiotherapy treatment was greater than 2 weeks
    # ...": Any(radiation, Unparsed) made radiotherapy last week a MET (a wrong "eligible"); the head is
    # permitted on a condition, and without it the item asks nothing
    radiation = c.Procedure(kind="radiation")
    node, _ = _node(vocab, "inclusion", "Prior radiotherapy is allowed if completed 4 weeks before.")
    assert node == c.Any((c.Not(radiation), c.All((radiation, c.Unparsed("is allowed if completed 4 weeks before.")))))
    # a requirement after the permission is one of its own
    node, _ = _node(vocab, "inclusion", "Prior radiotherapy is permitted. However, all patients must have received "
                                        "prior platinum.")
    assert isinstance(node, c.All) and node.items[1] == c.Unparsed("However, all patients must have received prior "
                                                                   "platinum.")
    # a bare permission keeps its reading; a bound is never negated ("a maximum of two lines ... allowed")
    node, _ = _node(vocab, "inclusion", "Prior radiotherapy is permitted.")
    assert node == c.Any((radiation, c.Unparsed("is permitted.")))
    node, _ = _node(vocab, "inclusion", "A maximum of two lines of prior taxane (docetaxel and/or cabazitaxel) "
                                        "chemotherapy will be allowed, but are not required")
    assert not any(isinstance(n, c.Not) for n in walk(node))
