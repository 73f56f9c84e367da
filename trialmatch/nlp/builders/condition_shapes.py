"""Comorbidity shapes the condition builder reads besides a plain key: a toxicity grade beside a
condition, a list of transplants of which only the solid-organ one has a key, and infections
named by their kinds of pathogen. Each answers a node or None (not this shape / not wholly
understood); the grade and the transplant kinds the atoms cannot hold stay Unparsed."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c

# ---- a grade beside a condition ---------------------------------------------------------
# "grade >= 2 peripheral neuropathy", "neuropathy > grade 1 (ctcae v5.0)", "grade 2 or higher ...",
# "pneumonitis >= g2". The Condition atom has no grade: a grade of at least 1 says the condition is
# present, so the condition is necessary and the grade stays Unparsed beside it. A bound from above
# ("<= grade 1", "< grade 2", "grade 0-1") admits patients without the condition: not read.
_CTCAE_NAME = r"(?:nci[- ])?ctcae(?:,? v(?:ersion)? ?\.? ?\d(?:\.\d)?)?"
_CTCAE = rf"(?:{_CTCAE_NAME} )"
_LEVEL = r"(?:[1-5](?: or (?:greater|higher|above|worse|more))?|[1-4] ?- ?[2-5]|[1-4](?:,? or |/)[2-5])"
_GRADE_WORDS = (rf"(?:{_CTCAE}?(?:grade|gr\.?) ?(?:(?:>=|>) ?)?{_LEVEL}|(?:>=|>) ?{_CTCAE}?(?:grade|gr\.?) ?{_LEVEL}"
                rf"|(?:>=|>) ?g[1-5])")
_GRADE_BEFORE = re.compile(rf"^(?P<g>{_GRADE_WORDS}) (?P<rest>.+)$")
# the grading scale after the grade ("by nci-ctcae, v 4.0", "(ctcae v5.0)") stays with it
_GRADE_AFTER = re.compile(rf"^(?P<rest>.+?),? (?:(?:of|that is|which is|at) )?(?P<g>{_GRADE_WORDS}"
                          rf"(?:,? (?:by|per) {_CTCAE_NAME})?(?: \({_CTCAE_NAME}\))?)$")

_GRADE_HINT = re.compile(r"\bgr|\bg[1-5]\b")
_BOUND_ABOVE = re.compile(r"\bor (?:less|lower|below|better)\b|\bgrade 0\b|\bg0\b")


def split_grade(text: str) -> tuple[str, str] | None:
    """(the condition words, the grade as written) when the clause is a grade beside one phrase."""
    if _GRADE_HINT.search(text) is None:
        return None  # most condition clauses name no grade: the anchored expressions below are not run
    if "<" in text or _BOUND_ABOVE.search(text):
        return None  # "<= grade 1", "grade 2 or less": an upper bound admits patients without the condition
    m = _GRADE_BEFORE.match(text) or _GRADE_AFTER.match(text)
    if m is None:
        return None
    return m.group("rest").strip(" ,"), m.group("g")


# ---- transplants --------------------------------------------------------------------------
# "prior allogeneic stem cell or solid organ transplantation", "allogenic tissue/solid organ
# transplant", "organ or stem cell transplant": alternatives, of which the solid-organ one is the
# organ_transplant key (an event: any record counts), a stem-cell part (stem cell, bone marrow,
# haematopoietic) the stem_cell_transplant key as read alone ("allogeneic" kept Unparsed beside it:
# the status codes do not say which), and the others (tissue, cord blood, ...: no key) stay Unparsed
# in the Any. Never "and" (both, or either?), never a single organ ("liver transplant": the key is
# any organ), nor a part the list does not know.
_TRANSPLANT_LEAD = re.compile(r"^(?:(?:has|have|had|has had|have had|having) )?(?:(?:previously|ever) )?"
                              r"(?:received|undergone|receipt of|recipients? of|undergone an?|received an?)? ?(?:an? |any (?:type of |kind of )?)?")
_TRANSPLANT = re.compile(r"^(?P<parts>.+?)[ -](?:transplant(?:ation)?s?|allografts?)(?: recipients?)?(?: at any time)?$")
_TRANSPLANT_SPLIT = re.compile(r"(?:,? or |,? and/or |, |/)")
_ORGAN = re.compile(r"^(?:(?:an? |any )?(?:allogene?ic |prior |previous )?(?:solid[- ])?organ(?: transplant(?:ation)?| allograft)?)$")
_NON_ORGAN = re.compile(
    r"^(?:(?:an? |any )?(?:allogene?ic|autologous|allogene?ic or autologous|autologous or allogene?ic|prior|previous)\s*)*"
    r"(?:(?:hematopoietic|haematopoietic|peripheral blood) )?"
    r"(?:stem[- ]cells?|bone marrow(?: stem cell| progenitor cell)?|tissue|hematologic|haematologic|(?:umbilical )?cord blood|"
    r"hematopoietic cell|hct|hsct|sct|bmt|allogene?ic|autologous)"
    r"(?: transplant(?:ation)?)?$")


def transplant_list(text: str, read=None) -> c.Node | None:
    """``read(phrase)``: the condition builder's node for "<part> transplant" (a stem-cell part is the
    stem_cell_transplant key, its "allogeneic"/"autologous" kept Unparsed beside it, as read alone)."""
    if "transplant" not in text and "allograft" not in text:
        return None
    body = _TRANSPLANT_LEAD.sub("", text, count=1)
    m = _TRANSPLANT.match(body)
    if m is None or re.search(r"\band\b(?!/or)", body):
        return None
    parts = [p.strip() for p in _TRANSPLANT_SPLIT.split(m.group("parts")) if p.strip()]
    if len(parts) == 1:
        # "solid organ transplant recipient", "undergone solid organ transplantation at any time"
        return c.Condition(("organ_transplant",), active_only=False) if _ORGAN.match(parts[0]) else None
    organ = [p for p in parts if _ORGAN.match(p)]
    others = [p for p in parts if not _ORGAN.match(p)]
    if not organ or not others or not all(_NON_ORGAN.match(p) for p in others):
        return None
    # "allogeneic organ or stem cell transplant": the first part's source word reaches the parts after it
    source = _SOURCE.match(parts[0])
    inherited = source.group(1) if source else None
    items = (c.Condition(("organ_transplant",), active_only=False),) + tuple(
        _other_transplant(p, read, None if _SOURCE.match(p) or p == parts[0] else inherited) for p in others)
    return c.Any(tuple(dict.fromkeys(items)))  # "stem cell, bone marrow": the one key


_SOURCE = re.compile(r"^(?:(?:an?|any|prior|previous) )*(allogene?ic|autologous)\b")


def _other_transplant(part: str, read, inherited: str | None) -> c.Node:
    node = read(f"{part} transplant") if read is not None else None
    atom = node.items[0] if isinstance(node, c.All) and all(isinstance(n, c.Unparsed) for n in node.items[1:]) else node
    if not isinstance(atom, c.Condition) or atom.keys != ("stem_cell_transplant",):
        return c.Unparsed(part)  # tissue, cord blood, a transplant no key holds
    if inherited is not None:
        return c.All(((node.items if isinstance(node, c.All) else (node,)) + (c.Unparsed(inherited),)))
    return node


# ---- infections named by their pathogens ----------------------------------------------------
# "active bacterial, viral, or fungal infection", "active, uncontrolled systemic bacterial, viral,
# fungal, or parasitic infection", "uncontrolled infection": the active_infection key (a serious
# infection present now). Every kind of pathogen must be named (bacterial, viral and fungal; more may
# follow): "active viral infection" is narrower than the key, whose records (pneumonia, sepsis) may
# be bacterial. Words that narrow it (uncontrolled, serious, clinically significant, ...) stay
# Unparsed beside the atom; a word of present time is needed ("active", "ongoing", "current",
# "uncontrolled", "untreated": "significant acute or chronic infection" may be a chronic hepatitis).
_PRESENT = frozenset(("active", "ongoing", "current", "currently", "concurrent", "uncontrolled", "untreated",
                      "not controlled", "unresolved"))
_NARROW = frozenset(("uncontrolled", "untreated", "not controlled", "unresolved", "serious", "severe", "significant",
                     "clinically significant", "clinically relevant", "clinically serious", "clinically unstable",
                     "persistent"))
_NARROW_WORD = re.compile(r"\b(?:" + "|".join(sorted((re.escape(w) for w in _NARROW), key=len, reverse=True)) + r")\b")
_INFECTION_WORDS = _PRESENT | _NARROW | {"known", "systemic"}
_WORD = "|".join(sorted((re.escape(w) for w in _INFECTION_WORDS), key=len, reverse=True))
_KIND = r"(?:bacterial|viral|fungal|parasitic|mycobacterial|other)"
_INFECTION = re.compile(
    rf"^(?:(?:evidence|presence) of (?:an? )?)?(?:an? |any )?(?P<words>(?:(?:{_WORD})(?:,? and/or |,? or |,? and |, | ))*)"
    rf"(?:(?P<kinds>{_KIND}(?:(?:,? and/or |,? or |, |/){_KIND})*) )?(?:systemic )?infections?(?:\(s\))?$")


def infection(text: str) -> c.Node | None:
    if "infection" not in text:
        return None
    m = _INFECTION.match(text)
    if m is None:
        return None
    words_text = m.group("words").strip(" ,")
    words = set(re.split(r",? and/or |,? or |,? and |, | ", words_text)) if words_text else set()
    # two-word words ("clinically significant", "not controlled") read whole
    for w in ("clinically significant", "clinically relevant", "clinically serious", "clinically unstable", "not controlled"):
        if w in words_text:
            words.add(w)
    if not words & _PRESENT:
        return None
    if m.group("kinds") is not None:
        kinds = set(re.split(r",? and/or |,? or |, |/", m.group("kinds")))
        if not {"bacterial", "viral", "fungal"} <= kinds:
            return None
    atom = c.Condition(("active_infection",))
    if not words & _NARROW:
        return atom
    # the narrowing words as written, from the first to the last ("active, uncontrolled" -> "uncontrolled")
    spans = [m.span() for m in _NARROW_WORD.finditer(words_text)]
    return c.All((atom, c.Unparsed(words_text[spans[0][0]:spans[-1][1]])))


# ---- "uncontrolled intercurrent illness including, but not limited to, A, B, or C" ------------
# The NCI template: the listed conditions are examples, each enough to exclude; the lead ("not limited
# to") stays an Unparsed alternative, so the list never clears a patient by itself. An example the
# lead's "uncontrolled" narrows (cardiac arrhythmia, interstitial lung disease) keeps that word
# unparsed beside its atom; the keys that are uncontrolled by name (an active infection, unstable
# angina, uncontrolled hypertension) and events in a window stand alone. Examples no builder reads
# ("psychiatric illness/social situations ...") stay Unparsed alternatives.
_ILLNESS = re.compile(
    r"^(?P<lead>(?:any |an )?(?P<word>uncontrolled|serious or uncontrolled)(?:,? symptomatic)?,? inter-?current illness(?:es)?)"
    r",? including(?:,? \(?but not limited to\)?| but not limited to|-but not limited to-)?[,:]? (?P<list>.+)$")
_STANDALONE = frozenset(("active_infection", "unstable_angina", "hypertension_uncontrolled"))


def illness_examples(text: str, read) -> c.Node | None:
    """``read(part)``: the condition builder's node for one example, or None."""
    m = _ILLNESS.match(text)
    if m is None:
        return None
    parts = [p.strip() for p in re.split(r",\s*(?:or |and/or )?", m.group("list")) if p.strip()]
    parts[0] = re.sub(r"^(?:but not limited to|the following)[,:]?\s*", "", parts[0])
    last = re.sub(r"^(?:or|and/or)\s+", "", parts[-1])
    parts[-1] = last
    nodes: list[c.Node] = []
    for part in parts:
        node = read(part)
        if node is None and part is parts[-1] and " or " in part:
            # "..., cardiac arrhythmia or psychiatric illness/social situations ...": the last two unjoined
            head, tail = part.split(" or ", 1)
            first = read(head)
            if first is not None:
                nodes += [_uncontrolled(first, m.group("word")), c.Unparsed(tail)]
                continue
        nodes.append(c.Unparsed(part) if node is None else _uncontrolled(node, m.group("word")))
    if not any(not isinstance(n, c.Unparsed) for n in nodes):
        return None
    return c.Any((c.Unparsed(m.group("lead")),) + tuple(nodes))


