"""trialmatch.trial_document and the published schemas: validation, error paths, round trips."""

from __future__ import annotations

import copy
import dataclasses
import json

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import TYPE_NAMES
from trialmatch.errors import CriteriaError
from trialmatch.schemas import criteria_schema, trial_schema
from trialmatch.trial_document import dump_document, load_catalogue, load_document, load_path, migrate, sites_of

CODING = {"system": "http://snomed.info/sct", "code": "254637007", "display": "Non-small cell lung cancer"}

# One node of every type, every field set to a non-default value.
EVERY_NODE = [
    {"type": "age", "min": 18, "max": 75, "min_inclusive": False, "max_inclusive": False, "text": "18-75", "id": "n-age"},
    {"type": "sex", "sex": "female", "id": "n-sex"},
    {"type": "cancer_type", "codes": ["NSCLC", "_SOLID_"], "role": "any", "id": "n-ct"},
    {"type": "histology", "codes": [CODING], "keys": ["adenocarcinoma"], "id": "n-hist"},
    {"type": "stage", "groups": ["IIIB", "IV"], "id": "n-stage"},
    {"type": "metastasis", "extent": "metastatic", "site": "brain", "qualifier": "untreated", "id": "n-met"},
    {"type": "biomarker", "marker": "PDL1", "status": ["positive"], "comparator": ">=", "value": 50, "scale": "TPS", "id": "n-bm"},
    {"type": "variant", "gene": "EGFR", "protein_change": "L858R", "protein_prefix": "L858", "category": "mutation",
     "exon": 21, "fusion_partner": "ALK", "source": "somatic", "wild_type": True, "id": "n-var"},
    {"type": "performance_status", "max": 2, "min": 1, "scale": "Karnofsky", "id": "n-ps"},
    {"type": "lab", "analyte": "ANC", "comparator": ">", "value": 1.5, "unit": "10*9/L", "within_days": 14, "id": "n-lab"},
    {"type": "lab", "analyte": "AST", "comparator": "<=", "uln_multiple": 2.5, "id": "n-uln"},
    {"type": "prior_therapy", "drugs": ["osimertinib"], "classes": ["egfr_tki"], "within_days": 28, "min_lines": 1,
     "max_lines": 3, "id": "n-pt"},
    {"type": "procedure", "kind": "radiation", "codes": [CODING], "body_site": "lung", "within_days": 183, "id": "n-proc"},
    {"type": "condition", "keys": ["hiv"], "codes": [CODING], "active_only": False, "id": "n-cond"},
    {"type": "pregnancy", "status": "breastfeeding", "id": "n-preg"},
    {"type": "unparsed", "text": "Able to swallow tablets", "non_clinical": True, "id": "n-unp"},
    {"type": "any", "items": [{"type": "not", "item": {"type": "sex", "sex": "male", "id": "n-sex2"}, "id": "n-not"}],
     "text": "either", "id": "n-any"},
    {"type": "measurable", "criteria": "RECIST 1.1", "text": "Measurable disease per RECIST 1.1", "id": "n-meas"},
    {"type": "life_expectancy", "min_days": 91, "min_inclusive": False, "id": "n-life"},
    {"type": "hypersensitivity", "drugs": ["pembrolizumab"], "classes": ["anti_pd1"], "study_treatment": True,
     "text": "Known hypersensitivity to pembrolizumab or any component of the study drug", "id": "n-hyp"},
    {"type": "vaccination", "within_days": 30, "text": "Received a live vaccine within 30 days", "id": "n-vac"},
    {"type": "study_participation", "within_days": 28, "drug_only": True, "purpose": "treatment", "id": "n-study"},
    {"type": "residual_toxicity", "above_grade": 1, "exceptions": [{"term": "alopecia"}, {"term": "peripheral_neuropathy",
     "max_grade": 2}], "therapy": "chemotherapy", "or_baseline": True, "id": "n-tox"},
]


def document(**changes) -> dict:
    doc = {
        "schema_version": 1,
        "trial_id": "NCT00000001",
        "title": "A test trial",
        "version": 2,
        "phase": "PHASE1_PHASE2",
        "status": "RECRUITING",
        "conditions": ["Lung cancer"],
        "source": {"registry": "ClinicalTrials.gov", "url": "https://clinicaltrials.gov/study/NCT00000001",
                   "retrieved": "2026-01-05", "record": "made up for the test"},
        "review": {"by": "tester", "on": "2026-11-26", "note": "n"},
        "criteria": {"type": "all", "items": copy.deepcopy(EVERY_NODE), "id": "root"},
        "arms": [{"id": "a", "label": "Arm A", "suspended": True,
                  "criteria": {"type": "all", "items": [{"type": "unparsed", "text": "arm item", "id": "a-1"}], "id": "a-root"}}],
        "sites": [{"name": "Clinic", "city": "Boston", "state": "Massachusetts", "zip": "02115",
                   "country": "United States", "status": "RECRUITING"}],
    }
    doc.update(changes)
    return doc


