"""The allergy builder (nlp/builders/allergy.py) through the public parser: hypersensitivity read from
real items of tests/data/trials/oncology-trials.jsonl (NCT id beside each), and the shapes that stay
Unparsed (substances the vocabulary lacks, wider words, inclusions)."""

from __future__ import annotations

import pytest

from trialmatch.domain.criteria_json import to_json
from trialmatch.nlp import parse_eligibility


def parse_one(vocab, section: str, text: str):
    heading = "Inclusion Criteria:" if section == "inc" else "Exclusion Criteria:"
    items = parse_eligibility(f"{heading}\n\n* {text}\n", vocab).criteria_items
    assert len(items) == 1
    return items[0].status, to_json(items[0].node)


def hyp(**kw):
    return {"type": "hypersensitivity", **kw}


def no(node):
    return {"type": "not", "item": node}


def u(text):
    return {"type": "unparsed", "text": text}


READ = [
    ("Hypersensitivity to pembrolizumab or any of its excipients", "fully_structured",
     no(hyp(drugs=["pembrolizumab"]))),  # NCT03428802
    ("Hypersensitivity to platinum agents", "fully_structured", no(hyp(classes=["platinum"]))),  # NCT04991025
    ("Known allergy or hypersensitivity to any component of the study drug", "fully_structured",
     no(hyp(study_treatment=True))),  # NCT06630234
    ("Known allergic reactions to components of the study intervention, cemiplimab and/or gemcitabine.",
     "fully_structured", no(hyp(drugs=["cemiplimab", "gemcitabine"], study_treatment=True))),
    # narrowing words stay beside the atom (All): a recorded allergy of unknown severity stays unknown
    ("History of an anaphylactic reaction to irinotecan.", "partly_structured",
     no({"type": "all", "items": [hyp(drugs=["irinotecan"]), u("anaphylactic")]})),
    ("Has severe hypersensitivity (≥Grade 3) to pembrolizumab and/or any of its excipients.", "partly_structured",
     no({"type": "all", "items": [hyp(drugs=["pembrolizumab"]), u("severe ( >= grade 3)")]})),
    # a part the vocabulary lacks is an unknown alternative (Any)
    ("Hypersensitivity to metformin, rosiglitazone, pembrolizumab or nivolumab", "partly_structured",
     no({"type": "any", "items": [hyp(drugs=["pembrolizumab", "nivolumab"]), u("metformin"), u("rosiglitazone")]})),
]

SIMILAR = "compounds of similar chemical or biologic composition"
# The NCI template: an allergy to the drug itself is one to a "compound of similar composition"; the similar
# compounds stay an Unparsed alternative, so the criterion excludes on a recorded allergy to the drug and
# never clears a patient (Any: a "no known drug allergy" leaves it open)
READ += [
    (f"History of allergic reactions attributed to {SIMILAR} to bevacizumab, paclitaxel, dostarlimab, or niraparib.",
     "partly_structured",  # NCT05065021
     no({"type": "any", "items": [hyp(drugs=["bevacizumab", "paclitaxel", "dostarlimab", "niraparib"]), u(SIMILAR)]})),
    (f"History of allergic reactions attributed to {SIMILAR} to study agent.", "partly_structured",  # NCT04690595
     no({"type": "any", "items": [hyp(study_treatment=True), u(SIMILAR)]})),
    (f"History of allergic reactions attributed to {SIMILAR} as the agents used in study.", "partly_structured",
     no({"type": "any", "items": [hyp(study_treatment=True), u(SIMILAR)]})),  # NCT05009992
    (f"History of allergic reactions attributed to {SIMILAR} to nivolumab or other agents used in study",
     "partly_structured",  # NCT04929028 (without its stratum label)
     no({"type": "any", "items": [hyp(drugs=["nivolumab"], study_treatment=True), u(SIMILAR)]})),
    # a drug the vocabulary lacks is one more unknown alternative (NCT04090567)
    (f"History of allergic reactions attributed to {SIMILAR} to Olaparib or ceralasertib.", "partly_structured",
     no({"type": "any", "items": [hyp(drugs=["olaparib"]), u("ceralasertib"), u(SIMILAR)]})),
    # the narrowing words stay beside it (NCT06157099)
    ("Participant who has a history of severe hypersensitivity (\\>= grade 3) attributed to "
     f"{SIMILAR} to atorvastatin or other agents used in the study", "partly_structured",
     no({"type": "all", "items": [
         {"type": "any", "items": [hyp(study_treatment=True), u("atorvastatin"), u(SIMILAR)]},
         u("severe ( >= grade 3)")]})),
]


@pytest.mark.parametrize("text, status, node", READ, ids=[x[0][:40] for x in READ])
def test_exclusions_read(vocab, text, status, node):
    assert parse_one(vocab, "exc", text) == (status, node)


NOT_READ = [
    # the similar-compounds template over substances the vocabulary lacks (NCT03219450), or an "and" (NCT04107077)
    ("exc", "History of allergic reactions attributed to compounds of similar chemical or biologic composition to "
            "poly-ICLC."),
    ("exc", "History of allergic reactions attributed to compounds of similar chemical or biologic composition to "
            "cisplatin and Mitomycin C."),
    ("exc", "History of allergic reactions attributed to compounds of similar chemical or biologic composition to "
            "any in the regimen"),  # NCT03494569
    # in an inclusion (NCT04858334) the negated template is not read, as the plain negated allergy is not
    ("inc", "Patient must not have any history of allergic reactions attributed to compounds of similar chemical or "
            "biological composition to olaparib"),
    ("exc", "Known allergy to berries."),  # NCT05273307: not a drug
    ("exc", "Known hypersensitivity to T-DXd, any of the excipients or other mAbs."),  # no monoclonal-antibody class
    ("exc", "Known allergy or hypersensitivity to contrast media that cannot be adequately medicated"),
    ("exc", "Intolerance or severe hypersensitivity (Grade >= 3) to pembrolizumab"),  # intolerance is wider
    ("exc", "Known or suspected hypersensitivity to BI-1808 or pembrolizumab"),  # suspected
    # an inclusion never requires an allergy: a misplaced exclusion is not read, and neither (for now) is the
    # negated inclusion (NCT06580314), which the builder cannot tell from it
    ("inc", "No known hypersensitivity to olaparib or any of the excipients of the product"),
    ("inc", "Known hypersensitivity to the study drugs or to any of the excipients"),
]


@pytest.mark.parametrize("section, text", NOT_READ, ids=[x[1][:40] for x in NOT_READ])
def test_not_read(vocab, section, text):
    status, node = parse_one(vocab, section, text)
    assert status == "unparsed" and node["type"] == "unparsed"
