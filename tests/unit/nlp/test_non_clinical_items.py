"""Items no record can answer (issue #5, brief I): tissue logistics and plans or agreements about
conception are non-clinical (context rules NON_CLINICAL "tissue for research" and "plans to conceive"),
a breastfeeding partner is not the patient's; the near misses that name a clinical requirement stay
clinical. Every text is an item of tests/data/trials/oncology-trials.jsonl (NCT id beside it), parsed
alone in its section through the public parser; the last test matches two real CodeX bundles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility

BUNDLES = Path(__file__).resolve().parents[2] / "data" / "bundles" / "codex" / "mcode-cql"


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


NON_CLINICAL = [
    # tissue logistics: a block, slides or a sample available, provided or submitted
    ("inc", "Availability of a representative tumor specimen for exploratory biomarker research"),  # NCT04584112
    ("inc", "Archived tumor tissue available."),  # NCT05501886
    ("inc", "Is able to provide archival tumor tissue sample collected either within 5 years or within the interval "
            "from completion of last treatment but before entering the screening period or newly obtained core or "
            "excisional biopsy of a tumor lesion not previously irradiated"),  # NCT04165070
    ("inc", "Participant consents to provide tumor specimen in a tissue block or unstained serial slides"),  # NCT05382559
    ("inc", "Will provide bone marrow aspirate sample for correlative research purposes"),  # NCT03516617
    ("inc", "Able to provide tumor tissue samples."),
    ("exc", "Patient does not have archival tissue available."),
    ("inc", "Participants must be offered the opportunity to participate in specimen banking"),
    # conception plans and agreements, of either sex
    ("exc", "Men who plan to father a child while in the study or within5 months after the last administration of "
            "study treatment"),  # NCT04657068
    ("exc", "Female participants planning to become pregnant or donate eggs while on study through 60 days after the "
            "last dose of study treatment."),
    ("exc", "Expecting to conceive or father children for the duration of the trial through 4 months after T cell "
            "infusion"),
    ("inc", "Male subjects must agree to use a condom during intercourse for the duration of study therapy"),
    ("inc", "Be abstinent from heterosexual intercourse as their preferred and usual lifestyle (abstinent on a long "
            "term and persistent basis) and agree to remain abstinent."),
    ("inc", "Must not plan pregnancy during the study"),
    # the partner's breastfeeding or pregnancy is not the patient's
    ("inc", "Male participant with female partner(s) of childbearing potential (including breastfeeding partner) must "
            "agree to use contraception throughout the treatment period and for 3 months after study intervention "
            "administration."),  # NCT05382559
    ("inc", "Male participant must agree to remain abstinent or use a condom with pregnant partner(s) for the duration "
            "of the pregnancy throughout the investigational period"),  # NCT07140016
    # a contraception period counted in half-lives is no washout
    ("inc", "WOCBP must agree to follow instructions for method(s) of contraception from the time of enrollment for "
            "the duration of treatment with study drug(s) plus 5 half-lives of study drug(s) plus 4 weeks (duration "
            "of ovulatory cycle) for a total of 5 months post treatment completion."),  # NCT05254184
    ("inc", "Men receiving the investigational drug and are sexually active with women of child-bearing potential (WCBP) "
            "must use contraception during treatment and for 5 half-lives after the last dose of the investigational "
            "drug."),  # NCT06362369
]


@pytest.mark.parametrize("section,text", NON_CLINICAL, ids=[t[:60] for _, t in NON_CLINICAL])
def test_items_no_record_answers_are_non_clinical(vocab, section, text):
    # an exclusion too is left bare: Not(Unparsed) is as UNKNOWN as Unparsed
    assert parse_one(vocab, section, text) == ("non_clinical", {"type": "unparsed", "text": text, "non_clinical": True})


STAY_CLINICAL = [
    ("inc", "Tumor must be PD-L1 positive on tissue"),  # what the tissue must show
    ("inc", "Archival tumor tissue available for central confirmation of HER2 status"),  # a marker confirmed
    ("inc", "Patients must have archival formalin-fixed paraffin-embedded (FFPE) tissue available for central "
            "confirmation of HER2 testing"),  # NCT04585958
    ("inc", "Patients with multicentric or bilateral disease are eligible if the subject is a candidate for clinically "
            "indicated neoadjuvant endocrine therapy. Samples from all available tumors are requested for research "
            "purposes."),  # NCT04568616: a disease and a treatment plan beside the samples
    ("inc", "Prior hormonal therapy (LHRH agonist/antagonist with or without first-generation antiandrogen) up to 6 "
            "weeks is permitted, provided any tumor biopsy specimen collected prior to initiation of ADT is made "
            "available for biomarker studies"),  # NCT05873192: a prior therapy
    ("exc", "Current severe urinary incontinence, hydronephrosis, severe voiding dysfunction, any level of urinary "
            "obstruction requiring indwelling/condom catheters."),  # a condom catheter is no contraception
    ("exc", "Prior known infertility; infertility is defined as one year of inability to conceive despite unprotected "
            "intercourse"),  # NCT00823654: a condition
    ("inc", "Women who are breastfeeding must agree to use contraception"),  # the patient's own breastfeeding
    ("exc", "Willing to comply with study procedures; any anticancer therapy within 5 half-lives prior to the first "
            "dose"),  # a washout in half-lives stays clinical
]


@pytest.mark.parametrize("section,text", STAY_CLINICAL, ids=[t[:60] for _, t in STAY_CLINICAL])
def test_near_misses_naming_a_clinical_requirement_stay_clinical(vocab, section, text):
    assert parse_one(vocab, section, text)[0] != "non_clinical"


def test_real_bundles_a_tissue_item_is_to_confirm_and_a_pregnancy_test_not_applicable_to_a_man(vocab):
    """Parse -> compile -> match: the tissue item is UNKNOWN to_confirm for both CodeX patients; the
    negative pregnancy test is met as not applicable for the man (patient 2) and UNKNOWN for the woman
    (patient 1, no pregnancy status recorded: to confirm, as the matcher reads a Pregnancy under Not)."""
    from trialmatch.catalogue import build_catalogue
    from trialmatch.domain import criteria as c
    from trialmatch.services import match_bundle

    text = ("Inclusion Criteria:\n\n* Archived tumor tissue available.\n"
            "* For females of childbearing potential, a negative urine pregnancy test must be documented\n")
    criteria = parse_eligibility(text, vocab).to_node()
    catalogue = build_catalogue([c.TrialCriteria(trial_id="T-NC", title="A trial", criteria=criteria)],
                                version="1", vocab=vocab)

    def leaves(name):
        bundle = json.loads((BUNDLES / name).read_text(encoding="utf-8"))
        result = match_bundle(bundle=bundle, as_of=date(2026, 11, 27), catalogue=catalogue, vocab=vocab)["results"][0]
        return [(ch["verdict"], [(m["item"], m["kind"]) for m in ch["missing"]]) for ch in result["criteria"]["children"]]

    tissue = ("unknown", [("Archived tumor tissue available.", "to_confirm")])
    assert leaves("mcode-extraction-patient-2.json") == [tissue, ("met", [])]
    assert leaves("mcode-extraction-patient-1.json") == [tissue, ("unknown", [("pregnancy status", "to_confirm")])]


def test_half_lives_are_clinical_only_as_a_washout():
    from trialmatch.nlp.context import default_context
    ctx = default_context()
    assert ctx.non_clinical("must use contraception during treatment and for 5 half-lives after the last dose")
    assert ctx.non_clinical("agree to use contraception for the duration of treatment plus 5 half-lives of study drug")
    assert not ctx.non_clinical("willing to stop any anticancer therapy at least 5 half-lives prior to the first dose")
    assert not ctx.non_clinical("willing to comply; no investigational agent within 28 days or 5 half-lives, "
                                "whichever is longer")
