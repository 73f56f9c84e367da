"""Genomic variant and region-studied Observations -> Variant and GeneTested facts.

Components read (LOINC): 48018-6 gene studied, 48004-6 DNA change (c.HGVS), 48005-3 amino
acid change (p.HGVS), 81290-9 genomic DNA change (g.HGVS, kept as hgvs_c when no c. is
given), 48019-4 DNA change type, 48002-0 genomic source class, 53037-8 clinical
significance, and the molecular consequence (genomics-reporting ``tbd-codes-cs``
``molecular-consequence``, a Sequence Ontology value) -> ``classification`` (MAF term),
``copy_number`` and, without a DNA change type, ``category``. A variant naming exactly two
genes with a structural DNA change type (``fusion_change_type``) is a fusion: each gene's
Variant names the other as ``fusion_partner``. Anything not stated stays empty (a copy
number loss says neither homozygous nor heterozygous). A variant reported present gives a Variant and a GeneTested; one reported
absent gives GeneTested(wild_type=True); a region studied gives GeneTested(wild_type=True)
for each gene it lists that no variant Observation of the bundle names (the report found
no variant there), else GeneTested(wild_type=False).

An Observation naming several genes (a fusion) gives each gene a Variant without HGVS:
which gene a single HGVS expression belongs to is not said. The gene is read from its HGNC id (``hgnc_genes.tsv``) or, failing that, from a display
that is a gene symbol. An id and a symbol that disagree leave the gene unknown.
"""

from __future__ import annotations

import re

from trialmatch.domain.facts import GeneTested, Variant
from trialmatch.mcode.bundle_entries import Entry, Warnings
from trialmatch.mcode.fhir_read import code_keys, codings, concept_list
from trialmatch.mcode.mcode_rules import McodeRules

GENE_STUDIED = "48018-6"
CONSEQUENCE = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs|molecular-consequence"
_SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")
_AA3 = {"Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
        "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
        "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*"}
_P3 = re.compile(r"^p\.\(?([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2}|=|\*)\)?$")
_P1 = re.compile(r"^p\.\(?([A-Z*])(\d+)([A-Z*=])\)?$")


def components(resource: dict) -> dict[str, list[dict]]:
    """Components by LOINC code; the molecular consequence under its full ``CONSEQUENCE`` key."""
    out: dict[str, list[dict]] = {}
    for comp in resource.get("component") or ():
        for key in code_keys(comp.get("code")):
            if key.startswith("http://loinc.org|"):
                out.setdefault(key.split("|", 1)[1], []).append(comp)
            elif key == CONSEQUENCE:
                out.setdefault(key, []).append(comp)
    return out


def gene_symbol(concept, rules: McodeRules, where: str, warnings: Warnings) -> str | None:
    by_id, by_display = None, None
    for c in codings(concept):
        code = c.code or ""
        if code and not code.startswith("HGNC:") and code.isdigit():
            code = f"HGNC:{code}"
        by_id = by_id or rules.hgnc_symbols.get(code)
        display = c.display or ""
        if not by_display and _SYMBOL.match(display) and (
                display.isupper() or display.upper() in rules.hgnc_symbols.values()):
            by_display = display.upper()
    if by_id and by_display and by_id != by_display:
        warnings.add(where, "gene id and gene symbol disagree; gene not used")
        return None
    symbol = by_id or by_display
    if symbol is None:
        warnings.add(where, "gene not recognised; not used")
    return symbol


def protein_change(hgvs_p: str | None) -> str | None:
    """``p.Val600Glu`` / ``p.V600E`` -> ``V600E``; other forms (frameshifts, ranges) -> None."""
    if not hgvs_p:
        return None
    hgvs_p = hgvs_p.split(":")[-1]
    m = _P3.match(hgvs_p)
    if m and m.group(1) in _AA3 and (m.group(3) in _AA3 or m.group(3) in "=*"):
        alt = _AA3.get(m.group(3), m.group(3))
        return f"{_AA3[m.group(1)]}{m.group(2)}{alt if alt != '=' else _AA3[m.group(1)]}"
    m = _P1.match(hgvs_p)
    if m:
        alt = m.group(3) if m.group(3) != "=" else m.group(1)
        return f"{m.group(1)}{m.group(2)}{alt}"
    return None


def _first_code(comps: dict, loinc: str) -> str | None:
    for comp in comps.get(loinc, ()):
        for c in codings(comp.get("valueCodeableConcept")):
            if c.code:
                return c.code
        if isinstance(comp.get("valueString"), str):
            return comp["valueString"]
    return None


