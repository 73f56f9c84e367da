"""Kleene truth tables for All / Any / Not: the verdict functions and compiled trees."""

from itertools import product

from trialmatch.domain import criteria as c
from trialmatch.domain.verdict import Verdict, all_of, any_of
from tests.unit.matching.helpers import outcome, patient

M, U, N = Verdict.MET, Verdict.UNKNOWN, Verdict.NOT_MET

ALL_TABLE = {
    (M, M): M, (M, U): U, (M, N): N,
    (U, M): U, (U, U): U, (U, N): N,
    (N, M): N, (N, U): N, (N, N): N,
}
ANY_TABLE = {
    (M, M): M, (M, U): M, (M, N): M,
    (U, M): M, (U, U): U, (U, N): U,
    (N, M): M, (N, U): U, (N, N): N,
}
NOT_TABLE = {M: N, U: U, N: M}

# atoms whose verdict for the test patient (a woman) is fixed
ATOM_FOR = {M: c.Sex("female"), N: c.Sex("male"), U: c.Unparsed("able to swallow tablets", non_clinical=True)}


def test_verdict_functions_truth_tables():
    assert {pair: all_of(pair) for pair in product((M, U, N), repeat=2)} == ALL_TABLE
    assert {pair: any_of(pair) for pair in product((M, U, N), repeat=2)} == ANY_TABLE
    assert {v: v.negate() for v in (M, U, N)} == NOT_TABLE
    assert (all_of([]), any_of([])) == (M, N)


def test_compiled_all_any_not_follow_the_tables():
    p = patient()
    got_all = {(a, b): outcome(c.All((ATOM_FOR[a], ATOM_FOR[b])), p).verdict for a, b in ALL_TABLE}
    got_any = {(a, b): outcome(c.Any((ATOM_FOR[a], ATOM_FOR[b])), p).verdict for a, b in ANY_TABLE}
    got_not = {v: outcome(c.Not(ATOM_FOR[v]), p).verdict for v in NOT_TABLE}
    assert (got_all, got_any, got_not) == (ALL_TABLE, ANY_TABLE, NOT_TABLE)


def test_three_valued_nesting_and_missing_items_travel_up():
    p = patient()
    tree = c.All((c.Sex("female"), c.Any((c.Sex("male"), c.Unparsed("consent", non_clinical=True)))))
    out = outcome(tree, p)
    assert out.verdict is U
    assert [(m.item, m.kind) for m in out.missing] == [("consent", "to_confirm")]
    assert [ch.verdict for ch in out.children] == [M, U]
    # a NOT_MET conjunction carries no missing item
    assert outcome(c.All((c.Sex("male"), c.Unparsed("x"))), p).missing == ()
