"""Comorbid conditions (metastatic sites: ``metastasis.py``, pregnancy: ``pregnancy.py``; both re-exported here)."""

from __future__ import annotations

import dataclasses
import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.condition_lists import (
    COND_LIST, COND_NARROWING, COND_PREFIX, COND_SUFFIX, FORM_KEYS, FORM_WORD, HISTORY_WORDS, PRESENT_WORDS, TEST_NAME,
    condition_key, condition_list, open_list,
)
from trialmatch.nlp.builders.condition_shapes import (
    illness_examples, infection, split_grade, strip_test_asides, transplant_list, viral_test,
)
from trialmatch.nlp.builders.metastasis import build_metastasis
from trialmatch.nlp.builders.patterns import ANCHOR, days, has_any
from trialmatch.nlp.builders.pregnancy import build_pregnancy
from trialmatch.nlp.required_literals import guarded

__all__ = ["build_condition", "build_metastasis", "build_pregnancy"]  # build_metastasis, build_pregnancy: their own modules

# "HIV or hepatitis B or C": the bare "C" names hepatitis C
_HEP_LETTERS = re.compile(r"\bhepatitis b((?:,? or |,? and/or |/|, ))c\b")
# a window at the end: "myocardial infarction within 6 months (prior to enrollment)", "stroke <= 1 year",
# "in the past 6 months"; counted to the match date like the therapy builder's washouts
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "twelve": "12"}
_COND_WINDOW = re.compile(
    r",?(?: (?:diagnosed|occurring|that occurred|which occurred))? (?:(?:within|in|during) (?:the )?(?:last |past |previous |preceding |prior )?(?:(?:<=|<) ?)?|(?:<=|<) ?)"
    r"(?P<n>\d+|one|two|three|four|five|six|twelve) (?P<unit>days?|weeks?|months?|years?)"
    rf"(?: (?:prior to|before|of|from|preceding) (?:(?:{ANCHOR})(?:/(?:{ANCHOR}))?|pre-?registration)(?: visit)?)?$"
)
_AT_START = re.compile(rf",? at (?:the )?time of (?:{ANCHOR})$")
# words that make a windowed clause ambiguous ("active infection within 14 days": active now, or then?)
_NOW_WORDS = re.compile(r"\b(?:active|current|currently|ongoing|concurrent|chronic)\b")
# events: a record of one means it happened, whatever its clinical status ("history of" or not)
_EVENT_KEYS = frozenset(("myocardial_infarction", "stroke", "transient_ischemic_attack", "organ_transplant",
                         "deep_vein_thrombosis", "pulmonary_embolism", "stem_cell_transplant"))
# keys whose codes are statuses ("stem cells transplant status"): a record's onset is when the status was
# written, not the event's date, so no window is read over them
_NO_WINDOW_KEYS = frozenset(("stem_cell_transplant",))
_INCLUDING = re.compile(r"^(?P<x>[a-z][a-z -]*[a-z]) \(including (?P<y>[a-z][a-z \[\]()-]*[a-z\])])\)$")
_HEP_ANY = re.compile(r"^(?:viral |infectious )?hepatitis(?: infections?| virus infections?)?$")
_HEP_BOTH = re.compile(r"^(?:viral )?hepatitis (?:b and/or c|b or c|b and c|b/c|b, c)(?: virus(?:es)?)?(?: infections?)?$|^(?:hbv|hbv and/or hcv|hbv or hcv|hbv/hcv|hbv and hcv) ?(?:infections?)?$")
_MALIGNANCY = re.compile(
    r"^(?:(?:any|a|an|or|and/or) )?(?P<q>(?:(?:other|another|second|additional|concurrent|concomitant|co-?existing|coexisting|prior|previous|past|"
    r"active|known|primary|synchronous|metachronous|invasive|separate|secondary|non-study|non study)(?:,? or |,? and/or | |, ))*)"
    r"(?:malignanc(?:y|ies)|cancers?|neoplasms?|primary malignanc(?:y|ies)|invasive malignanc(?:y|ies))$"
)
_OTHER_WORDS = re.compile(r"\b(?:other|another|second|additional|concurrent|concomitant|co-?existing|coexisting|prior|previous|past|"
                          r"synchronous|metachronous|separate|secondary|non-study|non study)\b")
