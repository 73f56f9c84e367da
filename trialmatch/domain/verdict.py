"""Three-valued verdicts with their explanation (DESIGN.md, "Verdict").

Kleene logic over NOT_MET < UNKNOWN < MET: ``All`` is the minimum, ``Any`` the maximum,
``Not`` swaps MET and NOT_MET. UNKNOWN is an outcome, never an error.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Verdict(enum.IntEnum):
    NOT_MET = 0
    UNKNOWN = 1
    MET = 2

    def negate(self) -> "Verdict":
        if self is Verdict.MET:
            return Verdict.NOT_MET
        if self is Verdict.NOT_MET:
            return Verdict.MET
        return Verdict.UNKNOWN

    @property
    def label(self) -> str:
        return {0: "not_met", 1: "unknown", 2: "met"}[int(self)]


def all_of(verdicts) -> Verdict:
    """Kleene conjunction; the empty conjunction is MET."""
    return min(verdicts, default=Verdict.MET)


def any_of(verdicts) -> Verdict:
    """Kleene disjunction; the empty disjunction is NOT_MET."""
    return max(verdicts, default=Verdict.NOT_MET)


MISSING = "missing"  # a fact the trial needs is absent or stale
TO_CONFIRM = "to_confirm"  # an exclusion a record would usually show, or a fact no EHR holds


@dataclass(frozen=True)
class Evidence:
    """A patient fact used for a verdict: the FHIR reference and a readable value."""

    reference: str
    value: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Missing:
    item: str  # readable data item: "HER2 status", "ECOG performance status"
    kind: str  # MISSING | TO_CONFIRM


@dataclass(frozen=True)
class Outcome:
    """The evaluation of one node of a criteria tree."""

    verdict: Verdict
    reason: str
    node_type: str
    text: str | None = None
    id: str | None = None
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[Missing, ...] = ()
    children: tuple["Outcome", ...] = ()
