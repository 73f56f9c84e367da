import pytest

from trialmatch.errors import RuleFileError
from trialmatch.mcode import mcode_rules


def test_shipped_rules_load_and_hold_what_extraction_needs():
    rules = mcode_rules.load_rules()
    assert rules.profile_kinds["mcode-primary-cancer-condition"] == "primary_cancer"
    assert rules.profile_kinds["onco-core-TumorMarker"] == "tumor_marker"
    assert rules.observation_kinds["http://loinc.org|89243-0"] == "karnofsky"
    assert rules.karnofsky[80] == (1,) and rules.karnofsky[70] == (1, 2)
    assert "http://hl7.org/fhir/sid/icd-10-cm|C78.7" in rules.value_sets["secondary_cancer"]
    assert rules.hgnc_symbols["HGNC:1100"] == "BRCA1"


def _with_bad_copy_number() -> str:
    text = mcode_rules._text("value_codes.yaml")
    return text.replace("SO:0001742: gain", "SO:0001742: amplified", 1)


@pytest.mark.parametrize("name, text, message", [
    ("mcode_profiles.yaml", "kinds: {bogus_kind: [x]}\nbases: []\n", "kinds.bogus_kind"),
    ("value_codes.yaml", "marker_status: {nocolon: positive}\n", "marker_status"),
    ("value_codes.yaml", _with_bad_copy_number(), "variant_copy_number"),
    ("marker_scales.yaml", "HER2: [{scale: IHC, unit: '', bands: [[positive, 3, 4]]}]\n", "HER2[0].bands"),
    ("lab_plausibility.yaml", "ANC: [5, 1]\n", "ANC"),
    ("hgnc_genes.tsv", "hgnc_id\tsymbol\n1100\tbrca1\n", "line 2"),
    ("content_rules.yaml", "- not a mapping\n", "top level"),
])
def test_bad_rule_file_names_file_and_field(monkeypatch, name, text, message):
    original = mcode_rules._text
    monkeypatch.setattr(mcode_rules, "_text", lambda n: text if n == name else original(n))
    mcode_rules.load_rules.cache_clear()
    try:
        with pytest.raises(RuleFileError, match=name) as caught:
            mcode_rules.load_rules()
        assert message in str(caught.value)
    finally:
        mcode_rules.load_rules.cache_clear()
