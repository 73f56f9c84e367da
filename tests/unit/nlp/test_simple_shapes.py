"""Simple shapes the builders missed on a few words (issue #5, brief C): age, sex beside an age,
ECOG / Karnofsky spellings, ULN spellings, distant metastases, measurable disease by imaging, and
the shapes that must stay Unparsed. Every text is an item of tests/data/trials/oncology-trials.jsonl
(NCT id in the comment, or a variant of one), parsed alone in its section through the public parser.
"""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def age(**kw):
    return {"type": "age", **kw}


def sex_age(sex, **kw):
    return {"type": "all", "items": [{"type": "sex", "sex": sex}, age(**kw)]}


def ps(**kw):
    return {"type": "performance_status", **kw}


def lab(analyte, cmp, **kw):
    return {"type": "lab", "analyte": analyte, "comparator": cmp, **kw}


def no(node):
    return {"type": "not", "item": node}


METASTATIC = {"type": "metastasis", "extent": "metastatic"}
LEPTO = {"type": "metastasis", "site": "leptomeningeal"}

FULLY = [
    # ---- age -------------------------------------------------------------------------------------
    # NCT06072131: "(male or female)" after the subject names both sexes; the consent time point adds nothing
    ("inc", "Patient (male or female) is at least 18 years of age at the time of informed consent", age(min=18)),
    # NCT03551951: "older than" is ">" (read as written: 18 itself does not meet it)
    ("inc", "Subjects older than 18 years.", age(min=18, min_inclusive=False)),
    # NCT07008664, NCT06583395: "younger than" in an exclusion
    ("exc", "Younger than 18 years old", no(age(max=18, max_inclusive=False))),
    # NCT07046832, NCT05598879, NCT05321134: the child is defined by the age; the noun adds nothing
    ("exc", "Children under the age of 18.", no(age(max=18, max_inclusive=False))),
    ("exc", "Minors less than 18 years old.", no(age(max=18, max_inclusive=False))),
    ("exc", "The subject is child less than 18 years of age", no(age(max=18, max_inclusive=False))),
    # NCT03943316: number words
    ("exc", "Minors under age eighteen.", no(age(max=18, max_inclusive=False))),
    ("inc", "All participants will be eighteen years old or older", age(min=18)),
    # NCT07216404, NCT05715229, NCT05761782: "over / above (the) age of"
    ("inc", "Over the age of 18", age(min=18, min_inclusive=False)),
    ("inc", "Patients will be over the age of 18", age(min=18, min_inclusive=False)),
    ("exc", "Above age 80", no(age(min=80, min_inclusive=False))),
    # NCT05961124: the patient's age as the subject
    ("exc", "Patient's age is \\<18 years.", no(age(max=18, max_inclusive=False))),
    # NCT05876923, NCT06972667, NCT04744116: "between the ages of"
    ("inc", "Between the ages of 18-80", age(min=18, max=80)),
    ("inc", "between the ages of 45 and 75 years", age(min=45, max=75)),
    ("inc", "Participants between the ages of 12 years and 80 years (inclusive).", age(min=12, max=80)),
    # NCT04115254: "of older" is a slip for "or older"
    ("inc", "Age 18 years of older.", age(min=18)),
    # NCT05430009, NCT06362369: the age in brackets after "adult patients"
    ("inc", "Adult patients (≥18 years of age)", age(min=18)),
    ("inc", "Adult patients (age 18 or older)", age(min=18)),
    # NCT05415358: a number glued to "to"
    ("inc", "Age greater than or equal to18 years at the time of consent.", age(min=18)),
    # NCT03935893: "\\> or equal to" spelled with the sign
    ("inc", "Age \\> or equal to 18 years", age(min=18)),
    # NCT06731998, NCT06892275: either end of the range excludes
    ("exc", "Patients age less than 18 or ≥ 90", no({"type": "any", "items": [
        age(max=18, max_inclusive=False), age(min=90)]})),
    ("exc", "aged \\<18 or ≥75", no({"type": "any", "items": [age(max=18, max_inclusive=False), age(min=75)]})),
    # both sexes named: no requirement on sex (NCT04235114, NCT06395519, NCT06096623, NCT05870579, NCT05319015)
    ("inc", "Male or female between 18 and 80 years old.", age(min=18, max=80)),
    ("inc", "Males and females of age ≥ 18 years at the time of signing the informed consent document.", age(min=18)),
    ("inc", "Male and female patients of age \\>18 years.", age(min=18, min_inclusive=False)),
    ("inc", "Adult female or male \\>= 18 years of age at the time of informed consent", age(min=18)),
    ("inc", "Male/female participants who are at least 18 years of age on the day of signing informed consent",
     age(min=18)),
    # one sex named beside the age: a requirement of its own (before, "Female aged >= 18" read the age alone and
    # a male patient met it). NCT06450873, NCT06348134, NCT05689021, NCT06402357, NCT05647564, NCT06188520,
    # NCT05989828, NCT05168618, NCT05512208
    ("inc", "Women ≥ 18 years of age", sex_age("female", min=18)),
    ("inc", "Women ages of 18 to 70 years old", sex_age("female", min=18, max=70)),
    ("inc", "Male \\>= 18 years of age", sex_age("male", min=18)),
    ("inc", "Males who are ≥ 18 years of age", sex_age("male", min=18)),
    ("inc", "Men of age \\>18 years.", sex_age("male", min=18, min_inclusive=False)),
    ("inc", "Female participants only, aged 18 or above", sex_age("female", min=18)),
    ("inc", "Female aged \\>= 18 years", sex_age("female", min=18)),
    ("inc", "Male subject aged \\>= 18 years", sex_age("male", min=18)),
    ("inc", "Female subjects ≥ 18 years of age.", sex_age("female", min=18)),
    # ---- performance status ----------------------------------------------------------------------
    # NCT03422198, NCT05061550, NCT06984562: the scale named twice (WHO is the ECOG scale)
    ("inc", "World Health Organization (WHO)/Eastern Cooperative Oncology Group (ECOG)-performance status 0-2.",
     ps(max=2)),
    ("inc", "WHO or Eastern Cooperative Oncology Group (ECOG) performance status of 0 or 1.", ps(max=1)),
    ("inc", "Eastern Cooperative Oncology Group, or ECOG, performance status 0-2.", ps(max=2)),
    # NCT04123535, NCT04606446, NCT06698458, NCT06046040, NCT05746897, NCT06747845
    ("inc", "Eastern Cooperative Oncology Group (ECOG) performance-status score of 0-1.", ps(max=1)),
    ("inc", "Eastern Cooperative Oncology Group (ECOG) Performance Status PS 0 or 1", ps(max=1)),
    ("inc", "ECOG Performance Status Scale 0 -2", ps(max=2)),
    ("inc", "ECOG Performance Status that is either 0 or 1.", ps(max=1)),
    ("inc", "ECOG PS of 0\\~2.", ps(max=2)),
    ("inc", "Eastern Cooperative Oncology (ECOG) performance status of 0 to 1.", ps(max=1)),
    # NCT05030038: a list of grades without "or"
    ("inc", "ECOG performance status 0,1, 2, 3.", ps(max=3)),
    # NCT06533644: the comparator said twice
    ("inc", "Eastern Cooperative Oncology Group (ECOG) performance status of less than (\\<) 3.", ps(max=2)),
    # NCT06821997, NCT03977233, NCT04473781: words before the scale that add nothing
    ("inc", "Have a documented Eastern Cooperative Oncology Group (ECOG) performance status of ≤ 1", ps(max=1)),
    ("inc", "Subject has adequate performance status as defined by ECOG performance status 0 or 1.", ps(max=1)),
    ("inc", "Good performance status (Eastern Cooperative Oncology Group \\[ECOG\\]) \\< 2", ps(max=1)),
    # NCT03263572: a grade of 0-5 with no scale named is the ECOG scale
    ("inc", "Performance status ≤ 2 (ECOG Scale)", ps(max=2)),
    # NCT05839119: the protocol's outline number
    ("inc", "3.1.6 ECOG performance status ≤2 (Karnofsky ≥60%, see Appendix A).", ps(max=2)),
    # NCT06090266: a lower bound in an exclusion
    ("exc", "Subject has an Eastern Cooperative Oncology Group (ECOG) Performance Status (PS) \\> 2.", no(ps(min=3))),
    # NCT06228053: "70 or higher"
    ("inc", "Karnofsky performance status of 70 or higher.", ps(min=70, scale="Karnofsky")),
    # NCT05388773: "80-100" runs to the top of the scale; the ECOG grades "0 or 1" are one range
    ("inc", "ECOG performance status of 0 or 1 or Karnofsky score 80-100.", {"type": "any", "items": [
        ps(max=1), ps(min=80, scale="Karnofsky")]}),
    # NCT05443126, NCT06234423: with the grades as a range, the "and" joins two whole requirements
    ("inc", "ECOG performance status of 0 or 1 and life expectancy \\>3 months at screening", {"type": "all", "items": [
        ps(max=1), {"type": "life_expectancy", "min_days": 91, "min_inclusive": False}]}),
    ("inc", "Eastern Cooperative Oncology Group (ECOG) performance status of 0 or 1 and life expectancy of ≥12 weeks.",
     {"type": "all", "items": [ps(max=1), {"type": "life_expectancy", "min_days": 84}]}),
    # NCT05204147, NCT06270706: "estimated survival" is the life expectancy
    ("inc", "Karnofsky performance status \\>= 60% and an estimated survival of at least 3 months", {"type": "all", "items": [
        ps(min=60, scale="Karnofsky"), {"type": "life_expectancy", "min_days": 91}]}),
    ("inc", "Estimated survival of ≥3 months", {"type": "life_expectancy", "min_days": 91}),
    # ---- labs: ULN spellings -----------------------------------------------------------------------
    # NCT05477576, NCT06626516, NCT05953337
    ("inc", "Total bilirubin ≤3 x upper limit normal (ULN)", lab("TBILI", "<=", uln_multiple=3)),
    ("inc", "AST and/or ALT \\< 3x upper limited of normal (ULN)", {"type": "all", "items": [
        lab("AST", "<", uln_multiple=3), lab("ALT", "<", uln_multiple=3)]}),
    ("exc", "ALT \\> 5x upper limit.", no(lab("ALT", ">", uln_multiple=5))),
    # NCT04079179, NCT04995003: the ULN "for age" is the reference range the result is reported with; the
    # bracket "(sum of conjugated + unconjugated)" says total bilirubin
    ("inc", "Bilirubin (sum of conjugated + unconjugated) ≤ 1.5 x upper limit of normal (ULN) for age",
     lab("TBILI", "<=", uln_multiple=1.5)),
    ("inc", "Serum creatinine ≤1.5x ULN for age", lab("CREAT", "<=", uln_multiple=1.5)),
    # NCT05879926: the analyte named again in full, in brackets
    ("exc", "ANC (absolute neutrophil count) less than 1200/mm3;", no(lab("ANC", "<", value=1200, unit="/mm3"))),
    # ---- distant metastases ------------------------------------------------------------------------
    # NCT04985032, NCT06139107, NCT05855200, NCT04789486: distant metastasis is M1, metastatic disease
    ("exc", "Distant metastases", no(METASTATIC)),
    ("exc", "Presence of distant metastatic disease", no(METASTATIC)),
    ("exc", "Has distant metastatic disease.", no(METASTATIC)),
    ("inc", "No evidence of distant metastasis.", no(METASTATIC)),
    # NCT05838391: "presence of" is documentation, like "evidence of"
    ("exc", "Presence of recurrent/metastatic disease.", no({"type": "any", "items": [
        {"type": "metastasis", "extent": "recurrent"}, METASTATIC]})),
    # ---- pregnancy -------------------------------------------------------------------------------------
    # NCT04918186: the state said again in brackets
    ("exc", "Pregnant or lactating (breastfeeding) women.", no({"type": "any", "items": [
        {"type": "pregnancy"}, {"type": "pregnancy", "status": "breastfeeding"}]})),
    # ---- metastatic sites: history, leptomeningeal names -------------------------------------------
    # NCT04820179, NCT06099769, NCT05413850: a bare site under "history of" (MET only for a site recorded active,
    # never NOT_MET: the atom cannot decide against the history the words ask for)
    ("exc", "History of leptomeningeal disease", no(LEPTO)),
    ("exc", "History of brain metastases or leptomeningeal disease.", no({"type": "any", "items": [
        {"type": "metastasis", "site": "brain"}, LEPTO]})),
    ("exc", "Known history of central nervous system (CNS) metastases.", no({"type": "any", "items": [
        {"type": "metastasis", "site": "cns"}, {"type": "metastasis", "site": "brain"}]})),
    # NCT04300556: meningeal carcinomatosis is leptomeningeal carcinomatosis (NCI Dictionary of Cancer Terms)
    ("exc", "Diagnosed with meningeal carcinomatosis.", no(LEPTO)),
    # NCT06907043 (labelled): the qualifier the atom holds
    ("exc", "Known, symptomatic leptomeningeal disease.", no({"type": "metastasis", "site": "leptomeningeal",
                                                             "qualifier": "symptomatic"})),
    # ---- measurable disease ------------------------------------------------------------------------
    # NCT04657068: "assessable using standard techniques" says how, not what
    ("inc", "Have at least 1 measurable lesion assessable using standard techniques by RECIST v1.1",
     {"type": "measurable", "criteria": "RECIST 1.1"}),
    # NCT05100862, NCT05950945, NCT05503797: the imaging method is documentation (no criteria named)
    ("inc", "Measurable disease by computed tomography or magnetic resonance imaging", {"type": "measurable"}),
    ("inc", "Presence of at least one measurable lesion based on computed tomography or magnetic resonance imaging.",
     {"type": "measurable"}),
    ("inc", "Measurable disease on CT, MRI, or physical exam", {"type": "measurable"}),
    # NCT06432036, NCT06698458: "measurable tumor / lesion"
    ("inc", "Measurable tumor by RECIST 1.1 criteria", {"type": "measurable", "criteria": "RECIST 1.1"}),
    ("inc", "Measurable lesion per RECIST (version 1.1) criteria", {"type": "measurable", "criteria": "RECIST 1.1"}),
    # NCT05332925: RECIST target lesions are chosen among measurable ones
    ("inc", "Must have at least one target lesion to evaluate treatment response", {"type": "measurable"}),
]