_PAST_WORDS = re.compile(r"\b(?:prior|previous|past|metachronous|or)\b")
# "active" first, and not one alternative of a list ("active or prior malignancy": either)
_ACTIVE_OVER_ALL = re.compile(r"^(?:any |an |a )?active (?!or\b|and/or\b)(?=\S)")
_AND = re.compile(r"\band\b(?!/or)")
# "pleural or pericardial effusion(s)": the effusion named once for both ("and" is not read: both, or either?)
_EFFUSION_PAIR = re.compile(r"\b(pleural|pericardial)(,? or |,? and/or |/)(pleural|pericardial) effusions?\b")


def _lifelong_hiv(node: c.Node) -> c.Node:
    """"Seropositive for HIV": positive for life, whatever status a record gives the infection."""
    if isinstance(node, c.Condition) and node.keys == ("hiv",):
        return dataclasses.replace(node, active_only=False)
    if isinstance(node, (c.All, c.Any)):
        return type(node)(tuple(_lifelong_hiv(x) for x in node.items))
    if isinstance(node, c.Not):
        return c.Not(_lifelong_hiv(node.item))
    return node


def build_condition(clause: Clause) -> c.Node | None:
    """A comorbid condition (or alternatives of them), with an optional window at the end
    ("myocardial infarction or stroke within 6 months": each within 183 days). Event keys
    (infarction, stroke, TIA, transplant) count whatever the record's status. A key whose
    vocabulary entry ``includes`` narrower keys names them too, in the same atom
    ("immunodeficiency": a primary one as well)."""
    node = _build_condition(clause)
    if node is None:
        return None
    return _heart_field_to_confirm(_with_included(node, getattr(clause.terms.vocab, "conditions", None) or {}), clause.text)


# The heart and cardiovascular field keys hold incidental findings (a first-degree AV block, a bundle-branch
# block, premature beats: I44, I45, I49) no screener calls "heart disease": a record of the field is to
# confirm, never a MET alone ("Concurrent heart disease" excluded a patient for premature beats; audit,
# round 6). Already beside a narrowing word ("clinically significant ...") it is so; alone it gets the
# clause's words beside it. (The group keys are never NOT_MET either: such an item never decides.)
_HEART_FIELD = frozenset(("heart_disease", "cardiovascular_disease"))


def _heart_field_to_confirm(node: c.Node, text: str) -> c.Node:
    if isinstance(node, c.Condition):
        return c.All((node, c.Unparsed(text))) if _HEART_FIELD & set(node.keys) else node
    if isinstance(node, c.All) and any(isinstance(n, c.Unparsed) for n in node.items):
        return node  # a narrowing word beside it already
    if isinstance(node, (c.All, c.Any)):
        return type(node)(tuple(_heart_field_to_confirm(n, text) for n in node.items))
    if isinstance(node, c.Not):
        return c.Not(_heart_field_to_confirm(node.item, text))
    return node


def _with_included(node: c.Node, concepts: dict) -> c.Node:
    if isinstance(node, c.Condition):
        keys = tuple(dict.fromkeys(k2 for k in node.keys
                                   for k2 in (k,) + tuple(getattr(concepts.get(k), "includes", ()))))
        return node if keys == node.keys else dataclasses.replace(node, keys=keys)
    if isinstance(node, (c.All, c.Any)):
        return type(node)(tuple(_with_included(n, concepts) for n in node.items))
    if isinstance(node, c.Not):
        return c.Not(_with_included(node.item, concepts))
    return node


# "active inflammatory bowel disease requiring immunosuppressive medication or previous (clear) history of
# inflammatory bowel disease (eg, Crohn's disease, ulcerative colitis, or chronic diarrhea)" (NCT06780098 and
# its sponsor's template): the second alternative is any record of the same disease, which the first (active)
# one implies, so the whole would be that condition in any status. But the template's "(eg, ...)" aside names
# chronic diarrhea, which no IBD key holds, and it is taken off before the builders (clause_prepare drops
# examples), so the builder cannot tell the items that carry it: the shape is refused whole (Unparsed, a label
# keeps it so). Read this way, not refused, the qualifier reader cut it into All(active IBD, Unparsed("requiring
# ... or previous clear history of ...")), which clears a patient whose IBD is in remission: wrong.
_ACTIVE_OR_HISTORY = guarded(
    r"^(?:(?:has|have) )?(?:known )?active (?P<a>[a-z][a-z' -]*?) (?:requiring|that requires|that required|that has required)"
    r" [a-z ,-]+? or (?:a |any )?(?:previous |prior |past )?(?:clear |documented |known )?history of "
    r"(?P<b>[a-z][a-z' -]*?)$")


