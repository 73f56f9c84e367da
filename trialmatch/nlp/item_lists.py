"""An item with entries: a list head ("Adequate organ function as defined below:", "Any of the following:") and the
entries under it, read as one node (``children_node``): whether the entries are alternatives or all required, a
negating head, examples, permissions, a group the entries bind, sub-headings, entries joined by "or"; and the
labels at the start of an item or entry ("Cohort A:", "Hematology:", "PRE-REGISTRATION:"), shared with parser.py.
"""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import positive_atoms
from trialmatch.nlp.clauses import ClauseParser
from trialmatch.nlp.sections import EXCLUSION, INCLUSION, Segment
from trialmatch.nlp.sentences import both_or_open


# A list head whose children are alternatives ("one of the following:").
_ANY_HEAD = re.compile(r"\b(?:one|any|either|one or more|at least one)\b(?: of)?\b.*\b(?:following|criteria|below)\b|\beither\b"
                       r"|\beach (?:as|in|forming|is) (?:a )?separate (?:arms?|cohorts?|groups?)\b")
# an exclusion list head that is a requirement ("must have normal organ function as defined below:") or
# introduces exceptions ("Exceptions:", "... are allowed:"): its entries are not each an exclusion
_REQUIREMENT_HEAD = re.compile(r"\b(?:must (?:have|be)|adequate|normal|sufficient|acceptable|except\w*|excluding|allowed|"
                               r"permitted|eligible|not exclusionary)\b")
# An inclusion list head that negates its entries ("Patient must not have any of the following:",
# "None of the following conditions:", "Patients are not eligible if any of the following ...:"):
# the entries are exclusions, read as under an exclusion heading (Not(Any(entries))). Only these
# shapes of the head's last sentence; any other negation there ("must not be pregnant and meet at
# least one of the following", "no prior therapy, with the following exceptions") leaves the item
# unread (_UNSURE_HEAD), since the entries are then neither requirements nor exclusions.
_NEGATING_HEAD = re.compile(
    r"^(?:[a-z0-9 /()&,+-]{1,40}:\s*)?(?:(?:the |a |an )?(?:patients?|participants?|subjects?|individuals?|candidates?|"
    r"they)\s+)?(?:(?:must|should|shall|may|can|will|do|does)\s*not|cannot)\s+(?:have|be|present with|exhibit|suffer from)\b"
    r"|^(?:[a-z0-9 /()&,+-]{1,40}:\s*)?(?:none|neither) of the following\b"
    r"|^(?:[a-z0-9 /()&,+-]{1,40}:\s*)?no (?:history of |evidence of )?(?:any )?(?:of )?the following\b"
    r"|^(?:[a-z0-9 /()&,+-]{1,40}:\s*)?(?:(?:the )?(?:patients?|participants?|subjects?|individuals?)\s+)?"
    r"(?:are|is|will be) (?:not eligible|ineligible|excluded) if\b")
# in the head's last sentence, words that make its entries something else than exclusions
_UNSURE_HEAD = re.compile(
    r"\b(?:except\w*|exclud\w*|allow\w*|permi\w*|acceptable|unless|but|only|more than|fewer than|less than|at least|"
    r"additional|and (?:must|should|meet|have|has|be|use)|must (?:have|be|meet|use)|should (?:have|be|meet|use))\b")
_NEGATION = re.compile(r"\b(?:not|no|none|neither|nor|cannot|without|never)\b|n't\b")
# a head that names examples ("including, but not limited to, the following:"): its entries are not
# all it excludes, so a patient with none of them is not thereby cleared
# (in either section: "Uncontrolled intercurrent illness including, but not limited to:"); a bare
# "including:" is read as the list it introduces, as before
_EXAMPLES_HEAD = re.compile(r"\bnot (?:limited|restricted|confined) to\b|\bsuch as\b|\be\.g\.|\bfor example\b")
# an inclusion head whose entries are permissions ("Participants are permitted to have received:")
_PERMITTING_HEAD = re.compile(r"\b(?:is|are) (?:also )?(?:permitted|allowed|allowable|acceptable)\b(?! only)|\bmay (?:have received|have had|receive)\b")
# an inclusion head permitting some patients on the conditions its entries list
_CONDITIONAL_PERMISSION = re.compile(
    r"\b(?:eligible|allowed|permitted|acceptable|allowable|may (?:participate|enrol\w*|be enrolled|be included))\b"
    r"[^:]*\b(?:if|provided|as long as)\b")
