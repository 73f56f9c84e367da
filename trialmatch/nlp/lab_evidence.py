"""How an exception or aside after a lab bears on its evidence: whether it says which measurement
counts (a narrowing: the lab stays necessary) or who else meets the value (a widening), or both.
Read by the sentence reader (exception sentences) and the qualifier reader (asides)."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk

# An exception after a lab that speaks of the measurement: how it was obtained (transfusion, growth
# factor support, which values count). It may narrow the evidence ("excluding measurements within 3
# days after transfusion", "transfusion is not allowed within 1 week prior to screening") or widen
# who meets the value ("may be transfused to reach this cut-off", "any degree of anemia is allowed").
_EVIDENCE = re.compile(r"\b(?:transfus\w*|growth[- ]factors?|g-?csf|filgrastim|pegfilgrastim|erythropoie\w*|"
                       r"colony[- ]stimulating|support\w*|measurements?|measured|values?|results?|obtained|samples?)\b")
_NARROWS = re.compile(r"\bexcluding\b|\bno\b[^.;()]{0,60}?\b(?:allowed|permitted|acceptable|allowable)\b|"
                      r"\bnot (?:be )?(?:allowed|permitted|acceptable|allowable|eligible)\b|\bwithout\b|\bindependent\b|"
                      r"\bnot (?:be )?(?:receiving|received|have received|used|given)\b|\bmust not\b|"
                      r"\bno (?:more than|transfusions?|growth)\b|\bonly\b|\bat least \d+ (?:days?|weeks?) (?:after|from|since)\b")
# a time limit on the support itself ("can be transfused up to 1 week prior to enrollment"); the
# date of the measurement ("obtained within 14 days prior to registration") is the lab's own window
_SUPPORT_TIMED = re.compile(
    r"\b(?:transfus\w*|growth[- ]factors?|g-?csf|filgrastim|pegfilgrastim|erythropoie\w*|colony[- ]stimulating|"
    r"(?:factor|transfusion|infusion) support)\b[^()]{0,80}?"
    r"(?:\b(?:up to|within|<=?) ?\d+ (?:days?|weeks?)\b|\b\d+ (?:days?|weeks?) (?:prior|before)\b)")

WIDENS = re.compile(r"\b(?:may|can|allowed|permitted|acceptable|allowable|any degree|with or without|unless|regardless)\b")


def evidence_bearing(head: c.Node, exception: str) -> str | None:
    """How an exception or aside bears on a head of labs, when it speaks of the measurement: "narrows"
    (which measurements count: the lab stays necessary), "widens" ("transfusion permitted": a value
    below the threshold may still be reached), "open" (both), None (it says nothing of the measurement)."""
    atoms = [n for n in walk(head) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
    if not atoms or not all(isinstance(a, c.Lab) for a in atoms) or not _EVIDENCE.search(exception):
        return None
    narrows = _NARROWS.search(exception) is not None or _SUPPORT_TIMED.search(exception) is not None
    widens = WIDENS.search(_NARROWS.sub(" ", exception)) is not None
    if narrows:
        return "open" if widens else "narrows"
    return "widens" if widens else None
