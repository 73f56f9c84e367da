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
- ``classification`` (MAF Variant_Classification, compared case-insensitively),
  ``copy_number`` and ``fusion_partner``: a criterion naming one, against a variant whose
  field is not reported, is UNKNOWN (never NOT_MET); a copy-number criterion against a
  variant of a known non-CNV category is not that variant ("deletion" excepted: it may be a
  copy-number loss). A reported different value is
  not the variant.
- A protein change that does not show a position (``p.?``, ``p.(=)``, ``p.0``) is unknown: a
  criterion naming a protein change or a position is UNKNOWN for it, never NOT_MET; a change
  written without its new residue (``p.V600``, ``p.G12?``) meets a position criterion and
  leaves an exact change UNKNOWN when the position matches.
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


_POSITION = re.compile(r"^[A-Z*]\d+")
_NO_NEW_RESIDUE = re.compile(r"^[A-Z*]\d+\??$")


def protein_of(v) -> str | None:
    """The one-letter protein change, or None when the report does not show a position."""
    for text in (v.protein_change, v.hgvs_p):
        pc = one_letter(text)
        if pc and _POSITION.match(pc):
            return pc
    return None


def _label(v) -> str:
    what = protein_of(v) or v.hgvs_c or v.classification or v.copy_number or v.category
    partner = f"with {v.fusion_partner}" if v.fusion_partner else None
    return " ".join(x for x in (v.gene, what, partner, v.source_class) if x)


def compile_variant(node: c.Variant, negated, vocab, units):
    gene = node.gene.upper()
    want_pc = one_letter(node.protein_change)
    want_prefix = one_letter(node.protein_prefix)
    want_class = node.classification.lower() if node.classification else None
    want_copy = node.copy_number.lower() if node.copy_number else None
    want_partner = node.fusion_partner.upper() if node.fusion_partner else None
    source = node.source
    label = " ".join(x for x in (gene, want_pc or (want_prefix and want_prefix + "*"), node.category,
                                 node.classification, node.copy_number and node.copy_number.replace("_", " "),
                                 f"exon {node.exon}" if node.exon else None,
                                 f"with {node.fusion_partner}" if node.fusion_partner else None,
                                 None if source == "any" else source, "wild type" if node.wild_type else None) if x)
    item = f"{gene} {'germline ' if source == 'germline' else ''}testing"

    def shape(ctx, v) -> str:
        """"yes" | "no" | "maybe" for one reported variant of the gene: any field the
        variant contradicts makes "no"; otherwise any field it does not report, "maybe"."""
        rules = ctx.rules
        maybe = False
        pc = protein_of(v)
        if want_pc or want_prefix:
            if pc is None:
                maybe = True  # no position reported (c. notation only, p.?): not read here
            else:
                if want_pc and pc != want_pc:
                    base = pc.rstrip("?")
                    if not (_NO_NEW_RESIDUE.match(pc) and want_pc.startswith(base)
                            and not want_pc[len(base):][:1].isdigit()):
                        return "no"
                    maybe = True  # the position matches, the new residue is not written
                if want_prefix and not (pc.startswith(want_prefix) and not pc[len(want_prefix):][:1].isdigit()):
                    return "no"
        category = (v.category or "").lower()
        if node.category:
            accepted = rules.variant_categories.get(node.category.lower(), frozenset({node.category.lower()}))
            if category not in accepted:
                if category:
                    return "no"
                maybe = True
        if node.exon is not None and v.exon != node.exon:
            if v.exon is not None:
                return "no"
            maybe = True
        for wanted, reported in ((want_class, v.classification), (want_partner, v.fusion_partner)):
            if wanted and (reported or "").lower() != wanted.lower():
                if reported:
                    return "no"
                maybe = True
        if want_copy and (v.copy_number or "").lower() != want_copy:
            if v.copy_number or (category and category not in rules.variant_categories.get("cnv", ())
                                 and category != "deletion"):  # "deletion" may be a gene (copy-number) loss
                return "no"  # another copy-number call, or not a copy-number change at all
            maybe = True
        interp = (v.interpretation or "").lower()
        if interp in rules.variant_not_counted:
            return "no"
        if source != "any" and v.source_class != source:
            if v.source_class is not None:
                return "no"
            maybe = True
        if not want_pc and interp in rules.variant_uncertain:
            maybe = True
        return "maybe" if maybe else "yes"

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
