"""Trial criteria documents: JSON <-> ``TrialCriteria``, validated by ``trial.schema.json``.

A document is ``{"schema_version": 1, "trial_id", "title", "phase", "status", "conditions",
"source", "review", "criteria", "arms", "sites"}`` (criteria/README.md describes it).
``load_document`` validates it and names the JSON path of every bad field together with
``where`` (the file name); ``dump_document`` writes the same form back, so that
load -> dump -> load is the identity.

Sites: ``TrialCriteria`` has no ``sites`` field yet. Until it does, the sites of a document
travel in ``trial.source["sites"]`` (a tuple of dicts); ``sites_of(trial)`` is the one
accessor to use, and ``dump_document`` moves them back to the top-level ``"sites"`` key.
"""

from __future__ import annotations

import json
from pathlib import Path

from trialmatch.domain import criteria as c
from trialmatch.domain.criteria_json import from_json, to_json, walk
from trialmatch.errors import CriteriaError
from trialmatch.schemas import trial_validator

__all__ = ["SCHEMA_VERSION", "migrate", "load_document", "dump_document", "sites_of",
           "load_catalogue", "load_path"]

SCHEMA_VERSION = 1
_MAX_ISSUES = 5


def migrate(data: dict, where: str = "document") -> dict:
    """Bring a document to the current schema version. Only version 1 exists today."""
    if not isinstance(data, dict):
        raise CriteriaError(f"{where}: a trial document must be a JSON object")
    version = data.get("schema_version")
    if version is None:
        raise CriteriaError(f"{where}: schema_version: missing; this trialmatch reads version {SCHEMA_VERSION}")
    if version != SCHEMA_VERSION:
        raise CriteriaError(
            f"{where}: schema_version: {version!r} is not supported; this trialmatch reads version {SCHEMA_VERSION}"
        )
    return data


def load_document(data: dict, where: str, *, validate: bool = True) -> c.TrialCriteria:
    """A trial document as TrialCriteria. ``validate=False`` skips the JSON Schema (about 20 ms
    a document) for documents that passed it when they were stored; the tree is still built
    strictly and the semantic checks still run."""
    data = migrate(data, where)
    issues = [_describe(e) for e in sorted(trial_validator().iter_errors(data), key=_sort_key)] if validate else []
    if issues:
        more = f" (and {len(issues) - _MAX_ISSUES} more)" if len(issues) > _MAX_ISSUES else ""
        raise CriteriaError(f"{where}: " + "; ".join(issues[:_MAX_ISSUES]) + more)
    try:
        trial = _build(data)
        _check_semantics(trial)
    except CriteriaError as exc:
        raise CriteriaError(f"{where}: {exc}") from None
    return trial


def _build(data: dict) -> c.TrialCriteria:
    source = dict(data["source"]) if "source" in data else None
    if data.get("sites"):
        source = source or {}
        source["sites"] = tuple(dict(s) for s in data["sites"])
    review = data.get("review")
    return c.TrialCriteria(
        trial_id=data["trial_id"],
        title=data["title"],
        criteria=from_json(data["criteria"], "criteria"),
        arms=tuple(
            c.Arm(id=arm["id"], label=arm.get("label"), suspended=arm.get("suspended", False),
                  criteria=from_json(arm["criteria"], f"arms[{i}].criteria"))
            for i, arm in enumerate(data.get("arms", ()))
        ),
        phase=data.get("phase"),
        status=data.get("status"),
        study_type=data.get("study_type"),
        conditions=tuple(data.get("conditions", ())),
        version=data.get("version", 1),
        source=source,
        review=c.Review(by=review["by"], on=review["on"], note=review.get("note")) if review else None,
    )


def _check_semantics(trial: c.TrialCriteria) -> None:
    """What the schema cannot say: a trial has criteria, unique ids, ordered bounds, ECOG range.
    An empty ``all`` is true of everyone, so it is refused wherever it would decide alone: as the
    trial's criteria without arms, as an arm's criteria, or nested (a criterion that says nothing).
    The trial's root may be empty when its arms carry the criteria (CTML trials)."""
    if _is_empty(trial.criteria) and not trial.arms:
        raise CriteriaError("criteria: the trial has no criteria (an empty 'all' and no arms)")
    for i, arm in enumerate(trial.arms):
        if _is_empty(arm.criteria):
            raise CriteriaError(f"arms[{i}].criteria: the arm has no criteria")
    for child in _children(trial.criteria):
        for node in walk(child):
            if _is_empty(node):
                raise CriteriaError("criteria: an empty 'all' inside the criteria says nothing")
    seen: dict[str, str] = {}
    roots = [("criteria", trial.criteria)] + [(f"arms[{i}].criteria", a.criteria) for i, a in enumerate(trial.arms)]
    for where, root in roots:
        for node in walk(root):
            node_id = getattr(node, "id", None)
            if node_id is not None:
                if node_id in seen:
                    raise CriteriaError(f"{where}: id {node_id!r} is used twice (first in {seen[node_id]})")
                seen[node_id] = where
            _check_node(node, where)
    arm_ids = [a.id for a in trial.arms]
    for i, arm_id in enumerate(arm_ids):
        if arm_id in arm_ids[:i]:
            raise CriteriaError(f"arms[{i}].id: {arm_id!r} is used twice")


