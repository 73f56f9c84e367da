"""Condition and metastatic-site lookups; SNOMED displays quoted from the mCODE value sets."""

from trialmatch.domain.facts import ICD10CM, LOINC, SNOMED, Coding
from trialmatch.vocab import load_vocabulary

AGREED_CONDITIONS = {
    "hiv", "hepatitis_b", "hepatitis_c", "autoimmune_disease", "interstitial_lung_disease", "pneumonitis",
    "heart_failure", "myocardial_infarction", "stroke", "active_infection", "tuberculosis", "organ_transplant",
    "other_malignancy", "diabetes", "arrhythmia", "hypertension_uncontrolled",
    "unstable_angina", "transient_ischemic_attack", "bleeding_disorder", "peripheral_neuropathy", "myocarditis",
    "primary_immunodeficiency", "deep_vein_thrombosis", "pulmonary_embolism", "immunodeficiency", "malabsorption", "stem_cell_transplant",
    "pleural_effusion", "pericardial_effusion", "ascites", "heart_disease", "cardiovascular_disease", "cerebrovascular_disease",
    "epilepsy", "cirrhosis", "gilbert_syndrome", "spinal_cord_compression",
    "graft_versus_host_disease", "pancreatitis", "hepatic_encephalopathy", "gastrointestinal_perforation",
    "gastrointestinal_fistula", "seizure", "inflammatory_bowel_disease", "crohns_disease", "ulcerative_colitis",
}
AGREED_SITES = {"brain", "cns", "leptomeningeal", "liver", "bone", "lung", "lymph_node", "peritoneum",
                "adrenal", "pleura", "skin"}


def test_agreed_keys():
    vocab = load_vocabulary()
    assert set(vocab.conditions) == AGREED_CONDITIONS
    assert set(vocab.sites) == AGREED_SITES


def test_icd10_condition_prefixes():
    vocab = load_vocabulary()
    got = {code: vocab.condition_for(Coding(ICD10CM, code)) for code in
           ["B20", "B18.1", "B181", "B17.1", "B18.2", "I50.32", "I5020", "M32.14", "E11.9", "Z94.0", "I16.1",
            "I10", "Z94.7", "B18.9", "C50.911"]}
    assert got == {
        "B20": "hiv", "B18.1": "hepatitis_b", "B181": "hepatitis_b", "B17.1": "hepatitis_c",
        "B18.2": "hepatitis_c", "I50.32": "heart_failure", "I5020": "heart_failure", "M32.14": "autoimmune_disease",
        "E11.9": "diabetes", "Z94.0": "organ_transplant", "I16.1": "hypertension_uncontrolled",
        "I10": None,  # essential hypertension is not "uncontrolled"
        "Z94.7": None,  # corneal transplant status: not a solid organ transplant
        "B18.9": None,  # chronic viral hepatitis, unspecified: neither B nor C
        "C50.911": None,
    }


def test_snomed_conditions_from_the_bundles():
    vocab = load_vocabulary()
    got = {code: vocab.condition_for(Coding(SNOMED, code)) for code in
           ["840539006", "233604007", "444814009", "65363002", "59621000"]}
    # COVID-19, Pneumonia, Viral sinusitis, Otitis media, Essential hypertension
    assert got == {"840539006": "active_infection", "233604007": "active_infection",
                   "444814009": None, "65363002": None, "59621000": None}


def test_other_malignancy_has_no_codes():
    concept = load_vocabulary().conditions["other_malignancy"]
    assert concept.snomed == () and concept.icd10cm == ()


def test_metastatic_sites_from_secondary_disorders():
    vocab = load_vocabulary()
    got = {code: vocab.metastatic_site_for(Coding(SNOMED, code)) for code in [
        "94225005",  # Secondary malignant neoplasm of brain
        "94222008",  # Secondary malignant neoplasm of bone
        "94381002",  # Secondary malignant neoplasm of liver
        "94391008",  # Secondary malignant neoplasm of lung
        "94181007",  # Secondary malignant neoplasm of axillary lymph nodes
        "1155991005",  # Secondary malignant neoplasm of leptomeninges
        "94161006",  # Secondary malignant neoplasm of adrenal gland
        "94243009",  # Secondary malignant neoplasm of central nervous system
        "128462008",  # Secondary malignant neoplastic disease: no site
        "94217008",  # Secondary malignant neoplasm of bone marrow: not "bone"
        "315006004",  # Metastasis from malignant tumor of lung: names the primary
    ]}
    assert got == {
        "94225005": "brain", "94222008": "bone", "94381002": "liver", "94391008": "lung",
        "94181007": "lymph_node", "1155991005": "leptomeningeal", "94161006": "adrenal", "94243009": "cns",
        "128462008": None, "94217008": None, "315006004": None,
    }


def test_body_structures_and_icd10():
    vocab = load_vocabulary()
    got = {code: vocab.metastatic_site_for(Coding(SNOMED, code)) for code in
           ["12738006", "10200004", "39607008", "59441001", "23451007", "39937001", "76752008"]}
    # Brain, Liver, Lung, Lymph node, Adrenal, Skin structures; Breast structure is no metastatic site key
    assert got == {"12738006": "brain", "10200004": "liver", "39607008": "lung", "59441001": "lymph_node",
                   "23451007": "adrenal", "39937001": "skin", "76752008": None}
    icd = {code: vocab.metastatic_site_for(Coding(ICD10CM, code)) for code in
           ["C79.31", "C7931", "C79.51", "C78.7", "C77.3", "C78.6", "C79.52"]}
    assert icd == {"C79.31": "brain", "C7931": "brain", "C79.51": "bone", "C78.7": "liver",
                   "C77.3": "lymph_node", "C78.6": None, "C79.52": None}
    assert vocab.metastatic_site_for(Coding(LOINC, "94225005")) is None


def test_site_hierarchy():
    vocab = load_vocabulary()
    assert vocab.site_is_a("brain", "cns")
    assert vocab.site_is_a("leptomeningeal", "cns")
    assert vocab.site_is_a("cns", "cns")
    assert not vocab.site_is_a("cns", "brain")
    assert not vocab.site_is_a("liver", "cns")
