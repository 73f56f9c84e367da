"""CTML (MatchMiner's Clinical Trial Markup Language) -> TrialCriteria.

A CTML trial is ``treatment_list.step[].arm[].dose_level[]``; any of these levels (and the
trial itself) may carry a ``match`` clause. MatchMiner matches each clause on its own (the
step's clause is not added to the arm's), so each level with a non-empty ``match`` becomes one
``Arm`` whose criteria are that clause. The trial's common criteria are the conjuncts every
arm shares (taken out of the arms when each arm keeps at least one conjunct of its own, with
ids prefixed ``common.``), else ``All()``: the arm verdicts are unchanged (``common AND rest``).
Suspension as MatchMiner decides it: an arm by ``arm_suspended``, a dose level by
``level_suspended`` ("Y"/"N"), a step when all its arms are suspended.

A ``match`` clause is a list (a conjunction) of objects; an object is the conjunction of its
keys; ``and`` / ``or`` hold lists; ``clinical`` / ``genomic`` are leaves
(:mod:`trialmatch.matchminer.ctml_leaves`). This is how matchengine-V2 builds its match tree
(its golden file ``get_match_paths_expected.json`` is checked in the tests).
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Callable

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import to_json
from trialmatch.errors import CriteriaError
from trialmatch.matchminer.ctml_leaves import clinical_leaf, genomic_leaf
from trialmatch.matchminer.field_table import FieldTable, load_field_table

__all__ = ["ctml_to_trial", "match_tree"]

Leaf = Callable[[str, dict, str], c.Node]
_TRIAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PHASES = {"i": "PHASE1", "ii": "PHASE2", "iii": "PHASE3", "iv": "PHASE4", "i/ii": "PHASE1_PHASE2",
           "ii/iii": "PHASE2_PHASE3"}


def match_tree(match, path: str, leaf: Leaf) -> c.Node | None:
    """A ``match`` clause as a criteria tree; ``None`` for an empty clause (which MatchMiner
    matches to nobody). ``leaf(kind, fields, path)`` converts the leaves."""
    if match is None or match == []:
        return None
    if not isinstance(match, list):
        raise CriteriaError(f"{path}: a match clause must be a list")
    return _conjunction([_object(item, f"{path}.{i + 1}", leaf) for i, item in enumerate(match)], path)


def _conjunction(nodes: list[c.Node], path: str) -> c.Node:
    return nodes[0] if len(nodes) == 1 else c.All(tuple(nodes), id=path)


def _object(item, path: str, leaf: Leaf) -> c.Node:
    if not isinstance(item, dict) or not item:
        raise CriteriaError(f"{path}: a match item must be a non-empty object")
    nodes = []
    for key, value in item.items():
        where = f"{path}.{key}"
        if key in ("and", "or"):
            if not isinstance(value, list) or not value:
                raise CriteriaError(f"{where}: '{key}' must hold a non-empty list")
            items = tuple(_object(v, f"{where}.{i + 1}", leaf) for i, v in enumerate(value))
            nodes.append(c.All(items, id=where) if key == "and" else c.Any(items, id=where))
        else:
            nodes.append(leaf(key, value, where))
    return _conjunction(nodes, path)


def _ctml_leaf(vocab, table: FieldTable) -> Leaf:
    def leaf(kind: str, fields, path: str) -> c.Node:
        if kind == "clinical":
            return clinical_leaf(fields, path, vocab, table)
        if kind == "genomic":
            return genomic_leaf(fields, path, table)
        raise CriteriaError(f"{path}: CTML match key {kind!r} not supported; known: and, or, clinical, genomic")
    return leaf


def _yes(value) -> bool:
    return str(value or "n").strip().lower() == "y"


def _code(level: dict, key: str, index: int) -> str:
    return str(level.get(key) or index)


def _arms(doc: dict, leaf: Leaf) -> list[c.Arm]:
    arms: list[c.Arm] = []

    def add(match, arm_id: str, label: str, suspended: bool):
        node = match_tree(match, arm_id, leaf)
        if node is not None:
            arms.append(c.Arm(id=arm_id, label=label, criteria=node, suspended=suspended))

    add(doc.get("match"), "trial", "Trial", False)
    steps = (doc.get("treatment_list") or {}).get("step") or []
    if not isinstance(steps, list):
        raise CriteriaError("treatment_list.step: must be a list")
    for s, step in enumerate(steps, 1):
        step_arms = step.get("arm") or []
        step_label = f"Step {_code(step, 'step_code', s)}"
        add(step.get("match"), f"s{s}", step_label, all(_yes(a.get("arm_suspended")) for a in step_arms))
        for a, arm in enumerate(step_arms, 1):
            arm_label = f"{step_label} / {_code(arm, 'arm_code', a)}"
            if arm.get("arm_description"):
                arm_label += f": {arm['arm_description']}"
            add(arm.get("match"), f"s{s}.a{a}", arm_label, _yes(arm.get("arm_suspended")))
            for d, level in enumerate(arm.get("dose_level") or [], 1):
                level_label = f"{step_label} / {_code(arm, 'arm_code', a)} / {_code(level, 'level_code', d)}"
                add(level.get("match"), f"s{s}.a{a}.l{d}", level_label, _yes(level.get("level_suspended")))
    return arms


def _items(node: c.Node) -> tuple[c.Node, ...]:
    return node.items if isinstance(node, c.All) else (node,)


def _key(node: c.Node) -> str:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "id"}
        return [strip(v) for v in value] if isinstance(value, list) else value
    return json.dumps(strip(to_json(node)), sort_keys=True)


def _reid(node: c.Node) -> c.Node:
    changes = {"id": f"common.{node.id}"} if getattr(node, "id", None) else {}
    if isinstance(node, (c.All, c.Any)):
        changes["items"] = tuple(_reid(item) for item in node.items)
    elif isinstance(node, c.Not):
        changes["item"] = _reid(node.item)
    return dataclasses.replace(node, **changes)


def _factor_common(arms: list[c.Arm]) -> tuple[c.Node, list[c.Arm]]:
    """The conjuncts shared by every arm (two or more), when each arm keeps one of its own."""
    if len(arms) < 2:
        return c.All(()), arms
    shared = set.intersection(*({_key(item) for item in _items(arm.criteria)} for arm in arms))
    rests = [tuple(item for item in _items(arm.criteria) if _key(item) not in shared) for arm in arms]
    if not shared or not all(rests):
        return c.All(()), arms
    common = tuple(_reid(item) for item in _items(arms[0].criteria) if _key(item) in shared)
    new_arms = [dataclasses.replace(arm, criteria=rest[0] if len(rest) == 1 else c.All(rest, id=arm.criteria.id))
                for arm, rest in zip(arms, rests)]
    return c.All(common, id="common"), new_arms


def ctml_to_trial(doc: dict, vocab, table: FieldTable | None = None) -> c.TrialCriteria:
    """One CTML trial document as TrialCriteria. Raises CriteriaError naming the unsupported
    field and its path (``s1.a2.1.and.2.genomic.cnv_call: ...``; ``s1.a2`` is step 1, arm 2)."""
    if not isinstance(doc, dict):
        raise CriteriaError("CTML trial: must be an object")
    table = table or load_field_table()
    trial_id = str(doc.get("protocol_no") or doc.get("nct_id") or "")
    if not _TRIAL_ID.match(trial_id):
        raise CriteriaError(f"protocol_no: {trial_id!r} is missing or not a usable trial id")
    where = f"trial {trial_id}"
    if "treatment_list" not in doc and "match" not in doc:
        raise CriteriaError(f"{where}: treatment_list: required (not a CTML trial)")
    try:
        arms = _arms(doc, _ctml_leaf(vocab, table))
    except CriteriaError as exc:
        raise CriteriaError(f"{where}: {exc}") from None
    if not arms:
        raise CriteriaError(f"{where}: treatment_list: no match clause at any step, arm or dose level")
    common, arms = _factor_common(arms)
    summary = doc.get("_summary") or {}
    title = summary.get("short_title") or doc.get("short_title") or doc.get("long_title") or trial_id
    status = table.trial_status.get(str(doc.get("status") or "").strip().lower())
    phase = _PHASES.get(str(doc.get("phase") or summary.get("phase") or "").lower().removeprefix("phase ").strip())
    source = {"registry": "MatchMiner CTML", "record": f"protocol_no {trial_id}"}
    if doc.get("nct_id"):
        source["url"] = f"https://clinicaltrials.gov/study/{doc['nct_id']}"
    return c.TrialCriteria(trial_id=trial_id, title=str(title), criteria=common, arms=tuple(arms),
                           phase=phase, status=status, source=source)
