"""Procedure(major=True): the surgery code table (matching/data/surgery.yaml) and the evidence
rule of atoms_therapy.compile_procedure, atom by atom and at the user's level (a real mCODE
bundle through services.match_bundle)."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
import yaml

from trialmatch.catalogue import build_catalogue
from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f
from trialmatch.errors import RuleFileError
from trialmatch.matching.surgery_classes import CPT, MAJOR, MINOR, load_surgery_classes
from trialmatch.nlp import parse_eligibility
from trialmatch.services import match_bundle
from tests.unit.matching.helpers import AS_OF, RULES, VOCAB, outcome, patient
from tests.unit.matching.test_evidence_rules import view

ROOT = Path(__file__).resolve().parents[3]
BUNDLES = ROOT / "tests" / "data" / "bundles"

LOBECTOMY = f.Coding(f.SNOMED, "359615001", "Partial lobectomy of lung (procedure)")
BREAST_BIOPSY = f.Coding(f.SNOMED, "122548005", "Biopsy of breast (procedure)")
LUMPECTOMY = f.Coding(f.SNOMED, "392021009", "Lumpectomy of breast (procedure)")
UNLISTED = f.Coding(f.SNOMED, "999999999", "Some surgical procedure")
EXCLUSION = c.Not(c.Procedure("surgery", within_days=28, major=True))


def surgery(code: f.Coding, when: date | None, kind: str = "surgery") -> f.Procedure:
    return f.Procedure(f"Procedure/{code.code}-{when}", kind, (code,), date=when)


def verdict(node, *procedures):
    return view(outcome(node, patient(procedures=procedures)))


def test_the_shipped_table_classifies_the_surgical_codes_of_the_test_bundles():
    table = RULES.surgery
    assert table.classify((LOBECTOMY,)) == MAJOR
    assert table.classify((BREAST_BIOPSY,)) == MINOR
    # breast-conserving surgery and sentinel node biopsy are listed as undecided: unclassified
    assert table.classify((LUMPECTOMY,)) is None
    assert table.classify((f.Coding(f.SNOMED, "396487001", "Sentinel lymph node biopsy"),)) is None
    assert table.classify((UNLISTED,)) is None
    # codes that disagree say nothing
    assert table.classify((LOBECTOMY, BREAST_BIOPSY)) is None
    assert table.classify((f.Coding(CPT, "51570", "Cystectomy, complete"),)) == MAJOR
    assert {"placement of vascular access", "diagnostic biopsy", "tumor biopsy"} <= table.minor_aside_words


def test_major_surgery_in_the_window_is_a_washout_in_an_exclusion_and_met_in_an_inclusion():
    # 16 days ago: the patient can wait 12 more days, so the exclusion is to confirm, never "ineligible"
    assert verdict(EXCLUSION, surgery(LOBECTOMY, date(2026, 11, 10))) == (
        "unknown", "Partial lobectomy of lung (procedure) on 2026-11-10; eligible after a 28-day washout "
        "(from 2026-12-09)", [("prior major surgery within 28 days", "to_confirm")])
    # the wait runs from the latest major surgery in the window
    assert verdict(EXCLUSION, surgery(LOBECTOMY, date(2026, 11, 10)), surgery(LOBECTOMY, date(2026, 11, 2)))[1] == (
        "Partial lobectomy of lung (procedure) on 2026-11-10; eligible after a 28-day washout (from 2026-12-09)")
    # an inclusion asking for a recent major surgery is met
    assert verdict(c.Procedure("surgery", within_days=28, major=True), surgery(LOBECTOMY, date(2026, 11, 10))) == (
        "met", "major surgery within 28 days (Partial lobectomy of lung (procedure), 2026-11-10)", [])


def test_only_minor_surgery_does_not_count():
    # a biopsy last week is no major surgery: absent, so the exclusion stays to confirm (no surgery recorded)
    assert verdict(EXCLUSION, surgery(BREAST_BIOPSY, date(2026, 11, 20))) == (
        "unknown", "only minor surgery recorded (Biopsy of breast (procedure) 2026-11-20), no major surgery",
        [("prior major surgery within 28 days", "to_confirm")])
    # beside an old major surgery, the recent minor one changes nothing: last major surgery too old
    assert verdict(EXCLUSION, surgery(BREAST_BIOPSY, date(2026, 11, 20)), surgery(LOBECTOMY, date(2025, 1, 5)))[0] == "met"


def test_unclassified_surgery_in_the_window_is_to_confirm():
    assert verdict(EXCLUSION, surgery(LUMPECTOMY, date(2026, 11, 1))) == (
        "unknown", "surgery within 28 days (Lumpectomy of breast (procedure) 2026-11-01) not classified major or "
        "minor: whether it was major is to confirm; if it was, eligible after a 28-day washout (from 2026-11-30)",
        [("prior major surgery within 28 days", "to_confirm")])
    inclusion = c.Procedure("surgery", within_days=28, major=True)
    assert verdict(inclusion, surgery(LUMPECTOMY, date(2026, 11, 1)))[1] == (
        "surgery within 28 days (Lumpectomy of breast (procedure) 2026-11-01) not classified major or minor: "
        "whether it was major is to confirm")
    # a major one in the window decides an inclusion whatever else is there; in an exclusion it is a wait,
    # and an unclassified surgery after it, which may have been major too, may make the wait longer
    assert verdict(inclusion, surgery(LUMPECTOMY, date(2026, 11, 1)), surgery(LOBECTOMY, date(2026, 11, 2)))[0] == "met"
    assert verdict(EXCLUSION, surgery(LUMPECTOMY, date(2026, 11, 1)), surgery(LOBECTOMY, date(2026, 11, 2)))[1] == (
        "Partial lobectomy of lung (procedure) on 2026-11-02; eligible after a 28-day washout (from 2026-12-01)")
    assert verdict(EXCLUSION, surgery(LUMPECTOMY, date(2026, 11, 3)), surgery(LOBECTOMY, date(2026, 11, 2)))[1] == (
        "Partial lobectomy of lung (procedure) on 2026-11-02; eligible after a 28-day washout (from 2026-12-01), "
        "or from 2026-12-02 if Lumpectomy of breast (procedure) on 2026-11-03 was major")


def test_no_surgery_recorded_is_unknown_and_old_surgery_clears():
    assert verdict(EXCLUSION) == ("unknown", "no major surgery recorded", [("prior major surgery within 28 days",
                                                                            "to_confirm")])
    # every counted surgery older than the window, classified or not: the exclusion is met
    assert verdict(EXCLUSION, surgery(LUMPECTOMY, date(2025, 3, 1)), surgery(LOBECTOMY, date(2024, 1, 1)))[0] == "met"
    assert verdict(EXCLUSION, surgery(LUMPECTOMY, None)) == (
        "unknown", "major surgery recorded without a date", [("prior major surgery within 28 days", "missing")])


def test_without_a_window_and_the_plain_surgery_atom():
    ever = c.Procedure("surgery", major=True)
    assert verdict(ever, surgery(LOBECTOMY, date(2019, 3, 1)))[0] == "met"
    assert verdict(ever, surgery(LUMPECTOMY, date(2019, 3, 1)))[0] == "unknown"
    # the plain atom counts any surgery, and a procedure not profiled as surgery when its code is major
    assert verdict(c.Procedure("surgery", within_days=28), surgery(LUMPECTOMY, date(2026, 11, 1)))[0] == "met"
    assert verdict(c.Procedure("surgery", within_days=28), surgery(LOBECTOMY, date(2026, 11, 1), "other"))[0] == "met"
    assert verdict(c.Procedure("surgery", within_days=28), surgery(BREAST_BIOPSY, date(2026, 11, 1), "other"))[0] == "unknown"


def _trial_of(text: str) -> c.TrialCriteria:
    node = parse_eligibility(f"Exclusion Criteria:\n\n* {text}\n", VOCAB).to_node()
    return c.TrialCriteria(trial_id="T-MAJOR", title="major surgery washout", criteria=node)


def _bundle(path: str) -> dict:
    return json.loads((BUNDLES / path).read_text(encoding="utf-8"))


def test_a_real_bundle_through_the_match_service():
    # NCT04771572's item; John Anyperson (mCODE IG) had a partial lobectomy on 2019-03-01
    catalogue = build_catalogue([_trial_of("Major surgery within 14 days prior to the first dose of study drug.")],
                                version="t", vocab=VOCAB)
    john = _bundle("mcode-ig-assembled/Bundle-assembled-cancer-patient-john-anyperson.json")
    # nine days after it the trial is not hidden: a washout still running, open from 2019-03-16
    [soon] = match_bundle(bundle=john, as_of=date(2019, 3, 10), catalogue=catalogue, vocab=VOCAB)["results"]
    assert (soon["result_class"], soon["unknowns"]) == (
        "possible", [{"item": "prior major surgery within 14 days", "kind": "to_confirm"}])
    [exclusion] = soon["criteria"]["children"]
    assert (exclusion["verdict"], exclusion["reason"]) == (
        "unknown", "Partial lobectomy of lung (procedure) on 2019-03-01; eligible after a 14-day washout (from 2019-03-16)")
    [opened] = match_bundle(bundle=john, as_of=date(2019, 3, 16), catalogue=catalogue, vocab=VOCAB)["results"]
    assert opened["result_class"] == "eligible"
    [later] = match_bundle(bundle=john, as_of=AS_OF, catalogue=catalogue, vocab=VOCAB)["results"]
    assert later["result_class"] == "eligible"
    # Jenny M (mCODE IG): a partial mastectomy on 2018-04-01, a breast-conserving surgery the table leaves undecided
    jenny = _bundle("mcode-ig-assembled/Bundle-assembled-cancer-patient-jenny-m.json")
    [open_] = match_bundle(bundle=jenny, as_of=date(2018, 4, 10), catalogue=catalogue, vocab=VOCAB)["results"]
    assert (open_["result_class"], open_["unknowns"]) == (
        "possible", [{"item": "prior major surgery within 14 days", "kind": "to_confirm"}])


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for entry in (resources.files("trialmatch.matching") / "data").iterdir():
        if entry.name.endswith(".yaml"):
            (target / entry.name).write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.mark.parametrize("change, message", [
    (lambda d: d["major"][0]["snomed"].update({"122548005": "Biopsy of breast"}),
     r"surgery.yaml: major\[0\].snomed.122548005: already classified|surgery.yaml: minor\[1\].snomed.122548005: already"),
    (lambda d: d["major"][0].update(why=""), r"surgery.yaml: major\[0\].why: expected a non-empty string"),
    (lambda d: d["minor"][0].update(codes=["1"]), r"surgery.yaml: minor\[0\]: unknown field\(s\) \['codes'\]"),
    (lambda d: d["major"][0].update(aside_words=["lobectomy"]), r"surgery.yaml: major\[0\]: unknown field"),
    (lambda d: d["major"][1]["cpt"].update({"5x": "Bad"}), r"surgery.yaml: major\[1\].cpt: expected a code of digits"),
    (lambda d: d["major"][0]["snomed"].update({"173171007": ""}), r"major\[0\].snomed.173171007: the display must"),
    (lambda d: d.pop("undecided"), r"surgery.yaml: missing field\(s\) \['undecided'\]"),
])
def test_a_bad_table_names_file_and_field(tmp_path, change, message):
    directory = _copy(tmp_path)
    data = yaml.safe_load((directory / "surgery.yaml").read_text(encoding="utf-8"))
    change(data)
    (directory / "surgery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RuleFileError, match=message):
        load_surgery_classes(directory)


def test_the_json_form_keeps_old_atoms_unchanged_and_the_schema_ties_major_to_surgery():
    import jsonschema

    from trialmatch.domain.criteria_json import from_json, to_json

    assert to_json(c.Procedure("surgery", within_days=28)) == {"type": "procedure", "kind": "surgery", "within_days": 28}
    node = c.Procedure("surgery", within_days=28, major=True)
    assert to_json(node) == {"type": "procedure", "kind": "surgery", "within_days": 28, "major": True}
    assert from_json(to_json(node)) == node
    schema = json.loads(resources.files("trialmatch").joinpath("schemas", "criteria.schema.json").read_text())
    jsonschema.validate(to_json(node), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"type": "procedure", "kind": "radiation", "major": True}, schema)


def test_a_radiotherapy_washout_runs_from_the_end_of_the_course():
    # NCT02332668's item; Jenny M (mCODE IG) had chest-wall radiotherapy from 2018-08-15 to 2018-10-25
    catalogue = build_catalogue([_trial_of("Prior radiotherapy within 2 weeks of start of study treatment")],
                                version="t", vocab=VOCAB)
    jenny = _bundle("mcode-ig-assembled/Bundle-assembled-cancer-patient-jenny-m.json")
    [waiting] = match_bundle(bundle=jenny, as_of=date(2018, 11, 1), catalogue=catalogue, vocab=VOCAB)["results"]
    [exclusion] = waiting["criteria"]["children"]
    assert (waiting["result_class"], exclusion["reason"], waiting["unknowns"]) == (
        "possible", "radiation on 2018-10-25; eligible after a 14-day washout (from 2018-11-09)",
        [{"item": "prior radiation within 14 days", "kind": "to_confirm"}])
    [opened] = match_bundle(bundle=jenny, as_of=date(2018, 11, 9), catalogue=catalogue, vocab=VOCAB)["results"]
    assert opened["result_class"] == "eligible"
    # an inclusion asking for recent radiotherapy is met a week after the course ended
    node = parse_eligibility("Inclusion Criteria:\n\n* Radiotherapy within 14 days prior to enrollment\n", VOCAB).to_node()
    recent = build_catalogue([c.TrialCriteria(trial_id="T-RT", title="recent radiotherapy", criteria=node)],
                             version="t", vocab=VOCAB)
    [met] = match_bundle(bundle=jenny, as_of=date(2018, 11, 1), catalogue=recent, vocab=VOCAB)["results"]
    assert met["result_class"] == "eligible"
