"""Laboratory thresholds: ``ANC >= 1.5 x10^9/l``, ``AST and ALT <= 2.5 x ULN``.

Values and units are kept as written, in UCUM-like spelling (``10*9/L``, ``10*3/uL``,
``/mm3``, ``g/dL``, ``umol/L``, ``mL/min/{1.73_m2}``); the matcher converts them to the
analyte's canonical unit. A unit of the wrong dimension for the analyte, or one the engine's
unit table (``trialmatch.matching.units``) cannot convert, is refused. A value with no unit is not
structured (a guessed unit is worse than none), except for INR, a ratio (unit ``{ratio}``).

LVEF (``%``), QTc (``ms``) and oxygen saturation (``%``) are read as labs too. QTc only where the words name the correction
formula (QTCF Fridericia, QTCB Bazett; one key each, labs.yaml): a "QTc" that names none is left
unparsed, since the formula may sit in an aside dropped before the builders run ("corrected QT
interval (QTcF)"). A threshold for one sex ("> 470 ms for females and > 450 ms for males") is
Unparsed whole, as is a normal limit with no number ("below the institutional LLN").
"""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.lab_units import ANALYTE_UNITS, UNIT_RX, UNITS, convertible, plausible
from trialmatch.nlp.builders.patterns import CMP, NUM, days, has_any, number
from trialmatch.nlp.required_literals import guarded

# measurements read as labs whose threshold may say how it is measured (below)
_MEASURES = frozenset({"LVEF", "QTC", "QTCF", "QTCB", "SPO2"})
# one of them is in every phrase of the five (lexicon/labs.json)
_MEASURE_WORDS = ("ejection", "lvef", " ef", "qt", "o2", "saturation", "oxim")
_NO_ULN = {"CRCL", "GFR"}
# the event a window counts from ("within 14 days prior to registration"): never across "or"/"and", which open a
# criterion of their own ("... within 7 days of registration or history of familial long qt syndrome" lost the second)
_WITHIN = (r"(?:,? \(? ?(?:(?:specimens? |samples? )?(?:to be |must be |should be )?(?:obtained |performed |measured |done |drawn |collected "
           r"|assessed |documented )(?:at or )?)?(?:within|<=|<) (\d+) (days?|weeks?) "
           r"(?:prior to|before|of|from) (?:(?! or | and |, or |, and )[a-z0-9 ,/-]){0,60}?\)?)?")
# the estimating equation of a clearance or filtration rate ("per the cockcroft and gault formula"): how the value
# is obtained (documentation, as a measuring method is); the threshold and its unit still decide
_FORMULA = r"(?:cock[cg]?roft ?(?:[- ]| and ) ?gault(?:'s)?|mdrd|ckd-epi)"
# the equation named with its article, "modified", and its citation ("(cockcroft and gault 1976)"); a 24-hour urine
# collection as the other way to obtain the clearance ("... or by a 24-hour urine collection", "per 24 hour urine test or
# the cockcroft-gault formula"); the verbs that say how ("as calculated using", "determined by", "as per", "according to")
_EQUATION = rf"(?:the )?(?:modified )?{_FORMULA}(?: formula| equation| method)?(?: \(cockcroft and gault,? 1976\))?"
_URINE = (r"(?:an? |the )?(?:24[- ]?hours?|24[- ]?hrs?|24[- ]?h|24- hour) urine (?:test|collection)"
          r"(?: for (?:the )?determination of (?:the )?creatinine clearance)?")
_HOW = (r"(?:(?:as )?(?:(?:calculated|determined|estimated|measured|assessed) )?(?:by|using|per|with|according to|based on)"
        r"|as per|(?:as )?calculated by)")
_TAIL = (r"(?: \(?(?:at|during) screening\)?)?"
         rf"(?:,? \(?{_HOW} (?:{_EQUATION}(?:,? or (?:{_HOW} )?{_URINE})?|{_URINE} or (?:by )?{_EQUATION})\)?"
         rf"|,? \({_EQUATION}\))?")
