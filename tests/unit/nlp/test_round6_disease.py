"""Disease shapes of the sixth round (issue #5): gene groups and negated marker statuses before a
cancer name, one-word abbreviations of a cancer with its state (mNSCLC, mCRC, TNBC, ES-SCLC),
"primary" before a cancer, the AJCC aside after a staged cancer, cancer names the vocabulary did
not spell (desmoid, myelofibrosis, GIST, MCL, WM, ...), and the peritoneum, lung and adrenal gland
as metastatic sites. Item texts are real (tests/data/trials/oncology-trials.jsonl, NCT ids
beside them); near misses must stay open; verdicts for realistic patients."""

from __future__ import annotations

from datetime import date

import pytest

from trialmatch.domain import facts as f
from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility
from tests.unit.matching.helpers import outcome, patient
from tests.unit.nlp.tree_json import all_, any_, no, un


def parse(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, items[0].node


# "NHL": the mature B-cell neoplasms but the plasma-cell ones and the precursors, and the mature T/NK ones (lexicon)
NHL_CODES = ("FL LPL BL PCLBCLLT DLBCLCI BPLL PCNSL BCLU CLLSLL PCFCL LYG HGBCL BLL11Q HHV8DLBCL PMBL PLBL EBVDLBCLNOS "
             "LBLIRF4 PTFL HCL HGBCLMYCBCL2 THRLBCL DLBCLNOS IVBCL PEL ALKLBCL MCL MZL SBLU MTNN").split()


def ct(*codes):
    return {"type": "cancer_type", "codes": list(codes)}


def met(extent=None, site=None, qualifier=None):
    node = {"type": "metastasis"}
    if extent:
        node["extent"] = extent
    if site:
        node["site"] = site
    if qualifier:
        node["qualifier"] = qualifier
    return node


def bm(marker, *status):
    return {"type": "biomarker", "marker": marker, "status": list(status)}


def mut(gene):
    return {"type": "variant", "gene": gene, "category": "mutation"}


NOT_MSI_H_OR_NOT_DMMR = any_(no(bm("MSI", "high")), no(bm("MMR", "deficient")))
TRIPLE_NEGATIVE = all_(bm("ER", "negative"), bm("PR", "negative"), bm("HER2", "negative"))

READ = [
    # NCT06162221: RAS (KRAS, NRAS or HRAS) before the cancer name
    ("inc", "Must have pathologically documented, locally advanced or metastatic RAS-mutated NSCLC",
     "fully_structured", all_(met("advanced"), any_(mut("KRAS"), mut("NRAS"), mut("HRAS")), ct("NSCLC"))),
    # NCT05919264: "non-MSI-H or non-dMMR" is not MSI-high, or not MMR-deficient
    ("inc", "Diagnosis of locally advanced or metastatic non-MSI-H or non-dMMR CRC",
     "fully_structured", all_(met("advanced"), NOT_MSI_H_OR_NOT_DMMR, ct("COADREAD"))),
    ("inc", "non-MSI-H colorectal cancer", "fully_structured", all_(no(bm("MSI", "high")), ct("COADREAD"))),
    # NCT06627647, NCT06692738: mNSCLC; the AJCC edition after the staged cancer is documentation
    ("inc", "Stage IV mNSCLC (based on the American Joint Committee on Cancer Edition 8) not amenable to curative treatment.",
     "partly_structured",
     all_({"type": "stage", "groups": ["IV"]}, ct("NSCLC"), met("metastatic"), un("not amenable to curative treatment"))),
    ("inc", "mCRC", "fully_structured", all_(ct("COADREAD"), met("metastatic"))),
    # TNBC = triple-negative breast cancer, read as the words are
    ("inc", "TNBC", "fully_structured", all_(TRIPLE_NEGATIVE, ct("BREAST"))),
    ("inc", "triple negative breast cancer", "fully_structured", all_(TRIPLE_NEGATIVE, ct("BREAST"))),
    # NCT06117774: extensive stage (VALSG) has no stage group: kept beside the cancer
    ("inc", "Extensive-stage SCLC (ES-SCLC).", "partly_structured", all_(ct("SCLC"), un("Extensive-stage"))),
    ("inc", "ES-SCLC", "partly_structured", all_(ct("SCLC"), un("extensive-stage"))),
    # NCT06055881, NCT06355336: "primary" kept beside the cancer
    ("inc", "Histological confirmation of primary breast cancer.", "partly_structured", all_(ct("BREAST"), un("primary"))),
    ("inc", "All patients with pathologically confirmed primary prostate cancer", "partly_structured",
     all_(ct("PROSTATE"), un("primary"))),
    ("exc", "Primary uveal melanoma", "partly_structured", no(all_(ct("UM"), un("Primary")))),
    # names the vocabulary did not spell
    ("inc", "Desmoid tumor (aggressive fibromatosis)", "fully_structured", ct("DES")),  # NCT05919264
    ("exc", "Myelofibrosis", "fully_structured", no(ct("PMF", "PVMF", "ETMF"))),
    ("inc", "Diagnosis of CLL, MCL, MZL or WM", "fully_structured", ct("CLLSLL", "MCL", "MZL", "WM")),
    ("inc", "Participant must have CLL or SLL (WHO criteria).", "fully_structured", ct("CLLSLL")),  # NCT06849713
    ("inc", "Arm C: Patients with relapsed advanced or metastatic cSCC", "partly_structured", None),  # NCT05479812
    ("inc", "malignant pleural mesothelioma", "fully_structured", ct("PLMESO")),
    ("inc", "GIST", "fully_structured", ct("GIST")),
    # the classification a diagnosis follows is documentation (NCT06466122, NCT05798897, NCT06588478)
    ("inc", "Diagnosis of CLL or SLL according to the International Workshop on Chronic Lymphocytic Leukemia (iwCLL) 2018 "
            "guidelines", "fully_structured", ct("CLLSLL")),
    ("inc", "Cytologically or histologically confirmed diagnosis of NHL, HL or CLL based on the 2022 World Health Organization "
            "(WHO) criteria for hematolymphoid neoplasms", "fully_structured", ct(*NHL_CODES, "HL")),
    ("inc", "Have confirmed diagnosis of CLL/SLL as defined by iwCLL 2018 criteria.", "fully_structured", ct("CLLSLL")),
    # a treatment indication is not the diagnosis's definition (NCT06973187)
    ("inc", "Confirmed diagnosis of CLL or SLL, requiring treatment, based on 2018 iwCLL criteria", "partly_structured",
     all_(ct("CLLSLL"), un("requiring treatment, based on 2018 iwCLL criteria"))),
    # "head and neck" is one list member (NCT07090499)
    ("inc", "Advanced cancer of the bladder, lung, head and neck, esophagus, or pancreas", "fully_structured",
     all_(met("advanced"), ct("BLCA", "BLSC", "BLAD", "SCB", "SCBC", "SRCBC", "URCA", "LUNG", "HEAD_NECK", "ESCA", "ESCC",
                              "EPDCA", "HGNEE", "ESMM", "PANCREAS"))),
    # NCT05647564; small-cell carcinoma is neuroendocrine prostate cancer too (audit: PRSCC is PRNE's sibling code)
    ("exc", "Known neuro-endocrine prostate cancer", "fully_structured", no(ct("PRNE", "PRSCC"))),
    ("exc", "Neuroendocrine prostate cancer", "fully_structured", no(ct("PRNE", "PRSCC"))),
    ("inc", "carcinoma of the lung", "fully_structured", ct("LUNG")),
    # metastatic sites: peritoneum, lung, adrenal gland
    ("exc", "Known bone or peritoneal metastases", "fully_structured",  # NCT04609592
     no(any_(met(site="bone"), met(site="peritoneum")))),
    ("exc", "Subjects with peritoneal dissemination.", "fully_structured", no(met(site="peritoneum"))),  # NCT07033689
    ("exc", "peritoneal carcinomatosis", "fully_structured", no(met(site="peritoneum"))),
    ("exc", "untreated lung metastases", "fully_structured", no(met(site="lung", qualifier="untreated"))),
    ("inc", "adrenal metastases", "fully_structured", met(site="adrenal")),
    # brain/CNS: both sites, as "CNS metastases" (NCT06161532, NCT06790602)
    ("exc", "Symptomatic or untreated brain/CNS metastases.", "fully_structured",
     no(any_(met(site="cns", qualifier="symptomatic"), met(site="brain", qualifier="symptomatic"),
             met(site="cns", qualifier="untreated"), met(site="brain", qualifier="untreated")))),
    ("exc", "Presence of known central nervous system or brain metastases.", "fully_structured",
     no(any_(met(site="cns"), met(site="brain")))),
    # NCT05920356: "(treated or untreated)" says treatment does not matter
    ("exc", "Symptomatic (treated or untreated) brain metastases", "fully_structured",
     no(met(site="brain", qualifier="symptomatic"))),
    # NCT06671912, NCT06866262: clinical or radiologic evidence is documentation
    ("inc", "No definitive clinical or radiologic evidence of metastatic disease", "fully_structured", no(met("metastatic"))),
    ("inc", "Radiologic or clinical evidence of metastatic disease, or progressive locally advanced disease.", "partly_structured",
     any_(met("metastatic"), all_(met("locally_advanced"), un("progressive")))),
]


@pytest.mark.parametrize("section,text,status,expected", READ)
def test_read(vocab, section, text, status, expected):
    got_status, node = parse(vocab, section, text)
    assert got_status == status
    if expected is not None:
        assert to_json(node) == expected


def test_cscc_arm_keeps_its_narrowing(vocab):
    _, node = parse(vocab, "inc", "Arm C: Patients with relapsed advanced or metastatic cSCC")
    text = str(to_json(node))
    assert "'codes': ['CSCC']" in text and "relapsed" in text


OPEN = [
    ("inc", "Diagnosis of treatment-refractory advanced/metastatic non-MSI-H or non-dMMR CRC."),  # "treatment-refractory"
    ("inc", "metastatic PC"),  # prostate or pancreatic cancer?
    ("inc", "mBC"),  # metastatic, or male, breast cancer
    ("inc", "primary tumor"),  # no cancer named
    ("exc", "Peritoneal disease"),  # need not be cancer
    ("exc", "pulmonary disease"),
    ("exc", "Known visceral metastases."),  # no one site
    ("inc", "Lung metastases only"),
    ("inc", "Primary non-metastatic uveal melanoma"),
    ("inc", "Grade 3b FL"),  # the grade is not read
    ("inc", "MCV 80-100 fL"),  # femtolitres, not follicular lymphoma
    ("exc", "History of idiopathic or secondary myelofibrosis"),  # "idiopathic" is not read
    ("exc", "Patients with metastases to the meninges."),  # the meninges are not the leptomeninges alone
    ("inc", "Patients with asymptomatic CNS metastases (treated or untreated) are eligible"),  # a permission
    ("inc", "Subject must have indications for treatment per the 2018 iwCLL Guidelines."),  # an indication, no diagnosis
]


@pytest.mark.parametrize("section,text", OPEN)
def test_stays_unparsed(vocab, section, text):
    status, _ = parse(vocab, section, text)
    assert status == "unparsed"


def test_primary_entities_are_not_split(vocab):
    # names in which "primary" is part of the entity keep their own code
    assert to_json(parse(vocab, "inc", "primary peritoneal cancer")[1]) == ct("PSEC")
    assert to_json(parse(vocab, "inc", "primary CNS lymphoma")[1]) == ct("PCNSL")
    assert to_json(parse(vocab, "inc", "primary myelofibrosis")[1]) == ct("PMF")


D = date(2025, 1, 1)
CRC = f.Cancer(evidence="Condition/crc", role="primary", cancer_type="COAD", onset=date(2024, 3, 1))


def _verdict(vocab, section, text, **facts):
    _, node = parse(vocab, section, text)
    return outcome(node, patient(**facts)).verdict.label


def test_non_msi_high_verdicts(vocab):
    text = "Diagnosis of locally advanced or metastatic non-MSI-H or non-dMMR CRC"
    crc_metastatic = (CRC, f.Cancer(evidence="Condition/crc-liver", role="secondary", cancer_type="COAD",
                                    body_site=(f.Coding(f.SNOMED, "10200004", "Liver structure"),), onset=D))
    mss = (f.TumorMarker("Observation/msi", "MSI", status="stable", date=D),)
    msi_h = (f.TumorMarker("Observation/msi", "MSI", status="high", date=D),
             f.TumorMarker("Observation/mmr", "MMR", status="deficient", date=D))
    assert _verdict(vocab, "inc", text, cancers=crc_metastatic, markers=mss) == "met"
    # an MSI-high, MMR-deficient tumour is neither: the trial is not for this patient
    assert _verdict(vocab, "inc", text, cancers=crc_metastatic, markers=msi_h) == "not_met"
    # never tested: not ruled out
    assert _verdict(vocab, "inc", text, cancers=crc_metastatic) == "unknown"


def test_tnbc_verdicts(vocab):
    breast = f.Cancer(evidence="Condition/bc", role="primary", cancer_type="IDC", onset=date(2024, 3, 1))
    triple = tuple(f.TumorMarker(f"Observation/{m}", m, status="negative", date=D) for m in ("ER", "PR", "HER2"))
    her2_pos = triple[:2] + (f.TumorMarker("Observation/HER2", "HER2", status="positive", date=D),)
    assert _verdict(vocab, "inc", "TNBC", cancers=(breast,), markers=triple) == "met"
    assert _verdict(vocab, "inc", "TNBC", cancers=(breast,), markers=her2_pos) == "not_met"


def test_peritoneal_metastasis_verdicts(vocab):
    text = "Known bone or peritoneal metastases"
    peritoneum = f.Cancer("Condition/met-peritoneum", "secondary",
                          codes=(f.Coding(f.SNOMED, "94627008", "Metastasis to peritoneum"),), clinical_status="active")
    assert _verdict(vocab, "exc", text, cancers=(CRC, peritoneum)) == "not_met"