def _active_or_history(clause: Clause, t: str) -> c.Node | None:
    m = _ACTIVE_OR_HISTORY.match(t) if "history of" in t else None
    if m is None:
        return None
    key = clause.terms.key("CONDITION", m.group("a"))
    if key is None or clause.terms.key("CONDITION", m.group("b")) != key:
        return None
    return c.Unparsed(t)


# "inflammatory bowel disease (Crohn's disease or ulcerative colitis)": an aside naming only narrower keys
# the head key includes says which of them the trial means: the atom over those keys (one condition each
# enough). Any other word in it (an unread condition, "e.g.") refuses the shape.
_MEMBERS_ASIDE = guarded(r"^(?P<head>[a-z][a-z' -]*[a-z]) [(\[](?P<list>[a-z][a-z' ,/-]*[a-z])[)\]]$")


def _members_aside(clause: Clause, t: str) -> c.Node | None:
    m = _MEMBERS_ASIDE.match(t) if "(" in t or "[" in t else None
    if m is None:
        return None
    prefix = COND_PREFIX.match(m.group("head"))
    words = prefix.group(0) if prefix else ""
    head = m.group("head")[len(words):].strip()
    key = clause.terms.key("CONDITION", head)
    concepts = getattr(clause.terms.vocab, "conditions", None) or {}
    included = tuple(getattr(concepts.get(key), "includes", ())) if key else ()
    if not included:
        return None
    keys = [clause.terms.key("CONDITION", p.strip()) for p in COND_LIST.split(m.group("list")) if p and p.strip()]
    if len(keys) < 2 or not all(k in included for k in keys):
        return None
    inner = _condition_node(clause.with_text((words + head).strip()))
    if not isinstance(inner, c.Condition):
        return None
    return dataclasses.replace(inner, keys=tuple(dict.fromkeys(keys)))


def _build_condition(clause: Clause) -> c.Node | None:
    t = _HEP_LETTERS.sub(r"hepatitis b\1hepatitis c", clause.text) if "hepatitis b" in clause.text else clause.text
    if "effusion" in t:
        # "clinically significant pericardial or pleural effusion": both effusions, read whole here (split by
        # the list reader, the words before the first reached it alone: a mild pleural effusion excluded)
        t = _EFFUSION_PAIR.sub(r"\1 effusion\2\3 effusion", t)
    either = _active_or_history(clause, t) or _members_aside(clause, t)
    if either is not None:
        return either
    t, defined = strip_test_asides(t)
    if defined and (clause.historical or HISTORY_WORDS.search(t)):
        return None  # "history of hepatitis B (defined as HBsAg reactive)": ever, or now? not read
    test = viral_test(t, clause.section)
    if test is not None:
        # "positive hepatitis B surface antigen": the infection the test shows (a past positive test is
        # a past infection, which only HIV's lifelong one makes current)
        return None if clause.historical and not _is_hiv(test) else test
    if "current illness" in t:
        # "uncontrolled intercurrent illness including, but not limited to, A, B, or C": examples, each enough
        return illness_examples(t, lambda part: build_condition(clause.with_text(part)))
    if " time of " in t:
        # "other active malignancy at time of first dose of study treatment": active at the trial's start,
        # which is what "active" says of a record as of the match date
        at = _AT_START.search(t)
        if at is None or not _NOW_WORDS.search(t[:at.start()]):
            return None
        return _condition_node(clause.with_text(t[:at.start()].strip()))
    # a window needs its unit: the search (at every position of the text) runs only when one is written
    window = _COND_WINDOW.search(t) if has_any(t, ("day", "week", "month", "year")) else None
    if window is None:
        node = _events(_condition_node(clause if t == clause.text else clause.with_text(t)))
        if node is None and ", or " in t and has_any(t, ("day", "week", "month", "year")):
            return _windowed_then_other(clause, t)
        if not clause.historical and _bare_umbrella(node, t):
            return None
        return _lifelong_hiv(node) if node is not None and "seropositiv" in t else node
    head = t[:window.start()].strip()
    if not head or _NOW_WORDS.search(head) or split_grade(head):
        # "neuropathy grade >= 2 within 28 days of enrollment": when the grade was assessed, not an onset
        return None
    n = _NUMBER_WORDS.get(window.group("n"), window.group("n"))
    within = days(n, window.group("unit"))
    node = _condition_node(clause.with_text(head))
    if node is None or not _windowable(node):
        return None
    return _with_window(node, within)


