"""CTML ``clinical`` and ``genomic`` leaves -> criteria nodes.

MatchMiner semantics kept (dfci/matchengine-V2, DFCI configuration):
- a clinical leaf is the conjunction of its fields; a leading ``!`` negates that field;
- a genomic leaf asks for ONE genomic document carrying all its fields, so its variant fields
  become one ``Variant`` atom; a ``!`` on any field negates the whole leaf ("no genomic
  document of the patient matches it");
- signature and MMR/MS fields ignore ``hugo_symbol`` (DFCIQueryNodeTransformer).
A field value the atoms cannot express becomes an ``Unparsed`` conjunct naming it, so the leaf
is UNKNOWN (never MET) when the rest holds and NOT_MET when the rest fails. A field the table
does not know is refused with CriteriaError naming it and its path.
"""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.errors import CriteriaError
from trialmatch.matchminer.field_table import FieldTable

_COMPARISON = re.compile(r"^\s*(>=|<=|==|>|<)\s*(\d+(?:\.\d+)?)\s*$")
_GENE = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
_PROTEIN = re.compile(r"^[A-Z*][0-9]+[A-Za-z*_0-9]*$")
_PREFIX = re.compile(r"^[A-Z*][0-9]+$")
_SPECIAL_GENES = {"any_gene", "intergenic"}


def render_leaf(kind: str, fields: dict) -> str:
    parts = [f"{k}={v}" for k, v in fields.items() if k.lower() != "display_name"]
    text = f"{kind}: " + ", ".join(parts)
    label = next((v for k, v in fields.items() if k.lower() == "display_name"), None)
    return f"{label} ({text})" if label else text


def _labelled(node: c.Node, text: str, node_id: str) -> c.Node:
    if isinstance(node, c.Unparsed):
        return dataclasses.replace(node, id=node_id)
    return dataclasses.replace(node, text=text, id=node_id)


def _negation(value) -> tuple[object, bool]:
    if isinstance(value, str) and value.startswith("!"):
        return value[1:].strip(), True
    return (value.strip() if isinstance(value, str) else value), False


def _comparison(value, where: str) -> tuple[str, float]:
    match = _COMPARISON.match(value) if isinstance(value, str) else None
    if not match:
        raise CriteriaError(f"{where}: {value!r} is not '<comparator><number>' (>=, >, <=, <, ==)")
    return match.group(1), float(match.group(2))


def _unparsed(key: str, value, where: str) -> c.Unparsed:
    return c.Unparsed(text=f"CTML {key} = {value!r}: not expressible as a trialmatch atom", id=where)


def _age(value, where: str) -> c.Node:
    op, years = _comparison(value, where)
    if years != int(years):
        raise CriteriaError(f"{where}: fractional age {value!r} not supported (ages are completed years)")
    if op == "==":
        raise CriteriaError(f"{where}: age '==' not supported (MatchMiner matches it only on the birthday)")
    if op in (">=", ">"):  # MatchMiner reads ">N" like ">=N": age over N years from the Nth birthday on
        return c.Age(min=int(years), id=where)
    return c.Age(max=int(years), max_inclusive=False, id=where)  # "<N" and, as MatchMiner reads it, "<=N"


def clinical_leaf(fields: dict, path: str, vocab, table: FieldTable) -> c.Node:
    if not isinstance(fields, dict) or not fields:
        raise CriteriaError(f"{path}: a clinical leaf must be a non-empty object")
    atoms: list[c.Node] = []
    for key, raw in fields.items():
        where = f"{path}.{key}"
        rule = table.clinical.get(key.lower())
        if rule is None:
            raise CriteriaError(f"{where}: CTML clinical field not supported; known: {sorted(table.clinical)}")
        value, negate = _negation(raw)
        if rule.kind == "age":
            atom = _age(value, where)
        elif rule.kind == "cancer_type":
            atom = c.CancerType(codes=(_oncotree_code(value, where, vocab, table),), id=where)
        elif rule.kind == "sex":
            sex = table.sex.get(str(value).lower())
            if sex is None:
                raise CriteriaError(f"{where}: gender {value!r} not one of {sorted(table.sex)}")
            atom = c.Sex(sex=sex, id=where)
        elif rule.kind == "marker_value":
            op, number = _comparison(value, where)
            atom = c.Biomarker(marker=rule.marker, comparator=op, value=number, scale=rule.scale, id=where)
        elif rule.kind == "marker_status":
            status = table.marker_status.get(str(value).lower()) if isinstance(value, str) else None
            atom = (c.Biomarker(marker=rule.marker, status=(status,), id=where) if status
                    else _unparsed(key, raw, where))
        elif rule.kind == "disease_status":
            atom = _disease_status(key, value, where, table)
        else:
            raise CriteriaError(f"{where}: field kind {rule.kind!r} is not a clinical kind")
        atoms.append(c.Not(atom, id=f"{where}.not") if negate else atom)
    node = atoms[0] if len(atoms) == 1 else c.All(tuple(atoms))
    return _labelled(node, render_leaf("clinical", fields), path)


