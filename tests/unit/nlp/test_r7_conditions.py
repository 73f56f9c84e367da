"""Round 7 comorbidity keys (issue #5): graft_versus_host_disease, pancreatitis, hepatic_encephalopathy,
gastrointestinal_perforation and gastrointestinal_fistula (codes and sources in
trialmatch/vocab/data/conditions.yaml), "bleeding tendency" as the bleeding-disorder key, and the form
words of the two keys holding an acute and a chronic form ("chronic GVHD", "acute pancreatitis": the word
stays Unparsed beside the atom). Item texts are from tests/data/trials/oncology-trials.jsonl (NCT id in the
comment of each case); the shapes refused stay Unparsed; the matcher's reading of the new keys is checked at
the end (a resolved record of a group key never clears it)."""

from __future__ import annotations

import pytest

from trialmatch.domain.facts import Coding
from trialmatch.domain.verdict import Verdict
from trialmatch.nlp import parse_eligibility

from tests.unit.matching.helpers import VOCAB, outcome
from tests.unit.matching.test_condition_keys import ICD10, facts_with
from tests.unit.nlp.test_therapy_round2 import parse_one


def cond(key, active_only=True, within_days=None):
    out = {"type": "condition", "keys": [key]}
    if not active_only:
        out["active_only"] = False
    if within_days is not None:
        out["within_days"] = within_days
    return out


def un(text):
    return {"type": "unparsed", "text": text}


def no(node):
    return {"type": "not", "item": node}


def all_(*items):
    return {"type": "all", "items": list(items)}


def any_(*items):
    return {"type": "any", "items": list(items)}


GVHD, PANC, HE = "graft_versus_host_disease", "pancreatitis", "hepatic_encephalopathy"
PERF, FIST = "gastrointestinal_perforation", "gastrointestinal_fistula"

READ = [
    # a seizure (R56.9) and epilepsy (included): "uncontrolled" is the atom's qualifier (a record: to confirm)
    ("Patients with uncontrolled seizures",  # NCT04065269
     ("fully_structured", no({"type": "condition", "keys": ["seizure", "epilepsy"], "qualifier": "uncontrolled"}))),
    ("Active graft versus host disease",  # NCT07166419
     ("fully_structured", no(cond(GVHD)))),
    # "chronic" narrows the key (it holds acute GVHD too): kept beside the atom
    ("Has presence of chronic graft versus host disease.",  # NCT04219254
     ("partly_structured", no(all_(cond(GVHD), un("chronic"))))),
    # "acute or chronic" names both forms: the key whole
    ("Active acute or chronic graft versus host disease requiring systemic treatment with immunosuppressive "
     "medication.",  # NCT04521231
     ("partly_structured", no(all_(cond(GVHD), un("requiring systemic treatment with immunosuppressive medication"))))),
    ("Prior history of pancreatitis.",  # NCT06193486
     ("fully_structured", no(cond(PANC, active_only=False)))),
    ("History of acute pancreatitis within 1 year of study or history of chronic pancreatitis",  # NCT03263572
     ("partly_structured", no(any_(all_(cond(PANC, False, 365), un("acute")), all_(cond(PANC, False), un("chronic")))))),
    ("Patients with acute or chronic pancreatitis and/or liver cirrhosis except well compensated cirrhosis "
     "(Child-Pugh class A).",  # NCT06234423
     ("partly_structured", no(all_(any_(cond(PANC), cond("cirrhosis")),
                                   un("except well compensated cirrhosis (Child-Pugh class A)."))))),
    ("History of hepatic encephalopathy.",  # NCT06141031
     ("fully_structured", no(cond(HE, active_only=False)))),
    ("Has hepatic encephalopathy, hepatorenal syndrome, or Child-Pugh B or more severe cirrhosis.",  # NCT05458219
     ("partly_structured", no(any_(cond(HE), un("hepatorenal syndrome"), un("Child-Pugh B"), un("more severe cirrhosis"))))),
    # the anti-VEGF template: abdominal fistula and GI perforation in the window
    ("Participants must not have a history of abdominal fistula or gastrointestinal (GI) perforation within "
     "6 months.",  # NCT07293351
     ("fully_structured", no(any_(cond(FIST, False, 183), cond(PERF, False, 183))))),
    ("History of abdominal fistula, gastrointestinal perforation, intra-abdominal abscess, bowel obstruction, or "
     "gastric outlet obstruction within 180 days prior to randomization",  # NCT05863351
     ("partly_structured", no(any_(cond(FIST, False, 180), cond(PERF, False, 180), un("intra-abdominal abscess"),
                                   un("bowel obstruction"), un("gastric outlet obstruction"))))),
    # a bare "fistula" is no key (a fistula anywhere): an Unparsed alternative
    ("Has a history of gastrointestinal perforation and/or fistula within 6 months that has not resolved "
     "surgically prior to the first dose of study drug.",  # NCT05458219
     ("partly_structured", no(all_(any_(cond(PERF, False, 183), un("fistula")),
                                   un("that has not resolved surgically prior to the first dose of study drug"))))),
    ("Has any bleeding tendency or coagulopathy within 6 months prior to the first dose of H002.",  # NCT05519293
     ("partly_structured", no(all_(any_(cond("bleeding_disorder", False, 183), un("coagulopathy")), un("of H002"))))),
]

