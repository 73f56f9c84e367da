"""Residual toxicity of prior therapy above a CTCAE grade.

"Persistent toxicities (CTCAE grade > 2) from prior cancer therapy" (exclusion) ->
``ResidualToxicity(above_grade=2)``; "Recovered to <= grade 1 from toxicities of prior therapy"
(inclusion) -> ``Not(ResidualToxicity(above_grade=1))``. The clause is read in pieces, each taken
out of the text, and what is left must be one of a few whole shapes (precision first):

- the CTCAE reference ("per NCI CTCAE v5.0", "(common terminology criteria for adverse events
  version 5.0)") is documentation;
- exactly one grade: above-forms ("grade >= 2", "> grade 1", "grade 2 or higher") give the limit
  directly; to-forms after a recovery verb ("to <= grade 1", "grade 1 or less / better", "grade
  0-1", "< grade 2", "to grade 1", "to at least grade 1", normalised "to >= grade 1") give the
  highest grade accepted. "Baseline or grade <= 1" sets ``or_baseline`` (the matcher leaves a
  toxicity that may be the patient's baseline to confirm);
- the cause: "from / of / due to / related to / attributed to / caused by (any) prior anticancer
  therapy" (any prior anticancer therapy; "prior therapy / treatment" in an eligibility list is
  the cancer's), "prior chemotherapy", "radiotherapy / radiation", "surgery", "systemic therapy".
  A cause the atom cannot hold ("prior immunotherapy", "the procedure", "crt", two kinds
  named) leaves the clause unread; "toxicity" with no cause is a toxicity of prior therapy, an
  "adverse event" with none is not read;
- exceptions in brackets or at the end ("(except alopecia and grade 2 peripheral neuropathy)",
  ", excluding alopecia") whose terms are in ``matching/data/toxicity_terms.yaml`` become the
  atom's exceptions, each with its grade ("grade <= 2 neuropathy", "neuropathy grade 2" accept up
  to that grade; "alopecia" any grade); an exception not wholly read stays Unparsed beside the
  atom (``All(atom, Unparsed(words))``: a toxicity it might accept is never counted alone);
- narrowing words the atom does not carry ("acute", "reversible", "clinically significant",
  "non-hematologic(al)", "immune-related") stay Unparsed beside it the same way.

Shapes: exclusion "persistent / unresolved / ongoing / residual <subject> ..." and "<subject> that
have not recovered / resolved to <grade>" (the atom); inclusion "recovered / resolved to <grade>
from <subject>", "<subject> must have resolved to <grade>", "resolution of / recovery from
<subject> to <grade>" (its negation). In an exclusion a clause opening with the recovery verb is
read when the clause reader took a negation off it (``Clause.negated``: "Has not recovered from AEs
to <= grade 1"; the reader wraps it in Not again) or its words show one ("(i.e., have residual
toxicities > grade 1)"); one stating a requirement ("must have recovered") is a misplaced
inclusion and is not read, nor is a negated recovery in an inclusion. A grade with no persistence word ("grade >= 3 toxicity attributed to
prior therapy": ever, or now?), a subgroup ("patients who received chemotherapy must have
recovered") and a window beside it stay for other readers.

Seventh round: with no grade written, in an exclusion ("Unresolved toxicity from prior anti-cancer therapy",
"Has not fully recovered from adverse events due to previous anticancer therapies"),
``All(ResidualToxicity(above_grade=0), Unparsed(clause))``: any toxicity left
is above grade 0, so the atom is necessary, and which grade the protocol still accepts stays Unparsed; in an
inclusion ("Recovered from toxicities due to prior therapies") ``Any(Not(ResidualToxicity(0)), Unparsed(clause))``
(see ``_ungraded``).
"""

from __future__ import annotations

import dataclasses
import functools
import re

from trialmatch.domain import criteria as c
from trialmatch.matching.toxicity_terms import load_toxicity_terms
from trialmatch.nlp.builders import Clause

