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

from collections.abc import Callable
from functools import lru_cache

MAX_GLOB = 1024
MAX_DOUBLE_STARS = 16
# Table entries kept per glob before the table starts afresh (bounds its memory).
_MAX_TABLE = 20_000
# Folder walks and name answers remembered per glob.
_MAX_MEMO = 4096

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
    """One compiled glob; :meth:`match` and :meth:`match_prefix` share its table.

    Each set of automaton states met gets a number; the table maps a number and a
    character to the next number, so a step is one look-up in a small dict.
    """

    def __init__(self, pattern: str) -> None:
        if problem(pattern):
            raise ValueError(f"glob {pattern[:60]!r} {problem(pattern)}")
        self.pattern = pattern
        self._tokens = _tokens(_normalise(pattern))
        self._end = len(self._tokens)
        self._literals = frozenset(t[1] for t in self._tokens if t[0] == _LITERAL) | {"/"}
        self._start_set = self._closure({0})
        # '*.yaml' (a star, then literal characters): a name's suffix says it all.
        self._suffix: str | None = None
        rest = self._tokens[1:]
        if self._tokens[:1] == ((_STAR, ""),) and all(
            kind == _LITERAL and char != "/" for kind, char in rest
        ):
            self._suffix = "".join(char for _kind, char in rest)
        # 'retell/**/*.yaml' (literal folders, '**/', then a name glob): a path or one of
        # its folders matches when it is under the folders and one of its names past
        # them matches the name glob.
        self._under: tuple[str, Glob] | None = None
        normal = _normalise(pattern)
        head, double, name = normal.rpartition("**/")
        if (
            double
            and (not head or head.endswith("/"))
            and not any(mark in head for mark in "*?")
            and name
            and "/" not in name
            and "**" not in name  # a '**' in a name spans folders
        ):
            self._under = (head, compile_glob(name))
        self._reset()

    def _reset(self) -> None:
        self._sets: list[frozenset[int]] = []
        self._numbers: dict[frozenset[int], int] = {}
        self._rows: list[dict[str, int]] = []
        self._accepts: list[bool] = []
        self._entries = 0
        # Remembered answers hold state numbers: they start afresh with the table.
        self._folders: dict[str, tuple[int, bool]] = {}
        self._names: dict[str, bool] = {}
        self._matched_folders: dict[str, bool] = {}
        self._dead = self._number(frozenset())
        self._start = self._number(self._start_set)

    def _number(self, states: frozenset[int]) -> int:
        found = self._numbers.get(states)
        if found is None:
            found = self._numbers[states] = len(self._sets)
            self._sets.append(states)
            self._rows.append({})
            self._accepts.append(self._end in states)
        return found

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

    def _moved(self, states: frozenset[int], char: str) -> frozenset[int]:
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
        return self._closure(moved)

    def _step(self, number: int, char: str) -> int:
        """The state after ``char`` (a table miss: worked out and remembered)."""
        # Characters the glob does not name behave alike: worked out once for all.
        same = char if char in self._literals else ""
        row = self._rows[number]
        found = row.get(same)
        if found is None:
            found = row[same] = self._number(self._moved(self._sets[number], char))
        row[char] = found
        self._entries += 1
        return found

    def _begin(self) -> int:
        if self._entries >= _MAX_TABLE:
            self._reset()  # between matches only: numbers in use stay valid
        return self._start

    def match(self, path: str) -> bool:
        """Whether the whole of ``path`` matches."""
        if self._suffix is not None:
            return path.endswith(self._suffix) and "/" not in path
        number, rows, dead = self._begin(), self._rows, self._dead
        for char in path:
            found = rows[number].get(char)
            number = self._step(number, char) if found is None else found
            if number == dead:
                return False
        return self._accepts[number]

    def match_name(self, name: str) -> bool:
        """:meth:`match` for a file or folder name: the answer for each name is
        remembered, as every file of a folder repeats the folder names of its path."""
        known = self._names.get(name)
        if known is None:
            if len(self._names) >= _MAX_MEMO:
                self._names.clear()
            known = self._names[name] = self.match(name)
        return known

    def _walk(self, number: int, text: str) -> tuple[int, bool]:
        """The state after ``text`` from ``number``, and whether a folder of it (the
        text before a '/') matched on the way; the dead state stops the walk."""
        rows, dead, accepts = self._rows, self._dead, self._accepts
        for char in text:
            if char == "/" and accepts[number]:
                return number, True
            found = rows[number].get(char)
            number = self._step(number, char) if found is None else found
            if number == dead:
                break
        return number, False

    def match_prefix(self, path: str) -> bool:
        """Whether ``path`` or one of its folders (``a``, ``a/b`` of ``a/b/c``) matches."""
        if self._under is not None:
            head, names = self._under
            if not path.startswith(head):
                return False
            # The files of a folder share its answer; each file's own name is new.
            folder, slash, name = path[len(head) :].rpartition("/")
            if slash:
                hit = self._matched_folders.get(folder)
                if hit is None:
                    if len(self._matched_folders) >= _MAX_MEMO:
                        self._matched_folders.clear()
                    hit = any(names.match_name(part) for part in folder.split("/"))
                    self._matched_folders[folder] = hit
                if hit:
                    return True
            return names.match(name)
        start = self._begin()
        folder, slash, name = path.rpartition("/")
        if not slash:
            number, matched = self._walk(start, path)
            return matched or self._accepts[number]
        # Files of one folder share its walk: only their names are stepped through.
        walked = self._folders.get(folder)
        if walked is None:
            if len(self._folders) >= _MAX_MEMO:
                self._folders.clear()
            walked = self._folders[folder] = self._walk(start, folder + "/")
        number, matched = walked
        if matched:
            return True
        if number == self._dead:
            return False
        number, matched = self._walk(number, name)
        return matched or self._accepts[number]

    def in_folder(self, folder: str) -> bool | Glob | Callable[[str], bool]:
        """:meth:`match_prefix` for every file of ``folder`` (a '/'-separated path,
        '' for the top) at once: True when the folder or one of its folders matches,
        False when no file of it can, else what a file's name must match (a glob of
        names, or a test)."""
        if self._under is not None:
            head, names = self._under
            if not folder:
                return names if not head else False
            path = folder + "/"
            if not path.startswith(head):
                return False  # a name holds no '/': it cannot reach past the folder
            rest = path[len(head) : -1]
            if rest and any(names.match_name(part) for part in rest.split("/")):
                return True
            return names
        prefix = folder + "/" if folder else ""
        return lambda name: self.match_prefix(prefix + name)

    def name_in_folder(self, folder: str) -> bool | Glob:
        """For a glob of one name (no '/'): True when a folder name of ``folder``'s
        path matches (then every file of it does), else the glob a file's name must
        match."""
        if folder and any(self.match_name(part) for part in folder.split("/")):
            return True
        return self

    @property
    def suffix(self) -> str | None:
        """What a name ends with to match ('*.yaml'), when that alone says it."""
        return self._suffix


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> Glob:
    """``pattern`` compiled (once per run); ValueError if :func:`problem` refuses it."""
    return Glob(pattern)


def glob_match(pattern: str, path: str) -> bool:
    """Whether the whole of ``path`` matches ``pattern``."""
    return compile_glob(pattern).match(path)
