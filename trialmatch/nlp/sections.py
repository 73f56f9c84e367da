"""Split eligibility text into sections and items, losing no text.

Every non-blank line of the text belongs to exactly one ``Segment``: a section heading
("Inclusion Criteria:", "Key Exclusion Criteria", "* INCLUSION CRITERIA:"), a sub-heading
("Cohort A:", "Part 2 Key Inclusion Criteria:", "Disease characteristics:"), a note
("Note: other protocol criteria may apply") or a criterion item (a bullet, a numbered entry
or a paragraph). Nested bullets and wrapped lines stay with the item they belong to; the
nested bullets are kept as ``children`` (their own offsets) so a list introduced by
"... as defined below:" can be read as a list.

Sub-headings that restrict the items below them to part of the trial (a cohort, an arm, a
part or phase, donors, controls, "one of the following") set ``scope``: those items cannot
be applied to every patient of the trial, and the parser leaves them unstructured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INCLUSION, EXCLUSION, UNKNOWN_SECTION = "inclusion", "exclusion", "unknown"
HEADING, NOTE, CRITERION = "heading", "note", "criterion"

_MARKER = re.compile(
    r"""^(?:\\?[*\-•·+▪◦‣o](?=\s)|\\?[*\-•·▪◦](?=\S)|\(?\d{1,2}(?:\.\d{1,2})*\\?[.)](?=\s|[A-Za-z])|\(\d{1,2}\)"""
    r"""|\(?[a-zA-Z][.)](?=\s)|\([a-zA-Z]\)|\(?(?:i{1,3}|iv|v|vi{1,3}|ix|x)[.)](?=\s))\s*"""
)
_SECTION_WORD = re.compile(r"(?i)\b(inclusion|exclusion|inclusions|exclusions|eligibility criteria)\b")
_NOT_A_HEADING = re.compile(r"(?i)\b(apply|applies|may|must|see|refer|will|are not limited|listed)\b")
SCOPE_WORDS = re.compile(
    r"(?i)\b(cohorts?|arms?|parts?\s*\d|parts?\s+[a-z]\b|phase|dose|escalation|expansion|donors?|controls?|cases?"
    r"|healthy|volunteers?|portion|prescreening|pre-screening|apheresis|procurement|vaccine|family|families"
    r"|specific|only|one of|any of|either|at least|group|stage \d|step"
    r"|substudy|sub-study|module|queue|subprotocol|for (?:patients|participants|subjects|those|women|men)|if|in patients)\b"
)
_TOPIC_WORDS = 5  # a sub-heading of at most this many words names a topic ("Disease characteristics:")
_NOTE = re.compile(r"(?i)^(notes?\b|n\.b\.|other (protocol|inclusion|exclusion|criteria)|please|for more information)")
_GENERIC_NOTE = re.compile(r"(?i)criteria (?:may )?apply|protocol[- ]defined")
_ATTACHED_NOTE = re.compile(r"(?i)^(notes?\b|n\.b\.)")


# The first enrolment step, which every patient passes ("Step 1 (randomization) inclusion criteria",
# "Step 0 (pre-registration)", "Step 1: pre-chemoradiation phase"): when the criteria are checked, not
# whom they are for. Later steps stay scopes (they may ask what a patient meets only later).
_FIRST_STEP = re.compile(
    r"(?i)\bstep\s*[01]\b(?:\s*[:(-]?\s*\(?(?:screening\s+)?(?:pre-?registration|registration|randomi[sz]ation|enrol?ment|screening)\)?)?"
    r"(?:\s*[:-]?\s*pre-[a-z]+ phase\b)?|\b(?:screening\s+)?pre-?registration\b")
# An exclusion list's lead-in ("Subjects will be excluded if they meet any of the following criteria:",
# "Patient has any of the following:"): in an exclusion section each item excludes on its own, which
# is what "any of the following" says; nothing else is said. Words that say more ("treatment with any
# of the following", "history of any of") keep the heading a scope.
_LEAD_IN_WORDS = re.compile(
    r"(?i)\b(?:patients?|subjects?|participants?|individuals?|persons?|candidates?|the|a|an|who|with|have|has|having|any|of|"
    r"following|criteria|criterion|will|would|be|are|is|excluded|exclude|exclusion|not|eligible|ineligible|enrolled|enrol|"
    r"enroll|from|study|trial|entry|participation|participating|in|if|they|he|she|meet|meets|meeting|must|also|this|these|"
    r"conditions?|apply|applies|present|exhibit|one|or|more|disqualified|entering|ineligible|enrollment|enrolment|"
    r"inclusion|for|potential|presence|based|on|listed|below|qualify|participate|participation|included|at|screening)\b")


# "Participants will be ineligible if they meet any of the exclusion criteria below. Additional criteria are
# specified in the protocol amendment to which the participant will enroll." (NCT05999994): a sentence after the
# lead-in that only points to the protocol says nothing of who is excluded
_PROTOCOL_NOTE = re.compile(r"(?i)(?<=[.:])\s+(?:additional|other|further|more) (?:criteria|requirements)(?: may)? (?:are|be)? ?"
                            r"(?:specified|listed|described|defined|detailed) in the (?:protocol|study protocol)\b[^.]*\.?$")


def _without_protocol_note(line: str) -> str:
    return _PROTOCOL_NOTE.sub("", line)


# A line that opens the exclusions without the word ("Participants who meet any of the following
# criteria will be disqualified from entering the trial:", "Subjects with any of the following will not
# be enrolled:"): it says the following criteria exclude. Only an unmarked line that ends the lead-in
# (":" or "... the following criteria.") and names no excluded thing of its own ("The following
# histologic variants are excluded:" is a criterion), no label ("PSMA exclusion criteria: ..." lists a
# few exclusions among inclusions) and no exception ("..., unless medically indicated:").
_EXCLUDES = (r"\b(?:excluded|exclude[sd]?|disqualif\w*|ineligible|not (?:be )?eligible|not qualify|"
             r"not be (?:included|enrolled|entered|randomi[sz]ed)|will not (?:be )?(?:included|enrolled|entered))\b")
_EXCLUSION_LEAD = re.compile(
    r"(?i)^(?:(?:a|an|the|any)\s+)?(?:potential\s+)?(?:patients?|subjects?|participants?|individuals?|persons?|candidates?|"
    r"presence)\b(?!.*\b(?:except\w*|unless|provided|eligible if|only)\b)"
    r"(?=.*(?:\b(?:any|one or more|either) of the (?:following|criteria|conditions)\b|\bthe following (?:criteria|conditions)\b"
    r"|\bcriteria (?:listed )?below\b|\bif:$))"
    r"(?=.*" + _EXCLUDES + r")[^:]*(?::|\bfollowing(?: criteria| conditions)?(?: apply| applies)?\.?|\bbelow\.?)$")


# A line standing as an item of its own that only says the items after it are the criteria ("All
# patients must meet the following criteria to be eligible for Phase 1 study participation:",
# "Subjects who meet any of the following criteria will be excluded:", "Participants must have adequate
# organ and marrow function as defined below:"): its entries are the items that follow, each read as
# before, so the line is a heading (not counted), and a scope when what is left names part of the
# trial ("Phase 1"). Only when nothing else is left of it: "Patients must have completed first line
# therapy:", "Treatment with any of the following:" stay items. In an inclusion, a line that negates
# ("must not have any of the following:") or offers alternatives ("one of the following") stays an
# item (its entries are then not requirements each; they are not read as a list either).
_PURE_LEAD_IN = re.compile(
    r"(?i)\b(?:in order|order|to|be|been|the|a|an|all|each|every|of|following|below|as follows|follows|criteria|criterion|"
    r"requirements?|conditions?|patients?|subjects?|participants?|individuals?|persons?|candidates?|must|should|shall|will|"
    r"would|need|needs|required|requires|meet|meets|meeting|fulfil+|fulfil+ed|satisfy|satisfied|apply|applies|applicable|"
    r"are|is|eligible|eligibility|enrolled|enrol+|enrol+ment|entered|enter|entry|study|trial|participate|participation|"
    r"participating|included|include|inclusion|in|into|for|this|these|if|they|he|she|who|with|have|has|having|only|"
    r"and|listed|also|at|time|screening|registration|"
    r"adequate|normal|acceptable|sufficient|organ|marrow|bone|hematologic|haematologic|hepatic|renal|liver|kidney|"
    r"function|reserve|defined|as|by|laboratory|values|parameters)\b")
_EXCLUDING_LEAD_IN = re.compile(
    r"(?i)\b(?:not|no|cannot|excluded|exclude|exclusion|ineligible|disqualified|disqualify|any|one|or|more|either|from|"
    r"present|exhibit|presence|entering)\b")
_LIST_WORD = re.compile(r"(?i)\b(?:following|below|as follows)\b")
_NEGATIVE = re.compile(r"(?i)\b(?:not|no|none|neither|nor|cannot|without|never|except\w*|unless|excluded|exclusion|ineligible|"
                       r"one|any|either|least|or)\b|n't\b")


# "Inclusion Criteria: Patients are eligible to be included in the study only if all of the following criteria
# apply:", "Exclusion Criteria: Subjects who meet the above inclusion criteria will be eligible for the study, unless
# they present with any of the following:" (NCT07145255, NCT06919809): a section heading with words after it on
# the same line. The heading opens the section; the words after it are a lead-in (a heading too) or an item.
# Not when the words after it open another section ("Inclusion criteria: ... Exclusion criteria: ...").
_INLINE_HEADING = re.compile(r"(?i)^(?:key\s+)?(?P<which>inclusion|exclusion)\s+criteria\s*:\s*(?:\\?-\s*)?(?P<rest>\S.*)$")
_ANOTHER_HEADING = re.compile(r"(?i)\b(?:inclusion|exclusion)\s+criteria\s*:")
# A first line, before any section, that only says the criteria that follow must all be met ("Subjects must meet
# all the following inclusion criteria to be eligible for participation in this study:", "Participants must meet
# all of the following criteria to be eligible for enrollment into the trial:"): it opens the inclusions.
_INCLUSION_LEAD = re.compile(r"(?i)\bmust\s+(?:meet|fulfil+|satisfy)\s+(?:all|each)\b")


def _pure_lead_in(content: str, section: str) -> bool | None:
    """Whether an unmarked line ending in ":" only says the items after it are the criteria: True
    (a heading, no scope), None (a heading whose leftover words name part of the trial: a scope),
    False (an item)."""
    if not content.rstrip().endswith(":") or not _LIST_WORD.search(content) or section not in (INCLUSION, EXCLUSION):
        return False
    if section == INCLUSION and _NEGATIVE.search(content):
        return False
    if section == EXCLUSION and not re.search(r"(?i)\b(?:excluded|ineligible|not|disqualif\w*|exclusion)\b", content):
        return False
    rest = _PURE_LEAD_IN.sub(" ", content)
    if section == EXCLUSION:
        rest = _EXCLUDING_LEAD_IN.sub(" ", rest)
    rest = re.sub(r"[\s,:;.()/-]", "", rest)
    if not rest:
        return True
    # "for Phase 1 study participation": what is left names part of the trial
    left = SCOPE_WORDS.sub(" ", _PURE_LEAD_IN.sub(" ", content))
    if section == EXCLUSION:
        left = _EXCLUDING_LEAD_IN.sub(" ", left)
    if SCOPE_WORDS.search(content) and not re.sub(r"[\s,:;.()/\d-]|\b[a-z]\b", "", left.lower()):
        return None
    return False


def _scope_of(content: str, section: str) -> str | None:
    """The scope a heading sets for the items under it, or None when it applies to every patient."""
    words = _FIRST_STEP.sub(" ", content)
    if not SCOPE_WORDS.search(words):
        return None
    if section == EXCLUSION and not re.sub(r"[\s,:;.()/-]", "", _LEAD_IN_WORDS.sub("", _without_protocol_note(content))):
        return None
    return content


@dataclass(frozen=True)
class Segment:
    """One item of eligibility text. ``start``/``end`` are offsets into the whole text;
    ``text`` is ``whole[start:end]`` (the marker of the first line left out)."""

    section: str
    kind: str
    text: str
    start: int
    end: int
    scope: str | None = None
    children: tuple[tuple[int, int], ...] = ()


@dataclass
class _Line:
    start: int  # offset of the first non-blank character (marker included)
    end: int  # offset after the last non-blank character
    indent: int
    marker: str
    content_start: int


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            m = _MARKER.match(body[lead:])
            marker = m.group(0) if m and len(m.group(0)) < len(body[lead:]) else ""
            if marker and marker.strip().endswith((".", ")")) and re.match(r"\s*[a-zA-Z]\.", marker):
                # "e.g." at line start is not a lettered marker
                if body[lead:].lower().startswith(("e.g", "i.e")):
                    marker = ""
            start = pos + lead
            end = pos + len(body.rstrip())
            out.append(_Line(start, end, lead, marker, start + len(marker)))
        pos += len(raw)
    return out


_CRITERIA_WORDS = re.compile(r"\b(?:inclusion|exclusion)s?\s+criteri|\bcriteri(?:a|on)\s+for\s+(?:inclusion|exclusion)|"
                             r"\beligibility criteria\b")


def _section_of(heading: str) -> str | None:
    """The section a heading line opens, or None when the line is not a section heading."""
    words = heading.split()
    if len(words) > 14 or not _SECTION_WORD.search(heading):
        return None
    low = heading.lower()
    if _NOT_A_HEADING.search(heading) and not low.rstrip().endswith(":"):
        return None
    if len(words) > 5 and not low.rstrip().endswith(":") and not _CRITERIA_WORDS.search(low):
        # "Transfusion for the sole purpose of making a participant eligible for study inclusion;" (NCT04868604,
        # audit): a criterion that uses the word, not a heading (it turned the exclusions after it into inclusions)
        return None
    inc = "inclusion" in low or "eligibility criteria" in low
    exc = "exclusion" in low
    if inc and exc:
        return UNKNOWN_SECTION
    if exc:
        return EXCLUSION
    if inc:
        return INCLUSION
    return None


# A line that is only a label of part of the trial, with no colon ("Group A", "Cohort 6a", "Phase II",
# "Arm 5 only", "For Arm 2", "Group 1 (Arm 1 or Arm 2)", "Phase 1 [closed to enrollment]", "Dose
# Escalation Part (Metastatic 1L Maintenance sqNSCLC)"): a sub-heading whose items are for that part
# only (NCT04785989: "No previous history of cancer" is Group A's, the healthy controls', not the CLL
# groups'). "For all participants" / "All cohorts" name every patient again: a heading with no scope.
_GROUP_LABEL = re.compile(
    r"(?i)^(?:for\s+)?(?:(?:cohorts?|groups?|arms?|parts?|phases?|modules?|sub-?stud(?:y|ies))\s+[a-z0-9]{1,4}"
    r"(?:\s*(?:,|and|or|&|/)\s*[a-z0-9]{1,4})*"
    r"|dose[- ](?:escalation|expansion)(?:\s+and\s+dose[- ]expansion)?(?:\s+(?:parts?|phases?|cohorts?))?)"
    r"(?:\s+only)?(?:\s*\\?[\[(][^()\[\]]{0,80}\\?[\])])?\s*[.:]?$")
_ALL_LABEL = re.compile(r"(?i)^(?:for\s+)?all\s+(?:participants|patients|subjects|cohorts|groups|arms|parts|phases)\s*[.:]?$")


def _is_sub_heading(content: str, marker: str) -> bool:
    words = content.split()
    if not words or len(words) > 12 or re.search(r"[<>=≥≤]|\d+\s*%", content):
        return False
    if _GROUP_LABEL.match(content) or _ALL_LABEL.match(content):
        return True
    if content.endswith(":"):
        return not marker or SCOPE_WORDS.search(content) is not None
    return not marker and content.isupper() and len(words) <= 8


def split_segments(text: str) -> tuple[Segment, ...]:
    lines = _lines(text)
    segments: list[Segment] = []
    section = UNKNOWN_SECTION
    scope: str | None = None
    current: dict | None = None  # the item being built

    def close():
        nonlocal current
        if current is not None:
            seg = Segment(
                section=current["section"], kind=current["kind"],
                text=text[current["start"]:current["end"]], start=current["start"], end=current["end"],
                scope=current["scope"], children=tuple(current["children"]),
            )
            segments.append(seg)
            current = None

    prev_end = -1
    for index, line in enumerate(lines):
        content = text[line.content_start:line.end]
        gap = prev_end >= 0 and text.count("\n", prev_end, line.start) > 1
        prev_end = line.end
        opens = _section_of(content)
        if opens is None and section != EXCLUSION and not line.marker and _EXCLUSION_LEAD.match(_without_protocol_note(content)):
            # (under an exclusion heading such a line stays an item, as before: it changes nothing)
            opens = EXCLUSION
        inline = None if opens is not None or line.marker else _INLINE_HEADING.match(content)
        if inline is not None and not _ANOTHER_HEADING.search(inline.group("rest")) \
                and not (current and line.indent > current["indent"]):
            close()
            section = INCLUSION if inline.group("which").lower() == "inclusion" else EXCLUSION
            scope = None
            rest = inline.group("rest")
            # one segment per line: the whole line is the heading when the words after it only lead in,
            # else an item of the section it opens (its words kept, left to the parser)
            lead_in = _pure_lead_in(rest, section) is True or (section == EXCLUSION and _EXCLUSION_LEAD.match(rest) is not None)
            if lead_in:
                segments.append(Segment(section, HEADING, content, line.content_start, line.end))
            else:
                current = {"section": section, "kind": CRITERION, "start": line.content_start, "end": line.end,
                           "indent": line.indent, "scope": None, "children": []}
            continue
        if opens is None and section == UNKNOWN_SECTION and not segments and current is None and not line.marker \
                and _INCLUSION_LEAD.search(content) and _pure_lead_in(content, INCLUSION) is True:
            opens = INCLUSION
        if opens is not None and not (current and current["kind"] == CRITERION and line.indent > current["indent"]):
            close()
            section, scope = opens, _scope_of(content, opens)
            segments.append(Segment(section, HEADING, content, line.content_start, line.end, scope))
            continue
        if current is not None and line.indent > current["indent"]:
            # nested bullet or wrapped line: stays with the current item
            if line.marker and current["kind"] == CRITERION:
                current["children"].append([line.content_start, line.end])
            elif current["children"] and not line.marker:
                current["children"][-1][1] = line.end
            current["end"] = line.end
            continue
        if current is not None and not line.marker and not gap and current["kind"] != HEADING \
                and not _is_sub_heading(content, line.marker) and not _NOTE.match(content):
            # a wrapped line at the item's own indent
            current["end"] = line.end
            if current["children"]:
                current["children"][-1][1] = line.end
            continue
        if current is not None and current["kind"] == CRITERION and _ATTACHED_NOTE.match(content) \
                and not line.marker and not gap and not _GENERIC_NOTE.search(content):
            # "Note: ..." right after an item qualifies that item: it stays with it
            current["end"] = line.end
            continue
        close()
        nested_next = (index + 1 < len(lines) and lines[index + 1].indent > line.indent
                       and bool(lines[index + 1].marker))
        if _is_sub_heading(content, line.marker) and not (line.marker and nested_next):
            if SCOPE_WORDS.search(content) or len(content.split()) <= _TOPIC_WORDS:
                scope = None if _ALL_LABEL.match(content) else _scope_of(content, section)
                segments.append(Segment(section, HEADING, content, line.content_start, line.end, scope))
                continue
            # a longer lead-in ("Patients must have completed first-line therapy:") says something
            # itself: it is an item (left unparsed unless understood), never silently dropped
        if not line.marker and not nested_next:
            pure = _pure_lead_in(content, section)
            if pure is not False:
                segments.append(Segment(section, HEADING, content, line.content_start, line.end,
                                        None if pure else content))
                if pure is None:
                    scope = content
                continue
        kind = NOTE if _NOTE.match(content) else CRITERION
        current = {"section": section, "kind": kind, "start": line.content_start, "end": line.end,
                   "indent": line.indent, "scope": scope, "children": []}
    close()
    return tuple(segments)
