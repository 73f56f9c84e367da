"""A condition's state named beside it: All(Condition, Unparsed("uncontrolled")) -> Condition(qualifier).

The builders read "uncontrolled hypertension", "active infection requiring systemic therapy",
"pneumonitis that required steroids" as the condition with the state words left Unparsed beside it
(the condition is necessary; the state is the clinician's to judge). When those words are, whole,
one state the CONDITION_QUALIFIER context rules name, the atom carries it: the verdicts are the same
(a counting record -> to confirm; an inactive or absent one as before), and the reader is told which
state to confirm instead of seeing words the parser did not understand. Any other remainder, or an
All of more than one atom, is left as it is."""

from __future__ import annotations

import dataclasses

from trialmatch.domain import criteria as c


def fold_condition_qualifiers(node: c.Node, context) -> c.Node:
    if isinstance(node, c.Not):
        item = fold_condition_qualifiers(node.item, context)
        return node if item is node.item else dataclasses.replace(node, item=item)
    if not isinstance(node, (c.All, c.Any)):
        return node
    items = tuple(fold_condition_qualifiers(x, context) for x in node.items)
    if isinstance(node, c.All):
        folded = _fold(items, context)
        if folded is not None:
            return dataclasses.replace(node, items=folded) if len(folded) > 1 else folded[0]
    return node if items == node.items else dataclasses.replace(node, items=items)


def _fold(items: tuple[c.Node, ...], context) -> tuple[c.Node, ...] | None:
    """All(conditions, Unparsed(words), ...) with one state among the words: the conditions carry it,
    the other words stay beside them (one qualifier per atom: "symptomatic" and "uncontrolled" both
    written keeps the second Unparsed)."""
    atoms = [x for x in items if not isinstance(x, c.Unparsed)]
    if len(atoms) != 1:
        return None
    atom = atoms[0]
    conditions = atom.items if isinstance(atom, c.Any) else (atom,)
    if not all(isinstance(x, c.Condition) and x.qualifier is None for x in conditions):
        return None
    for k, words in enumerate(items):
        state = (context.condition_qualifier(words.text)
                 if isinstance(words, c.Unparsed) and not words.non_clinical else None)
        if state is not None:
            qualified = tuple(dataclasses.replace(x, qualifier=state) for x in conditions)
            atom = dataclasses.replace(atom, items=qualified) if isinstance(atom, c.Any) else qualified[0]
            return (atom, *(x for i, x in enumerate(items) if i != k and isinstance(x, c.Unparsed)))
    return None