def _is_empty(node: c.Node) -> bool:
    return isinstance(node, c.All) and not node.items


def _children(node: c.Node) -> tuple:
    if isinstance(node, (c.All, c.Any)):
        return node.items
    return (node.item,) if isinstance(node, c.Not) else ()


def _check_node(node: c.Node, where: str) -> None:
    label = f"{where} (node {node.id!r})" if getattr(node, "id", None) else where
    if isinstance(node, (c.Age, c.PerformanceStatus)) and None not in (node.min, node.max) and node.min > node.max:
        raise CriteriaError(f"{label}: min {node.min} is greater than max {node.max}")
    if isinstance(node, c.PerformanceStatus) and node.scale == "ECOG":
        for bound in (node.min, node.max):
            if bound is not None and bound > 5:
                raise CriteriaError(f"{label}: ECOG {bound} is out of range 0-5")
    if isinstance(node, c.PriorTherapy) and None not in (node.min_lines, node.max_lines) \
            and node.min_lines > node.max_lines:
        raise CriteriaError(f"{label}: min_lines {node.min_lines} is greater than max_lines {node.max_lines}")


def _sort_key(error) -> tuple:
    return (-len(error.absolute_path), _path(error.absolute_path), error.message)


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _describe(error) -> str:
    message = error.message
    if error.validator == "anyOf" and all(set(s) == {"required"} for s in error.validator_value):
        message = "needs at least one of: " + " | ".join("+".join(s["required"]) for s in error.validator_value)
    elif error.validator in ("anyOf", "oneOf", "allOf") and len(message) > 160:
        message = f"does not match the {error.validator} alternatives of the schema"
    return f"{_path(error.absolute_path)}: {message}"


def dump_document(trial: c.TrialCriteria) -> dict:
    out: dict = {"schema_version": SCHEMA_VERSION, "trial_id": trial.trial_id, "title": trial.title}
    if trial.version != 1:
        out["version"] = trial.version
    if trial.phase is not None:
        out["phase"] = trial.phase
    if trial.status is not None:
        out["status"] = trial.status
    if trial.study_type is not None:
        out["study_type"] = trial.study_type
    if trial.conditions:
        out["conditions"] = list(trial.conditions)
    source = dict(trial.source or {})
    sites = source.pop("sites", ())
    if source:
        out["source"] = source
    if trial.review is not None:
        out["review"] = {k: v for k, v in (("by", trial.review.by), ("on", trial.review.on),
                                           ("note", trial.review.note)) if v is not None}
    out["criteria"] = to_json(trial.criteria)
    if trial.arms:
        out["arms"] = [_dump_arm(a) for a in trial.arms]
    if sites:
        out["sites"] = [dict(s) for s in sites]
    return out


def _dump_arm(arm: c.Arm) -> dict:
    out: dict = {"id": arm.id}
    if arm.label is not None:
        out["label"] = arm.label
    if arm.suspended:
        out["suspended"] = True
    out["criteria"] = to_json(arm.criteria)
    return out


def sites_of(trial: c.TrialCriteria) -> tuple[dict, ...]:
    """The trial's sites ({name, city, state, zip, country, status}), () when none."""
    return tuple((trial.source or {}).get("sites", ()))


def _load_file(path: Path) -> c.TrialCriteria:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CriteriaError(f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    except OSError as exc:
        raise CriteriaError(f"{path.name}: cannot be read: {exc.strerror}") from None
    return load_document(data, path.name)


def load_catalogue(directory) -> list[c.TrialCriteria]:
    """Every ``*.json`` document of ``directory``, in file-name order. One bad document
    refuses the whole directory, naming the file and the field; so does a trial_id used twice."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CriteriaError(f"{directory}: not a directory")
    trials: list[c.TrialCriteria] = []
    files: dict[str, str] = {}
    for path in sorted(directory.glob("*.json")):
        trial = _load_file(path)
        if trial.trial_id in files:
            raise CriteriaError(f"{path.name}: trial_id: {trial.trial_id!r} is also in {files[trial.trial_id]}")
        files[trial.trial_id] = path.name
        trials.append(trial)
    return trials


def load_path(path) -> list[c.TrialCriteria]:
    """A single document file, or a folder of them (``load_catalogue``)."""
    path = Path(path)
    if path.is_dir():
        return load_catalogue(path)
    if not path.exists():
        raise CriteriaError(f"{path}: no such file or directory")
    return [_load_file(path)]
