"""The Variant atom (DESIGN.md, evidence rule "Genomics").

- A matching variant reported present (of the focus cancer, or germline) -> MET.
- None, and the gene was tested (a GeneTested record, or any variant reported in the gene)
  -> NOT_MET; the gene never tested -> UNKNOWN (missing "<GENE> testing").
- Germline and somatic are kept apart unless the criterion's source is "any"; a variant
  whose origin is not stated leaves a germline/somatic criterion UNKNOWN. For a germline
  criterion only tests tied to no cancer (germline tests) count as tested: a tumour panel
  that found nothing does not rule out a germline variant filtered from its report.
- Benign variants do not count; a variant of uncertain significance leaves a general gene
  criterion (no protein change named) UNKNOWN (``genomics.yaml``).
- ``wild_type`` asks that the gene was tested and carries no counted variant.
- Fusion partners are not in PatientFacts: a fusion criterion naming a partner is UNKNOWN
  when a fusion of the gene is reported.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import MISSING
from trialmatch.matching.outcome_build import evidence, met, not_met, unknown

AA3 = {"Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G",
       "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S",
       "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*", "Sec": "U"}
_AA3 = re.compile("|".join(AA3))


def one_letter(change: str | None) -> str | None:
    """"p.Val600Glu" / "p.(V600E)" / "V600E" -> "V600E"."""
    if not change:
        return None
    text = change.strip()
    text = text[2:] if text.startswith("p.") else text
    text = text.strip("()")
    return _AA3.sub(lambda m: AA3[m.group(0)], text).upper() if text else None


def protein_of(v) -> str | None:
    return one_letter(v.protein_change) or one_letter(v.hgvs_p)


def _label(v) -> str:
    return " ".join(x for x in (v.gene, protein_of(v) or v.hgvs_c or v.category, v.source_class) if x)


def compile_variant(node: c.Variant, negated, vocab, units):
    gene = node.gene.upper()
    want_pc = one_letter(node.protein_change)
    want_prefix = one_letter(node.protein_prefix)
    source = node.source
    label = " ".join(x for x in (gene, want_pc or (want_prefix and want_prefix + "*"), node.category,
                                 f"exon {node.exon}" if node.exon else None,
                                 f"with {node.fusion_partner}" if node.fusion_partner else None,
                                 None if source == "any" else source, "wild type" if node.wild_type else None) if x)
    item = f"{gene} {'germline ' if source == 'germline' else ''}testing"

    def shape(ctx, v) -> str:
        """"yes" | "no" | "maybe" for one reported variant of the gene."""
        rules = ctx.rules
        pc = protein_of(v)
        if (want_pc or want_prefix) and pc is None:
            return "maybe"  # reported without a protein change (c. notation only): not read here
        if want_pc and pc != want_pc:
            return "no"
        if want_prefix and not (pc.startswith(want_prefix) and not pc[len(want_prefix):][:1].isdigit()):
            return "no"
        if node.category:
            accepted = rules.variant_categories.get(node.category.lower(), frozenset({node.category.lower()}))
            if (v.category or "").lower() not in accepted:
                return "no" if v.category else "maybe"
        if node.exon is not None and v.exon != node.exon:
            return "no" if v.exon is not None else "maybe"
        interp = (v.interpretation or "").lower()
        if interp in rules.variant_not_counted:
            return "no"
        result = "yes"
        if source != "any" and v.source_class != source:
            if v.source_class is not None:
                return "no"
            result = "maybe"
        if node.fusion_partner:
            result = "maybe"
        if not want_pc and interp in rules.variant_uncertain:
            result = "maybe"
        return result

    def evaluate(ctx):
        in_gene = [v for v in ctx.variants if v.gene.upper() == gene]
        if source == "germline":
            tests = [g for g in ctx.germline_tests if g.gene.upper() == gene]
        else:
            tests = [g for g in ctx.genes_tested if g.gene.upper() == gene]
        shapes = [(v, shape(ctx, v)) for v in in_gene]
        yes = [v for v, s in shapes if s == "yes"]
        maybe = [v for v, s in shapes if s == "maybe"]
        ev_v = tuple(evidence(v.evidence, _label(v), v.date) for v in (yes or maybe))
        tested = bool(tests) or (bool(in_gene) and source != "germline")
        ev_t = tuple(evidence(g.evidence, f"{g.gene} tested{' (wild type)' if g.wild_type else ''}", g.date) for g in tests)
        if node.wild_type:
            if yes:
                return not_met(node, f"{_label(yes[0])} reported", ev_v)
            if maybe:
                return unknown(node, f"{_label(maybe[0])} reported; significance or origin unclear", f"{gene} status",
                               MISSING, ev_v)
            if tested:
                return met(node, f"{gene} tested, no variant reported", ev_t)
            return unknown(node, f"{gene} not tested", item)
        if yes:
            return met(node, f"{_label(yes[0])} reported", ev_v)
        if maybe:
            return unknown(node, f"{_label(maybe[0])} reported; does not show {label}", f"{gene} variant details",
                           MISSING, ev_v)
        if tested:
            ev = ev_t + tuple(evidence(v.evidence, _label(v), v.date) for v in in_gene)
            return not_met(node, f"{gene} tested, {label} not reported", ev)
        return unknown(node, f"{gene} not tested", item)

    return evaluate
