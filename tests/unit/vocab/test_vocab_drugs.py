import pytest

from trialmatch.vocab import load_vocabulary

AGREED_CLASSES = {
    "anti_pd1", "anti_pdl1", "anti_ctla4", "immune_checkpoint_inhibitor", "platinum", "taxane",
    "anthracycline", "fluoropyrimidine", "antimetabolite", "alkylating_agent", "topoisomerase_inhibitor",
    "vinca_alkaloid", "cdk46_inhibitor", "aromatase_inhibitor", "serd", "serm", "antiandrogen",
    "gnrh_agonist", "endocrine_therapy", "anti_her2_antibody", "her2_tki", "anti_her2", "egfr_tki",
    "anti_egfr_antibody", "alk_inhibitor", "ros1_inhibitor", "parp_inhibitor", "braf_inhibitor",
    "mek_inhibitor", "kras_g12c_inhibitor", "vegf_inhibitor", "multikinase_inhibitor", "mtor_inhibitor",
    "pi3k_inhibitor", "btk_inhibitor", "bcl2_inhibitor", "adc", "bispecific", "car_t", "chemotherapy",
    "immunotherapy", "targeted_therapy",
}


def test_every_agreed_class_exists_with_a_source():
    classes = load_vocabulary().drugs.classes
    assert AGREED_CLASSES <= set(classes)
    assert all(c.source and c.members for c in classes.values())


def test_rxnorm_codes_from_the_shared_data():
    vocab = load_vocabulary()
    got = {code: vocab.drug_for_rxnorm(code) for code in [
        "1547545",  # Pembrolizumab (ingredient)
        "1547550",  # Keytruda (brand)
        "40048",  # Carboplatin
        "583214",  # PACLitaxel 100 MG Injection
        "1873983",  # Ribociclib 200 MG Oral Tablet
        "1946840",  # Verzenio 100 MG Oral Tablet
        "2119714",  # hyaluronidase-oysk / trastuzumab-oysk injection
        "1658086",  # Trastuzumab Injection [KADCYLA]
        "5650",  # IDArubicin (mCODE example)
    ]}
    assert got == {
        "1547545": "pembrolizumab", "1547550": "pembrolizumab", "40048": "carboplatin",
        "583214": "paclitaxel", "1873983": "ribociclib", "1946840": "abemaciclib",
        "2119714": "trastuzumab", "1658086": "trastuzumab emtansine", "5650": "idarubicin",
    }


def test_combination_products_and_refused_codes():
    vocab = load_vocabulary()
    assert vocab.drug_for_rxnorm("2382603") is None  # hyaluronidase / pertuzumab / trastuzumab
    assert vocab.drugs_for_rxnorm("2382603") == ("pertuzumab", "trastuzumab")
    assert vocab.drugs_for_rxnorm("1923053") == ("letrozole", "ribociclib")
    assert vocab.drug_for_rxnorm("213045") is None  # Efudex 5 % Topical Cream: local use
    assert vocab.drug_for_rxnorm("34566") is None  # a bundle code wrongly labelled paclitaxel
    assert vocab.drug_for_rxnorm("310798") is None  # hydrochlorothiazide: not an oncology drug


def test_classes_of_ingredients():
    vocab = load_vocabulary()
    assert vocab.drug_classes("carboplatin") == {"platinum", "chemotherapy"}
    assert vocab.drug_classes("pembrolizumab") == {"anti_pd1", "immune_checkpoint_inhibitor", "immunotherapy"}
    assert vocab.drug_classes("Trastuzumab") == {"anti_her2_antibody", "anti_her2", "targeted_therapy"}
    assert vocab.drug_classes("trastuzumab deruxtecan") == {"anti_her2", "adc", "topo1_adc", "targeted_therapy"}
    assert vocab.drug_classes("capecitabine") == {"fluoropyrimidine", "antimetabolite", "chemotherapy"}
    assert vocab.drug_classes("crizotinib") == {"alk_inhibitor", "ros1_inhibitor", "tki", "kinase_inhibitor",
                                               "targeted_therapy"}
    assert vocab.drug_classes("aspirin") == frozenset()


def test_class_members_are_closed_over_included_classes():
    vocab = load_vocabulary()
    assert vocab.class_members("immune_checkpoint_inhibitor") == (
        vocab.class_members("anti_pd1") | vocab.class_members("anti_pdl1")
        | vocab.class_members("anti_ctla4") | {"relatlimab"})
    assert vocab.class_members("platinum") == {"cisplatin", "carboplatin", "oxaliplatin"}
    assert vocab.class_members("cdk46_inhibitor") == {"palbociclib", "ribociclib", "abemaciclib"}
    assert vocab.class_members("aromatase_inhibitor") <= vocab.class_members("endocrine_therapy")
    assert "abiraterone" not in vocab.class_members("antiandrogen")
    assert "mitoxantrone" not in vocab.class_members("anthracycline")
    assert vocab.class_members("no_such_class") == frozenset()


@pytest.mark.parametrize("drug", ["carboplatin", "paclitaxel", "pembrolizumab", "trastuzumab", "ribociclib"])
def test_common_drugs_have_an_rxnorm_code(drug):
    assert load_vocabulary().drugs.drugs[drug].rxnorm
