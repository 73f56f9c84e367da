"""The maintainer tools' classification rules, on displays written out here (no shared data)."""

import re

from trialmatch.vocab import load_vocabulary
from trialmatch.vocab.data_file import default_data_dir, read_yaml
from trialmatch.vocab.tools.build_cancer_crosswalk import classify_snomed, name_index
from trialmatch.vocab.tools.build_drug_rxnorm import ingredients_in, name_patterns
from trialmatch.vocab.tools.build_site_table import classify


def test_crosswalk_rules_on_displays():
    names = name_index(load_vocabulary())
    displays = [
        "Adenocarcinoma of lung (disorder)",
        "Malignant tumor of breast",
        "Intraductal carcinoma in situ of breast",
        "Carcinoma in situ of cervix",
        "Neoplasm of uncertain behavior of ovary",
        "Lymphoma of stomach",
        "Non-Hodgkin's lymphoma of lung (disorder)",
        "Basal cell carcinoma of prostate",
        "Adenocarcinoma of small intestine",
        "Adenocarcinoma of sigmoid colon",
        "Malignant tumor of parathyroid gland",
        "Malignant tumor involving rectum by direct extension from bladder",
        "Malignant tumor",
    ]
    got = [classify_snomed(display, names)[:2] for display in displays]
    assert got == [
        ("LUAD", "site+histology rule"),
        ("BREAST", "exact-name"),  # "breast" after the "malignant tumor of" prefix is the node name
        ("DCIS", "site+histology rule"),
        (None, "unmapped"),
        (None, "unmapped"),
        (None, "unmapped"),
        ("NHL", "site+histology rule"),
        ("BCCP", "exact-name"),  # OncoTree's Basal Cell Carcinoma of Prostate, not skin BCC
        ("BOWEL", "site+histology rule"),
        ("COADREAD", "site+histology rule"),
        (None, "unmapped"),
        (None, "unmapped"),
        (None, "unmapped"),
    ]


def test_drug_names_in_product_displays():
    patterns = name_patterns()
    got = [ingredients_in(display, patterns) for display in [
        "Keytruda 100 MG per 4 ML Injection",
        "5 ML hyaluronidase-oysk 2000 UNT/ML / trastuzumab-oysk 120 MG/ML Injection",
        "Trastuzumab Injection [KADCYLA]",
        "Kisqali 200 MG / Femara 2.5 MG Co-Pack",
        "Fluorouracil 50 MG/ML Topical Cream",
        "Hydrochlorothiazide 25 MG Oral Tablet",
    ]]
    assert got == [("pembrolizumab",), ("trastuzumab",), ("trastuzumab emtansine",),
                   ("letrozole", "ribociclib"), (), ()]


def test_metastatic_site_patterns():
    sites = read_yaml(default_data_dir(), "metastatic_sites.yaml")["sites"]
    patterns = {key: re.compile(body["pattern"], re.IGNORECASE) for key, body in sites.items()}
    part_of = {key: body["part_of"] for key, body in sites.items() if body.get("part_of")}
    got = [classify(display, patterns, part_of) for display in [
        "Secondary malignant neoplasm of brain and spinal cord",
        "Secondary malignant neoplasm of hepatic flexure of colon",
        "Metastasis from malignant tumor of lung",
        "Secondary malignant neoplasm of bronchopulmonary lymph nodes",
        "Pulmonary valve structure (body structure)",
        "Skeletal and/or smooth muscle structure (body structure)",
        "Malignant meningitis",
    ]]
    assert got == ["brain", None, None, "lymph_node", None, None, "leptomeningeal"]
