"""CTML clinical and genomic leaves -> atoms, field by field."""

from dataclasses import replace

import pytest

from trialmatch.domain import criteria as c
from trialmatch.errors import CriteriaError
from trialmatch.matchminer.ctml_leaves import clinical_leaf, genomic_leaf
from trialmatch.matchminer.field_table import load_field_table

T = load_field_table()


def clinical(vocab, **fields):
    return clinical_leaf(fields, "p", vocab, T)


def genomic(**fields):
    return genomic_leaf(fields, "p", T)


@pytest.mark.parametrize("value, expected", [
    (">=18", c.Age(min=18, id="p.age_numerical")),
    (">18", c.Age(min=18, id="p.age_numerical")),  # MatchMiner reads ">" like ">="
    ("<18", c.Age(max=18, max_inclusive=False, id="p.age_numerical")),
    ("<=21", c.Age(max=21, max_inclusive=False, id="p.age_numerical")),  # as MatchMiner: birth date >= today - 21y
])
def test_age_numerical(vocab, value, expected):
    assert clinical(vocab, age_numerical=value) == replace(expected, text=f"clinical: age_numerical={value}", id="p")


@pytest.mark.parametrize("value, message", [
    ("==18", "age '==' not supported"), (">=0.5", "fractional age"), ("adult", "is not '<comparator><number>'"),
])
def test_age_numerical_refusals_name_the_field(vocab, value, message):
    with pytest.raises(CriteriaError, match=rf"^p\.age_numerical: .*{message}"):
        clinical(vocab, age_numerical=value)


def test_oncotree_names_current_old_special_and_negated(vocab):
    assert clinical(vocab, oncotree_primary_diagnosis="Non-Small Cell Lung Cancer").codes == ("NSCLC",)
    assert clinical(vocab, oncotree_primary_diagnosis="Glioblastoma").codes == ("GB",)  # old MatchMiner name
    assert clinical(vocab, oncotree_primary_diagnosis="_SOLID_").codes == ("_SOLID_",)
    assert clinical(vocab, oncotree_primary_diagnosis="_LIQUID_").codes == ("_LIQUID_",)
    assert clinical(vocab, oncotree_primary_diagnosis="All Solid Tumors").codes == ("_SOLID_",)
    negated = clinical(vocab, oncotree_primary_diagnosis="!Colorectal Adenocarcinoma")
    assert negated == c.Not(c.CancerType(codes=("COADREAD",), id="p.oncotree_primary_diagnosis"),
                            text="clinical: oncotree_primary_diagnosis=!Colorectal Adenocarcinoma", id="p")


def test_unresolved_oncotree_name_is_refused_by_name(vocab):
    with pytest.raises(CriteriaError, match=r"^p\.oncotree_primary_diagnosis: OncoTree name 'Lung Cancer of Mars'"):
        clinical(vocab, oncotree_primary_diagnosis="Lung Cancer of Mars")


def test_clinical_leaf_is_the_conjunction_of_its_fields(vocab):
    leaf = clinical(vocab, age_numerical=">=12", oncotree_primary_diagnosis="Breast", gender="Female",
                    her2_status="Negative", er_status="Positive", tmb_numerical=">15")
    assert leaf == c.All((
        c.Age(min=12, id="p.age_numerical"),
        c.CancerType(codes=("BREAST",), id="p.oncotree_primary_diagnosis"),
        c.Sex(sex="female", id="p.gender"),
        c.Biomarker(marker="HER2", status=("negative",), id="p.her2_status"),
        c.Biomarker(marker="ER", status=("positive",), id="p.er_status"),
        c.Biomarker(marker="TMB", comparator=">", value=15.0, scale="mut/Mb", id="p.tmb_numerical"),
    ), text="clinical: age_numerical=>=12, oncotree_primary_diagnosis=Breast, gender=Female, her2_status=Negative, "
            "er_status=Positive, tmb_numerical=>15", id="p")


