"""Variant classification, copy number and fusion partner on both sides: a criterion's field
set and the patient's field unknown is UNKNOWN, never NOT_MET; a different reported value
is NOT_MET (the gene tested). Protein changes that do not show a position are unknown."""

from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from tests.unit.matching.helpers import outcome, patient


def verdict(node, *variants):
    return outcome(node, patient(variants=variants)).verdict.label


def variant(gene="EGFR", **kw):
    return f.Variant(f"Observation/{gene}", gene, **kw)


def test_classification():
    node = c.Variant("EGFR", category="mutation", classification="In_Frame_Del")
    cases = {
        "same": variant(category="deletion", protein_change="E746_A750del", classification="In_Frame_Del"),
        "other case": variant(category="deletion", classification="in_frame_del"),
        "missense": variant(category="missense", protein_change="L858G", classification="Missense_Mutation"),
        "not reported": variant(category="deletion", protein_change="E746_A750del"),
        "category mutation": variant(category="mutation", classification="In_Frame_Del"),
    }
    assert {k: verdict(node, v) for k, v in cases.items()} == {
        "same": "met", "other case": "met", "missense": "not_met", "not reported": "unknown", "category mutation": "met"}


def test_copy_number():
    node = c.Variant("CDKN2A", category="CNV", copy_number="homozygous_deletion")
    cases = {
        "same": variant("CDKN2A", category="loss", copy_number="homozygous_deletion"),
        "heterozygous": variant("CDKN2A", category="loss", copy_number="heterozygous_deletion"),
        "call not reported": variant("CDKN2A", category="loss"),
        "category CNV only": variant("CDKN2A", category="CNV"),
        "a missense mutation": variant("CDKN2A", category="missense", protein_change="R80*"),
    }
    assert {k: verdict(node, v) for k, v in cases.items()} == {
        "same": "met", "heterozygous": "not_met", "call not reported": "unknown", "category CNV only": "unknown",
        "a missense mutation": "not_met"}
    # without a category, a deletion of unknown kind may be a copy-number loss
    assert verdict(c.Variant("CDKN2A", copy_number="homozygous_deletion"), variant("CDKN2A", category="deletion")) == "unknown"


def test_fusion_partner():
    node = c.Variant("ALK", category="fusion", fusion_partner="EML4")
    cases = {
        "EML4": variant("ALK", category="fusion", fusion_partner="EML4"),
        "lower case": variant("ALK", category="fusion", fusion_partner="eml4"),
        "KIF5B": variant("ALK", category="fusion", fusion_partner="KIF5B"),
        "partner not reported": variant("ALK", category="fusion"),
    }
    assert {k: verdict(node, v) for k, v in cases.items()} == {
        "EML4": "met", "lower case": "met", "KIF5B": "not_met", "partner not reported": "unknown"}
    # one unreported partner among two reported fusions still leaves it open; a match wins
    assert verdict(node, cases["KIF5B"], cases["partner not reported"]) == "unknown"
    assert verdict(node, cases["KIF5B"], cases["EML4"]) == "met"


def test_protein_prefix_against_unknown_protein_change_is_unknown():
    prefix, exact = c.Variant("KRAS", protein_prefix="G12"), c.Variant("KRAS", protein_change="G12C")
    cases = {
        "p.?": variant("KRAS", hgvs_p="p.?"),
        "?": variant("KRAS", protein_change="?"),
        "p.(=)": variant("KRAS", hgvs_p="p.(=)"),
        "p.0": variant("KRAS", hgvs_p="p.0"),
        "c. only": variant("KRAS", hgvs_c="c.35G>A"),
        "no residue": variant("KRAS", hgvs_p="p.G12"),
        "residue unknown": variant("KRAS", hgvs_p="p.Gly12?"),
        "G12C": variant("KRAS", hgvs_p="p.Gly12Cys"),
        "G12D": variant("KRAS", protein_change="G12D"),
        "G13D": variant("KRAS", protein_change="G13D"),
        "G123": variant("KRAS", protein_change="G123S"),
    }
    assert {k: (verdict(prefix, v), verdict(exact, v)) for k, v in cases.items()} == {
        "p.?": ("unknown", "unknown"), "?": ("unknown", "unknown"), "p.(=)": ("unknown", "unknown"),
        "p.0": ("unknown", "unknown"), "c. only": ("unknown", "unknown"),
        "no residue": ("met", "unknown"), "residue unknown": ("met", "unknown"),
        "G12C": ("met", "met"), "G12D": ("met", "not_met"), "G13D": ("not_met", "not_met"),
        "G123": ("not_met", "not_met"),
    }
    # a contradicting field still decides when the protein change is unknown
    assert verdict(c.Variant("KRAS", protein_prefix="G12", exon=2), variant("KRAS", hgvs_p="p.?", exon=3)) == "not_met"


def test_mutation_category_accepts_a_fact_of_category_mutation():
    node = c.Variant("TP53", category="mutation")
    assert [verdict(node, variant("TP53", category=x)) for x in ("mutation", "Mutation", "missense", "fusion")] == [
        "met", "met", "met", "not_met"]
