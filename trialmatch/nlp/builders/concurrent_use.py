"""Current use of a concurrent (non-oncology) medication: "concurrent use of systemic corticosteroids",
"requires therapeutic anticoagulation" (PriorTherapy within_days 0, a dose word kept Unparsed beside it),
"any other form of immunosuppressive therapy", and an inclusion's requirement of the patients on a
medication only ("Participants receiving dexamethasone must be on a stable dose")."""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.drug_names import concurrent, resolve_drug
from trialmatch.nlp.builders.treatment_words import LEAD, PRIOR_SAYS, THERAPY_WORD, window_at_end

# Current use of a concurrent medication: "concurrent use of systemic corticosteroids", "use of
# systemic steroids", "requires chronic systemic steroid therapy", "currently receiving
# immunosuppressive therapy". In an exclusion these mean the drug is taken now (the medication
# list of the screening visit), so the atom is PriorTherapy(within_days=0): an order under way,
# never a course that ended (the matcher reads an exclusion with a window as a wait: on the drug
# now is UNKNOWN, to confirm, "eligible if it is stopped"). Words of the past ("prior",
# "history of", "received", "current or prior") without a window are not read: ever having had
# a steroid course is not what these criteria mean. Oncology drugs are not read this way here.
_NOW_WORD = (r"(?:currently|concurrently|current|concurrent|concomitant|concomitantly|ongoing|chronic|chronically|"
             r"regular|long-term|continuous|daily|active)")
_NOW_VERB = (r"(?:use of|usage of|treatment with|therapy with|administration of|receiving|taking|using|requiring|"
             r"requires|require|required|need for|needs|need|on|anticoagulation with|anticoagulated with)")
# now-words and verbs in any order ("requires ongoing treatment with", "is receiving chronic
# concomitant treatment with", "current treatment with")
_CURRENT = re.compile(
    rf"^(?:(?:is|are|be|being|who are|who is|who require|who requires) )?(?P<now>(?:(?:{_NOW_WORD}|{_NOW_VERB}) )*)"
    rf"(?:(?:any|a|an|the|other|either(?: an?)?) )?(?P<now2>(?:{_NOW_WORD} )*)(?P<x>.+)$")
_PAST = re.compile(r"\b(?:prior|previous|previously|history|received|receipt|had|have had|has had|ever|past|recent|"
                   r"recently|former|formerly|exposure|exposed|last)\b")


def current_use(clause: Clause, t: str) -> c.PriorTherapy | None:
    """PriorTherapy(concurrent medication, within_days=0) for words of current use (see above); a
    window at the end is kept ("concurrent use of systemic steroids within 14 days")."""
    if _required_use(clause):
        return None
    head, within = window_at_end(t)
    m = _CURRENT.match(head)
    if not m or not (m.group("now") or m.group("now2")) or clause.historical:
        return None
    if within is None and _PAST.search(head):
        return None
    x = _KNOWN_AS.sub("", m.group("x"))
    atom = resolve_drug(clause, x, True) or (
        resolve_drug(clause, THERAPY_WORD.sub("", x), True) if THERAPY_WORD.search(x) else None) or form_of(clause, x)
    if atom is None or not concurrent(clause, atom):
        return None
    return dataclasses.replace(atom, within_days=within if within is not None else 0)


def _required_use(clause: Clause) -> bool:
    """An inclusion clause with no negation taken off: the atom would require the patient to be on
    the medication. No oncology protocol here asks that (an inclusion item saying "Participant
    requires administration of strong CYP3A4 inhibitors ... are not eligible", NCT04005690, or an
    exclusion item filed under the inclusion heading, NCT06634875, mean the opposite); such clauses
    stay unparsed. The subgroup reading (``subgroup_on_drug``) never requires the medication."""
    return clause.section == "inclusion" and not clause.negated


# "medications that are known to be strong inhibitors of CYP3A4", "known strong CYP3A4 inducers": the class
_KNOWN_AS = re.compile(r"^(?:(?:prescription )?(?:medications?|drugs?|agents?|therap(?:y|ies)|substances?|products?)"
                       r"(?: (?:or|and|and/or) herbal (?:supplements|products|medications))?(?:(?: that| which)? "
                       r"(?:are|is) (?:known (?:to be |as )?)?| known (?:to be |as )?)|known (?:to be |as )?)")


