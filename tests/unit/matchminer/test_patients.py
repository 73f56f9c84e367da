"""MatchMiner clinical + genomic documents -> PatientFacts."""

from collections import Counter
from datetime import date

from trialmatch.domain import facts as f
from trialmatch.matchminer import patients_from_matchminer, read_matchminer_documents

EGFR_DEL = "MatchMiner/genomic/5d2799d86756630d8dd065b8-1"


def wintermutant(data_dir, vocab):
    clinical = read_matchminer_documents(data_dir / "wintermutant-demo" / "clinical_json")
    genomic = read_matchminer_documents(data_dir / "wintermutant-demo" / "genomic_json")
    return patients_from_matchminer(clinical, genomic, vocab)


def test_wintermutant_patient_1036_golden(data_dir, vocab):
    patient = wintermutant(data_dir, vocab)["5d2799d86756630d8dd065b9"]
    ref = "MatchMiner/clinical/5d2799d86756630d8dd065b9"
    genomic_ref = "MatchMiner/genomic/5d2799d86756630d8dd065b9-1"
    assert patient == f.PatientFacts(
        patient_ref=ref, birth_date=date(1962, 3, 15), sex="female", deceased=False,
        cancers=(f.Cancer(evidence=ref, role="primary", cancer_type="NSCLC",
                          codes=(f.Coding(f.ONCOTREE, "NSCLC", "Non-Small Cell Lung Cancer"),)),),
        markers=(f.TumorMarker(evidence=ref, marker="TMB", value=4.1, unit="mut/Mb", scale="mut/Mb", cancer_ref=ref),
                 f.TumorMarker(evidence=ref, marker="MMR", status="proficient", cancer_ref=ref),
                 f.TumorMarker(evidence=ref, marker="MSI", status="stable", cancer_ref=ref)),
        variants=(f.Variant(evidence=genomic_ref, gene="EGFR", hgvs_c="c.2572T>G", hgvs_p="p.L858G",
                            protein_change="L858G", category="missense", exon=21, cancer_ref=ref,
                            classification="Missense_Mutation"),),
        genes_tested=(f.GeneTested(evidence=genomic_ref, gene="EGFR", cancer_ref=ref),),
    )
    assert patient.warnings == ()


def test_wintermutant_patient_1035_variants_and_tested_genes(data_dir, vocab):
    patient = wintermutant(data_dir, vocab)["5d2799d86756630d8dd065b8"]
    assert [(v.gene, v.protein_change, v.exon) for v in patient.variants] == [
        ("EGFR", "E746_A750del", 19), ("EXA", "L211M", 5), ("KRAS", "Q61L", 3), ("STK11", "S216F", 5),
        ("TP53", "G266R", 8)]
    assert [g.gene for g in patient.genes_tested] == ["EGFR", "EXA", "KRAS", "STK11", "TP53"]
    assert patient.variants[0].evidence == EGFR_DEL and patient.sex == "male"


def bench_patients(data_dir, vocab):
    clinical = read_matchminer_documents(data_dir / "synthetic-bench" / "clinical.json")
    genomic = read_matchminer_documents(data_dir / "synthetic-bench" / "genomic.json")
    return clinical, genomic, patients_from_matchminer(clinical, genomic, vocab)


