"""Procedures: surgery and radiotherapy, optionally within a washout window."""

from __future__ import annotations

import re

import functools

from trialmatch.domain import criteria as c
from trialmatch.matching.surgery_classes import load_surgery_classes
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.patterns import has_any
from trialmatch.nlp.builders.treatment_words import EVER, QUALIFYING, window_at_end
from trialmatch.nlp.required_literals import guarded

_SURGERY = re.compile(
    r"^(?P<major>major )?(?:surgery|surgeries|surgical procedures?|surgical resection|operations?|surgical interventions?)$"
)
# not "exposure to": "prior exposure to radiation" may be environmental, not radiotherapy
_PROCEDURE_LEAD = re.compile(
    r"^(?:(?:previously|previous|prior|received|receives|receipt of|had|have|has|been|undergone|underwent|completed|"
    r"treatment with|treated with|any|a|an|recent|recently) )+")
_PROCEDURE_PRIOR_SAYS = re.compile(
    r"\b(?:previously|previous|prior|received|receives|receipt|had|undergone|underwent|completed|treatment with|treated with)\b")
# "major surgery requiring general anesthesia": which surgeries count, a narrowing the atom cannot
# carry (kept Unparsed beside it); one requirement, no list
_REQUIRING = re.compile(r" (?P<req>requiring (?!.*\b(?:or|and|and/or)\b)[a-z0-9][a-z0-9 '-]*[a-z0-9])$")
_RADIATION = re.compile(
    r"^(?:radiotherapy|radiation therapy|radiation|rt|irradiation|radiosurgery)(?: treatment)?$"
)


# radiation that is not a treatment, or a treatment with it ("chemo" + radiation is a combination)
_NOT_RADIOTHERAPY = re.compile(r"\b(?:ultraviolet|uv|ionizing|ionising|background|occupational|environmental|"
                               r"exposure|chemo|chemotherapy|or|and|no|any)\b|cancer|carcinoma|tumou?r|malignan|metasta|neoplas|lesion")
# one to three plain words naming a kind of radiotherapy ("external beam", "palliative", "whole brain")
_RADIATION_KIND = re.compile(
    r"^(?P<kind>[a-z][a-z-]*(?: [a-z][a-z-]*){0,2}) (?:radiotherapy|radiation therapy|radiation|irradiation|radiosurgery)"
    r"(?: treatment)?$")


# radiotherapy to a site above a dose: "radiation therapy to the lung that is > 30 gy within 6 months" (the
# KEYNOTE template; the window keeps the clause from the qualifier pattern, which reads "prior radiotherapy to
# the target lesion" as All(radiation, Unparsed(site)) already). Any radiation in the window is necessary,
# the site and dose are kept Unparsed beside it: the atom's body_site is a metastatic-site key matched
# against the bodySite of a recorded course, and lung dose comes from chest or breast courses too (a course
# recorded at another site would be passed over, and an older lung course would then clear the patient). A
# dose is radiation's alone, so a list before it ("surgery or radiation to the lung > 30 gy") cannot share
# the phrase; without a dose the site might reach the other members ("prior surgery or radiation therapy to
# the operative site") and is not read here. One site of at most five words, no list or verb
_RADIATION_SITE = re.compile(
    r"^(?:radiotherapy|radiation therapy|radiation|rt|irradiation)(?: treatment)? "
    r"(?P<site>to (?:the )?(?P<where>[a-z][a-z-]*(?: [a-z][a-z-]*){0,4}?) (?:that is |of )?(?:>=?) ?\d+(?:\.\d+)? ?"
    r"(?:gy|gray)(?: \(gy\))?)$")
_SITE_REFUSED = re.compile(r"\b(?:or|and|no|not|any|except|excluding|unless|other|planned|plan|will|is|are|be|"
                           r"for|with|which|that|who|if|during|after|before|within|field|fields|dose|doses)\b")


# an aside naming what the protocol does not count as major surgery: "major surgery (excluding
# placement of vascular access) within 4 weeks"
_NOT_MAJOR_ASIDE = re.compile(r" \((?:excluding|not including|except for|except) (?P<what>[^()]+)\)")
_ASIDE_SPLIT = re.compile(r",? or |,? and |, ")


