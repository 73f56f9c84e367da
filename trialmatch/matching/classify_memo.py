"""ClassifyMemo: what the patients of one batch share in the fast path (``trial_class``).

Bound to one TrialIndex, one as-of date and one rule set. Atoms are grouped in families
(``atom_keys.family``: atoms of one type reading the same facts, e.g. every Variant atom on
EGFR); a family's verdict codes are computed once per distinct fact key
(``atom_keys.atom_key``) and reused for every patient with that key. A trial's (class, score,
arm classes) is a function of its atoms' verdict codes only, so it is memoised on the codes
of its families. Bounded: both tables are cleared when they hold ``max_entries``.
"""

from __future__ import annotations

from datetime import date

from trialmatch.matching.atom_keys import family, key_function


class AtomFamily:
    """Atoms whose verdicts depend on the same fact key (``keyfn(ctx)``, the first atom's
    ``atom_keys.key_function``); ``keyfn`` None: a single atom without a key (evaluated per
    patient)."""

    __slots__ = ("atoms", "index", "keyfn", "__weakref__")

    def __init__(self, atoms: tuple, keyfn):
        self.atoms = atoms
        self.index = {id(a): i for i, a in enumerate(atoms)}
        self.keyfn = keyfn


def trial_atoms(ct) -> tuple:
    """The distinct compiled atoms of a trial (common criteria and arms)."""
    seen: dict = {}
    stack = [ct.root, *(a.root for a in ct.arms)]
    while stack:
        cn = stack.pop()
        if cn.fn is not None:
            seen.setdefault(id(cn), cn)
        stack.extend(cn.children)
    return tuple(seen.values())


class ClassifyMemo:
    def __init__(self, as_of: date, rules, max_entries: int = 1_000_000):
        self.as_of, self.rules, self.max_entries = as_of, rules, max_entries
        self.codes: dict = {}  # (family, fact key) -> verdict codes of the family's atoms
        self.trials: dict = {}  # (trial, codes of its families) -> (rank, score, arm classes)
        self.index = None
        self.family_of: dict = {}  # id(atom) -> AtomFamily
        self.trial_families: dict = {}  # trial -> its AtomFamilies

    def check(self, as_of: date, rules, index) -> None:
        if as_of != self.as_of or rules is not self.rules:
            raise ValueError("a ClassifyMemo serves one as-of date and one rule set")
        if self.index is None:
            self._bind(index)
        elif index is not self.index:
            raise ValueError("a ClassifyMemo serves one TrialIndex")
        if len(self.codes) + len(self.trials) >= self.max_entries:
            self.codes.clear()
            self.trials.clear()

    def _bind(self, index) -> None:
        self.index = index
        groups: dict = {}
        per_trial = []
        for ct in index.trials:
            atoms = trial_atoms(ct)
            per_trial.append((ct, atoms))
            for cn in atoms:
                fid = family(cn)
                groups.setdefault(fid if fid is not None else ("atom", id(cn)), {}).setdefault(id(cn), cn)
        for fid, members in groups.items():
            atoms = tuple(members.values())
            fam = AtomFamily(atoms, None if fid[0] == "atom" else key_function(atoms[0]))
            for cn in atoms:
                self.family_of[id(cn)] = fam
        for ct, atoms in per_trial:
            self.trial_families[ct] = tuple({id(f): f for f in (self.family_of[id(cn)] for cn in atoms)}.values())

    def family_codes(self, fam: AtomFamily, ctx, evaluate) -> tuple:
        """The verdict codes of a family's atoms in a context (``evaluate(atom, ctx)`` on a miss)."""
        vcodes = ctx.vcodes
        codes = vcodes.get(fam)
        if codes is None:
            keyfn = fam.keyfn
            if keyfn is None:
                codes = tuple([evaluate(a, ctx) for a in fam.atoms])
            else:
                key = (fam, keyfn(ctx))
                codes = self.codes.get(key)
                if codes is None:
                    codes = self.codes[key] = tuple([evaluate(a, ctx) for a in fam.atoms])
            vcodes[fam] = codes
        return codes
