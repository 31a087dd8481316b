"""Which files to lint: paths from the command line, or the configured globs."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from retell_lint.config import Config
from retell_lint.errors import FatalError

STDIN = "-"


@cache
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a path glob: ``**`` spans folders, ``*`` and ``?`` stay in one."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out) + r"\Z")


def matches(relative: str, patterns: list[str]) -> bool:
    """Whether a '/'-separated relative path matches any pattern.

    A pattern without '/' matches a file or folder name anywhere, as in
    .gitignore; one with '/' matches the path from the project root. A pattern
    matching a folder matches everything under it.
    """
    parts = relative.split("/")
    for pattern in patterns:
        stripped = pattern.rstrip("/")
        regex = glob_regex(stripped)
        if "/" in stripped:
            prefixes = ("/".join(parts[:end]) for end in range(1, len(parts) + 1))
            if any(regex.match(prefix) for prefix in prefixes):
                return True
        elif any(regex.match(part) for part in parts):
            return True
    return False


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _name_patterns(include: list[str]) -> list[str]:
    """The file-name part of each include glob ('retell/**/*.yaml' -> '*.yaml')."""
    return sorted({pattern.rsplit("/", 1)[-1] for pattern in include})


def discover(paths: tuple[str, ...], config: Config) -> list[str]:
    """Files to lint, as display names, in a stable order, without duplicates."""
    root = config.root
    found: list[str] = []
    if not paths:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") or d == ".")
            for name in sorted(files):
                full = Path(folder, name)
                relative = _relative(full, root)
                if matches(relative, config.include) and not matches(relative, config.exclude):
                    found.append(os.path.relpath(full))
        return found
    names = _name_patterns(config.include)
    for given in paths:
        if given == STDIN:
            found.append(STDIN)
            continue
        path = Path(given)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    full = Path(folder, name)
                    if not any(glob_regex(p).match(name) for p in names):
                        continue
                    if matches(_relative(full, root), config.exclude):
                        continue
                    found.append(str(full))
        elif path.exists():
            if not matches(_relative(path, root), config.exclude):
                found.append(given)
        else:
            raise FatalError(f"no such file or folder: {given}")
    seen: set[str] = set()
    unique = []
    for name in found:
        key = name if name == STDIN else os.path.normpath(name)
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return unique
