"""facts_to_json / facts_from_json round-trip exactly (trialmatch.domain.facts_json)."""

import json
from datetime import date

import pytest

from tests.unit.mcode.conftest import BUNDLES, load_bundle
from trialmatch.domain import facts as f
from trialmatch.domain.facts_json import facts_from_json, facts_to_json
from trialmatch.errors import PatientDataError
from trialmatch.mcode import extract_facts

ALL = sorted(p.relative_to(BUNDLES).as_posix() for p in BUNDLES.rglob("*.json") if "golden" not in p.parts)
UNUSABLE = ["codex/clinical-trial-matching-service/patient_data_empty-cgv.json"]  # refused: its golden has the error


def test_the_unusable_bundle_is_refused(vocab):
    for rel in UNUSABLE:
        with pytest.raises(PatientDataError):
            extract_facts(load_bundle(rel), vocab)


@pytest.mark.parametrize("rel", [r for r in ALL if r not in UNUSABLE])
def test_round_trip_of_every_test_bundle(rel, vocab):
    facts = extract_facts(load_bundle(rel), vocab)
    data = json.loads(json.dumps(facts_to_json(facts, as_of=date(2026, 11, 26))))
    back = facts_from_json(data)
    assert back == facts
    assert back.warnings == facts.warnings


def test_every_field_of_every_fact_round_trips():
    c = f.Coding("http://snomed.info/sct", "1", "one")
    facts = f.PatientFacts(
        patient_ref="Patient/x", birth_date=date(2000, 2, 29), sex="male", postal_code="0", country="US",
        deceased=False, deceased_date=None,
        cancers=(f.Cancer("C/1", "primary", (c,), "BREAST", (c,), (c,), c, "active", date(2020, 1, 1), date(2020, 1, 2)),),
        stages=(f.Stage("O/1", "IV", "T1", "N0", "M1a", "clinical", c, date(2020, 1, 1), "C/1"),),
        markers=(f.TumorMarker("O/2", "HER2", "positive", 3.0, None, "IHC", c, date(2020, 1, 1), "C/1"),
                 f.TumorMarker("O/3", "TMB", None, 12.5, "{mutations}/{megabase}", "mut/Mb")),
        variants=(f.Variant("O/4", "BRAF", "c.1799T>A", "p.Val600Glu", "V600E", "SNV", 15, "somatic", "pathogenic",
                            date(2020, 1, 1), "C/1"),),
        genes_tested=(f.GeneTested("O/4", "BRAF", False), f.GeneTested("O/5", "KRAS", True, date(2020, 1, 1))),
        performance=(f.PerformanceStatus("O/6", "Karnofsky", 70, (1, 2), date(2020, 1, 1)),
                     f.PerformanceStatus("O/7", "ECOG", 0, (0,))),
        medications=(f.Medication("M/1", (c,), ("paclitaxel",), "completed", date(2020, 1, 1), None),),
        procedures=(f.Procedure("P/1", "surgery", (c,), (c,), date(2020, 1, 1)),),
        labs=(f.Lab("O/8", "751-8", "ANC", 3000.0, "10*9/L", 3000.0, "10*3/uL", 2.5, 7.5, True, date(2020, 1, 1)),
              f.Lab("O/9", "718-7", "HGB", 0.0, "g/dL")),
        conditions=(f.Condition("C/2", (c,), "active", date(2001, 1, 1), None),),
        pregnancy=(f.ObservedStatus("O/10", "not pregnant", c, date(2020, 1, 1)),),
        disease_status=(f.ObservedStatus("O/11", "stable"),),
        warnings=(f.Warning("Bundle.entry[1]", "something"),),
    )
    data = facts_to_json(facts, as_of=date(2026, 2, 28))
    assert data["age"] == 25
    assert data["performance"][1] == {"evidence": "O/7", "scale": "ECOG", "value": 0, "ecog": [0]}
    back = facts_from_json(json.loads(json.dumps(data)))
    assert back == facts and back.warnings == facts.warnings
    assert isinstance(back.performance[0].value, int) and isinstance(back.labs[1].value, float)


def test_age_only_with_as_of_and_ignored_on_read():
    facts = f.PatientFacts(birth_date=date(1990, 6, 15))
    assert "age" not in facts_to_json(facts)
    assert facts_from_json({"birth_date": "1990-06-15", "age": 99}) == facts


@pytest.mark.parametrize("data, message", [
    ({"cancer": []}, "unknown keys ['cancer']"),
    ({"cancers": [{"evidence": "x", "role": "primary", "typo": 1}]}, "facts.cancers[0]: unknown keys ['typo']"),
    ({"birth_date": 19900615}, "facts.birth_date: expected an ISO date"),
    ({"cancers": {}}, "facts.cancers: expected a list"),
])
def test_bad_facts_json_is_refused_by_name(data, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        facts_from_json(data)
