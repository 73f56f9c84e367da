"""Readings fixed after the clinical review of the fourth round's changed parses (issue #5). Texts
are from tests/data/trials/oncology-trials.jsonl (NCT id beside each); verdicts are worked out with
the three-valued evaluation of tests/unit/nlp/test_sentence_readings.py (Unparsed is UNKNOWN)."""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp import parse_eligibility
from tests.unit.nlp.test_sentence_readings import MET, NOT_MET, UNKNOWN, parse_one, verdict

# NCT04958239: a list of tumour types under one head
FAP_HISTOLOGIES = """Inclusion Criteria:

* Tumor with expected high expression of Fibroblast activation protein (FAP) of the following histologies:

  * Non-small cell lung carcinoma (NSCLC)
  * Gastric cancer
  * Esophageal adenocarcinoma or squamous cell carcinoma
  * Urothelial bladder carcinoma
  * Hepatocellular carcinoma
"""


def _cancer_codes(node, out=None):
    out = [] if out is None else out
    if isinstance(node, (c.All, c.Any)):
        for x in node.items:
            _cancer_codes(x, out)
    elif isinstance(node, c.Not):
        _cancer_codes(node.item, out)
    elif isinstance(node, c.CancerType):
        out.append(set(node.codes))
    return out


def test_a_list_of_cancer_types_never_fails_a_patient_who_has_one_of_them(vocab):
    items = parse_eligibility(FAP_HISTOLOGIES, vocab).criteria_items
    assert len(items) == 1
    node = items[0].node
    stomach = next(codes for codes in _cancer_codes(node) if "STAD" in codes)

    def gastric_patient(atom):
        if isinstance(atom, c.CancerType):
            return MET if set(atom.codes) == stomach else NOT_MET
        return UNKNOWN

    # All(NSCLC, gastric, ...) failed every patient (a wrong "ineligible"): the list may be alternatives
    assert verdict(node, gastric_patient) != NOT_MET
    # a patient with none of the listed cancers is never eligible by it
    assert verdict(node, lambda atom: NOT_MET if isinstance(atom, c.CancerType) else UNKNOWN) != MET


def test_a_test_name_alone_in_an_inclusion_is_not_read_as_the_infection(vocab):
    # NCT05607095: a line of "Patients must be seronegative for the following:" that stands alone;
    # read as Condition(hiv) it required HIV
    assert parse_one(vocab, "inc", "Human immunodeficiency virus (HIV)-1 or HIV-2 antibodies")[0] == "unparsed"
    assert parse_one(vocab, "inc", "HIV antibodies")[0] == "unparsed"
    # with its result it is read, and in an exclusion the test name excludes the infection
    status, node = parse_one(vocab, "inc", "Negative for HIV antibodies")
    assert status == "fully_structured" and verdict(node, lambda atom: MET) == NOT_MET
    status, node = parse_one(vocab, "exc", "HIV antibodies")
    assert status == "fully_structured" and verdict(node, lambda atom: MET) == NOT_MET


def test_a_positive_hiv_test_or_seropositivity_is_lifelong(vocab):
    # NCT06048484, NCT07073183, NCT04150042: a record coded inactive or in remission (virally suppressed)
    # still shows the infection; the active-only key cleared such a patient
    for text in ("Positive HIV test at screening or at any time prior to screening.",
                 "Patients with seropositivity of human immunodeficiency virus (HIV).",
                 "HIV infection or seropositivity for HIV."):
        _, node = parse_one(vocab, "exc", text)
        hiv = [a for a in walk(node) if isinstance(a, c.Condition) and "hiv" in a.keys]
        assert hiv and all(not a.active_only for a in hiv), text


def test_a_requirement_of_its_own_after_a_surgery_window_never_clears_a_patient_outside_the_window(vocab):
    for text in (
        # NCT06145633: the recovery reaches surgery outside the window too
        "Major surgery within 2 weeks of starting study treatment and patients must have recovered from any "
        "effects of any major surgery.",
        # NCT06757647: a note stating a requirement
        "Major surgical procedure within 28 days of first dose of study drug. Note: If a subject had major "
        "surgery, they must have recovered adequately from any toxicity and/or complications from the "
        "intervention prior to starting study treatment.",
    ):
        _, node = parse_one(vocab, "exc", text)
        # a patient whose last major surgery is older than the window, recovery unknown: was MET (eligible)
        assert verdict(node, lambda atom: NOT_MET) == UNKNOWN, text


def test_an_intended_live_vaccine_is_an_alternative_not_a_narrowing(vocab):
    # NCT07186842: Not(All(vaccine, Unparsed("... or intend to receive ..."))) would clear a patient who plans one
    _, node = parse_one(vocab, "exc", "Have received any live vaccine within 4 weeks prior to the first dose of IMP "
                                      "or intend to receive a live vaccine during the study.")
    assert verdict(node, lambda atom: NOT_MET) == UNKNOWN
    assert verdict(node, lambda atom: MET) == NOT_MET


def test_an_anaphylactic_reaction_is_narrower_than_any_allergy(vocab):
    # NCT06730750: a recorded allergy of unknown kind (a rash) to irinotecan does not show anaphylaxis
    status, node = parse_one(vocab, "exc", "History of anaphylactic reactions to irinotecan and/or bevacizumab.")
    assert status == "partly_structured"
    assert verdict(node, lambda atom: MET) == UNKNOWN
    assert verdict(node, lambda atom: NOT_MET) == MET


def test_an_inclusion_never_requires_taking_part_in_another_trial(vocab):
    # NCT06634875: an exclusion written under the inclusion heading; "must not be receiving" is still read
    assert parse_one(vocab, "inc", "Patients who are receiving any other investigational agents within 28 days "
                                   "before start of study treatment.")[0] == "unparsed"
    status, node = parse_one(vocab, "inc", "Patient must not be receiving any other investigational agents")
    assert status == "fully_structured" and verdict(node, lambda atom: MET) == NOT_MET
