"""Sentence-level readings, second round (issue #5, brief sent2): an exception tail folded into the
residual-toxicity atom; the clause reader's negation passed to the builders; a prohibition after a
permission; a scope after an atom; "and/or evidence of" alternatives; group sub-headings as scopes;
a qualifier before two metastatic sites. Texts are items of tests/data/trials/oncology-trials.jsonl
(NCT id beside each). Verdicts use the three-valued evaluation of test_sentence_readings (every
Unparsed UNKNOWN, as in the matcher)."""

from __future__ import annotations

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp import parse_eligibility
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.toxicity import build_residual_toxicity
from trialmatch.nlp.sections import CRITERION, HEADING, split_segments
from tests.unit.nlp.test_sentence_readings import MET, NOT_MET, UNKNOWN, parse_one, verdict

ALOPECIA = c.ToxicityException("alopecia")


def toxicity_facts(grade: int | None, term: str | None = None):
    """A patient whose worst residual toxicity of prior therapy is ``grade`` (None: none recorded) of ``term``."""
    def facts(atom):
        assert isinstance(atom, c.ResidualToxicity), atom
        if grade is None or grade <= atom.above_grade:
            return NOT_MET
        return NOT_MET if any(e.term == term and (e.max_grade is None or grade <= e.max_grade)
                              for e in atom.exceptions) else MET
    return facts


# ---- 1. exception tails folded into the atom -------------------------------------------------------

def test_exclusion_exception_tail_folds_into_the_atom(vocab):
    # NCT05168566
    status, node = parse_one(vocab, "exc", "Any unresolved toxicities from prior therapy greater than Grade 1 at the time "
                                           "of screening except alopecia.")
    assert status == "fully_structured"
    assert node == c.Not(c.ResidualToxicity(1, exceptions=(ALOPECIA,)))
    # a patient with grade 2 alopecia only is eligible; one with grade 2 neuropathy is not (before: UNKNOWN)
    assert verdict(node, toxicity_facts(2, "alopecia")) == MET
    assert verdict(node, toxicity_facts(2, "peripheral_neuropathy")) == NOT_MET


def test_inclusion_exception_tail_folds_into_the_atom(vocab):
    # NCT05642572
    status, node = parse_one(vocab, "inc", "Participants must have recovered (=\\< grade 1) from any side effects of prior "
                                           "therapy, except for alopecia and vitiligo")
    assert node == c.Not(c.ResidualToxicity(1, exceptions=(ALOPECIA, c.ToxicityException("vitiligo"))))
    assert verdict(node, toxicity_facts(3, "vitiligo")) == MET
    assert verdict(node, toxicity_facts(2, "fatigue")) == NOT_MET


def test_exception_tail_with_unknown_terms_stays_unparsed(vocab):
    # an exception the terms file does not hold stays beside the atom (never folded, never dropped)
    status, node = parse_one(vocab, "exc", "Any unresolved toxicities from prior therapy greater than Grade 1 at the time "
                                           "of screening except alopecia and stable endocrinopathies.")
    assert status == "partly_structured"
    assert c.Unparsed("except alopecia and stable endocrinopathies.") in node.item.items


def test_exception_after_another_atom_is_not_folded(vocab):
    status, node = parse_one(vocab, "inc", "Age >= 18 except alopecia")
    assert isinstance(node, c.Any) and isinstance(node.items[1], c.Unparsed)


# ---- 2. the reader's negation reaches the toxicity builder -------------------------------------------

def test_negated_recovery_in_exclusion_is_read(vocab):
    # NCT04219254: "Has not recovered ..." -> the residual toxicity excludes
    status, node = parse_one(vocab, "exc", "Has not recovered from AEs to at least Grade 1 by Common Terminology Criteria "
                                           "for Adverse Events v5.0 due to prior anti-cancer therapies.")
    assert status == "fully_structured"
    assert verdict(node, toxicity_facts(2)) == NOT_MET
    assert verdict(node, toxicity_facts(1)) == MET
    assert verdict(node, toxicity_facts(None)) == MET


def test_negated_recovery_with_baseline_and_exception(vocab):
    # NCT06177171
    status, node = parse_one(vocab, "exc", "Has not recovered from adverse events due to prior anti-cancer therapy to \\<= "
                                           "grade 1 (CTCAE v5.0) or baseline (other than alopecia).")
    atoms = [n for n in walk(node) if isinstance(n, c.ResidualToxicity)]
    assert atoms == [c.ResidualToxicity(1, exceptions=(ALOPECIA,), or_baseline=True)]
    assert verdict(node, toxicity_facts(2, "peripheral_neuropathy")) == NOT_MET


