"""TrialIndex: compiled trials held in memory, with a prefilter that draws candidate trials
for a patient by cancer type (with the OncoTree hierarchy), age and sex.

The prefilter drops a trial only when an atom of its common criteria's top-level
conjunction is certainly NOT_MET for the patient, so it never drops a trial that full
evaluation would rate eligible or possible (property-tested):
- cancer type: kept when a patient cancer's type is the trial's code or below it, or
  above it (a patient coded "BREAST" may have the "IDC" a trial asks for: UNKNOWN), or when
  the patient has no primary cancer, or one the vocabulary does not know (a secondary of
  unknown type keeps the trials whose cancer-type atom accepts secondaries);
- age: kept when the age is unknown or within the bounds;
- sex: kept unless the patient's sex is female or male and differs.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from trialmatch.domain import criteria as c
from trialmatch.matching.compiled_trial import CompiledArm, CompiledTrial, intern


class TrialIndex:
    def __init__(self, compiled_trials, vocab):
        table: dict = {}
        self.trials: tuple[CompiledTrial, ...] = tuple(_interned(ct, table) for ct in compiled_trials)
        self.shared_nodes = len(table)
        self.vocab = vocab
        tree = vocab.oncotree
        self._always: list[int] = []
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._below: dict[str, list[int]] = defaultdict(list)
        for i, ct in enumerate(self.trials):
            if ct.required_codes is None:
                self._always.append(i)
                continue
            for code in ct.required_codes:
                self._exact[code].append(i)
                for ancestor in tree.ancestors(code):
                    self._below[ancestor].append(i)
        self._type_cache: dict[str, frozenset[int]] = {}
        groups: dict = defaultdict(set)
        for i, ct in enumerate(self.trials):
            if ct.required_age is not None:
                a = ct.required_age
                groups[c.Age(a.min, a.max, a.min_inclusive, a.max_inclusive)].add(i)
        self._age_groups = {bounds: frozenset(ids) for bounds, ids in groups.items()}
        self._sex_cache: dict[str, frozenset[int]] = {
            sex: frozenset(i for i, ct in enumerate(self.trials) if ct.required_sex in ("female", "male")
                           and ct.required_sex != sex) for sex in ("female", "male")}
        self._any_role = [i for i, ct in enumerate(self.trials) if ct.required_codes is not None and ct.required_any_role]

    def __len__(self) -> int:
        return len(self.trials)

    def candidates(self, view) -> list[CompiledTrial]:
        """Candidate trials for a PatientView (its age and sex on the view's as-of date)."""
        tree = self.vocab.oncotree
        types = [x.cancer_type for x in view.facts.cancers if x.cancer_type in tree]
        if not view.primaries or any(x.cancer_type not in tree for x in view.primaries):
            chosen = set(range(len(self.trials)))
        else:
            chosen = set(self._always)
            if any(x.cancer_type not in tree for x in view.secondaries):
                chosen.update(self._any_role)
            for t in types:
                chosen |= self._for_type(t)
        age, sex = view.age, view.facts.sex
        if age is not None:
            chosen -= self._excluded_by_age(age)
        if sex in ("female", "male"):
            chosen -= self._excluded_by_sex(sex)
        trials = self.trials
        return [trials[i] for i in sorted(chosen)]

    def _for_type(self, t: str) -> frozenset[int]:
        found = self._type_cache.get(t)
        if found is None:
            ids: set[int] = set()
            for code in (t, *self.vocab.oncotree.ancestors(t)):
                ids.update(self._exact.get(code, ()))
            ids.update(self._below.get(t, ()))
            found = self._type_cache[t] = frozenset(ids)
        return found

    def _excluded_by_age(self, age: int) -> set[int]:
        out: set[int] = set()
        for bounds, ids in self._age_groups.items():
            if not _age_ok(bounds, age):
                out |= ids
        return out

    def _excluded_by_sex(self, sex: str) -> frozenset[int]:
        return self._sex_cache[sex]


def _interned(ct: CompiledTrial, table: dict) -> CompiledTrial:
    """Identical sub-trees of different trials become one object (one cached outcome per
    patient). A CompiledTrial is frozen, but its nodes are the index's to share."""
    root = intern(ct.root, table)
    arms = tuple(CompiledArm(a.arm, intern(a.root, table)) for a in ct.arms)
    if root is ct.root and all(x.root is y.root for x, y in zip(arms, ct.arms, strict=True)):
        return ct
    return dataclasses.replace(ct, root=root, arms=arms)


def _age_ok(node, age: int) -> bool:
    if node.min is not None and (age < node.min if node.min_inclusive else age <= node.min):
        return False
    if node.max is not None and (age > node.max if node.max_inclusive else age >= node.max):
        return False
    return True