# an inclusion head naming a group of patients that must meet the entries ("Asymptomatic brain metastases must meet
# ALL criteria of the following (a-d):", NCT04486833, audit; "Patients with brain metastases must meet the following:"):
# the entries bind that group only (read as every patient's, a seizure record failed a patient without brain
# metastases: a wrong "ineligible"); "Patients must meet all of the following:" names no group
_SUBGROUP_MUST_MEET = re.compile(
    r"^(?:(?:patients?|participants?|subjects?|those|individuals?)\s+(?:with|who have|having)\s+|(?!(?:the\s+)?"
    r"(?:patients?|participants?|subjects?|individuals?)\b)(?!all\b))[a-z][a-z0-9 ,/()-]{2,80}?\s+(?:must|should|need to)\s+"
    r"(?:meet|fulfil+|satisfy|have)\s+(?:all|each|both|the following|all of the following)\b")
_ALL_HEAD = re.compile(r"\b(?:all|both|each|every) (?:of )?(?:the )?(?:following|criteria|conditions|below)\b")
_COUNT_HEAD = re.compile(r"\b(?:two|three|2|3) (?:or more )?of\b")
# Words of a list head that add nothing to its children ("adequate organ function as defined below:").
_PURE_WORDS = re.compile(r"\b(?:adequate|normal|acceptable|sufficient|function|defined|following|follows|below|evidenced|indicated|"
                         r"organ|marrow|bone|hematologic|haematologic|hepatic|renal|liver|kidney|laboratory|lab|values|parameters|"
                         r"must|have|has|patients?|participants?|subjects?|as|by|the|and|or|of|all|meet|criteria|within|days?|"
                         r"prior|to|start|study|treatment|screening|reserve|are|is|be|with|one|any|either|at|least|more|\d+)\b")


def _last_sentence(head: str) -> str:
    """The sentence of a list head that introduces the list ("... hematologic parameters. Adequate
    hematologic reserve is defined as:" -> the second)."""
    return re.split(r"(?<=[a-z0-9)\]][.;])\s+(?=[A-Z])", head)[-1].lower()


def _negating_head(seg: Segment, head: str) -> bool | None:
    """In an inclusion, True when the head negates its entries, None when it has a negation whose
    bearing on the entries is not certain (the item is then not read), False otherwise."""
    if seg.section != INCLUSION:
        return False
    last = _last_sentence(head)
    if _NEGATING_HEAD.match(last):
        return None if _UNSURE_HEAD.search(re.sub(r",? but not limited to\b", "", last)) else True
    if _NEGATION.search(last) and re.search(r"\b(?:except\w*|exceptions?|allowed|permitted)\b", last):
        return None  # "no prior therapy, except:" - the entries are permissions
    return False


