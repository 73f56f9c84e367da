"""Criteria JSON round trips for every node type (criteria_json.to_json / from_json)."""

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import TYPE_NAMES, from_json, to_json
from trialmatch.domain.facts import ICDO3, RXNORM, SNOMED, Coding
from trialmatch.errors import CriteriaError

EXAMPLES = [
    c.Age(min=18, max=75, max_inclusive=False, text="18 to 74 years", id="i1"),
    c.Sex("female"),
    c.CancerType(("NSCLC", "_SOLID_"), role="any"),
    c.Histology(codes=(Coding(ICDO3, "8140/3", "Adenocarcinoma"),), keys=("adenocarcinoma",)),
    c.Stage(("IIIB", "IV")),
    c.Metastasis(site="brain", qualifier="active"),
    c.Metastasis(extent="metastatic"),
    c.Biomarker("PDL1", comparator=">=", value=50, scale="TPS"),
    c.Biomarker("HER2", status=("low", "negative")),
    c.Variant("EGFR", protein_change="L858R", source="somatic"),
    c.Variant("KRAS", protein_prefix="G12", category="mutation", exon=2),
    c.Variant("ALK", category="fusion", fusion_partner="EML4"),
    c.Variant("BRCA1", source="germline", wild_type=True),
    c.Variant("EGFR", category="mutation", classification="In_Frame_Del", exon=19),
    c.Variant("CDKN2A", category="CNV", copy_number="homozygous_deletion"),
    c.PerformanceStatus(max=1),
    c.PerformanceStatus(min=70, scale="Karnofsky"),
    c.Lab("ANC", ">=", value=1.5, unit="10*9/L", within_days=14),
    c.Lab("AST", "<=", uln_multiple=2.5),
    c.PriorTherapy(drugs=("pembrolizumab",), classes=("anti_pd1",), within_days=28),
    c.PriorTherapy(classes=("platinum",), min_lines=1, max_lines=2),
    c.Procedure("radiation", codes=(Coding(SNOMED, "108290001"),), body_site="brain", within_days=14),
    c.Condition(keys=("hiv", "hepatitis_b"), codes=(Coding(SNOMED, "86406008"),), active_only=False),
    c.Pregnancy(status="breastfeeding"),
    c.Measurable(criteria="RANO"),
    c.LifeExpectancy(min_days=84, min_inclusive=False, id="inc-7"),
    c.Hypersensitivity(drugs=("pembrolizumab",), classes=("anti_pd1",), study_treatment=True, id="exc-2"),
    c.Vaccination(live=True, within_days=30, id="exc-3"),
    c.StudyParticipation(within_days=28, drug_only=True, text="investigational agent within 4 weeks", id="exc-4"),
    c.StudyParticipation(purpose="treatment"),
    c.ResidualToxicity(above_grade=1, exceptions=(c.ToxicityException("alopecia"),
                                                  c.ToxicityException("peripheral_neuropathy", max_grade=2)),
                       therapy="chemotherapy", or_baseline=True, id="exc-5"),
    c.Unparsed("Able to swallow tablets", non_clinical=True, id="x9"),
]


def test_every_atom_type_has_an_example():
    assert {type(x) for x in EXAMPLES} == set(c.ATOM_TYPES)


@pytest.mark.parametrize("node", EXAMPLES, ids=lambda n: TYPE_NAMES[type(n)])
def test_atom_round_trip(node):
    data = to_json(node)
    assert data["type"] == TYPE_NAMES[type(node)]
    assert from_json(data) == node


def test_tree_round_trip_with_codings_and_defaults_left_out():
    tree = c.All((
        c.Any(tuple(EXAMPLES[:5]), text="any"),
        c.Not(c.PriorTherapy(drugs=("carboplatin",)), id="e1"),
        c.Not(c.Condition(keys=("hiv",))),
    ), text="Inclusion")
    data = to_json(tree)
    assert from_json(data) == tree
    assert data["items"][1] == {"type": "not", "item": {"type": "prior_therapy", "drugs": ["carboplatin"]}, "id": "e1"}
    assert to_json(c.Histology(codes=(Coding(RXNORM, "1", None),))) == {
        "type": "histology", "codes": [{"system": RXNORM, "code": "1"}]}


def test_unknown_type_and_field_are_named():
    with pytest.raises(CriteriaError, match=r"criteria.type: unknown node type 'ecog'"):
        from_json({"type": "ecog"})
    with pytest.raises(CriteriaError, match=r"criteria.items\[0\].grade: not a field of performance_status"):
        from_json({"type": "all", "items": [{"type": "performance_status", "grade": 1}]})


def test_new_variant_fields_default_to_none_and_validate_against_the_schema():
    import json
    from importlib import resources

    import jsonschema

    assert (c.Variant("EGFR").classification, c.Variant("EGFR").copy_number) == (None, None)
    schema = json.loads(resources.files("trialmatch").joinpath("schemas", "criteria.schema.json").read_text())
    variant = schema["$defs"]["variant"]
    good = to_json(c.Variant("CDKN2A", category="CNV", copy_number="homozygous_deletion", classification="Silent"))
    jsonschema.validate(good, variant)
    for bad in ({"copy_number": "loss"}, {"classification": "in frame deletion"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, **bad}, variant)
