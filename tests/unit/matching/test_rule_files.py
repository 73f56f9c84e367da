"""The matcher's rule files load, and a bad file raises RuleFileError naming file and field."""

import shutil
from importlib import resources
from pathlib import Path

import pytest
import yaml

from trialmatch.errors import RuleFileError
from trialmatch.matching.match_rules import load_rules
from trialmatch.matching.units import load_units
from tests.unit.matching.helpers import VOCAB


def test_shipped_rules_load_with_documented_windows():
    rules = load_rules()
    assert rules.freshness == {"performance_status": 90, "lab": 28, "tumor_marker": None, "stage": None,
                               "extent_negative": 90, "pregnancy_test": 14, "variant": None,
                               "measurable_disease": 60, "life_expectancy": 60,
                               "no_known_allergy": 365, "adverse_event": 28}
    assert rules.karnofsky_to_ecog[70] == (1, 2)
    assert (rules.ongoing_order_days, rules.ongoing_order_days_by_class) == (180, {"endocrine_therapy": 3650})
    # every OncoTree code the rules name exists in the shipped OncoTree
    codes = set(rules.stage_iv_is_m1) | set(rules.m1_not_always_stage_iv) | {
        o for h in rules.histology.values() for o in h.oncotree}
    assert sorted(x for x in codes if x not in VOCAB.oncotree) == []
    # a histology refinement names known types and only narrows: the refined type descends from the coded one
    refines = [(k, coded, narrow) for k, h in rules.histology.items() for coded, narrow in h.refines.items()]
    assert len(refines) >= 5
    assert [r for r in refines if not (r[1] in VOCAB.oncotree and r[2] in VOCAB.oncotree
                                       and r[2] != r[1] and VOCAB.oncotree.is_a(r[2], r[1]))] == []


def test_every_canonical_lab_unit_is_known_to_the_unit_table():
    units = load_units()
    assert sorted(k for k, lab in VOCAB.labs.items() if not units.known(lab.canonical_unit)) == []


def test_unit_conversions():
    u = load_units()
    assert [round(u.convert(*args), 4) if u.convert(*args) is not None else None for args in (
        (1500, "/uL", "10*9/L"), (1.0, "mg/dL", "umol/L", 113.12), (9, "g/dL", "g/L"), (5, "uIU/mL", "m[IU]/L"),
        (40, "U/L", "mg/dL"), (1.0, "mg/dL", "umol/L"),
    )] == [1.5, 88.4017, 90.0, 5.0, None, None]


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    src = resources.files("trialmatch.matching") / "data"
    target.mkdir()
    for entry in src.iterdir():
        if entry.name.endswith(".yaml"):
            (target / entry.name).write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.mark.parametrize("file, change, message", [
    ("freshness.yaml", lambda d: d["lab"].update(days=-3), r"freshness.yaml: lab.days: expected a positive integer"),
    ("freshness.yaml", lambda d: d["lab"].update(why=""), r"freshness.yaml: lab.why: the reasoning must be written"),
    ("freshness.yaml", lambda d: d.pop("stage"), r"freshness.yaml: missing field\(s\) \['stage'\]"),
    ("freshness.yaml", lambda d: d.update(ecog={"days": 1, "why": "x"}), r"freshness.yaml: unknown field\(s\) \['ecog'\]"),
    ("performance.yaml", lambda d: d["karnofsky_to_ecog"].pop(50), r"performance.yaml: karnofsky_to_ecog: needs every"),
    ("histology.yaml", lambda d: d["keys"]["squamous"].update(icdo3=["805-808"]), r"histology.yaml: keys.squamous.icdo3"),
    ("histology.yaml", lambda d: d["keys"]["ductal"].update(excludes=["lobar"]), r"keys.ductal.excludes: unknown key"),
    ("biomarkers.yaml", lambda d: d["status_from_value"]["ER"][0].update(min="one"), r"status_from_value.ER\[0\].min"),
    ("extent.yaml", lambda d: d["extents"].pop("advanced"), r"extent.yaml: extents: missing field\(s\) \['advanced'\]"),
    ("genomics.yaml", lambda d: d.update(uncertain="vus"), r"genomics.yaml: uncertain: expected a list"),
    ("biomarkers.yaml", lambda d: d["status_excludes_values"]["HER2"][0].pop("min"),
     r"status_excludes_values.HER2\[0\]: needs min or max"),
    ("biomarkers.yaml", lambda d: d["status_excludes_values"]["HER2"][0].pop("scale"),
     r"status_excludes_values.HER2\[0\]: missing field"),
    ("histology.yaml", lambda d: d["keys"]["ductal"].update(refines={"BREAST": "idc"}), r"keys.ductal.refines: expected OncoTree"),
    ("therapy.yaml", lambda d: d.update(ongoing_order_days=0), r"therapy.yaml: ongoing_order_days: expected a positive"),
    ("therapy.yaml", lambda d: d.update(ongoing_order_why=" "), r"therapy.yaml: ongoing_order_why: the reasoning"),
    ("therapy.yaml", lambda d: d["ongoing_order_days_by_class"].update(taxane="long"),
     r"therapy.yaml: ongoing_order_days_by_class.taxane: expected a positive integer"),
])
def test_bad_rule_file_names_file_and_field(tmp_path, file, change, message):
    directory = _copy(tmp_path)
    data = yaml.safe_load((directory / file).read_text(encoding="utf-8"))
    change(data)
    (directory / file).write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RuleFileError, match=message):
        load_rules(directory)


def test_missing_rule_file(tmp_path):
    directory = _copy(tmp_path)
    (directory / "therapy.yaml").unlink()
    with pytest.raises(RuleFileError, match=r"therapy.yaml: cannot read rule file"):
        load_rules(directory)
    shutil.rmtree(directory)
