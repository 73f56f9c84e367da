"""Washouts written as time elapsed since a treatment ("at least 4 weeks since prior X", "prior X
must be completed >= 4 weeks before randomization": inclusion only) and windows given in
half-lives ("within 28 days or 5 half-lives, whichever is shorter": exclusion only)."""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.drug_therapy import listed_alternatives, prior_therapy
from trialmatch.nlp.builders.participation import participation_atom
from trialmatch.nlp.builders.patterns import days
from trialmatch.nlp.builders.procedures import procedure_atom
from trialmatch.nlp.builders.treatment_words import ANCHORS, NUM_WORD, UNIT, word_number
from trialmatch.nlp.required_literals import guarded

# "at least 4 weeks since prior chemotherapy", "> 4 weeks must have elapsed from the last dose of X"
_SINCE = re.compile(
    rf"^(?:>=|>) ?({NUM_WORD}) {UNIT} (?:must have |have |has |should have )?(?:elapsed |passed )?(?:since|from|after) "
    r"(?:the )?(?:last (?:dose|administration|treatment) of |(?:the )?completion of |end of |discontinuation of )?"
    rf"(?P<x>.+?)(?: (?:to|before|prior to|until) {ANCHORS}| at the time of {ANCHORS})?$")
# "prior major surgery must be at least 12 weeks prior to study entry", "completed prior radiotherapy >= 2 weeks before ..."
# The time must be said to be the treatment's end ("completed", "must be ... prior to"): "no chemotherapy
# at least 2 weeks prior to treatment" means none within 2 weeks, the opposite reading.
_COMPLETED_BEFORE = guarded(
    rf"^(?:(?P<lead>completed|discontinued|stopped) )?(?P<x>.+?)(?P<verb>(?: must| should)(?: have been| be)?"
    rf"(?: completed| discontinued| stopped)?|(?: was| were| been)? (?:completed|discontinued|stopped))?"
    rf" (?:>=|>) ?({NUM_WORD}) {UNIT} (?:prior to|before) {ANCHORS}$")


def since_washout(clause: Clause) -> c.Node | None:
    """A washout written as time elapsed since a treatment: Not(treatment within N days).
    Inclusion only (in an exclusion, "at least 4 weeks since X" would exclude the eligible)."""
    if clause.section != "inclusion" or ">" not in clause.text:
        return None  # both shapes hold ">" (">= 4 weeks"; normalised "at least" is ">=")
    m = _SINCE.match(clause.text)
    if m:
        n, unit, written = m.group(1), m.group(2), m.group(3)
    else:
        m = _COMPLETED_BEFORE.match(clause.text)
        if not m or not (m.group("lead") or m.group("verb")):
            return None
        if re.match(r"(?:received|had|have|has|undergone)\b", m.group("x")):
            return None  # "must have received prior radiotherapy > 12 weeks before": the receipt is required too
        n, unit, written = m.group(4), m.group(5), m.group(6)
    within = int(written) if written else days(word_number(n), unit)
    x = m.group("x").strip()
    if not x.startswith(("prior ", "previous ", "any ")):
        x = "prior " + x
    sub = Clause(x, clause.terms, clause.section, clause.historical, clause.qualifiers)
    atom = prior_therapy(sub, x) or procedure_atom(sub, major_without_window=True)
    if atom is None:
        return None
    if isinstance(atom, c.All):  # "external beam radiotherapy": All(Procedure, Unparsed(kind))
        if atom.items[0].within_days is not None:
            return None
        return c.Not(c.All((dataclasses.replace(atom.items[0], within_days=within),) + atom.items[1:]))
    if atom.within_days is not None:
        return None
    return c.Not(dataclasses.replace(atom, within_days=within))


# "or 5 half-lives", "(or 5 half-lives, whichever is shorter)", ", whichever is shorter,"
_HALF_LIVES = re.compile(
    rf",? \(?(?:or )?(?:within )?(?:<|<= ?)?({NUM_WORD}) (?:drug[- ]elimination )?half-lives?(?: \(t1/2\))?"
    r"(?: of (?:the|that|this|each|any) (?:[a-z-]+ )?(?:agent|drug|product|therapy|compound|medication)s?)?\)?")
# the half-lives written first: "within 5 half-lives or [within] 4 weeks" -> "within 4 weeks"
_HALF_LIVES_FIRST = re.compile(
    rf" (?:within |<= ?|< ?)({NUM_WORD}) (?:drug[- ]elimination )?half-lives?(?: \(t1/2\))?,? or (?:within )?"
    rf"(?=(?:<= ?|< ?)?(?:{NUM_WORD}) (?:days?|weeks?|months?)\b)")