def test_requirement_in_exclusion_stays_unparsed(vocab):
    # "must have recovered" under an exclusion heading: a misplaced inclusion, not the negation
    status, _ = parse_one(vocab, "exc", "Patients must have recovered from toxicities of prior anticancer therapy to grade <= 1")
    assert status == "unparsed"


def test_negated_recovery_in_inclusion_stays_unparsed(vocab):
    # the qualifier reader offers the head without its negation; since round 7 the builder reads an inclusion's
    # ungraded recovery as Any(Not(ResidualToxicity(0)), Unparsed), never NOT_MET, so under the qualifier's
    # All(..., Unparsed) the item can never be decided
    status, node = parse_one(vocab, "inc", "Has not recovered from toxicities of prior therapy to grade <= 1")
    assert status == "unparsed" or node == c.Not(c.All((
        c.Any((c.Not(c.ResidualToxicity(above_grade=0)), c.Unparsed("recovered from toxicities of prior therapy"))),
        c.Unparsed("to grade <= 1"))))


def test_builder_reads_the_negated_flag():
    text = "recovered from toxicities of prior anticancer therapy to grade <= 1"
    assert build_residual_toxicity(Clause(text, None, "exclusion")) is None
    assert build_residual_toxicity(Clause(text, None, "exclusion", negated=True)) == \
        c.Not(c.ResidualToxicity(1))


def test_negated_recovery_under_a_qualifier_stays_unparsed(vocab):
    # NCT04165070: the qualifier narrows the toxicities inside the negation; read as Not(All(Not(atom), U)) it
    # would widen the exclusion, so the head of a qualified clause is not read as negated
    status, _ = parse_one(vocab, "exc", "Has had chemotherapy or biological cancer therapy within 4 weeks before the first "
                                        "dose of study treatment or has not recovered to Common Terminology Criteria for "
                                        "Adverse Events (CTCAE) Grade 1 or better from the AEs due to cancer therapeutics "
                                        "administered more than 4 weeks before the first dose of study treatment")
    assert status == "unparsed"




def atom_facts(**truth):
    """MET / NOT_MET per atom, keyed by a short name the test gives each atom it may meet."""
    def facts(atom):
        for name, (pred, value) in truth.items():
            if pred(atom):
                return value
        return NOT_MET
    return facts


# ---- 3. a prohibition after a permission of the head --------------------------------------------------

def test_prohibition_after_a_permission_is_its_own_exclusion(vocab):
    # NCT04390737: a patient on apixaban-like anticoagulant without warfarin was cleared (Not(All(warfarin, ...)))
    status, node = parse_one(vocab, "exc", "Concurrent use of therapeutic warfarin is allowed. However, anticoagulants that "
                                           "do not have reversal agents available are prohibited except low molecular "
                                           "weight heparin and direct oral anticoagulants.")
    assert verdict(node, atom_facts()) == UNKNOWN  # no warfarin: the prohibition is still to confirm
    assert isinstance(node.item, c.Any)
    assert c.Unparsed("However, anticoagulants that do not have reversal agents available are prohibited except low "
                      "molecular weight heparin and direct oral anticoagulants.") in node.item.items


def test_prohibition_taking_back_an_exception_stays_part_of_it(vocab):
    # NCT03474497: the live-vaccine window still clears a patient with no vaccine
    status, node = parse_one(vocab, "exc", "Has received a live vaccine within 30 days of planned start of study therapy. "
                                           "Note: Seasonal influenza vaccines for injection are generally inactivated flu "
                                           "vaccines and are allowed; however intranasal influenza vaccines (e.g., "
                                           "Flu-Mist®) are live attenuated vaccines, and are not allowed.")
    assert verdict(node, atom_facts()) == MET


# ---- 5. "and/or evidence of" opens an alternative ------------------------------------------------------

def test_and_or_evidence_of_opens_an_alternative(vocab):
    # NCT05996107: a patient with a local recurrence and no distant metastasis was cleared
    status, node = parse_one(vocab, "exc", "Patient with distant metastases of breast cancer beyond regional lymph nodes "
                                           "and/or evidence of breast cancer recurrence prior to study enrollment.")
    assert verdict(node, atom_facts()) == UNKNOWN
    assert c.Unparsed("evidence of breast cancer recurrence prior to study enrollment") in node.item.items