# the same, said between the analyte and its threshold ("calculated creatinine clearance (cockcroft-gault formula) of > 45")
_FORMULA_ASIDE = re.compile(rf",? \(?(?:(?:by|using|per|calculated by) (?:the )?)?{_FORMULA}(?: formula| equation| method)?\)?$")
# "(serum glutamic oxaloacetic transaminase)", "/SGPT": other names of AST and ALT, said again
_SYNONYMS = guarded(r"\s*(?:\(|/)\s*(?:serum )?glutam[a-z]*[ -](?:oxaloacetic|oxalacetic|pyruvic|pyruvate)[ -]transaminase"
                       r"(?:\s*[\[(]sg[op]t[\])])?\s*\)?|\s*/\s*sg[op]t\b|\s*[(\[](?:ast|alt|sgot|sgpt)(?:/sg[op]t)?[)\]]")
# "by echocardiogram (echo) or multigated acquisition (muga) scan", "on screening ecg", "obtained from 3 ecgs":
# "by pulse oximetry": how the value is measured (documentation, as "histologically confirmed" is), read only
# after such a measurement. A method's own threshold ("or >= 45% by muga") or a sex ("for males") is not part of it
_METHOD = (r"(?:(?:an?|the|either|either an?|screening|baseline|resting|standard|12[- ]lead|2[- ]?d|transthoracic|"
           r"(?:3|three)(?: consecutive)?|triplicate|repeated|most recent) )*"
           r"(?:echocardiograms?|echocardiography|echo|muga|multi-?gated acquisition|multiple[- ]gated acquisition|"
           r"multigated radionuclide angiography|radionuclide ventriculography|gated radionuclide (?:study|scan)|"
           r"ecgs?|ekgs?|electrocardiograms?|electrocardiography|pulse[- ]oximetry)(?: scans?)?")
# "adequate cardiac function with / defined as": the measurement that follows is the definition
# "(screening 12-lead) ecg showing / with": the interval that follows is the ECG's
_MEASURE_LEAD = (r"(?:(?:adequate|normal|acceptable) (?:cardiac|heart|pulmonary) function,?:? (?:(?:as )?(?:defined|assessed|evidenced) "
                 r"(?:as|by)|with|:)? ?(?:an? )?"
                 r"|(?:(?:baseline|screening|resting) )?(?:12[- ]lead )?(?:ecg|ekg|electrocardiogram) (?:showing|demonstrating|with|indicating) (?:an? )?"
                 # "qtc prolongation defined as a qtcf > 500 ms": the prolongation is the threshold that follows
                 r"|(?:(?:corrected )?qtc?|(?:corrected )?qt interval|qtc interval) prolongation,? (?:defined as|i\.e\.,?) (?:an? )?)?")
_MEASURE_TAIL = (rf"(?:,? \(?(?:as )?(?:(?:assessed|determined|measured|documented|confirmed|evaluated|obtained|performed|calculated) )?"
                 rf"(?:by|on|in|using|via|per|with|based on|from) {_METHOD}(?:(?: or| and/or|/| or by) {_METHOD})*\)?"
                 r"| at rest| at baseline)?")
_VALUE = re.compile(rf"^(?P<an>.+?)(?: levels?| values?| counts?| concentration| tests?)?(?: of| is| must be| should be|:)? ?{CMP} ?{NUM} ?(?P<unit>{UNIT_RX})?{_TAIL}{_WITHIN}{_TAIL}$")
_MEASURE_VALUE = re.compile(rf"^{_MEASURE_LEAD}(?P<an>.+?)(?:,? (?:as )?(?:measured|assessed|determined) by {_METHOD}"
                            rf"(?:(?: or|/) {_METHOD})*| (?:on|at) {_METHOD})?(?: values?| measurements?)?(?: of| is| must be| should be|:)? ?{CMP} ?{NUM} ?"
                            rf"(?P<unit>{UNIT_RX})?{_MEASURE_TAIL}{_TAIL}{_WITHIN}{_MEASURE_TAIL}{_TAIL}$")