@functools.cache
def _minor_words() -> frozenset[str]:
    return load_surgery_classes().minor_aside_words


def _without_minor_aside(t: str) -> str | None:
    """The text without an aside that excludes only kinds of procedure the surgery table
    (matching/data/surgery.yaml, ``aside_words``) holds as minor: the major-surgery atom never
    counts those, so the aside says nothing more. None when an aside names anything else
    ("excluding diagnostic laparoscopy": a laparoscopic resection is major in the table)."""
    m = _NOT_MAJOR_ASIDE.search(t)
    if not m:
        return t
    parts = [x.strip() for x in _ASIDE_SPLIT.split(m.group("what"))]
    if not parts or not all(x in _minor_words() for x in parts):
        return None
    rest = t[:m.start()] + t[m.end():]
    head, within = window_at_end(rest)
    if within is None or head.rstrip(" ,") != rest[:m.start()].rstrip(" ,"):
        return None  # only an aside written just before the window ("... or significant injury within 28 days" is a list)
    return rest


def build_procedure(clause: Clause) -> c.Node | None:
    """Surgery or radiation, optionally within a window. "Major surgery" is
    Procedure(major=True): the matcher decides it from the surgery's codes
    (matching/data/surgery.yaml; an unclassified surgery in the window is to confirm). It needs a
    window ("major surgery anticipated during the study" is not read), which may be written after
    an aside excluding minor procedures ("major surgery (excluding placement of vascular access)
    within 4 weeks"; an aside naming anything else leaves the item unread). A bare "surgery" with
    neither a word saying it was done before nor a window is not read. "Minor surgery within 7
    days" is not read: All(surgery within 7 days, Unparsed("minor")) would be honest alone, but
    protocols write it as a second sentence or a comma-list member beside the major-surgery
    window, where the item's combination (a sentence read as a definition, a comma list read as
    All) would clear a patient the other part excludes. "Recent" before a window says the window
    again ("recent major surgery within 4 weeks"); "recent surgery" with no window is not read. A
    requirement after the surgery ("requiring general anesthesia", "requiring hospitalization for
    more than 3 days") narrows which surgeries count: All(the surgery, Unparsed(requirement)).

    Sixth round: plural nouns ("major surgical procedures"); a window in brackets at the end ("major
    surgery (< 3 weeks prior to the first dose)") or with a comparator after "within" ("within <= 2
    weeks"); radiotherapy to a site above a dose within a window ("radiation therapy to the lung that is
    > 30 gy within 6 months") is All(radiation within the window, Unparsed(site and dose)). Future
    procedures ("scheduled", "planned", "will undergo") are never read: no lead word says the procedure
    was done and they carry no washout window.

    Seventh round (``recovery_node``, exclusions only): "has not adequately recovered from major surgery
    (or has ongoing surgical complications)" is All(Procedure(surgery, major), Unparsed(recovery)) (or Any of it
    and the complications); a surgery washout with a recovery alternative ("major surgery within 4 weeks ...,
    or no recovery from side effects of such intervention") is Any(washout, Unparsed(recovery))."""
    if "recover" in clause.text or " or " in clause.text:
        node = recovery_node(clause)
        if node is not None:
            return node
    if "radiation-related" in clause.text:
        node = radiation_toxicity_alternative(clause)
        if node is not None:
            return node
    node = procedure_atom(clause)
    if node is None and clause.section == "exclusion" and "within" in clause.text and not clause.negated \
            and not clause.historical:
        return radiation_windows(clause.text)
    return node


# Seventh round, second wave. The KEYNOTE variant "Has received prior radiotherapy within 2 weeks of start of study
# intervention, or (has) radiation-related toxicities, requiring corticosteroids" (NCT06312137, NCT06843447, 9 items):
# excluded by either, so Any(Procedure(radiation, within the window), Unparsed(the toxicity)). The window is the
# radiotherapy's alone (the toxicity has its own verb or follows the window) and "requiring corticosteroids" after the
# comma is the toxicity's: the template's long form, "Has received prior radiotherapy within 2 weeks of start of study
# intervention. Participants must have recovered from all radiation-related toxicities, not require corticosteroids, and
# not have had radiation pneumonitis" (KEYNOTE protocols, e.g. NCT04712851), excludes any radiotherapy in the window
# whatever its toxicity. Exclusion only, the radiotherapy a plain washout (no site, kind or narrowing)
_RT_TOXICITY_TAIL = re.compile(
    r",? or (?P<tail>(?:has |have )?radiation-related toxicit(?:y|ies),? requiring (?:systemic )?(?:corticosteroids|steroids))$")


