"""Literals a regular expression needs, and alternations that skip what cannot match.

``required_literals(pattern)`` reads the expression's syntax tree and returns a set of strings
such that every text the expression can match somewhere holds at least one of them (the longest
run of plain characters the expression cannot do without, or one per branch), or None when it
cannot tell (a class of characters, an optional part, case folding). Two uses, each the same
answer as the expression run unguarded (an expression whose every needed literal is absent
matches nowhere in the text):

- ``Alternation(patterns, guarded=True)``: the alternation of several expressions in their order
  (context rules, ``context.py``), split into its alternatives (``split_alternatives``) and
  searching a text with only those whose literals it holds (the alternation is leftmost-first,
  and an alternative that cannot match at a position never wins there);
- ``guarded(pattern)``: one compiled expression (``GuardedPattern``) that answers "no match" at
  once on a text without its literals (the builders' slow scanning expressions).

Tested against the unguarded expressions on the trial file's items (test_required_literals.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # Python 3.11+
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT} | ({_sre.POSSESSIVE_REPEAT} if hasattr(_sre, "POSSESSIVE_REPEAT") else set())
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)


class _CaseFolded(Exception):
    """The expression folds case somewhere: its literals say nothing of the text's letters."""


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings of which every match of ``pattern`` (or a lookahead/lookbehind it needs) holds one;
    None when no such set is known."""
    try:
        parsed = _sre_parse.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            return None
        return _needed(parsed)
    except (re.error, _CaseFolded, RecursionError):
        return None


def _needed(items) -> frozenset[str] | None:
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            options.append(frozenset(("".join(run),)))
            run.clear()

    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        close()
        found = None
        if op is _sre.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if add_flags & re.IGNORECASE:
                raise _CaseFolded
            found = _needed(sub)
        elif op is _sre.BRANCH:
            branches = [_needed(b) for b in av[1]]
            found = None if any(b is None for b in branches) else frozenset().union(*branches)
        elif op in _REPEATS:
            low, _high, sub = av
            found = _needed(sub) if low >= 1 else None
        elif op is _sre.ASSERT:
            found = _needed(av[1])  # a lookahead or lookbehind: its text is in the text searched
        elif _ATOMIC is not None and op is _ATOMIC:
            found = _needed(av)
        if found:
            options.append(found)
    close()
    if not options:
        return None
    # the most selective option: the one whose shortest literal is longest
    return max(options, key=lambda strings: min(map(len, strings)))


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def split_alternatives(pattern: str, limit: int = 256) -> list[str]:
    """The pattern as alternatives tried in the same order: "a|b" -> ["a", "b"], and a non-capturing
    group of alternatives with no quantifier after it, "x(?:a|b)y" -> ["x(?:a)y", "x(?:b)y"] (a regex
    tries a then b at each position, backtracking into the group when y fails: the same as trying
    xay then xby). Patterns with back-references, or more than ``limit`` alternatives, stay whole."""
    if _BACKREFERENCE.search(pattern):
        return [pattern]
    out = _split(pattern, limit)
    return out if out is not None and len(out) <= limit else [pattern]


def _scan(pattern: str):
    """(index, char, depth) of the pattern's characters outside escapes and character classes."""
    depth, i, n = 0, 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            yield i, ch, depth
            depth += 1
        elif ch == ")":
            depth -= 1
            yield i, ch, depth
        else:
            yield i, ch, depth
        i += 1


_GROUP_START = re.compile(r"\((?:\?(?:[:=!]|<[=!]))?")


def _one_way(head: str) -> bool:
    """Whether the text before a group can match a text in one way only (no quantifier, no
    alternative): otherwise the regex would try the group's alternatives for each way of the head
    before the head's next way, and the split alternatives each way of the head per alternative."""
    bare = _GROUP_START.sub("", head.replace("\\\\", "").replace("\\?", "").replace("\\*", "").replace("\\+", "")
                           .replace("\\{", "").replace("\\|", ""))
    return not any(ch in bare for ch in "*+?{|")