# "on room air": the saturation breathing no added oxygen (see _room_air)
_ROOM_AIR = re.compile(r",? \(?(?:on|at|in|breathing) (?:room|ambient) air\)?")
_ULN = guarded(rf"^(?P<an>.+?)(?: levels?| values?| tests?)?(?: of| is| must be| should be|:)? ?{CMP} ?(?:{NUM} ?(?:x ?)?)?i?uln(?: for the institution| \(institutional\))?{_TAIL}{_WITHIN}{_TAIL}$")
# the lab named before the first threshold, and a sex named after it ("for males", "in women", "if female")
_LEAD = re.compile(rf"^(?P<an>.+?)(?: levels?| values?| counts?| concentration| measurements?)?(?: of| is| must be| should be|:)? ?{CMP} ?{NUM}")
_SEX = guarded(r"\b(?:for|in|if|among) (?:the )?(?:(?:fe)?males?|(?:wo)?men)\b|\b(?:fe)?male (?:subjects|patients|participants)\b"
                  r"|\b(?:(?:fe)?males?|(?:wo)?men):? ?(?:>=|<=|>|<) ?\d|\((?:fe)?males?\)|\((?:wo)?men\)")
# "or (significantly) below the (institutional) lower limit of normal": a limit the text does not give
_NORMAL_ALT = re.compile(r"^(?P<head>.+?),? \(?(?P<alt>or (?:significantly |clinically significantly )?< [^()]*?(?:lower limit of normal|\blln\b|limits? of normal|normal limits?|"
                         r"normal range|institutional normal)[^()]*?)\)?$")
# "castrate level(s) of <analyte> (< 50 ng/dl or < 1.7 nmol/l)": a low threshold, written in brackets
# "castrate-level serum/plasma testosterone (< 50 ng/dl)", "a castrate testosterone level (...)"; "with or without the use of
# androgen deprivation therapy" after it adds nothing (the level is the requirement, however reached)
_CASTRATE = re.compile(r"^(?:documented |a )?castrate(?:[- ]levels?(?: of)? (?P<an>[a-z/ ]+?)| (?P<an2>(?:serum |plasma |serum/plasma )?"
                       r"(?:total )?testosterone) levels?)(?: at (?:study entry|screening|baseline))? \((?P<thr>(?:<=|<) ?\d[^()]*)\)"
                       r"(?:,? with(?:/| or )without (?:the )?(?:use of )?(?:androgen[- ]deprivation therapy|adt))?$")
# "effective castration with serum testosterone levels <= 0.5 ng/ml": the level that defines castration
_CASTRATION_WITH = re.compile(r"^(?:effective |documented )?castration,? with (?=(?:serum |plasma )?(?:total )?testosterone)")
_BEFORE_COMPARATOR = re.compile(r"(?<=[a-z)\]])(?=(?:>=|<=|>|<) )")
_EITHER = re.compile(r",? or (?!(?:>=|<=|>|<) )")
_SPLIT = re.compile(r"\s*(?:,? and/or |,? and |,? or |/|, | ?& ?)\s*")
# "serum alt/ast", "ldh serum level": the specimen said around the analyte's name
_SPECIMEN = re.compile(r"^(?:serum|plasma|blood|peripheral(?: blood)?) |(?: serum| plasma)(?: levels?)?$")
# "egfr" is the gene's name too (not in the lexicon): read as the lab only before a renal unit
_EGFR = re.compile(r"^(?:egfr|e-gfr|estimated gfr)$")


