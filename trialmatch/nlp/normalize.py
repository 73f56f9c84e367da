"""Bring eligibility text as it really is to one spelling before the patterns run.

ClinicalTrials.gov text is markdown with escapes (``\\>=``, ``\\[``), and its numbers come in
many spellings: "≥", "=>", "greater than or equal to"; "x 10^9/L", "× 10⁹/L", "10*9/L" and
"x 109/L" (a superscript lost in export); non-breaking spaces; "upper limit of normal".
``normalize`` returns lower-case text with one spelling of each:

- comparators ``>=`` ``<=`` ``>`` ``<`` (spaced: "anc >= 1.5")
- powers of ten ``x10^9/l``; ``uln``; ``umol/l``; ``/mm3``
- digits grouped with commas un-grouped ("1,500" -> "1500")
- HTML entities decoded ("&lt;" -> "<", "&ge;" -> ">=")

It never changes meaning; the offsets of the item, not of this text, are what is kept.
"""

from __future__ import annotations

import re

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# "ECOG performance status of 0, 1, or 2": the grades of the ECOG (WHO, Zubrod) scale as one range, "0-2",
# when they follow one another; the list's "or" would otherwise hide an "and" after it from the compound
# reader ("ECOG 0 or 1 and life expectancy >= 12 weeks"). A grade list that skips one ("0 or 2") is kept.
_GRADE_LIST = (r"\b(ecog|performance status|ps|zubrod)\b([^0-9.;:<>=]{0,60}?)\b([0-5])((?:\s*,\s*[0-5])*),?\s+or\s+([0-5])"
               r"(?![/.]?\d)")


def _grade_range(m: re.Match) -> str:
    grades = [int(g) for g in re.findall(r"\d", m.group(3) + m.group(4) + m.group(5))]
    if grades != list(range(grades[0], grades[-1] + 1)) or len(grades) < 2:
        return m.group(0)
    return f"{m.group(1)}{m.group(2)}{grades[0]}-{grades[-1]}"


