"""Round 6 comorbidity shapes (issue #5): the umbrella keys heart_disease, cardiovascular_disease and
cerebrovascular_disease (one atom over the key and the narrower keys it includes, read only with a word
saying which state counts), the effusion keys pleural_effusion, pericardial_effusion and ascites, the
narrowing words kept Unparsed beside them, and "A or B within N, or C" keeping the window on A. Item
texts are from tests/data/trials/oncology-trials.jsonl (NCT id in the comment of each case); the
matcher's reading of the new keys is checked at the end (a mild or unrelated record never excludes)."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.facts import Coding
from trialmatch.domain.verdict import Verdict
from trialmatch.nlp import parse_eligibility

from tests.unit.matching.helpers import VOCAB, outcome
from tests.unit.matching.test_condition_keys import ICD10, facts_with
from tests.unit.nlp.test_conditions_recall import all_, any_, no, parse_one, un

HEART = ["heart_disease", "heart_failure", "myocardial_infarction", "unstable_angina", "arrhythmia", "myocarditis",
         "pericardial_effusion"]
CARDIOVASCULAR = ["cardiovascular_disease"] + HEART + ["deep_vein_thrombosis", "pulmonary_embolism",
                                                       "hypertension_uncontrolled"]
CEREBROVASCULAR = ["cerebrovascular_disease", "stroke", "transient_ischemic_attack"]


def keys(ks, active_only=True, within_days=None, qualifier=None):
    out = {"type": "condition", "keys": list(ks)}
    if not active_only:
        out["active_only"] = False
    if within_days is not None:
        out["within_days"] = within_days
    if qualifier is not None:
        out["qualifier"] = qualifier
    return out


def one(key, qualifier=None):
    return keys([key], qualifier=qualifier)


PLEURAL, PERICARDIAL, ASCITES = one("pleural_effusion"), one("pericardial_effusion"), one("ascites")

FULL = [
    # NCT06290193: "history of" says which state counts (any record, whatever its status)
    ("A history of cerebrovascular disease", no(keys(CEREBROVASCULAR, False))),
    ("History of seizure disorder", no(keys(["epilepsy"], False))),  # NCT06538389
    ("Liver cirrhosis", no(one("cirrhosis"))),  # NCT03774758
    # a state no record holds is the umbrella key's qualifier (a record: to confirm)
    ("Clinically significant cardiovascular disease", no(keys(CARDIOVASCULAR, qualifier="clinically_significant"))),  # NCT04665206
    ("Clinically relevant cardiovascular disease", no(keys(CARDIOVASCULAR, qualifier="clinically_significant"))),  # NCT05732831
    ("Clinically significant cardiac disease", no(keys(HEART, qualifier="clinically_significant"))),  # NCT04872166
    ("Uncontrolled cardiac disease.", no(keys(HEART, qualifier="uncontrolled"))),  # NCT04747912
    # NCT05720117: a window on the umbrella key (any record with its onset inside)
    ("Significant cardiovascular disease within 6 months prior to start of study drug.",
     no(keys(CARDIOVASCULAR, False, 183, qualifier="clinically_significant"))),
    ("Uncontrollable pleural effusion, ascites, or pericardial effusion.",  # NCT05519293
     no(any_(one("pleural_effusion", "uncontrolled"), one("ascites", "uncontrolled"), one("pericardial_effusion", "uncontrolled")))),
    # NCT06890884: the effusion named once for both; "clinically significant" reaches both
    ("Has clinically significant pericardial or pleural effusion.",
     no(any_(one("pericardial_effusion", "clinically_significant"), one("pleural_effusion", "clinically_significant")))),
    ("Uncontrolled seizure disorder", no(one("epilepsy", "uncontrolled"))),  # NCT04150042
    # NCT06800313: the window closes the alternatives before ", or" (read by the list reader, any myocardial
    # infarction ever excluded); the last alternative is read alone
    ("History of myocardial infarction or unstable angina within 6 months prior to enrollment, or clinically "
     "significant cardiac disease.",
     no(any_(keys(["myocardial_infarction"], False, 183), keys(["unstable_angina"], False, 183),
             keys(HEART, False, qualifier="clinically_significant")))),
]

PARTLY = [
    # two states, or one the qualifiers do not name, stay beside the umbrella key: the key is necessary
    ("Has uncontrolled or significant cardiovascular disorder",  # NCT06780098
     no(all_(keys(CARDIOVASCULAR), un("uncontrolled or significant")))),
    ("Moderate or severe cardiovascular disease", no(all_(keys(CARDIOVASCULAR), un("Moderate or severe")))),  # NCT04657068
    # NCT06074588: the words reach both parts of the list
    ("Has uncontrolled, significant cardiovascular disease or cerebrovascular disease",
     no(all_(any_(keys(CARDIOVASCULAR), keys(CEREBROVASCULAR)), un("uncontrolled, significant")))),
    # NCT05074810: "concurrent" is present time; the unread alternative keeps the list from clearing anyone; the
    # heart field's record is to confirm (its codes hold premature beats, AV blocks: audit), never an exclusion alone
    ("Concurrent heart disease or severe obstructive pulmonary disease",
     no(any_(all_(keys(HEART), un("Concurrent heart disease or severe obstructive pulmonary disease")),
             un("severe obstructive pulmonary disease")))),
    # the NCI effusion template: any of the three is necessary, the rest stays unparsed
    ("Uncontrolled pleural effusion, pericardial effusion, or ascites requiring recurrent drainage procedures "  # NCT04929223
     "(once monthly or more frequently)",
     no(all_(any_(one("pleural_effusion", "uncontrolled"), one("pericardial_effusion", "uncontrolled"),
                  one("ascites", "uncontrolled")),
             un("requiring recurrent drainage procedures (once monthly or more frequently)")))),
    ("Symptomatic clinically significant ascites", no(all_(ASCITES, un("Symptomatic clinically significant")))),  # NCT06122480
    ("Prior history of liver cirrhosis or liver transplantation",  # NCT05477576
     no(any_(keys(["cirrhosis"], False), un("liver transplantation")))),
    ("Grade \\>= 2 ascites or pleural effusion.", no(all_(any_(ASCITES, PLEURAL), un("Grade \\>= 2")))),  # NCT06568939
]

UNPARSED = [
    # a bare umbrella phrase is often the label of the examples under it (NCT05168618 "* Cardiovascular disorders:
    # * Congestive heart failure ..."): any record of the field would exclude
    "Cardiovascular disorders:",
    # narrower than the key: a malignant effusion, a refractory ascites ("refractory" may reach both parts)
    "Malignant ascites at time of study enrollment",  # NCT05753306
    "Refractory ascites or pleural effusion (requiring para- or thoracentesis weekly or more frequently or use of "
    "indwelling catheter for palliation)",  # NCT07214298
    "Malignant pleural effusions or ascites that require immediate intervention.",  # NCT06533644
    "High volume peritoneal or pleural effusions requiring centesis more frequently than every 14 days.",  # NCT06710223
    # narrower heart diseases have no key: "valvular heart disease" is not "heart disease"
    "Severe valvular heart disease",  # NCT04166409
    # a Child-Pugh class is not read (a seizure has its own key since round 7: test_r7_conditions.py)
    "Liver cirrhosis ≥ Child Pugh B",  # NCT06122480
    # near miss: a function, not a disease, beside the key
    "Impaired cardiac function or clinically significant cardiac disease",  # NCT05123482
    # near miss: a window on the condition after ", or", and a history no window reaches (NCT05983133)
    "Participants with history of thromboembolic phenomena within 6 months prior to the first dose of study "
    "intervention, or with contraindication to thromboembolism prophylaxis (if clinically indicated) for a previous "
    "history of thrombus.",
]


@pytest.mark.parametrize("text,expected", FULL)
def test_fully_structured(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == ("fully_structured", expected)


@pytest.mark.parametrize("text,expected", PARTLY)
def test_partly_structured(vocab, text, expected):
    assert parse_one(vocab, "exc", text) == ("partly_structured", expected)


@pytest.mark.parametrize("text", UNPARSED)
def test_shapes_that_stay_unparsed(vocab, text):
    status, node = parse_one(vocab, "exc", text)
    assert status == "unparsed", node


@pytest.mark.parametrize("code,key", [
    ("I42.9", "heart_disease"), ("I35.0", "heart_disease"), ("I25.10", "heart_disease"),
    ("I20.0", "unstable_angina"), ("I50.9", "heart_failure"),  # the narrower keys keep their codes
    ("I31.39", "pericardial_effusion"), ("I31.31", "pericardial_effusion"), ("I31.4", "heart_disease"),
    ("J90", "pleural_effusion"), ("J91.0", "pleural_effusion"), ("J94.0", None),  # chylous effusion: not J90's
    ("R18.0", "ascites"), ("R18.8", "ascites"),
    ("I62.9", "cerebrovascular_disease"), ("I63.9", "stroke"), ("G45.9", "transient_ischemic_attack"),
    ("I71.2", "cardiovascular_disease"), ("I70.0", "cardiovascular_disease"),
    ("I10", None), ("I73.00", None), ("I83.90", None), ("I89.0", None),  # hypertension, Raynaud, varicose veins, lymphoedema
    ("I27.0", None),  # pulmonary hypertension: the pulmonary circulation is left out
    ("G40.909", "epilepsy"), ("R56.9", "seizure"),  # convulsions NOS: not epilepsy (round 7: seizure)
    ("K74.60", "cirrhosis"), ("K70.31", "cirrhosis"), ("K74.3", None),  # primary biliary cholangitis left out
])
def test_codes_of_the_new_keys(vocab, code, key):
    assert vocab.condition_for(Coding(ICD10, code)) == key


def test_umbrella_keys_include_the_narrower_keys(vocab):
    assert set(vocab.conditions["heart_disease"].includes) == set(HEART[1:])
    assert set(vocab.conditions["cardiovascular_disease"].includes) == set(CARDIOVASCULAR[1:])
    assert set(vocab.conditions["cerebrovascular_disease"].includes) == set(CEREBROVASCULAR[1:])
    assert all(vocab.conditions[k].group for k in ("heart_disease", "cardiovascular_disease", "cerebrovascular_disease"))


def _item(text: str) -> c.Node:
    items = parse_eligibility(f"Exclusion Criteria:\n\n* {text}\n", VOCAB).criteria_items
    assert len(items) == 1
    return items[0].node


def test_vague_cardiovascular_item_never_excludes_on_a_record_alone():
    # NCT04665206 "Clinically significant cardiovascular disease": a cardiomyopathy recorded leaves the item
    # open (is it significant?); plain hypertension is no key; a resolved valve disorder never clears the
    # group; nothing recorded is to confirm
    node = _item("Clinically significant cardiovascular disease")
    assert outcome(node, facts_with(ICD10, "I42.9"), focus=None).verdict is Verdict.UNKNOWN
    assert outcome(node, facts_with(ICD10, "I10"), focus=None).verdict is Verdict.UNKNOWN
    assert outcome(node, facts_with(ICD10, "I35.0", status="resolved"), focus=None).verdict is Verdict.UNKNOWN


def test_history_of_cerebrovascular_disease_excludes_on_a_stroke_record():
    # NCT06290193: a stroke is a cerebrovascular disease (included key): excluded, whatever its status;
    # an unrelated record leaves it open
    node = _item("A history of cerebrovascular disease")
    assert outcome(node, facts_with(ICD10, "I63.9", status="resolved", onset="2015-01-01"), focus=None).verdict \
        is Verdict.NOT_MET
    assert outcome(node, facts_with(ICD10, "I42.9"), focus=None).verdict is Verdict.UNKNOWN


def test_effusion_template_is_open_on_a_record_and_clears_on_none_resolved():
    # NCT04929223: an effusion recorded leaves the item open ("uncontrolled ... requiring recurrent
    # drainage" is not read); a resolved pleural effusion alone is not enough to clear the other two
    node = _item("Uncontrolled pleural effusion, pericardial effusion, or ascites requiring recurrent drainage "
                 "procedures (once monthly or more frequently)")
    assert outcome(node, facts_with(ICD10, "J91.0"), focus=None).verdict is Verdict.UNKNOWN
    assert outcome(node, facts_with(ICD10, "J90", status="resolved"), focus=None).verdict is Verdict.UNKNOWN


def test_a_heart_field_record_alone_never_excludes():
    # NCT05074810 (audit): "Concurrent heart disease" excluded a patient whose only record was premature
    # ventricular beats (I49.3, in the heart field's codes); a record of the field is now to confirm
    node = _item("Concurrent heart disease or severe obstructive pulmonary disease")
    assert outcome(node, facts_with(ICD10, "I49.3"), focus=None).verdict is Verdict.UNKNOWN
    node = _item("History of cardiovascular disease")
    assert outcome(node, facts_with(ICD10, "I44.0"), focus=None).verdict is Verdict.UNKNOWN


def test_cirrhosis_recorded_inactive_does_not_clear_the_exclusion():
    # NCT03774758 (audit): "Liver cirrhosis." cleared a patient whose K74.60 was recorded inactive; only
    # "resolved" settles it (conditions.yaml settled_by)
    node = _item("Liver cirrhosis.")
    assert outcome(node, facts_with(ICD10, "K74.60", status="inactive"), focus=None).verdict is Verdict.UNKNOWN
    assert outcome(node, facts_with(ICD10, "K74.60"), focus=None).verdict is Verdict.NOT_MET
