"""MatchMiner clinical + genomic documents -> PatientFacts.

- A clinical document is one sample (``SAMPLE_ID``); genomic documents join it by
  ``CLINICAL_ID`` (= the clinical ``_id``) or, without one, by ``SAMPLE_ID``.
- Every gene with a genomic document counts as tested (GeneTested); a ``WILDTYPE: true``
  document says the gene was tested and carries no variant.
- A structured structural variant (LEFT/RIGHT_PARTNER_GENE) is reported for each named
  partner gene (MatchMiner matches either side); ``intergenic`` is not a gene.
- SIGNATURE documents carry mutational signatures (``*_STATUS``) and MMR status: TumorMarkers.
- Evidence references are ``MatchMiner/clinical/<id>`` and ``MatchMiner/genomic/<id>``.
Warnings never carry patient values.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from trialmatch.domain import facts as f
from trialmatch.matchminer.field_table import FieldTable, load_field_table

__all__ = ["patients_from_matchminer"]

_PROTEIN = re.compile(r"^[A-Z*][0-9]+[A-Za-z*_0-9]*$")


def _sample_id(doc: dict) -> str | None:
    value = doc.get("SAMPLE_ID") or doc.get("_id")
    return str(value) if value not in (None, "") else None


def _birth_date(doc: dict) -> date | None:
    value = doc.get("BIRTH_DATE")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    number = doc.get("BIRTH_DATE_INT")
    if isinstance(number, (int, float)) and number > 0:
        digits = f"{int(number):08d}"
        try:
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        except ValueError:
            return None
    return None


def _markers(pairs, evidence: str, cancer_ref: str | None) -> list[f.TumorMarker]:
    return [f.TumorMarker(evidence=evidence, marker=m, status=s, cancer_ref=cancer_ref) for m, s in pairs]


def _mmr(value, evidence: str, cancer_ref, table: FieldTable, warnings: list, where: str) -> list[f.TumorMarker]:
    if not isinstance(value, str) or not value.strip():
        return []
    key = value.strip().lower()
    pairs = table.patient["mmr_status"].get(key)
    if pairs is not None:
        return _markers(pairs, evidence, cancer_ref)
    if key in table.patient["mmr_unassessable"]:
        warnings.append(f.Warning(where, "MMR status reported without a result; not used"))
    else:
        warnings.append(f.Warning(where, "MMR status value not understood; not used"))
    return []


def _clinical(doc: dict, table: FieldTable, vocab) -> tuple[dict, list, list, str]:
    """Patient-level fields, markers and warnings of one clinical document; its evidence."""
    ident = str(doc.get("_id") or doc.get("SAMPLE_ID"))
    evidence = f"MatchMiner/clinical/{ident}"
    warnings: list[f.Warning] = []
    markers: list[f.TumorMarker] = []
    cancers: list[f.Cancer] = []
    name = doc.get("ONCOTREE_PRIMARY_DIAGNOSIS_NAME")
    if isinstance(name, str) and name.strip():
        code = vocab.oncotree_code_for_name(name.strip())
        if code is None:
            warnings.append(f.Warning(f"{evidence}.ONCOTREE_PRIMARY_DIAGNOSIS_NAME",
                                      "OncoTree name not resolved; cancer type unknown"))
        cancers.append(f.Cancer(evidence=evidence, role="primary", cancer_type=code,
                                codes=(f.Coding(f.ONCOTREE, code, name.strip()),)))
    cancer_ref = evidence if cancers else None
    tmb = doc.get("TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE")
    if isinstance(tmb, (int, float)) and not isinstance(tmb, bool):
        markers.append(f.TumorMarker(evidence=evidence, marker="TMB", value=float(tmb), unit="mut/Mb",
                                     scale="mut/Mb", cancer_ref=cancer_ref))
    markers += _mmr(doc.get("MMR_STATUS"), evidence, cancer_ref, table, warnings, f"{evidence}.MMR_STATUS")
    for key, value in doc.items():
        marker = table.patient["status_fields"].get(key.lower())
        if marker and isinstance(value, str):
            status = table.patient["status_values"].get(value.strip().lower())
            if status:
                markers.append(f.TumorMarker(evidence=evidence, marker=marker, status=status, cancer_ref=cancer_ref))
    gender = doc.get("GENDER")
    vital = doc.get("VITAL_STATUS")
    fields = {
        "patient_ref": evidence,
        "birth_date": _birth_date(doc),
        "sex": table.patient["gender"].get(gender.strip().lower()) if isinstance(gender, str) else None,
        "deceased": table.patient["vital_status"].get(vital.strip().lower()) if isinstance(vital, str) else None,
        "cancers": tuple(cancers),
    }
    return fields, markers, warnings, cancer_ref


def _genomic(doc: dict, ident: str, cancer_ref, table: FieldTable, out: dict) -> None:
    """Add one genomic document's variants, tested genes, markers and warnings to ``out``."""
    evidence = f"MatchMiner/genomic/{ident}"
    category_raw = str(doc.get("VARIANT_CATEGORY") or "").upper()
    if category_raw == "SIGNATURE" or any(k.upper() in doc for k in table.patient["signature_fields"]):
        for key, value in doc.items():
            marker = table.patient["signature_fields"].get(key.lower())
            status = table.patient["signature_values"].get(str(value).strip().lower()) if marker else None
            if status:
                out["markers"].append(f.TumorMarker(evidence=evidence, marker=marker, status=status,
                                                    cancer_ref=cancer_ref))
        out["markers"] += _mmr(doc.get("MMR_STATUS"), evidence, cancer_ref, table, out["warnings"],
                               f"{evidence}.MMR_STATUS")
        return
    if doc.get("MMR_STATUS"):
        out["markers"] += _mmr(doc.get("MMR_STATUS"), evidence, cancer_ref, table, out["warnings"],
                               f"{evidence}.MMR_STATUS")
    genes = _genes(doc, table)
    if not genes:
        out["warnings"].append(f.Warning(evidence, "genomic document without a gene (or free-text structural "
                                                   "variant not read); not used"))
        return
    for gene in genes:
        out["tested"].append(f.GeneTested(evidence=evidence, gene=gene, wild_type=doc.get("WILDTYPE") is True,
                                          cancer_ref=cancer_ref))
    if doc.get("WILDTYPE") is True:
        return
    category = _category(doc, category_raw, table, out["warnings"], evidence)
    hgvs_p = doc.get("TRUE_PROTEIN_CHANGE") if isinstance(doc.get("TRUE_PROTEIN_CHANGE"), str) else None
    change = hgvs_p.removeprefix("p.") if hgvs_p else None
    exon = doc.get("TRUE_TRANSCRIPT_EXON")
    classification = doc.get("TRUE_VARIANT_CLASSIFICATION") if category_raw == "MUTATION" else None
    copy_number = (table.patient["cnv_copy_number"].get(str(doc.get("CNV_CALL") or "").lower())
                   if category_raw == "CNV" else None)
    partners = _partners(doc, table) if category_raw == "SV" else ()
    for gene in genes:
        partner = next((b for a, b in partners if a == gene), None) if partners else None
        out["variants"].append(f.Variant(
            evidence=evidence, gene=gene, hgvs_c=doc.get("TRUE_CDNA_CHANGE") or None, hgvs_p=hgvs_p,
            protein_change=change if change and _PROTEIN.match(change) else None, category=category,
            exon=exon if isinstance(exon, int) and not isinstance(exon, bool) else None, cancer_ref=cancer_ref,
            classification=classification.strip() if isinstance(classification, str) and classification.strip() else None,
            copy_number=copy_number, fusion_partner=partner))