def children_node(parser: ClauseParser, text: str, seg: Segment, alternative: str | None = None) -> c.Node | None:
    """The node of a list item (a head and its entries), or None when the list is not read.
    ``alternative``: the text of the next item when the last entry ends in "or" (it joins that
    entry only)."""
    first = seg.children[0][0] - seg.start
    head = text[: text.rfind("\n", 0, first) + 1 or first].strip()
    if not head.endswith(":") or _COUNT_HEAD.search(head.lower()):
        return None
    negated = _negating_head(seg, head)
    if negated is None:
        return None
    if seg.section == INCLUSION and not negated and _PERMITTING_HEAD.search(_last_sentence(head)) \
            and not _NEGATION.search(_last_sentence(head)):
        # "Participants are permitted to have received:": the entries are permissions, not requirements
        # (All of them required every entry: a wrong "ineligible"); not read
        return None
    # the entries of a negating head are exclusions: each is read as under an exclusion heading
    section = EXCLUSION if negated else seg.section
    nodes = []
    entries = [text[start - seg.start:end - seg.start] for start, end in seg.children]
    # "Normal renal function: eGFR >= 90" beside "Moderate renal impairment: eGFR 30-59" (NCT06004661, audit): when
    # another entry's label is no topic, the labels name groups (alternatives), and none is stripped (All of them
    # required the normal group's eGFR of every patient: a wrong "ineligible")
    grouped = any(_group_label(child) for child in entries)
    # "* creatinine <= 1.5 x ULN\n\n  --- OR" / "* creatinine clearance >= 50 mL/min" (NCT03586453, audit): an entry
    # ending in "or" is an alternative of the next one (both were required: a wrong "ineligible")
    entries, or_after = _or_joined(entries)
    for child, joined in zip(entries, or_after):
        if joined and _ENTRY_OR.search(child):
            child = child[:_ENTRY_OR.search(child).start()]
        node = parser.parse_text(child if grouped else _topical_unlabelled(child), section) if child.strip() else None
        if isinstance(node, (c.Age, c.Sex)) and child.rstrip().endswith(":"):
            # "Subjects < 50 years of age:" labels the entries after it (NCT06227026, audit): who they are for,
            # never a requirement of its own (read as one, "< 50" and ">= 50" were both required of everyone)
            node = None
        if node is None:
            node = c.Unparsed(child.strip(), non_clinical=parser.non_clinical(child))
        nodes.append(node)
    low = head.lower()
    if negated:
        # "must not have any of the following: ... * X or" / "* Y": not read (alternatives of an exclusion)
        return None if alternative is not None else _negated_list(head, low, nodes)
    if alternative is not None:
        # "* creatinine within normal limits OR" / "* Creatinine clearance >= 60 mL/min" (NCT04789486): the
        # "or" joins the last entry and the next item, not the whole list (Any of the whole list
        # admitted a patient meeting the next item alone, whatever the other entries)
        nodes[-1] = c.Any((nodes[-1], c.Unparsed(alternative)))
    if seg.section == EXCLUSION and _REQUIREMENT_HEAD.search(low):
        # "Patients must have normal organ function as defined below:" under an exclusion heading:
        # a requirement written in the wrong section; neither All nor Any of its entries is meant
        return None
    # in an exclusion, each entry of a list excludes on its own ("Cardiac conditions: * MI ... * NYHA III"),
    # unless the head asks for all of them; All would exclude only a patient with every entry
    alternatives = _ANY_HEAD.search(low) or (seg.section == EXCLUSION and not _ALL_HEAD.search(low))
    if seg.section == EXCLUSION and alternatives and _EXAMPLES_HEAD.search(low):
        return _examples(head, nodes)
    if alternatives and seg.section == INCLUSION:
        nodes = _under_sub_headings(entries, nodes)
    if not alternatives and any(or_after):
        nodes = _join_alternatives(nodes, or_after)
    group = c.Any(tuple(nodes)) if alternatives else c.All(tuple(nodes))
    cancers = sum(1 for n in nodes if _names_cancer(n))
    if not alternatives and (cancers >= 2 or (cancers and _DIAGNOSIS_HEAD.search(low)
                                              and any(isinstance(n, c.Unparsed) for n in nodes))):
        # (also one cancer beside entries not read under a diagnosis head: "Histologically or cytologically
        # confirmed relapsed/refractory: 1. SCLC 2. Other tumors of small cell histology 3. High grade
        # neuroendocrine ..." (NCT06814496, audit): All required SCLC of a Merkel cell patient)
        # "Histological diagnosis of: ... the following subtypes: * MCL * DLBCL * pancreatic cancer ...":
        # a list of cancers is a list of alternatives unless they narrow one another ("* NSCLC
        # * adenocarcinoma histology"); All failed every patient of a list of alternatives (NCT06823167:
        # a wrong "ineligible" for all it recruits). Both readings must agree, else the item is open
        group = both_or_open(nodes, head)
    if seg.section == INCLUSION and (_CONDITIONAL_PERMISSION.search(_last_sentence(head))
                                     or _SUBGROUP_MUST_MEET.match(_last_sentence(head))):
        # "Patients with brain metastases are eligible provided they meet all of the following criteria:",
        # "HIV positive patients may be eligible if either:": the entries are the conditions of a
        # permission for some patients; All(head, entries) failed a patient outside that group who did
        # not meet an entry (a wrong "ineligible"). The list decides only when met, as a scope does
        return c.Any((c.Unparsed(head), group))
    leftover = _PURE_WORDS.sub("", low)
    if re.sub(r"[\s,:;()/.-]", "", leftover):
        return c.All((c.Unparsed(head), group))
    return group