@pytest.mark.parametrize("section,text,node", FULLY, ids=[t[:60] for _, t, _ in FULLY])
def test_simple_shapes_read(vocab, section, text, node):
    status, got = parse_one(vocab, section, text)
    assert (status, got) == ("fully_structured", node)


PARTLY = [
    # NCT04995003: Karnofsky is read, the paediatric Lansky alternative kept beside it (Any): a Karnofsky score of
    # 60 or more meets the criterion as written; one below it leaves the item open (the Lansky alternative)
    ("inc", "Karnofsky or Lansky performance score of ≥60", {"type": "any", "items": [
        ps(min=60, scale="Karnofsky"), {"type": "unparsed", "text": "Lansky performance score of ≥60"}]}),
    # NCT01365169: an aside naming part of the trial stays beside the atom, never dropped; it is a scope
    # (whom the requirement is for), so in an inclusion the atom decides only when met
    ("inc", "ECOG performance status score between 0-3 (TAPS study)", {"type": "any", "items": [
        {"type": "unparsed", "text": "(TAPS study)"}, ps(max=3)]}),
    # NCT06412198: a narrowing word the atom does not hold stays beside the site
    ("exc", "Progressive leptomeningeal disease", no({"type": "all", "items": [
        LEPTO, {"type": "unparsed", "text": "Progressive"}]})),
]


