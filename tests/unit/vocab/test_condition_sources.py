"""Where each condition code was checked (conditions.yaml ``source``): a code checked by hand in
a public reference ("lookup") names that reference in ``ref``; the keys whose codes were first
written unverified (unstable angina, TIA, bleeding disorder, myocardial infarction) and the new
peripheral_neuropathy key carry checked codes only."""

import pytest

from tests.unit.vocab.conftest import edit
from trialmatch.errors import RuleFileError
from trialmatch.vocab import load_vocabulary, load_vocabulary_from

CHECKED = ("unstable_angina", "transient_ischemic_attack", "bleeding_disorder", "myocardial_infarction",
           "peripheral_neuropathy", "myocarditis", "primary_immunodeficiency", "immunodeficiency")


@pytest.mark.parametrize("key", CHECKED)
def test_codes_of_the_checked_keys_are_verified(key):
    concept = load_vocabulary().conditions[key]
    entries = concept.snomed + concept.icd10cm
    assert entries
    assert all(e.source != "unverified" for e in entries), key
    assert all(e.ref for e in entries if e.source == "lookup")


def test_a_lookup_source_needs_its_reference(data_copy):
    edit(data_copy / "conditions.yaml", ', ref: "OHDSI Legend concept set Preinfarction syndrome: SNOMED 4557003 (OMOP concept 315296)"', "")
    with pytest.raises(RuleFileError, match=r"conditions\.unstable_angina\.snomed\[0\]: a 'ref' naming the reference"):
        load_vocabulary_from(data_copy)


def test_a_reference_goes_with_a_lookup_only(data_copy):
    edit(data_copy / "conditions.yaml", '{prefix: B20, display: "Human immunodeficiency virus [HIV] disease", source: valueset}',
          '{prefix: B20, display: "Human immunodeficiency virus [HIV] disease", source: valueset, ref: "somewhere"}')
    with pytest.raises(RuleFileError, match=r"conditions\.hiv\.icd10cm\[0\]: a 'ref' naming the reference goes with source 'lookup'"):
        load_vocabulary_from(data_copy)
