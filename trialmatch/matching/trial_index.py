"""TrialIndex: compiled trials held in memory, with a prefilter that draws candidate trials
for a patient by cancer type (with the OncoTree hierarchy), age and sex.

The prefilter drops a trial only when an atom of its common criteria's top-level
conjunction is certainly NOT_MET for the patient, so it never drops a trial that full
evaluation would rate eligible or possible (property-tested):
- cancer type: kept when a patient cancer's type is the trial's code or below it, or
  above it (a patient coded "BREAST" may have the "IDC" a trial asks for: UNKNOWN), or when
  the patient has no cancer, or one the vocabulary does not know;
- age: kept when the age is unknown or within the bounds;
- sex: kept unless the patient's sex is female or male and differs.
"""

from __future__ import annotations

from collections import defaultdict

from trialmatch.matching.compiled_trial import CompiledTrial


class TrialIndex:
    def __init__(self, compiled_trials, vocab):
        self.trials: tuple[CompiledTrial, ...] = tuple(compiled_trials)
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
        self._cancer_bound = sorted(i for i, ct in enumerate(self.trials) if ct.required_codes is not None)

    def __len__(self) -> int:
        return len(self.trials)

    def candidates(self, view) -> list[CompiledTrial]:
        """Candidate trials for a PatientView (its age and sex on the view's as-of date)."""
        tree = self.vocab.oncotree
        types = [x.cancer_type for x in view.facts.cancers]
        if not types or any(t is None or t not in tree for t in types):
            chosen = set(range(len(self.trials)))
        else:
            chosen = set(self._always)
            for t in types:
                for code in (t, *tree.ancestors(t)):
                    chosen.update(self._exact.get(code, ()))
                chosen.update(self._below.get(t, ()))
        age, sex = view.age, view.facts.sex
        out = []
        for i in sorted(chosen):
            ct = self.trials[i]
            if age is not None and ct.required_age is not None and not _age_ok(ct.required_age, age):
                continue
            if sex in ("female", "male") and ct.required_sex in ("female", "male") and sex != ct.required_sex:
                continue
            out.append(ct)
        return out


def _age_ok(node, age: int) -> bool:
    if node.min is not None and (age < node.min if node.min_inclusive else age <= node.min):
        return False
    if node.max is not None and (age > node.max if node.max_inclusive else age >= node.max):
        return False
    return True
