"""Disease and assessment shapes of the seventh round (issue #5): measurable or evaluable disease
(the measurable alternative is an atom, the evaluable one stays Unparsed beside it), the imaging
method and restating asides around the RECIST criteria. Item texts are real
(tests/data/trials/oncology-trials.jsonl, NCT ids beside them); near misses must stay open."""

from __future__ import annotations

import pytest

from tests.unit.nlp.test_therapy_round2 import parse_one

RECIST = {"type": "measurable", "criteria": "RECIST 1.1"}
ANY_CRITERIA = {"type": "measurable"}


def un(text):
    return {"type": "unparsed", "text": text}


def any_(*items):
    return {"type": "any", "items": list(items)}


def all_(*items):
    return {"type": "all", "items": list(items)}


READ = [
    # measurable or evaluable: Any(Measurable, Unparsed(the evaluable alternative, the protocol's words))
    ("inc", "Measurable or evaluable disease defined by RECIST 1.1.",  # NCT05187182
     "partly_structured", any_(RECIST, un("evaluable disease defined by RECIST 1.1"))),
    ("inc", "Have measurable or evaluable disease per Response Evaluation Criteria in Solid Tumors (RECIST) 1.1 criteria",  # NCT06821997
     "partly_structured", any_(RECIST, un("evaluable disease per Response Evaluation Criteria in Solid Tumors (RECIST) 1.1 criteria"))),
    ("inc", "Patients must have evaluable or measurable disease by RECIST 1.1 criteria",  # NCT05274048
     "partly_structured", any_(RECIST, un("evaluable or measurable disease by RECIST 1.1 criteria"))),
    ("inc", "Have either measurable or evaluable disease using standard techniques by the Response Evaluation Criteria in "
            "Solid Tumors, Version 1.1 (RECIST 1.1).",  # NCT05999994
     "partly_structured", any_(RECIST, un("evaluable disease using standard techniques by the Response Evaluation Criteria in "
                                          "Solid Tumors, Version 1.1 (RECIST 1.1)"))),
    ("inc", "Patients must have measurable or evaluable disease, as defined by Response Evaluation Criteria in Solid Tumors "
            "(RECIST) 1.1",  # NCT03203525: evaluable-only is weaker, never NOT_MET
     "partly_structured", any_(RECIST, un("evaluable disease, as defined by Response Evaluation Criteria in Solid Tumors (RECIST) 1.1"))),
    ("inc", "Have measurable or evaluable disease",  # NCT06625515
     "partly_structured", any_(ANY_CRITERIA, un("measurable or evaluable disease"))),
    # the imaging method before the criteria, and after them ("documented by CT and/or MRI"): documentation
    ("inc", "Measurable disease on computed tomography (CT) or magnetic resonance imaging (MRI) scan by RECIST v1.1 criteria.",  # NCT05254171
     "fully_structured", RECIST),
    ("inc", "Subject has at least 1 measurable lesion per computed tomography (CT) scan or magnetic resonance imaging (MRI) "
            "per RECIST version 1.1.",  # NCT05877599
     "fully_structured", RECIST),
    ("inc", "Patients must have measurable disease as per RECIST v1.1 criteria and documented by CT and/or MRI",  # NCT05267626
     "fully_structured", RECIST),
    # metastatic sites: "LMD" after a brain site is leptomeningeal disease; "active and uncontrolled": both hold
    # NCT05779423: the qualifier reaches the LMD too (the trial admits asymptomatic LMD: audit)
    ("exc", "Patients with symptomatic brain metastasis or LMD",
     "fully_structured", {"type": "not", "item": any_({"type": "metastasis", "site": "brain", "qualifier": "symptomatic"},
                                                     {"type": "metastasis", "site": "leptomeningeal", "qualifier": "symptomatic"})}),
    ("exc", "Active and uncontrolled central nervous system metastases",  # NCT06710379
     "partly_structured", {"type": "not", "item": all_(any_({"type": "metastasis", "site": "cns", "qualifier": "active"},
                                                            {"type": "metastasis", "site": "brain", "qualifier": "active"}),
                                                       un("uncontrolled"))}),
    # cancer names (lexicon cancer.json): B-precursor ALL (BLL), T-ALL / T-LBL (TLL), double-hit lymphoma
    ("inc", "Relapsed or Refractory B-precursor ALL at any time after first salvage therapy.",  # NCT04521231
     "partly_structured", all_(all_({"type": "cancer_type", "codes": ["BLL"]}, un("Relapsed or Refractory")),
                               un("at any time after first salvage therapy"))),
    ("inc", "Disease Criteria: Evidence of T-ALL or T-LBL, as defined by World Health Organization (WHO) classification, "
            "and either relapse/refractory or MRD positive",  # NCT06514794
     "partly_structured", all_({"type": "cancer_type", "codes": ["TLL"]},
                               un("as defined by World Health Organization (WHO) classification, and either relapse/refractory "
                                  "or MRD positive"))),
    ("inc", "High-grade B cell lymphoma with MYC and BCL2 and/or BCL6 rearrangements",  # NCT04792489
     "fully_structured", {"type": "cancer_type", "codes": ["HGBCLMYCBCL2"]}),
    # the long name with a comma before its version, an aside restating the head
    ("inc", "Measurable disease per Response Evaluation Criteria in Solid Tumors, Version 1.1 (RECIST v1.1)",  # NCT06790693
     "fully_structured", RECIST),
    ("inc", "Measurable disease as per Response Evaluation Criteria in Solid Tumors, (RECIST v1.1) and documented by CT and/or MRI.",  # NCT05086692
     "fully_structured", RECIST),
    # two criteria: "and/or" either, "and" both
    ("inc", "Have radiographically measurable disease by RECIST v1.1 and/or RANO-BM",  # NCT06253871
     "fully_structured", any_(RECIST, {"type": "measurable", "criteria": "RANO-BM"})),
    ("inc", "Subject has radiographically measurable disease according to RECIST 1.1 and iRECIST.",  # NCT04266730
     "fully_structured", all_(RECIST, {"type": "measurable", "criteria": "iRECIST"})),
    # a restating aside, then when it is assessed
    ("inc", "Has measurable disease (i.e., at least 1 target lesion) during the Screening period per RECIST 1.1, as "
            "determined by the investigator",  # NCT06710847
     "fully_structured", RECIST),
    ("inc", "Measurable disease (at least one target lesion) according to Response Evaluation Criteria in Solid Tumors, "
            "Version 1.1 (RECIST v1.1)",  # NCT04929223
     "fully_structured", RECIST),
]


