"""conditions.yaml ``group``: which keys gather several distinct conditions (an inactive record of
one member then covers that member only), and how a wrong flag is refused at load, naming the
file, the key and the field."""

import pytest

from tests.unit.vocab.conftest import edit
from trialmatch.errors import RuleFileError
from trialmatch.vocab import load_vocabulary, load_vocabulary_from

GROUPS = {"active_infection", "autoimmune_disease", "bleeding_disorder", "arrhythmia",
          "interstitial_lung_disease", "organ_transplant", "primary_immunodeficiency",
          "hypertension_uncontrolled", "other_malignancy", "immunodeficiency", "malabsorption",
          "heart_disease", "cardiovascular_disease", "cerebrovascular_disease",
          "graft_versus_host_disease", "pancreatitis", "gastrointestinal_perforation", "gastrointestinal_fistula",
          "seizure", "inflammatory_bowel_disease"}
SINGLE = {"hiv", "hepatitis_b", "hepatitis_c", "tuberculosis", "diabetes", "heart_failure", "pneumonitis",
          "peripheral_neuropathy", "myocarditis", "unstable_angina", "myocardial_infarction", "stroke",
          "transient_ischemic_attack", "deep_vein_thrombosis", "pulmonary_embolism", "stem_cell_transplant",
          "pleural_effusion", "pericardial_effusion", "ascites", "epilepsy", "cirrhosis", "gilbert_syndrome", "spinal_cord_compression",
          "hepatic_encephalopathy", "crohns_disease", "ulcerative_colitis"}


def test_group_keys_are_flagged_and_single_diseases_are_not():
    concepts = load_vocabulary().conditions
    assert {k for k, concept in concepts.items() if concept.group} == GROUPS
    # every key was decided one way or the other (a new key must be added to one list)
    assert GROUPS | SINGLE == set(concepts)


def test_group_must_be_a_boolean(data_copy):
    edit(data_copy / "conditions.yaml", "  active_infection:\n    group: true", "  active_infection:\n    group: yes please")
    with pytest.raises(RuleFileError, match=r"conditions\.yaml: conditions\.active_infection\.group: expected true or false"):
        load_vocabulary_from(data_copy)


def test_group_as_a_quoted_string_is_refused(data_copy):
    edit(data_copy / "conditions.yaml", "  autoimmune_disease:\n    group: true", '  autoimmune_disease:\n    group: "true"')
    with pytest.raises(RuleFileError, match=r"conditions\.autoimmune_disease\.group: expected true or false, got 'true'"):
        load_vocabulary_from(data_copy)


def test_unknown_field_is_refused_with_the_allowed_ones(data_copy):
    edit(data_copy / "conditions.yaml", "  hepatitis_c:\n", "  hepatitis_c:\n    grouped: true\n")
    with pytest.raises(RuleFileError, match=r"conditions\.yaml: conditions\.hepatitis_c: unknown key\(s\) \['grouped'\]"):
        load_vocabulary_from(data_copy)


def test_group_false_is_the_default(data_copy):
    edit(data_copy / "conditions.yaml", "  hepatitis_c:\n", "  hepatitis_c:\n    group: false\n")
    assert load_vocabulary_from(data_copy).conditions["hepatitis_c"].group is False


def test_immunodeficiency_includes_the_primary_key_and_holds_the_secondary_codes():
    vocab = load_vocabulary()
    assert vocab.conditions["immunodeficiency"].includes == ("primary_immunodeficiency",)
    from trialmatch.domain.facts import Coding
    icd = "http://hl7.org/fhir/sid/icd-10-cm"
    assert vocab.condition_for(Coding(icd, "D84.821")) == "immunodeficiency"  # due to drugs
    assert vocab.condition_for(Coding(icd, "D84.9")) == "immunodeficiency"  # immunocompromised NOS
    assert vocab.condition_for(Coding(icd, "D83.9")) == "primary_immunodeficiency"  # CVID stays primary
    assert vocab.condition_for(Coding(icd, "B20")) != "immunodeficiency"  # HIV disease is not this key


def test_includes_must_name_other_keys(data_copy):
    edit(data_copy / "conditions.yaml", "    includes: [primary_immunodeficiency]", "    includes: [primary_immunodeficiencies]")
    with pytest.raises(RuleFileError, match=r"conditions\.immunodeficiency\.includes: \['primary_immunodeficiencies'\] are not other"):
        load_vocabulary_from(data_copy)


def test_includes_is_empty_by_default():
    assert load_vocabulary().conditions["hiv"].includes == ()