# a list head naming a diagnosis ("Histologically confirmed ...:", "Diagnosis of:", "... with the following diseases:")
_DIAGNOSIS_HEAD = re.compile(r"\b(?:histolog\w*|cytolog\w*|diagnos\w*|confirmed|tumou?rs?|cancers?|malignanc\w*|diseases)\b")
# an entry's last words "or" / "and/or", also on a line of their own ("\--- OR")
_ENTRY_OR = re.compile(r"(?i)(?:\s|\\?-{2,}\s*)(?:or|and/or)\s*[.;:,]?\s*$")
_OR_ONLY = re.compile(r"(?i)^[\s\\*•-]*(?:or|and/or)[\s.;:,]*$")


def _or_joined(entries: list[str]) -> tuple[list[str], list[bool]]:
    """The entries without those that are only "or" (a line "--- OR" between two), and whether each is
    joined to the next by "or" (its own last word, or such a line after it)."""
    kept: list[str] = []
    joined: list[bool] = []
    for child in entries:
        if _OR_ONLY.match(child):
            if joined:
                joined[-1] = True
            continue
        kept.append(child)
        joined.append(_ENTRY_OR.search(child) is not None)
    if joined:
        joined[-1] = False  # the last entry's "or" joins the next item (``alternative``), not an entry
    return kept, joined


def _join_alternatives(nodes: list[c.Node], or_after: list[bool]) -> list[c.Node]:
    """The entries of an All list with each run of entries joined by a trailing "or" made one Any."""
    out: list[c.Node] = []
    run: list[c.Node] = []
    for node, joined in zip(nodes, or_after):
        run.append(node)
        if not joined:
            out.append(run[0] if len(run) == 1 else c.Any(tuple(run)))
            run = []
    return out


def _names_cancer(node: c.Node) -> bool:
    """Whether a list entry requires a cancer type or histology (not under a Not)."""
    return any(isinstance(a, (c.CancerType, c.Histology)) for a in positive_atoms(node))


def _negated_list(head: str, low: str, nodes: list[c.Node]) -> c.Node:
    """An inclusion's "must not have any of the following:": Not of the entries, as an exclusion
    list reads (each entry excludes on its own, unless the head asks for all of them)."""
    if _EXAMPLES_HEAD.search(low):
        return c.Not(_examples(head, nodes))
    group = c.All(tuple(nodes)) if _ALL_HEAD.search(low) else c.Any(tuple(nodes))
    leftover = _PURE_WORDS.sub("", _NEGATION.sub("", low))
    leftover = re.sub(r"\b(?:should|shall|may|can|will|do|does|eligible|ineligible|excluded|if|conditions?|disorders?)\b",
                      "", leftover)
    if re.sub(r"[\s,:;()/.-]", "", leftover):
        return c.Not(c.All((c.Unparsed(head), group)))
    return c.Not(group)


def _examples(head: str, nodes: list[c.Node]) -> c.Node:
    """A list of examples of what an exclusion head names ("... including, but not limited to:"): any
    entry excludes; a patient with none of them may still have what the head names (Unparsed), so
    Any(head, entries), never All(head, Any(entries)), which cleared every patient with none."""
    examples = c.Any((c.Unparsed(head), *nodes))
    label = re.match(r"^([A-Za-z0-9][A-Za-z0-9 /()&,+-]{1,40}):\s", head)
    if label and not TOPICAL_LABEL.match(label.group(1)) and not FIRST_STEP.match(label.group(1)):
        # "AZENOSERTIB SPECIFIC CRITERIA: ...": only some patients; an entry excludes only them
        return c.All((c.Unparsed(label.group(0).strip()), examples))
    return examples