def test_or_history_of_opens_an_alternative(vocab):
    # NCT04787042: radiation pneumonitis years ago, no recent radiotherapy: not cleared
    status, node = parse_one(vocab, "exc", "Prior radiotherapy within 2 weeks of start of study treatment or history of "
                                           "radiation pneumonitis.")
    assert verdict(node, atom_facts()) == UNKNOWN
    recent_rt = atom_facts(rt=(lambda a: isinstance(a, c.Procedure), MET))
    assert verdict(node, recent_rt) == NOT_MET


# ---- 7. a qualifier before two sites that share the noun ------------------------------------------------

def _met_at(site: str, qualifier: str | None):
    """A patient with metastases at ``site``, of ``qualifier`` status (None: treated / not that)."""
    def facts(atom):
        assert isinstance(atom, c.Metastasis)
        if atom.site != site:
            return NOT_MET
        return MET if atom.qualifier in (None, qualifier) else NOT_MET
    return facts


def test_qualifier_before_two_sites_is_both_or_open(vocab):
    status, node = parse_one(vocab, "exc", "Untreated brain or liver metastases")
    assert status == "partly_structured"
    assert verdict(node, _met_at("liver", "untreated")) == NOT_MET  # both readings exclude
    assert verdict(node, _met_at("liver", None)) == UNKNOWN  # treated liver: excluded only if "untreated" stops at brain
    assert verdict(node, _met_at("brain", None)) == MET
    assert verdict(node, _met_at("bone", None)) == MET


def test_sites_with_their_own_noun_keep_the_qualifier_where_written(vocab):
    status, node = parse_one(vocab, "exc", "Untreated brain metastases or liver metastases")
    assert node == c.Not(c.Any((c.Metastasis(site="brain", qualifier="untreated"), c.Metastasis(site="liver"))))


# ---- 4. a scope after an atom in an inclusion ------------------------------------------------------------

def _kps(value: int):
    def facts(atom):
        assert isinstance(atom, c.PerformanceStatus)
        return MET if value >= atom.min else NOT_MET
    return facts


def test_regimen_scope_after_an_atom_decides_only_when_met(vocab):
    # NCT06680661: a KPS 70 patient for the Flu/Treo/TBI regimen was failed by the Flu/Cy/Thio/TBI requirement
    status, node = parse_one(vocab, "inc", "KPS \\> or equal to 80 for Flu/Cy/Thio/TBI; KPS \\> 60 for Flu/Treo/TBI")
    assert verdict(node, _kps(70)) == UNKNOWN  # which regimen? to confirm
    assert verdict(node, _kps(90)) == MET
    assert c.Any((c.Unparsed("for Flu/Cy/Thio/TBI"), c.PerformanceStatus(min=80, scale="Karnofsky"))) in node.items


def test_phase_and_study_scopes(vocab):
    # NCT05684965, NCT01365169
    _, node = parse_one(vocab, "inc", "ECOG performance status of 0-2 for Phase 1")
    assert node == c.Any((c.Unparsed("for Phase 1"), c.PerformanceStatus(max=2)))
    _, node = parse_one(vocab, "inc", "Age 18 years or older (TAPS study)")
    assert node == c.Any((c.Unparsed("(TAPS study)"), c.Age(min=18)))


def test_narrowing_for_stays_a_narrowing(vocab):
    # "for metastatic disease" says which chemotherapy counts: the atom stays necessary
    _, node = parse_one(vocab, "inc", "Prior chemotherapy for metastatic disease")
    assert isinstance(node, c.All)
    # a marker with one slash is no regimen
    _, node = parse_one(vocab, "inc", "ECOG 0-1 for HER2/neu positive disease")
    assert not (isinstance(node, c.Any) and isinstance(node.items[0], c.Unparsed))


def test_scope_in_exclusion_stays_a_narrowing(vocab):
    # in an exclusion Not(All(atom, scope)) already excludes only inside the scope
    _, node = parse_one(vocab, "exc", "ECOG performance status of 3 or more for Phase 2")
    assert not any(isinstance(n, c.Any) for n in walk(node))


# ---- 6. group / cohort / arm / phase labels scope the items under them ------------------------------------