_SHORTER = re.compile(r",? \(?(?:use )?whichever is (?:the )?shorter(?: period| time)?(?: will be used as the criteria)?\)?,?")
_HALF_LIFE_REFUSED = re.compile(r"longer|greater|maximum|minimum|if unknown|if prior|up to|\bunless\b")
# "(whichever is longer)", ", whichever is greater,"
_LONGER = re.compile(r",? \(?(?:use )?whichever is (?:the )?(?:longer|greater)(?: period| time)?\)?,?")
_LONGER_REFUSED = re.compile(r"shorter|maximum|minimum|if unknown|if prior|up to|not longer|\bunless\b")


def half_lives_washout(clause: Clause) -> c.Node | None:
    """"X within 28 days or 5 half-lives (whichever is shorter)": All(X within 28 days,
    Unparsed(the half-lives)): no dose in the shorter window means none in the longer one.
    Exclusion only: there the washout min(28 days, 5 half-lives) is at most 28 days, so a last
    dose older than 28 days is clear under every reading, and one inside it stays UNKNOWN. An
    inclusion ("must be 21 days or 5 half-lives from ...") is not read.

    "X within 28 days or 5 half-lives, whichever is longer" (round 6): the washout max(28 days, 5
    half-lives) is at least 28 days, so a dose inside 28 days excludes under every reading, and one
    older stays UNKNOWN (the half-lives may reach further): Any(X within 28 days, Unparsed(the
    half-lives)), as for a longer window in an aside. In an exclusion, or an inclusion saying "must not"
    (the clause reader puts the Not back)."""
    t = clause.text
    if "half-li" not in t:
        return None
    if _SHORTER.search(t):
        if clause.section != "exclusion" or _HALF_LIFE_REFUSED.search(t):
            return None
        atom, removed = _window_without_half_lives(clause, t, _SHORTER)
        return c.All((atom, c.Unparsed(" ".join(removed)))) if atom is not None else None
    if not (clause.section == "exclusion" and not clause.negated) and not (clause.section == "inclusion" and clause.negated):
        return None
    longer = _LONGER.search(t)
    if not longer or _LONGER_REFUSED.search(t) or "<" in t[longer.end():]:
        return None  # "..., whichever is longer, <= 3 weeks" (normalised "up to a maximum of"): a cap
    atom, removed = _window_without_half_lives(clause, t, _LONGER)
    return c.Any((atom, c.Unparsed(" ".join(removed)))) if atom is not None else None


def _window_without_half_lives(clause: Clause, t: str, which: re.Pattern) -> tuple[c.Node | None, list[str]]:
    """The treatment with its window in days once the half-lives and "whichever ..." words are taken
    out, and those words; (None, []) when the rest is not one treatment with a window."""
    first = _HALF_LIVES_FIRST.search(t)
    if first:
        removed = [first.group(0).strip(" ,")]
        t = t[:first.start()] + " within " + t[first.end():]
    else:
        removed = [m.group(0).strip(" ,") for m in _HALF_LIVES.finditer(t)]
    removed += [m.group(0).strip(" ,") for m in which.finditer(t)]
    rest = which.sub(" ", _HALF_LIVES.sub(" ", t))
    rest = re.sub(r"\s+", " ", rest).strip(" ,")
    if "half-li" in rest or len(removed) < 2:
        return None, []
    sub = Clause(rest, clause.terms, clause.section, clause.historical, clause.qualifiers)
    # an investigational agent is the same washout (StudyParticipation, builders/participation.py)
    atom = prior_therapy(sub, rest) or participation_atom(rest)
    if atom is None or atom.within_days is None:
        return None, []
    return atom, removed


# "within 4 weeks (6 weeks for nitrosoureas or mitomycin c)": a longer window for some drugs, written
# as an aside after the window
_LONGER_ASIDE = re.compile(
    rf"(?P<window>(?:within |<= ?|< ?)(?P<n>{NUM_WORD}) (?P<unit>days?|weeks?|months?)) "
    rf"\((?P<aside>(?P<n2>{NUM_WORD}) (?P<unit2>days?|weeks?|months?) for [^()]+)\)")


def longer_window_aside(clause: Clause) -> c.Node | None:
    """"X within 4 weeks (6 weeks for nitrosoureas or mitomycin C)", exclusion only: the aside adds
    a longer washout for some drugs, so Any(X within 28 days, Unparsed(aside)): X in the window
    excludes, none leaves the drugs of the aside UNKNOWN. Refused when the aside's window is not
    longer ("(2 weeks for palliative radiation)" is an exception that shortens the washout)."""
    if clause.section != "exclusion" or " for " not in clause.text:
        return None
    m = _LONGER_ASIDE.search(clause.text)
    if not m or days(word_number(m.group("n2")), m.group("unit2")) <= days(word_number(m.group("n")), m.group("unit")):
        return None
    rest = clause.text[:m.end("window")] + clause.text[m.end():]
    sub = Clause(rest, clause.terms, clause.section, clause.historical, clause.qualifiers)
    atom = prior_therapy(sub, rest) or listed_alternatives(sub, rest)
    if atom is None or "(" in rest:
        return None
    return c.Any((atom, c.Unparsed(m.group("aside"))))