_CTCAE = re.compile(
    r"(?:(?:as )?(?:per|by|according to|using|of|on|defined by|evaluated by|assessed by|graded by)\s+)?(?:the\s+)?"
    r"(?:national cancer institute\s*(?:\(nci\))?\s*[-,]?\s*|nci[- ]?)?"
    r"(?:common (?:terminology|toxicity) criteria(?: for adverse events?)?(?: \((?:nci[- ])?ctcae\))?|ctcae)(?: criteria)?"
    r"(?:,?\s*(?:\((?:version|v\.?)\s*\d+(?:\.\d+)*\)|(?:version|v\.?)\s*\d+(?:\.\d+)*))?")
_NUM = r"([0-4])"
# (regex, kind): kind ge/gt are above-forms, le/lt/to to-forms (the highest grade accepted)
_GRADES = (
    (rf">= ?grade ?{_NUM}", "ge"), (rf"grade ?>= ?{_NUM}", "ge"),
    (rf"grade {_NUM} or (?:higher|greater|above|worse|more)", "ge"),
    (rf"> ?grade ?{_NUM}", "gt"), (rf"grade ?> ?{_NUM}", "gt"), (rf"(?:greater|higher) than grade {_NUM}", "gt"),
    (rf"above grade {_NUM}", "gt"),
    (rf"<= ?grade ?{_NUM}", "le"), (rf"grade ?<= ?{_NUM}", "le"),
    (rf"grade {_NUM}(?: severity)? or (?:less|lower|better|below)", "le"), (rf"grade 0 ?(?:-|to|or) ?{_NUM}", "le"),
    (rf"< ?grade ?{_NUM}", "lt"), (rf"grade ?< ?{_NUM}", "lt"), (rf"(?:less|lower) than grade {_NUM}", "lt"),
    (rf"below grade {_NUM}", "lt"), (rf"grade {_NUM}(?: severity)?", "to"),
)
_GRADE = re.compile("|".join(f"(?:{p})" for p, _ in _GRADES))
_GRADE_WORDS = re.compile(r"\bgrades\b|\bgrade of (?=[<>]=? ?[0-4])")
_BASELINE = r"(?:(?:the )?(?:patient's )?baseline(?: levels?| severity| status| values?)?)"
_BASE_BEFORE = re.compile(rf"(?:at |to )?{_BASELINE},? (?:or|and/or|/) (?:to |at )?$")
_BASE_AFTER = re.compile(rf"^,? ?(?:or|and/or|/) (?:to |at |return to )?{_BASELINE}")
_IE = re.compile(r"\(i\.?e\.?,? (?:to |have |there remain |there are )?(?:residual )?(?:toxicit(?:y|ies) )?(§g)\)")

_WHAT = {
    "anticancer": r"(?:(?:anti-? ?cancer|anti-? ?tumou?r|antineoplastic|cancer|oncologic(?:al)?) "
                  r"(?:therapy|therapies|treatments?|therapeutics|agents?|drugs?)|cancer therapeutics)",
    "prior": r"(?:(?:prior|previous|earlier) (?:therapy|therapies|treatments?|regimens?)(?: or surg(?:ery|ical procedures?))?)",
    "chemotherapy": r"(?:(?:prior |previous )?(?:systemic )?chemotherapy)",
    "radiotherapy": r"(?:(?:prior |previous )?(?:radiotherapy|radiation(?: therapy| treatment)?))",
    "surgery": r"(?:(?:prior |previous )?(?:surgery|surgical procedures?))",
    "systemic": r"(?:(?:prior |previous )?systemic (?:anti-? ?cancer |antineoplastic )?(?:therapy|therapies|treatments?))",
}
_CAUSE = re.compile(
    r"(?:(?:(?:that|which) (?:is|are) )?(?:from|of|due to|related to|attributed to|attributable to|associated with|"
    r"caused by|secondary to|resulting from|following)(?: the| any| all)?|to(?: any)?(?= (?:prior|previous) ))(?: (?:prior|previous|earlier))? (?:" +
    "|".join(f"(?P<{k}>{v})" for k, v in _WHAT.items()) +
    # "resolution of prior treatment-related toxicities": the therapy words are the subject's
    r")(?=[ ,;.)]|$)(?![- ](?:related|induced)\b| (?:toxicit|adverse|aes?\b|side|effects))")
