"""Seventh round, procedures (issue #5): recovery from surgery (no atom: the surgery it speaks of is
necessary, the recovery kept Unparsed beside it), a surgery washout with a recovery alternative, and
residual toxicity with no grade written (exclusions). Item texts
are from tests/data/trials/oncology-trials.jsonl (NCT id beside each)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.matching.helpers import outcome, patient
from tests.unit.nlp.test_therapy_round2 import parse_one
from trialmatch.domain import criteria as c
from trialmatch.domain import facts as f

NOT, ALL, ANY = "not", "all", "any"


def unp(text):
    return {"type": "unparsed", "text": text}


def surgery(within=None, major=False):
    node = {"type": "procedure", "kind": "surgery"}
    if within is not None:
        node["within_days"] = within
    if major:
        node["major"] = True
    return node


TOX0 = {"type": "residual_toxicity", "above_grade": 0}
SP28 = {"type": "study_participation", "within_days": 28, "drug_only": True}


def not3(node):
    # the clause reader took "has not" off and wraps the builder's Not(node) in Not again; the exclusion
    # adds the third: the item excludes when ``node`` holds
    return {"type": NOT, "item": {"type": NOT, "item": {"type": NOT, "item": node}}}


READ = [
    # recovery from major surgery: any major surgery is necessary, the recovery is kept
    ("exc", "Has not adequately recovered from major surgery or has ongoing surgical complications",  # NCT07190248
     ("partly_structured", not3({"type": ANY, "items": [
         {"type": ALL, "items": [surgery(major=True), unp("not adequately recovered from major surgery")]},
         unp("has ongoing surgical complications")]}))),
    ("exc", "Has not fully recovered from any effects of major surgical procedure",  # NCT06345729
     ("partly_structured", not3({"type": ALL, "items": [
         surgery(major=True), unp("not fully recovered from any effects of major surgical procedure")]}))),
    # a surgery washout or a recovery alternative: either excludes
    ("exc", "Major surgery within 4 weeks prior to first dose of study drug, or no recovery from side effects of such "
            "intervention.",  # NCT06234423
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [
         surgery(28, major=True), unp("no recovery from side effects of such intervention")]}})),
    ("exc", "Major surgery within 4 weeks of registration or ongoing clinically significant post-surgical "
            "complications.",  # NCT05065021 (complications of any surgery)
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [
         surgery(28, major=True), unp("ongoing clinically significant post-surgical complications")]}})),
    # the relative clause after the recovery is the recovery's, not the washout's
    ("exc", "Undergone major surgery within 4 weeks of first dose date, or not recovered from any major surgery that "
            "occurred >2 weeks before starting study treatment.",  # NCT06130254 (item 6 of a list)
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [
         surgery(28, major=True),
         unp("not recovered from any major surgery that occurred >2 weeks before starting study treatment")]}})),
    # several radiotherapies, each with its window: one within the longest window is necessary
    ("exc", "Radiation therapy for bone metastasis within 2 weeks, any other radiation therapy within 4 weeks before "
            "first dose of study treatment.",  # NCT04322955
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "procedure", "kind": "radiation", "within_days": 28},
         unp("Radiation therapy for bone metastasis within 2 weeks, any other radiation therapy within 4 weeks before "
             "first dose of study treatment")]}})),
    ("exc", "Patients receiving palliative radiotherapy to \\>20% of bone marrow within 2 weeks or any other "
            "radiotherapy within 1 week of study treatment",  # NCT05961124
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         {"type": "procedure", "kind": "radiation", "within_days": 14},
         unp("receiving palliative radiotherapy to \\>20% of bone marrow within 2 weeks or any other radiotherapy "
             "within 1 week of study treatment")]}})),
    # more wordings of the KEYNOTE participation template: a drug study in the window is one alternative
    ("exc", "Is currently participating and receiving study therapy or has participated in a study of an investigational "
            "agent and received study therapy or used an investigational device within 4 weeks of the first dose of "
            "treatment.",  # NCT03474497
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [SP28, unp(
         "currently participating and receiving study therapy or has participated in a study of an investigational "
         "agent and received study therapy or used an investigational device within 4 weeks of the first dose of "
         "treatment")]}})),
    ("exc", "Currently participating or has participated in a study of an investigational agent and received study "
            "therapy or investigational device within 4 weeks prior to enrollment",  # NCT06764095
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [SP28, unp(
         "Currently participating or has participated in a study of an investigational agent and received study "
         "therapy or investigational device within 4 weeks prior to enrollment")]}})),
    ("exc", "Is participating or planning to participate in another interventional clinical trial, or has participated "
            "in a trial of an investigational agent or has used an investigational device within 4 weeks prior to first "
            "dose of study drug.",  # NCT04752826
     ("partly_structured", {"type": NOT, "item": {"type": ANY, "items": [{"type": "study_participation"}, SP28, unp(
         "participating or planning to participate in another interventional clinical trial, or has participated in a "
         "trial of an investigational agent or has used an investigational device within 4 weeks prior to first dose "
         "of study drug")]}})),
    # receiving a study's intervention now is taking part in it
    ("exc", "Currently receiving treatment in another interventional study",  # NCT06826768
     ("fully_structured", {"type": NOT, "item": {"type": "study_participation"}})),
    ("exc", "Actively receiving systemic treatment or direct medical intervention on another therapeutic clinical "
            "study.",  # NCT05384626
     ("fully_structured", {"type": NOT, "item": {"type": "study_participation", "purpose": "treatment"}})),
    # a live vaccine against infection, in the words that say what it is
    ("exc", "Has received any non-oncology live vaccine therapy used for prevention of infectious diseases within 28 "
            "days of study treatment.",  # NCT06411691
     ("fully_structured", {"type": NOT, "item": {"type": "vaccination", "within_days": 28}})),
    # residual toxicity with no grade written: any toxicity left is necessary, the rest stays Unparsed
    ("exc", "Unresolved toxicity from prior anti-cancer therapy",  # NCT05094336
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         TOX0, unp("Unresolved toxicity from prior anti-cancer therapy")]}})),
    ("exc", "Significant ongoing toxicity from prior anticancer treatment",  # NCT04262466
     ("partly_structured", {"type": NOT, "item": {"type": ALL, "items": [
         TOX0, unp("Significant ongoing toxicity from prior anticancer treatment")]}})),
    ("exc", "Patients who have not fully recovered from adverse events due to previous anticancer therapies",  # NCT06778863
     ("partly_structured", not3({"type": ALL, "items": [
         TOX0, unp("not fully recovered from adverse events due to previous anticancer therapies")]}))),
]


@pytest.mark.parametrize("section,text,expected", READ, ids=[t[:50] for _, t, _ in READ])
def test_read(vocab, section, text, expected):
    assert parse_one(vocab, section, text) == expected


REFUSED = [
    # recovery in an inclusion, or a requirement misplaced in an exclusion: not read
    ("inc", "Has not adequately recovered from major surgery"),
    ("exc", "Must have recovered from major surgery"),
    # a second event beside the surgery (trauma) has no atom
    ("exc", "Has not recovered from recent major surgery or trauma"),  # NCT04729114
    # a later alternative after the recovery's relative clause ("..., or anticipation of need for ..."): the
    # qualifier reader would put it beside the whole list, so incomplete recovery is not read as a list member
    ("exc", "Major surgical procedure within 28 days prior to initiation of study treatment, or incomplete recovery "
            "from surgery that would interfere with the determination of safety or efficacy of study treatment, or "
            "anticipation of need for a major surgical procedure during the study"),  # NCT06884618
    # no grade and no cause: any adverse event; a drug named; a recovery "as required"; unresolved in an inclusion
    ("exc", "Has not fully recovered from adverse events"),
    ("inc", "Recovered from toxicities of pembrolizumab"),
    ("exc", "Toxicities from previous anti-cancer therapy that have not recovered as required."),  # NCT05036291
    ("inc", "Unresolved toxicity from prior anti-cancer therapy"),
    ("exc", "Must have recovered from toxicities due to prior therapies"),
    # two causes named
    ("inc", "Recovery from effects of recent radiotherapy, surgery, or chemotherapy"),  # NCT04486352
    # past participation with no window, or "whichever is shorter" half-lives: not the windowed atom
    ("exc", "Is currently participating in or has participated in a study of an investigational agent"),
    ("exc", "is currently participating in or has participated in a study of an investigational agent and received "
            "investigational therapy within 4 weeks or 5 half-lives (whichever is shorter) of administration of "
            "EIK1001."),  # NCT06246110
    # one narrowed radiotherapy alone: often the short window beside a longer one (here in an exception)
    ("exc", "Has had radiotherapy with a limited field for palliation within 1 week of the first dose of study drug, with "
            "the exception of patients receiving radiation to more than 30% of the bone marrow or with a wide field of "
            "radiation, which must be completed at least 4 weeks prior to the first dose of study drug."),  # NCT04890613
    # a part without its own window, and no radiotherapy (a toxicity of it)
    ("exc", "Palliative radiotherapy with a limited field of radiation within 2 weeks or with a wide field of radiation or "
            "to more than 30% of the bone marrow within 4 weeks, prior to the first dose of study intervention."),  # NCT06996782
    ("exc", "Radiation pneumonitis within 3 months or radiation within 2 weeks"),
    # "another study" may be observational
    ("exc", "Currently receiving treatment in another study"),
    # any vaccine, not only live ones: not read (vaccines.py)
    ("exc", "Any non-oncology vaccine therapy used for prevention of infectious diseases within 30 days prior to start "
            "of study treatment."),
    # (an inclusion's recovery with no grade, "Recovered from toxicities due to prior therapies." NCT05651022, is read
    # since the second wave: Any(Not(ResidualToxicity(0)), Unparsed(clause)), below)
]


def test_inclusion_recovery_without_grade(vocab):
    # no toxicity left meets it; a toxicity of grade >= 1 may or may not count as recovered (UNKNOWN)
    text = "Recovered from toxicities due to prior therapies."  # NCT05651022
    assert parse_one(vocab, "inc", text) == ("partly_structured", {"type": ANY, "items": [
        {"type": NOT, "item": TOX0}, unp("Recovered from toxicities due to prior therapies")]})
    item = c.Any((c.Not(c.ResidualToxicity(above_grade=0)), c.Unparsed("recovered from toxicities")))
    assert outcome(item, patient()).verdict.label == "unknown"


@pytest.mark.parametrize("section,text", REFUSED, ids=[t[:50] for _, t in REFUSED])
def test_refused(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


AS_OF = date(2026, 11, 26)


def test_recovery_verdicts():
    # Not(All(major surgery, Unparsed(recovery))): no record shows recovery, so never "eligible" from it, and a
    # patient with no major surgery recorded is UNKNOWN too (a surgery elsewhere may be unrecorded)
    item = c.Not(c.All((c.Procedure("surgery", major=True), c.Unparsed("not adequately recovered from major surgery"))))
    assert outcome(item, patient()).verdict.label == "unknown"
    old = f.Procedure("Procedure/s", "surgery", date=date(2020, 1, 1))
    assert outcome(item, patient(procedures=(old,)), as_of=AS_OF).verdict.label == "unknown"


def test_ungraded_toxicity_verdicts():
    # All(ResidualToxicity(0), Unparsed): decided only by an assessment of no toxicity left
    item = c.Not(c.All((c.ResidualToxicity(above_grade=0), c.Unparsed("unresolved toxicity from prior therapy"))))
    assert outcome(item, patient()).verdict.label == "unknown"