def radiation_toxicity_alternative(clause: Clause) -> c.Node | None:
    if clause.section != "exclusion" or clause.negated or clause.historical:
        return None
    m = _RT_TOXICITY_TAIL.search(clause.text)
    if m is None:
        return None
    head = procedure_atom(clause.with_text(clause.text[:m.start()]))
    if not isinstance(head, c.Procedure) or head.kind != "radiation" or head.within_days is None:
        return None
    return c.Any((head, c.Unparsed(m.group("tail"))))


# Seventh round: several kinds of radiotherapy each with its own window (exclusion): "Radiation therapy for bone
# metastasis within 2 weeks, any other radiation therapy within 4 weeks
# before first dose of study treatment" (NCT04322955), "Radiotherapy with a wide field of radiation within 4 weeks or
# radiotherapy with a limited field of radiation for palliation within 2 weeks of the first dose" (NCT05417594). Every
# alternative is a radiotherapy within its window, so a radiotherapy within the longest window is necessary: All(
# Procedure(radiation, longest), Unparsed(clause)); a patient whose last radiotherapy is older is cleared, one with a
# course in the window is to confirm (which kind, which field). Each part (split at ", " and "or", asides in brackets
# set apart) must name a radiotherapy as its noun (a few plain words before it, a preposition or a participle after
# it: "radiation pneumonitis", "radiation-induced", "radiation oncologist" are no radiotherapy) and carry its window
# ("... or with a wide field of radiation or to more than 30% of the bone marrow within 4 weeks" leaves a part without
# one: not read); any other treatment, a plan, a toxicity or an exception leaves the clause unread
_RT_NOUN = r"(?:radiotherapy|radiation therapy|radiation treatment|radiation|irradiation|rt|sbrt|srs|radiosurgery)"
_RT_PART = guarded(
    rf"^(?:(?:prior|previous|received|receiving|receipt of|had|has|have|any|other|any other|patients?|participants?|"
    rf"subjects?|with) )*(?:[a-z][a-z-]* ){{0,3}}{_RT_NOUN}(?: \(\w+\))?"
    r"(?: (?:to|for|with|outside|of|including|involving|performed|administered|given|delivered|affecting|at|on) .+)?$")
_RT_REFUSED = re.compile(
    r"\b(?:no|not|except|excluding|exception|unless|allowed|permitted|planned|plans?|will|need|needs|requir\w*|potential|"
    r"expected|anticipated|chemo\w*|surg\w*|systemic|drugs?|agents?|immuno\w*|antibod\w*|investigational|hormon\w*|"
    r"isotopes?|radioisotopes?|radiopharmaceutical\w*|radioligand|radionuclide|radium|strontium|samarium|lutetium|"
    r"iodine|ablation|embolization|pneumonitis|toxicit\w*|recover\w*|corticosteroid\w*|induced|related|oncologist|"
    r"exposure|effusion|apheresis|leukapheresis|collection|and|and/or|since|after|following|during)\b")
_RT_SPLIT = re.compile(r",? or |, ")


def radiation_windows(t: str) -> c.Node | None:
    if not ("radi" in t or " rt " in f" {t} " or "sbrt" in t or "srs" in t):
        return None
    plain = re.sub(r"\s*\([^()]*\)", "", t)
    windows = []
    for part in _RT_SPLIT.split(plain):
        head, within = window_at_end(_window_spelled(part) if part.endswith(")") or "within <" in part else part)
        if within is None or within <= 0 or _RT_REFUSED.search(head) or not _RT_PART.match(head.strip()):
            return None
        windows.append(within)
    if len(windows) < 2:
        # one narrowed radiotherapy alone ("Has had radiotherapy with a limited field for palliation within 1 week of
        # the first dose, with the exception of patients receiving radiation to more than 30% of the bone marrow
        # ..., which must be completed at least 4 weeks prior", NCT04890613) is often the short window of a longer
        # one stated beside it, which the item's combination (an exception or "and") would read as narrowing it
        return None
    return c.All((c.Procedure("radiation", within_days=max(windows)), c.Unparsed(t)))