def test_group_labels_scope_their_items(vocab):
    # NCT04785989: "No previous history of cancer" is Group A's (healthy controls) only
    text = ("Inclusion Criteria:\n\nGroup A\n\n* Adult (18 years of age or older)\n* No previous history of cancer\n\n"
            "Group B\n\n* Diagnosis of CLL with low disease burden\n* Treatment naïve\n\n"
            "Exclusion Criteria:\n\nFor all participants\n\n* Prisoners\n* History of diabetes\n")
    items = {it.text: it for it in parse_eligibility(text, vocab).criteria_items}
    assert items["No previous history of cancer"].scope == "Group A"
    assert items["Treatment naïve"].scope == "Group B"
    assert items["History of diabetes"].scope is None
    node = items["No previous history of cancer"].node
    assert isinstance(node, c.Any) and node.items[0] == c.Unparsed("Group A")
    # a CLL patient (a cancer on record) is no longer failed by the controls' item
    assert verdict(node, lambda atom: MET) == UNKNOWN


@pytest.mark.parametrize("label", ["Group A", "Cohort 6a", "Phase II", "Arm 5 only", "For Arm 2", "Group 1 (Arm 1 or Arm 2)",
                                   "Phase 1 \\[closed to enrollment\\]", "Dose Escalation Part (Metastatic 1L sqNSCLC)"])
def test_label_shapes_are_scoping_sub_headings(label):
    segs = split_segments(f"Inclusion Criteria:\n\n{label}\n\n* Age >= 18 years\n")
    assert [s.kind for s in segs] == [HEADING, HEADING, CRITERION]
    assert segs[2].scope == label


@pytest.mark.parametrize("line", ["All cohorts:", "For all participants", "All Cohorts:"])
def test_all_labels_scope_nobody(line):
    segs = split_segments(f"Inclusion Criteria:\n\nCohort 1\n\n* ECOG 0-1\n\n{line}\n\n* Age >= 18 years\n")
    assert segs[-1].kind == CRITERION and segs[-1].scope is None


def test_criteria_opening_with_a_label_stay_items():
    # "Phase 2: Active brain metastases" says something itself: an item (its label read by the parser)
    segs = split_segments("Exclusion Criteria:\n\n* Phase 2: Active brain metastases\n* Group A participants with HIV\n")
    assert [s.kind for s in segs] == [HEADING, CRITERION, CRITERION]


def test_subprotocol_scope_after_a_cancer_or_variant_decides_only_when_met(vocab):
    # NCT06445062 / NCT06162221: a sub-protocol's requirement ("(Subprotocol D, E, F)") read All made the
    # RAS G12D variant necessary for the patients of every other sub-protocol (a wrong "ineligible");
    # a cohort named after a cancer ("Urothelial carcinoma (Cohort B)") is the same: other cohorts
    # may enrol other cancers
    _, node = parse_one(vocab, "inc", "Presence of RAS G12D mutation (Subprotocol D, E, F)")
    assert isinstance(node, c.Any) and node.items[0] == c.Unparsed("(Subprotocol D, E, F)")
    assert {a.gene for a in node.items[1].items} == {"KRAS", "NRAS", "HRAS"}
    _, node = parse_one(vocab, "inc", "Urothelial carcinoma (Cohort B)")
    assert isinstance(node, c.Any) and node.items[0] == c.Unparsed("(Cohort B)")
    assert isinstance(node.items[1], c.CancerType)


def test_a_window_on_a_middle_part_of_a_list_is_not_given_or_denied_to_the_parts_before_it(vocab):
    # NCT04887805: read as Any(unstable angina ever, myocardial infarction ever, stroke within 6 months, ...),
    # an infarction ten years ago excluded; the window may reach it or not: not read
    status, node = parse_one(vocab, "exc", "Significant cardiovascular impairment: history of congestive heart failure "
                             "greater than New York Heart Association (NYHA) Class II, unstable angina, myocardial infarction "
                             "or stroke within 6 months of the first dose of study drug, or cardiac arrhythmia requiring "
                             "medical treatment at Screening")
    assert status == "unparsed"


def test_leading_narrowing_words_of_a_condition_list_may_reach_every_part(vocab):
    # NCT06218914: "clinically significant" may reach "heart failure" too: a heart failure record alone no longer
    # excludes (read wide, any heart failure did); no cardiac record of either kind still decides
    text = ("History of clinically significant cardiac disease within the 6 months prior to enrollment or heart failure "
            "at any time prior to enrollment.")
    _, node = parse_one(vocab, "exc", text)

    def heart_failure_only(atom):
        # a heart failure record: the atom is met, or to confirm when it names a state (the matcher's reading)
        if isinstance(atom, c.Condition):
            if "heart_failure" not in atom.keys:
                return NOT_MET
            return UNKNOWN if atom.qualifier else MET
        return UNKNOWN

    assert verdict(node, heart_failure_only) == UNKNOWN
    assert verdict(node, lambda atom: NOT_MET) == MET  # neither: the exclusion does not apply
    assert any(isinstance(n, c.Condition) and n.keys == ("heart_failure",) and n.qualifier == "clinically_significant"
               for n in walk(node))