@pytest.mark.parametrize("section,text,node", PARTLY, ids=[t[:60] for _, t, _ in PARTLY])
def test_words_kept_beside_the_atom(vocab, section, text, node):
    status, got = parse_one(vocab, section, text)
    assert (status, got) == ("partly_structured", node)


NOT_READ = [
    # a definition, not a requirement: "Women < 50 years" is its subject (no Sex, no Age)
    ("inc", "Women \\<50 years of age would be considered post-menopausal if they have been amenorrheic for 12 months"),
    # a bare "N years" after one sex is a subject cut short, not an age requirement
    ("inc", "Women ≥ 50 years"),
    # childbearing potential is a subgroup, not a sex requirement
    ("inc", "Women of childbearing potential ≥ 18 years"),
    # a family history age, not the patient's
    ("inc", "10 years younger than the earliest pancreatic cancer diagnosis in the family"),
    # "predominantly squamous": whether a mixed histology qualifies is not said
    ("inc", "Have predominantly squamous cell histology for NSCLC"),
    # not a range: 0 or 2
    ("inc", "ECOG performance status of 0 or 2"),
    ("inc", "ECOG performance status of 0 or 2 and life expectancy of ≥12 weeks"),
    # a performance status in tens with no scale named
    ("inc", "Performance status ≤ 60"),
    # country-specific legal ages narrow the age for some patients
    ("inc", "Female or male patients aged ≥ 18 years (Japan ≥ 20 years) (South Korea ≥ 19 years)."),
    # Metastasis has no history flag: an extent or a qualified site under "history of" is not read
    ("exc", "History of distant metastases"),
    ("exc", "History of untreated brain metastases"),
    # an analyte in brackets that is not the one named before it
    ("exc", "Creatinine (creatinine clearance) > 2 mg/dL"),
    # a Karnofsky range below the top of the scale is not a lower bound
    ("inc", "Karnofsky 60-80"),
    # a physical examination alone is not a measurable-disease assessment the atom holds ("only")
    ("exc", "Measurable disease only by physical exam"),
    # a site of the target lesion, not a requirement of measurable disease
    ("exc", "Target lesions that involve the spinal column or calvarium"),
]


