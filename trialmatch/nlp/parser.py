"""parse_eligibility: eligibility text -> ParsedEligibility (one ParsedItem per item)."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import walk
from trialmatch.nlp.clauses import ClauseParser
from trialmatch.nlp.condition_qualifiers import fold_condition_qualifiers
from trialmatch.nlp.context import default_context
from trialmatch.nlp.item_lists import FIRST_STEP, LABEL, TOPICAL_LABEL, VALUE_START, children_node
from trialmatch.nlp.parsed_eligibility import (
    FULLY, NON_CLINICAL, NOT_COUNTED, PARTLY, UNPARSED, ParsedEligibility, ParsedItem,
)
from trialmatch.nlp.source_text import restore_unparsed
from trialmatch.nlp.sections import CRITERION, EXCLUSION, INCLUSION, Segment, split_segments
from trialmatch.nlp.terms import terms_for

# Raised whenever a parse of the same text may change, so that a stored parse names the parser
# that made it (0.2.0: the second round of issue #5: assessment atoms, alternatives, windows, ...;
# 0.3.0: the third: LVEF/QTc/SpO2/PT/lipase/amylase labs, comorbidity shapes and keys, washout
# anchors and progression, negating list heads, exclusion lead-ins, alternatives after qualifiers;
# 0.4.0: the fourth: Hypersensitivity, Vaccination, StudyParticipation, Procedure.major, viral test
# results, brain/CNS shapes, dependent vs independent sentences, lead-in headings, review fixes;
# 0.5.0: the fifth: ResidualToxicity, concurrent medications, simple shapes, pregnancy tests,
# non-clinical tissue and conception items, group labels as scopes, permissions on a condition,
# audit fixes; 0.6.0: the sixth: therapy lines and classes, heart/vessel/effusion/epilepsy/cirrhosis/
# Gilbert's/spinal cord compression keys, cancer names and sites, section lead-ins, age-group performance,
# subgroup lab limits, study-drug hypersensitivity, trial-participation windows, scopes, audit fixes;
# 0.7.0: the seventh: a condition's state as the Condition qualifier, moderate CYP3A classes, dosed steroids,
# GVHD/pancreatitis/IBD/seizure/GI keys, measurable-disease shapes, per-sex lab limits, castrate testosterone,
# surgery recovery, investigational alternatives, 'or' between list entries, sections and audit fixes)
PARSER_VERSION = "trialmatch-nlp 0.7.0"


_PARSERS: dict[int, ClauseParser] = {}


def _parser(vocab) -> ClauseParser:
    """One ClauseParser per vocabulary, kept from trial to trial: what it remembers (an item's node
    per text and section, a builder's answer per clause) depends on the words, the section, the
    terms and the context rules only, never on the trial, and items recur across trials
    (boilerplate). Its memos are bounded. A new vocabulary, terms or context gets a new parser."""
    terms, context = terms_for(vocab), default_context()
    parser = _PARSERS.get(id(vocab))
    if parser is None or parser.terms is not terms or parser.context is not context:
        parser = ClauseParser(terms, context)
        _PARSERS.clear()
        _PARSERS[id(vocab)] = parser
    return parser


def _has_atoms(node: c.Node) -> bool:
    return any(not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed)) for n in walk(node))


def _has_unparsed(node: c.Node) -> bool:
    return any(isinstance(n, c.Unparsed) for n in walk(node))


def parse_item(parser: ClauseParser, seg: Segment, alternative: str | None = None) -> tuple[c.Node, str]:
    """The node and status of one criterion item. ``alternative``: the text of the inclusion item
    this one is an alternative of ("Creatinine <= 1.5 x ULN OR" / "GFR >= 40"): the item decides only
    when met, Any(node, Unparsed(alternative)); a list whose last entry ends in "or" takes it on
    that entry only."""
    text = seg.text
    if seg.section not in (INCLUSION, EXCLUSION):
        return c.Unparsed(text), UNPARSED  # inclusion or exclusion? not said: nothing structured
    scope = seg.scope
    if seg.children:
        scoped = alternative is not None and _TRAILING_OR.search(text) is not None
        node = children_node(parser, text, seg, alternative if scoped else None)
        if scoped:
            alternative = None
        if node is None and not scoped and _notes_only(parser, text, seg):
            # "WOCBP: negative urine or serum pregnancy test\n  * If the urine test is positive or cannot be
            # confirmed as negative, a serum pregnancy test will be required": the entries only say how the
            # protocol checks (context rules DOCUMENTATION); the item is its first line
            node, scope = _body_node(parser, text[:seg.children[0][0] - seg.start].rstrip(" *•-\n"), seg, scope)
    else:
        node, scope = _body_node(parser, text, seg, scope)
    if node is None or not _has_atoms(node):
        if parser.non_clinical(text):
            return c.Unparsed(text, non_clinical=True), NON_CLINICAL
        return c.Unparsed(text), UNPARSED
    node = fold_condition_qualifiers(node, parser.context)
    status = PARTLY if _has_unparsed(node) else FULLY
    if status == PARTLY:
        node = restore_unparsed(node, text)  # remainders in the protocol's words, not normalised
    if scope:
        # only part of the trial (a cohort, an arm, "one of the following"): an inclusion decides
        # only when met, an exclusion only when not met
        node = c.Any((c.Unparsed(scope), node)) if seg.section == INCLUSION else c.All((c.Unparsed(scope), node))
        status = PARTLY
    if seg.section == EXCLUSION:
        node = c.Not(node)
    if alternative is not None:
        # each of two alternative items was required alone: a wrong "ineligible" for a patient meeting the other
        node, status = c.Any((node, c.Unparsed(alternative))), PARTLY
    return node, status


def _notes_only(parser: ClauseParser, text: str, seg: Segment) -> bool:
    """Whether every entry under an item is documentation only (how the protocol checks)."""
    return all(parser.context.documentation(text[a - seg.start:b - seg.start].strip(" .;"))
               for a, b in seg.children)


# "Women of childbearing potential (WOCBP): negative urine or serum pregnancy test": the label names the
# test's subgroup, which adds nothing (a pregnancy implies childbearing potential: builders/pregnancy_test.py)
_CHILDBEARING_LABEL = re.compile(
    r"(?i)^(?:for )?(?:women|females?|persons?|participants?|patients?|subjects?)(?: of (?:child-?\s?bearing|reproductive) potential)"
    r"(?: \((?:wocbp|focbp|pocbp|pcbp)\))?$|^(?:for )?(?:wocbp|focbp|pocbp)$")


def _body_node(parser: ClauseParser, text: str, seg: Segment, scope: str | None) -> tuple[c.Node | None, str | None]:
    """The node of an item's text (no entries) and its scope: leading labels ("Cohort A:", "Hematology:")
    are a scope or topical."""
    body = text
    for _ in range(2):  # "STEP 1 REGISTRATION: DISEASE-RELATED CRITERIA: ..."
        label = LABEL.match(body)
        if label and not re.search(r"(?i)\bnote\b", label.group(1)) and not VALUE_START.match(body, label.end()):
            if _CHILDBEARING_LABEL.match(label.group(1)):
                node = parser.parse_text(body[label.end():], seg.section)
                if node is not None and _pregnancy_only(node):
                    return node, scope
            if not TOPICAL_LABEL.match(label.group(1)) and not FIRST_STEP.match(label.group(1)):
                scope = label.group(0).strip() if scope is None else f"{scope} {label.group(0).strip()}"
            body = body[label.end():]
            continue
        if label and TOPICAL_LABEL.match(label.group(1)):
            # "Age: >= 18 years": the label names what the value is of; the colon only separates them
            body = f"{label.group(1)} {body[label.end():]}"
        break
    return parser.parse_text(body, seg.section), scope


def _pregnancy_only(node: c.Node) -> bool:
    """Whether every atom of a node is a pregnancy (not breastfeeding: that is not implied by the label)."""
    atoms = [n for n in walk(node) if not isinstance(n, (c.All, c.Any, c.Not, c.Unparsed))]
    return bool(atoms) and all(isinstance(a, c.Pregnancy) and a.status == "pregnant" for a in atoms)


_TRAILING_OR = re.compile(r"(?i)\s(?:or|and/or)\s*[.;:,]?\s*$")


def _alternative_item(segments: list[Segment], i: int) -> str | None:
    """The text of the inclusion item that item ``i`` is an alternative of: the next criterion when
    ``i`` ends in "or", the one before when that one does; None otherwise."""
    seg = segments[i]
    if _TRAILING_OR.search(seg.text):
        after = next((s for s in segments[i + 1:] if s.kind == CRITERION), None)
        return after.text if after is not None and after.section == seg.section else seg.text
    before = next((s for s in reversed(segments[:i]) if s.kind == CRITERION), None)
    if before is not None and before.section == seg.section and _TRAILING_OR.search(before.text):
        if before.children:
            # a list ending "* creatinine within normal limits OR": the alternative is its last entry
            start, end = before.children[-1]
            return before.text[start - before.start:end - before.start].strip()
        return before.text
    return None


def parse_eligibility(text: str, vocab) -> ParsedEligibility:
    parser = _parser(vocab)
    items = []
    segments = split_segments(text or "")
    for i, seg in enumerate(segments):
        if seg.kind == CRITERION:
            # "Creatinine <= 1.5 x ULN OR" / "Creatinine clearance >= 60 mL/min": two items that are
            # alternatives; each decides only when met (read alone it was required: a wrong "ineligible")
            other = _alternative_item(segments, i) if seg.section == INCLUSION else None
            node, status = parse_item(parser, seg, other)
        else:
            node, status = c.Unparsed(seg.text), NOT_COUNTED
        recognised = parser.context.recognised(seg.text) if status in (UNPARSED, PARTLY) else None
        items.append(ParsedItem(seg.section, seg.kind, seg.text, seg.start, seg.end, node, status, seg.scope,
                                PARSER_VERSION, recognised))
    return ParsedEligibility(tuple(items), PARSER_VERSION)