def _disease_status(key: str, value, where: str, table: FieldTable) -> c.Node:
    values = value if isinstance(value, list) else [value]
    options: list[c.Node] = []
    for i, item in enumerate(values, 1):
        extent = table.disease_status.get(str(item).strip().lower())
        options.append(c.Metastasis(extent=extent, id=f"{where}.{i}") if extent
                       else _unparsed(key, item, f"{where}.{i}"))
    return options[0] if len(options) == 1 else c.Any(tuple(options), id=where)


def _oncotree_code(name, where: str, vocab, table: FieldTable) -> str:
    if not isinstance(name, str) or not name:
        raise CriteriaError(f"{where}: OncoTree name must be a non-empty string")
    alias = table.oncotree_aliases.get(name.lower())
    code = alias or vocab.oncotree_code_for_name(name)
    if code is None:
        raise CriteriaError(f"{where}: OncoTree name {name!r} not resolved (current or MatchMiner name)")
    return code


@dataclasses.dataclass
class _Genomic:
    gene: str | None = None
    gene_special: str | None = None
    protein_change: str | None = None
    protein_prefix: str | None = None
    categories: tuple[str, ...] = ()
    exon: int | None = None
    partner: str | None = None
    partner_special: str | None = None
    classification: str | None = None
    copy_number: str | None = None
    cnv_category: str | None = None
    wild_type: bool = False
    markers: list = dataclasses.field(default_factory=list)
    extras: list = dataclasses.field(default_factory=list)
    negate: bool = False


def genomic_leaf(fields: dict, path: str, table: FieldTable) -> c.Node:
    if not isinstance(fields, dict) or not fields:
        raise CriteriaError(f"{path}: a genomic leaf must be a non-empty object")
    g = _Genomic()
    for key, raw in fields.items():
        _genomic_field(g, key, raw, f"{path}.{key}", table)
    node = _genomic_node(g, fields, path)
    if g.negate:
        node = c.Not(_labelled(node, render_leaf("genomic", fields), f"{path}.positive"))
    return _labelled(node, render_leaf("genomic", fields), path)


def _symbol(value, where: str) -> str:
    symbol = str(value).upper()
    if not _GENE.match(symbol):
        raise CriteriaError(f"{where}: {value!r} is not a gene symbol")
    return symbol