# "any other form of immunosuppressive therapy" (the KEYNOTE template): the class itself
_FORM_OF = re.compile(r"^(?:(?:any|other|another) )*(?:forms?|kinds?|types?) of (?:(?:any|other) )?")


def form_of(clause: Clause, x: str) -> c.PriorTherapy | None:
    """A concurrent medication class after "any other form of"; oncology phrases are not read so."""
    m = _FORM_OF.match(x)
    if not m:
        return None
    rest = x[m.end():]
    atom = resolve_drug(clause, rest, True) or (
        resolve_drug(clause, THERAPY_WORD.sub("", rest), True) if THERAPY_WORD.search(rest) else None)
    return atom if atom is not None and concurrent(clause, atom) else None


# a dose word narrowing current use of a concurrent medication ("therapeutic anticoagulation": a
# prophylactic heparin does not count, which the record's dose cannot tell): kept Unparsed beside it
_DOSE_WORD = re.compile(r"^(?:therapeutic|therapeutic-dose|therapeutic dose|full-dose|full dose|high-dose|high dose)"
                        r"(?: doses? of)? ")


def current_use_narrowed(clause: Clause, t: str) -> c.Node | None:
    """All(PriorTherapy(concurrent medication, current), Unparsed(dose word)) for "requires therapeutic
    anticoagulation with warfarin", "current use of therapeutic anticoagulants"."""
    if _required_use(clause):
        return None
    head, within = window_at_end(t)
    m = _CURRENT.match(head)
    if not m or not (m.group("now") or m.group("now2")) or clause.historical:
        return None
    d = _DOSE_WORD.match(m.group("x"))
    if not d:
        return None
    rest = m.group("x")[d.end():]
    atom = current_use(clause, "use of " + rest + (t[len(head):] if within is not None else ""))
    return c.All((atom, c.Unparsed(d.group(0).strip()))) if atom is not None else None



# An inclusion asking something of the patients on a medication only: "Participants receiving bone
# resorptive therapy must be on stable doses for at least 42 days", "Patients who are receiving
# dexamethasone must be on a stable or decreasing dose for at least 1 week". A patient not on it
# meets the item (the requirement is not theirs); one on it is to confirm (the requirement stays
# Unparsed): Any(Not(PriorTherapy(X, within_days=0)), Unparsed(requirement)). The medication is never
# required. Refused: a subject in the past ("receiving prior systemic therapy", "treated with"), a
# drug the vocabulary does not know, a requirement that is not one ("should be encouraged").
_SUBGROUP = re.compile(
    r"^(?:who (?:are|is) |(?:are|is) )?(?:currently )?(?:receiving|taking|using|on) (?P<x>.+?) "
    r"(?P<req>(?:must|need to|are required to|is required to) .+)$")
_SUBGROUP_DOSE = re.compile(r"^(?:(?:concomitant|concurrent|ongoing|chronic|regular|daily) )*"
                            r"(?:(?:full|therapeutic|high|low|stable)(?:-| )dose )?")


def subgroup_on_drug(clause: Clause, t: str) -> c.Node | None:
    if clause.section != "inclusion" or clause.historical or not (" must " in t or " required " in t or " need " in t):
        return None
    m = _SUBGROUP.match(t)
    if not m or _PAST.search(m.group("x")):
        return None
    x = m.group("x")[_SUBGROUP_DOSE.match(m.group("x")).end():]  # the subgroup's dose words: on X at all
    atom = resolve_drug(clause, x, True) or (
        resolve_drug(clause, THERAPY_WORD.sub("", x), True) if THERAPY_WORD.search(x) else None)
    if atom is None:
        return None
    return c.Any((c.Not(dataclasses.replace(atom, within_days=0)), c.Unparsed(m.group("req"))))