def test_participants_with_aes_must_have_recovered_is_the_residual_toxicity_requirement(vocab):
    # NCT06074588 (KEYNOTE template): the subgroup "participants who have AEs due to previous anticancer
    # therapies" is the atom's own subject: a patient without such AEs meets it, so the requirement is whole
    status, node = parse_one(vocab, "inc", "Participants who have AEs due to previous anticancer therapies must have "
                                           "recovered to Grade ≤1 or baseline.")
    assert status == "fully_structured"
    assert node == c.Not(c.ResidualToxicity(above_grade=1, or_baseline=True))
    # NCT06312137: the permission after it widens (the requirement decides only when met)
    _, node = parse_one(vocab, "inc", "Participants who have AEs due to previous anticancer therapies must have recovered "
                                      "to ≤Grade 1 or baseline. Participants with endocrine-related AEs who are adequately "
                                      "treated with hormone replacement are eligible")
    assert isinstance(node, c.Any) and node.items[0] == c.Not(c.ResidualToxicity(above_grade=1, or_baseline=True))
    # another subgroup keeps the subgroup reading (not this)
    _, node = parse_one(vocab, "inc", "Participants with known diabetes must have HbA1c <= 8%")
    assert not (isinstance(node, c.Not) and isinstance(node.item, c.ResidualToxicity))