@pytest.mark.parametrize("section,text", NOT_READ, ids=[t[:60] for _, t in NOT_READ])
def test_shapes_that_stay_unparsed(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed", node


KARNOFSKY_UPPER = [
    # an upper bound on the Karnofsky scale (tens) is the negation of a lower one: "< 70" = not ">= 70",
    # "<= 60" = not ">= 70"; in an exclusion both read Not(Not(>= 70)), i.e. ">= 70" required
    ("KPS of \\< 70", 70),
    ("KPS <= 60", 70),
]


@pytest.mark.parametrize("text,bound", KARNOFSKY_UPPER, ids=[t for t, _ in KARNOFSKY_UPPER])
def test_karnofsky_upper_bound_in_an_exclusion(vocab, text, bound):
    status, node = parse_one(vocab, "exc", text)
    assert (status, node) == ("fully_structured", no(no(ps(min=bound, scale="Karnofsky"))))


def test_karnofsky_equivalent_after_an_ecog_grade_is_the_same_requirement(vocab):
    # NCT05638295: "(or Karnofsky >= 60%)" restates the ECOG grade on the other scale (the matcher maps Karnofsky to ECOG)
    status, node = parse_one(vocab, "inc", "Patient must have an Eastern Cooperative Oncology Group (ECOG) performance "
                                           "status of =\\< 2 (or Karnofsky performance status \\>= 60%)")
    assert (status, node) == ("fully_structured", ps(max=2))
    assert parse_one(vocab, "exc", "KPS < 65")[0] == "unparsed"  # off the scale's tens: not read


def test_a_pointer_to_the_protocol_after_a_criterion_is_documentation(vocab):
    # NCT03743298: "; see Appendix A" only says where the scale is written (context rule DOCUMENTATION "see appendix")
    assert parse_one(vocab, "exc", "KPS of \\< 70; see Appendix A") == (
        "fully_structured", no(no(ps(min=70, scale="Karnofsky"))))


NOT_PREGNANT = {"type": "not", "item": {"type": "pregnancy"}}

PREGNANCY_TESTS = [
    # a negative test in an inclusion is "not pregnant" (the labels' reading); who must take it (a pregnancy
    # implies childbearing potential), the specimen and the rationale add nothing. NCT05732831, NCT06922591,
    # NCT04697576, NCT06492954, NCT03935893, NCT06695845, NCT05903092
    ("inc", "Negative serum pregnancy test result at screening", NOT_PREGNANT),
    ("inc", "Negative pregnancy test at screening", NOT_PREGNANT),
    ("inc", "WOCBP must have a negative pregnancy test (serum or urine)", NOT_PREGNANT),
    ("inc", "Negative urine or serum pregnancy test in women of childbearing potential.", NOT_PREGNANT),
    ("inc", "Women of child-bearing potential must have a negative pregnancy test because of the potentially dangerous "
            "effects of the treatment on the fetus.", NOT_PREGNANT),
    ("inc", "Females of childbearing potential must have a negative pregnancy test result.", NOT_PREGNANT),
    # a positive test in an exclusion is pregnancy (NCT06771544, NCT05442515, NCT05669846)
    ("exc", "Positive serum pregnancy test", no({"type": "pregnancy"})),
    ("exc", "Positive serum or urine beta-HCG pregnancy test performed at screening.", no({"type": "pregnancy"})),
    ("exc", "A WOCBP who has a positive urine pregnancy test at Screening", no({"type": "pregnancy"})),
]


@pytest.mark.parametrize("section,text,node", PREGNANCY_TESTS, ids=[t[:60] for _, t, _ in PREGNANCY_TESTS])
def test_pregnancy_test_results(vocab, section, text, node):
    assert parse_one(vocab, section, text) == ("fully_structured", node)


def test_a_pregnancy_test_window_stays_beside_the_atom(vocab):
    # NCT05095207: the test's own window is narrower than the matcher's (14 days): kept, never dropped
    assert parse_one(vocab, "inc", "Negative serum pregnancy test within 7 days prior to starting treatment") == (
        "partly_structured", {"type": "all", "items": [
            NOT_PREGNANT, {"type": "unparsed", "text": "within 7 days prior to starting treatment"}]})


@pytest.mark.parametrize("section,text", [
    ("exc", "Negative pregnancy test"),   # a negative test excluding: not a shape with a meaning
    ("inc", "Positive pregnancy test"),   # a positive test required: not read
    ("exc", "Pregnancy test"),            # no result named
    ("inc", "Negative pregnancy test or evidence of post-menopausal status"),  # an alternative the atom does not hold
])
def test_pregnancy_test_shapes_that_stay_unparsed(vocab, section, text):
    assert parse_one(vocab, section, text)[0] == "unparsed"


PREGNANT_OR_NURSING = no({"type": "any", "items": [{"type": "pregnancy"}, {"type": "pregnancy", "status": "breastfeeding"}]})


@pytest.mark.parametrize("text", [
    "Pregnancy (positive pregnancy test) or lactation",          # the test in brackets restates the state
    "Female patients who are pregnant (positive serum or urine HCG) or breast-feeding.",
    "Pregnant women or women nursing an infant",                 # "nursing an infant" is breastfeeding
    "Pregnancy or breastfeeding a child",
    "Female subjects in pregnancy or lactation.",
])
def test_pregnancy_restated(vocab, text):
    assert parse_one(vocab, "exc", text) == ("fully_structured", PREGNANT_OR_NURSING)


def test_pregnancy_shapes_kept(vocab):
    assert parse_one(vocab, "exc", "Concurrent pregnancy") == ("fully_structured", no({"type": "pregnancy"}))
    assert parse_one(vocab, "exc", "Pregnant children")[0] == "unparsed"  # a subgroup of children, not everyone
