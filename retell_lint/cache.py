"""The result cache: each file's lint outcome, found again by what the file holds.

An entry's key is a hash of the file's name as reported and its bytes; entries are
kept in one pack per *settings* (a hash of the tool's version, the effective
configuration, the rule catalogue and the team policies), so a change to any of
those starts from an empty pack. Modification times play no part: a fresh checkout,
where every file is new, finds every unchanged file.

The folder (``.retell-lint-cache/`` at the project root unless ``--cache-dir`` or
``RETELL_LINT_CACHE_DIR`` says otherwise) holds a ``CACHEDIR.TAG``, a ``.gitignore``
of ``*``, and ``<settings>.json`` packs. Writes go to a new file in the folder that
then replaces the pack (two runs at once each leave a whole pack; the last one
wins). Nothing is ever written through a symbolic link: the folder is opened
without following one and every file is opened relative to it. A pack that cannot
be read, is not this tool's, or holds a bad entry is ignored (the entry is linted
again and rewritten). At most ``MAX_PACKS`` packs of at most ``MAX_ENTRIES``
entries and ``MAX_PACK_BYTES`` are kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from typing import Any

try:  # BLAKE2 itself: hashlib would first load OpenSSL (milliseconds of each run)
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b as blake2b

from retell_lint import __version__

FOLDER_NAME = ".retell-lint-cache"
ENV_VAR = "RETELL_LINT_CACHE_DIR"
# 3: findings are kept with their secret values already masked; 4: the numbers' facts
# are kept apart from the pack of findings.
FORMAT = 4
MAX_PACKS = 8
# A pack's facts file: "<settings>.facts" beside "<settings>.json".
FACTS_SUFFIX = ".facts"
MAX_ENTRIES = 100_000
MAX_PACK_BYTES = 256 * 1024 * 1024
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by retell-lint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)
GITIGNORE = "# Created by retell-lint: nothing here belongs in git.\n*\n"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
DIRECTORY = getattr(os, "O_DIRECTORY", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def folder_for(root: str, cache_dir: str | None) -> str:
    """Where the cache lives: --cache-dir, then RETELL_LINT_CACHE_DIR, then the root's."""
    if cache_dir:
        return cache_dir
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return from_env
    return os.path.join(root, FOLDER_NAME)