# "Cohort A: ...", "Hematology: ..." at the start of an item. A topical label adds nothing;
# any other ("Cohort A", "RAD51C, BRIP1") limits the item to some patients: a scope.
TOPICAL_LABEL = re.compile(
    r"(?i)^(?:(?:adequate |normal )?(?:hematolog(?:y|ic|ical)|haematolog(?:y|ic|ical)|bone marrow|renal|kidney|hepatic|liver|"
    r"coagulation|laboratory|lab|labs|cardiac|organ|marrow|performance status|performance|age|sex|gender|diagnosis|"
    r"disease|histology|pathology|prior therapy|prior treatment|prior therapies|biomarkers?|infections?|pregnancy|"
    r"other|general|medical history|disease-related|clinical/laboratory|clinical|prior/concurrent therapy|prior concurrent therapy|"
    r"patient|concurrent therapy|(?:key )?(?:inclusion|exclusion))(?: function| values| status| criteria| characteristics)?)$"
)


# "PRE-REGISTRATION:", "STEP 1 REGISTRATION:", "STEP 0:": the first enrolment step, which every patient of
# the trial passes; the label says when the criterion is checked, not whom it is for. Later steps
# ("STEP 2 RANDOMIZATION:", after the first step's treatment) stay scopes: they may ask what the
# patient can only meet later.
FIRST_STEP = re.compile(
    r"(?i)^(?:step\s*[01](?:\s*\(?(?:screening\s+)?(?:pre-?registration|registration|randomi[sz]ation|enrol?ment|screening)\)?)?"
    r"|(?:screening\s+)?pre-?registration|registration)$")


# "Absolute neutrophil count (ANC): >= 1,500/uL": what follows the colon is a value, so the
# words before it are the analyte, not a label
VALUE_START = re.compile(r"(?:\\?[<>=≥≤]|\d|(?:greater|less|more|at least|no more|not more|below|above|within|under|over)\b)", re.I)


LABEL = re.compile(r"^([A-Za-z0-9][A-Za-z0-9 /()&,+-]{1,40}):\s+(?=\S)")


# words of a label naming a group of patients, not a topic ("Moderate renal impairment:", "Cohort 2:")
_GROUP_WORDS = re.compile(r"(?i)\b(?:impairment|insufficiency|dysfunction|mild|moderate|severe|groups?|cohorts?|arms?|strat(?:um|a)|"
                          r"parts?|levels?)\b")


def _under_sub_headings(entries: list[str], nodes: list[c.Node]) -> list[c.Node]:
    """The entries of an inclusion's list of alternatives regrouped under the sub-headings among them
    ("* Subjects with recurrent, locally advanced or metastatic cancer:" over "* Bladder: UC", "* Kidney:
    ccRCC", NCT05520099, audit): each sub-heading with the entries after it is All(Unparsed(sub-heading),
    Any(entries)), which decides only when none of its entries is met (the sub-heading's words, here the
    disease extent, are not read). Read flat, a localised ccRCC met the list."""
    if not any(e.strip().endswith(":") for e in entries[:-1]):
        return nodes
    out: list[c.Node] = []
    heading: c.Node | None = None
    members: list[c.Node] = []

    def close() -> None:
        if heading is not None:
            inner = members[0] if len(members) == 1 else c.Any(tuple(members))
            out.append(c.All((heading, inner)) if members else heading)

    for entry, node in zip(entries, nodes):
        if entry.strip().endswith(":"):
            close()
            heading, members = c.Unparsed(entry.strip()), []
        elif heading is not None:
            members.append(node)
        else:
            out.append(node)
    close()
    return out


def _group_label(text: str) -> bool:
    """Whether a list entry opens with a label naming a group of patients ("Moderate renal impairment:")."""
    label = LABEL.match(text)
    return label is not None and not TOPICAL_LABEL.match(label.group(1)) and _GROUP_WORDS.search(label.group(1)) is not None \
        and not VALUE_START.match(text, label.end())


def _topical_unlabelled(text: str) -> str:
    """A list entry with its topical label read as an item's is ("* Hematologic: ANC >= 1500/uL" -> "ANC >=
    1500/uL", "* Age: >= 18" -> "Age >= 18"); any other label is left in place (the entry is then not read)."""
    label = LABEL.match(text)
    if label is None or not TOPICAL_LABEL.match(label.group(1)) or re.search(r"(?i)\bnote\b", label.group(1)):
        return text
    if VALUE_START.match(text, label.end()):
        return f"{label.group(1)} {text[label.end():]}"
    return text[label.end():]
