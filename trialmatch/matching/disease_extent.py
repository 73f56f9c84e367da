"""Disease extent of the focus cancer (DESIGN.md, evidence rule "Disease extent").

"Metastatic" is decided from stage group, M category and secondary cancer conditions
together:
- positive evidence (an M1* category, a secondary cancer condition, a stage group IV in a
  cancer where IV always means M1) makes the disease metastatic, whatever its date: AJCC
  never down-stages M, and a stage at diagnosis never contradicts a later metastasis;
- negative evidence (M0, stage groups listed as not metastatic) holds only when it is the
  latest evidence and nothing after it signals progression (a cancer or disease status of
  recurrence / worsening recorded later): the latest evidence wins;
- a secondary cancer when the patient has several primaries could belong to any of them:
  it makes "not metastatic" impossible but proves nothing (UNKNOWN); unless the primaries
  are records of one cancer (``PatientView.one_cancer``);
- a secondary cancer of lymph nodes only (ICD-10-CM C77, a nodal body site) may be regional
  spread (the N category, stage III in many cancers) as well as distant: it proves nothing
  either way (UNKNOWN, "regional or distant is not stated"). Counted as metastatic, it made a
  stage III M0 patient ineligible for a trial of stage III disease excluding distant metastases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from trialmatch.domain import facts as f

_GROUP = re.compile(r"^(?:STAGE\s*)?(0|IV|I{1,3})([A-Z]?\d?)", re.IGNORECASE)
PROGRESSION = frozenset({"worsening", "progressing", "progression", "progressive"})
RECURRENCE = frozenset({"recurrence", "relapse"})


def parse_group(group: str | None) -> tuple[str, str] | None:
    """("IIIB") -> ("III", "B"); None when it is no AJCC-style group."""
    if not group:
        return None
    m = _GROUP.match(group.strip().upper())
    return (m.group(1), m.group(2)) if m else None


def group_in(group: str | None, accepted: tuple[str, ...]) -> bool:
    """Prefix rule of ``criteria.Stage``: "III" accepts IIIA/IIIB/IIIC, "IIIB" only IIIB*."""
    p = parse_group(group)
    if p is None:
        return False
    for a in accepted:
        q = parse_group(a)
        if q and q[0] == p[0] and p[1].startswith(q[1]):
            return True
    return False


def group_may_be_in(group: str | None, accepted: tuple[str, ...]) -> bool:
    """A coarser recorded group that some accepted subgroup refines: stage "III" against "IIIB",
    "IA" against "IA2". The record does not say which subgroup: neither in nor out."""
    p = parse_group(group)
    if p is None:
        return False
    return any(q and q[0] == p[0] and q[1].startswith(p[1]) and q[1] != p[1]
               for q in (parse_group(a) for a in accepted))


@dataclass(frozen=True)
class ExtentItem:
    fact: object
    when: date | None
    label: str


@dataclass(frozen=True)
class DiseaseExtent:
    positive: tuple[ExtentItem, ...]  # shows metastatic disease
    negative: tuple[ExtentItem, ...]  # shows no metastasis at its date
    unattributed: tuple[ExtentItem, ...]  # secondary cancers that may belong to another primary, or be regional nodes
    latest_stage: f.Stage | None
    progression_after: dict  # date of the latest negative -> progression items after it

    def metastatic_since(self) -> date | None:
        dates = [i.when for i in self.positive if i.when]
        return min(dates) if dates else None

    def latest_negative(self) -> ExtentItem | None:
        return self.negative[0] if self.negative else None


def _is_a_any(vocab, code: str | None, roots) -> bool:
    return bool(code) and any(vocab.oncotree.is_a(code, r) for r in roots)


def _nodal_only(view) -> frozenset[str]:
    """The secondary cancers whose only recorded site is lymph nodes."""
    sites: dict[str, set[str]] = {}
    for site, cancer in view.metastatic_sites:
        sites.setdefault(cancer.evidence, set()).add(site)
    return frozenset(ref for ref, found in sites.items() if found == {"lymph_node"})


def disease_extent(ctx) -> DiseaseExtent:
    cached = ctx.__dict__.get("_extent")
    if cached is not None:
        return cached
    v, rules, vocab = ctx.view, ctx.rules, ctx.vocab
    iv_is_m1 = _is_a_any(vocab, ctx.focus_type, rules.stage_iv_is_m1)
    positive, negative, unattributed = [], [], []
    for s in ctx.stages:  # newest first
        m = (s.m or "").upper()
        if m.startswith(("M1", "CM1", "PM1")):
            positive.append(ExtentItem(s, s.date, f"{s.m}"))
        elif m in ("M0", "CM0", "PM0", "M0(I+)"):
            negative.append(ExtentItem(s, s.date, f"{s.m}"))
        p = parse_group(s.group)
        if p and p[0] == "IV" and iv_is_m1:
            positive.append(ExtentItem(s, s.date, f"stage {s.group}"))
        elif s.group and group_in(s.group, rules.extent_not_met["metastatic"]):
            negative.append(ExtentItem(s, s.date, f"stage {s.group}"))
    nodal_only = _nodal_only(v)
    for cancer in v.secondaries:
        when = cancer.onset or cancer.recorded
        if cancer.evidence in nodal_only:
            unattributed.append(ExtentItem(cancer, when, "lymph node metastasis (regional or distant is not stated)"))
            continue
        item = ExtentItem(cancer, when, "secondary cancer")
        (positive if v.one_cancer else unattributed).append(item)
    key = lambda i: i.when or date.min  # noqa: E731
    negative.sort(key=key, reverse=True)
    progression_after: dict = {}
    if negative:
        after = negative[0].when
        signals = [ExtentItem(d, d.date, d.status) for d in v.facts.disease_status
                   if d.status in PROGRESSION and (after is None or (d.date is not None and d.date > after))]
        focus = ctx.focus
        if focus is not None and focus.clinical_status in RECURRENCE:
            signals.append(ExtentItem(focus, focus.recorded or focus.onset, f"cancer {focus.clinical_status}"))
        progression_after[after] = tuple(signals)
    extent = DiseaseExtent(tuple(sorted(positive, key=key)), tuple(negative), tuple(unattributed),
                           ctx.stages[0] if ctx.stages else None, progression_after)
    ctx.__dict__["_extent"] = extent
    return extent