def _genomic_field(g: _Genomic, key: str, raw, where: str, table: FieldTable) -> None:
    rule = table.genomic.get(key.lower())
    if rule is None:
        raise CriteriaError(f"{where}: CTML genomic field not supported; known: {sorted(table.genomic)}")
    value, negate = _negation(raw)
    g.negate = g.negate or negate
    kind = rule.kind
    if kind == "label":
        return
    if kind == "gene":
        if isinstance(value, str) and value.lower() in _SPECIAL_GENES:
            g.gene_special = value.lower()
        elif isinstance(value, str) and value not in ("", "None"):
            g.gene = _symbol(value, where)
        else:
            g.gene_special = "none"  # MatchMiner ignores the gene of signature / MMR leaves
    elif kind in ("protein_change", "protein_prefix"):
        change = str(value).removeprefix("p.")
        pattern = _PROTEIN if kind == "protein_change" else _PREFIX
        if not pattern.match(change):
            raise CriteriaError(f"{where}: {value!r} is not a one-letter protein change")
        setattr(g, kind, change)
    elif kind == "category":
        categories = table.variant_category.get(str(value).lower())
        if categories is None:
            raise CriteriaError(f"{where}: variant_category {value!r} not one of {sorted(table.variant_category)}")
        g.categories = categories
    elif kind == "cnv_call":
        call = table.cnv_call.get(str(value).lower())
        if call is None:
            raise CriteriaError(f"{where}: cnv_call {value!r} not one of {sorted(table.cnv_call)}")
        # only copy-number documents carry a CNV_CALL: the leaf is about them whatever its category
        exact = table.cnv_call_category.get(str(value).lower())
        g.cnv_category = exact or "CNV"
        g.copy_number = None if exact else call
    elif kind == "classification":
        term = table.variant_classifications.get(str(value).lower()) if isinstance(value, str) else None
        if term is None:
            g.extras.append(c.Unparsed(text=f"variant classification: {value} (CTML {key})", id=where))
        else:
            g.classification = term
    elif kind == "not_expressible":
        g.extras.append(c.Unparsed(text=f"{rule.label}: {value} (CTML {key})", id=where))
    elif kind == "exon":
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise CriteriaError(f"{where}: exon {value!r} is not a positive integer")
        g.exon = value
    elif kind == "fusion_partner":
        if isinstance(value, str) and value.lower() in _SPECIAL_GENES:
            g.partner_special = value.lower()
        else:
            g.partner = _symbol(value, where)
    elif kind == "wild_type":
        if value is not True:
            raise CriteriaError(f"{where}: only 'wildtype: true' is supported, not {value!r}")
        g.wild_type = True
    elif kind in ("mmr", "signature"):
        g.markers.append(_marker_node(rule, key, value, where, table))
    else:
        raise CriteriaError(f"{where}: field kind {kind!r} is not a genomic kind")


def _marker_node(rule, key: str, value, where: str, table: FieldTable) -> c.Node:
    if rule.kind == "signature":
        status = table.signature.get(str(value).lower())
        if status is None:
            raise CriteriaError(f"{where}: {key} {value!r} not one of {sorted(table.signature)}")
        return c.Biomarker(marker=rule.marker, status=(status,), id=where)
    pairs = table.mmr.get(str(value).lower())
    if pairs is None:
        raise CriteriaError(f"{where}: {key} {value!r} not one of {sorted(table.mmr)}")
    atoms = tuple(c.Biomarker(marker=m, status=(s,), id=f"{where}.{i + 1}") for i, (m, s) in enumerate(pairs))
    return atoms[0] if len(atoms) == 1 else c.Any(atoms, id=where)


def _genomic_node(g: _Genomic, fields: dict, path: str) -> c.Node:
    variant_fields = (g.gene, g.protein_change, g.protein_prefix, g.categories, g.exon, g.partner,
                      g.partner_special, g.wild_type, g.extras, g.classification, g.cnv_category)
    if g.markers:
        if any(variant_fields) or g.gene_special not in (None, "none"):
            raise CriteriaError(f"{path}: a signature or MMR/MS field mixed with variant fields is not supported")
        return g.markers[0] if len(g.markers) == 1 else c.All(tuple(g.markers))
    if g.gene_special == "none":
        raise CriteriaError(f"{path}.hugo_symbol: a gene symbol is required outside signature / MMR leaves")
    gene, partner, extras = g.gene, g.partner, list(g.extras)
    if gene is None and partner is not None:  # MatchMiner matches a structural variant either way round
        gene, partner = partner, None
        if g.gene_special:
            extras.append(c.Unparsed(text=f"other partner of {gene}: {g.gene_special} (CTML hugo_symbol)",
                                     id=f"{path}.hugo_symbol"))
    elif g.partner_special:
        extras.append(c.Unparsed(text=f"fusion partner: {g.partner_special} (CTML fusion_partner_hugo_symbol)",
                                 id=f"{path}.fusion_partner_hugo_symbol"))
    if gene is None:
        return c.Unparsed(text=f"{render_leaf('genomic', fields)}: no gene to test", id=path)
    variants = tuple(
        c.Variant(gene=gene, protein_change=g.protein_change, protein_prefix=g.protein_prefix, category=category,
                  exon=g.exon, fusion_partner=partner, wild_type=g.wild_type, classification=g.classification,
                  copy_number=g.copy_number, id=f"{path}.variant{i + 1}")
        for i, category in enumerate((g.cnv_category,) if g.cnv_category else g.categories or (None,))
    )
    node: c.Node = variants[0] if len(variants) == 1 else c.Any(variants, id=f"{path}.variants")
    return c.All((node, *extras)) if extras else node