def _key(clause: Clause, phrase: str) -> str | None:
    key = clause.terms.key("LAB", phrase)
    if key is None and _SPECIMEN.search(phrase):
        key = clause.terms.key("LAB", _SPECIMEN.sub("", phrase).strip())
    if key is None and ("gault" in phrase or "mdrd" in phrase or "ckd-epi" in phrase):
        bare = _FORMULA_ASIDE.sub("", phrase).strip()
        key = _key(clause, bare) if bare != phrase else None
        if key not in ("CRCL", "GFR"):
            return None  # an equation estimates a clearance or a filtration rate only
    return key


_NAMED_AGAIN = re.compile(r"^([^()]+?) \(([^()]+)\)$")


# "an international normalized ratio", "the platelet count": an article before the analyte
_ARTICLE = re.compile(r"^(?:an?|the) ")
# "prothrombin time (pt)/inr": an abbreviation aside inside a list of analytes (dropped only when it names a lab)
_ABBREVIATION_ASIDE = re.compile(r" \(([a-z]{2,6})\)(?=/| or | and |,|$)")


def _analytes(clause: Clause, phrase: str) -> tuple[tuple[str, ...], str] | None:
    """The analyte keys named by ``phrase`` and the connector ("and", "or", "" for one)."""
    phrase = phrase.strip()
    key = _key(clause, phrase)
    if key:
        return (key,), ""
    if phrase.startswith(("a ", "an ", "the ")):
        return _analytes(clause, _ARTICLE.sub("", phrase))
    if "(" in phrase:
        bare = _ABBREVIATION_ASIDE.sub(lambda m: "" if _key(clause, m.group(1)) else m.group(0), phrase)
        if bare != phrase:
            return _analytes(clause, bare)
    named = _NAMED_AGAIN.match(phrase)
    if named:
        # "anc (absolute neutrophil count)": the analyte named again in full, in brackets; one analyte only
        key = _key(clause, named.group(1))
        return ((key,), "") if key and key == _key(clause, named.group(2)) else None
    parts = _SPLIT.split(phrase)
    if len(parts) < 2:
        return None
    keys = tuple(_key(clause, p) for p in parts)
    if None in keys:
        return None
    connector = "or" if re.search(r"\bor\b", phrase) and "and/or" not in phrase else "and"  # "&" is "and"
    if "and/or" in phrase:
        connector = "and/or"
    return keys, connector


def _combine(clause: Clause, atoms: list[c.Lab], connector: str) -> c.Node | None:
    if len(atoms) == 1:
        return atoms[0]
    # inclusion "AST and ALT <= 2.5 x ULN": each must hold. Exclusion "AST or ALT > 3 x ULN":
    # either excludes. Other readings ("AST and ALT > 3 x ULN" in an exclusion) are ambiguous.
    if clause.section == "inclusion" and connector in ("and", "and/or"):
        return c.All(tuple(atoms))
    if clause.section == "exclusion" and connector in ("or", "and/or"):
        return c.Any(tuple(atoms))
    return None


def _within(groups) -> int | None:
    return days(*groups)


_EQUIVALENT = re.compile(rf"({CMP} ?{NUM} ?({UNIT_RX})) (?:or |/ |(\( ?))(?:\2 ?)?{NUM} ?({UNIT_RX})(?(5)\)|)")


# "<= 3 x uln ( <= 3 x uln)": the threshold said again in brackets
_RESTATED = re.compile(rf"{CMP} ?{NUM} ?x ?uln \( ?{CMP} ?{NUM} ?x ?uln\)")


def _restated(m: re.Match) -> str:
    same = m.group(1) == m.group(3) and float(m.group(2)) == float(m.group(4))
    return f"{m.group(1)} {m.group(2)} x uln" if same else m.group(0)


def _second_unit(m: re.Match) -> str:
    if UNITS[m.group(4)][0] == UNITS[m.group(7)][0]:
        return m.group(0)
    return f"{m.group(2)} {m.group(6)} {m.group(7)}"


def _first_unit(m: re.Match) -> str:
    """The same threshold in two units ("9 g/dl or 5.6 mmol/l", "9 g/dl (5.6 mmol/l)"): the first; two values in one
    unit are two thresholds, left as written (the whole then does not match)."""
    return m.group(1) if UNITS[m.group(4)][0] != UNITS[m.group(7)][0] else m.group(0)