def file_key(name: str, data: bytes) -> str:
    digest = blake2b(name.encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def settings_key(parts: list[Any]) -> str:
    """A hash of everything besides a file's bytes that its outcome depends on."""
    text = json.dumps([FORMAT, __version__, *parts], sort_keys=True, default=repr)
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class CacheError(Exception):
    """The cache folder cannot be used (the run goes on without it)."""


def _open_folder(folder: str, create: bool) -> int:
    """A descriptor of the folder, never through a symbolic link."""
    if create:
        parent = os.path.dirname(os.path.abspath(folder))
        try:
            os.makedirs(parent, exist_ok=True)
            os.mkdir(folder, 0o755)
        except FileExistsError:
            pass
        except OSError as exc:
            raise CacheError(f"cannot create {folder}: {exc.strerror or exc}") from None
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        raise CacheError(f"{folder} does not exist") from None
    except OSError as exc:
        raise CacheError(f"cannot use {folder}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise CacheError(f"{folder} is not a folder (a symbolic link is never followed)")
    try:
        return os.open(folder, os.O_RDONLY | DIRECTORY | NOFOLLOW | CLOEXEC)
    except OSError as exc:
        raise CacheError(f"cannot open {folder}: {exc.strerror or exc}") from None


def _read(name: str, folder_fd: int, limit: int) -> bytes | None:
    """A regular file's bytes (None when missing, a link, not regular, or too large)."""
    try:
        fd = os.open(name, os.O_RDONLY | NOFOLLOW | CLOEXEC, dir_fd=folder_fd)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _write(name: str, folder_fd: int, data: bytes) -> None:
    """Write ``name`` in the folder atomically: a new file, then a rename over it."""
    temporary = f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
    fd = os.open(temporary, flags, 0o644, dir_fd=folder_fd)
    try:
        with os.fdopen(fd, "wb", closefd=True) as handle:
            handle.write(data)
        os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder_fd)
        raise


def _pack_entries(
    data: bytes | None, settings: str, section: str = "entries"
) -> dict[str, Any] | None:
    """The entries (or facts) of a pack, or None when it is not a pack of this format
    and settings."""
    if data is None:
        return None
    try:
        pack = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if (
        not isinstance(pack, dict)
        or pack.get("tool") != "retell-lint"
        or pack.get("format") != FORMAT
        or pack.get("settings") != settings
        or not isinstance(pack.get(section), dict)
    ):
        return None
    entries: dict[str, Any] = pack[section]
    return entries


def _pack_bytes(settings: str, section: str, entries: dict[str, Any]) -> bytes:
    pack = {"tool": "retell-lint", "format": FORMAT, "settings": settings, section: entries}
    return json.dumps(pack, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


class ResultCache:
    """The pack of one settings key: read once, written back once if anything changed.

    Each file's numbers' facts (what project rules read) are kept apart, in a file of
    their own read only when they are asked for: a run over an unchanged tree reads
    the small pack of findings alone."""

    def __init__(self, folder: str, settings: str) -> None:
        self.folder = folder
        self.settings = settings
        self.name = f"{settings}.json"
        self.facts_name = f"{settings}{FACTS_SUFFIX}"
        self._facts: dict[str, Any] | None = None  # read on first use
        self.added_facts: dict[str, str] = {}
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.added: dict[str, Any] = {}
        self.dirty = False
        self.hits = 0
        self.misses = 0
        try:
            fd = _open_folder(folder, create=False)
        except CacheError:
            return
        try:
            data = _read(self.name, fd, MAX_PACK_BYTES) if _ours(fd) else None
        finally:
            os.close(fd)
        entries = _pack_entries(data, settings)
        if entries is None:
            self.dirty = data is not None  # a foreign or broken pack: rewrite it
            return
        self.entries = entries

    def get(self, key: str) -> Any:
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used.add(key)
        return entry

    def get_many(self, keys: list[str]) -> list[Any]:
        """:meth:`get` for each key, in order (``None`` where there is no entry)."""
        found = list(map(self.entries.get, keys))
        missing = found.count(None)
        self.misses += missing
        self.hits += len(found) - missing
        self.used.update(keys)  # a key with no entry is never in the pack: harmless
        return found

    def facts(self, key: str) -> str | None:
        """The facts kept with an entry (None: none, or not readable)."""
        found = self.added_facts.get(key)
        if found is not None:
            return found
        value = self._stored_facts().get(key)
        return value if type(value) is str else None

    def _stored_facts(self) -> dict[str, Any]:
        if self._facts is None:
            self._facts = {}
            try:
                fd = _open_folder(self.folder, create=False)
            except CacheError:
                return self._facts
            try:
                data = _read(self.facts_name, fd, MAX_PACK_BYTES) if _ours(fd) else None
            finally:
                os.close(fd)
            self._facts = _pack_entries(data, self.settings, "facts") or {}
        return self._facts

    def put(self, key: str, entry: Any, facts: str | None = None) -> None:
        """Remember (or replace, when the old entry was bad) a file's outcome."""
        self.entries[key] = entry
        self.added[key] = entry
        if facts is not None:
            self.added_facts[key] = facts
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        """Write the pack back when anything changed. Raises CacheError."""
        if not self.dirty:
            return
        fd = _open_folder(self.folder, create=True)
        try:
            _claim(fd, self.folder)
            # Another run may have written the pack meanwhile: keep its entries too.
            current = _pack_entries(_read(self.name, fd, MAX_PACK_BYTES), self.settings)
            entries = dict(current or {})
            for key in self.used:
                if key in self.entries:
                    entries.pop(key, None)
                    entries[key] = self.entries[key]  # most recently used last
            entries.update(self.added)
            if len(entries) > MAX_ENTRIES:
                entries = dict(list(entries.items())[-MAX_ENTRIES:])
            data = _pack_bytes(self.settings, "entries", entries)
            if len(data) > MAX_PACK_BYTES:
                # Too large to keep whole: keep this run's entries only.
                entries = {k: v for k, v in entries.items() if k in self.used}
                data = _pack_bytes(self.settings, "entries", entries)
                if len(data) > MAX_PACK_BYTES:
                    return
            facts = None
            if self.added_facts:
                # The facts kept, for the entries kept. Read already when project rules
                # ran again (the usual run after an edit): not parsed a second time;
                # facts another run added meanwhile are then worked out when next needed.
                stored = self._facts
                if stored is None:
                    stored = _pack_entries(
                        _read(self.facts_name, fd, MAX_PACK_BYTES), self.settings, "facts"
                    )
                merged = {**(stored or {}), **self.added_facts}
                facts = _pack_bytes(
                    self.settings, "facts", {k: v for k, v in merged.items() if k in entries}
                )
            try:
                # The facts first: an entry whose facts are missing is linted again,
                # facts without an entry are dropped at the next write.
                if facts is not None and len(facts) <= MAX_PACK_BYTES:
                    _write(self.facts_name, fd, facts)
                _write(self.name, fd, data)
            except OSError as exc:
                raise CacheError(f"cannot write the cache: {exc.strerror or exc}") from None
            _prune(fd, keep=self.name)
        finally:
            os.close(fd)
        self.dirty = False


def prepare(folder: str) -> None:
    """Make the cache folder ready for another of the tool's files (apply's journal):
    created and tagged if missing; CacheError when it is a link or not a folder, or
    holds other files without being a retell-lint cache."""
    fd = _open_folder(folder, create=True)
    try:
        _claim(fd, folder)
    except OSError as exc:
        raise CacheError(f"cannot use {folder}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _ours(folder_fd: int) -> bool:
    return _read("CACHEDIR.TAG", folder_fd, 4096) == CACHEDIR_TAG.encode()


def _claim(folder_fd: int, folder: str) -> None:
    """Make sure the folder is the cache's: tagged already, or empty and tagged now.

    A folder holding anything else (``--cache-dir .`` by mistake) is never written
    to: its files are not the cache's to replace or remove."""
    if _ours(folder_fd):
        return
    # Another run claiming it at this moment leaves only the tag files and its
    # temporary copies of them: the folder is still the cache's to claim.
    if any(not _claiming(name) for name in os.listdir(folder_fd)):
        raise CacheError(f"{folder} holds other files and is not a retell-lint cache")
    for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", GITIGNORE)):
        try:
            _write(name, folder_fd, text.encode())
        except OSError as exc:
            raise CacheError(f"cannot write the cache: {exc.strerror or exc}") from None


def _claiming(name: str) -> bool:
    if name in ("CACHEDIR.TAG", ".gitignore"):
        return True
    return name.startswith((".CACHEDIR.TAG.", "..gitignore.")) and name.endswith(".tmp")


def _prune(folder_fd: int, keep: str) -> None:
    """Keep the MAX_PACKS most recently written packs; remove stale temporary files."""
    packs: list[tuple[float, str]] = []
    try:
        names = os.listdir(folder_fd)
    except OSError:
        return
    for name in names:
        if not (name.endswith(".json") or name.endswith(".tmp")):
            continue  # facts files go with their packs, below
        try:
            info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
        except OSError:
            continue
        if name.endswith(".tmp"):
            import time

            if time.time() - info.st_mtime > 3600:  # left by a run that was killed
                _unlink(folder_fd, name)
            continue
        if name != keep:
            packs.append((info.st_mtime, name))
    packs.sort(reverse=True)
    kept = {keep, *(name for _mtime, name in packs[: MAX_PACKS - 1])}
    for _mtime, name in packs[MAX_PACKS - 1 :]:
        _unlink(folder_fd, name)
    for name in names:
        if name.endswith(FACTS_SUFFIX) and name[: -len(FACTS_SUFFIX)] + ".json" not in kept:
            _unlink(folder_fd, name)


def _unlink(folder_fd: int, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=folder_fd)


def clear(folder: str) -> bool:
    """Remove the cache folder (only what retell-lint writes there). False: none there."""
    try:
        fd = _open_folder(folder, create=False)
    except CacheError:
        if os.path.islink(folder):
            raise
        return False
    try:
        if not _ours(fd):
            raise CacheError(f"{folder} is not a retell-lint cache (no CACHEDIR.TAG of ours)")
        for name in os.listdir(fd):
            # .jsonl: apply's journal, kept in the same folder.
            ours = name.endswith((".json", FACTS_SUFFIX, ".jsonl", ".tmp"))
            if ours or name in ("CACHEDIR.TAG", ".gitignore"):
                _unlink(fd, name)
    finally:
        os.close(fd)
    try:
        os.rmdir(folder)
    except OSError as exc:
        raise CacheError(f"cannot remove {folder}: {exc.strerror or exc}") from None
    return True