def _partners(doc: dict, table: FieldTable) -> tuple[tuple[str, str], ...]:
    """(gene, other partner) pairs of a structural variant: the structured partners, else
    the two genes of a readable comment; "intergenic" is no partner."""
    pair = [doc.get("LEFT_PARTNER_GENE"), doc.get("RIGHT_PARTNER_GENE")]
    if not all(isinstance(x, str) and x.strip() for x in pair):
        comment = doc.get("STRUCTURAL_VARIANT_COMMENT")
        match = table.patient["sv_comment_pattern"].match(comment) if isinstance(comment, str) else None
        if not match:
            return ()
        pair = list(match.groups())
    left, right = (x.strip().upper() for x in pair)
    if left == right or "INTERGENIC" in (left, right):
        return ()
    return ((left, right), (right, left))


def _category(doc: dict, category_raw: str, table: FieldTable, warnings: list, evidence: str) -> str | None:
    categories = table.patient["variant_category"]
    if category_raw.lower() not in categories:
        warnings.append(f.Warning(f"{evidence}.VARIANT_CATEGORY", "variant category not understood"))
        return None
    if category_raw == "MUTATION":
        return table.patient["variant_classification"].get(str(doc.get("TRUE_VARIANT_CLASSIFICATION") or "").lower(),
                                                           categories["mutation"])
    if category_raw == "CNV":
        return table.patient["cnv_call"].get(str(doc.get("CNV_CALL") or "").lower(), "CNV")
    return categories[category_raw.lower()]