# "total bilirubin <= 1.5 x uln (<= 3 x uln for gilbert's syndrome)", "ast <= 2.5 x uln or <= 5 x uln with
# liver metastases": a looser threshold for a group of patients, said after the threshold
_ALTERNATIVE = re.compile(
    rf"^(?P<head>.+?)(?:,? \( ?(?:or )?(?P<p>)|,? or )(?P<cmp>{CMP}) ?(?P<num>{NUM}) ?(?P<form>x ?uln|{UNIT_RX}) "
    r"(?P<who>(?:for|in|with|if) [^()]{3,120}?)(?(p)\)|)$")
_THRESHOLD_ASIDE = re.compile(r"\s*\( ?(?:or )?(?:>=|<=|>|<) [^()]*\)$")
# the group named exactly: patients with liver metastases (the Metastasis atom)
_LIVER_METASTASES = re.compile(
    r"^(?:for|in|with|if)(?: (?:patients|participants|subjects|those))?(?: with| who have)?(?: known| documented)?"
    r" (?:liver|hepatic) metastas[ie]s(?: present| are present)?$")
# the group named exactly: patients with Gilbert's syndrome (Condition gilbert_syndrome), in the words
# group_requirements.py gilbert_threshold restates an exception in ("... ( <= 3 x uln for patients with gilbert's syndrome)")
# or a bracket says itself ("(<= 3 x uln for subjects with documented gilbert's syndrome)"). "suspected" too:
# only a recorded Gilbert's makes the branch MET, and such a patient is in the group; an unrecorded one is UNKNOWN
# the syndrome's names and the words that say it is on record (shared with group_requirements.py)
GILBERT_NAME = r"gilbert(?:'s|s|'| s)?(?:[- ]meulengracht)?(?: syndrome| disease)?"
GILBERT_STATUS = (r"(?:known|documented|confirmed|suspected)(?:/| or )(?:known|documented|confirmed|suspected)|"
                  r"known|documented|confirmed|well-documented|diagnosed|suspected")
_GILBERT = re.compile(
    r"^(?:for|in|with|if)(?: the case of)?(?:(?: an?| the)? (?:patients?|participants?|subjects?|individuals?|those|children))?"
    rf"(?: with| who have)?(?: a)?(?: (?:{GILBERT_STATUS}|a history of|"
    r"history of|a documented history of|documented history of|diagnosis of))*"
    rf" {GILBERT_NAME}(?: (?:is )?present)?$")
GILBERT = c.Condition(("gilbert_syndrome",))


def build_lab(clause: Clause) -> c.Node | None:
    if "<" not in clause.text and ">" not in clause.text:
        return None  # every reading below is a comparator's (_VALUE, _ULN, _ALTERNATIVE all require CMP)
    if "uln (" in clause.text:
        clause = clause.with_text(_RESTATED.sub(_restated, clause.text))
    m = _ALTERNATIVE.match(clause.text)
    if m:
        return _alternative(clause, m)
    if _SEX.search(clause.text):
        lead = _LEAD.match(clause.text)
        if lead and _SEX.search(clause.text, lead.end()) and _analytes(clause, lead.group("an")):
            # "qtcf > 470 ms for females and > 450 ms for males": a threshold for one sex. Unparsed whole
            # (not None), so that the qualifier pattern does not read the first as everyone's
            return c.Unparsed(clause.text)
    if " air" in clause.text and _ROOM_AIR.search(clause.text):
        return _room_air(clause)
    node = _build_lab(clause)
    if node is None and " or " in clause.text:
        node = _either(clause) or _or_normal(clause)
    aside = _THRESHOLD_ASIDE.search(clause.text) if node is None else None
    if aside and _build_lab(clause.with_text(clause.text[:aside.start()].rstrip(" ,;"))) is not None:
        # "ast <= 3 x uln (<= 5 x uln)": another threshold in brackets, for whom is not said. Unparsed,
        # so that the qualifier pattern does not read it as a narrowing of the first
        return c.Unparsed(clause.text)
    return node


