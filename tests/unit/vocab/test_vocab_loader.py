"""A broken data file is refused, naming the file and the field (tested on temp copies)."""

import pytest

from tests.unit.vocab.conftest import edit
from trialmatch.errors import RuleFileError
from trialmatch.vocab import load_vocabulary, load_vocabulary_from


def test_the_copy_loads(data_copy):
    assert load_vocabulary_from(data_copy).oncotree.is_a("LUAD", "LUNG")


def test_unknown_key_lists_allowed_keys(data_copy):
    edit(data_copy / "labs.yaml", "    canonical_unit: 10*9/L\n", "    canonical_unit: 10*9/L\n    unit: x\n")
    with pytest.raises(RuleFileError, match=r"labs\.yaml: labs\.ANC: unknown key\(s\) \['unit'\]; allowed keys are"):
        load_vocabulary_from(data_copy)


def test_missing_required_key(data_copy):
    edit(data_copy / "markers.yaml", "    name: HER2 (ERBB2)\n", "")
    with pytest.raises(RuleFileError, match=r"markers\.yaml: markers\.HER2: missing required key\(s\) \['name'\]"):
        load_vocabulary_from(data_copy)


def test_bad_loinc_code(data_copy):
    edit(data_copy / "labs.yaml", "code: 718-7,", "code: 718_7,")
    with pytest.raises(RuleFileError, match=r"labs\.yaml: labs\.HGB\.loinc\[0\]\.code"):
        load_vocabulary_from(data_copy)


def test_duplicate_loinc_across_markers(data_copy):
    edit(data_copy / "markers.yaml", "code: 16112-5,", "code: 48676-1,")
    with pytest.raises(RuleFileError, match=r"markers\.yaml: markers\.ER\.loinc: code 48676-1 already listed under HER2"):
        load_vocabulary_from(data_copy)


def test_oncotree_parent_must_exist(data_copy):
    edit(data_copy / "oncotree_2025_10_03_tumor_types.tsv", "\tNSCLC\t3\t", "\tNSCLX\t3\t")
    with pytest.raises(RuleFileError, match=r"oncotree_2025_10_03_tumor_types\.tsv: code \w+: field parent 'NSCLX'"):
        load_vocabulary_from(data_copy)


def test_crosswalk_target_must_be_an_oncotree_code(data_copy):
    edit(data_copy / "cancer_crosswalk.tsv", "254637007\tNSCLC\t", "254637007\tNSCLCX\t")
    with pytest.raises(RuleFileError, match=r"cancer_crosswalk\.tsv: line \d+: field oncotree 'NSCLCX'"):
        load_vocabulary_from(data_copy)


def test_crosswalk_method_must_be_known(data_copy):
    edit(data_copy / "cancer_crosswalk.tsv", "254637007\tNSCLC\tcurated", "254637007\tNSCLC\tguessed")
    with pytest.raises(RuleFileError, match=r"cancer_crosswalk\.tsv: line \d+: field method 'guessed'"):
        load_vocabulary_from(data_copy)


def test_alias_to_unknown_code(data_copy):
    edit(data_copy / "oncotree_name_aliases.yaml", "Glioblastoma: {codes: [GB]", "Glioblastoma: {codes: [GBX]")
    with pytest.raises(RuleFileError, match=r"oncotree_name_aliases\.yaml: aliases\.Glioblastoma\.codes: 'GBX'"):
        load_vocabulary_from(data_copy)


def test_missing_file(data_copy):
    (data_copy / "labs.yaml").unlink()
    with pytest.raises(RuleFileError, match=r"labs\.yaml: cannot read"):
        load_vocabulary_from(data_copy)


def test_invalid_yaml(data_copy):
    (data_copy / "markers.yaml").write_text("markers: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"markers\.yaml: not valid YAML"):
        load_vocabulary_from(data_copy)


def test_load_is_cached():
    # loading speed is not asserted here (tests assert behaviour, never wall time)
    assert load_vocabulary() is load_vocabulary()


def test_fuzzy_threshold_out_of_range(data_copy):
    edit(data_copy / "fuzzy.yaml", "  drug: 88\n", "  drug: 30\n")
    with pytest.raises(RuleFileError, match=r"fuzzy\.yaml: thresholds\.drug: 30\.0 is outside 50\.\.100"):
        load_vocabulary_from(data_copy)


def test_condition_code_source_must_be_known(data_copy):
    edit(data_copy / "conditions.yaml", "source: valueset-filter}", "source: memory}")
    with pytest.raises(RuleFileError, match=r"conditions\.yaml: conditions\.hiv\.snomed\[0\]\.source: 'memory'"):
        load_vocabulary_from(data_copy)


def test_drug_class_member_must_be_a_drug(data_copy):
    edit(data_copy / "drug_classes.yaml", "members: [cisplatin, carboplatin, oxaliplatin]",
         "members: [cisplatin, carboplatin, oxaliplatin, unobtainium]")
    with pytest.raises(RuleFileError, match=r"drug_classes\.yaml: classes\.platinum\.members: \['unobtainium'\] not in drugs\.yaml"):
        load_vocabulary_from(data_copy)


def test_drug_class_cycle_is_refused(data_copy):
    edit(data_copy / "drug_classes.yaml", "    includes: [fluoropyrimidine]\n",
         "    includes: [fluoropyrimidine, chemotherapy]\n")
    with pytest.raises(RuleFileError, match=r"drug_classes\.yaml: classes\.\w+\.includes: cycle"):
        load_vocabulary_from(data_copy)


def test_site_code_with_unknown_site(data_copy):
    edit(data_copy / "metastatic_site_codes.tsv", "\tbrain\tsecondary disorder\t", "\tbrainz\tsecondary disorder\t")
    with pytest.raises(RuleFileError, match=r"metastatic_site_codes\.tsv: line \d+: field site 'brainz'"):
        load_vocabulary_from(data_copy)
