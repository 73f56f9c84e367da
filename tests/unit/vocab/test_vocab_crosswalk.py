"""Crosswalk examples; each SNOMED display below is the one in the mCODE value set."""

from trialmatch.domain.facts import ICD10CM, ICDO3, ONCOTREE, SNOMED, Coding
from trialmatch.vocab import load_vocabulary


def snomed(code: str) -> str | None:
    return load_vocabulary().cancer_type_for(Coding(SNOMED, code))


def test_common_primary_cancers_from_the_test_bundles():
    mapped = {code: snomed(code) for code in [
        "254637007",  # Non-small cell lung cancer
        "254837009",  # Malignant tumor of breast
        "372137005",  # Primary malignant neoplasm of breast (disorder)
        "353431000119107",  # Primary malignant neoplasm of female left breast (disorder)
        "408643008",  # Infiltrating duct carcinoma of breast (disorder)
        "363406005",  # Malignant tumor of colon
        "363418001",  # Malignant tumor of pancreas
        "399068003",  # Malignant tumor of prostate (disorder)
        "91861009",  # Acute myeloid leukemia
        "277571004",  # B-cell acute lymphoblastic leukemia
    ]}
    assert mapped == {
        "254637007": "NSCLC", "254837009": "BREAST", "372137005": "BREAST", "353431000119107": "BREAST",
        "408643008": "IDC", "363406005": "BOWEL", "363418001": "PANCREAS", "399068003": "PROSTATE",
        "91861009": "AML", "277571004": "BLL",
    }


def test_generic_and_unknown_codes_stay_unmapped():
    assert snomed("363346000") is None  # Malignant neoplastic disease: no site
    assert snomed("126906006") is None  # not in the shared value sets: not mapped from memory
    assert snomed("65363002") is None  # Otitis media


def test_icd10_site_rules():
    vocab = load_vocabulary()
    got = {code: vocab.cancer_type_for(Coding(ICD10CM, code)) for code in
           ["C50.912", "C50912", "C34.90", "C18.7", "C22.0", "C22.9", "C61", "C92.00", "C83.30", "C80.1", "C79.31"]}
    assert got == {
        "C50.912": "BREAST", "C50912": "BREAST", "C34.90": "LUNG", "C18.7": "BOWEL", "C22.0": "HCC",
        "C22.9": None, "C61": "PROSTATE", "C92.00": "AML", "C83.30": "DLBCLNOS", "C80.1": None, "C79.31": None,
    }


def test_icdo3_topography_skips_blood_rules():
    vocab = load_vocabulary()
    assert vocab.cancer_type_for(Coding(ICDO3, "C50.9")) == "BREAST"
    assert vocab.cancer_type_for(Coding(ICDO3, "C92.0")) is None  # not a topography
    assert vocab.cancer_type_for(Coding(ICDO3, "C77.0")) is None  # lymph nodes: site of lymphomas


def test_oncotree_coding_and_unknown_system():
    vocab = load_vocabulary()
    assert vocab.cancer_type_for(Coding(ONCOTREE, "luad")) == "LUAD"
    assert vocab.cancer_type_for(Coding(ONCOTREE, "XYZ")) is None
    assert vocab.cancer_type_for(Coding("http://example.org", "C50.9")) is None
    assert vocab.cancer_type_for(Coding(SNOMED, None)) is None
