"""Prior therapy: drug or class, "no prior", lines of therapy, washout windows.

"Prior X" is PriorTherapy(X); in an exclusion section the item is wrapped in Not by the
parser. "X within 4 weeks prior to the first dose" is PriorTherapy(X, within_days=28)
(a washout: excluded if received inside the window). Durations: a week is 7 days, a month
30.4375 days (rounded). Lists joined by "or" / "," / "and/or" are alternatives (one atom with several
drugs/classes); lists joined by "and" are refused (both? either?).

Readings added for issue #5 (each keeps the whole meaning or is refused):
- stacked lead words: "has received prior", "had any previous", "previously received";
- "at least 4 weeks since/from prior X" and "prior X must be completed at least 4 weeks
  before randomization" (inclusion only) are washouts: Not(X within 28 days). The engine
  reads a window under an odd number of Not as a washout (never a permanent "ineligible");
- "X within 28 days or 5 half-lives, whichever is shorter" (also "within 5 half-lives or 28
  days"), exclusion only: the window of the days is the longest the item can mean, so
  All(X within 28 days, Unparsed(half-lives)): the atom is a necessary condition. "Whichever is
  longer" / "greater", or no "whichever", are refused (28 days could then be too short a
  washout); the EXCEPTION rule on "whichever" spares "whichever is shorter" only when no
  sentence follows it (rules/context.json), so the builder sees single-sentence items;
- "at least one prior line of platinum-based chemotherapy": lines of a class;
- "prior anti-PD-1, anti-PD-L1, or anti-PD-L2 agent": Any(PriorTherapy(known), Unparsed(unknown
  alternatives)); "X including Y": Any(X, Unparsed(including Y)); "naive to X": Not(X);
- one adjective narrowing a known therapy or radiation ("covalent BTK inhibitor", "external
  beam radiotherapy"): All(atom, Unparsed(adjective)), the atom being necessary.
- session 3: a window is counted to more time points of the trial's start (the study drug named:
  "first dose of NX-1607", leukapheresis, "entering the study", "study day 1"); every such time point
  is the as-of date of the match (the nearest a screening knows of a future first dose). A list
  with a window at its end needs no "prior" ("major surgery, radiation therapy, or systemic
  therapy within 3 weeks"); each member takes the window, "major surgery" is
  Procedure(major=True); refused when a member has its own window ("major surgery <= 28 days, or
  minor surgery <= 7 days"), a member is an event or state with a verb ("or has radiation-related
  toxicities"), or a size or site word may qualify a procedure of the list ("major injuries or
  surgery", "major pelvic surgery or radiotherapy"). "Anti-cancer antibodies" are not all systemic
  therapy (an unknown alternative). "X within 4 weeks (6 weeks for nitrosoureas)" in an exclusion:
  Any(X within 28 days, Unparsed(aside)) (a longer washout for some drugs is one more way to be
  excluded); a shorter one ("(2 weeks for palliative radiation)") is an exception, not read.
  "Whichever is the shorter period" is "whichever is shorter". The conditioning (lymphodepleting)
  chemotherapy of a cell therapy protocol is a trial time point; "systemic treatment for cancer" is
  systemic therapy; stereotactic radiosurgery is radiation (the kind kept unparsed). "X, Y, or Z
  agent or with an agent directed to another ... T-cell receptor": the last alternative repeats
  "with", so it is its own alternative (Unparsed in the Any), not a qualifier of the list.
"Immunomodulatory drugs" is the IMiD class only in a clause naming an IMiD or myeloma (broader
elsewhere: interferons, thymosin, steroids). "Currently receiving X" is not read (under way now, not "within" a past window); nor are
"investigational" agents (no class), vaccines (records hold them as Immunization, not read)
or corticosteroid doses (no class; a dose limit needs a dose the atom cannot carry).

Modules: treatment_words (lead words, qualifying words, the window at the end), drug_therapy
(drugs, classes, lines, lists), washouts (time since a treatment, half-lives), procedures
(surgery, radiotherapy), progression (progression on / refractory to a therapy: the therapy was
received, the progression kept unparsed); this module ties them.
"""

from __future__ import annotations

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.concurrent_use import subgroup_on_drug
from trialmatch.nlp.builders.drug_therapy import (
    count_lines, listed_alternatives, modified_therapy, naive_to, or_with_alternative, prior_therapy, therapy_including,
)
from trialmatch.nlp.builders.procedures import build_procedure
from trialmatch.nlp.builders.progression import progressed_on
from trialmatch.nlp.builders.washouts import half_lives_washout, longer_window_aside, since_washout

__all__ = ["build_procedure", "build_therapy"]


def build_therapy(clause: Clause) -> c.Node | None:
    t = clause.text
    found = count_lines(clause, t)
    if found is not None:
        return found
    return (prior_therapy(clause, t) or since_washout(clause) or half_lives_washout(clause) or listed_alternatives(clause, t)
            or therapy_including(clause, t) or naive_to(clause) or modified_therapy(clause, t) or progressed_on(clause)
            or longer_window_aside(clause) or or_with_alternative(clause, t) or subgroup_on_drug(clause, t))
