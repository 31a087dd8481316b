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

import json
import os
from typing import Any

from retell_lint.cache_folder import (
    FACTS_SUFFIX,
    claim,
    is_ours,
    open_folder,
    prune,
    read_file,
    write_file,
)

# What ResultCache.save raises: its callers find it here.
from retell_lint.cache_folder import CacheError as CacheError

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
MAX_ENTRIES = 100_000
MAX_PACK_BYTES = 256 * 1024 * 1024


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
        try:
            fd = open_folder(folder, create=False)
        except CacheError:
            return
        try:
            data = read_file(self.name, fd, MAX_PACK_BYTES) if is_ours(fd) else None
        finally:
            os.close(fd)
        entries = _pack_entries(data, settings)
        if entries is None:
            self.dirty = data is not None  # a foreign or broken pack: rewrite it
            return
        self.entries = entries

    def get(self, key: str) -> Any:
        entry = self.entries.get(key)
        if entry is not None:
            self.used.add(key)
        return entry

    def get_many(self, keys: list[str]) -> list[Any]:
        """:meth:`get` for each key, in order (``None`` where there is no entry)."""
        self.used.update(keys)  # a key with no entry is never in the pack: harmless
        return list(map(self.entries.get, keys))

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
                fd = open_folder(self.folder, create=False)
            except CacheError:
                return self._facts
            try:
                data = read_file(self.facts_name, fd, MAX_PACK_BYTES) if is_ours(fd) else None
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
        fd = open_folder(self.folder, create=True)
        try:
            claim(fd, self.folder)
            # Another run may have written the pack meanwhile: keep its entries too.
            current = _pack_entries(read_file(self.name, fd, MAX_PACK_BYTES), self.settings)
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
                        read_file(self.facts_name, fd, MAX_PACK_BYTES), self.settings, "facts"
                    )
                merged = {**(stored or {}), **self.added_facts}
                facts = _pack_bytes(
                    self.settings, "facts", {k: v for k, v in merged.items() if k in entries}
                )
            try:
                # The facts first: an entry whose facts are missing is linted again,
                # facts without an entry are dropped at the next write.
                if facts is not None and len(facts) <= MAX_PACK_BYTES:
                    write_file(self.facts_name, fd, facts)
                write_file(self.name, fd, data)
            except OSError as exc:
                raise CacheError(f"cannot write the cache: {exc.strerror or exc}") from None
            prune(fd, keep=self.name)
        finally:
            os.close(fd)
        self.dirty = False
