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
WEEKS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365}


def flip(cmp: str) -> str:
    return {">=": "<=", "<=": ">=", ">": "<", "<": ">"}[cmp]
