"""Cancer-type names -> OncoTree codes: current names, and old names through an alias table.

Current OncoTree names resolve by themselves (case and spacing ignored). Old names used by
MatchMiner (its ``oncotree_mapping.json``, copied as ``data/matchminer_oncotree_mapping.json``)
and older OncoTree releases resolve through ``data/oncotree_name_aliases.yaml``, each row
with its basis (OncoTree history, rename, spelling, split). An old node that was split
resolves only through ``codes_for`` (several codes); ``code_for`` then returns ``None``
rather than pick one. The special MatchMiner names ``_SOLID_`` and ``_LIQUID_`` resolve to
themselves. Every MatchMiner name must be resolved or explicitly left unresolved in the
alias table: a new MatchMiner name fails the load.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialmatch.errors import RuleFileError
from trialmatch.vocab.data_file import DataDir, check_dict, check_mapping, check_str, check_str_list, read_json, read_yaml
from trialmatch.vocab.oncotree import LIQUID, SOLID, OncoTree

ALIASES = "oncotree_name_aliases.yaml"
MATCHMINER = "matchminer_oncotree_mapping.json"
BASES = ("history", "rename", "spelling", "split", "none")


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()  # runs of whitespace as one space, none at the ends


@dataclass(frozen=True, eq=False, repr=False)
class CancerNames:
    by_name: dict[str, tuple[str, ...]]  # normalised name -> codes

    def codes_for(self, name: str) -> tuple[str, ...]:
        return self.by_name.get(normalise_name(name), ())

    def code_for(self, name: str) -> str | None:
        codes = self.codes_for(name)
        return codes[0] if len(codes) == 1 else None


def load_cancer_names(data_dir: DataDir, oncotree: OncoTree) -> CancerNames:
    # a few names are shared by nodes of different tissues ("Yolk Sac Tumor"): such a name
    # keeps all its codes, so code_for() refuses to pick one
    by_name: dict[str, tuple[str, ...]] = {}
    for code, node in oncotree.nodes.items():
        key = normalise_name(node.name)
        by_name[key] = (*by_name.get(key, ()), code)
    by_name[normalise_name(SOLID)] = (SOLID,)
    by_name[normalise_name(LIQUID)] = (LIQUID,)
    document = check_mapping(read_yaml(data_dir, ALIASES), ALIASES, required=("aliases",))
    aliases = check_dict(document["aliases"], f"{ALIASES}: aliases")
    for name, body in aliases.items():
        where = f"{ALIASES}: aliases.{name}"
        check_mapping(body, where, required=("codes", "basis"), optional=("note",))
        if body["basis"] not in BASES:
            raise RuleFileError(f"{where}.basis: {body['basis']!r} is not one of {list(BASES)}")
        codes = check_str_list(body["codes"], f"{where}.codes")
        for code in codes:
            if code not in oncotree.nodes:
                raise RuleFileError(f"{where}.codes: {code!r} is not an OncoTree code")
        if (body["basis"] == "none") != (not codes):
            raise RuleFileError(f"{where}.codes: empty exactly when basis is 'none'")
        key = normalise_name(check_str(name, where))
        if key in by_name:
            raise RuleFileError(f"{where}: {name!r} is a current OncoTree name; remove the alias")
        by_name[key] = codes
    matchminer = read_json(data_dir, MATCHMINER)
    if not isinstance(matchminer, dict):
        raise RuleFileError(f"{MATCHMINER}: expected an object of name -> names")
    unresolved = sorted(n for n in matchminer if normalise_name(n) not in by_name)
    if unresolved:
        raise RuleFileError(f"{MATCHMINER}: names {unresolved} are neither current OncoTree names nor in {ALIASES}")
    return CancerNames(by_name=by_name)
