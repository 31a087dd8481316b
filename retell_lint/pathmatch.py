"""Include and exclude patterns matched against project paths ('/'-separated, relative
to the project root), one path at a time or every file of a folder at once.

A pattern without '/' matches a file or folder name anywhere, as in .gitignore; one
with '/' matches the path from the project root. A pattern matching a folder matches
everything under it.
"""

from __future__ import annotations

from collections.abc import Callable

from retell_lint.globs import Glob, compile_glob

NameTest = Callable[[str], bool]


def matches(relative: str, patterns: list[str]) -> bool:
    """Whether a '/'-separated relative path matches any pattern."""
    parts = relative.split("/")
    for pattern in patterns:
        stripped = pattern.rstrip("/")
        glob = compile_glob(stripped)
        if "/" in stripped:
            # One pass over the path answers every prefix (a, a/b, a/b/c).
            if glob.match_prefix(relative):
                return True
        elif any(glob.match_name(part) for part in parts):
            return True
    return False


def _every(_name: str) -> bool:
    return True


def _none(_name: str) -> bool:
    return False


class Patterns:
    """Patterns answered a folder at a time: what the folder's path settles is worked
    out once, and each of its files is then one test of its own name (for the usual
    ``retell/**/*.yaml``, one ``str.endswith``).

    ``Patterns(p).in_folder(f)(name)`` is ``matches(f + "/" + name, p)``.
    """

    def __init__(self, patterns: list[str]) -> None:
        stripped = [pattern.rstrip("/") for pattern in patterns]
        self._globs = [("/" in pattern, compile_glob(pattern)) for pattern in stripped]

    def in_folder(self, folder: str) -> NameTest:
        """The test of a file name in ``folder`` ('/'-separated, '' for the root)."""
        suffixes: list[str] = []
        tests: list[NameTest] = []
        for rooted, glob in self._globs:
            answer: bool | Glob | NameTest
            answer = glob.in_folder(folder) if rooted else glob.name_in_folder(folder)
            if answer is True:
                return _every
            if answer is False:
                continue
            if isinstance(answer, Glob):
                if answer.suffix is not None:
                    suffixes.append(answer.suffix)
                    continue
                answer = answer.match
            tests.append(answer)
        if suffixes:
            ends = tuple(suffixes)
            tests.append(lambda name: name.endswith(ends))
        if not tests:
            return _none
        if len(tests) == 1:
            return tests[0]
        return lambda name: any(test(name) for test in tests)
