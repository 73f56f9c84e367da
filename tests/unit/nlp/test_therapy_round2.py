"""Prior-therapy shapes, round 2 (issue #5): upper-bounded line counts (by class too), "maximum N",
"receipt of > N lines", "X inhibition [therapy]", a head noun shared before a trailing "therapy",
"were previously treated with", the KRAS inhibitor class, and the subgroup "patients receiving X
must ..." (the medication never required). Item texts are from
tests/data/trials/oncology-trials.jsonl (NCT id beside each); each verdict is worked out for a
patient in the matcher test at the end."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.matching.helpers import outcome, patient
from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.terms import terms_for

NOT, ALL, ANY = "not", "all", "any"


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def pt(**kw):
    return {"type": "prior_therapy", **kw}


READ = [
    # upper bounds of lines: "maximum N" (no "of"), and a class counted with an upper bound
    ("inc", "Maximum 2 prior lines of systemic treatment for unresectable or metastatic disease.",  # NCT06219941
     ("partly_structured", {"type": ALL, "items": [pt(max_lines=2),
                                                   {"type": "unparsed", "text": "for unresectable or metastatic disease"}]})),
    ("inc", "No more than one prior chemotherapy for metastatic disease.",  # NCT06374459
     ("partly_structured", {"type": ALL, "items": [pt(classes=["chemotherapy"], max_lines=1),
                                                   {"type": "unparsed", "text": "for metastatic disease"}]})),
    ("inc", "Has received no more than 5 prior lines of anti-HER2 therapy",  # NCT06686394 (setting cut)
     ("fully_structured", pt(classes=["anti_her2"], max_lines=5))),
    # "receipt of" says the lines were given
    ("exc", "Receipt of > 2 lines of prior taxane-based chemotherapy.",  # NCT05766371
     ("fully_structured", {"type": NOT, "item": pt(classes=["taxane"], min_lines=3)})),
    # "X inhibition [therapy]" is therapy with an X inhibitor; the slash of "CDK4/6" is no list
    ("exc", "Prior PD1 or CTLA4 inhibition therapy",  # NCT06412198
     ("fully_structured", {"type": NOT, "item": pt(classes=["anti_pd1", "anti_ctla4"])})),
    ("exc", "Prior KRASG12C inhibition therapy",  # NCT06412198
     ("fully_structured", {"type": NOT, "item": pt(classes=["kras_g12c_inhibitor"])})),
    ("inc", "No prior therapy with CDK4/6 inhibition",  # NCT06126276
     ("fully_structured", {"type": NOT, "item": pt(classes=["cdk46_inhibitor"])})),
    # the KRAS inhibitor class (the G12C inhibitors are its members)
    ("exc", "Prior treatment with any KRAS inhibitor",  # NCT07227025
     ("fully_structured", {"type": NOT, "item": pt(classes=["kras_inhibitor"])})),
    ("exc", "KRAS inhibitor within 14 days prior to day 1 of protocol therapy",  # NCT06249282
     ("fully_structured", {"type": NOT, "item": pt(classes=["kras_inhibitor"], within_days=14)})),
    # antibody-drug conjugates by payload and by target (FDA labels: drug_classes.yaml)
    ("exc", "Received prior treatment with a topoisomerase I inhibitor-containing ADC.",  # NCT06966700
     ("fully_structured", {"type": NOT, "item": pt(classes=["topo1_adc"])})),
    ("exc", "Prior therapy with an antibody-drug conjugate containing a topoisomerase 1 inhibitor.",  # NCT06619236
     ("fully_structured", {"type": NOT, "item": pt(classes=["topo1_adc"])})),
    ("exc", "Received prior treatment with a TROP2-targeted antibody-drug conjugate (ADC).",  # NCT06966700
     ("fully_structured", {"type": NOT, "item": pt(classes=["trop2_adc"])})),
    # "were previously treated with", and a head noun written once before a trailing "therapy"
    ("exc", "Patients who were previously treated with MEK, ERK or RAF inhibitor therapy",  # NCT07237100
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [
         pt(classes=["mek_inhibitor", "braf_inhibitor"]), {"type": "unparsed", "text": "ERK"}]}})),
    # a subgroup on a medication: Any(Not(on it now), requirement); never a requirement to take it
    ("inc", "Patients who are receiving dexamethasone must be on a stable or decreasing dose for at least 1 week "
            "prior to enrollment.",  # NCT06712875 (first sentence)
     ("partly_structured", {"type": ANY, "items": [
         {"type": NOT, "item": pt(drugs=["dexamethasone"], within_days=0)},
         {"type": "unparsed", "text": "must be on a stable or decreasing dose for at least 1 week prior to enrollment"}]})),
]


@pytest.mark.parametrize("section, text, expected", READ)
def test_read(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


REFUSED = [
    # a subgroup in the past is not one on a medication now
    ("inc", "Patients receiving prior systemic therapy must be receiving one of the protocol approved Standard of Care "
            "(SOC) regimens listed on Appendix 1."),  # NCT06047379
    # a subgroup drug the vocabulary does not know
    ("inc", "Patients on a cholesterol lowering statin must be on a stable dose with no dose changes within 3 weeks "
            "prior to study start"),  # NCT05187182
    # a KRAS G12D inhibitor has no approved member: not read as any KRAS inhibitor
    ("exc", "Prior treatment with any KRAS G12D inhibitor"),  # NCT06179160
    # a permission is never a requirement (and is not read: see the doc note)
    ("inc", "Any number of prior treatment regimens"),  # NCT02332668
    ("inc", "There is no limit to the number of prior treatment regimens"),  # NCT06625515
]


@pytest.mark.parametrize("section, text", REFUSED)
def test_refused(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


def test_subgroup_in_an_exclusion_is_not_read(vocab):
    status, _ = parse_one(vocab, "exc", "Patients who are receiving dexamethasone must be on a stable dose for 1 week.")
    assert status == "unparsed"


@pytest.mark.parametrize("phrase, key", [
    ("kras inhibitor", "kras_inhibitor"),
    ("kras inhibitors", "kras_inhibitor"),
    ("kras-targeted therapy", "kras_inhibitor"),
    ("kras g12c inhibitor", "kras_g12c_inhibitor"),  # the narrower class keeps its own name
])
def test_kras_class_phrases(vocab, phrase, key):
    assert terms_for(vocab).drug_or_class(phrase) == ("class", key)


def test_kras_inhibitor_class_holds_the_g12c_inhibitors(vocab):
    assert vocab.class_members("kras_inhibitor") >= {"sotorasib", "adagrasib"}
    assert vocab.class_members("kras_inhibitor") == vocab.class_members("kras_g12c_inhibitor")


# ---- verdicts for patients ----------------------------------------------------------------------
def _med(ingredient, start, end=None, status="completed"):
    return f.Medication(f"MedicationRequest/{ingredient}", codes=(f.Coding(f.RXNORM, "0", ingredient),),
                        ingredients=(ingredient,), status=status, start=start, end=end)


def test_kras_exclusion_verdicts():
    item = c.Not(c.PriorTherapy(classes=("kras_inhibitor",)))
    on_sotorasib = patient(medications=(_med("sotorasib", date(2025, 3, 1), date(2025, 9, 1)),))
    assert outcome(item, on_sotorasib).verdict.label == "not_met"  # a G12C inhibitor is a KRAS inhibitor
    # no record of one is not "never had one": to confirm
    assert outcome(item, patient()).verdict.label == "unknown"


def test_topo1_adc_exclusion_verdicts(vocab):
    assert vocab.class_members("topo1_adc") == {"trastuzumab deruxtecan", "sacituzumab govitecan",
                                                "datopotamab deruxtecan"}
    assert not vocab.class_members("topo1_adc") & vocab.class_members("topoisomerase_1_inhibitor")
    item = c.Not(c.PriorTherapy(classes=("topo1_adc",)))
    had_tdxd = patient(medications=(_med("trastuzumab deruxtecan", date(2025, 1, 1), date(2025, 8, 1)),))
    assert outcome(item, had_tdxd).verdict.label == "not_met"
    # T-DM1 carries a microtubule inhibitor, irinotecan is no conjugate: neither counts
    other = patient(medications=(_med("trastuzumab emtansine", date(2025, 1, 1), date(2025, 8, 1)),
                                 _med("irinotecan", date(2024, 1, 1), date(2024, 6, 1))))
    assert outcome(item, other).verdict.label == "unknown"


def test_dexamethasone_subgroup_verdicts():
    item = c.Any((c.Not(c.PriorTherapy(drugs=("dexamethasone",), within_days=0)),
                  c.Unparsed("must be on a stable or decreasing dose for at least 1 week prior to enrollment")))
    stopped = patient(medications=(_med("dexamethasone", date(2026, 3, 1), date(2026, 3, 10)),))
    assert outcome(item, stopped).verdict.label == "unknown"  # ended: whether taken now is to confirm
    on = patient(medications=(_med("dexamethasone", date(2026, 11, 1), status="active"),))
    assert outcome(item, on).verdict.label == "unknown"  # on it: whether the dose is stable is to confirm
    assert outcome(item, patient()).verdict.label == "unknown"  # no record: to confirm, never "ineligible"


def test_class_upper_bound_is_never_decided_from_a_medication_list():
    item = c.PriorTherapy(classes=("chemotherapy",), max_lines=1)
    treated = patient(medications=(_med("carboplatin", date(2025, 1, 1), date(2025, 5, 1)),))
    assert outcome(item, treated).verdict.label == "unknown"  # one record may be one line or two
    assert outcome(item, patient()).verdict.label == "unknown"