_CAUSE_ADJ = re.compile(r"(?:treatment|therapy)[- ](?:related|induced)|(?:anti-? ?cancer|anticancer) therapy ")
_NARROWING = re.compile(r"\b(?:acute|reversible|clinically significant|non-? ?hematologic(?:al)?|immune[- ]related)\b")
_EXCEPT = re.compile(r"\(\s*(?:with the exception of|except(?: for)?|excluding|other than|apart from|besides)\s+"
                     r"(?P<a>[^()]+)\)|,? (?:with the exception of|except(?: for)?|excluding|other than) (?P<b>[^()]+)$|"
                     r"^(?:with the exception of|except(?: for)?|other than) (?P<c>[^(),]+), ")

_SUBJ = (r"(?:prior |previous )?(?:(?:anti-? ?cancer |anticancer |cancer )?(?:treatment|therapy)(?:[- ](?:related|induced))? )?(?:toxic effects|toxicit(?:y|ies)|adverse events?(?: \(aes?\))?|"
         r"aes?|adverse effects|side effects|effects)")
_PERSIST = (r"(?:(?:experiencing |having )?(?:unresolved|persistent|persisting|ongoing|ongoing/persistent|residual|"
            r"continuing)|presence(?: of)? (?:unresolved |persistent )?|continuance of)")
_NOT_VERB = (r"(?:that |which )?(?:has |have |are |is )?not (?:yet )?(?:been )?(?:fully )?(?:recovered|resolved|returned|improved)"
             r"(?: to)?")
_REC = r"(?:fully |adequately |completely |adequate |full |complete )?(?:recovered|resolved|recovery|resolution)"
_MODAL_REC = r"(?:must |should )?(?:have |has |be |are |is )?(?:fully |completely )?(?:recovered|resolved|returned)(?: to)?"
_REC_NOUN = r"(?:adequate |full |complete )?(?:recovery from|resolution of)"
_G, _C = r"§g", r"§c"
_ATOM_SHAPES = [re.compile(p) for p in (
    rf"^{_PERSIST} ?(?:{_G} )?{_SUBJ}(?: (?:of |at )?{_G})?(?: {_C})?(?: (?:of |at )?{_G})?$",
    rf"^(?:{_PERSIST} ?)?{_SUBJ}(?: {_C})? {_NOT_VERB} {_G}(?: {_C})?$",
    rf"^(?:has |have )?not (?:yet )?{_REC}(?: to)?(?: {_G})? from {_SUBJ}(?: {_C})?(?: (?:to )?{_G})?(?: {_C})?$",
    rf"^{_PERSIST} ?{_SUBJ}(?: {_C})?,? defined as {_SUBJ} {_NOT_VERB} {_G}$",
    rf"^(?:inadequate|incomplete) (?:recovery from|resolution of) {_SUBJ}(?: {_C})? (?:to )?{_G}(?: {_C})?$",
    rf"^failure to (?:recover|resolve)(?: to {_G})? from {_SUBJ}(?: {_C})?(?: (?:to )?{_G})?(?: {_C})?$",
)]
_RECOVERY_SHAPES = [re.compile(p) for p in (
    rf"^{_REC}(?: to)? {_G}(?: (?:from|for|of))? {_SUBJ}(?: {_C})?$",
    rf"^{_REC}(?: {_G})? (?:from|of) {_SUBJ}(?: {_C})?(?: (?:to )?{_G})(?: {_C})?$",
    rf"^{_REC} {_SUBJ}(?: {_C})? (?:to )?{_G}$",
    rf"^{_REC_NOUN} {_SUBJ}(?: {_C})? (?:to )?{_G}(?: {_C})?$",
)]
_INCLUSION_ONLY = re.compile(rf"^{_SUBJ}(?: {_C})? (?:{_MODAL_REC}|must be) {_G}(?: {_C})?$")
_TIME = re.compile(r",? (?:prior to|before|at the time of|at)(?: the)? (?:registration|enrol?lment|randomi[sz]ation|"
                   r"study entry|screening(?: visit)?|start(?:ing)? (?:of )?(?:study )?(?:treatment|therapy)|"
                   r"first dose(?: of study (?:drug|treatment|therapy|intervention))?|day 1|cycle 1 day 1|c1d1|"
                   r"start(?:ing)? (?:of )?study (?:intervention|drug)|trial entry|"
                   r"start of treatment(?: with (?:the )?study (?:drug|treatment))?)(?: \([^()]*\))?$")


