"""CTML and/or nesting -> All/Any, checked on matchengine-V2's boolean fixtures.

Two independent checks: the converted tree's match paths (disjunctive normal form) equal
MatchMiner's golden paths, and on every truth assignment of the leaves (three-valued) the
converted tree evaluates as a direct reading of the CTML JSON does.
"""

import itertools
import json
import random

import pytest

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import Verdict, all_of, any_of
from trialmatch.errors import CriteriaError
from trialmatch.matchminer.ctml import match_tree

CASES = ["and_and_and.json", "and_and_or.json", "and_or_and.json", "and_or_or.json",
         "or_and_and.json", "or_and_or.json", "or_or_and.json", "or_or_or.json"]


def placeholder_leaf(kind, fields, path):
    """Placeholder leaves (g1, c1, ...) as distinct atoms named by the leaf."""
    return c.Variant(gene=kind.upper(), id=path)


def convert(data_dir, name):
    clause = json.loads((data_dir / "ctml_boolean_cases" / name).read_text())
    return clause, match_tree([clause], "m", placeholder_leaf)


def paths(node) -> set[frozenset[str]]:
    if isinstance(node, c.Variant):
        return {frozenset([node.gene.lower()])}
    if isinstance(node, c.Any):
        return set().union(*(paths(item) for item in node.items))
    result = {frozenset()}
    for item in node.items:
        result = {a | b for a in result for b in paths(item)}
    return result


def evaluate(node, truth) -> Verdict:
    if isinstance(node, c.Variant):
        return truth[node.gene.lower()]
    verdicts = [evaluate(item, truth) for item in node.items]
    return all_of(verdicts) if isinstance(node, c.All) else any_of(verdicts)


def oracle(obj, truth) -> Verdict:
    """MatchMiner's reading of the raw CTML: a list or an object is a conjunction of its
    entries, 'and' a conjunction and 'or' a disjunction of its list, other keys are leaves."""
    if isinstance(obj, list):
        return all_of(oracle(item, truth) for item in obj)
    verdicts = []
    for key, value in obj.items():
        if key == "and":
            verdicts.append(all_of(oracle(v, truth) for v in value))
        elif key == "or":
            verdicts.append(any_of(oracle(v, truth) for v in value))
        else:
            verdicts.append(truth[key])
    return all_of(verdicts)


def leaves(obj) -> set[str]:
    if isinstance(obj, list):
        return set().union(*(leaves(v) for v in obj))
    out = set()
    for key, value in obj.items():
        out |= leaves(value) if key in ("and", "or") else {key}
    return out


@pytest.mark.parametrize("name", CASES)
def test_match_paths_equal_matchminer_golden_paths(data_dir, name):
    expected = json.loads((data_dir / "ctml_boolean_cases_expected_paths.json").read_text())[name]
    _, tree = convert(data_dir, name)
    assert paths(tree) == {frozenset(p) for p in expected}


@pytest.mark.parametrize("name", CASES + ["all_cases.json"])
def test_tree_evaluates_as_the_ctml_logic_on_every_assignment(data_dir, name):
    clause, tree = convert(data_dir, name)
    names = sorted(leaves(clause))
    values = (Verdict.NOT_MET, Verdict.UNKNOWN, Verdict.MET)
    if len(names) <= 9:
        assignments = itertools.product(values, repeat=len(names))
    else:  # all_cases has 31 leaves: a seeded sample of assignments
        rng = random.Random(7)
        assignments = ([rng.choice(values) for _ in names] for _ in range(3000))
    checked = 0
    for assignment in assignments:
        truth = dict(zip(names, assignment))
        assert evaluate(tree, truth) == oracle([clause], truth), truth
        checked += 1
    assert checked >= 3 ** min(len(names), 7)


def test_all_cases_has_the_192_match_paths_of_its_logic(data_dir):
    _, tree = convert(data_dir, "all_cases.json")
    found = paths(tree)
    assert len(found) == 192
    assert frozenset({"g", "c", "g6", "c6", "g8", "c8", "g15", "c15", "g3", "c3", "c5", "c7"}) in found
    # MatchMiner's own expansion yields this path, which skips the required g2/c2/g3+c3 choice:
    assert frozenset({"g", "c", "g6", "c6", "g8", "c8", "g10", "c10", "g11", "c11", "c12"}) not in found


def test_structure_nodes_carry_their_ctml_path_as_id():
    tree = match_tree([{"and": [{"g1": {}}, {"or": [{"g2": {}}, {"c2": {}}]}]}], "s1.a1", placeholder_leaf)
    assert tree == c.All((
        c.Variant(gene="G1", id="s1.a1.1.and.1.g1"),
        c.Any((c.Variant(gene="G2", id="s1.a1.1.and.2.or.1.g2"), c.Variant(gene="C2", id="s1.a1.1.and.2.or.2.c2")),
              id="s1.a1.1.and.2.or"),
    ), id="s1.a1.1.and")


def test_an_object_with_several_keys_is_a_conjunction():
    tree = match_tree([{"g1": {}, "c1": {}}], "m", placeholder_leaf)
    assert tree == c.All((c.Variant(gene="G1", id="m.1.g1"), c.Variant(gene="C1", id="m.1.c1")), id="m.1")


def test_empty_match_is_none_and_bad_shapes_are_refused_by_path():
    assert match_tree(None, "m", placeholder_leaf) is None
    assert match_tree([], "m", placeholder_leaf) is None
    with pytest.raises(CriteriaError, match=r"^m: a match clause must be a list"):
        match_tree({"and": []}, "m", placeholder_leaf)
    with pytest.raises(CriteriaError, match=r"^m\.1\.and: 'and' must hold a non-empty list"):
        match_tree([{"and": []}], "m", placeholder_leaf)
    with pytest.raises(CriteriaError, match=r"^m\.1\.or\.2: a match item must be a non-empty object"):
        match_tree([{"or": [{"g1": {}}, "x"]}], "m", placeholder_leaf)