@pytest.mark.parametrize("section,text,status,node", READ)
def test_read(vocab, section, text, status, node):
    assert parse_one(vocab, section, text) == (status, node)


OPEN = [
    # measurable or NON-measurable disease "allowed": no requirement the atom holds
    ("inc", "Measurable or non-measurable disease by Response Evaluation Criteria in Solid Tumor (RECIST) 1.1 will be allowed"),  # NCT02366819
    # a measurable-or-evaluable requirement written for one part of the study only
    ("inc", "Measurable disease per RECIST v1.1 (Phase 2)"),  # NCT04585750
    # measurable metastatic disease: the metastases must be measurable (no atom ties the two)
    ("inc", "Patients must have measurable metastatic disease according to RECIST 1.1"),  # NCT07237100
    # measurable disease or a lab alternative
    ("inc", "Measurable disease by RECIST 1.1 criteria or bone only metastases with measurable PSA ( ≥ 1 ng/mL)"),  # NCT06236139
    ("inc", "Measurable disease or non-measurable bone only disease as defined by RECIST version 1.1"),  # NCT06760637
    # "(NOS)" is dropped as an abbreviation aside before the builders: the broad category name is not read, so the
    # NOS entity is never widened to the double-hit one
    ("inc", "High-grade B cell lymphoma (NOS)"),  # NCT04792489
    # a lead verb the metastasis builder does not drop
    ("exc", "Experiencing active brain metastasis/metastases"),  # NCT05037825
    # a criteria the vocabulary does not name (INRC) among three
    ("inc", "Measurable disease as defined by RECIST v1.1, RANO, or INRC"),  # NCT04589845
    # RANO 2.0 is not RANO
    ("inc", "Confirmed measurable disease per RANO 2.0 for GBM."),  # NCT06552260
]


@pytest.mark.parametrize("section,text", OPEN)
def test_stays_unparsed(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node