@functools.lru_cache(maxsize=1)
def _term_phrases() -> tuple[tuple[str, str], ...]:
    """(phrase, term key), longest phrase first."""
    pairs = [(p, key) for key, term in load_toxicity_terms().items() for p in term.phrases]
    return tuple(sorted(pairs, key=lambda x: -len(x[0])))


def _exception(part: str) -> c.ToxicityException | None:
    """"alopecia", "grade 2 peripheral neuropathy", "sensory neuropathy grade <= 2", "neuropathy <= grade 2"."""
    part = re.sub(r"^(?:any |residual |chemotherapy[- ]induced |)", "", part.strip())
    grade = None
    m = re.match(r"^(?:grade (?:<= ?)?([0-4])|<= ?grade ([0-4])) (.+)$", part)
    if m:
        grade, part = int(m.group(1) or m.group(2)), m.group(3)
    m = re.match(r"^(.+?) (?:\(?(?:grade (?:<= ?)?([0-4])|<= ?grade ([0-4]))\)?|of any grade)$", part)
    if m:
        if grade is not None:
            return None
        grade = int(m.group(2) or m.group(3)) if (m.group(2) or m.group(3)) else None
        part = m.group(1)
    key = next((k for p, k in _term_phrases() if p == part), None)
    return None if key is None else c.ToxicityException(key, grade)


def _exceptions(words: str) -> tuple[c.ToxicityException, ...] | None:
    parts = [p for p in re.split(r",? (?:and|or|and/or) |, |/", words.strip(" ,.")) if p]
    found = [_exception(p) for p in parts]
    return None if not found or None in found else tuple(found)


def _grade(text: str) -> tuple[str, int, bool, bool] | None:
    """The one grade of the text, replaced by §g: (text, highest grade accepted, or_baseline, whether
    it is an above-form: "> grade 1", "grade 2 or higher")."""
    found = list(_GRADE.finditer(text))
    if len(found) != 1:
        return None
    m = found[0]
    kind, n = "to", 0
    for (pattern, k) in _GRADES:
        mm = re.fullmatch(pattern, m.group(0))
        if mm:
            kind, n = k, int(mm.group(1))
            break
    before, after = text[:m.start()], text[m.end():]
    to_form = before.endswith("to ") or before.endswith("to at least ") or re.search(r"\bto\s*$", before) is not None
    if kind == "ge" and to_form:
        kind = "le"  # "recovered to at least grade 1", normalised "to >= grade 1"
    elif kind == "gt" and to_form:
        return None
    limit = {"ge": n - 1, "gt": n, "le": n, "lt": n - 1, "to": n}[kind]
    if limit < 0 or limit > 3 or (kind == "lt" and n == 1):
        return None  # "recovered to < grade 1": grade 0, or a slip for <= 1? not read
    baseline = False
    b = _BASE_BEFORE.search(before)
    if b:
        before, baseline = before[:b.start()].rstrip() + (" to " if b.group(0).startswith("to") else " "), True
    a = _BASE_AFTER.match(after)
    if a:
        after, baseline = after[a.end():], True
    text = re.sub(r"\bto at least $", "to ", before) + "§g" + after
    return text, limit, baseline, kind in ("ge", "gt")


