"""Live vaccines received within a window before the trial's start.

"Received a live vaccine within 30 days prior to the first dose of study drug", "receipt of live
attenuated vaccine <= 30 days prior to registration", "administration of a live, attenuated
vaccine within 4 weeks" -> ``Vaccination(live=True, within_days=N)``. The window and its time
point are read as washouts are (``treatment_words.window_at_end``: the time point must be the
trial's start; "whilst participating in the study" or "the last dose of X" leave it unread).
"Live vaccine or live-attenuated vaccine" is one kind. Read in exclusions only (an inclusion
never requires a vaccine). Sixth round: "live or attenuated", "attenuated live", "live and
live-attenuated", "live vaccine therapy", "vaccination / immunization with a live vaccine"; a window
written without "within" ("live vaccines given 28 days prior to lymphodepleting chemotherapy", "in the 7
days prior to enrollment"); the aside "(growth/replication competent)" (it says what live means); "has
received or will receive / plans to receive a live vaccine within N" is Any(Vaccination, Unparsed(clause)):
the plan is one more way to be excluded that no record shows. Not read: a vaccine with no window, "any
vaccine", "will receive" alone, a named vaccine ("live COVID-19 vaccine": none is live in the records we
read), "live virus and live bacterial vaccines", other asides, or a vaccine kind the atom does not hold
(tumour vaccines, smallpox or monkeypox vaccination).
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.treatment_words import window_at_end

# "live or attenuated", "attenuated live", "live and live-attenuated": an attenuated vaccine is a live one
# (attenuated organisms that still replicate; CDC, General Best Practice Guidelines for Immunization)
_LIVE = (r"(?:live|live,? attenuated|live[- ]attenuated|live/attenuated|live[- ]virus|live or live[- ]attenuated|"
         r"live or attenuated|attenuated live|live and live[- ]attenuated)")
_NOUN = r"(?:vaccines?|vaccinations?|vaccine therap(?:y|ies))"
_KIND = rf"{_LIVE} {_NOUN}(?: or {_LIVE} {_NOUN})?"
_HEAD = re.compile(
    r"^(?:(?:has |have |had )?(?:received|receipt of|in receipt of|administration of|administered|vaccinated with|"
    r"vaccination with|immuni[sz]ation with|treatment with|use of|had)(?: (?:a|an|any|the))? "
    r"(?:(?:vaccination|treatment) with (?:a |an |any )?)?)?"
    rf"(?:non-oncology,? )?{_KIND}(?: against infectious diseases?| used for (?:the )?prevention of infectious diseases?)?"
    r"(?: (?:given|administered|received))?$")
# (seventh round) "any non-oncology live vaccine therapy used for prevention of infectious diseases" (NCT06411691,
# NCT06385262): the words say what a vaccine against infection is, the kind the atom holds (immunisation records;
# a tumour vaccine is no Vaccination), so they are the atom's
# an aside that restates what "live" means: "(growth/replication competent)" (the organisms of a live vaccine
# replicate; CDC, General Best Practice Guidelines for Immunization); nothing else in brackets is dropped
_DEFINING_ASIDE = re.compile(r" \((?:growth/replication competent|replication[- ]competent)\)(?= )")
# "has received or will receive a live vaccine within 30 days prior to the first dose": a plan is one more
# way to be excluded, which no record shows (kept Unparsed beside the atom: Any)
_OR_PLANS = re.compile(r"^(?:has |have )?received or (?:will|plans? to|intends? to|is planning to) receive ")
# "live vaccines given 28 days prior to ...", "in the 7 days prior to enrollment": a window written without
# "within" (the days before the time point, as "within" says)
_BARE_DAYS = re.compile(r" (?:given |administered |received )?(?:in (?:the )?)?(?P<n>\d+) (?P<u>days?|weeks?) "
                        r"(?=(?:prior to|before) )")


def build_vaccination(clause: Clause) -> c.Node | None:
    t = clause.text
    if clause.section != "exclusion" or "live" not in t or "vaccin" not in t:
        return None
    if "(" in t:
        t = _DEFINING_ASIDE.sub("", t)
    plans = _OR_PLANS.match(t)
    if plans:
        t = "received " + t[plans.end():]
    if " days " in t or " weeks " in t:
        m = _BARE_DAYS.search(t)
        if m and not re.search(r"(?:within|<=?)\s*$", t[:m.start()]):
            t = f"{t[:m.start()]} within {m.group('n')} {m.group('u')} {t[m.end():]}"
    head, within = window_at_end(t)
    if within is None or within <= 0 or not _HEAD.match(head.strip(" ,")):
        return None
    atom = c.Vaccination(live=True, within_days=within)
    return c.Any((atom, c.Unparsed(clause.text))) if plans else atom