def _lookup(comps: dict, loinc: str, table: dict[str, str]) -> str | None:
    for comp in comps.get(loinc, ()):
        for key in code_keys(comp.get("valueCodeableConcept")):
            if key in table:
                return table[key]
    return None


def _agreed(comps: dict, key: str, table: dict[str, str]) -> str | None:
    """The one value the components under ``key`` map to; two different values give None."""
    found = {table[k] for comp in comps.get(key, ()) for k in code_keys(comp.get("valueCodeableConcept"))
             if k in table}
    return found.pop() if len(found) == 1 else None


def variant_facts(entry: Entry, rules: McodeRules, warnings: Warnings, date, cancer_ref) -> list:
    r = entry.resource
    comps = components(r)
    genes = []
    for i, comp in enumerate(comps.get(GENE_STUDIED, ())):
        symbol = gene_symbol(comp.get("valueCodeableConcept"), rules,
                             f"{entry.location}.component[{_index(r, comp)}]", warnings)
        if symbol:
            genes.append(symbol)
    if not genes:
        if GENE_STUDIED not in comps:
            warnings.add(f"{entry.location}.component", "variant without a gene studied; not used")
        return []
    presence = None
    for key in code_keys(r.get("valueCodeableConcept")):
        presence = presence or rules.values["variant_presence"].get(key)
    if presence is None:
        # STU1 CodeX examples: no value, or value without the LOINC answer code
        presence = "present" if not r.get("valueCodeableConcept") else None
    if presence is None:
        warnings.add(f"{entry.location}.valueCodeableConcept", "variant presence not recognised; not used")
        return [GeneTested(entry.evidence, g, False, date, cancer_ref) for g in genes]
    if presence == "absent":
        return [GeneTested(entry.evidence, g, True, date, cancer_ref) for g in genes]
    hgvs_c = _first_code(comps, "48004-6") or _first_code(comps, "81290-9")
    hgvs_p = _first_code(comps, "48005-3")
    if len(genes) > 1:
        # several genes (a fusion, a translocation): the change cannot be given to one gene
        hgvs_c = hgvs_p = None
    category = _lookup(comps, "48019-4", rules.values["variant_category"])
    if category is None:
        for concept in concept_list(r.get("interpretation")):
            for key in code_keys(concept):
                category = category or rules.values["variant_category"].get(key)
    category = category or _lookup(comps, CONSEQUENCE, rules.values["consequence_category"])
    classification = _agreed(comps, CONSEQUENCE, rules.values["variant_classification"])
    copy_number = _agreed(comps, CONSEQUENCE, rules.values["variant_copy_number"])
    fusion = len(set(genes)) == 2 and _lookup(comps, "48019-4", rules.values["fusion_change_type"])
    facts: list = []
    for gene in genes:
        facts.append(Variant(
            evidence=entry.evidence, gene=gene, hgvs_c=hgvs_c, hgvs_p=hgvs_p,
            protein_change=protein_change(hgvs_p), category=category,
            source_class=_lookup(comps, "48002-0", rules.values["genomic_source_class"]),
            interpretation=_lookup(comps, "53037-8", rules.values["variant_interpretation"]),
            date=date, cancer_ref=cancer_ref, classification=classification, copy_number=copy_number,
            fusion_partner=next(g for g in genes if g != gene) if fusion else None))
        facts.append(GeneTested(entry.evidence, gene, False, date, cancer_ref))
    return facts


def region_facts(entry: Entry, rules: McodeRules, warnings: Warnings, date, cancer_ref,
                 variant_genes: set[str]) -> list:
    """Each gene of a region studied (one coding per gene; a component may list several).
    A gene for which no Observation of the bundle reports a variant was tested and found
    wild type; a gene with a reported variant is tested (not wild type)."""
    r = entry.resource
    out = []
    for comp in components(r).get(GENE_STUDIED, ()):
        where = f"{entry.location}.component[{_index(r, comp)}]"
        concept = comp.get("valueCodeableConcept") or {}
        for coding in concept.get("coding") or ():
            symbol = gene_symbol({"coding": [coding]}, rules, where, warnings)
            if symbol:
                out.append(GeneTested(entry.evidence, symbol, symbol not in variant_genes, date,
                                      cancer_ref))
    return out


def _index(resource: dict, comp: dict) -> int:
    return next(i for i, c in enumerate(resource.get("component") or ()) if c is comp)
