"""Disease items (diagnosis, cancer type, stage, extent) through the public parser (issue #5).

Item texts are real items of tests/data/trials/oncology-trials.jsonl (NCT id beside each).
Positive cases give the whole node; negative cases are shapes that must not be read (or not
wholly): a wrong atom is worse than Unparsed.
"""

from __future__ import annotations

import json

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.disease import build_disease, stage_groups
from trialmatch.nlp.terms import terms_for
from trialmatch.nlp.rule_file import lexicon_rules

MEL = ["MEL", "HNMUCM", "ARMM", "URMM", "VMM", "ESMM", "OM"]
GASTRIC = ["STAD", "STAS", "STSC", "GRC", "USTAD"]


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def ct(*codes):
    return {"type": "cancer_type", "codes": list(codes)}


def ext(extent):
    return {"type": "metastasis", "extent": extent}


def stage(*groups):
    return {"type": "stage", "groups": list(groups)}


def unparsed(text):
    return {"type": "unparsed", "text": text}


def all_(*items):
    return {"type": "all", "items": list(items)}


def any_(*items):
    return {"type": "any", "items": list(items)}


def not_(item):
    return {"type": "not", "item": item}


FULL = [
    # NCT04712877: sub-substage range; III is whole (the range ends at III); lung has no IC
    ("inc", "Clinical stage IA2-III lung cancers", all_(stage("IA2", "IA3", "IB", "II", "III"), ct("LUNG"))),
    # NCT02279004 (sub-item): melanoma has IIID
    ("inc", "Stage IIIB-IV melanoma", all_(stage("IIIB", "IIIC", "IIID", "IV"), ct(*MEL))),
    # NCT06746012: the range keeps II and III (it once kept I alone)
    ("inc", "Diagnosis of stage I-III colon or rectal cancer", all_(stage("I", "II", "III"), ct("COADREAD"))),
    # NCT02302742
    ("inc", "Stages I-IV", stage("I", "II", "III", "IV")),
    # NCT07148245: "or higher"
    ("inc", "Participants with stage IIB or higher cutaneous melanoma", all_(stage("IIB", "IIC", "III", "IV"), ct("SKCM"))),
    # NCT06708455: stage in brackets after the cancer
    ("inc", "Patients with unresectable or metastatic melanoma (Stage IIIc or Stage IV).",
     all_(any_(ext("unresectable"), ext("metastatic")), stage("IIIC", "IV"), ct(*MEL))),
    # NCT03786796: "(AJCC Stage IV)" between extent and cancer
    ("inc", "Metastatic (AJCC Stage IV) renal cell carcinoma.", all_(ext("metastatic"), stage("IV"), ct("RCC"))),
    # NCT04165070: squamous or nonsquamous = every NSCLC
    ("inc", "Has histologically- or cytologically-confirmed diagnosis of Stage IV squamous or nonsquamous NSCLC",
     all_(stage("IV"), ct("NSCLC"))),
    # NCT04852588, NCT05588648, NCT06894511: documentation words
    ("inc", "Pathologic confirmation of NSCLC", ct("NSCLC")),
    ("inc", "Subjects must have histologic verification of Osteosarcoma (OS)", ct("OS")),
    ("inc", "Participants must have histopathological, and/or cytological confirmation of adenocarcinoma of the prostate.",
     ct("PRAD")),
    # NCT06216249: documentation after the cancer
    ("inc", "Patients must have prostate cancer proven by histopathology", ct("PROSTATE")),
    # NCT06151574: article after "diagnosis of"
    ("inc", "Histologically or cytologically confirmed diagnosis of an advanced and/or metastatic non-squamous "
            "Non-small cell lung cancer (NSCLC).",
     all_(ext("advanced"), ct("NSCLC"), not_({"type": "histology", "keys": ["squamous"]}))),
    # NCT06732336: "metastatic" after the marker is an extent, not part of the name
    ("inc", "HER2-low metastatic breast cancer;",
     all_({"type": "biomarker", "marker": "HER2", "status": ["low"]}, ext("metastatic"), ct("BREAST"))),
    # NCT06040541: the variant after the cancer
    ("inc", "Pathologically documented, locally advanced or metastatic solid tumor with a KRAS G12D-mutation",
     all_(ext("advanced"), ct("_SOLID_"), {"type": "variant", "gene": "KRAS", "protein_change": "G12D"})),
    # NCT05128825: a list sharing its head noun
    ("inc", "High-grade serous ovarian, fallopian tube or primary peritoneal cancer", ct("HGSOC", "HGSFT", "PSEC")),
    # NCT05205343 (part): gastric or GEJ adenocarcinoma
    ("inc", "Non-metastatic gastric or GEJ adenocarcinoma",
     all_(not_(ext("metastatic")), ct("STAD", "USTAD", "GRC", "GEJ"))),
    # NCT06128551: primary CNS tumours are the CNS/Brain tissue, not OncoTree's leaf "Primary Brain Tumor"
    ("exc", "Primary central nervous system (CNS) tumors", not_(ct("BRAIN"))),
    # NCT05503797: a primary CNS tumour is a solid tumour
    ("inc", "Histologic diagnosis of a solid tumor or primary CNS tumor.", ct("_SOLID_")),
    # NCT01961713, NCT06369610-like localized: extent negated
    ("inc", "Non-metastatic prostate cancer", all_(not_(ext("metastatic")), ct("PROSTATE"))),
    # NCT03802851
    ("exc", "Patients who have a diagnosis of bladder cancer are not eligible.",
     not_(ct("BLCA", "BLSC", "BLAD", "SCB", "SCBC", "SRCBC", "URCA"))),
    # NCT02339571-like "stage iv or unresectable stage iii melanoma": the melanoma belongs to both
    ("inc", "Participants must have histologically confirmed Stage IV or unresectable Stage III melanoma",
     all_(ct(*MEL), any_(stage("IV"), all_(ext("unresectable"), stage("III"))))),
    # NCT05366881-like exclusion of a marker-defined cancer: the cancer belongs to both markers
    ("exc", "Known microsatellite instability-high (MSI-H) or mismatch repair-deficient pancreatic cancer",
     # the marker alternatives read as one phrase before the cancer (same meaning, markers first)
     not_(all_(any_({"type": "biomarker", "marker": "MSI", "status": ["high"]},
                    {"type": "biomarker", "marker": "MMR", "status": ["deficient"]}), ct("PANCREAS")))),
    # NCT03567889: mucosal melanomas are the mucosal codes of the melanoma list
    ("exc", "Uveal melanoma or mucosal melanoma", not_(ct("UM", "HNMUCM", "ARMM", "URMM", "VMM", "ESMM"))),
    # NCT05123482 (head): a list with an abbreviation, one extent list for all
    ("inc", "Histologically or cytologically confirmed metastatic or locally advanced/recurrent breast cancer, "
            "ovarian cancer, BTC or endometrial cancer",
     all_(any_(ext("metastatic"), ext("locally_advanced"), ext("recurrent")), ct("BREAST", "OVARY", "BILIARY_TRACT", "UCEC"))),
    # NCT06526819 (head): "advanced, recurrent, or metastatic" is a list of alternatives
    ("inc", "Histologically or cytologically-confirmed cancer that is advanced, recurrent, or metastatic",
     any_(ext("advanced"), ext("recurrent"), ext("metastatic"))),
]

