"""Variant.classification, copy_number and fusion_partner (issue #3). The real-bundle values
are in the goldens (ig_gx_adam_anyperson, ig_brian_l); these check what is left empty."""

from tests.unit.mcode.bundle_builder import LOINC, bundle, cc, observation, patient
from trialmatch.mcode import extract_facts

SO = "http://www.sequenceontology.org/"
TBD = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs"
PRESENT = cc(LOINC, "LA9633-4", "Present")


def _gene(symbol, hgnc):
    return {"code": cc(LOINC, "48018-6"), "valueCodeableConcept": cc("http://www.genenames.org", hgnc, symbol)}


def _consequence(code, display):
    return {"code": cc(TBD, "molecular-consequence"), "valueCodeableConcept": cc(SO, code, display)}


def _change_type(code, display):
    return {"code": cc(LOINC, "48019-4"), "valueCodeableConcept": cc(SO, code, display)}


def _variant(*components):
    return observation("v", "69548-6", valueCodeableConcept=PRESENT, component=list(components))


def _fields(b, vocab):
    return [(v.gene, v.classification, v.copy_number, v.fusion_partner, v.category)
            for v in extract_facts(b, vocab).variants]


def test_missense_and_gain_are_read(vocab):
    b = bundle(patient(), _variant(_gene("EGFR", "HGNC:3236"), _consequence("SO:0001583", "missense_variant")))
    assert _fields(b, vocab) == [("EGFR", "Missense_Mutation", None, None, None)]
    b = bundle(patient(), _variant(_gene("ERBB2", "HGNC:3430"), _consequence("SO:0001742", "copy_number_gain")))
    assert _fields(b, vocab) == [("ERBB2", None, "gain", None, "CNV")]


def test_loss_without_zygosity_leaves_copy_number_empty(vocab):
    b = bundle(patient(), _variant(_gene("CDKN2A", "HGNC:1787"), _consequence("SO:0001743", "copy_number_loss")))
    assert _fields(b, vocab) == [("CDKN2A", None, None, None, "CNV")]


def test_unlisted_or_conflicting_consequences_leave_classification_empty(vocab):
    b = bundle(patient(), _variant(_gene("EGFR", "HGNC:3236"), _consequence("SO:0001589", "frameshift_variant")))
    assert _fields(b, vocab) == [("EGFR", None, None, None, None)]
    b = bundle(patient(), _variant(_gene("EGFR", "HGNC:3236"), _consequence("SO:0001583", "missense_variant"),
                                   _consequence("SO:0001587", "stop_gained")))
    assert _fields(b, vocab) == [("EGFR", None, None, None, None)]


def test_two_genes_are_fusion_partners_only_with_a_structural_change_type(vocab):
    genes = (_gene("MET", "HGNC:7029"), _gene("ALK", "HGNC:427"))
    b = bundle(patient(), _variant(*genes, _change_type("SO:1000044", "chromosomal_translocation")))
    assert _fields(b, vocab) == [("MET", None, None, "ALK", "translocation"), ("ALK", None, None, "MET", "translocation")]
    b = bundle(patient(), _variant(*genes))
    assert _fields(b, vocab) == [("MET", None, None, None, None), ("ALK", None, None, None, None)]