def test_synthetic_bench_counts(data_dir, vocab):
    clinical, genomic, patients = bench_patients(data_dir, vocab)
    assert (len(clinical), len(genomic), len(patients)) == (1824, 5416, 1824)
    assert sum(p.deceased is True for p in patients.values()) == 432
    # structural variants: one fact per partner gene, "intergenic" is not a gene, GENE-GENE counts once;
    # 289 structured (60 with an intergenic partner, 29 EML4-EML4), 279 free-text (62 intergenic, 35 EML4-EML4)
    structured, free_text = 289 * 2 - 60 - 29, 279 * 2 - 62 - 35
    assert Counter(v.category for p in patients.values() for v in p.variants) == Counter({
        "missense": 2183, "nonsense": 604, "frameshift": 252, "deletion": 108, "splice": 92,  # MUTATION by class
        "amplification": 175, "gain": 182, "loss": 169 + 165,  # CNV by call
        "fusion": structured + free_text})
    warnings = Counter(w.message for p in patients.values() for w in p.warnings)
    unresolved = sum(vocab.oncotree_code_for_name(d["ONCOTREE_PRIMARY_DIAGNOSIS_NAME"]) is None for d in clinical)
    assert 0 < unresolved < 100  # "No OncoTree Node Found", "Diagnosis Pending", ambiguous old names...
    assert warnings == Counter({"MMR status reported without a result; not used": 150,
                                "OncoTree name not resolved; cancer type unknown": unresolved})
    assert sum(p.cancers[0].cancer_type is None for p in patients.values()) == unresolved


def test_structural_variants_name_both_partners(data_dir, vocab):
    _, _, patients = bench_patients(data_dir, vocab)
    first = patients["5d2799126756630d8dd061ae"]
    sv = [(v.gene, v.category) for v in first.variants if v.evidence == "MatchMiner/genomic/9531985d5d9dc9f81818e811"]
    assert sv == [("EML4", "fusion"), ("ALK", "fusion")]
    partners = [(v.gene, v.fusion_partner) for v in first.variants if v.evidence == "MatchMiner/genomic/9531985d5d9dc9f81818e811"]
    assert partners == [("EML4", "ALK"), ("ALK", "EML4")]
    assert ("KRAS", True) in [(g.gene, g.wild_type) for g in first.genes_tested]


def test_fusion_partners_structured_free_text_and_intergenic(vocab):
    clinical = [{"SAMPLE_ID": "S4"}]
    genomic = [
        {"SAMPLE_ID": "S4", "VARIANT_CATEGORY": "SV", "LEFT_PARTNER_GENE": "KIF5B", "RIGHT_PARTNER_GENE": "RET"},
        {"SAMPLE_ID": "S4", "VARIANT_CATEGORY": "SV", "STRUCTURAL_VARIANT_COMMENT": "CD74-ROS1 fusion detected"},
        {"SAMPLE_ID": "S4", "VARIANT_CATEGORY": "SV", "LEFT_PARTNER_GENE": "ALK", "RIGHT_PARTNER_GENE": "intergenic"},
        {"SAMPLE_ID": "S4", "VARIANT_CATEGORY": "SV", "TRUE_HUGO_SYMBOL": "NTRK1"},
    ]
    patient = patients_from_matchminer(clinical, genomic, vocab)["S4"]
    assert [(v.gene, v.category, v.fusion_partner) for v in patient.variants] == [
        ("KIF5B", "fusion", "RET"), ("RET", "fusion", "KIF5B"), ("CD74", "fusion", "ROS1"), ("ROS1", "fusion", "CD74"),
        ("ALK", "fusion", None), ("NTRK1", "fusion", None)]


def test_signature_documents_become_markers(vocab):
    clinical = [{"_id": "c1", "SAMPLE_ID": "S1", "ONCOTREE_PRIMARY_DIAGNOSIS_NAME": "Colon Adenocarcinoma"}]
    genomic = [{"_id": "g1", "CLINICAL_ID": "c1", "VARIANT_CATEGORY": "SIGNATURE", "TRUE_HUGO_SYMBOL": None,
                "MMR_STATUS": "Deficient (MMR-D / MSI-H)", "APOBEC_STATUS": "No", "TABACCO_STATUS": "Yes"}]
    patient = patients_from_matchminer(clinical, genomic, vocab)["S1"]
    assert [(m.marker, m.status, m.evidence) for m in patient.markers] == [
        ("APOBEC_SIGNATURE", "negative", "MatchMiner/genomic/g1"),
        ("TOBACCO_SIGNATURE", "positive", "MatchMiner/genomic/g1"),
        ("MMR", "deficient", "MatchMiner/genomic/g1"), ("MSI", "high", "MatchMiner/genomic/g1")]
    assert patient.variants == () and patient.genes_tested == ()


