"""A pregnancy test's result as the pregnancy status it shows (the labels' reading: "negative pregnancy
test" = not pregnant, tests/data/nlp-labels).

- Inclusion "(women of childbearing potential must have a) negative (serum or urine) pregnancy test
  (for women of childbearing potential)" -> ``Not(Pregnancy())``.
- Exclusion "positive (serum) pregnancy test" -> ``Pregnancy()`` (the parser wraps it in Not).

The subgroup words ("of childbearing potential", "if female") are left out: a pregnancy implies
childbearing potential, so ``Not(Pregnancy())`` gives the same verdict with or without them (for a woman
outside the subgroup it is MET or UNKNOWN, never NOT_MET: only a recorded pregnancy makes it NOT_MET, and
she is in the subgroup). How the test is taken (serum, urine, beta-hCG, qualitative) and a rationale
("because of the potentially dangerous effects ...") add nothing. A time window ("within 7 days prior to
registration") is not read here: it is left to the qualifier pattern, which keeps it beside the atom (the
matcher's own pregnancy-test window is 14 days, matching/data/freshness.yaml). The matcher gives
``Pregnancy`` NOT_MET ("not applicable") for a male patient.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c

_WHO = (r"(?:(?:female |women |woman |females |female )?(?:participants?|patients?|persons?|subjects?|individuals?|women|woman|"
        r"females?) (?:who are (?:women|females?) )?of (?:child-?bearing|childbearing|reproductive) (?:potential|age)"
        r"(?: \((?:wocbp|focbp|pcbp|pocbp)\))?"
        r"|(?:all )?(?:participants?|patients?|persons?|subjects?|individuals?) (?:with|who have|who are of) (?:child-?bearing|reproductive) "
        r"potential|(?:(?:with|who have|of) )?(?:child-?bearing|childbearing|reproductive) potential|(?:a )?(?:female|woman) of (?:child-?bearing|childbearing|reproductive) "
        r"(?:potential|age)(?: \((?:wocbp|focbp)\))?|wocbp|focbp|pcbp|pocbp)")
_LEAD = (rf"^(?:(?:for|in|if) (?:all |the patient is )?(?:a )?{_WHO},? |if female,? |(?:an? )?{_WHO},? (?:who (?:has|have) |with )?)?"
         r"(?:(?:must|should|will|shall) )?(?:(?:have|has|demonstrate|undergo|require|requires) )?(?:had )?(?:a |an )?"
         r"(?:confirmed |documented )?")
_SPECIMEN = r"(?:serum|urine|urinary|blood)"
_TEST = (rf"(?:(?:qualitative|quantitative|highly sensitive) )?(?:{_SPECIMEN}(?: or {_SPECIMEN}|/{_SPECIMEN})? )?"
         r"(?:(?:beta[- ]?|β-?|b-?)?hcg )?pregnancy test(?: results?)?"
         rf"(?: \({_SPECIMEN}(?: or {_SPECIMEN})?\)| by {_SPECIMEN}(?: or {_SPECIMEN})?)?")
_FOR_WHOM = (rf"(?:,? (?:for|in) (?:all )?{_WHO}(?: only)?|,? \((?:if female|for {_WHO}(?: only)?)\)|,? if female"
             r"|,? \(if applicable\))?")
_WHY = r"(?:,? because\b.*)?"
_NEGATIVE = re.compile(rf"{_LEAD}negative {_TEST}{_FOR_WHOM}{_WHY}$")
_POSITIVE = re.compile(rf"{_LEAD}positive {_TEST}(?: performed)?(?: at screening)?{_FOR_WHOM}$")


def build_pregnancy_test(text: str, section: str) -> c.Node | None:
    """``text``: the clause (normalised, subject words removed); None when it is not wholly a test result."""
    if section == "inclusion" and _NEGATIVE.match(text):
        return c.Not(c.Pregnancy())
    if section == "exclusion" and _POSITIVE.match(text):
        return c.Pregnancy()
    return None