# (pattern, replacement[, needs]): ``needs`` lists literals one of which every match contains; on
# ASCII text (lower case, where IGNORECASE adds nothing) a pattern runs only when one is there
_REPLACEMENTS: tuple[tuple, ...] = (
    (r"\\([<>=\[\]\-*~_.()+#&|^])", r"\1", ("\\",)),
    (r"\bper (?=mm|ul|mcl|microliter|cubic)", "/", ("per ",)),
    (r"/\s*(?:mcl|microliters?|microlitres?)\b", "/ul", ("/",)),
    (r"[\u00a0\u2002\u2003\u2009\u202f]", " ", ("\u00a0", "\u2002", "\u2003", "\u2009", "\u202f")),
    (r"[\u2010-\u2015\u2212]", "-", tuple(chr(n) for n in range(0x2010, 0x2016)) + ("\u2212",)),
    (r"[\u2018\u2019]", "'", ("\u2018", "\u2019")),
    (r"[\u201c\u201d]", '"', ("\u201c", "\u201d")),
    (r"µ|μ", "u", ("µ", "μ")),
    # "equal to18": a number glued to the word before it
    (r"\b(than|to)(?=\d)", r"\1 ", ("than", "to")),
    # "\\> or equal to 18": a comparator sign beside its words
    (r">\s*or equal to\b", " >= ", ("or equal",)),
    (r"<\s*or equal to\b", " <= ", ("or equal",)),
    (r"≥|=>|>\s*/?\s*=|⩾|≧", " >= ", ("≥", "=", "⩾", "≧")),
    (r"≤|=<|<\s*/?\s*=|⩽|≦", " <= ", ("≤", "=", "⩽", "≦")),
    (r"\b(?:greater|more|higher|larger) (?:than )?or equal to\b|\bequal to or (?:greater|more|higher) than\b"
     r"|\bequal or (?:greater|more|higher) than\b|\b(?:at least|not less than|no less than|a minimum of|minimum of)\b",
     " >= ", ("equal", "least", "less than", "minimum")),
    (r"\b(?:less|lower|fewer) than or equal to\b|\bequal to or (?:less|lower) than\b|\bequal or less than\b"
     r"|\b(?:no more than|not more than|not greater than|no greater than|not exceeding|a maximum of|maximum of|up to)\b",
     " <= ", ("equal", "more than", "greater than", "exceeding", "maximum", "up to")),
    (r"\b(?:greater|more|higher|larger) than\b|\babove\b|\bexceeding\b|\bover\b", " > ", ("than", "above", "exceeding", "over")),
    (r"\b(?:less|lower|fewer) than\b|\bbelow\b|\bunder\b", " < ", ("than", "below", "under")),
    # "upper limit normal", "upper limited of normal" (spellings seen in the protocols)
    (r"\bupper limit(?:s|ed)? (?:of )?(?:the )?normal(?: range)?\b|\bupper normal limits?\b|\buln\b", "uln", ("upper", "uln")),
    (r"\binstitutional uln\b|\buln institutional\b", "uln", ("uln",)),
    (r"(\d),(\d{3})\b", r"\1\2", (",",)),
    # "75 000/ul": digits grouped with a space, only before a unit of count
    (r"\b(\d{1,3}) (\d{3})(?=\s*(?:/|cells|per\b))", r"\1\2", ("/", "cells", "per")),
    # "1,500 / ul", "1.5 mg / dl": a unit's slash written with spaces
    (r"(?<=[a-z0-9])\s+/\s*(?=(?:ul|mm3|mm\^3|l|dl|ml|min)\b)|(?<=[a-z0-9])/\s+(?=(?:ul|mm3|mm\^3|l|dl|ml|min)\b)", "/", ("/",)),
    # "... >= 18 years. and pediatric patients ...": a sentence that opens with "and"/"or" goes on
    # with the one before it (read apart, it would look like a further requirement)
    (r"\.\s+(?=(?:and|or|and/or)\s)", " ", (".",)),
    # "*platelets >= ...": a footnote star or an escaped bullet left at the start
    (r"^\s*\*+\s*", "", ("*",)),
    # powers of ten: "x 10^9/L", "× 10⁹/L", "10*9/L", "x 10E9/L", "x 109/L" (lost superscript)
    (r"[x×\*]\s*10\s*(?:\^|\*|e|exp)?\s*(\d{1,2})\s*/\s*(l|ul|mm3|mm\^3|mm³)\b", r"x10^\1/\2", ("10",)),
    (r"[x×\*]\s*10\s*\(?\s*(\d{1,2})\s*\)?\s*/\s*(l|ul|mm3)\b", r"x10^\1/\2", ("10",)),
    (r"\b10\s*(?:\^|\*)\s*(\d{1,2})\s*/\s*(l|ul)\b", r"x10^\1/\2", ("10",)),
    (r"/\s*(?:mm\^?3|mm³|cu\.? ?mm|cubic millimeters?)\b", "/mm3", ("/",)),
    (r"\bcells\s*/\s*", "/", ("cells",)),
    (r"\btimes\b|×", " x ", ("times", "×")),
    (r"\b(?:x|times)\s+(?:the\s+|an?\s+)?(?:institutional\s+|site\s+|local\s+|(?:laboratory|lab)(?:[- ]defined)?\s+)?uln",
     "x uln", ("uln",)),
    # "ALT > 5x upper limit": a multiple of the upper limit is of the upper limit of normal
    (r"(\d)\s*x\s+(?:the\s+)?upper limit\b(?! of)", r"\1 x uln", ("upper limit",)),
    (r"(\d)\s*x\s*uln", r"\1 x uln", ("uln",)),
    # "<= 1.5 x ULN for age": the reference range a result is reported with is the patient's own (age included)
    (r"\buln( \(uln\))? for (?:the patient's )?age\b", r"uln\1", ("for age",)),
    # "bilirubin (sum of conjugated + unconjugated)": total bilirubin by definition
    (r"\bbilirubin \(sum of conjugated (?:\+|and|plus) unconjugated(?: or total)?\)", "total bilirubin", ("conjugated",)),
    (r"(\d)x10\^", r"\1 x10^", ("x10^",)),
    (r"[ \t]+", " ", ("  ", "\t")),  # a single space is left as it is
    (_GRADE_LIST, _grade_range, ("or",)),
    # "ast <= 3 x uln; patients with liver metastases <= 5 x uln": the group's looser threshold said
    # in a sentence of its own, brought into the lab's sentence as "or <= 5 x uln with liver metastases"
    # (read apart, the second sentence would look like a further requirement, not an alternative)
    (r"[;.] (?:(?:for|in) )?(?:the )?(?:patients?|participants?|subjects?|subject's)(?: with| who have| having)? "
     r"(?:known |documented |confirmed )?((?:liver|hepatic) metastas[ie]s|gilbert'?s?(?: syndrome| disease)?)[,:]? "
     r"(<=|<) ?(\d+(?:\.\d+)?) ?x uln\.?$", r" or \2 \3 x uln with \1", ("uln",)),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), r, needs[0] if needs else None) for p, r, *needs in _REPLACEMENTS)


# HTML entities left by an export ("\\&lt;1%", "\\&amp;amp;lt;" encoded twice): the characters they stand
# for (an escaped "\\&" loses its backslash first)
_ENTITY = re.compile(r"\\?&(gt|lt|ge|le|amp|quot|#39|apos);")
_ENTITIES = {"gt": ">", "lt": "<", "ge": "≥", "le": "≤", "amp": "&", "quot": '"', "#39": "'", "apos": "'"}


def _decode_entities(text: str) -> str:
    for _ in range(3):  # "&amp;amp;lt;" -> "&amp;lt;" -> "&lt;" -> "<"
        decoded = _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)
        if decoded == text:
            break
        text = decoded
    return text


def normalize(text: str) -> str:
    out = text.translate(_SUPERSCRIPTS) if any(ch in text for ch in "⁰¹²³⁴⁵⁶⁷⁸⁹") else text
    out = out.lower()
    if "&" in out:
        out = _decode_entities(out)
    ascii_text = out.isascii()
    for pattern, repl, needs in _COMPILED:
        if ascii_text and needs is not None and not any(map(out.__contains__, needs)):
            continue  # no match possible: the pattern's scan of the whole text is skipped
        out = pattern.sub(repl, out)
    return out.strip()
