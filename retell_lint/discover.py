"""Which files to lint: paths from the command line, or the configured globs.

Only regular files are read (a FIFO named ``*.yaml`` would block forever); what
is skipped is said on stderr. A folder that cannot be read is an error, never a
silently smaller run. Folders are walked without recursion (any depth) and
symbolic links to folders are not followed (no loops).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from typing import NamedTuple

from retell_lint.config import Config
from retell_lint.errors import FatalError
from retell_lint.findings import ToolError
from retell_lint.globs import glob_match
from retell_lint.output import display_name, echo_error
from retell_lint.pathmatch import Patterns, matches
from retell_lint.safe_io.read import kind_of

STDIN = "-"


def _relative(path: str, root: str, resolved: dict[str, str] | None = None) -> str:
    """``path`` relative to the project root, '/'-separated (as given when outside it).

    ``resolved``: folders already resolved in this walk (each is resolved once).
    """
    # The folder is resolved, not the file: a link is matched by its own name.
    # realpath never raises, even on a symbolic link loop.
    folder, name = os.path.split(path)
    real_folder = None if resolved is None else resolved.get(folder)
    if real_folder is None:
        real_folder = os.path.realpath(folder or os.curdir)
        if resolved is not None:
            resolved[folder] = real_folder
    real = os.path.join(real_folder, name)
    if real.startswith(root) and real[len(root) : len(root) + 1] == os.sep:
        # Both resolved: the common case needs no relpath.
        return real[len(root) + 1 :].replace(os.sep, "/")
    try:
        relative = os.path.relpath(real, root)
    except ValueError:
        relative = os.pardir
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return path.replace(os.sep, "/")
    return relative.replace(os.sep, "/")


def _name_patterns(include: list[str]) -> list[str]:
    """The file-name part of each include glob ('retell/**/*.yaml' -> '*.yaml')."""
    return sorted({pattern.rsplit("/", 1)[-1] for pattern in include})


class Discovery(NamedTuple):
    """Files to lint (display names), folders or files that could not be read, and
    how many named files were left out by an exclude (``--force-exclude``)."""

    names: list[str]
    errors: list[ToolError]
    excluded: int
    # Names the folder listing showed as plain regular files (not links): their
    # reader need not look at them again before opening them.
    regular: frozenset[str] = frozenset()


def _kind_of(path: str) -> str:
    """'file', 'folder', or what else the path is ('a FIFO'); OSError when it cannot tell."""
    mode = os.stat(path).st_mode
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    return kind_of(mode)  # 'a FIFO', 'a socket', ...: safe_io's one table of kinds


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "no such file or folder (a dangling symbolic link?)"
    return exc.strerror or str(exc)


def _walk_folders(
    top: str, errors: list[ToolError], hidden: bool
) -> Iterator[tuple[str, list[tuple[str, bool]]]]:
    """Each folder under ``top`` (``top`` first, in sorted walk order, iteratively) with
    its non-folder entries' names, sorted, each with whether it is a plain regular file
    (not a link, not a FIFO...: the folder listing says so without a system call per
    file).

    Symbolic links to folders are not followed. ``hidden``: also enter folders
    whose name starts with '.'.
    """
    stack = [top]
    while stack:
        folder = stack.pop()
        files: list[tuple[str, bool]] = []
        subfolders: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    try:
                        is_folder = entry.is_dir(follow_symlinks=False)
                        link = not is_folder and entry.is_symlink()
                        linked_folder = link and entry.is_dir()
                    except OSError:
                        is_folder = linked_folder = link = False
                    if is_folder:
                        if hidden or not name.startswith("."):
                            subfolders.append(name)
                    elif not linked_folder:
                        try:
                            plain = not link and entry.is_file(follow_symlinks=False)
                        except OSError:
                            plain = False
                        files.append((name, plain))
        except OSError as exc:
            errors.append(ToolError(f"cannot read folder: {_os_reason(exc)}", display_name(folder)))
            continue
        # Names are unique in a folder: tuples sort by name alone.
        files.sort()
        yield folder, files
        subfolders.sort(reverse=True)
        stack.extend(os.path.join(folder, name) for name in subfolders)


def _walk(top: str, errors: list[ToolError], hidden: bool) -> list[tuple[str, bool]]:
    """Paths of the non-folder entries under ``top`` (see :func:`_walk_folders`), each
    with whether it is a plain regular file."""
    return [
        (os.path.join(folder, name), plain)
        for folder, files in _walk_folders(top, errors, hidden)
        for name, plain in files
    ]


def _regular(path: str, errors: list[ToolError], root: str, where: str = "the project") -> bool:
    """Whether to read ``path``: a regular file. Other kinds, and links leading out of
    the project, are skipped with a note; paths that cannot be examined are errors."""
    try:
        kind = _kind_of(path)
    except OSError as exc:
        errors.append(ToolError(f"cannot read: {_os_reason(exc)}", display_name(path)))
        return False
    if kind == "file":
        return _stays_inside(path, root, where)
    echo_error(f"skipped {display_name(path)}: {kind}, not a regular file")
    return False


def _lexically_under(path: str, root: str) -> bool:
    from retell_lint.safe_io import under

    lexical = os.path.abspath(path)
    return under(lexical, os.path.abspath(root)) or under(lexical, os.path.realpath(root))


def _stays_inside(path: str, root: str, where: str = "the project") -> bool:
    """False (with a note) for a path in the project whose links lead out of it: a link
    to ~/.ssh/id_rsa in a repository must not be read and echoed in snippets."""
    from retell_lint.safe_io import leaves_tree

    if not leaves_tree(path, root):
        return True
    echo_error(
        f"skipped {display_name(path)}: a symbolic link leading outside {where}, not followed"
    )
    return False


def find_files(paths: tuple[str, ...], config: Config, *, force_exclude: bool = False) -> Discovery:
    """Files to lint, as display names, in a stable order, without duplicates.

    Files named on the command line are linted even when an exclude matches
    them, unless ``force_exclude`` (for tools that pass every changed file).
    """
    root = os.path.realpath(config.root)
    found: list[str] = []
    errors: list[ToolError] = []
    excluded = 0
    resolved: dict[str, str] = {}
    # The configuration and its policy files are the tool's, not configs to lint.
    own = _own_files(config)
    if not paths:
        return _find_in_root(root, config, own, errors)
    names = _name_patterns(config.include)
    listed: set[str] = set()
    for given in paths:
        if given == STDIN:
            found.append(STDIN)
            continue
        try:
            kind = _kind_of(given)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise FatalError(
                    f"symbolic link loop: {display_name(given)} never reaches a file"
                ) from None
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                raise FatalError(f"no such file or folder: {display_name(given)}") from None
            raise FatalError(f"cannot read {display_name(given)}: {_os_reason(exc)}") from None
        if kind == "folder":
            # A folder named outside the project is the tree its links must stay in.
            inside = _lexically_under(given, root)
            tree = root if inside else os.path.realpath(given)
            where = "the project" if inside else "the folder named"
            from retell_lint.safe_io import under

            # The walk enters no linked folder: when the folder named is really in the
            # tree, so is every plain file the walk finds.
            trusted = under(os.path.realpath(given), tree)
            for full, plain in _walk(given, errors, hidden=True):
                name = os.path.basename(full)
                if not any(glob_match(p, name) for p in names):
                    continue
                if config.exclude and matches(_relative(full, root, resolved), config.exclude):
                    continue
                if _is_own(full, own):
                    continue
                if plain and trusted:
                    found.append(full)
                    listed.add(full)
                elif _regular(full, errors, tree, where):
                    found.append(full)
        elif (force_exclude and matches(_relative(given, root), config.exclude)) or (
            kind == "file" and _is_own(given, own)
        ):
            excluded += 1
        elif kind == "file":
            if _stays_inside(given, root):
                found.append(given)
        else:
            echo_error(f"skipped {display_name(given)}: {kind}, not a regular file")
    return Discovery(_unique(found), errors, excluded, frozenset(listed))


def _find_in_root(
    root: str, config: Config, own: dict[str, set[str]], errors: list[ToolError]
) -> Discovery:
    """The configured files of the project (``find_files`` with no paths given): the
    patterns are answered a folder at a time, then each file by its name."""
    found: list[str] = []
    regular: set[str] = set()
    here = os.getcwd() + os.sep
    under_root = root.rstrip(os.sep) + os.sep
    include = Patterns(config.include)
    exclude = Patterns(config.exclude) if config.exclude else None
    for folder, files in _walk_folders(root, errors, hidden=False):
        inside = folder + os.sep
        # The walk of the real root enters no linked folder: every folder it finds is
        # a real one under the root, relative to it as it stands.
        relative = "" if folder == root else inside[len(under_root) : -1].replace(os.sep, "/")
        wanted = include.in_folder(relative)
        unwanted = exclude.in_folder(relative) if exclude is not None else None
        if inside.startswith(here):
            shown_folder = inside[len(here) :]
        else:
            shown_folder = os.path.join(os.path.relpath(folder), "")
        for name, plain in files:
            if not wanted(name) or (unwanted is not None and unwanted(name)):
                continue
            if name in own and _is_own(os.path.join(folder, name), own):
                continue
            shown = shown_folder + name
            # A plain file found by the walk of the real root is inside the project;
            # links and other kinds are looked at closely.
            if plain or _regular(shown, errors, root):
                found.append(shown)
                if plain:
                    regular.add(shown)
    # One walk finds each path once: nothing to de-duplicate.
    return Discovery(found, errors, 0, frozenset(regular))


def _own_files(config: Config) -> dict[str, set[str]]:
    """File name → real paths of the tool's own files (configuration, policy files)."""
    own: dict[str, set[str]] = {}
    for path in config.tool_files:
        real = os.path.realpath(path)
        own.setdefault(os.path.basename(real), set()).add(real)
    return own


def _is_own(path: str, own: dict[str, set[str]]) -> bool:
    # By name first: most files are not called .retell-lint.yaml, and realpath costs.
    candidates = own.get(os.path.basename(path))
    return candidates is not None and os.path.realpath(path) in candidates


def _unique(found: list[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for name in found:
        key = name if name == STDIN else os.path.normpath(name)
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return unique


def discover(paths: tuple[str, ...], config: Config, *, force_exclude: bool = False) -> list[str]:
    """The files :func:`find_files` finds; the first folder or file it cannot read stops
    the run (FatalError)."""
    found = find_files(paths, config, force_exclude=force_exclude)
    if found.errors:
        first = found.errors[0]
        more = f" (and {len(found.errors) - 1} more)" if len(found.errors) > 1 else ""
        raise FatalError(f"{first.message}{more}", location=first.file)
    return found.names