def _uncontrolled(node: c.Node, word: str) -> c.Node:
    atoms = [n for n in (node.items if isinstance(node, (c.All, c.Any)) else (node,)) if isinstance(n, c.Condition)]
    if atoms and all(set(a.keys) <= _STANDALONE or a.within_days is not None for a in atoms):
        return node
    items = node.items if isinstance(node, c.All) else (node,)
    if any(isinstance(n, c.Unparsed) and word in n.text.lower() for n in items):
        return node  # "uncontrolled cardiac arrhythmia": said already
    return c.All(items + (c.Unparsed(word),))


# ---- the test that shows a viral hepatitis, written beside it ----------------------------------
# "active hepatitis B (e.g., HBsAg reactive) or hepatitis C (e.g., HCV RNA [qualitative] is detected)":
# the aside names the test that shows the current infection (label: "HBsAg positive" is hepatitis_b).
# An example ("e.g.") changes nothing; a definition ("defined as HBsAg reactive") makes the condition
# current, which a "history of" before it contradicts ("history of hepatitis B (defined as HBsAg
# reactive)": ever, or now?): the caller leaves such a clause unread.
_HBV_TEST = (r"(?:(?:hepatitis b (?:virus )?(?:surface )?antigen|hbsag|hbs ?ag|hbv sag)(?: \(hbsag\))?(?: (?:is )?"
             r"(?:reactive|positive|detected)|-positive|\+)|(?:positive (?:for )?|presence of )(?:hbsag|hepatitis b surface antigen))")
