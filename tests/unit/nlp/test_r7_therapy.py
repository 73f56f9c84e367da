"""Round 7 (therapy): moderate CYP3A inhibitors and inducers (FDA table), the enzyme's spellings,
now-words and verbs in any order, and no required concurrent medication in an inclusion. Item texts
are from tests/data/trials/oncology-trials.jsonl (NCT id beside each)."""

from __future__ import annotations

import pytest

from tests.unit.nlp.test_therapy_round2 import parse_one

SI, SD, MI, MD = "strong_cyp3a_inhibitor", "strong_cyp3a_inducer", "moderate_cyp3a_inhibitor", "moderate_cyp3a_inducer"


def pt(classes, within=0):
    return {"type": "prior_therapy", "classes": classes, "within_days": within}


def no(node):
    return {"type": "not", "item": node}


def unp(text):
    return {"type": "unparsed", "text": text}


READ = [
    ("exc", "Strong and moderate CYP3A inducers within 7 days prior to the initiation of study treatment.",  # NCT05650723
     ("fully_structured", no(pt([SD, MD], 7)))),
    ("exc", "On strong and moderate CYP3A4 inducers.", ("fully_structured", no(pt([SD, MD])))),  # NCT05696626
    ("inc", "No concomitant use of strong or moderate CYP3A inducers",  # NCT06580314
     ("fully_structured", no(pt([SD, MD])))),
    ("exc", "Treatment with a moderate or strong CYP3A inhibitor or inducer within 7 days prior to first dose of "
            "zanubrutinib", ("fully_structured", no(pt([SI, SD, MI, MD], 7)))),  # NCT05873712
    # now-words and verbs in any order; "cytochrome P450 (CYP) 3A" spelled out
    ("exc", "Requires ongoing treatment with a strong CYP3A inducer", ("fully_structured", no(pt([SD])))),  # NCT06859008
    ("exc", "Participant requires treatment with strong inducers of cytochrome P450 (CYP) 3A.",  # NCT07140016
     ("fully_structured", no(pt([SD])))),
    ("exc", "Is currently receiving strong inhibitors of cytochrome P450 3A4 (CYP3A4) that cannot be discontinued for "
            "the duration of the study",  # NCT07049926
     ("partly_structured", no({"type": "all", "items": [
         pt([SI]), unp("that cannot be discontinued for the duration of the study")]}))),
    ("exc", "Has received a strong cytochrome P450 3A4 (CYP3A4) inhibitor within 2 weeks or 5 half-lives (whichever is "
            "longer) prior to the first dose of study drug.",  # NCT05458219
     ("partly_structured", no({"type": "any", "items": [pt([SI], 14), unp("or 5 half-lives (whichever is longer)")]}))),
]


STEROID = ["systemic_corticosteroid"]


def dose(within, text):
    return {"type": "all", "items": [pt(STEROID, within), unp(text)]}


READ += [
    ("exc", "Concomitant use of medications or herbal supplements known to be strong cytochrome P (CYP) 3A4 "
            "inducers/inhibitors.", ("fully_structured", no(pt([SI, SD])))),  # NCT05123482
    ("exc", "Is currently receiving either a strong inhibitor or inducer of CYP3A4 that cannot be discontinued for the "
            "duration of the study",  # NCT06428396
     ("partly_structured", no({"type": "all", "items": [
         pt([SI, SD]), unp("that cannot be discontinued for the duration of the study")]}))),
]

# a prednisone-equivalent dose: the systemic steroid class (current or windowed) with the dose kept beside it
READ += [
    ("exc", "Has a diagnosis of immunodeficiency or is receiving chronic systemic steroid therapy (in dosing exceeding "
            "10 mg daily of prednisone equivalent) or any other form of immunosuppressive therapy within 7 days prior "
            "to the first dose of study drug.",  # NCT05319015 (KEYNOTE template)
     ("partly_structured", no({"type": "any", "items": [
         {"type": "condition", "keys": ["immunodeficiency", "primary_immunodeficiency"]},
         {"type": "any", "items": [dose(7, "in dosing exceeding 10 mg daily of prednisone equivalent"),
                                   pt(["immunosuppressant"], 7)]}]}))),
    ("exc", "Chronic use of corticosteroids in excess of 10 mg daily of prednisone or equivalent within 4 weeks prior to "
            "first dose of BTX-A51",  # NCT04872166: a bare "corticosteroids" dosed in prednisone equivalents is systemic
     ("partly_structured", no(dose(28, "in excess of 10 mg daily of prednisone or equivalent")))),
    ("exc", "Patients who have received corticosteroids (at a dose \\> 10 mg prednisone/day or equivalent) for any reason "
            "within 2 weeks prior to first dose",  # NCT04704661
     ("partly_structured", no(dose(14, "at a dose \\> 10 mg prednisone/day or equivalent")))),
    ("exc", "Receiving ≥10 mg daily prednisone (or equivalent).",  # NCT05076760
     ("partly_structured", no(dose(0, ">= 10 mg daily prednisone (or equivalent)")))),
    ("exc", "Current use of systemic corticosteroids (\\> 10 mg daily prednisone or equivalent)",  # NCT07226544
     ("partly_structured", no(dose(0, "> 10 mg daily prednisone or equivalent")))),
]