def refused(data, where="t.json") -> str:
    with pytest.raises(CriteriaError) as info:
        load_document(data, where)
    return str(info.value)


def test_every_node_type_and_field_round_trips():
    doc = document()
    trial = load_document(doc, "t.json")
    assert dump_document(trial) == doc
    assert load_document(dump_document(trial), "again") == trial
    assert {type(n) for n in trial.criteria.items} | {c.Not, c.All} == set(c.NODE_TYPES)


def test_loaded_trial_has_the_document_values():
    trial = load_document(document(), "t.json")
    assert (trial.trial_id, trial.title, trial.version, trial.phase, trial.status) == \
        ("NCT00000001", "A test trial", 2, "PHASE1_PHASE2", "RECRUITING")
    assert trial.conditions == ("Lung cancer",)
    assert trial.review == c.Review(by="tester", on="2026-11-26", note="n")
    assert trial.arms == (c.Arm(id="a", label="Arm A", suspended=True,
                                criteria=c.All(items=(c.Unparsed(text="arm item", id="a-1"),), id="a-root")),)
    assert trial.criteria.items[0] == c.Age(min=18, max=75, min_inclusive=False, max_inclusive=False, text="18-75", id="n-age")


def test_sites_are_kept_through_load_and_dump():
    doc = document()
    trial = load_document(doc, "t.json")
    assert sites_of(trial) == tuple(doc["sites"])
    assert "sites" not in dump_document(trial)["source"]
    assert dump_document(trial)["sites"] == doc["sites"]
    no_source = document()
    del no_source["source"]
    assert dump_document(load_document(no_source, "t.json")) == no_source
    no_sites = document()
    del no_sites["sites"]
    assert sites_of(load_document(no_sites, "t.json")) == ()


def test_minimal_document_keeps_defaults_out():
    doc = {"schema_version": 1, "trial_id": "X-1", "title": "t", "criteria": {"type": "unparsed", "text": "x"}}
    trial = load_document(doc, "t.json")
    assert trial == c.TrialCriteria(trial_id="X-1", title="t", criteria=c.Unparsed(text="x"))
    assert dump_document(trial) == doc


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["criteria"]["items"][9].update(comparator="≥"),
     "t.json: criteria.items[9].comparator: '≥' is not one of ['>=', '>', '<=', '<', '==']"),
    (lambda d: d["criteria"]["items"][3].update(type="histologie"),
     "t.json: criteria.items[3].type: 'histologie' is not one of ['all', 'any', 'not', 'age'"),
    (lambda d: d.pop("trial_id"), "t.json: (document): 'trial_id' is a required property"),
    (lambda d: d["criteria"]["items"][0].update(minimum=3),
     "t.json: criteria.items[0]: Additional properties are not allowed ('minimum' was unexpected)"),
    (lambda d: d.update(sponsor="x"), "t.json: (document): Additional properties are not allowed ('sponsor' was unexpected)"),
    (lambda d: d["arms"][0]["criteria"]["items"][0].update(non_clinical="yes"),
     "t.json: arms[0].criteria.items[0].non_clinical: 'yes' is not of type 'boolean'"),
    (lambda d: d["criteria"]["items"][16]["items"][0]["item"].update(sex="woman"),
     "t.json: criteria.items[16].items[0].item.sex: 'woman' is not one of ['female', 'male']"),
    (lambda d: d["criteria"]["items"][0].pop("min") and d["criteria"]["items"][0].pop("max"),
     "t.json: criteria.items[0]: needs at least one of: min | max"),
    (lambda d: d["criteria"]["items"][10].pop("uln_multiple"),
     "t.json: criteria.items[10]: needs at least one of: value+unit | uln_multiple"),
    (lambda d: d["review"].update(on="26/11/2026"), "t.json: review.on: '26/11/2026' does not match"),
    (lambda d: d.update(status="Recruiting"), "t.json: status: 'Recruiting' is not one of ['RECRUITING'"),
])
def test_invalid_documents_are_refused_with_the_path_of_the_bad_field(change, expected):
    doc = document()
    change(doc)
    assert refused(doc).startswith(expected)


def test_semantic_errors_name_the_node():
    doc = document()
    doc["arms"][0]["criteria"]["items"][0]["id"] = "n-age"
    assert refused(doc) == "t.json: arms[0].criteria: id 'n-age' is used twice (first in criteria)"
    doc = document()
    doc["criteria"]["items"][0].update(min=80)
    assert refused(doc) == "t.json: criteria (node 'n-age'): min 80 is greater than max 75"
    doc = document()
    doc["criteria"]["items"][8].update(scale="ECOG", max=7, min=0)
    assert refused(doc) == "t.json: criteria (node 'n-ps'): ECOG 7 is out of range 0-5"
    doc = document()
    doc["arms"].append(copy.deepcopy(doc["arms"][0]))
    doc["arms"][1]["criteria"] = {"type": "unparsed", "text": "y"}
    assert refused(doc) == "t.json: arms[1].id: 'a' is used twice"


