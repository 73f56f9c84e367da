"""Non-oncology drug classes (concurrent medications): flags, dose forms, codes, and how a
broken class file is refused."""

import pytest

from tests.unit.vocab.conftest import edit
from trialmatch.errors import RuleFileError
from trialmatch.vocab import load_vocabulary, load_vocabulary_from


def test_concurrent_medication_classes_are_not_oncology_classes():
    vocab = load_vocabulary()
    assert not vocab.is_oncology_class("systemic_corticosteroid")
    assert not vocab.is_oncology_class("immunosuppressant")
    assert vocab.is_oncology_class("chemotherapy")
    assert vocab.drug_classes("prednisone") == {"systemic_corticosteroid", "immunosuppressant"}
    assert vocab.oncology_drug_classes("prednisone") == frozenset()
    # a drug in both kinds keeps its oncology classes (methotrexate is also ATC L01BA01)
    assert vocab.oncology_drug_classes("methotrexate") == {"antimetabolite", "chemotherapy"}
    assert "immunosuppressant" in vocab.drug_classes("methotrexate")


def test_steroids_count_for_immunosuppression_only_in_a_systemic_form():
    vocab = load_vocabulary()
    assert vocab.systemic_only_members("systemic_corticosteroid") >= {"prednisone", "dexamethasone", "hydrocortisone"}
    only = vocab.systemic_only_members("immunosuppressant")
    assert "prednisone" in only and "tacrolimus" not in only
    assert vocab.systemic_only_members("chemotherapy") == frozenset()


@pytest.mark.parametrize(("display", "route"), [
    ("prednisone 5 MG Oral Tablet", "systemic"),
    ("Dexamethasone phosphate 10 MG/ML Injectable Solution", "systemic"),
    ("Triamcinolone Oral Paste", "local"),  # a dental paste in a Synthea bundle
    ("budesonide 0.5 MG/ML Inhalation Suspension", "local"),
    ("fluticasone propionate 0.05 MG/ACTUAT Nasal Spray", "local"),
    ("Hydrocortisone 10 MG/ML Topical Cream", "local"),
    ("methylprednisolone acetate 40 MG/ML Injectable Suspension", None),  # IM or intra-articular
    ("predniSONE", None),  # an ingredient code shows no form
    (None, None),
])
def test_dose_form_route(display, route):
    assert load_vocabulary().dose_form_route(display) == route


def test_rxnorm_codes_of_concurrent_medications():
    vocab = load_vocabulary()
    assert vocab.drug_for_rxnorm("8640") == "prednisone"  # medications.json and the mCODE IG example
    assert vocab.drug_for_rxnorm("3264") == "dexamethasone"
    assert vocab.drug_for_rxnorm("42316") == "tacrolimus"  # CPIC drug table
    assert vocab.drug_for_rxnorm("10760") is None  # "Triamcinolone Oral Paste": local, not mapped
    row = vocab.drugs.by_rxnorm
    assert row["1256"] == ("azathioprine",)


def test_class_flags_are_validated(data_copy):
    edit(data_copy / "drug_classes.yaml", "    oncology: false\n    route: systemic\n",
         "    oncology: no-ish\n    route: systemic\n")
    with pytest.raises(RuleFileError, match=r"classes\.systemic_corticosteroid\.oncology: must be true or false"):
        load_vocabulary_from(data_copy)


def test_route_must_be_known(data_copy):
    edit(data_copy / "drug_classes.yaml", "    route: systemic\n", "    route: oral\n")
    with pytest.raises(RuleFileError, match=r"classes\.systemic_corticosteroid\.route: 'oral' is not one of"):
        load_vocabulary_from(data_copy)


def test_an_oncology_class_never_includes_a_concurrent_medication_class(data_copy):
    edit(data_copy / "drug_classes.yaml", "    includes: [fluoropyrimidine]\n",
         "    includes: [fluoropyrimidine, systemic_corticosteroid]\n")
    with pytest.raises(RuleFileError, match=r"classes\.antimetabolite\.includes: 'systemic_corticosteroid' is not an oncology"):
        load_vocabulary_from(data_copy)


def test_dose_forms_are_required_lower_case_words(data_copy):
    edit(data_copy / "drug_classes.yaml", "  local: [topical,", "  local: [Topical,")
    with pytest.raises(RuleFileError, match=r"dose_forms: 'Topical' must be lower-case words"):
        load_vocabulary_from(data_copy)


def test_strong_cyp3a_classes_take_oncology_drugs_as_members_without_making_them_concurrent():
    vocab = load_vocabulary()
    assert {"enzalutamide", "rifampin", "carbamazepine"} <= vocab.class_members("strong_cyp3a_inducer")
    assert {"ketoconazole", "clarithromycin", "idelalisib"} <= vocab.class_members("strong_cyp3a_inhibitor")
    assert "strong_cyp3a_inducer" in vocab.drug_classes("enzalutamide")
    assert vocab.oncology_drug_classes("enzalutamide") == {"antiandrogen", "arpi", "endocrine_therapy"}
    assert vocab.drug_for_rxnorm("121243") == "voriconazole"  # CPIC drug table
    assert vocab.drug_for_rxnorm("2002") == "carbamazepine"


def test_anticoagulant_classes():
    vocab = load_vocabulary()
    assert vocab.class_members("anticoagulant") >= {"warfarin", "enoxaparin", "apixaban", "dabigatran", "fondaparinux"}
    assert "aspirin" not in vocab.drugs.drugs  # antiplatelets are no anticoagulants (ATC B01AC)
    assert vocab.drug_classes("warfarin") == {"vitamin_k_antagonist", "anticoagulant"}
    assert vocab.drug_for_rxnorm("11289") == "warfarin"  # CPIC drug table
    assert vocab.systemic_only_members("anticoagulant") == {"heparin", "enoxaparin", "dalteparin", "tinzaparin"}
    assert vocab.dose_form_route("heparin sodium 100 UNT/ML Flush Solution") == "local"  # a line flush
