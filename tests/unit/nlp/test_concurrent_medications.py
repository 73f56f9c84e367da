"""Concurrent medications (drug classes marked oncology: false): systemic corticosteroids and
immunosuppressants. Current use is PriorTherapy(within_days=0); a window is kept; words of the
past without a window, and the class in the other therapy readings, stay unread. Item texts are
from tests/data/trials/oncology-trials.jsonl (NCT id beside each)."""

from __future__ import annotations

import pytest

from tests.unit.nlp.test_therapy_recall import parse_one

STEROID, IMMUNO = ["systemic_corticosteroid"], ["immunosuppressant"]


def pt(classes, within=0):
    return {"type": "prior_therapy", "classes": classes, "within_days": within}


def no(node):
    return {"type": "not", "item": node}


READ = [
    ("Concurrent systemic steroid therapy.", no(pt(STEROID))),  # NCT01174121
    ("Patients receiving immunosuppressive therapy.", no(pt(IMMUNO))),  # NCT05703854
    ("Current chronic use of immunosuppressive agents (e.g., methotrexate, cyclosporine, corticosteroids).",
     no(pt(IMMUNO))),  # NCT04150042: the examples are examples
    ("Subjects taking immunosuppressive medications at the screening visit.", no(pt(IMMUNO))),  # NCT06623201
    ("Current or prior use of immunosuppressive medication within 14 days before the first dose of durvalumab.",
     no(pt(IMMUNO, 14))),
    # the dose stays beside the atom (a narrowing: only a dose above 10 mg excludes)
    ("Use of systemic steroids at a dose equivalent to \\>10 mg/day of prednisone",  # NCT04858256
     no({"type": "all", "items": [pt(STEROID), {"type": "unparsed",
                                                 "text": "at a dose equivalent to \\>10 mg/day of prednisone"}]})),
    # current use in a list takes the list's window (current or within 14 days = within 14 days)
    ("Receiving active immunosuppressive agents or chronic use of systemic corticosteroids within 14 days of "
     "vaccine treatment.",  # NCT06411691
     no({"type": "all", "items": [{"type": "any", "items": [pt(IMMUNO, 14), pt(STEROID, 14)]},
                                  {"type": "unparsed", "text": "of vaccine treatment"}]})),
]


@pytest.mark.parametrize("text, expected", READ)
def test_read(vocab, text, expected):
    assert parse_one(vocab, "exc", text)[1] == expected


REFUSED = [
    "Prior systemic corticosteroids",  # ever having had a course is not what these criteria mean
    "History of systemic steroid use",
    # a time the current reading cannot hold: a course ended 3 days ago is excluded too
    "Receiving systemic steroid therapy with \\>10 mg/day prednisone or equivalent within 7 days prior to the first "
    "dose of study treatment.",  # NCT05671510
    "Ongoing use of systemic corticosteroids for control of symptoms of CNS metastases \\< 7 days prior to the first "
    "dose of study treatment or requirement for \\> 10 mg prednisone/day.",  # NCT06907043
    # bare corticosteroids may be inhaled or topical: no class
    "Current use of corticosteroids",
    # an oncology therapy under way is not read this way
    "Currently receiving any treatment for cancer",
]


@pytest.mark.parametrize("text", REFUSED)
def test_refused(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node


def test_a_concurrent_drug_in_an_oncology_list_stays_an_unknown_alternative(vocab):
    """Dexamethasone is now in the vocabulary (a steroid): in "prior lenalidomide or dexamethasone" it
    is no prior cancer therapy, so it stays the Unparsed alternative it was before."""
    assert parse_one(vocab, "exc", "Prior lenalidomide or dexamethasone")[1] == no(
        {"type": "any", "items": [{"type": "prior_therapy", "drugs": ["lenalidomide"]},
                                  {"type": "unparsed", "text": "dexamethasone"}]})


CYP = ["strong_cyp3a_inhibitor", "strong_cyp3a_inducer"]

CYP_READ = [
    ("Concomitant use of strong CYP3A4 inhibitors", no(pt(CYP[:1]))),  # NCT03986034
    ("Requires treatment with a strong cytochrome P450 3A4 (CYP3A4) inhibitor/inducer", no(pt(CYP))),  # NCT04883437
    ("Requires medications that are known to be strong inhibitors or inducers of CYP3A4", no(pt(CYP))),
    ("On concomitant strong CYP3A4 inhibitors.", no(pt(CYP[:1]))),  # NCT05696626
    ("Subjects that have received a strong CYP3A4 inhibitor within 7 days prior to the first dose of TT125-802 or a "
     "strong CYP3A4 inducer within 14 days prior to the first dose of TT125-802.",  # NCT06403436
     no({"type": "any", "items": [pt(CYP[:1], 7), pt(CYP[1:], 14)]})),
    # round 7: the moderate classes (FDA table) read too: all four classes (tests/unit/nlp/test_r7_therapy.py)
    ("Treatment with a moderate or strong CYP3A inhibitor or inducer within 7 days prior to first dose of zanubrutinib",
     no(pt(CYP + ["moderate_cyp3a_inhibitor", "moderate_cyp3a_inducer"], 7))),  # NCT05873712
    ("Any other form of immunosuppressive therapy within 7 days prior to the first dose", no(pt(IMMUNO, 7))),
]


@pytest.mark.parametrize("text, expected", CYP_READ)
def test_cyp3a_and_template_read(vocab, text, expected):
    assert parse_one(vocab, "exc", text)[1] == expected


@pytest.mark.parametrize("text", [
    "Concomitant use of potent CYP3A4 inhibitors",  # "potent": strong, or strong and moderate? (round 7)
    "Use of CYP3A4 inhibitors",  # strength not said
    "Prior ketoconazole",  # a concurrent drug with no window and past words
])
def test_cyp3a_refused(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node


ANTICOAG = ["anticoagulant"]

ANTICOAG_READ = [
    ("Concurrent use of warfarin", no({"type": "prior_therapy", "drugs": ["warfarin"], "within_days": 0})),  # NCT04169737
    ("Patients who are receiving coumadin",  # NCT06971744: a brand name of warfarin
     no({"type": "prior_therapy", "drugs": ["warfarin"], "within_days": 0})),
    ("Currently taking anticoagulant medication.", no(pt(ANTICOAG))),  # NCT06268665
    # "therapeutic": a prophylactic heparin dose does not exclude, and the record cannot tell: kept beside
    ("Requiring therapeutic anticoagulation with warfarin",  # NCT05602363
     no({"type": "all", "items": [{"type": "prior_therapy", "drugs": ["warfarin"], "within_days": 0},
                                  {"type": "unparsed", "text": "therapeutic"}]})),
    ("Need for treatment with warfarin or other vitamin K antagonist during study treatment",  # NCT06466122
     no({"type": "all", "items": [{"type": "prior_therapy", "drugs": ["warfarin"], "classes": ["vitamin_k_antagonist"],
                                   "within_days": 0},
                                  {"type": "unparsed", "text": "during study treatment"}]})),
]


@pytest.mark.parametrize("text, expected", ANTICOAG_READ)
def test_anticoagulants_read(vocab, text, expected):
    assert parse_one(vocab, "exc", text)[1] == expected


@pytest.mark.parametrize("text", [
    "Therapeutic anticoagulation",  # no word of current use
    "Prior warfarin",
    "History of anticoagulant use",
])
def test_anticoagulants_refused(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node