def build_residual_toxicity(clause: Clause) -> c.Node | None:
    t = clause.text
    if clause.historical or not re.search(r"toxic|adverse|\baes?\b|effects", t):
        return None
    if "grade" not in t:
        return _ungraded(clause)
    t = _CTCAE.sub(" ", t.replace("[", "(").replace("]", ")"))
    t = re.sub(r"\s+", " ", re.sub(r"\(\s*\)|\[\s*\]", " ", re.sub(r"\s+", " ", t))).strip(" ,.;")
    t = re.sub(r"\(\s*(grade [^()]*)\)", r"\1", t)  # "(grade > 2)" -> "grade > 2"
    exceptions, kept = (), []
    m = _EXCEPT.search(t)
    if m:
        words = m.group("a") or m.group("b") or m.group("c")
        read = _exceptions(words)
        if read is None:
            kept.append(m.group(0).strip(" ,()"))
        else:
            exceptions = read
        t = re.sub(r"\s+", " ", t[:m.start()] + " " + t[m.end():]).strip()
    t = _TIME.sub("", t)
    t = _GRADE_WORDS.sub("grade ", t).replace("grade  ", "grade ")
    graded = _grade(t)
    if graded is None:
        return None
    t, limit, baseline, above_form = graded
    # "has not recovered ... (i.e., have residual toxicities > grade 1)": the bracket states the
    # toxicity left, so the clause was negated (the reader took the "not" off); no requirement
    # "must have recovered" says so
    negation_shown = above_form and _IE.search(t) is not None
    t = _IE.sub(r"\1", t)
    t = re.sub(r"\(\s*(§g)\s*\)", r"\1", t)
    t = re.sub(r"§g severity\b", "§g", t)
    causes = list(_CAUSE.finditer(t))
    if len(causes) > 1:
        return None
    therapy = None
    if causes:
        what = next(k for k, v in causes[0].groupdict().items() if v)
        therapy = None if what in ("anticancer", "prior") else what
        t = t[:causes[0].start()] + "§c" + t[causes[0].end():]
    narrowing = _NARROWING.findall(t)
    t = _NARROWING.sub("", t)
    t = re.sub(r"\b(?:all|any|the|ctcae|common terminology criteria for adverse events)\b", "", t)
    t = re.sub(r"\s+", " ", t).strip(" ,")
    if not causes and not _CAUSE_ADJ.search(t) and not re.search(r"toxic", t):
        return None  # an "adverse event" named with no cause may be any adverse event
    atom = c.ResidualToxicity(above_grade=limit, exceptions=exceptions, therapy=therapy, or_baseline=baseline)
    node: c.Node = atom
    if kept or narrowing:
        node = c.All((atom, *(c.Unparsed(w) for w in [*narrowing, *kept])))
    if any(p.match(t) for p in _ATOM_SHAPES):
        return node if clause.section == "exclusion" else None
    if any(p.match(t) for p in _RECOVERY_SHAPES):
        # in an exclusion "recovered ..." is what is left of "has not recovered ..." (the reader wraps
        # the Not again: ``clause.negated``) or of a misplaced requirement "Patients must have recovered
        # ..." (the reader takes "patients must have" off, not negated): opposite meanings, read only
        # where the reader or the words show the negation. In an inclusion a negated recovery ("has
        # not recovered ...") would require a toxicity of every patient: a misplaced exclusion, not read
        if clause.section == "inclusion":
            return None if clause.negated else c.Not(node)
        return c.Not(node) if clause.negated or negation_shown else None
    if clause.section == "inclusion" and _INCLUSION_ONLY.match(t):
        return c.Not(node)
    return None


_WHOLE_EXCEPTION = re.compile(r"^\(?\s*(?:with the exception of|except(?: for)?|excluding|other than)\s+(?P<list>[^()]+?)"
                              r"\s*\)?\s*[.;]?$")


def fold_exception(head: c.Node, tail: str) -> c.Node | None:
    """The item's exception sentence folded into its residual-toxicity atom: ``head`` is what the
    sentence reader made of the words before the exception (``ResidualToxicity``, ``Not`` of it, or
    either with Unparsed narrowing words beside it), ``tail`` the exception's words ("excluding
    alopecia.", "(except for alopecia and grade <= 2 neuropathy)"). Returns the head with the
    exceptions in its atom when every exception is a known term, else None (the reader keeps
    the exception Unparsed). Called by the sentence reader (``sentences._parse_text``) where an
    exception tail meets its head node."""
    m = _WHOLE_EXCEPTION.match(normalize_words(tail))
    read = _exceptions(m.group("list")) if m else None
    if read is None:
        return None

    def fold(node):
        if isinstance(node, c.ResidualToxicity) and not node.exceptions:
            return dataclasses.replace(node, exceptions=read)
        if isinstance(node, c.Not):
            inner = fold(node.item)
            return None if inner is None else c.Not(inner)
        if isinstance(node, c.All):
            atoms = [i for i, x in enumerate(node.items) if not isinstance(x, c.Unparsed)]
            if len(atoms) != 1:
                return None
            inner = fold(node.items[atoms[0]])
            return None if inner is None else c.All(node.items[:atoms[0]] + (inner,) + node.items[atoms[0] + 1:])
        return None

    return fold(head)


