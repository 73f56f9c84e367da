"""Builders: each turns one clause (normalised text, leading subject words and negation
already removed) into criterion nodes, or returns None when the clause is not wholly
understood. A builder matches the whole clause, never part of it (precision first)."""

from __future__ import annotations

from dataclasses import dataclass, field

from trialmatch.nlp.terms import Terms


@dataclass(frozen=True)
class Clause:
    text: str  # normalised, lower case, subject words and leading negation removed
    terms: Terms
    section: str  # "inclusion" | "exclusion" | "unknown"
    historical: bool = False  # "history of" in front of the clause
    qualifiers: dict = field(default_factory=dict)  # QUALIFIER context rules: word -> value
    # the clause reader took a negation off the text ("has not recovered ..." -> "recovered ..."): the
    # reader wraps the builder's node in Not again; a builder whose words read the opposite way with
    # and without it (a requirement's "must have recovered ..." is taken off the same way) may ask
    negated: bool = False

    def with_text(self, text: str, negated: bool | None = None) -> "Clause":
        """The same clause with other words (``dataclasses.replace``, without its per-call cost: the
        readers make a sub-clause of most heads and list parts)."""
        return Clause(text, self.terms, self.section, self.historical, self.qualifiers,
                      self.negated if negated is None else negated)
