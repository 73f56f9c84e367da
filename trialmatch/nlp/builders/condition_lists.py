"""Lists of comorbid conditions and the words the condition builder reads around a key (clinical.py): the status
prefix ("known", "history of", "active"), narrowing words, test-name endings, the keys holding an acute and a chronic
form; ``condition_list`` (every part a key) and ``open_list`` (some parts keys, the others Unparsed alternatives)."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.required_literals import guarded

# "known", "active", "documented", "history of": the modifiers a condition clause may carry.
COND_PREFIX = re.compile(
    # "active or uncontrolled X" (first: "active" alone would match before it): an uncontrolled X is an
    # active one, so the union is the active X
    r"^(?:(?:a |any |an )?(?:(?:active|current),? (?:or|and/or) uncontrolled|uncontrolled,? (?:or|and/or) active|acute or chronic|active or chronic|chronic or active|known history of|a history of|"
    r"medical history of|history of|(?:form|type|kind) of|(?:prior|previous|past) or (?:current|active|ongoing)|(?:current|active) or (?:prior|previous|past)|"
    r"known to be infected with|known to be|known to have|known|documented|confirmed|diagnosed|diagnosis of|presence of|"
    r"evidence of|current|currently|active|ongoing|concurrent|pre-?existing|baseline|prior|previous|past|positive for|have|has|had|with|"
    r"infection with|infected with|seropositive for|seropositivity (?:for|of)|serologically positive for|(?:a )?positive (?:test|test result|serology) for|"
    r"testing positive for|tested positive for|chronic),?\s+)*"
)

# words that narrow a condition to a state the atom does not capture: kept unparsed beside it
COND_NARROWING = re.compile(r"^((?:(?:uncontrolled|uncontrollable|symptomatic|clinically significant|clinically relevant|significant|"
                            r"moderate (?:or|to) severe|severe|unstable|"
                            r"not[- ]controlled|poorly controlled|serious|sensory|motor|allogene?ic|autologous)(?:,? and/or |,? or |, | |/)?)+)\s*")
COND_SUFFIX = guarded(r"(?:\s+|-)(?:infections?|disease|positivity|positive|seropositivity|history|infected|carriers?|antibodies|"
                      r"viruses)$")
HISTORY_WORDS = re.compile(r"\b(?:history|prior|previous|past|had)\b")
PRESENT_WORDS = re.compile(r"\b(?:active|current|currently|ongoing)\b")
COND_LIST = guarded(r"\s*(?:,? or |,? and/or |/|, )\s*")

# "HIV-1 or HIV-2 antibodies" as an inclusion item names a test, not its result: a line of a list
# under "Patients must be seronegative for the following:" that the list did not take as its entry
# (NCT05607095) read as a requirement of HIV; in an exclusion the test name excludes a positive result
TEST_NAME = guarded(r"(?:\s+|-)antibod(?:y|ies)$")


def condition_key(clause: Clause, phrase: str) -> str | None:
    phrase = phrase.strip()
    key = clause.terms.key("CONDITION", phrase)
    if key is None:
        if clause.section == "inclusion" and TEST_NAME.search(phrase):
            return None
        stripped = COND_SUFFIX.sub("", phrase)
        key = clause.terms.key("CONDITION", stripped) if stripped != phrase else None
    return key


def condition_list(clause: Clause, rest: str) -> list[tuple[str, bool]] | None:
    """(key, whether the part names its own present time) of each part of a list of conditions."""
    parts = [p for p in COND_LIST.split(rest) if p]
    if len(parts) < 2:
        return None
    keys = []
    for part in parts:
        pm = COND_PREFIX.match(part)
        part_prefix = pm.group(0) if pm else ""
        if HISTORY_WORDS.search(part_prefix):
            return None  # "HIV or history of hepatitis": mixed time frames
        k = condition_key(clause, part[len(part_prefix):])
        if k is None or k in FORM_KEYS and FORM_WORD.search(part):
            return None  # ("HIV or chronic GVHD": the narrowing word is not kept in a list)
        keys.append((k, bool(PRESENT_WORDS.search(part_prefix))))
    return keys


# a part of a list no key reads, kept as an Unparsed alternative: words only (no number, comparator or
# bracket), a few of them, opening no qualifier ("with ...", "requiring ...") and not a lone modifier
_OPEN_PART = re.compile(r"^[a-z][a-z'/ -]*[a-z]$")
_NOT_ALTERNATIVE = re.compile(r"\b(?:with|without|requir\w*|that|which|who|including|such|e\.g|eg|defined|as|in|on|for|due|"
                              r"other than|except|unless|not|no|at|during|after|before|within|per|by|if|when|is|are|has|have|"
                              r"was|were|of|from|to|any|history|evidence|presence|diagnosis|signs?|symptoms?|indicating|patients?|irrespective|regardless)\b")
_DISTRIBUTES = re.compile(r"\b(?:uncontrolled|persistent(?:ly)?|symptomatic|significant|severe|unstable|poorly|serious|"
                          r"active|chronic|acute|untreated|recent|major|moderate|known|suspected|"
                          # "refractory ascites or pleural effusion", "malignant pleural effusions or ascites"
                          r"refractory|malignant|recurrent|high|large|massive)\b")
_LONE_MODIFIER = re.compile(r"^(?:(?:known|suspected|active|chronic|acute|current|prior|previous|past|recent|untreated|"
                            r"uncontrolled|symptomatic|severe|significant|clinically significant|unstable|documented|serious|"
                            r"relevant|clinically relevant|non-?infectious|allogene?ic|autologous|inherited|acquired|congenital|other|"
                            r"positive|positivity|seropositiv\w*|stem|cell|placement)\s*)+$")


def open_list(clause: Clause, rest: str, historical: bool) -> c.Node | None:
    """"stroke or intracranial hemorrhage", "IPF, organizing pneumonia, or active pneumonitis": alternatives
    of which some are keys; the others stay Unparsed alternatives of the Any (which never clears a patient
    on the keys alone). Refused when the first part opens with a word that may reach every part
    ("uncontrolled diabetes or HIV": uncontrolled HIV only?)."""
    parts = [p.strip() for p in COND_LIST.split(rest) if p.strip()]
    if not 2 <= len(parts) <= 8 or COND_NARROWING.match(parts[0]) or _DISTRIBUTES.search(parts[0]):
        return None
    items: list[c.Node] = []
    for part in parts:
        pm = COND_PREFIX.match(part)
        part_prefix = pm.group(0) if pm else ""
        if HISTORY_WORDS.search(part_prefix):
            return None  # mixed time frames
        # the part whole first: "active infectious disease" is a key, "infectious disease" is not
        key = clause.terms.key("CONDITION", part) or condition_key(clause, part[len(part_prefix):])
        if key in FORM_KEYS and FORM_WORD.search(part):
            return None  # "chronic GVHD" among alternatives: the narrowing word is not kept in a list
        if key is not None:
            items.append(c.Condition((key,), active_only=not historical or bool(PRESENT_WORDS.search(part_prefix))))
        elif _OPEN_PART.match(part) and len(part.split()) <= 5 and not _NOT_ALTERNATIVE.search(part) \
                and not _LONE_MODIFIER.match(part) and not clause.terms.drug_or_class(part):
            # (a treatment among conditions, "prior chemotherapy or hepatitis B within 4 weeks": whose window?)
            items.append(c.Unparsed(part))
        else:
            return None
    if not any(isinstance(n, c.Condition) for n in items):
        return None
    return c.Any(tuple(dict.fromkeys(items)))


# keys holding an acute and a chronic form (graft-versus-host disease, pancreatitis): "chronic", which the
# status prefix takes off as a time word elsewhere ("chronic hepatitis B" is the key), or "acute" (read
# by the key's lexicon pattern) narrows them; "acute or chronic" names both
FORM_KEYS = frozenset(("graft_versus_host_disease", "pancreatitis"))
FORM_WORD = re.compile(r"\b(?:chronic|acute)\b")
