"""The reviewed trial catalogue (criteria/): every document loads, round-trips, keeps every
eligibility item of its source record in order, and uses only the shared vocabulary keys.

The source records are copies in tests/data/catalogue-sources/ (see its SOURCES.md)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import to_json, walk
from trialmatch.trial_document import dump_document, load_catalogue, sites_of

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "criteria"
SOURCES = ROOT / "tests" / "data" / "catalogue-sources"

EXPECTED_TRIALS = [
    "NCT03633331", "NCT05266105", "NCT05544019", "NCT05581004", "NCT05609578", "NCT05919329", "NCT06040541",
    "NCT06252649", "NCT06445062", "NCT06667076", "NCT06686394", "NCT06760637", "NCT06966024", "NCT07124000",
]

# The shared vocabulary keys agreed in the project brief.
MARKERS = {"HER2", "ER", "PR", "PDL1", "MSI", "MMR", "TMB", "KI67", "PSA", "CA125", "CEA", "AFP", "CA19_9"}
LAB_UNITS = {"ANC": "10*9/L", "WBC": "10*9/L", "LYMPH": "10*9/L", "PLT": "10*9/L", "HGB": "g/dL", "CREAT": "mg/dL",
             "CRCL": "mL/min", "GFR": "mL/min/{1.73_m2}", "TBILI": "mg/dL", "DBILI": "mg/dL", "AST": "U/L", "ALT": "U/L",
             "ALP": "U/L", "ALB": "g/dL", "INR": "{ratio}", "APTT": "s", "K": "mmol/L", "NA": "mmol/L", "CA": "mg/dL",
             "MG": "mg/dL", "GLU": "mg/dL", "LDH": "U/L", "TSH": "m[IU]/L", "HBA1C": "%", "TESTOSTERONE": "ng/dL"}
CONDITIONS = {"hiv", "hepatitis_b", "hepatitis_c", "autoimmune_disease", "interstitial_lung_disease", "pneumonitis",
              "heart_failure", "myocardial_infarction", "stroke", "active_infection", "tuberculosis", "organ_transplant",
              "other_malignancy", "diabetes", "arrhythmia", "hypertension_uncontrolled"}
SITES = {"brain", "cns", "leptomeningeal", "liver", "bone", "lung", "lymph_node", "peritoneum", "adrenal", "pleura", "skin"}
DRUG_CLASSES = set("""anti_pd1 anti_pdl1 anti_ctla4 immune_checkpoint_inhibitor platinum taxane anthracycline
fluoropyrimidine antimetabolite alkylating_agent topoisomerase_inhibitor vinca_alkaloid cdk46_inhibitor
aromatase_inhibitor serd serm antiandrogen gnrh_agonist endocrine_therapy anti_her2_antibody her2_tki anti_her2
egfr_tki anti_egfr_antibody alk_inhibitor ros1_inhibitor parp_inhibitor braf_inhibitor mek_inhibitor
kras_g12c_inhibitor vegf_inhibitor multikinase_inhibitor mtor_inhibitor pi3k_inhibitor btk_inhibitor bcl2_inhibitor
adc bispecific car_t chemotherapy immunotherapy targeted_therapy""".split())

_ESCAPE = re.compile(r"\\([\\\[\]<>*_#+\-.()!|{}`~^=&])")
_HEADING = re.compile(r"^(?:key\s+)?(inclusion|exclusion)\s+criteria\s*:?$", re.I)
_GROUP_LABEL = re.compile(r"^(arm \d+( only)?|all patients( \(unless otherwise noted\))?):?$", re.I)
_BULLET = re.compile(r"^\s*(?:[*\-•]|\d{1,2}[.)])\s*(?=\S)")


def unescape(text: str) -> str:
    """ClinicalTrials.gov text is markdown: '\\<=' is '<='. Documents store the unescaped text."""
    return _ESCAPE.sub(r"\1", text)


def source_items(text: str) -> list[str]:
    """The eligibility items of a record, in order: bullets, numbered items and free lines,
    without section headings and arm/cohort group labels."""
    out = []
    for raw in unescape(text).splitlines():
        line = raw.strip()
        if not line or _HEADING.match(line) or _GROUP_LABEL.match(line):
            continue
        bullet = _BULLET.match(raw)
        out.append(" ".join((raw[bullet.end():] if bullet else line).split()))
    return out


def load_sources() -> dict[str, dict]:
    records = {}
    for line in (SOURCES / "ctgov-oncology-trials-selected.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        el = r["eligibility"]
        records[r["nct_id"]] = {"text": el["raw_text"], "min_age": el["minimum_age"], "max_age": el["maximum_age"],
                                "sex": el["sex"], "locations": []}
    for line in (SOURCES / "ctgov-v2-studies-selected.ndjson").read_text(encoding="utf-8").splitlines():
        p = json.loads(line)["protocolSection"]
        el = p["eligibilityModule"]
        records[p["identificationModule"]["nctId"]] = {
            "text": el["eligibilityCriteria"], "min_age": el.get("minimumAge"), "max_age": el.get("maximumAge"),
            "sex": el.get("sex"), "locations": p.get("contactsLocationsModule", {}).get("locations", [])}
    return records


TRIALS = {t.trial_id: t for t in load_catalogue(CATALOGUE)}
RECORDS = load_sources()


def roots(trial: c.TrialCriteria):
    yield trial.criteria
    for arm in trial.arms:
        yield arm.criteria


def top_items(trial: c.TrialCriteria) -> list[c.Node]:
    return [item for root in roots(trial) for item in root.items]


def test_catalogue_holds_the_expected_trials():
    assert sorted(TRIALS) == EXPECTED_TRIALS
    assert sorted(p.stem for p in CATALOGUE.glob("*.json")) == EXPECTED_TRIALS
    assert sorted(RECORDS) == EXPECTED_TRIALS


@pytest.mark.parametrize("trial_id", EXPECTED_TRIALS)
def test_document_round_trips_exactly(trial_id):
    data = json.loads((CATALOGUE / f"{trial_id}.json").read_text(encoding="utf-8"))
    assert dump_document(TRIALS[trial_id]) == data


@pytest.mark.parametrize("trial_id", EXPECTED_TRIALS)
def test_every_source_item_is_in_the_document_in_order(trial_id):
    trial = TRIALS[trial_id]
    expected = source_items(RECORDS[trial_id]["text"])
    documented = [n.text for n in top_items(trial) if not n.id.startswith("record-")]
    assert sorted(set(documented)) == sorted(set(expected))
    # Each item appears as often as in the source, except one item that applies to several
    # arms ("Cohorts A & E: ..."), copied once into each of those arms.
    source_counts = Counter(expected)
    for text, count in Counter(documented).items():
        if count != source_counts[text]:
            holders = [root.id for root in roots(trial) if any(i.text == text for i in root.items)]
            assert (source_counts[text], len(holders)) == (1, count) and trial.criteria.id not in holders, text
    for root in roots(trial):
        positions = [expected.index(n.text) for n in root.items if not n.id.startswith("record-")]
        assert positions == sorted(positions), root.id


@pytest.mark.parametrize("trial_id", EXPECTED_TRIALS)
def test_every_node_text_is_source_text(trial_id):
    source = " ".join(unescape(RECORDS[trial_id]["text"]).split())
    texts = [n.text for root in roots(TRIALS[trial_id]) for n in walk(root) if n.text is not None]
    assert [t for t in texts if t not in source] == []


@pytest.mark.parametrize("trial_id", EXPECTED_TRIALS)
def test_items_have_ids_and_exclusions_are_negated(trial_id):
    trial = TRIALS[trial_id]
    for root in roots(trial):
        assert all(n.id for n in walk(root))
    for item in top_items(trial):
        assert re.fullmatch(r"record-(age|sex|population)|([a-z0-9-]+\.)?(inc|exc)-\d+", item.id), item.id
        if item.id.split(".")[-1].startswith("exc"):
            assert isinstance(item, c.Not), item.id


def record_years(value: str | None) -> int | None:
    return None if value is None else int(re.fullmatch(r"(\d+) Years?", value).group(1))


@pytest.mark.parametrize("trial_id", EXPECTED_TRIALS)
def test_age_and_sex_follow_the_record_fields(trial_id):
    record = RECORDS[trial_id]
    by_id = {n.id: n for n in TRIALS[trial_id].criteria.items}
    lo, hi = record_years(record["min_age"]), record_years(record["max_age"])
    assert by_id.get("record-age") == (c.Age(min=lo, max=hi, id="record-age") if (lo, hi) != (None, None) else None)
    sex = record["sex"]
    assert by_id.get("record-sex") == (c.Sex(sex=sex.lower(), id="record-sex") if sex != "ALL" else None)


def test_population_from_the_title_only_where_documented():
    """A study population stated only in the title is encoded as record-population (no text)."""
    found = {t.trial_id: n for t in TRIALS.values() for n in t.criteria.items if n.id == "record-population"}
    assert found == {"NCT06445062": c.CancerType(
        codes=("BOWEL", "STOMACH", "PANCREAS", "BILIARY_TRACT", "AMPULLA_OF_VATER", "LIVER"), id="record-population")}
    assert "Gastrointestinal Solid Tumors" in TRIALS["NCT06445062"].title


def oncotree_codes() -> set[str]:
    with (SOURCES / "oncotree_2025_10_03_tumor_types.tsv").open(encoding="utf-8", newline="") as f:
        return {row["code"] for row in csv.DictReader(f, delimiter="\t")}


def test_vocabulary_keys_are_the_shared_ones():
    known_codes = oncotree_codes() | {"_SOLID_", "_LIQUID_"}
    used = Counter()
    for trial in TRIALS.values():
        for root in roots(trial):
            for n in walk(root):
                where = f"{trial.trial_id} {n.id}"
                if isinstance(n, c.CancerType):
                    assert set(n.codes) <= known_codes, where
                    used.update(n.codes)
                elif isinstance(n, c.Biomarker):
                    assert n.marker in MARKERS, where
                elif isinstance(n, c.Lab):
                    assert n.analyte in LAB_UNITS and (n.unit is None or n.unit == LAB_UNITS[n.analyte]), where
                elif isinstance(n, c.Condition):
                    assert set(n.keys) <= CONDITIONS, where
                elif isinstance(n, c.Metastasis) and n.site is not None:
                    assert n.site in SITES, where
                elif isinstance(n, c.Procedure) and n.body_site is not None:
                    assert n.body_site in SITES, where
                elif isinstance(n, c.PriorTherapy):
                    assert set(n.classes) <= DRUG_CLASSES, where
                    assert all(re.fullmatch(r"[a-z][a-z -]+", d) for d in n.drugs), where
    # The catalogue covers the cancers of the test patients.
    assert {"BREAST", "NSCLC", "COADREAD", "PRAD", "PAAD", "MBN", "_SOLID_"} <= set(used)


def test_review_and_source_are_recorded():
    for trial in TRIALS.values():
        assert (trial.review.by, trial.review.on) == ("catalogue-engineer (trialmatch)", "2026-11-26")
        assert trial.review.note
        assert trial.source["registry"] == "ClinicalTrials.gov"
        assert trial.source["url"].endswith(trial.trial_id)
        assert (ROOT / trial.source["record"]).is_file()


def test_arms_and_sites():
    with_arms = {t.trial_id: [a.id for a in t.arms] for t in TRIALS.values() if t.arms}
    assert with_arms == {
        "NCT05609578": ["cohort-a", "cohort-c", "cohort-e"],
        "NCT05919329": ["cohort-1", "cohort-2"],
        "NCT06445062": ["subprotocols-a-b-c", "subprotocols-d-e-f"],
        "NCT06686394": ["arm-1", "arm-2", "arm-3"],
    }
    assert [a.id for a in TRIALS["NCT05609578"].arms if a.suspended] == ["cohort-a"]
    for trial_id, record in RECORDS.items():
        expected = [loc.get("zip") for loc in record["locations"]]
        assert [s.get("zip") for s in sites_of(TRIALS[trial_id])] == expected, trial_id
    assert sum(1 for t in TRIALS.values() if any(s.get("zip") for s in sites_of(t))) >= 3


def test_golden_structure_of_one_trial():
    """NCT06252649 (CodeBreaK 301), whole tree without texts."""
    def strip(node):
        data = to_json(node)
        def clean(d):
            d.pop("text", None)
            for k in ("items",):
                if k in d:
                    d[k] = [clean(x) for x in d[k]]
            if "item" in d:
                d["item"] = clean(d["item"])
            return d
        return clean(data)

    assert strip(TRIALS["NCT06252649"].criteria) == {"type": "all", "id": "criteria", "items": [
        {"type": "age", "min": 18, "id": "record-age"},
        {"type": "all", "id": "inc-1", "items": [
            {"type": "cancer_type", "codes": ["COADREAD"], "id": "inc-1.1"},
            {"type": "metastasis", "extent": "metastatic", "id": "inc-1.2"},
            {"type": "variant", "gene": "KRAS", "protein_change": "G12C", "id": "inc-1.3"}]},
        {"type": "unparsed", "non_clinical": True, "id": "inc-2"},
        {"type": "all", "id": "inc-3", "items": [
            {"type": "measurable", "criteria": "RECIST 1.1", "id": "inc-3.1"},
            {"type": "unparsed", "id": "inc-3.2"}]},
        {"type": "performance_status", "max": 1, "id": "inc-4"},
        {"type": "unparsed", "id": "inc-5"},
        {"type": "not", "id": "exc-1", "item": {"type": "all", "id": "exc-1.1", "items": [
            {"type": "metastasis", "site": "brain", "qualifier": "active", "id": "exc-1.1.1"},
            {"type": "metastasis", "site": "brain", "qualifier": "untreated", "id": "exc-1.1.2"}]}},
        {"type": "not", "id": "exc-2", "item": {"type": "metastasis", "site": "leptomeningeal", "id": "exc-2.1"}},
        {"type": "not", "id": "exc-3", "item": {"type": "prior_therapy", "classes": ["kras_g12c_inhibitor"], "id": "exc-3.1"}},
        {"type": "not", "id": "exc-4", "item": {"type": "any", "id": "exc-4.1", "items": [
            {"type": "condition", "keys": ["interstitial_lung_disease"], "active_only": False, "id": "exc-4.1.1"},
            {"type": "unparsed", "id": "exc-4.1.2"}]}},
    ]}