# A systemic corticosteroid above a prednisone-equivalent dose: "chronic use of corticosteroids in
# excess of 10 mg daily of prednisone or equivalent within 4 weeks", "is receiving chronic systemic
# steroid therapy (in dosing > 10 mg daily of prednisone equivalent) or any other form of
# immunosuppressive therapy within 7 days", "receiving >= 10 mg daily prednisone (or equivalent)".
# The atom is current (or windowed) use of systemic_corticosteroid with the dose kept Unparsed beside
# it: no atom carries a dose, and the record's dose cannot be compared to the threshold, so a patient
# on a steroid is UNKNOWN (to confirm) and one on none meets the exclusion's "no" surely. A bare
# "corticosteroids" / "steroids" is the systemic class here only because a prednisone-equivalent
# dose is named: equivalent doses are those of systemic glucocorticoids (e.g. Liu D et al., "A
# practical guide to the monitoring and management of the complications of systemic corticosteroid
# therapy", Allergy Asthma Clin Immunol 2013;9:30, table 1: equivalent oral doses); topical and
# inhaled steroids are not dosed so. Only lower bounds are read (">", ">=", "in excess of", "more
# than", "exceeding"): "<= 10 mg ... permitted" is a permission, "approximately" and a dose in a
# later sentence are not read. "Or other immunosuppressive therapy" after the dose is its own
# alternative (the immunosuppressant class holds the steroids too, read conservatively).
_STEROID_NP = (r"(?:(?:systemic|oral|high(?:-| )dose) )*(?:cortico)?steroids?|(?:(?:systemic|oral) )*glucocorticoids?|"
               r"(?:(?:systemic|oral) )*glucocorticosteroids?")
_STEROID = re.compile(rf"^(?:{_STEROID_NP})(?: (?:therapy|treatment|use|medications?))?$")
_ABOVE = r"(?:>=?|in excess of|greater than|more than|exceeding|above|higher than)"
_MG = r"\d+(?:\.\d+)? ?mg(?: ?/ ?kg)?(?: ?/ ?(?:day|d|daily)| daily| per day| a day)?"
_PRED = r"(?:oral |po )?(?:prednisone|prednisolone)"
_EQUIV = (r"(?:(?: or (?:its |an? )?| \((?:or (?:its |an? )?)?|/| )(?:equivalents?|equivalent doses?|equivalent dose of another "
          r"corticosteroid|equipotent doses of other corticosteroids|steroid equivalent)\)?)?")
_DOSE = (rf"(?:(?:at|in) )?(?:an? )?(?:(?:daily )?(?:dose|doses|dosing|dosed)(?: equivalent)? (?:of |at |to )?)?"
         rf"(?:equivalent (?:to |of )?|the equivalent of )?"
         rf"(?:{_ABOVE} ?(?:the equivalent of )?{_MG}(?: of)? {_PRED}(?: ?/ ?day| daily| per day)?(?: equivalents?)?"
         rf"|{_PRED} equivalent dose of {_ABOVE} ?{_MG}|{_ABOVE} {_PRED} {_MG}){_EQUIV}")
_STEROID_DOSE = re.compile(rf"^(?P<x>.+?) (?P<dose>\({_DOSE}\)|{_DOSE})(?: for any reason)?"
                           rf"(?: or (?P<rest>(?:any |other |another )+.+))?$")
_DOSE_FIRST = re.compile(rf"^(?P<dose>{_ABOVE} ?{_MG}(?: of)? {_PRED}(?: ?/ ?day| daily| per day)?{_EQUIV})"
                         rf"(?: or (?P<rest>(?:any |other |another )+.+))?$")


def steroid_dose(clause: Clause, t: str) -> c.Node | None:
    """All(PriorTherapy(systemic_corticosteroid, current or windowed), Unparsed(dose)) for the shapes
    above, Any(that, other immunosuppressive therapy) when one follows; None otherwise."""
    if "predniso" not in t or clause.historical or _required_use(clause):
        return None
    head, within = window_at_end(t)
    m = _CURRENT.match(head)
    if m.group("now") or m.group("now2"):
        x = m.group("x")
    else:
        lead = LEAD.match(head)
        if within is None or (lead is not None and not PRIOR_SAYS.search(lead.group(0))):
            return None
        x = head[lead.end():] if lead else head
    if _PAST.search(x) or (within is None and _PAST.search(head)):
        return None
    d = _STEROID_DOSE.match(x)
    if d and _STEROID.match(d.group("x")):
        dose = d.group("dose")
    else:
        d = _DOSE_FIRST.match(x)
        if not d:
            return None
        dose = d.group("dose")
    atom = c.PriorTherapy(classes=("systemic_corticosteroid",), within_days=within if within is not None else 0)
    node: c.Node = c.All((atom, c.Unparsed(dose.strip("()") if dose.startswith("(") else dose)))
    if d.group("rest"):
        other = form_of(clause, d.group("rest")) or resolve_drug(clause, _OTHER.sub("", d.group("rest")), True)
        if other is None or not concurrent(clause, other):
            return None
        node = c.Any((node, dataclasses.replace(other, within_days=atom.within_days)))
    return node


_OTHER = re.compile(r"^(?:(?:any|other|another) )+")