def _room_air(clause: Clause) -> c.Node | None:
    """"pulse oximetry >= 92% on room air": the recorded saturation may have been taken on oxygen, which
    only raises it, so the room-air value is at most the recorded one. A recorded value below the
    threshold settles ">= x on room air" (not met) and "< x on room air" (met); any other value leaves
    it open: All(Lab(>= x), Unparsed(room air)), Any(Lab(< x), Unparsed(room air)). Only saturation."""
    air = _ROOM_AIR.search(clause.text)
    node = _build_lab(clause.with_text(_ROOM_AIR.sub("", clause.text, count=1)))
    if not isinstance(node, c.Lab) or node.analyte != "SPO2":
        return None
    aside = c.Unparsed(air.group(0).strip(" ,()"))
    return c.All((node, aside)) if node.comparator in (">", ">=") else c.Any((node, aside))


def _or_normal(clause: Clause) -> c.Node | None:
    """Exclusion "lvef < 45% by muga or echo (or significantly < the lower limit of normal)": below the
    threshold or below a normal limit the matcher cannot read, either one excludes: Any(threshold,
    Unparsed(alternative)). Not in an inclusion: ">= 50% or >= institutional normal, whichever is
    higher" asks for both, and the clause may have been cut before "whichever"; nor "< 55% or the
    lower limit of normal (whichever is lower)", which asks for both below."""
    if clause.section != "exclusion" or "whichever" in clause.text or not has_any(clause.text, ("normal", "lln")):
        return None
    m = _NORMAL_ALT.match(clause.text)
    if not m:
        return None
    head = _build_lab(clause.with_text(m.group("head")))
    if head is None or not all(isinstance(n, (c.Lab, c.All, c.Any)) for n in walk(head)):
        return None
    return c.Any((head, c.Unparsed(m.group("alt").strip())))


def _either(clause: Clause) -> c.Node | None:
    """"creatinine <= 1.5 x uln or creatinine clearance >= 50 ml/min (obtained <= 14 days prior to
    registration)": two lab thresholds, either suffices; the window said at the end is the item's,
    so it holds for both (read part by part, it would be the second's only)."""
    parts = _EITHER.split(clause.text)
    if len(parts) != 2:
        return None
    nodes = [_build_lab(clause.with_text(p.strip())) for p in parts]
    if not all(isinstance(n, c.Lab) for n in nodes):
        return None
    first, second = nodes
    if second.within_days is not None and first.within_days is None:
        first = dataclasses.replace(first, within_days=second.within_days)
    if first == second:
        return first  # "measured creatinine clearance > 40 ml/min or calculated creatinine cl > 40 ml/min": one threshold
    return c.Any((first, second))


def _bound(node: c.Node) -> tuple[str, float, str] | None:
    """(comparator, number, form) shared by every Lab of a node, or None when they differ."""
    labs = [node] if isinstance(node, c.Lab) else list(getattr(node, "items", ()))
    if not labs or not all(isinstance(n, c.Lab) for n in labs):
        return None
    found = {(n.comparator, n.uln_multiple if n.uln_multiple is not None else n.value,
              "uln" if n.uln_multiple is not None else n.unit) for n in labs}
    return found.pop() if len(found) == 1 else None