# keys that gather a whole field of medicine ("cardiovascular disease"): read only with a word that says
# which state counts (history, known, current, a narrowing word kept Unparsed, a window). Bare, the phrase
# is often a label of the examples that follow it ("Cardiovascular disorders:" over a list of NYHA classes,
# unstable angina, ...), where any record of the field excluded a patient the examples do not name.
_UMBRELLA_KEYS = frozenset(("cardiovascular_disease", "heart_disease", "cerebrovascular_disease"))


def _bare_umbrella(node: c.Node | None, text: str) -> bool:
    if not isinstance(node, c.Condition) or not set(node.keys) & _UMBRELLA_KEYS:
        return False
    return not COND_PREFIX.match(text).group(0)


# "myocardial infarction or unstable angina within 6 months prior to enrollment, or clinically significant
# cardiac disease": the window closes the alternatives before ", or"; the last alternative is read on its own.
# Read by the list reader instead, the window reached "unstable angina" only and any myocardial infarction
# ever excluded. The last part must not be an event read without a window ("..., or stroke": within the
# window too?) unless it can never decide alone (a narrowing word Unparsed beside it).
def _windowed_then_other(clause: Clause, t: str) -> c.Node | None:
    left, right = t.rsplit(", or ", 1)
    if _COND_WINDOW.search(left) is None or _COND_WINDOW.search(right) is not None:
        return None
    first = _build_condition(clause.with_text(left))
    last = build_condition(clause.with_text(right))
    if first is None or last is None or not _windowable(first):
        return None
    bare_events = [n for n in ((last,) if isinstance(last, c.Condition) else last.items if isinstance(last, c.Any) else ())
                   if isinstance(n, c.Condition) and n.within_days is None and set(n.keys) & _EVENT_KEYS]
    if bare_events:
        return None
    items = (first.items if isinstance(first, c.Any) else (first,)) + (last.items if isinstance(last, c.Any) else (last,))
    return c.Any(tuple(dict.fromkeys(items)))


def _is_hiv(node: c.Node) -> bool:
    atom = node.item if isinstance(node, c.Not) else node
    return isinstance(atom, c.Condition) and atom.keys == ("hiv",)


def _windowable(node: c.Node) -> bool:
    """A Condition, alternatives of Conditions, or one of those beside an unparsed qualifier."""
    if isinstance(node, c.Condition):
        return not set(node.keys) & _NO_WINDOW_KEYS
    if isinstance(node, c.Any):
        return all(isinstance(n, c.Unparsed) or isinstance(n, c.Condition) and _windowable(n) for n in node.items)
    if isinstance(node, c.All) and len(node.items) == 2 and isinstance(node.items[1], c.Unparsed):
        return _windowable(node.items[0])
    return False


def _with_window(node: c.Node, within: int) -> c.Node:
    # in a window the event counts whatever its status now ("MI within 6 months" may be resolved)
    if isinstance(node, c.Condition):
        return dataclasses.replace(node, within_days=within, active_only=False)
    if isinstance(node, c.Unparsed):
        return node  # an unread alternative of the list: the window is in the item's text
    if isinstance(node, c.Any):
        return c.Any(tuple(_with_window(n, within) for n in node.items))
    return c.All((_with_window(node.items[0], within),) + node.items[1:])


def _events(node: c.Node | None) -> c.Node | None:
    if isinstance(node, c.Condition) and node.active_only and set(node.keys) <= _EVENT_KEYS:
        return dataclasses.replace(node, active_only=False)
    if isinstance(node, (c.Any, c.All)):
        return type(node)(tuple(_events(n) for n in node.items))
    return node