def normalize_words(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("≤", "<= ").replace("=\\<", "<=").replace("=<", "<="))


# Seventh round: no grade written, in an exclusion. "Unresolved toxicity from prior anti-cancer therapy", "Has
# ongoing toxicity related to prior cancer therapy", "Has not fully recovered from adverse events due to previous
# anticancer therapies" (negated; the inclusion's "Recovered from toxicities due to prior therapies": see below).
# Any toxicity left is above grade 0 (CTCAE v5.0: grade 0 is none), so ResidualToxicity(above_grade=0) is necessary
# for "unresolved" and its absence enough for "recovered"; which grade the protocol still accepts is not said
# (many define recovery as grade <= 1 or baseline: "Unresolved toxicities ..., defined as toxicities not yet
# resolved to Grade <= 1 or baseline", NCT06660654), so the clause is kept Unparsed beside the atom:
# All(ResidualToxicity(0), Unparsed(clause)). A toxicity of grade 1 or more stays to confirm, a clinician's
# assessment of none decides. A cause must be written (an adverse event or "toxicity" with none may be any);
# exceptions, "as defined in the protocol", a time, a drug named and anything else leave the clause unread
_UNGRADED_NARROWING = re.compile(r"\b(?:clinically significant|significant|serious|acute)\b ?")
_UNGRADED_ATOM = re.compile(rf"^{_PERSIST} ?{_SUBJ}(?: {_C})?$")
_UNGRADED_RECOVERY = re.compile(rf"^(?:{_REC} (?:from|of)|{_REC_NOUN}) {_SUBJ}(?: {_C})?$")


def _ungraded(clause: Clause) -> c.Node | None:
    t = clause.text
    if "recover" not in t and "resol" not in t and not re.search(r"persist|ongoing|continu|residual", t):
        return None
    if re.search(r"[()\[\]\d<>=]|\b(?:except|excluding|other than|baseline|defined|protocol|required|opinion|judg)", t):
        return None
    causes = list(_CAUSE.finditer(t))
    if len(causes) != 1:
        return None
    what = next(k for k, v in causes[0].groupdict().items() if v)
    therapy = None if what in ("anticancer", "prior") else what
    rest = t[:causes[0].start()] + "§c" + t[causes[0].end():]
    rest = _UNGRADED_NARROWING.sub("", rest)
    rest = re.sub(r"\s+", " ", re.sub(r"\b(?:all|any|the)\b", "", rest)).strip(" ,.")
    atom = c.ResidualToxicity(above_grade=0, therapy=therapy)
    if _UNGRADED_ATOM.match(rest):
        return c.All((atom, c.Unparsed(t))) if clause.section == "exclusion" else None
    if _UNGRADED_RECOVERY.match(rest):
        words = f"not {t}"  # the Unparsed words say what the All holds: the toxicity and no recovery
        if clause.section == "exclusion" and clause.negated:
            return c.Not(c.All((atom, c.Unparsed(words))))  # the reader wraps it in Not again
        # the inclusion's "Recovered from toxicities due to prior therapies" (NCT05651022) is
        # Any(Not(ResidualToxicity(0)), Unparsed(clause)): no toxicity left meets it (CTCAE grade 0), a toxicity of
        # grade 1 or more may or may not count as recovered (UNKNOWN). The Any is never NOT_MET, so a head the
        # qualifier reader offers without its negation (a misplaced exclusion "Has not recovered from toxicities of
        # prior therapy | to grade <= 1", test_sentence_round2) sits in All(Any, Unparsed(rest)), never MET: it
        # can leave an item open, never decide it
        if clause.section == "inclusion" and not clause.negated:
            return c.Any((c.Not(atom), c.Unparsed(t)))
    return None
