"""The shipped field table loads; a broken one is refused naming the field."""

import copy
from importlib import resources

import pytest
import yaml

from trialmatch.errors import RuleFileError
from trialmatch.matchminer.field_table import load_field_table, parse_table

RAW = yaml.safe_load(resources.files("trialmatch.matchminer").joinpath("data", "ctml_fields.yaml").read_text())


def test_shipped_table_loads():
    table = load_field_table()
    assert table.clinical["age_numerical"].kind == "age"
    assert table.variant_category["any variation"] == ("mutation", "CNV")
    assert table.patient["mmr_status"]["deficient (mmr-d / msi-h)"] == (("MMR", "deficient"), ("MSI", "high"))


def broken(path, value):
    data = copy.deepcopy(RAW)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize("path, value, message", [
    (("clinical_fields", "age_numerical", "kind"), "years", r"clinical_fields\.age_numerical\.kind: 'years' is not one of"),
    (("clinical_fields", "tmb_numerical", "marker"), KeyError, r"clinical_fields\.tmb_numerical\.marker: required"),
    (("genomic_fields", "exon", "colour"), "red", r"genomic_fields\.exon\.colour: unknown key"),
    (("variant_category", "mutation"), ["indel"], r"variant_category\.mutation: must be a list of categories"),
    (("mmr", "msi-h"), [["MSI", "very high"]], r"mmr\.msi-h\[0\]: must be \[marker, status\]"),
    (("patient", "vital_status", "alive"), "no", r"patient\.vital_status\.alive: must be true or false"),
    (("patient", "sv_comment_pattern"), "(", r"patient\.sv_comment_pattern: must be a regular expression"),
    (("sex",), KeyError, r"\(top\)\.sex: required"),
    (("patient", "variant_classification", "missense_mutation"), "point", r"patient\.variant_classification\."
                                                                          r"missense_mutation: 'point' must be one of"),
    (("cnv_call_category", "high amplification"), "gain", r"cnv_call_category\.high amplification: 'gain' must be"),
    (("cnv_call", "low amplification"), "low gain", r"cnv_call\.low amplification: 'low gain' must be one of"),
    (("patient", "cnv_copy_number", "gain"), "more", r"patient\.cnv_copy_number\.gain: 'more' must be one of"),
    (("variant_classifications",), [], r"variant_classifications: must be a non-empty list"),
])
def test_broken_table_is_refused_naming_file_and_field(path, value, message):
    with pytest.raises(RuleFileError, match=r"ctml_fields\.yaml: " + message):
        parse_table(broken(path, value))