# "(active, known) or suspected X": the status words were read as the prefix
_SUSPECTED = re.compile(r"^(?:or )?(?:known,? )?(?:or )?(?P<sus>suspected,? (?P<cond>[a-z].*))$")
# "NYHA class III or IV heart failure": heart failure is necessary, the class stays unparsed beside it
# (also in square brackets after it: "congestive heart failure [NYHA Classes II-IV]")
_NYHA_CLASS = (r"(?:(?:>=|>) ?)?(?:new york heart association|nyha)(?: \(nyha\))?(?: functional)?(?: classification)?(?: class(?:es)?| grade)?"
               r"(?: \(nyha\))? (?:class(?:es)? |grade )?(?:(?:>=|>) ?)?(?:iv|i{1,3}|[1-4])(?:(?:,? or |/|-| to |, )(?:iv|i{1,3}|[1-4]))*"
               r"(?: or (?:greater|higher|above|worse))?")
_NYHA_HF = re.compile(rf"^(?P<q>{_NYHA_CLASS}) (?P<hf>(?:congestive )?(?:heart|cardiac) failure(?: \(chf\))?|chf)$"
                      rf"|^(?P<hf2>(?:congestive )?(?:heart|cardiac) failure(?: \(chf\))?|chf)(?:,? (?P<q2>{_NYHA_CLASS})| ?\[(?P<q3>{_NYHA_CLASS})\])$")


_FORM_EITHER = re.compile(r"\b(?:acute|active) or chronic\b|\bchronic or (?:acute|active)\b")


def _group_key(clause: Clause, key: str) -> bool:
    """Whether a condition key gathers distinct conditions (conditions.yaml ``group``)."""
    concept = getattr(getattr(clause.terms, "vocab", None), "conditions", {}).get(key)
    return bool(getattr(concept, "group", False))