PARTLY = [
    # NCT04005690-like (NCT05417594): "or with features suggestive of" is an alternative no atom holds
    ("exc", "Myelodysplastic syndrome (MDS)/acute myeloid leukaemia or with features suggestive of MDS/AML",
     not_(any_(ct("MDS", "AML"), unparsed("with features suggestive of MDS/AML")))),
    # NCT06800313 (head): mCRPC = metastatic prostate cancer; the castration state has no atom
    ("inc", "Must have progressive mCRPC",
     all_(ct("PROSTATE"), ext("metastatic"), unparsed("progressive castration-resistant"))),
    # NCT06046040
    ("inc", "Metastatic castrate-resistant prostate cancer (mCRPC)",
     all_(ext("metastatic"), ct("PROSTATE"), unparsed("castrate-resistant"))),
    # NCT05715229: narrowing words kept
    ("inc", "Eligible patients will have newly diagnosed, previously untreated histologically documented Stage IV NSCLC",
     all_(stage("IV"), ct("NSCLC"), unparsed("newly diagnosed previously untreated"))),
    # NCT03260491: "not amenable to" is a qualifier of the disease
    ("inc", "Has locally advanced or metastatic NSCLC not amenable to curative surgery or radiation.",
     all_(ext("advanced"), ct("NSCLC"), unparsed("not amenable to curative surgery or radiation"))),
    # NCT06590454
    ("exc", "Active gastric cancer diagnosis,", not_(all_(ct(*GASTRIC), unparsed("Active")))),
    # NCT04585958 (head)
    ("inc", "Patients must have histologically confirmed platinum resistant, high grade serous ovarian carcinoma.",
     all_(ct("HGSOC"), unparsed("platinum resistant"))),
]