def _alternative(clause: Clause, m: re.Match) -> c.Node | None:
    """"X <= a (<= b for <group>)": X within b for the group, within a for everyone else.

    When b admits more than a ("wider"), a alone decides (within a: eligible, or excluded,
    whatever the group) and the group's b stays Unparsed beside it: Any(X <= a, aside). When b
    admits no more than a, X within a is necessary for everyone: All(X <= a, aside). The same
    holds in an exclusion ("X > a (> b for <group>)": All when b > a, Any when b < a). Patients
    with liver metastases are the Metastasis atom: an inclusion's wider threshold for them is read
    exactly, Any(X <= a, All(X <= b, Metastasis(liver))). Thresholds that cannot be ordered (other
    comparator, other unit) are Unparsed, whole."""
    head_clause = Clause(m.group("head").rstrip(" ,;"), clause.terms, clause.section, clause.historical,
                         clause.qualifiers)
    head = _build_lab(head_clause)
    if head is None:
        return None
    bound = _bound(head)
    if bound is None:
        return c.Unparsed(clause.text)
    cmp, limit, form = bound
    alt_form = "uln" if m.group("form").endswith("uln") else UNITS[m.group("form")][0]
    alt_cmp, alt_limit = m.group("cmp"), number(m.group("num"))
    if clause.section == "inclusion" and isinstance(head, c.Lab) and head.analyte == "TBILI" and alt_form == form \
            and (form == "uln" or UNITS[m.group("form")][1] == 1.0) and "gilbert" in m.group("who") and _GILBERT.match(m.group("who")):
        looser = _gilbert_looser(head, cmp, limit, alt_cmp, alt_limit, form)
        if looser is not None:
            return looser
    if alt_cmp != cmp or alt_form != form:
        # returned as Unparsed (not None) so that the qualifier pattern does not read the aside
        # as a narrowing of the head (All(head, aside) would exclude a patient b admits)
        return c.Unparsed(clause.text)
    upper = cmp in ("<", "<=")
    wider = alt_limit > limit if upper else alt_limit < limit
    aside = m.group(0)[len(m.group("head")):].strip(" ,")
    if not wider:
        return c.All((head, c.Unparsed(aside)))
    if clause.section == "inclusion" and _LIVER_METASTASES.match(m.group("who")):
        atoms = [head] if isinstance(head, c.Lab) else head.items
        alt = [dataclasses.replace(n, uln_multiple=alt_limit) if form == "uln"
               else dataclasses.replace(n, value=alt_limit) for n in atoms]
        branch = alt[0] if len(alt) == 1 else c.All(tuple(alt))
        return c.Any((head, c.All((branch, c.Metastasis(site="liver")))))
    return c.Any((head, c.Unparsed(aside)))


def _gilbert_looser(head: c.Lab, cmp: str, limit: float, alt_cmp: str, alt_limit: float, form: str) -> c.Node | None:
    """"total bilirubin <= 1.5 x uln (<= 3 x uln for patients with gilbert's syndrome)": an upper bound of the same
    analyte and form, looser for the group, read exactly: Any(head, All(looser, Gilbert's)). Within the head: MET
    whatever the group; between the two: MET with Gilbert's recorded, UNKNOWN without (no record is not "no
    Gilbert's"); above the looser one: NOT_MET. Every value the head admits meets the looser bound, so the head needs
    no "and not Gilbert's". The comparators may differ ("<= 1.5 x uln (< 2 x uln ...)") when the looser value is
    higher; an equal value, a lower bound or a tighter one is None (the caller's reading)."""
    if cmp not in ("<", "<=") or alt_cmp not in ("<", "<=") or not alt_limit > limit:
        return None
    alt = dataclasses.replace(head, comparator=alt_cmp, **({"uln_multiple": alt_limit} if form == "uln" else {"value": alt_limit}))
    return c.Any((head, c.All((alt, GILBERT))))