# Seventh round. Recovery from surgery has no atom; the surgery it speaks of is necessary ("has not adequately
# recovered from major surgery": a patient who never had one cannot be excluded by it), the recovery is kept
# Unparsed beside it: All(Procedure(surgery, major), Unparsed(recovery)). A negated clause of an exclusion only
# (the reader took "has not" off and wraps the node in Not again); a misplaced requirement in an exclusion
# ("must have recovered from major surgery", not negated) and any inclusion are not read
_RECOVERED_FROM = guarded(
    r"^(?:yet )?(?:adequately |fully |completely |sufficiently )?recovered from (?:(?:the |any |all )?"
    r"(?:side |adverse |acute )?(?:effects|toxicit(?:y|ies)|complications)(?: of| from| due to) )?(?:(?:any|the|a|recent) )?"
    r"(?P<major>major )?(?:surgery|surgical procedures?|surgical interventions?)"
    r"(?P<tail>,? or (?:has |have )?(?:ongoing|persistent|unresolved) (?:post-?)?surgical complications)?$")
# a surgery washout followed by a recovery alternative: "major surgery within 4 weeks of registration, or ongoing
# clinically significant post-surgical complications", "..., or no recovery from side effects of such intervention",
# "... or has not recovered from major side effects due to surgery": excluded by either, so Any(the washout,
# Unparsed(recovery)). (The prior radiotherapy washout "..., or has radiation-related toxicities, requiring
# corticosteroids" is read by ``radiation_toxicity_alternative``.)
_RECOVERY_TAIL = guarded(
    r",? or (?P<tail>(?:who )?(?:has |have )?not (?:yet )?(?:fully |adequately |completely )?recovered from "
    r"(?:(?:the |any |all )?(?:major )?(?:side effects|effects|toxicit(?:y|ies)|complications)(?: of| from| due to) )?"
    r"(?:(?:any|the|such|a) )?(?P<what>major surgery|surgery|such intervention|surgical procedures?)"
    r"|no (?:recovery|resolution) (?:from|of) (?:the |any )?(?:side effects|effects|complications) of (?P<what2>such intervention|"
    r"(?:the |any )?(?:major )?surgery)"
    r"|(?:has |have )?(?:ongoing|persistent|unresolved) (?:clinically significant )?(?:post-?)?surgical complications)"
    # a relative clause or judgement after the recovery is the recovery's ("... or not recovered from any major surgery
    # that occurred > 2 weeks before starting study treatment", NCT06130254): kept in its Unparsed words, never
    # read after the whole alternative as a narrowing of the washout too
    r"(?: (?:that|which|per|as (?:assessed|determined|judged) by) [^,;()]+)?$")
# second wave: "Has had major surgery from which the subject has not yet recovered" (NCT04219254, exclusion, not
# negated: the negation is in the relative clause): the surgery is necessary, All(Procedure(surgery, major),
# Unparsed(the recovery)), as for "has not recovered from major surgery"
_SURGERY_NOT_RECOVERED = guarded(
    r"^(?:had |has had |undergone |underwent )?(?P<major>major )?(?:surgery|surgical procedures?|surgical interventions?) "
    r"(?P<rel>from which (?:the )?(?:subject|patient|participant)s? (?:has|have) not (?:yet )?(?:fully |adequately |completely )?"
    r"recovered)$")


