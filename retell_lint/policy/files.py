"""Which files ``policy_files`` names: globs relative to the configuration's folder,
found without ever leaving the repository.

A pattern's literal folders say where the walk starts; that folder must lie inside
the repository (the folder holding ``.git``, else the working folder when the
configuration is under it, else the configuration's folder), so ``'../../**'`` is an
error rather than a walk of the file system. The walk does not enter linked folders
(no loops), takes a linked file only when it stays inside the repository, skips
hidden names as glob does, and stops with an error past MAX_VISITED entries or
MAX_POLICY_FILES matches.
"""

from __future__ import annotations

import os
from pathlib import Path

from retell_lint.globs import glob_match
from retell_lint.safe_io import leaves_tree, under

MAX_POLICY_FILES = 100
MAX_VISITED = 20_000
_GLOB = frozenset("*?[")


def repository(root: Path) -> Path:
    """The tree policy files must come from, for a configuration in ``root``."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    cwd = Path.cwd().resolve()
    return cwd if root == cwd or cwd in root.parents else root


class PatternError(Exception):
    """A pattern that cannot be used; the message says why."""


def find(pattern: str, root: Path) -> list[Path]:
    """The files ``pattern`` (relative to ``root``) matches, sorted; PatternError when the
    pattern leaves the repository or matches too much."""
    tree = repository(root)
    parts = pattern.replace(os.sep, "/").split("/")
    literal: list[str] = []
    while parts and not (_GLOB & set(parts[0])):
        literal.append(parts.pop(0))
    base = os.path.normpath(os.path.join(root, *literal)) if literal else str(root)
    if not under(base, os.path.normpath(tree)) or leaves_tree(base, str(tree)):
        raise PatternError(f"policy_files pattern '{pattern}' leaves the repository {tree}")
    if not parts:  # a plain file name
        return [Path(base)] if os.path.isfile(base) else []
    rest = "/".join(parts)
    found: list[Path] = []
    visited = 0
    stack = [("", base)]
    while stack:
        relative, folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            visited += 1
            if visited > MAX_VISITED:
                raise PatternError(
                    f"policy_files pattern '{pattern}' looks at more than {MAX_VISITED} "
                    "files and folders; name the folder the policies are in"
                )
            if entry.name.startswith("."):
                continue
            name = f"{relative}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append((f"{name}/", entry.path))
            elif glob_match(rest, name) and _readable(entry, tree):
                found.append(Path(entry.path))
                if len(found) > MAX_POLICY_FILES:
                    raise PatternError(
                        f"policy_files pattern '{pattern}' matches more than "
                        f"{MAX_POLICY_FILES} files"
                    )
    return sorted(found)


def _readable(entry: os.DirEntry[str], tree: Path) -> bool:
    """A regular file, or a link to one that stays inside the repository."""
    try:
        if entry.is_symlink():
            return entry.is_file() and not leaves_tree(entry.path, str(tree))
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False