# progression after "the most recent line / regimen", "relapsed or refractory with N lines", PARP spellings
READ += [
    ("inc", "Subjects who have relapsed or refractory disease after failing at least 2 or more prior lines of therapy.",
     ("partly_structured", {"type": "all", "items": [{"type": "prior_therapy", "min_lines": 2},
                                                     unp("relapsed or refractory disease after failing")]})),  # NCT06227026
    ("inc", "Disease progression on or after the most recent line of therapy",
     ("partly_structured", {"type": "all", "items": [{"type": "prior_therapy", "min_lines": 1},
                                                     unp("Disease progression on or after")]})),
    ("exc", "Prior treatment with a poly ADP ribose polymerase (PARP) inhibitor or temozolomide.",  # NCT06617923
     ("fully_structured", no({"type": "prior_therapy", "drugs": ["temozolomide"], "classes": ["parp_inhibitor"]}))),
    ("inc", "Must have progressed on treatment with an anti-PD-1/L1 monoclonal antibody (MAB)",  # NCT05787587
     ("partly_structured", {"type": "all", "items": [{"type": "prior_therapy", "classes": ["anti_pd1", "anti_pdl1"]},
                                                     unp("progressed on")]})),
]


@pytest.mark.parametrize("section, text, expected", READ)
def test_read(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


REFUSED = [
    ("exc", "Use of CYP3A4 inhibitors"),  # no strength
    ("exc", "Concomitant use of potent CYP3A4/5 inhibitors"),  # "potent": strong, or strong and moderate?
    ("exc", "Current treatment with certain strong CYP3A4 inhibitors or inducers"),  # NCT05602363: which ones?
    ("exc", "Receipt of any strong inhibitor or inducer of CYP3A4"),  # NCT05443126: past word, no window
    ("exc", "Prior corticosteroids > 10 mg/day prednisone or equivalent"),  # past words, no window
    ("exc", "Use of corticosteroids at approximately > 10 mg prednisone/day or equivalent"),  # "approximately"
    ("exc", "Corticosteroids <= 10 mg/day prednisone or equivalent within 7 days"),  # an upper bound: a permission
    ("inc", "Stable doses of systemic steroids (<= 20 mg prednisone equivalent) permitted"),  # NCT04752826
    # "the most recent therapy" may be radiotherapy or surgery: no systemic line is implied
    ("inc", "Documented radiological disease progression during or after the most recent therapy."),  # NCT05563220
    # an inclusion never requires a concurrent medication (NCT04005690: the item says "are not eligible")
    ("inc", "AZENOSERTIB SPECIFIC CRITERIA: Participant requires administration of strong and moderate CYP3A4 "
            "inhibitors and inducers as well as strong and moderate P-glycoprotein (P-gp) inhibitors are not eligible"),
]


@pytest.mark.parametrize("section, text", REFUSED)
def test_refused(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


def test_moderate_classes_are_concurrent_and_systemic(vocab):
    """Members from the FDA table where a second table agrees; cancer drugs left out; route systemic."""
    assert vocab.class_members(MI) == {"aprepitant", "diltiazem", "dronedarone", "erythromycin", "fluconazole",
                                       "verapamil"}
    assert vocab.class_members(MD) == {"bosentan", "efavirenz", "etravirine", "phenobarbital", "primidone"}
    assert not vocab.is_oncology_class(MI) and not vocab.is_oncology_class(MD)
    assert vocab.drug_classes("imatinib") and MI not in vocab.drug_classes("imatinib")


def test_a_one_word_cohort_after_a_requirement_is_its_scope(vocab):
    # NCT04662580 (inclusion): "for mCRPC cohorts" says who it is for: a patient of another cohort with no prior
    # regimen must not fail it (All read it so: a wrong "ineligible"), the atom decides only when met
    status, node = parse_one(vocab, "inc", "Documented evidence of disease progression on or after the most-recent "
                                           "prior regimen for mCRPC cohorts")
    assert node["type"] == "any" and {"type": "unparsed", "text": "for mCRPC cohorts"} in node["items"]


def test_a_window_after_a_dosed_current_use_is_not_left_beside_it(vocab):
    # NCT04830137: the window may be the steroid use's own: the item is not read with it as a remainder
    status, node = parse_one(vocab, "exc", "Use of systemic corticosteroids exceeding 20 mg/day prednisone (or equivalent) "
                                           "for non-PCNSL indications within 15 days prior to the planned start of study drug.")
    assert not (node["type"] == "not" and node["item"]["type"] == "all"
                and any(x.get("text", "").startswith("for non-PCNSL indications within 15 days") for x in node["item"]["items"]))
