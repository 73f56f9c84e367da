import json
from importlib import resources

from trialmatch.vocab import load_vocabulary


def test_current_names_resolve_case_insensitively():
    vocab = load_vocabulary()
    assert vocab.oncotree_code_for_name("Lung Adenocarcinoma") == "LUAD"
    assert vocab.oncotree_code_for_name("  non-small cell  lung cancer ") == "NSCLC"
    assert vocab.oncotree_code_for_name("Breast") == "BREAST"
    assert vocab.oncotree_code_for_name("_SOLID_") == "_SOLID_"


def test_old_matchminer_names():
    vocab = load_vocabulary()
    assert vocab.oncotree_code_for_name("Glioblastoma") == "GB"
    assert vocab.oncotree_code_for_name("Glioblastoma Multiforme") == "GB"
    assert vocab.oncotree_code_for_name("Multiple Myeloma") == "PCM"
    assert vocab.oncotree_code_for_name("Chronic Lymphocytic Leukemia") == "CLLSLL"


def test_split_and_unresolved_names_give_none():
    vocab = load_vocabulary()
    assert vocab.oncotree_code_for_name("Acute Lymphoid Leukemia") is None
    assert vocab.cancer_names.codes_for("Acute Lymphoid Leukemia") == ("BLL", "TLL")
    assert vocab.oncotree_code_for_name("Leukemia") is None
    assert vocab.oncotree_code_for_name("Porphyria Cutania Tarda") is None
    assert vocab.oncotree_code_for_name("Gobbledygook carcinoma") is None


def test_every_matchminer_name_is_accounted_for():
    vocab = load_vocabulary()
    text = (resources.files("trialmatch.vocab") / "data" / "matchminer_oncotree_mapping.json").read_text()
    names = json.loads(text)
    resolved = [n for n in names if vocab.cancer_names.codes_for(n)]
    unresolved = sorted(n for n in names if not vocab.cancer_names.codes_for(n))
    assert unresolved == [
        "Blood",
        "Leukemia",
        "Low-Grade Neuroepithelial Tumor",
        "No OncoTree Node Found",
        "Peripheral T-Cell Lymphoma",
        "Porphyria Cutania Tarda",
        "Teratoma with Malignant Transformation",
    ]
    assert len(resolved) == len(names) - 7
