"""The words around a treatment: lead words saying it was given before ("has received any
prior"), a trailing "ever", words that qualify a treatment (setting, dose, time), and the
washout window at the end of a phrase ("within 4 weeks prior to the first dose"). Durations:
a week is 7 days, a month 30.4375 days (rounded).

The time point a window is counted to (first dose, enrolment, randomisation, registration, cycle 1
day 1, leukapheresis, the protocol's conditioning chemotherapy, "the first dose of NX-1607") is the
trial's start, which lies in the future of a screening: the atom carries the days only, and the
matcher counts them back from the as-of date of the match (the nearest date it knows). In an
exclusion a drug therapy inside that window is a washout still running (UNKNOWN, "eligible after a
N-day washout", docs/matching.md), never a permanent "ineligible"; Procedure windows are not yet
read as washouts by the matcher (docs/matching.md names the limit). A time point that is not the
trial's ("the last dose of nivolumab", "starting hormone therapy") is not an anchor: the window
then stays unread."""

from __future__ import annotations

import functools
import re

from trialmatch.nlp.builders.patterns import ANCHOR, days, has_any
from trialmatch.nlp.required_literals import guarded

# words before the therapy that say it was given before (stacked: "has received any prior")
_LEAD_WORD = (
    r"(?:previously|previous|prior|received|receives|receipt of|had|have|has|been|were|was|undergone|treated with|treatment with|"
    r"therapy with|treatment|therapy|exposure to|exposed to|use of|any|a|an|(?:types?|kinds?) of)"
)
LEAD = re.compile(rf"^(?:{_LEAD_WORD} )+")
# a lead must hold one of these to say "given before" ("any" or "a" alone do not)
PRIOR_SAYS = re.compile(r"\b(?:previously|previous|prior|received|receives|receipt|had|undergone|treated|treatment with|"
                         r"therapy with|exposure|exposed|use of)\b")
EVER = guarded(r"(?:,? (?:ever|at any time|in the past|previously))$")
# time points a washout is counted to, beyond the shared ANCHOR: registration steps, day 1
_MORE_ANCHORS = (
    r"(?:the )?(?:sub-study |step \d )?(?:registration|randomi[sz]ation|enrollment|enrolment|allocation)"
    r"(?:/(?:registration|randomi[sz]ation|enrollment|enrolment))?"
    r"|(?:the )?day 1 of (?:protocol|study) (?:therapy|treatment)"
    r"|(?:the )?(?:study |protocol )?(?:treatment|intervention|therapy|drug) (?:initiation|start|administration)"
    r"|(?:the )?study (?:start|entry|enrollment|initiation|drug administration|intervention administration)"
    r"|(?:starting|initiating|beginning|initiation of|start of|the start of) (?:the )?(?:study |protocol )?"
    r"(?:treatment|therapy|intervention|drug)|(?:the )?trial (?:enrollment|entry)|(?:the )?screening visit"
    # the study drug named ("the planned first dose of nx-1607", "start of repotrectinib treatment"): the
    # first dose of what the trial gives, never a prior drug ("last dose", "prior" are not read here)
    r"|(?:the )?(?:planned )?(?:first|1st|initial) (?:dose|administration|infusion) of (?!(?:prior|previous|last|any)\b)"
    r"(?:the )?[a-z0-9][a-z0-9-]*(?: (?:treatment|therapy))?"
    r"|(?:the )?planned (?:first dose|start|initiation)(?: of (?:the )?(?:study |protocol )?(?:treatment|therapy|drug|intervention))?"
    r"|(?:the )?(?:start|initiation) of (?!(?:prior|previous|last|any)\b)[a-z0-9][a-z0-9-]* (?:treatment|therapy)"
    r"|(?:starting|initiating) (?:the )?(?:study |protocol |trial |[a-z]+-?\d[a-z0-9-]* )?(?:treatment|therapy)(?: on (?:protocol|study))?"
    r"|(?:starting|initiating|receiving) (?:the )?(?:ip|imp|trial drug|study drug|study medication)"
    r"|(?:the )?first (?:imp|ip|study drug|trial drug) (?:administration|dose)|(?:the )?first study drug dose"
    r"|(?:the )?study drug (?:administration|start)|(?:the )?(?:planned )?treatment start date|(?:the )?first dose date"
    r"|entering (?:the )?(?:study|trial)|(?:the )?study day 1|(?:the )?start of cycle 1,? day 1"
    r"|(?:the )?(?:enrollment|enrolment|registration) (?:in|into|on) (?:the )?(?:study|trial)"
    r"|(?:the )?(?:pre-dose )?(?:leukapheresis|apheresis)(?: visit)?"
    # cell therapy trials: the conditioning (lymphodepleting) chemotherapy given by the protocol
    r"|(?:the )?(?:planned )?(?:start of |initiation of |starting )?(?:the )?(?:conditioning|lymphodepleting|lymphodepletion)"
    r"(?: chemotherapy| regimen)?(?: administration)?(?: within this protocol)?"
)
ANCHORS = rf"(?:{_MORE_ANCHORS}|{ANCHOR})"
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10", "twelve": "12"}
NUM_WORD = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
UNIT = r"(days?|weeks?|months?|years?)(?: \((\d+) days\))?"
_WINDOW_AT_END = re.compile(
    rf",? (?:(?:within (?:the )?(?:last |past |previous |preceding |prior )?|in the (?:last|past|previous|preceding) |"
    rf"during the (?:last |past |previous |preceding )?|<= ?|< ?)(?P<n>{NUM_WORD}) (?P<unit>days?|weeks?|months?|years?)"
    rf"(?: \((?P<written>\d+) days\))?|(?:within|in|during) the (?:last|past|previous|preceding) (?P<one>year|month|week))"
    rf"(?: (?:prior to|before|of|from|preceding) {ANCHORS})?$")