_HCV_TEST = (r"(?:(?:hepatitis c virus |hcv )?(?:\(hcv\) )?(?:rna|ribonucleic acid)(?: \(rna\))?(?: \(qualitative\))? "
             r"(?:is )?(?:detected|detectable|positive)|(?:detectable|positive) (?:hcv|hepatitis c virus) (?:rna|viral load))")
# a bare aside ("active hepatitis B (HBsAg positive)") defines the condition like "defined as" does
_TEST_ASIDE = re.compile(rf"\s*\((?:(?P<how>e\.g\.,?|eg,?|for example,?|i\.e\.,?|defined as|as defined by) )?"
                         rf"(?:{_HBV_TEST}|{_HCV_TEST})\)")


def strip_test_asides(text: str) -> tuple[str, bool]:
    """The text without the test asides after a viral hepatitis, and whether one was a definition."""
    if "(" not in text or "hepatitis" not in text:
        return text, False
    defined = False

    def drop(m):
        nonlocal defined
        defined = defined or m.group("how") in ("defined as", "as defined by", None)
        return ""

    return _TEST_ASIDE.sub(drop, text), defined


# ---- a viral test result in place of the infection ------------------------------------------
# "positive hepatitis B surface antigen", "HBsAg positive", "positive HIV test", "positive for HCV
# RNA", and in an inclusion the negative result ("negative hepatitis B surface antigen test",
# "HIV negative", "seronegative for HIV antibody": Not(the infection)). Only the tests that show the
# infection itself (CDC serology tables): HBsAg is a current hepatitis B (acute or chronic), detectable
# HCV RNA a current hepatitis C, an HIV antibody or HIV test an HIV infection (lifelong). Not read:
# the HCV antibody and the hepatitis B core antibody (past or present infection, or a false positive;
# an antibody may wane after a cleared infection: a record says nothing exact of the test), the surface
# antibody (vaccination), a viral load with a number, "hepatitis B antigen" (surface or e antigen?),
# and a negative result in an exclusion (which way it excludes is not said).
_HBSAG = (r"(?:hepatitis[- ]b (?:virus )?surface antigen|hbv surface antigen|hbsag|hbs ?ag|hbv sag)"
          r"(?: \((?:hbsag|hbs ?ag)\))?")