def _build_lab(clause: Clause) -> c.Node | None:
    if clause.text.startswith(("castrate", "documented castrate", "a castrate")):
        m = _CASTRATE.match(clause.text)
        if m:  # "castrate level of serum testosterone (< 50 ng/dl)": the threshold is the one in brackets
            clause = clause.with_text(f"{m.group('an') or m.group('an2')} {m.group('thr')}")
    elif "castration" in clause.text:
        clause = clause.with_text(_CASTRATION_WITH.sub("", clause.text, count=1))
    # "hemoglobin >= 9 g/dl or >= 5.6 mmol/l": the same threshold in two units, keep the first (or
    # the second when the first is one the engine does not convert: "hemoglobin >= 5.0 mmol/l (>= 8.0 g/dl)")
    t = _BEFORE_COMPARATOR.sub(" ", _SYNONYMS.sub("", clause.text))
    first = _EQUIVALENT.sub(_first_unit, t)
    node = _read(clause, first)
    if node is None and first != t:
        node = _read(clause, _EQUIVALENT.sub(_second_unit, t))
    return node


def _read(clause: Clause, t: str) -> c.Node | None:
    m = _ULN.match(t)
    if m:
        found = _analytes(clause, m.group("an"))
        if not found:
            return None
        keys, connector = found
        if set(keys) & _NO_ULN:
            return None  # "creatinine clearance <= 1.5 x uln": a clearance has no upper limit to compare with
        multiple = number(m.group(3)) if m.group(3) else 1
        within = _within((m.group(4), m.group(5)))
        atoms = [c.Lab(k, m.group(2), uln_multiple=multiple, within_days=within) for k in keys]
        return _combine(clause, atoms, connector)
    m = _VALUE.match(t)
    found = _analytes(clause, m.group("an")) if m else None
    if m and not found and _EGFR.match(m.group("an").strip()) and m.group("unit") \
            and UNITS[m.group("unit")][0] == "mL/min/{1.73_m2}":
        found = ("GFR",), ""  # "egfr >= 60 ml/min/1.73 m2": a filtration rate, not the gene
    if not found and has_any(t, _MEASURE_WORDS):
        # a measuring method or a lead-in said: read only for the measurements that take one
        m = _MEASURE_VALUE.match(t)
        found = _analytes(clause, m.group("an")) if m else None
        if found and not set(found[0]) <= _MEASURES:
            return None
    if not found:
        return None
    keys, connector = found
    value = number(m.group(3))
    unit_text = m.group("unit")
    if unit_text is None:
        if set(keys) == {"PT", "INR"}:
            # "pt/inr < 2.5", "inr or pt <= 1.5": a number with no unit is the INR (a PT is seconds); read
            # so, the part does not borrow the "x uln" of the next part of a list
            keys, connector = ("INR",), ""
        if set(keys) != {"INR"}:
            return None
        unit, factor = None, 1.0
    else:
        unit, factor = UNITS[unit_text]
    if unit is None:
        unit = "{ratio}"  # INR: a ratio, written without a unit
    value = value if factor == 1.0 else number(str(round(value * factor, 6)))
    if keys == ("GFR",) and unit == "mL/min" and "gault" in t:
        # "estimated glomerular filtration rate >= 45 ml/min based on cockcroft-gault equation": the Cockcroft-Gault
        # equation estimates the creatinine clearance, in mL/min not normalised to body surface (Cockcroft DW, Gault
        # MH. Prediction of creatinine clearance from serum creatinine. Nephron 1976;16:31-41)
        keys = ("CRCL",)
    if unit == "ng/mL" and value >= 10:
        # testosterone "< 50 ng/ml" (5,000 ng/dL, far above the adult male range of 264-916 ng/dL: Travison et al.,
        # J Clin Endocrinol Metab 2017;102:1161) is the castrate "< 50 ng/dl" with a unit slip: read as written it admits
        # every man. Not read; the castrate thresholds written in ng/mL (0.5, 0.2) are
        return None
    for k in keys:
        if unit not in ANALYTE_UNITS.get(k, set()) or not convertible(clause.terms.vocab, k, unit) \
                or not plausible(clause.terms.vocab, k, value, unit):
            return None
    within = _within((m.group(5), m.group(6)))
    atoms = [c.Lab(k, m.group(2), value=value, unit=unit, within_days=within) for k in keys]
    return _combine(clause, atoms, connector)