# shapes that must not be read as a disease atom
NOT_READ = [
    # NCT05697874: "suspected" widens the criterion
    ("inc", "Patients with a known or suspected CNS Sarcoma."),
    # NCT04752826: a confirmation with no disease named
    ("inc", "histologically confirmed diagnosis"),
    # NCT04282044-like: narrowing words with no disease atom
    ("inc", "Progressive disease"),
    # NCT02302742: "stage 2" alone may be a study stage
    ("inc", "Stage 2"),
    # NCT06452277: the tail opens an alternative to the head ("... or metastatic non-squamous NSCLC")
    ("inc", "Documented histologically or cytologically confirmed locally advanced non-squamous NSCLC, not suitable for "
            "definitive therapy or metastatic non-squamous NSCLC at screening (small cell or mixed histologies are "
            "excluded) (Stage III-IV NSCLC)."),
    # NCT04868604: "small cell cancer" would be another cancer than the prostate's small cell carcinoma
    ("exc", "Histologic diagnosis of small cell or neuroendocrine prostate cancer"),
    # NCT04486833: alternatives each with their own cancer phrase and a tail on one of them
    ("inc", "Stage III or IV NSCLC or recurrent NSCLC that is not potentially curable by radiotherapy or surgery"),
]


@pytest.mark.parametrize("section,text,expected", FULL)
def test_fully_structured(vocab, section, text, expected):
    status, node = parse_one(vocab, section, text)
    assert (status, node) == ("fully_structured", expected)


@pytest.mark.parametrize("section,text,expected", PARTLY)
def test_partly_structured_keeps_the_narrowing_words(vocab, section, text, expected):
    status, node = parse_one(vocab, section, text)
    assert (status, node) == ("partly_structured", expected)


@pytest.mark.parametrize("section,text", NOT_READ)
def test_shapes_left_unparsed(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


@pytest.mark.parametrize("lo,hi,groups", [
    ("IB", "IIIA", ("IB", "IC", "II", "IIIA")),  # never III: it would take IIIB and IIIC
    ("II", "IIIA", ("II", "IIIA")),
    ("IIIB", "IV", ("IIIB", "IIIC", "IIID", "IV")),  # melanoma IIID is between IIIB and IV
    ("IB1", "IIA2", ("IB", "IC", "IIA1", "IIA2")),  # FIGO cervix
    ("I", "IV", ("I", "II", "III", "IV")),
    ("0", "III", ("0", "I", "II", "III")),
])
def test_stage_ranges_hold_exactly_the_groups_between_their_ends(lo, hi, groups):
    assert stage_groups(lo, hi) == groups


def test_a_reversed_range_is_refused():
    assert stage_groups("IV", "II") is None


def test_cancer_lexicon_codes_are_oncotree_codes(vocab):
    codes = {r.key for r in lexicon_rules() if r.label == "CANCER"}
    unknown = sorted(x for key in codes for x in key.split() if x not in vocab.oncotree.nodes)
    assert unknown == []


def test_no_cancer_lexicon_name_swallows_an_extent_word():
    # "metastatic breast cancer" is an extent and a cancer, never a cancer name alone
    patterns = [json.dumps(r.pattern) for r in lexicon_rules() if r.label == "CANCER" and r.pattern]
    assert not [p for p in patterns if "metastatic" in p or "advanced" in p]


def _built(vocab, text: str, section: str = "inclusion"):
    return build_disease(Clause(text, terms_for(vocab), section))


def test_a_cancer_named_on_the_left_is_not_given_the_right_ones_type(vocab):
    # NCT05232916: "stage IV cancer" is any cancer; the builder does not make it a breast cancer
    assert _built(vocab, "stage iv cancer or metastatic breast cancer", "exclusion") is None


def test_a_repeated_cancer_is_not_one_list(vocab):
    # NCT01514045: "gastric cancer or gastric cancer in a family member": the repeat is told apart by
    # words no atom holds (the second is a relative's), so the list is not read
    assert _built(vocab, "gastric cancer or gastric cancer", "exclusion") is None


def test_two_names_of_one_type_are_one_list(vocab):
    # NCT04679012 (head): CLL and SLL are one OncoTree type
    status, node = parse_one(vocab, "inc", "Subject must have confirmed diagnosis of CLL or small lymphocytic lymphoma (SLL)")
    assert (status, node) == ("fully_structured", ct("CLLSLL"))