def recovery_node(clause: Clause) -> c.Node | None:
    t = clause.text
    if clause.section != "exclusion":
        return None
    if not clause.negated and not clause.historical and "from which" in t:
        m = _SURGERY_NOT_RECOVERED.match(t)
        if m:
            return c.All((c.Procedure("surgery", major=bool(m.group("major"))), c.Unparsed(m.group("rel"))))
    if clause.negated:
        m = _RECOVERED_FROM.match(t)
        if m is None:
            return None
        words = t[:m.start("tail")] if m.group("tail") else t
        node = c.All((c.Procedure("surgery", major=bool(m.group("major"))), c.Unparsed(f"not {words}")))
        if m.group("tail"):
            node = c.Any((node, c.Unparsed(m.group("tail").lstrip(", ").removeprefix("or "))))
        return c.Not(node)  # the reader wraps it in Not again: "has not recovered ..."
    m = _RECOVERY_TAIL.search(t) if "surg" in t or "intervention" in t else None
    if m:
        head = procedure_atom(clause.with_text(t[:m.start()]))
        if not isinstance(head, c.Procedure) or head.kind != "surgery" or head.within_days is None:
            return None
        # the recovery alternative stays Unparsed whole, as the qualifier reader writes such an alternative
        # ("... or who have not fully recovered from major surgery per treating investigator", NCT06029998)
        return c.Any((head, c.Unparsed(t[m.start("tail"):])))
    return None


# a window in brackets at the end ("has had major surgery (< 3 weeks prior to the first dose)", NCT06697301) or
# a comparator after "within" ("major surgery within <= 2 weeks before randomization", NCT04747912): the
# window as the washout reader spells it ("< 3 weeks" is read as 21 days there, as everywhere)
_BRACKET_WINDOW = re.compile(r" \(((?:<=?|within) ?\d+ (?:days?|weeks?|months?)(?: (?:prior to|before) [^()]+)?)\)$")
_WITHIN_CMP = re.compile(r"\bwithin (?:<=?|<) ?(?=\d)")


def _window_spelled(t: str) -> str:
    if t[-1:] == ")" and has_any(t, ("(<", "( <", "(within")):
        t = _BRACKET_WINDOW.sub(r" \1", t)
    return _WITHIN_CMP.sub("within ", t) if "within <" in t else t


def procedure_atom(clause: Clause, major_without_window: bool = False) -> c.Node | None:
    base = text = clause.text
    if text[-1:] == ")" or "within <" in text:
        base = text = _window_spelled(text)
    if "(" in text and ("exclud" in text or "except" in text or "not includ" in text):
        text = _without_minor_aside(text)
        if text is None:
            return None
    head, within = window_at_end(text)
    lead = _PROCEDURE_LEAD.match(head)
    says_prior = bool(lead and _PROCEDURE_PRIOR_SAYS.search(lead.group(0)))
    x = EVER.sub("", head[lead.end():] if lead else head).strip(" ,")
    if not says_prior and within is None:
        return None
    requiring = _REQUIRING.search(x) if "requiring" in x else None
    if requiring:
        # "major surgery requiring general anesthesia within 3 weeks": the surgery is necessary
        inner = _SURGERY.match(x[:requiring.start()])
        if inner is None or (inner.group("major") and within is None and not major_without_window) or text != base:
            return None
        return c.All((c.Procedure("surgery", within_days=within, major=bool(inner.group("major"))),
                      c.Unparsed(requiring.group("req"))))
    m = _SURGERY.match(x)
    if m and text != base and not m.group("major"):
        return None  # an aside about major surgery beside plain "surgery"
    if m:
        if m.group("major") and within is None and not major_without_window:
            return None
        return c.Procedure("surgery", within_days=within, major=bool(m.group("major")))
    if _RADIATION.match(x):
        return c.Procedure("radiation", within_days=within)
    m = _RADIATION_SITE.match(x) if within is not None and ("gy" in x or "gray" in x) else None
    if m and not _SITE_REFUSED.search(m.group("where")):
        return c.All((c.Procedure("radiation", within_days=within), c.Unparsed(m.group("site"))))
    m = _RADIATION_KIND.match(x)
    if m and not QUALIFYING.search(m.group("kind")) and not _NOT_RADIOTHERAPY.search(m.group("kind")):
        # "external beam radiotherapy": any radiation is necessary, the kind is kept unparsed
        return c.All((c.Procedure("radiation", within_days=within), c.Unparsed(m.group("kind"))))
    return None