@pytest.mark.parametrize("value, op, number", [(">=10", ">=", 10), (">15", ">", 15), ("<=40", "<=", 40),
                                               ("<40", "<", 40), ("==40", "==", 40)])
def test_tmb_thresholds(vocab, value, op, number):
    leaf = clinical(vocab, tmb_numerical=value)
    assert (leaf.marker, leaf.comparator, leaf.value, leaf.scale) == ("TMB", op, number, "mut/Mb")


def test_receptor_status_values_the_atoms_cannot_express_stay_unparsed(vocab):
    assert clinical(vocab, pr_status="Unknown") == c.Unparsed(
        text="CTML pr_status = 'Unknown': not expressible as a trialmatch atom", id="p")
    assert isinstance(clinical(vocab, her2_status=False), c.Unparsed)


def test_disease_status_list(vocab):
    leaf = clinical(vocab, disease_status=["Advanced", "Metastatic"])
    assert leaf.items == (c.Metastasis(extent="advanced", id="p.disease_status.1"),
                          c.Metastasis(extent="metastatic", id="p.disease_status.2"))


def test_unknown_clinical_field_is_refused_by_name(vocab):
    with pytest.raises(CriteriaError, match=r"^p\.ecog: CTML clinical field not supported"):
        clinical(vocab, ecog="<=1")


def test_genomic_leaf_fields_make_one_variant():
    assert genomic(hugo_symbol="EGFR", protein_change="p.L858R", variant_category="Mutation") == c.Variant(
        gene="EGFR", protein_change="L858R", category="mutation",
        text="genomic: hugo_symbol=EGFR, protein_change=p.L858R, variant_category=Mutation", id="p")
    assert genomic(hugo_symbol="BRAF", wildcard_protein_change="p.V600").protein_prefix == "V600"
    assert genomic(hugo_symbol="EGFR", exon=19).exon == 19
    assert genomic(hugo_symbol="KRAS", wildtype=True).wild_type is True


def test_negated_genomic_field_negates_the_whole_leaf():
    leaf = genomic(hugo_symbol="NRAS", protein_change="p.G12D", variant_category="!Mutation")
    text = "genomic: hugo_symbol=NRAS, protein_change=p.G12D, variant_category=!Mutation"
    assert leaf == c.Not(c.Variant(gene="NRAS", protein_change="G12D", category="mutation", text=text,
                                   id="p.positive"), text=text, id="p")


def test_any_variation_is_mutation_or_cnv():
    leaf = genomic(hugo_symbol="KRAS", variant_category="Any Variation")
    assert leaf.items == (c.Variant(gene="KRAS", category="mutation", id="p.variant1"),
                          c.Variant(gene="KRAS", category="CNV", id="p.variant2"))


def test_variant_classification_and_copy_number_calls_become_variant_fields():
    text = "genomic: hugo_symbol=EGFR, variant_classification=In_Frame_Del, variant_category=Mutation"
    assert genomic(hugo_symbol="EGFR", variant_classification="In_Frame_Del", variant_category="Mutation") == c.Variant(
        gene="EGFR", category="mutation", classification="In_Frame_Del", text=text, id="p")
    # MAF terms are matched case-insensitively and kept as MAF writes them
    assert genomic(hugo_symbol="KRAS", true_variant_classification="missense_mutation").classification == "Missense_Mutation"
    assert genomic(hugo_symbol="MYC", cnv_call="High Amplification") == c.Variant(
        gene="MYC", category="amplification", text="genomic: hugo_symbol=MYC, cnv_call=High Amplification", id="p")
    calls = {call: genomic(hugo_symbol="FH", cnv_call=call) for call in
             ("Low Amplification", "Homozygous Deletion", "Heterozygous Deletion")}
    assert {k: (v.category, v.copy_number) for k, v in calls.items()} == {
        "Low Amplification": ("CNV", "gain"), "Homozygous Deletion": ("CNV", "homozygous_deletion"),
        "Heterozygous Deletion": ("CNV", "heterozygous_deletion")}
    # a copy-number call restricts "Any Variation" to copy-number documents (only they carry CNV_CALL)
    assert genomic(hugo_symbol="FH", variant_category="Any Variation", cnv_call="Homozygous Deletion") == c.Variant(
        gene="FH", category="CNV", copy_number="homozygous_deletion",
        text="genomic: hugo_symbol=FH, variant_category=Any Variation, cnv_call=Homozygous Deletion", id="p")