@pytest.mark.parametrize("section, text", [
    # NCT05950945: cut at "(other than alopecia)", the sentence lost its requirement (unparsed)
    ("exc", "Has unresolved toxicities from previous anticancer therapy, defined as toxicities (other than alopecia) "
            "not yet resolved to Grade ≤1 or baseline."),
    # NCT06176261
    ("exc", "Ongoing/persistent toxicities caused by previous anti-cancer therapy (except alopecia) not yet improved to "
            "Grade ≤ 1 OR baseline prior to study entry (registration)"),
])
def test_a_bracketed_toxicity_exception_mid_sentence_is_the_atoms_own(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "fully_structured"
    assert node == c.Not(c.ResidualToxicity(above_grade=1, exceptions=(c.ToxicityException("alopecia"),),
                                            or_baseline=True))


def test_a_bracketed_exception_mid_sentence_of_another_reading_is_still_cut(vocab):
    # no residual-toxicity reading: the exception stays beside the head (never dropped)
    _, node = parse_one(vocab, "exc", "Major surgery (except for placement of vascular access) within 4 weeks of "
                                      "first dose")
    assert any(isinstance(n, c.Unparsed) and "vascular access" in n.text for n in walk(node))


def test_two_scope_labels_joined_by_and_are_a_scope(vocab):
    # NCT06162221 (audit): "(Subprotocol C and Subprotocol D)" read All made RAS G12D necessary for the patients of
    # every sub-protocol: a KRAS G12C lung cancer patient (Subprotocol B) was read "ineligible"
    _, node = parse_one(vocab, "inc", "Must have pathologically documented, locally advanced or metastatic RAS "
                                      "G12D-mutated NSCLC (Subprotocol C and Subprotocol D)")
    assert isinstance(node, c.Any) and node.items[0] == c.Unparsed("(Subprotocol C and Subprotocol D)")


def test_an_alternative_of_the_heads_kind_inside_the_qualifier_keeps_the_head_from_being_necessary(vocab):
    # NCT04300556 (audit): "... requiring drainage or ascites requiring peritoneal shunt": read All(effusions,
    # Unparsed(rest)), a patient with ascites needing a shunt and resolved effusions was cleared
    status, _ = parse_one(vocab, "exc", "Clinically significant pleural or pericardial effusion requiring drainage or "
                                        "ascites requiring peritoneal shunt.")
    assert status == "unparsed"
    # a qualifier whose "or" names no other concept of the head's kind keeps the head necessary (NCT06141031)
    _, node = parse_one(vocab, "inc", "Patients must have pathologically confirmed pancreatic adenocarcinoma with "
                                      "borderline resectable or locally advanced PDAC as defined by NCCN guidelines, with "
                                      "no expected arterial resection-reconstruction.")
    assert isinstance(node, c.All) and isinstance(node.items[0], c.CancerType)


@pytest.mark.parametrize("text", [
    # NCT06083883 (audit): an anticoagulated patient with INR 2.5 was read "ineligible"
    "INR ≤ 1.5 ULN and aPTT ≤ 1.5 ULN. Patients on therapeutic doses of anticoagulation medication must have INR "
    "and/or aPTT ≤ the upper limit of the therapeutic range for intended use.",
    # NCT06116682: the liver-metastasis group's limit in a sentence of its own
    "Aspartate aminotransferase (AST) and alanine aminotransferase (ALT) ≤ 3 × institutional ULN. Participants with "
    "history of liver metastasis must have AST and ALT ≤ 5 x ULN (within 28 days prior to sub-study registration)",
])
def test_a_subgroups_own_limit_of_the_same_lab_widens_the_limit_before(vocab, text):
    _, node = parse_one(vocab, "inc", text)
    assert isinstance(node, c.Any) and isinstance(node.items[-1], c.Unparsed)
    labs = [n for n in walk(node.items[0]) if isinstance(n, c.Lab)]
    assert labs and verdict(node, lambda atom: NOT_MET if isinstance(atom, c.Lab) else UNKNOWN) == UNKNOWN


def test_a_subgroup_sentence_on_another_lab_stays_a_requirement_of_its_own(vocab):
    _, node = parse_one(vocab, "inc", "Hemoglobin >= 9 g/dL. Patients with HIV must have CD4 count > 350.")
    assert isinstance(node, c.All)
    assert verdict(node, lambda atom: NOT_MET if isinstance(atom, c.Lab) else UNKNOWN) == NOT_MET


def test_entries_each_a_separate_arm_are_alternatives(vocab):
    # NCT04300556 (audit): the arms' requirements read All made endometrial cancer necessary for the TNBC,
    # NSCLC and ovarian cancer arms' patients
    text = ("Inclusion Criteria:\n\n* Participants with the following tumor types, each as a separate arm:\n"
            "   * Endometrial cancer\n   * Triple negative breast cancer\n")
    items = parse_eligibility(text, vocab).criteria_items
    assert len(items) == 1
    node = items[0].node
    arms = next(n for n in walk(node) if isinstance(n, c.Any))
    assert c.CancerType(("UCEC",)) in arms.items and len(arms.items) == 2


def test_a_higher_legal_age_beside_an_age_limit_keeps_the_age_necessary(vocab):
    # NCT06117774 (audit): "(or >= legal age within the country if it is older than 18 years)" read as an
    # alternative let an 18-year-old meet it where the age of majority is 19 or 21
    _, node = parse_one(vocab, "inc", "Age ≥ 18 years (or ≥ legal age within the country if it is older than 18 years).")
    assert isinstance(node, c.All) and node.items[0] == c.Age(min=18)
    # a legal age that may be lower stays an alternative
    _, node = parse_one(vocab, "inc", "Age >= 18 years (or the legal age of majority if it is lower than 18 years)")
    assert not isinstance(node, c.All)


def test_sub_headings_in_a_list_of_alternatives_keep_their_entries_under_them(vocab):
    # NCT05520099 (audit): read flat, "Kidney: ccRCC" under "... recurrent, locally advanced or metastatic cancer:" was an
    # alternative of its own, so a localised ccRCC met the list
    text = ("Inclusion Criteria:\n\n* Subjects must meet one of the following criteria:\n"
            "   * Subjects suspected or diagnosed with recurrent, locally advanced or metastatic cancer:\n"
            "     * Bladder: Urothelial Carcinoma (UC)\n     * Kidney: Clear Cell Renal Cell Carcinoma (ccRCC)\n"
            "   * Subjects suspected or diagnosed with recurrent or metastatic cancer:\n"
            "     * Liver: Hepatocellular Carcinoma (HCC)\n")
    items = parse_eligibility(text, vocab).criteria_items
    assert len(items) == 1
    node = items[0].node

    def ccrcc_only(atom):
        if isinstance(atom, c.CancerType):
            return MET if "CCRCC" in atom.codes else NOT_MET
        return UNKNOWN

    assert verdict(node, ccrcc_only) == UNKNOWN  # its extent is not read: to confirm, never MET on the type alone
    assert verdict(node, lambda atom: NOT_MET if isinstance(atom, c.CancerType) else UNKNOWN) == NOT_MET
