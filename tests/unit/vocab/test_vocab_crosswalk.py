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


def test_generated_crosswalk_examples_verified_against_displays():
    """Rows built by trialmatch.vocab.tools.build_cancer_crosswalk, each checked by hand
    against its value-set display (quoted)."""
    got = {code: snomed(code) for code in [
        "1078901000119100",  # Primary adenocarcinoma of upper lobe of left lung (disorder)
        "1080341000119105",  # Infiltrating lobular carcinoma of right female breast (disorder)
        "448387008",  # Non-Hodgkin's lymphoma of testis (disorder): a lymphoma, not a testis cancer
        "402509003",  # Basal cell carcinoma of neck (disorder)
        "187681002",  # Malignant neoplasm of anterior epiglottis
        "187846001",  # Malignant neoplasm of thyroid cartilage: larynx, not thyroid
        "254860001",  # Malignant sex cord tumor of ovary
        "302849000",  # Nephroblastoma (fuzzy candidate "neuroblastoma" rejected on review)
        "445269007",  # Extranodal marginal zone B-cell lymphoma of MALT (fuzzy-reviewed)
    ]}
    assert got == {
        "1078901000119100": "LUAD", "1080341000119105": "ILC", "448387008": "NHL", "402509003": "BCC",
        "187681002": "HEAD_NECK", "187846001": "HEAD_NECK", "254860001": "OVARY", "302849000": "WT",
        "445269007": "EMALT",
    }


def test_generated_crosswalk_refusals():
    got = {code: snomed(code) for code in [
        "449072004",  # Lymphoma of gastrointestinal tract: lymphoma type unknown, site is not its tissue
        "369518007",  # Malignant tumor involving left fallopian tube by direct extension from uterine cervix
        "396198006",  # Small cell carcinoma of prostate: no rule, not forced to PROSTATE
        "773775004",  # High-grade neuroendocrine carcinoma of cervix uteri
        "315058005",  # Hereditary nonpolyposis colon cancer: may denote the syndrome
    ]}
    assert got == dict.fromkeys(got, None)


def test_every_row_has_its_method_and_display():
    vocab = load_vocabulary()
    rows = list(vocab.crosswalk.rows.values())
    assert all(row.display and row.method for row in rows)
    assert all((row.oncotree is None) == (row.method == "unmapped") for row in rows)


def test_cross_check_against_the_trial_matching_app_list():
    """Codes the mCODE trial-matching app files under brain: a word-level site rule once sent
    them to HEAD_NECK (craniopharyngeal) and EYE (choroid plexus)."""
    assert {code: snomed(code) for code in ["93768004", "188292007", "188340000"]} == {
        "93768004": "BRAIN",  # Primary malignant neoplasm of craniopharyngeal duct (disorder)
        "188292007": "BRAIN",  # Malignant tumor of choroid plexus
        "188340000": "BRAIN",  # Malignant tumor of craniopharyngeal duct
    }


def test_primary_cancer_body_site_to_tissue():
    vocab = load_vocabulary()
    got = {code: vocab.cancer_type_for_site(Coding(SNOMED, code)) for code in [
        "80248007",  # Left breast structure (body structure): mCODE IG example with 363346000
        "39607008",  # Lung structure (body structure)
        "71854001",  # Colon structure (body structure)
        "59441001",  # Structure of lymph node: a primary there is usually a lymphoma, refused
        "14016003",  # Bone marrow structure: refused
        "8935007",  # in the bundles without any display: not mapped
    ]}
    assert got == {"80248007": "BREAST", "39607008": "LUNG", "71854001": "BOWEL",
                   "59441001": None, "14016003": None, "8935007": None}
    assert vocab.cancer_type_for_site(Coding(ICD10CM, "C50.9")) is None
