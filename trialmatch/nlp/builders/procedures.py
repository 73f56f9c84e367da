"""Procedures: surgery and radiotherapy, optionally within a washout window."""

from __future__ import annotations

import re

from trialmatch.domain import criteria as c
from trialmatch.nlp.builders import Clause
from trialmatch.nlp.builders.treatment_words import EVER, QUALIFYING, window_at_end

_SURGERY = re.compile(
    r"^(?P<major>major )?(?:surgery|surgical procedure|surgical resection|operation|surgical intervention)$"
)
# not "exposure to": "prior exposure to radiation" may be environmental, not radiotherapy
_PROCEDURE_LEAD = re.compile(
    r"^(?:(?:previously|previous|prior|received|receives|receipt of|had|have|has|been|undergone|underwent|completed|"
    r"treatment with|treated with|any|a|an) )+")
_PROCEDURE_PRIOR_SAYS = re.compile(
    r"\b(?:previously|previous|prior|received|receives|receipt|had|undergone|underwent|completed|treatment with|treated with)\b")
_RADIATION = re.compile(
    r"^(?:radiotherapy|radiation therapy|radiation|rt|irradiation|radiosurgery)(?: treatment)?$"
)


# radiation that is not a treatment, or a treatment with it ("chemo" + radiation is a combination)
_NOT_RADIOTHERAPY = re.compile(r"\b(?:ultraviolet|uv|ionizing|ionising|background|occupational|environmental|"
                               r"exposure|chemo|chemotherapy|or|and|no|any)\b|cancer|carcinoma|tumou?r|malignan|metasta|neoplas|lesion")
# one to three plain words naming a kind of radiotherapy ("external beam", "palliative", "whole brain")
_RADIATION_KIND = re.compile(
    r"^(?P<kind>[a-z][a-z-]*(?: [a-z][a-z-]*){0,2}) (?:radiotherapy|radiation therapy|radiation|irradiation|radiosurgery)"
    r"(?: treatment)?$")


def build_procedure(clause: Clause) -> c.Node | None:
    """Surgery or radiation, optionally within a window. "Major surgery": the atom counts
    any surgery, so "major" is kept unparsed beside it (in an exclusion, any surgery in the
    window gives UNKNOWN, never a wrong exclusion of a minor procedure); it needs a window
    (its window is often written after an aside, "major surgery (excluding ...) within 4
    weeks"). A bare "surgery" with neither a word saying it was done before nor a window is
    not read."""
    return procedure_atom(clause)


def procedure_atom(clause: Clause, major_without_window: bool = False) -> c.Node | None:
    head, within = window_at_end(clause.text)
    lead = _PROCEDURE_LEAD.match(head)
    says_prior = bool(lead and _PROCEDURE_PRIOR_SAYS.search(lead.group(0)))
    x = EVER.sub("", head[lead.end():] if lead else head).strip(" ,")
    if not says_prior and within is None:
        return None
    m = _SURGERY.match(x)
    if m:
        if m.group("major") and within is None and not major_without_window:
            return None
        return c.Procedure("surgery", within_days=within, major=bool(m.group("major")))
    if _RADIATION.match(x):
        return c.Procedure("radiation", within_days=within)
    m = _RADIATION_KIND.match(x)
    if m and not QUALIFYING.search(m.group("kind")) and not _NOT_RADIOTHERAPY.search(m.group("kind")):
        # "external beam radiotherapy": any radiation is necessary, the kind is kept unparsed
        return c.All((c.Procedure("radiation", within_days=within), c.Unparsed(m.group("kind"))))
    return None
