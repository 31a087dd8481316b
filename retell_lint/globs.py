"""Path globs (``include``, ``exclude``): compiled once, matched in linear time.

``**`` spans folders, ``*`` and ``?`` stay within one name. A glob compiles to a small
automaton whose sets of states are built lazily into a table, one entry per (set,
character class) met: matching a path is one table look-up per character, and the
prefixes of a path (``a``, ``a/b``, ``a/b/c``) are all answered by one pass over it.
Runs of ``**/`` mean what one does and are folded into one; a glob longer than
:data:`MAX_GLOB` characters or with more than :data:`MAX_DOUBLE_STARS` ``**`` is a
configuration error (:func:`problem`), so a pull request's config change cannot
stall a run.
"""

from __future__ import annotations

from functools import lru_cache

MAX_GLOB = 1024
MAX_DOUBLE_STARS = 16
# Table entries kept per glob before the table starts afresh (bounds its memory).
_MAX_TABLE = 20_000

# Tokens: a literal character, '?', '*' (within a name), '**' (across folders),
# and the optional-skip state '**/' compiles to.
_LITERAL, _ONE, _STAR, _ANY, _OPTIONAL = range(5)
Token = tuple[int, str]


def problem(pattern: str) -> str | None:
    """Why ``pattern`` is refused as a glob, or ``None``."""
    if len(pattern) > MAX_GLOB:
        return f"is longer than {MAX_GLOB} characters"
    stars = _normalise(pattern).count("**")
    if stars > MAX_DOUBLE_STARS:
        return f"has {stars} '**'; at most {MAX_DOUBLE_STARS} are allowed"
    return None


def _normalise(pattern: str) -> str:
    """Runs of ``**/`` folded into one (``(?:.*/)?(?:.*/)?`` is ``(?:.*/)?``)."""
    while "**/**/" in pattern:
        pattern = pattern.replace("**/**/", "**/")
    return pattern


def _tokens(pattern: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            # (?:.*/)? : skip the next two states, or any characters then '/'.
            tokens += [(_OPTIONAL, ""), (_ANY, ""), (_LITERAL, "/")]
            index += 3
        elif pattern.startswith("**", index):
            tokens.append((_ANY, ""))
            index += 2
        elif pattern[index] == "*":
            if not tokens or tokens[-1] != (_STAR, ""):  # '***' is '*' here
                tokens.append((_STAR, ""))
            index += 1
        elif pattern[index] == "?":
            tokens.append((_ONE, ""))
            index += 1
        else:
            tokens.append((_LITERAL, pattern[index]))
            index += 1
    return tuple(tokens)


class Glob:
    """One compiled glob; :meth:`match` and :meth:`match_prefix` share its table."""

    def __init__(self, pattern: str) -> None:
        if problem(pattern):
            raise ValueError(f"glob {pattern[:60]!r} {problem(pattern)}")
        self.pattern = pattern
        self._tokens = _tokens(_normalise(pattern))
        self._end = len(self._tokens)
        self._literals = frozenset(t[1] for t in self._tokens if t[0] == _LITERAL) | {"/"}
        self._start = self._closure({0})
        self._table: dict[tuple[frozenset[int], str], frozenset[int]] = {}

    def _closure(self, states: set[int]) -> frozenset[int]:
        tokens, todo = self._tokens, list(states)
        while todo:
            state = todo.pop()
            if state >= self._end:
                continue
            kind = tokens[state][0]
            follow: tuple[int, ...] = (state + 1,) if kind in (_STAR, _ANY) else ()
            if kind == _OPTIONAL:
                follow = (state + 1, state + 3)
            for nxt in follow:
                if nxt not in states:
                    states.add(nxt)
                    todo.append(nxt)
        return frozenset(states)

    def _step(self, states: frozenset[int], char: str) -> frozenset[int]:
        # Characters the glob does not name behave alike: one table entry for all.
        key = (states, char if char in self._literals else "")
        found = self._table.get(key)
        if found is not None:
            return found
        moved: set[int] = set()
        for state in states:
            if state >= self._end:
                continue
            kind, literal = self._tokens[state]
            if kind == _LITERAL:
                if char == literal:
                    moved.add(state + 1)
            elif kind == _ONE:
                if char != "/":
                    moved.add(state + 1)
            elif kind == _STAR:
                if char != "/":
                    moved.add(state)
            elif kind == _ANY:
                moved.add(state)
        result = self._closure(moved)
        if len(self._table) >= _MAX_TABLE:
            self._table.clear()
        self._table[key] = result
        return result

    def match(self, path: str) -> bool:
        """Whether the whole of ``path`` matches."""
        states = self._start
        for char in path:
            states = self._step(states, char)
            if not states:
                return False
        return self._end in states

    def match_prefix(self, path: str) -> bool:
        """Whether ``path`` or one of its folders (``a``, ``a/b`` of ``a/b/c``) matches."""
        states = self._start
        for char in path:
            if char == "/" and self._end in states:
                return True
            states = self._step(states, char)
            if not states:
                return False
        return self._end in states


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> Glob:
    """``pattern`` compiled (once per run); ValueError if :func:`problem` refuses it."""
    return Glob(pattern)


def glob_match(pattern: str, path: str) -> bool:
    """Whether the whole of ``path`` matches ``pattern``."""
    return compile_glob(pattern).match(path)