def test_fields_the_atoms_cannot_express_add_an_unparsed_conjunct():
    leaf = genomic(hugo_symbol="EGFR", variant_classification="Exon_Skipping", variant_category="Mutation")
    assert leaf.items == (c.Variant(gene="EGFR", category="mutation", id="p.variant1"),
                          c.Unparsed(text="variant classification: Exon_Skipping (CTML variant_classification)",
                                     id="p.variant_classification"))


def test_structural_variants_and_partners():
    assert genomic(hugo_symbol="KIF5B", variant_category="Structural Variation", fusion_partner_hugo_symbol="ALK",
                   display_name="KIF5B-ALK") == c.Variant(
        gene="KIF5B", category="fusion", fusion_partner="ALK",
        text="KIF5B-ALK (genomic: hugo_symbol=KIF5B, variant_category=Structural Variation, "
             "fusion_partner_hugo_symbol=ALK)", id="p")
    # partner only: MatchMiner matches either side, so the partner is the gene
    assert genomic(variant_category="Structural Variation", fusion_partner_hugo_symbol="BRCA").gene == "BRCA"
    any_left = genomic(hugo_symbol="any_gene", variant_category="Structural Variation", fusion_partner_hugo_symbol="KRAS")
    assert any_left.items[0] == c.Variant(gene="KRAS", category="fusion", id="p.variant1")
    assert isinstance(any_left.items[1], c.Unparsed)
    both_any = genomic(hugo_symbol="any_gene", variant_category="Structural Variation",
                       fusion_partner_hugo_symbol="any_gene")
    assert isinstance(both_any, c.Unparsed)


def test_signature_and_mmr_leaves_ignore_the_gene_as_matchminer_does():
    assert genomic(hugo_symbol="None", temozolomide_signature="Yes") == c.Biomarker(
        marker="TEMOZOLOMIDE_SIGNATURE", status=("positive",),
        text="genomic: hugo_symbol=None, temozolomide_signature=Yes", id="p")
    assert genomic(mmr_status="MMR-Deficient", hugo_symbol=1).items == (
        c.Biomarker(marker="MMR", status=("deficient",), id="p.mmr_status.1"),
        c.Biomarker(marker="MSI", status=("high",), id="p.mmr_status.2"))
    negated = genomic(ms_status="!MSI-H")
    assert isinstance(negated, c.Not) and negated.item.items[0] == c.Biomarker(
        marker="MSI", status=("high",), id="p.ms_status.1")


@pytest.mark.parametrize("fields, message", [
    ({"hugo_symbol": "EGFR", "tier": 1}, r"^p\.tier: CTML genomic field not supported"),
    ({"hugo_symbol": "EGFR", "variant_category": "Epigenetic"}, r"^p\.variant_category: variant_category 'Epigenetic'"),
    ({"hugo_symbol": "EGFR", "protein_change": "L858 to R"}, r"^p\.protein_change: 'L858 to R' is not"),
    ({"hugo_symbol": "EGFR", "cnv_call": "Tetraploid"}, r"^p\.cnv_call: cnv_call 'Tetraploid'"),
    ({"hugo_symbol": "None", "variant_category": "Mutation"}, r"^p\.hugo_symbol: a gene symbol is required"),
    ({"hugo_symbol": "MLH1", "mmr_status": "MMR-Deficient"}, r"^p: a signature or MMR/MS field mixed"),
    ({"hugo_symbol": "EGFR", "wildtype": False}, r"^p\.wildtype: only 'wildtype: true'"),
])
def test_unsupported_genomic_fields_are_refused_by_name_and_path(fields, message):
    with pytest.raises(CriteriaError, match=message):
        genomic_leaf(fields, "p", T)