_HCV_RNA = (r"(?:(?:hepatitis c virus|hepatitis c|hcv)(?: \(hcv\))? (?:rna|ribonucleic acid)(?: \(rna\))?)"
            r"(?: \(qualitative\))?(?: by (?:polymerase chain reaction|pcr|rt-pcr|qpcr)(?: \(pcr\))?)?")
_HIV_TEST = (r"(?:hiv|human immunodeficiency virus(?: \(hiv\))?)(?:[- ]?1/2|[- ]1/[- ]?2|[- ]1 (?:and|or|and/or) 2|[- ]1/-2)?"
             r" (?:antibody|antibodies|ag/ab|antigen/antibody|serology|serologic test|test|testing|screening test)"
             r"(?: \((?:hiv )?1/2 antibodies\))?")
_VIRAL_TESTS = ((re.compile(_HBSAG), "hepatitis_b"), (re.compile(_HCV_RNA), "hepatitis_c"), (re.compile(_HIV_TEST), "hiv"))
_VIRUS_WORDS = ("hiv", "immunodeficiency", "hepatitis", "hbs", "hbv", "hcv")
_VIRAL_HINT = ("antigen", "hbsag", "hbs ag", "rna", "ribonucleic", "antibod", "ag/ab", "test", "serolog", "negative", "positiv",
               "reactive", "detect", "+")