def _split(pattern: str, limit: int) -> list[str] | None:
    tops = [i for i, ch, d in _scan(pattern) if ch == "|" and d == 0]
    if tops:
        pieces, start = [], 0
        for i in tops + [len(pattern)]:
            pieces.append(pattern[start:i])
            start = i + 1
        out: list[str] = []
        for piece in pieces:
            out += _split(piece, limit) or [piece]
            if len(out) > limit:
                return None
        return out
    # the first non-capturing group at depth 0 that holds alternatives of its own
    opened = None
    for i, ch, d in _scan(pattern):
        if ch == "(" and d == 0:
            opened = i if pattern.startswith("(?:", i) else -1
            bars = []
        elif ch == "|" and d == 1 and opened is not None and opened >= 0:
            bars.append(i)
        elif ch == ")" and d == 0 and opened is not None:
            after = pattern[i + 1:i + 2]
            head = pattern[:opened]
            if opened >= 0 and bars and after not in ("?", "*", "+", "{") and _one_way(head):
                tail = pattern[i + 1:]
                bodies, start = [], opened + 3
                for j in bars + [i]:
                    bodies.append(pattern[start:j])
                    start = j + 1
                out = []
                for body in bodies:
                    whole = f"{head}(?:{body}){tail}"
                    out += _split(whole, limit) or [whole]
                    if len(out) > limit:
                        return None
                return out
            opened = None
    return None


class Alternation:
    """``re.compile("|".join("(?:p)" for p in patterns))``. A ``guarded`` one is split into its
    alternatives and searches a text with only those whose required literals the text holds (the
    same match; alternatives without known literals always run): faster for alternations of many
    slow alternatives (lookaheads, long lazy gaps), slower for many cheap ones (finding the literals
    costs more than the regex engine's own scan), so the caller chooses."""

    def __init__(self, patterns: list[str], guarded: bool = False):
        self.whole = _compile(tuple(patterns)) if patterns else None
        self.guarded = guarded
        self.patterns = tuple(alt for p in patterns for alt in split_alternatives(p)) if guarded else tuple(patterns)
        self._literals = tuple(required_literals(p) for p in self.patterns) if guarded else ()
        self._always = frozenset(i for i, lits in enumerate(self._literals) if lits is None)
        index: dict[str, list[int]] = {}
        for i, lits in enumerate(self._literals):
            for lit in lits or ():
                index.setdefault(lit, []).append(i)
        self._index = index

    def _regex(self, text: str) -> re.Pattern | None:
        if not self.guarded:
            return self.whole
        index = self._index
        chosen = set(self._always)
        for lit in [lit for lit in index if lit in text]:
            chosen.update(index[lit])
        if not chosen:
            return None
        return _compile(tuple(self.patterns[i] for i in sorted(chosen)))

    def search(self, text: str) -> re.Match | None:
        rx = self._regex(text)
        return rx.search(text) if rx is not None else None

    def fullmatch(self, text: str) -> re.Match | None:
        rx = self._regex(text)
        return rx.fullmatch(text) if rx is not None else None


@lru_cache(maxsize=4096)
def _compile(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


class GuardedPattern:
    """A compiled pattern that first asks whether the text holds one of its required literals:
    when none is there it cannot match anywhere, and the answer of no match is given at once
    (``search``/``match``/``fullmatch`` None, ``sub`` the text unchanged, ``split`` [text],
    ``finditer`` nothing). Worth it for expressions that scan every position of texts that mostly
    lack their words ("(?:\\s+|-)antibod(?:y|ies)$"); for an anchored expression that fails at its
    first characters, or literals most texts hold, the test costs more than it saves. Build with
    ``guarded``."""

    __slots__ = ("regex", "pattern", "literals")

    def __init__(self, regex: re.Pattern, literals: tuple[str, ...]):
        if not literals:
            raise ValueError("a guarded pattern needs required literals")
        self.regex, self.pattern, self.literals = regex, regex.pattern, literals

    def search(self, text: str, *args) -> re.Match | None:
        return self.regex.search(text, *args) if any(map(text.__contains__, self.literals)) else None

    def match(self, text: str, *args) -> re.Match | None:
        return self.regex.match(text, *args) if any(map(text.__contains__, self.literals)) else None

    def fullmatch(self, text: str, *args) -> re.Match | None:
        return self.regex.fullmatch(text, *args) if any(map(text.__contains__, self.literals)) else None

    def sub(self, repl, text: str, count: int = 0) -> str:
        return self.regex.sub(repl, text, count=count) if any(map(text.__contains__, self.literals)) else text

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        return self.regex.split(text, maxsplit=maxsplit) if any(map(text.__contains__, self.literals)) else [text]

    def finditer(self, text: str, *args):
        return self.regex.finditer(text, *args) if any(map(text.__contains__, self.literals)) else iter(())

    def findall(self, text: str, *args) -> list:
        return self.regex.findall(text, *args) if any(map(text.__contains__, self.literals)) else []


def guarded(pattern: str, flags: int = 0) -> GuardedPattern | re.Pattern:
    """``re.compile(pattern, flags)``, guarded by its required literals when it has some."""
    regex = re.compile(pattern, flags)
    found = None if flags & re.IGNORECASE else required_literals(pattern)
    return GuardedPattern(regex, tuple(sorted(found, key=len, reverse=True))) if found else regex