def test_missing_and_unusable_values_stay_missing_without_patient_values_in_warnings(vocab):
    clinical = [{"SAMPLE_ID": "S2", "BIRTH_DATE_INT": 19750213.0, "ONCOTREE_PRIMARY_DIAGNOSIS_NAME": "Diagnosis Pending",
                 "MMR_STATUS": "Cannot assess", "ER_STATUS": "Positive"}]
    genomic = [{"SAMPLE_ID": "S2", "VARIANT_CATEGORY": "SV", "STRUCTURAL_VARIANT_COMMENT": "no fusion seen"},
               {"SAMPLE_ID": "S2", "VARIANT_CATEGORY": "SV", "STRUCTURAL_VARIANT_COMMENT": "KIF5B-RET fusion detected"},
               {"SAMPLE_ID": "ELSEWHERE", "TRUE_HUGO_SYMBOL": "EGFR", "VARIANT_CATEGORY": "MUTATION"}]
    patient = patients_from_matchminer(clinical, genomic, vocab)["S2"]
    assert (patient.birth_date, patient.sex, patient.deceased) == (date(1975, 2, 13), None, None)
    assert patient.cancers[0].cancer_type is None
    assert [(m.marker, m.status) for m in patient.markers] == [("ER", "positive")]
    assert [v.gene for v in patient.variants] == ["KIF5B", "RET"]
    assert [w.location for w in patient.warnings] == [
        "MatchMiner/clinical/S2.ONCOTREE_PRIMARY_DIAGNOSIS_NAME", "MatchMiner/clinical/S2.MMR_STATUS",
        "MatchMiner/genomic/S2-1"]
    assert not any("Pending" in w.message or "assess" in w.message.lower() for w in patient.warnings)


def test_variant_categories_from_classification_and_copy_number_call(vocab):
    clinical = [{"SAMPLE_ID": "S3"}]
    genomic = [
        {"SAMPLE_ID": "S3", "TRUE_HUGO_SYMBOL": "EGFR", "VARIANT_CATEGORY": "MUTATION",
         "TRUE_VARIANT_CLASSIFICATION": "Frame_Shift_Del", "TRUE_PROTEIN_CHANGE": "p.E23fs"},
        {"SAMPLE_ID": "S3", "TRUE_HUGO_SYMBOL": "TP53", "VARIANT_CATEGORY": "MUTATION",
         "TRUE_VARIANT_CLASSIFICATION": "Translation_Start_Site"},
        {"SAMPLE_ID": "S3", "TRUE_HUGO_SYMBOL": "MYC", "VARIANT_CATEGORY": "CNV", "CNV_CALL": "High level amplification"},
        {"SAMPLE_ID": "S3", "TRUE_HUGO_SYMBOL": "CDKN2A", "VARIANT_CATEGORY": "CNV", "CNV_CALL": "Homozygous deletion"},
        {"SAMPLE_ID": "S3", "TRUE_HUGO_SYMBOL": "ERBB2", "VARIANT_CATEGORY": "CNV"},
        {"SAMPLE_ID": "S3", "TRUE_HUGO_SYMBOL": "ALK", "VARIANT_CATEGORY": "EPIGENETIC"},
    ]
    patient = patients_from_matchminer(clinical, genomic, vocab)["S3"]
    assert [(v.gene, v.category, v.protein_change, v.classification, v.copy_number) for v in patient.variants] == [
        ("EGFR", "frameshift", "E23fs", "Frame_Shift_Del", None),
        ("TP53", "mutation", None, "Translation_Start_Site", None),  # unlisted class: still a mutation
        ("MYC", "amplification", None, None, "high_amplification"),
        ("CDKN2A", "loss", None, None, "homozygous_deletion"), ("ERBB2", "CNV", None, None, None),
        ("ALK", None, None, None, None)]
    assert [w.location for w in patient.warnings] == ["MatchMiner/genomic/S3-6.VARIANT_CATEGORY"]