def test_schema_version_is_migrated_or_refused_by_name():
    assert migrate(document()) == document()
    assert refused(document(schema_version=2)) == \
        "t.json: schema_version: 2 is not supported; this trialmatch reads version 1"
    doc = document()
    del doc["schema_version"]
    assert refused(doc) == "t.json: schema_version: missing; this trialmatch reads version 1"
    assert refused(["not", "an", "object"]) == "t.json: a trial document must be a JSON object"


def test_schema_discriminator_covers_every_node_type_and_field():
    schema = criteria_schema()
    discriminator = schema["$defs"]["node"]["properties"]["type"]["enum"]
    assert sorted(discriminator) == sorted(TYPE_NAMES.values())
    branches = [(b["if"]["properties"]["type"]["const"], b["then"]["$ref"]) for b in schema["$defs"]["node"]["allOf"]]
    assert branches == [(name, f"#/$defs/{name}") for name in discriminator]
    for cls, name in TYPE_NAMES.items():
        definition = schema["$defs"][name]
        assert definition["additionalProperties"] is False
        assert set(definition["properties"]) == {"type"} | {f.name for f in dataclasses.fields(cls)}, name
        required = {f.name for f in dataclasses.fields(cls)
                    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
        assert set(definition["required"]) == {"type"} | required, name


def test_schema_enums_follow_the_domain_model():
    defs = criteria_schema()["$defs"]
    assert tuple(defs["comparator"]["enum"]) == c.COMPARATORS
    assert defs["metastasis"]["properties"]["extent"]["enum"] == \
        ["metastatic", "locally_advanced", "advanced", "unresectable", "recurrent"]
    assert defs["procedure"]["properties"]["kind"]["enum"] == ["surgery", "radiation"]
    assert defs["variant"]["properties"]["source"]["enum"] == ["somatic", "germline", "any"]
    assert trial_schema()["properties"]["criteria"] == {"$ref": "criteria.schema.json#/$defs/node"}


def test_schema_accessors_return_copies():
    schema = criteria_schema()
    schema["$defs"].clear()
    assert "node" in criteria_schema()["$defs"]


def write(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")


def test_load_catalogue_reads_all_documents_in_name_order(tmp_path):
    write(tmp_path / "b.json", document(trial_id="B"))
    write(tmp_path / "a.json", document(trial_id="A"))
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    assert [t.trial_id for t in load_catalogue(tmp_path)] == ["A", "B"]
    assert [t.trial_id for t in load_path(tmp_path)] == ["A", "B"]
    assert [t.trial_id for t in load_path(tmp_path / "b.json")] == ["B"]


def test_load_catalogue_refuses_a_folder_with_a_bad_document(tmp_path):
    write(tmp_path / "a.json", document(trial_id="A"))
    bad = document(trial_id="B")
    bad["criteria"]["items"][1]["sex"] = "F"
    write(tmp_path / "b.json", bad)
    with pytest.raises(CriteriaError, match=r"^b\.json: criteria\.items\[1\]\.sex: 'F' is not one of"):
        load_catalogue(tmp_path)


def test_load_catalogue_refuses_duplicates_and_broken_json(tmp_path):
    write(tmp_path / "a.json", document(trial_id="A"))
    write(tmp_path / "b.json", document(trial_id="A"))
    with pytest.raises(CriteriaError, match=r"^b\.json: trial_id: 'A' is also in a\.json$"):
        load_catalogue(tmp_path)
    (tmp_path / "b.json").write_text('{"schema_version": 1,\n  "trial_id": }', encoding="utf-8")
    with pytest.raises(CriteriaError, match=r"^b\.json: not valid JSON \(line 2, column 15\)"):
        load_catalogue(tmp_path)


def test_load_path_refuses_missing_paths(tmp_path):
    with pytest.raises(CriteriaError, match="no such file or directory"):
        load_path(tmp_path / "missing.json")
    with pytest.raises(CriteriaError, match="not a directory"):
        load_catalogue(tmp_path / "missing")


def test_a_trial_without_criteria_is_refused_but_an_empty_root_with_arms_is_not():
    base = {"schema_version": 1, "trial_id": "NCT-EMPTY", "title": "t", "criteria": {"type": "all", "items": []}}
    with pytest.raises(CriteriaError, match="no criteria"):
        load_document(base, "empty.json")
    with_arm = copy.deepcopy(base)
    with_arm["arms"] = [{"id": "A", "label": "A", "criteria": {"type": "age", "min": 18}}]
    assert load_document(with_arm, "arms.json").arms[0].id == "A"
    empty_arm = copy.deepcopy(base)
    empty_arm["arms"] = [{"id": "A", "label": "A", "criteria": {"type": "all", "items": []}}]
    with pytest.raises(CriteriaError, match=r"arms\[0\]\.criteria"):
        load_document(empty_arm, "arm.json")
    nested = copy.deepcopy(base)
    nested["criteria"]["items"] = [{"type": "age", "min": 1}, {"type": "all", "items": []}]
    with pytest.raises(CriteriaError, match="empty"):
        load_document(nested, "nested.json")
