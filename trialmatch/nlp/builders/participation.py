"""Investigational agents and other-trial participation -> ``StudyParticipation``.

- "receiving any other investigational agents", "concurrent use of other investigational agents",
  "currently receiving another investigational drug" -> ``StudyParticipation(drug_only=True)``
  (now). An investigational agent is a drug tested (or used as a reference) in a clinical trial
  (ICH E6(R2) 1.33, "investigational product"): what a record can show of it is the patient's
  enrolment in a drug study (the matcher, docs/matching.md).
- "investigational agent within 4 weeks prior to the first dose", "received any other
  investigational agent within 30 days prior to enrollment", "participation in another clinical
  study with an investigational product during the last 4 weeks" -> ``StudyParticipation(
  within_days=28, drug_only=True)``: the window read like a washout (``treatment_words``),
  counted back from the trial's start.
- "currently participating in another interventional clinical trial", "concurrent enrollment in
  another clinical study", "enrolled in another clinical trial" -> ``StudyParticipation()``
  (now, any interventional study). A "clinical trial" or "clinical study" is read as an
  interventional one (the NIH definition of a clinical trial): narrower than "any study", and the
  atom is never NOT_MET, so the narrower reading can only leave an item UNKNOWN, never clear or
  exclude a patient wrongly. "Another therapeutic clinical trial" -> ``StudyParticipation(
  purpose="treatment")`` (the study's primary purpose).
- The KEYNOTE template "is currently participating in or has participated in a study of an
  investigational agent or has used an investigational device within 4 weeks prior to the first dose"
  (about 20 items) -> ``Any(StudyParticipation(within_days=28, drug_only=True), Unparsed(clause))``: now
  or within the window is what the windowed atom holds (an enrolment under way overlaps the window), the
  device an alternative; without a window (past participation ever) it is not read.
- A wider study or product than a drug's ("investigational agent or device", "investigational
  study", "investigational device or drug trial"): a drug study is one of them, so
  ``Any(StudyParticipation(drug_only=True), Unparsed(clause))``.

Not read (kept Unparsed): past participation with no window ("participated in another trial",
"prior treatment with an investigational agent": ever is not "now"); "participation in another
trial" with no word saying now; a narrowed agent or study ("investigational anti-cancer agents",
"... for this condition": the record cannot show a study's drug class); a device alone (a device
study has no drug phase); "the investigational product" (this trial's); plans to participate;
"since" and "at least ... before" washouts; half-lives (read by ``washouts.half_lives_washout``,
"whichever is shorter" only).
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.treatment_words import window_at_end

_ANY = r"(?:(?:any|an|a|another|other|any other|additional|any additional)(?: other)? )?"
_NOUN = (r"(?:agents?|agent\(s\)|drugs?|drug\(s\)|therapy|therapies|therapeutics?|therapeutic agents?|products?|"
         r"product\(s\)|medicinal products?|compounds?|medications?|(?:study )?drugs?|study treatment|treatment|treatments)")
_INVESTIGATIONAL = rf"{_ANY}(?:concurrent )?investigational {_NOUN}"
_NOW = r"(?:currently|concurrently|actively|presently|simultaneously)"
# receiving the agent now
_DRUG_NOW = (
    re.compile(rf"^(?:{_NOW} )?(?:receiving|taking|on|using|under active treatment (?:of|with)|in active treatment with|"
               rf"receiving treatment with|being treated with)(?: treatment with)? {_INVESTIGATIONAL}"
               rf"(?: concurrently| at (?:the )?(?:present|this) time)?$"),
    re.compile(rf"^(?:concurrent|concomitant|current|ongoing|simultaneous)(?: active)?(?: use of| treatment with| therapy with|"
               rf" administration of| receipt of| participation with)? {_INVESTIGATIONAL}$"),
    re.compile(rf"^{_INVESTIGATIONAL} (?:concurrently|at (?:the )?(?:present|this) time)$"),
)
# given within a window (the window taken off first)
# "is currently receiving or has received X within 4 weeks", "X concurrently or within 4 weeks": the window
# holds now
_DRUG_WINDOW = re.compile(
    rf"^(?:(?:(?:is )?(?:currently )?receiving or )?(?:has |have |had )?(?:received|receiving|receipt of|treatment with|"
    rf"treated with|therapy with|use of|used|taken|took|had|dosing with|administration of|exposure to|prior|previous|"
    rf"previously received|any prior)(?: treatment with)? )?(?:prior |previous )?{_INVESTIGATIONAL}"
    rf"(?: use| used| (?:was |were )?(?:administered|given|received|taken))?(?: concurrently or)?$")
_STUDY = (r"(?:(?:clinical |interventional |interventional clinical |clinical interventional |investigational clinical )"
          r"(?:trial|study|studies|trials))")
_DRUG_STUDY = (r"(?:(?:clinical )?(?:trial|study) (?:of|with|involving|using|testing|investigating) "
               r"(?:an |any |another |a )?investigational (?:agent|drug|product|medicinal product|compound|therapy)s?|"
               r"investigational drug (?:trial|study))")
# a therapeutic study: one whose primary purpose is treatment
_THERAPEUTIC = r"(?:investigational )?therapeutic (?:clinical |interventional )?(?:trial|study|studies|trials)"
_DRUG_STUDY_RX = re.compile(_DRUG_STUDY)
_IN = r"in (?:another|any other|a|an|any|other|a separate|any additional)"
# now: a present participle ("participating", "enrolled"), or a noun with a word saying now ("current
# participation"); "participation in another trial" alone may be past participation
_PARTICIPATE_NOW = re.compile(
    rf"^(?:(?:{_NOW} )?(?:participating|participant|enrolled|taking part|being enrolled)"
    rf"|(?:{_NOW}|current|concurrent|simultaneous) (?:participation|participant|enrollment|enrolment))"
    rf"(?: or (?:enrollment|enrolment|participation))? {_IN} (?P<what>{_STUDY}|{_DRUG_STUDY}|{_THERAPEUTIC})$")
# receiving a study's intervention now is taking part in it as the atom means ("Currently receiving treatment in
# another interventional study", NCT06826768; "Actively receiving systemic treatment or direct medical intervention on
# another therapeutic clinical study", NCT05384626)
_RECEIVING_IN = re.compile(
    rf"^(?:{_NOW} )?receiving (?:(?:study |systemic )?treatment|therapy|an intervention|"
    rf"systemic treatment or direct medical intervention) (?:in|on|as part of) (?:another|any other|other|a|an|any) "
    rf"(?P<what>{_STUDY}|{_DRUG_STUDY}|{_THERAPEUTIC})$")
# the KEYNOTE template "is currently participating in or has participated in a study of an investigational
# agent ... within 4 weeks": now or within the window, what the windowed atom holds (an enrolment under way
# overlaps the window)
_PARTICIPATE_WINDOW = re.compile(
    rf"^(?:(?:{_NOW} )?participating in or (?:has |have )?participated"
    rf"|(?:{_NOW} |current |concurrent |prior |previous )?(?:participating|participation|participated|participate|"
    rf"enrolled|enrollment|"
    rf"enrolment|taking part|took part|been enrolled)(?: or (?:enrollment|enrolment|participation))?) {_IN} "
    rf"(?P<what>{_STUDY}|{_DRUG_STUDY}|{_THERAPEUTIC})$")
_WINDOW_ASIDE = re.compile(r" \((within [^()]+)\)$")
_REFUSED = re.compile(r"\b(?:device|devices|planned|plans?|planning|for|except|"
                      r"unless|other than|observational|non-investigational|approved|anti-?cancer|anti-neoplastic|"
                      r"antineoplastic|cytotoxic|half-li)")


def build_participation(clause: Clause) -> c.Node | None:
    t = clause.text
    # every reading names an investigational agent or a clinical / interventional study or trial
    if not ("investigational" in t or "interventional" in t or "clinical trial" in t or "clinical stud" in t):
        return None
    if "(including investigational)" in t:
        return therapy_or_investigational(clause)
    return participation_node(t)


# Seventh round, second wave: "Receipt of any type of cytotoxic, biologic or other systemic anticancer therapy
# (including investigational) within 4 weeks before first dose of study treatment" (NCT05168618, NCT07043608,
# NCT04820179, exclusion). The classes read without the aside cleared a patient dosed in another trial last week (no
# record's drug class shows an investigational agent: round-6 audit, clause_prepare._widens), so the aside is read as
# its own alternative with the same window: Any(PriorTherapy(classes, within), StudyParticipation(within,
# drug_only)). An investigational agent is a drug under test in a clinical trial (ICH E6(R2) 1.33): what a record
# shows of it is an enrolment in a drug study. The study atom is a little wider than "investigational anticancer
# therapy" (a drug study of another disease counts); in an exclusion with a window it is never a permanent
# "ineligible" (the matcher asks to confirm a washout) and never NOT_MET, so the item is cleared only by the
# classes failing and the study being ruled out by hand. Exclusion only, the aside just before the window, the head a
# plain prior-therapy washout (the therapy reader's PriorTherapy with that window, nothing beside it)
_INCLUDING_INVESTIGATIONAL = re.compile(r" \(including investigational\)(?= within )")


def therapy_or_investigational(clause: Clause) -> c.Node | None:
    if clause.section != "exclusion" or clause.negated or clause.historical:
        return None
    m = _INCLUDING_INVESTIGATIONAL.search(clause.text)
    if m is None:
        return None
    rest = clause.text[:m.start()] + clause.text[m.end():]
    _, within = window_at_end(rest)
    if within is None or within <= 0:
        return None
    from trialmatch.nlp.builders.therapy import build_therapy  # therapy -> washouts -> participation: kept lazy

    atom = build_therapy(clause.with_text(rest))
    if not isinstance(atom, c.PriorTherapy) or atom.within_days != within:
        return None
    return c.Any((atom, c.StudyParticipation(within_days=within, drug_only=True)))


# a wider study or product than a drug's: a drug study is one of them, the rest is not read
# ("investigational agent or device", "investigational study", "investigational device or drug trial")
_WIDER = (
    (re.compile(r"\binvestigational (agent|drug)(s?)(?:\(s\))? or (?:has used |have used |used )?(?:an? )?"
                r"(?:investigational )?(?:medical )?devices?"), r"investigational \1\2"),
    (re.compile(r"\binvestigational (?:device or drug|drug or device) (study|studies|trial|trials)\b"),
     r"investigational drug \1"),
    (re.compile(r"\binvestigational (study|studies|trial|trials)\b"), r"investigational drug \1"),
)
# "for any condition": no narrowing
_ANY_CONDITION = re.compile(r" for any (?:condition|indication|disease)(?= within|$)")


# Seventh round: more wordings of the KEYNOTE template, each with a drug study among its alternatives (the rest
# kept Unparsed beside it, as for the template: a device or a plan no record shows):
# - "is currently participating and receiving study therapy or has participated in a study of an investigational
#   agent and received study therapy or used an investigational device within 4 weeks of the first dose of
#   treatment" (NCT03474497; "participating in and receiving", "received study drug", "... study therapy in, or"):
#   a drug study with its therapy received within the window is one way to meet it, Any(StudyParticipation(
#   within_days, drug_only), Unparsed(clause)); the current study is not said to be a drug study, so the now-part
#   stays in the Unparsed words;
# - "is participating or planning to participate in another interventional clinical trial, or has participated in
#   a trial of an investigational agent or has used an investigational device within 4 weeks prior to first dose"
#   (NCT04752826): Any(StudyParticipation() now, StudyParticipation(within_days, drug_only), Unparsed(clause));
# - (second wave) "currently participating in or has planned participation in a study of another investigational
#   agent or device" (NCT05732831): taking part now in a drug study is one way to meet it, Any(StudyParticipation(
#   drug_only) now, Unparsed(clause)); the plan and the device study are alternatives no record shows (UNKNOWN).
# The registry's "of treatment allocation/randomization" and "of the date of allocation/randomization" are the
# randomisation the window counts back from
_KEYNOTE_RECEIVING = re.compile(
    r"^(?:(?:is )?currently )?participating(?: in| (?:in )?and receiving study therapy(?: in,?)?)? or has participated in a "
    r"(?:study|trial) of an investigational agent and received (?:study therapy|study drug|investigational therapy) or "
    r"(?:(?:has )?used )?(?:an? )?investigational device$")
_KEYNOTE_INTERVENTIONAL = re.compile(
    r"^(?:currently )?participating or planning to participate in another interventional clinical (?:trial|study),? or "
    r"(?:has )?participated in a (?:trial|study) of an investigational agent or (?:has )?used an investigational device$")
_KEYNOTE_PLANNED = re.compile(
    r"^(?:(?:is )?currently )?participating in or (?:has )?planned participation in a (?:study|trial) of (?:another|an) "
    r"investigational agent or (?:investigational )?device$")
_ALLOCATION = re.compile(r"\bof (?:treatment |the date of )?allocation/randomi[sz]ation$")


def _keynote_variant(t: str) -> c.Node | None:
    if not t.startswith(("is ", "currently ", "participating")):
        return None
    if _KEYNOTE_PLANNED.match(t):
        return c.Any((c.StudyParticipation(drug_only=True), c.Unparsed(t)))
    head, within = window_at_end(_ALLOCATION.sub("of randomization", t))
    if within is None or within <= 0:
        return None
    if _KEYNOTE_RECEIVING.match(head):
        return c.Any((c.StudyParticipation(within_days=within, drug_only=True), c.Unparsed(t)))
    if _KEYNOTE_INTERVENTIONAL.match(head):
        return c.Any((c.StudyParticipation(), c.StudyParticipation(within_days=within, drug_only=True), c.Unparsed(t)))
    return None


def participation_node(t: str) -> c.Node | None:
    """The whole clause: the atom, or Any(atom for a drug study, Unparsed(clause)) when the clause
    names a wider study or product than a drug's (a drug study is one: it meets the clause, and
    the rest stays UNKNOWN)."""
    if "participat" in t and ("investigational device" in t or t.endswith(" device")):
        node = _keynote_variant(t)
        if node is not None:
            return node
    atom = participation_atom(t)
    if atom is not None:
        return atom
    narrowed = t
    for rx, drug in _WIDER:
        narrowed = rx.sub(drug, narrowed)
    if narrowed == t:
        return None
    atom = participation_atom(narrowed)
    if atom is None or not atom.drug_only:
        return None
    return c.Any((atom, c.Unparsed(t)))


def participation_atom(t: str) -> c.StudyParticipation | None:
    """The atom a whole clause means, or None (also used by the half-lives washout)."""
    t = _ANY_CONDITION.sub("", t)
    if _REFUSED.search(t):
        return None
    aside = _WINDOW_ASIDE.search(t)
    if aside:  # "receiving any other investigational agents (within 28 days prior to cycle 1, day 1)"
        t = t[:aside.start()] + " " + aside.group(1)
    head, within = window_at_end(t)
    if within is None:
        if any(rx.match(t) for rx in _DRUG_NOW):
            return c.StudyParticipation(drug_only=True)
        m = _PARTICIPATE_NOW.match(t) or _RECEIVING_IN.match(t)
        if m:
            return _study(None, m.group("what"))
        return None
    if within <= 0:
        return None
    if head.endswith(" or") and "concurrent" in head:  # "receipt of concurrent X or within 30 days"
        head = head[:-3]
    if _DRUG_WINDOW.match(head) or any(rx.match(head) for rx in _DRUG_NOW):
        return c.StudyParticipation(within_days=within, drug_only=True)
    m = _PARTICIPATE_WINDOW.match(head)
    if m:
        return _study(within, m.group("what"))
    return None


def _study(within: int | None, what: str) -> c.StudyParticipation:
    return c.StudyParticipation(within_days=within, drug_only=_DRUG_STUDY_RX.fullmatch(what) is not None,
                                purpose="treatment" if "therapeutic" in what else None)