def _genes(doc: dict, table: FieldTable) -> tuple[str, ...]:
    names = [doc.get("TRUE_HUGO_SYMBOL")]
    if str(doc.get("VARIANT_CATEGORY") or "").upper() == "SV":
        names += [doc.get("LEFT_PARTNER_GENE"), doc.get("RIGHT_PARTNER_GENE")]
        comment = doc.get("STRUCTURAL_VARIANT_COMMENT")
        match = table.patient["sv_comment_pattern"].match(comment) if isinstance(comment, str) else None
        if match and not any(isinstance(n, str) and n for n in names):
            names += list(match.groups())
    genes = []
    for name in names:
        if isinstance(name, str) and name.strip() and name.strip().lower() != "intergenic":
            gene = name.strip().upper()
            if gene not in genes:
                genes.append(gene)
    return tuple(genes)


def patients_from_matchminer(clinical_docs: list[dict], genomic_docs: list[dict], vocab,
                             table: FieldTable | None = None) -> dict[str, f.PatientFacts]:
    """PatientFacts per sample, keyed by SAMPLE_ID (or the clinical ``_id`` without one).
    Genomic documents that join no clinical document are left out (counted in no patient)."""
    table = table or load_field_table()
    by_join: dict[str, str] = {}
    patients: dict[str, tuple[dict, list, list, str]] = {}
    for doc in clinical_docs:
        key = _sample_id(doc)
        if key is None:
            continue
        patients[key] = _clinical(doc, table, vocab)
        for join in (doc.get("_id"), doc.get("SAMPLE_ID")):
            if join not in (None, ""):
                by_join.setdefault(str(join), key)
    extra: dict[str, dict] = defaultdict(lambda: {"variants": [], "tested": [], "markers": [], "warnings": []})
    counters: dict[str, int] = defaultdict(int)
    for doc in genomic_docs:
        join = doc.get("CLINICAL_ID") or doc.get("SAMPLE_ID")
        key = by_join.get(str(join)) if join not in (None, "") else None
        if key is None:
            continue
        counters[key] += 1
        ident = str(doc.get("_id") or f"{key}-{counters[key]}")
        _genomic(doc, ident, patients[key][3], table, extra[key])
    result = {}
    for key, (fields, markers, warnings, _) in patients.items():
        more = extra.get(key, {"variants": [], "tested": [], "markers": [], "warnings": []})
        result[key] = f.PatientFacts(**fields, markers=tuple(markers + more["markers"]),
                                     variants=tuple(more["variants"]), genes_tested=tuple(more["tested"]),
                                     warnings=tuple(warnings + more["warnings"]))
    return result
