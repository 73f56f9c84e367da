"""Shared regular-expression pieces of the builders (over normalised text)."""

from __future__ import annotations

NUM = r"(\d+(?:\.\d+)?)"
CMP = r"(>=|<=|>|<)"
OR = r"(?:,? or |,? and/or | and | ?/ ?|, )"
# time points a washout or an age is counted to; they do not change the criterion
ANCHOR = (
    r"(?:the )?(?:first|initial|1st|start of|start|initiation of|planned start of|beginning of|day 1 of)?\s*"
    r"(?:dose|dosing|administration|receipt)?(?: of)?\s*(?:the )?(?:study|trial|investigational|protocol)?\s*"
    r"(?:treatment|therapy|drug|intervention|medication|agent|product|dose)?|(?:the )?(?:randomi[sz]ation|enrollment|enrolment|registration|"
    r"study entry|cycle 1,? day 1|c1d1|day 1|screening|consent)"
)
_PER = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.0}


def days(n: str | None, unit: str | None) -> int | None:
    """A duration in days: weeks x 7, months x 30.4375 rounded (1 -> 30, 3 -> 91, 6 -> 183),
    years x 365. None when no number was written."""
    if not n or not unit:
        return None
    return int(round(float(n) * _PER[unit.rstrip("s")]))


def flip(cmp: str) -> str:
    return {">=": "<=", "<=": ">=", ">": "<", "<": ">"}[cmp]


def number(text: str) -> float | int:
    """A number as written: an int when integral ("18" -> 18, "1.0" -> 1), else a float."""
    value = float(text)
    return int(value) if value.is_integer() else value


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words``: literals every match of an expression contains,
    tested before the expression runs (most texts a builder is offered name nothing of its kind)."""
    return any(map(text.__contains__, words))
