"""Progression on, relapse after or refractoriness to a therapy: "disease progression on or after
prior anti-PD-1 therapy", "refractory to >= 1 prior line of systemic therapy".

Progressing on a therapy (relapsing after it, being refractory to it, failing it) says the therapy
was received: PriorTherapy is necessary. The atom cannot carry the progression, so its words stay
Unparsed beside it: All(PriorTherapy(X), Unparsed("disease progression on or after")), partly
structured. The item is then never decided by the atom alone: in an inclusion it is UNKNOWN until
the progression is confirmed (or NOT_MET only where the atom is, e.g. "max 0 lines"); in an exclusion
("prior progression on abemaciclib") the patient without X recorded is UNKNOWN, never excluded.

Not read: a time after the therapy ("progression within 6 months of completing platinum": the time
is counted from the therapy, not from today); intolerance, ineligibility or refusal beside the
progression ("progressed on or are intolerant to": intolerance may be known without the drug,
"ineligible for" says nothing was given); anything the therapy readers refuse.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.drug_therapy import count_lines, listed_alternatives, modified_therapy, prior_therapy

_EVIDENCE = (r"(?:(?:prior|previous|documented|confirmed|radiographic(?:ally)?|radiologic(?:al|ally)?|objective|clinical|"
             r"evidence of|disease) )*")
_EVENT = (r"(?:progression(?: of disease)?|progressive disease|(?:have |has )?(?:progressed|relapsed)"
          r"(?: radiographically| radiologically)?|relapse|recurrence)")
_WHEN = (r"(?:on or after|on or following|on and/or after|during or after|on/after|after/on|while on|while receiving|"
         r"on|after|following|during|despite)(?! (?:or|and)\b)")
_REFRACTORY = (r"(?:refractory to|failed|failure of|relapsed or refractory to|refractory to or relapsed after|"
               r"(?:relapsed|progressed) (?:on|after) or (?:been |are |is |was )?refractory to|"
               r"(?:relapsed|refractory|relapsed/refractory|relapsed or refractory|recurrent) disease (?:after|following)"
               r"(?: failure of| failing| having received| receiving)?|(?:after|following) failure of|"
               r"(?:relapsed|relapsed/refractory|relapsed or refractory) (?:disease )?with)")
_PROGRESSED = re.compile(rf"^(?P<words>{_EVIDENCE}(?:{_EVENT} {_WHEN}|{_REFRACTORY})) (?P<x>.+)$")
# a time counted from the therapy, or words saying it may not have been given
_REFUSED = re.compile(r"\b(?:within|months?|weeks?|days?|years?|ineligible|eligible|candidates?|intoleran\w*|"
                      r"unable|declined?|refus\w*|contraindicat\w*|not|no|unless|except)\b")
# "prior line(s) of therapy", "a line of prior systemic therapy": at least one line
_ONE_LINE = re.compile(r"^(?:a |one )?(?:prior |previous )?lines? of (?:prior |previous )?(?:systemic )?"
                       r"(?:anti-?cancer )?(?:therapy|therapies|treatment|treatments)$")


# "the most recent line of therapy", "the last prior systemic regimen": one line at least was given. Not
# "the most recent therapy" or "anti-cancer therapy" (radiotherapy or surgery may be the most recent;
# a systemic line is what min_lines counts)
_MOST_RECENT = re.compile(r"^(?:the )?(?:most[ -]recent|last|latest)(?: prior| previous)? (?:(?:line of (?:prior )?"
                          r"(?:systemic )?(?:anti-?cancer )?(?:therapy|treatment)|(?:systemic )?(?:anti-?cancer )?"
                          r"(?:regimen|line of therapy|line of treatment))|systemic (?:anti-?cancer )?(?:therapy|treatment|regimen))$")


def progressed_on(clause: Clause) -> c.Node | None:
    m = _PROGRESSED.match(clause.text)
    if not m:
        return None
    x = re.sub(r"^(?:the|a|an|any) ", "", m.group("x").strip(" ,"))
    if not x or _REFUSED.search(x):
        return None
    atom = _received(clause, x)
    if atom is None:
        return None
    words = c.Unparsed(m.group("words"))
    if isinstance(atom, c.All):  # "covalent BTK inhibitor": All(PriorTherapy, Unparsed(adjective))
        return c.All(atom.items + (words,))
    return c.All((atom, words))


def _received(clause: Clause, x: str) -> c.Node | None:
    lines = count_lines(clause, x)
    if lines is not None:
        # a bare count (">= 1 line") is a clause cut before what the lines were ("... line of therapy
        # including a cBTKi"): the count must say it is of prior therapy
        return lines if re.search(r"\b(?:prior|previous|therap\w*|treatments?|regimens?|chemotherapy)\b", x) else None
    if _ONE_LINE.match(x) or _MOST_RECENT.match(x):
        return c.PriorTherapy(min_lines=1)
    t = x if x.startswith(("prior ", "previous ")) else "prior " + x
    sub = Clause(t, clause.terms, clause.section, clause.historical, clause.qualifiers)
    return prior_therapy(sub, t) or listed_alternatives(sub, t) or modified_therapy(sub, t)
