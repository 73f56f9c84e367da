"""Context rules applied to item text: where an exception starts, whether an item is
non-clinical. The rules are data (``rules/context.json``, see ``rule_file``).

NON_CLINICAL rules name what no record answers (consent, willingness, contraception, logistics);
those with ``value: "clinical"`` are counter-rules: an item that also names a clinical
requirement ("pregnant", "ECOG", "seizure", an age) is never non-clinical, whatever else it says."""

from __future__ import annotations

import re
from functools import lru_cache

from trialmatch.nlp.required_literals import Alternation, required_literals
from trialmatch.nlp.rule_file import ContextRule, context_rules


class Context:
    def __init__(self, rules: tuple[ContextRule, ...]):
        self.rules = rules
        self._by_category: dict[str, Alternation] = {}
        for category in {r.category for r in rules}:
            sources = [r.pattern if r.pattern is not None else r"\b" + re.escape(r.literal.lower()) + r"\b"
                       for r in rules if r.category == category and not _clinical_counter_rule(r)]
            self._by_category[category] = Alternation(sources)
        # NON_CLINICAL rules with value "clinical" are counter-rules: words that make an item clinical
        # even when it also speaks of consent or compliance ("pregnant", "ECOG", "infection")
        clinical = [r.pattern if r.pattern is not None else r"\b" + re.escape(r.literal.lower()) + r"\b"
                    for r in rules if _clinical_counter_rule(r)]
        # (guarded: only the counter-rules whose literals the text holds run, see required_literals;
        # the same answer, about four times faster on the trial file's items)
        self._clinical = Alternation(clinical, guarded=True) if clinical else None

        recognised = [(r.pattern or r"\b" + re.escape(r.literal.lower()) + r"\b", r.value) for r in rules
                      if r.category == "RECOGNISED"]
        self._recognised = tuple((re.compile(source), tuple(required_literals(source) or ()), value)
                                 for source, value in recognised)
        # DEPENDENT rules by value ("definition", "permission", "independent": the counter-rules)
        self._dependent = {value: Alternation([r.pattern or re.escape(r.literal.lower()) for r in rules
                                               if r.category == "DEPENDENT" and r.value == value],
                                              guarded=value in _GUARDED_DEPENDENT)
                           for value in {r.value for r in rules if r.category == "DEPENDENT"}}
        # DOCUMENTATION rules match a whole sentence
        docs = [r.pattern or re.escape(r.literal.lower()) for r in rules if r.category == "DOCUMENTATION"]
        self._documentation = Alternation(docs, guarded=True) if docs else None
        self.negation = self._prefix("NEGATION")
        self.history = self._prefix("HISTORICAL")
        self.qualifiers: dict[str, str | None] = {
            r.literal.lower(): r.value for r in rules if r.category == "QUALIFIER"}
        self._condition_states = tuple((re.compile(r.pattern or re.escape(r.literal.lower())), r.value)
                                       for r in rules if r.category == "CONDITION_QUALIFIER")

    def _prefix(self, category: str) -> re.Pattern:
        sources = sorted((r.pattern or re.escape(r.literal.lower()) for r in self.rules if r.category == category),
                         key=len, reverse=True)
        return re.compile(r"^(?:" + "|".join(sources) + r")\b\s*") if sources else re.compile(r"(?!)")

    def find(self, category: str, text: str) -> re.Match | None:
        """The first (leftmost) match of the category's rules in ``text``, or None."""
        rx = self._by_category.get(category)
        return rx.search(text) if rx is not None else None

    def exception_at(self, lower_text: str) -> int | None:
        """Offset where an exception clause starts (at its opening bracket if it is in one)."""
        m = self.find("EXCEPTION", lower_text)
        if m is None:
            return None
        start = m.start()
        opening = lower_text.rfind("(", 0, start)
        if opening != -1 and lower_text.rfind(")", opening, start) == -1:
            start = opening
        return start

    def dependent(self, sentence: str) -> str | None:
        """How a sentence not understood bears on the sentence before it: "definition" (a definition,
        an example, a note, a method, a reference back), "permission" (it only widens who is
        eligible), "pregnancy_test" (the whole sentence asks for a negative pregnancy test: a method
        only after a sentence read as pregnancy), "age_restated" (it restates an age limit: only after
        a sentence read as an age), or None: it may state a requirement or an exclusion of its own (a counter-rule
        matched, or no DEPENDENT shape did)."""
        low = sentence.strip().lower()
        for value in ("pregnancy_test", "age_restated"):
            rx = self._dependent.get(value)
            if rx is not None and rx.fullmatch(low.strip(" .;:")):
                return value
        independent = self._dependent.get("independent")
        if independent is not None and independent.search(low):
            return None
        for value in ("permission", "definition"):
            rx = self._dependent.get(value)
            if rx is not None and rx.search(low):
                return value
        return None

    def documentation(self, sentence: str) -> bool:
        """Whether a whole sentence only says how the protocol checks ("Screening is not required."):
        it cannot change who is eligible."""
        if self._documentation is None:
            return False
        return self._documentation.fullmatch(sentence.strip().strip(".;:() ").lower()) is not None

    def recognised(self, text: str) -> str | None:
        """The concept of the first RECOGNISED rule found in ``text`` (lower-cased here), or None."""
        low = text.lower()
        for rx, literals, value in self._recognised:
            if (not literals or any(lit in low for lit in literals)) and rx.search(low):
                return value
        return None

    def condition_qualifier(self, words: str) -> str | None:
        """The Condition qualifier the whole of ``words`` names ("Uncontrolled", "requiring systemic
        therapy."), or None."""
        low = words.strip(" .,;:").lower()
        return next((value for rx, value in self._condition_states if rx.fullmatch(low)), None)

    def non_clinical(self, text: str) -> bool:
        """Whether the text speaks of something no record answers (consent, willingness, logistics)
        and names no clinical requirement the counter-rules know. The clause parser also asks the
        vocabulary (``ClauseParser.non_clinical``)."""
        low = text.lower()
        if self.find("NON_CLINICAL", low) is None:
            return False
        # what is said of a partner ("if the partner is pregnant, use a condom") is not the patient's
        own = _PARTNER.sub(" ", low)
        return self._clinical is None or self._clinical.search(own) is None


_PARTNER = re.compile(r"\bpartners?(?: (?:who|that))? (?:is|are|becomes?|may be|could be|might be) (?:currently )?pregnant"
                      r"(?:,? (?:or|and/or) (?:breast-?\s?feeding|lactating|nursing))?|\bpregnant (?:or (?:breast-?\s?feeding|lactating) )?partners?\b")


# the DEPENDENT rule sets of long lookahead alternatives (guarded: see required_literals)
_GUARDED_DEPENDENT = frozenset(("independent", "pregnancy_test", "age_restated"))


def _clinical_counter_rule(rule: ContextRule) -> bool:
    return rule.category == "NON_CLINICAL" and rule.value == "clinical"


@lru_cache(maxsize=1)
def default_context() -> Context:
    return Context(context_rules())
