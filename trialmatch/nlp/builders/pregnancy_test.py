"""A pregnancy test's result as the pregnancy status it shows (the labels' reading: "negative pregnancy
test" = not pregnant, tests/data/nlp-labels).

- Inclusion "(women of childbearing potential must have a) negative (serum or urine) pregnancy test
  (for women of childbearing potential)" -> ``Not(Pregnancy())``.
- Exclusion "positive (serum) pregnancy test" -> ``Pregnancy()`` (the parser wraps it in Not).
- The same result said after the test ("a serum pregnancy test must be negative", "a negative urine
  pregnancy test must be documented", "negative results on a pregnancy test", "... is required").

The subgroup words ("of childbearing potential", "if female") are left out: a pregnancy implies
childbearing potential, so ``Not(Pregnancy())`` gives the same verdict with or without them (for a woman
outside the subgroup it is MET or UNKNOWN, never NOT_MET: only a recorded pregnancy makes it NOT_MET, and
she is in the subgroup). How the test is taken (serum, urine, beta-hCG, qualitative) and a rationale
("because of the potentially dangerous effects ...") add nothing; nor does the hormone spelled out
("beta human chorionic gonadotropin [hCG]") or the assay's sensitivity in brackets ("(minimum sensitivity
25 IU/L or equivalent units of HCG)"). A time window ("within 7 days prior to registration") is left to the
qualifier pattern, which keeps it beside the atom (the matcher's own pregnancy-test window is 14 days,
matching/data/freshness.yaml); a window written with a comparator ("done <= 14 days prior to registration",
"(within 72 hours)"), which that pattern does not read, is kept here beside the atom the same way:
``All(atom, Unparsed(window))``, never dropped. A negative test in an exclusion (a misplaced inclusion) and a
positive one in an inclusion have no safe reading and stay unparsed.

Source for what a pregnancy test is and what its result means: Morse JE et al., "Evidence-based pregnancy
testing in clinical trials: Recommendations from a multi-stakeholder development process" (CTTI), PLoS ONE
2018;13(9):e0202474, doi:10.1371/journal.pone.0202474 (CC BY): the test detects hCG (urine or serum, with
a stated detection threshold), and its purpose at enrolment is "confirming non-pregnant state", so the
assay, the specimen and the threshold are how the protocol checks, not who is eligible. The matcher gives
``Pregnancy`` NOT_MET ("not applicable") for a male patient.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c

_WHO = (r"(?:(?:female |women |woman |females |female )?(?:participants?|patients?|persons?|subjects?|individuals?|women|woman|"
        r"females?) (?:who are (?:women|females?) )?of (?:child-?bearing|childbearing|reproductive) (?:potential|age)"
        r"(?: \((?:wocbp|focbp|pcbp|pocbp)\))?"
        r"|(?:all )?(?:participants?|patients?|persons?|subjects?|individuals?) (?:with|who have|who are of) (?:child-?bearing|reproductive) "
        r"potential|(?:(?:with|who have|of) )?(?:child-?bearing|childbearing|reproductive) (?:potential|age)|(?:a )?(?:female|woman) of (?:child-?bearing|childbearing|reproductive) "
        r"(?:potential|age)(?: \((?:wocbp|focbp)\))?|(?:all )?(?:wocbp|focbp|pcbp|pocbp))"
        # a definition of the subgroup adds nothing (a pregnancy implies childbearing potential)
        r"(?: \((?:defined as|i\.?e\.?,?|see) [^()]*\))?")
# who takes the test, before it
_SUBGROUP = rf"(?:(?:for|in|if) (?:all |the patient is )?(?:a )?{_WHO}[,:]? |if female,? )"
_LEAD = (rf"^(?:{_SUBGROUP}|(?:an? |all )?{_WHO},? (?:who (?:has|have) |with )?)?"
         r"(?:(?:must|should|will|shall|(?:is|are) required to) )?(?:(?:have|has|demonstrate|undergo|require|requires|confirm) )?"
         r"(?:had )?(?:evidence of )?(?:a |an )?(?:confirmed |documented )?")
_SPECIMEN = r"(?:serum|urine|urinary|blood)"
# human chorionic gonadotropin, spelled out or abbreviated, its abbreviation in brackets after it
_HCG = (r"(?:(?:beta|β|ß|b)[- ]?)?(?:human chorionic gonadotropin|hcg)"
        r"(?: \[(?:(?:beta|β|ß|b)[- ]?)?hcg\]| \((?:(?:beta|β|ß|b)[- ]?)?hcg\))?")
_ONE_SPECIMEN = rf"{_SPECIMEN}(?: {_HCG}| \({_HCG}\))?(?: \(preferred\))?"
_SPECIMENS = rf"{_ONE_SPECIMEN}(?:(?: or | and/or |/){_ONE_SPECIMEN})?"
# how the test is taken, in brackets after it (the specimen, the hormone, the assay's sensitivity) or "by urine"
_HOW = (rf"(?: \((?:{_SPECIMEN}(?: {_HCG})?(?: or {_SPECIMEN})?|{_HCG}|(?:with a )?(?:minimum )?sensitivity [^()\[\]]*(?:\[[^()\[\]]*\])?[^()\[\]]*)\)"
        rf"| by {_SPECIMEN}(?: or {_SPECIMEN})?)?")
_TEST = (rf"(?:(?:qualitative|quantitative|highly sensitive) )?(?:{_SPECIMENS} )?(?:{_HCG} )?pregnancy test(?: results?)?{_HOW}")
_RESULT_OF = r"(?:results? (?:on|of|for|in|from) (?:a |the )?)?"  # "negative results for pregnancy test"
_FOR_WHOM = (rf"(?:,? (?:for|in) (?:all )?(?:{_WHO}|women|females?|female (?:patients|participants|subjects))(?: only)?"
             rf"|,? \((?:if female|for {_WHO}(?: only)?)\)|,? if female|,? \(if applicable\))?")
# a window with a comparator or in brackets (the qualifier pattern reads "within 7 days ..." before this builder);
# never across "or"/"and": "positive test (within 72 hours) prior to treatment or breast-feeding women" is two exclusions
_WINDOW = (r"(?P<window> (?:done |performed |obtained |taken |collected )?(?:(?:<=|<) ?\d+ (?:hours?|hrs?|days?|weeks?)"
           r"|\(within \d+ (?:hours?|hrs?|days?)\)|within (?:<=|<) ?\d+ (?:hours?|hrs?|days?|weeks?))(?: (?:prior to|before|of) (?:(?!\b(?:or|and)\b)[a-z0-9 -]){1,50}?)?)?")
_WHY = r"(?:,? because\b.*)?"
_NEGATIVE = re.compile(rf"{_LEAD}(?:be )?negative (?:(?:for|on) (?:a |the )?)?{_RESULT_OF}{_TEST}(?: at screening)?{_FOR_WHOM}{_WINDOW}{_FOR_WHOM}"
                       rf"(?: (?:is|are) required)?{_WHY}$")
# the result after the test: "a serum pregnancy test must be negative", "a negative ... test must be documented"
_NEGATIVE_AFTER = (
    re.compile(rf"^{_SUBGROUP}?(?:a |an )?negative {_TEST}{_WINDOW} (?:must|should|will|shall) be "
               rf"(?:documented|established|confirmed|obtained|available|demonstrated){_FOR_WHOM}$"),
    re.compile(rf"^{_SUBGROUP}?(?:a |an )?{_TEST}{_WINDOW} (?:must|should|will|shall) be negative{_FOR_WHOM}$"))
_POSITIVE = re.compile(rf"{_LEAD}positive (?:screening )?{_RESULT_OF}{_TEST}(?: performed)?(?: at screening)?{_WINDOW}{_FOR_WHOM}$")


def build_pregnancy_test(text: str, section: str) -> c.Node | None:
    """``text``: the clause (normalised, subject words removed); None when it is not wholly a test result."""
    if section == "inclusion":
        m = _NEGATIVE.match(text) or _NEGATIVE_AFTER[0].match(text) or _NEGATIVE_AFTER[1].match(text)
        return _with_window(c.Not(c.Pregnancy()), m) if m else None
    if section == "exclusion":
        m = _POSITIVE.match(text)
        return _with_window(c.Pregnancy(), m) if m else None
    return None


def _with_window(node: c.Node, m: re.Match) -> c.Node:
    """The atom, with the test's own window kept beside it (it may be narrower than the matcher's)."""
    window = (m.group("window") or "").strip()
    return c.All((node, c.Unparsed(window))) if window else node