# every window names its unit (days?|weeks?|months?|years?, or "the past year|month|week")
_WINDOW_WORDS = ("day", "week", "month", "year")
THERAPY_WORD = re.compile(
    r" (?:therapy|therapies|treatment|treatments|agents?|drugs?|medications?|regimens?|exposure)$")
# words that qualify a treatment (setting, dose, site, time): an unknown list member holding one may
# qualify the members before it too ("paclitaxel or docetaxel in the adjuvant setting")
QUALIFYING = re.compile(
    r"\b(?:for|in|to|with|without|within|as|at|of|on|during|after|before|since|setting|adjuvant|neoadjuvant|"
    r"metastatic|advanced|maintenance|first|second|line|lines|dose|doses|except|unless|including|excluding|than|"
    r"prior|previous|current|currently|ongoing|concurrent|weeks?|days?|months?|years?|is|are|not|no|and|from|by|"
    r"administered|given|received|delivered|used|taken|who|which|that|those|these|patients?|participants?|subjects?)\b|"
    r"(?<![\w-])\d+(?![\w-])|[();:%]")


def word_number(n: str) -> str:
    return _WORD_NUMBERS.get(n, n)


@functools.lru_cache(maxsize=50_000)  # the text alone decides; each therapy and procedure reading asks
def window_at_end(t: str) -> tuple[str, int | None]:
    """The text before a washout window at its end, and the window in days (None: no window)."""
    m = _WINDOW_AT_END.search(t) if has_any(t, _WINDOW_WORDS) else None
    if not m:
        return t, None
    if m.group("written"):  # "4 weeks (28 days)": the days as written
        return t[:m.start()], int(m.group("written"))
    if m.group("one"):  # "within the past year"
        return t[:m.start()], days("1", m.group("one"))
    return t[:m.start()], days(word_number(m.group("n")), m.group("unit"))



@functools.lru_cache(maxsize=50_000)  # the text alone decides; three therapy readings ask for each clause
def treatment_phrase(t: str) -> tuple[str, int | None, bool]:
    """The words naming the treatment (lead words, a trailing "ever" and the window taken off), the
    window in days (None: no window), and whether the lead words say it was given before."""
    head, within = window_at_end(t)
    lead = LEAD.match(head)
    says_prior = bool(lead and PRIOR_SAYS.search(lead.group(0)))
    return EVER.sub("", head[lead.end():] if lead else head).strip(" ,"), within, says_prior