# transplant lists: a stem-cell part is the stem_cell_transplant key as read alone ("allogeneic" kept Unparsed
# beside it; the status codes do not say which), the first part's source word reaching the parts after it
SCT, SOT = cond("stem_cell_transplant", active_only=False), cond("organ_transplant", active_only=False)
READ += [
    ("Prior solid organ or bone marrow transplant",  # NCT04262466
     ("fully_structured", no(any_(SOT, SCT)))),
    ("Prior allogeneic stem cell or solid organ transplantation.",  # NCT04820179
     ("partly_structured", no(any_(SOT, all_(SCT, un("allogeneic")))))),
    ("History of allogeneic organ or stem cell transplant",  # NCT05187182
     ("partly_structured", no(any_(SOT, all_(SCT, un("allogeneic")))))),
    ("Has had a prior stem cell, bone marrow, allogenic tissue, or solid organ transplant.",  # NCT06996782
     ("partly_structured", no(any_(SOT, SCT, un("allogenic tissue"))))),
]

UNPARSED = [
    # "predisposition to bleeding" is wider than a bleeding disorder (the template's examples: peptic
    # ulceration, haemorrhagic stroke, diabetic retinopathy, NCT05938270)
    "Any known predisposition to bleeding",  # NCT06253130
    # a site of acute GVHD: not read
    "Isolated acute GVHD of skin",  # NCT04744116
    # a Child-Pugh class is not read
    "Has moderate to severe hepatic impairment (Child-Pugh B or C).",  # NCT06677190
]


@pytest.mark.parametrize("text,expected", READ)
def test_read(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == expected


@pytest.mark.parametrize("text", UNPARSED)
def test_shapes_that_stay_unparsed(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node


@pytest.mark.parametrize("code,key", [
    ("D89.810", GVHD), ("D89.811", GVHD), ("D89.813", GVHD), ("D89.89", None),
    ("K85.90", PANC), ("K85.11", PANC), ("K86.0", PANC), ("K86.1", PANC), ("K86.2", None), ("K86.81", None),
    ("K76.82", HE), ("K72.91", None),  # hepatic failure with coma: K76.82's Excludes1, left out
    ("K63.1", PERF), ("K22.3", PERF), ("K25.5", PERF), ("K26.1", PERF), ("K25.0", None),  # ulcer with haemorrhage only
    ("K35.32", None), ("K57.20", None),  # appendix, diverticular disease: left out
    ("K63.2", FIST), ("K31.6", FIST), ("K60.3", None), ("J86.0", None),  # anal, tracheo-oesophageal: left out
])
def test_codes_of_the_new_keys(vocab, code, key):
    assert vocab.condition_for(Coding(ICD10, code)) == key


def test_group_flags_of_the_new_keys(vocab):
    concepts = vocab.conditions
    assert all(concepts[k].group for k in (GVHD, PANC, PERF, FIST))
    assert not concepts[HE].group


def _item(text: str):
    items = parse_eligibility(f"Exclusion Criteria:\n\n* {text}\n", VOCAB).criteria_items
    assert len(items) == 1
    return items[0].node


def test_resolved_acute_gvhd_never_clears_chronic_gvhd():
    # NCT04219254 "Has presence of chronic graft versus host disease.": an acute GVHD record, active or
    # resolved, leaves the item open (chronic or not?); no GVHD record at all is no exclusion
    node = _item("Has presence of chronic graft versus host disease.")
    assert outcome(node, facts_with(ICD10, "D89.810"), focus=None).verdict is Verdict.UNKNOWN
    assert outcome(node, facts_with(ICD10, "D89.810", status="resolved"), focus=None).verdict is Verdict.UNKNOWN


def test_active_gvhd_excludes_on_an_active_record_and_a_resolved_one_stays_open():
    # NCT07166419 "Active graft versus host disease": a group key, so a resolved record does not clear it
    node = _item("Active graft versus host disease")
    assert outcome(node, facts_with(ICD10, "D89.811"), focus=None).verdict is Verdict.NOT_MET
    assert outcome(node, facts_with(ICD10, "D89.811", status="resolved"), focus=None).verdict is Verdict.UNKNOWN


def test_perforation_in_the_window_excludes():
    # NCT07293351: a perforated duodenal ulcer two months before the match date excludes
    node = _item("Participants must not have a history of abdominal fistula or gastrointestinal (GI) perforation "
                 "within 6 months.")
    assert outcome(node, facts_with(ICD10, "K26.1"), focus=None).verdict is Verdict.NOT_MET