_POS_BEFORE = r"(?:positive|reactive|seropositive for|positive (?:test |test result |result )?for|known to be positive for|tested positive for|testing positive for)"
_NEG_BEFORE = r"(?:negative|non-?reactive|seronegative for|negative (?:test |test result |result )?for|non-?reactive for|tested negative for)"
_POS_AFTER = r"(?:[- ]positive|[- ]positivity|\+| reactive| is reactive| is positive| is detected| detected| detectable| test positive| test result positive)"
_NEG_AFTER = r"(?:[- ]negative| non-?reactive| is non-?reactive| is negative| not detected| undetectable| is undetectable| test negative)"
_HIV_NEG = re.compile(r"^(?:hiv|human immunodeficiency virus(?: \(hiv\))?)(?:[- ]?1/2|[- ]1 (?:and|or|and/or) 2)?[- ](?:negative|seronegative)$")


_SHAPES = ((_POS_BEFORE, "(?: test| test result)?", False), ("", _POS_AFTER, False),
           (_NEG_BEFORE, "(?: test| test result)?", True), ("", _NEG_AFTER, True))
_VIRAL = tuple((re.compile(rf"^{'(?:an? )?' + before + ' ' if before else ''}(?:{test.pattern}){after}$"), key, negative)
               for test, key in _VIRAL_TESTS for before, after, negative in _SHAPES)


def viral_test(text: str, section: str) -> c.Node | None:
    """The infection a positive test result shows; Not(it) for a negative result in an inclusion."""
    if not any(v in text for v in _VIRUS_WORDS) or not any(w in text for w in _VIRAL_HINT):
        return None  # most clauses name no virus: the expressions below are not run
    if _HIV_NEG.match(text):
        return c.Not(c.Condition(("hiv",), active_only=False)) if section == "inclusion" else None
    for pattern, key, negative in _VIRAL:
        if pattern.match(text):
            if negative and section != "inclusion":
                return None
            # a positive HIV test is a lifelong infection: a record coded inactive or in remission
            # (virally suppressed on therapy) still shows it
            atom = c.Condition((key,), active_only=key != "hiv")
            return c.Not(atom) if negative else atom
    return None