def _condition_node(clause: Clause) -> c.Node | None:
    t = clause.text
    m = COND_PREFIX.match(t)
    prefix = m.group(0) if m else ""
    rest = t[len(prefix):].strip()
    historical = clause.historical or bool(HISTORY_WORDS.search(prefix))
    nyha = _NYHA_HF.match(rest) if "failure" in rest or "chf" in rest else None
    if nyha:
        return c.All((c.Condition(("heart_failure",), active_only=not historical), c.Unparsed(nyha.group("q") or nyha.group("q2") or nyha.group("q3"))))
    suspected = _SUSPECTED.match(rest) if prefix and "suspected" in rest else None
    if suspected:
        # "active, known or suspected autoimmune disease": a known one excludes; a suspected one no record
        # shows stays an Unparsed alternative
        inner = _condition_node(dataclasses.replace(clause, text=(prefix + suspected.group("cond")).strip()))
        if not isinstance(inner, c.Condition):
            return None
        return c.Any((inner, c.Unparsed(rest[suspected.start("sus"):])))
    graded = split_grade(rest)
    if graded is not None:
        # "grade >= 2 peripheral neuropathy": the condition is necessary, the grade stays unparsed beside it
        inner = _condition_node(clause.with_text((prefix + graded[0]).strip()))
        if inner is None or split_grade(graded[0]):
            return None
        items = inner.items if isinstance(inner, c.All) else (inner,)
        return c.All(items + (c.Unparsed(graded[1]),))
    node = transplant_list(rest, lambda part: _condition_node(clause.with_text(part)))  # "allogeneic stem cell or solid organ transplant"
    if node is None and not historical:
        node = infection(t)  # "active bacterial, viral, or fungal infection"
    if node is not None:
        return node
    narrowing = COND_NARROWING.match(rest)
    if narrowing and narrowing.end() < len(rest) and condition_key(clause, rest) is None:
        # ("unstable angina" is a concept of its own, not "unstable" + "angina")
        words = narrowing.group(1).strip(" ,")
        inner = _condition_node(Clause(prefix + rest[narrowing.end():], clause.terms, clause.section, clause.historical,
                                       clause.qualifiers))
        if isinstance(inner, c.Any) and any(isinstance(n, c.Unparsed) for n in inner.items):
            inner = None  # "unstable angina or MI": "unstable" opens a concept of the list below, not a
            # qualifier of an unread "angina" alternative
        if isinstance(inner, c.All):
            if not isinstance(inner.items[0], c.Condition) or not all(isinstance(n, c.Unparsed) for n in inner.items[1:]):
                return None
            # "symptomatic congestive heart failure [NYHA class II-IV]": both narrow the one condition
            return c.All(inner.items + (c.Unparsed(words),))
        if inner is not None:
            return c.All((inner, c.Unparsed(words)))
        # "unstable angina or myocardial infarction": the word may open a concept of a list below
    if ("hepatitis" in rest or "hbv" in rest) and _HEP_BOTH.match(rest):
        keys: tuple[str, ...] = ("hepatitis_b", "hepatitis_c")
        atoms = tuple(c.Condition((k,), active_only=not historical) for k in keys)
        if re.search(r"\bconcurrent\b", prefix) and _AND.search(rest):
            return c.All(atoms)  # "concurrent active HBV and HCV infection": a co-infection, both
        return c.Any(atoms)
    including = _INCLUDING.match(rest) if "(including " in rest else None
    if including:
        # "stroke (including transient ischemic attack [TIA])": the trial counts the named one too
        inner = condition_key(clause, including.group("x"))
        named = including.group("y").replace("[", "(").replace("]", ")")
        extra = condition_key(clause, named)
        if inner is None or extra is None or extra == inner:
            return None
        return c.Any(tuple(c.Condition((k,), active_only=not historical) for k in (inner, extra)))
    if "hepatitis" in rest and not historical and _HEP_ANY.match(rest):
        # "active viral hepatitis", "active hepatitis infection": an active hepatitis B or C is one (each
        # excludes alone); the others (A, D, E, ...) no key holds stay an Unparsed alternative, so the list
        # never clears a patient
        return c.Any((c.Condition(("hepatitis_b",)), c.Condition(("hepatitis_c",)), c.Unparsed(t)))
    m = _MALIGNANCY.match(rest) if has_any(rest, ("malignan", "cancer", "neoplasm")) else None
    if m and (historical or _OTHER_WORDS.search(prefix + m.group("q"))):
        # a cancer besides the one under study (the matcher decides from the patient's cancers);
        # only "active"/"concurrent" alone limit it to active cancers, any past word counts any
        words = prefix + m.group("q")
        active = bool(re.search(r"\b(?:active|concurrent|concomitant|co-?existing|coexisting)\b", words))
        if _ACTIVE_OVER_ALL.match(words.strip()):
            # "Active prior or concurrent malignancy": "active" governs every word after it (any past word
            # read as "any cancer ever" excluded a patient whose old cancer is resolved: a wrong "ineligible")
            return c.Condition(("other_malignancy",), active_only=not clause.historical)
        return c.Condition(("other_malignancy",), active_only=active and not historical and not _PAST_WORDS.search(words))
    key = clause.terms.key("CONDITION", t) or condition_key(clause, rest)
    if key is not None:
        form = FORM_WORD.search(t) if key in FORM_KEYS and not _FORM_EITHER.search(t) else None
        if form:
            # "chronic GVHD", "acute pancreatitis": the key holds both forms, so the word narrows it and
            # stays Unparsed beside the atom (a record of acute GVHD leaves "chronic GVHD" open)
            return c.All((c.Condition((key,), active_only=not historical), c.Unparsed(form.group(0))))
        if historical and PRESENT_WORDS.search(prefix) and _group_key(clause, key):
            # "History of active autoimmune disease" (NCT05746897, audit): ever active, or active now? A record
            # active now excludes either way; a resolved member of a group key stays open when only active ones
            # count (the group rule), where any record counted excluded a patient whose disease is long inactive.
            # Clause preparation leaves "history of or presence of active ILD" the same words: read alike (a
            # resolved record stays open, never a wrong decision)
            return c.Condition((key,), active_only=True)
        return c.Condition((key,), active_only=not historical)
    # "HIV, hepatitis B or hepatitis C infection": alternatives, each a condition ("and" is refused)
    if _AND.search(rest):
        return None
    keys = condition_list(clause, rest) or (
        None if clause.section == "inclusion" and TEST_NAME.search(rest) else condition_list(clause, COND_SUFFIX.sub("", rest)))
    if not keys:
        return open_list(clause, rest, historical)
    # "history of hepatitis B or known active hepatitis C": the history does not reach a part naming its present
    atoms = tuple(c.Condition((k,), active_only=not historical or present) for k, present in dict.fromkeys(keys))
    atoms = tuple(dict.fromkeys(atoms))
    return atoms[0] if len(atoms) == 1 else c.Any(atoms)
