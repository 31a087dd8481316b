"""The workspace as the server sees it: the configuration, which files it includes,
and every file's facts, from the editor's buffer when the file is open, else from disk.

Nothing here speaks the protocol: paths are plain file-system paths, findings are the
CLI's. The project-wide rules see every included file of the workspace, open or not,
as ``retell-lint check`` run from the project root would.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from retell_lint.errors import FatalError
from retell_lint.findings import Finding
from retell_lint.server.chunks import Cancelled, EntryCache
from retell_lint.server.facts import (
    FactsCache,
    FactsStore,
    FileFacts,
    compute_facts,
    facts_key,
    text_bytes,
)
from retell_lint.server.lintrun import file_findings, project_hits
from retell_lint.server.loading import ConfigProblem, config_problem, read_regular

if TYPE_CHECKING:
    from retell_lint.config import Config
    from retell_lint.engine import ActiveRule

log = logging.getLogger(__name__)
CONFIG_FILE_NAMES = (".retell-lint.yaml", ".retell-lint.yml", "pyproject.toml")


class Snapshot(NamedTuple):
    """An open document's text at one version."""

    text: str
    version: int | None


def walk_key(relative: str) -> tuple[tuple[int, str], ...]:
    """The order in which discovery lists a relative path: a folder's files before its
    sub-folders, each sorted by name (so duplicates are reported where the CLI does)."""
    parts = relative.split("/")
    return (*((1, part) for part in parts[:-1]), (0, parts[-1]))


class Workspace:
    """One workspace folder: its configuration, files and their facts."""

    def __init__(self, root: Path, store: FactsStore | None = None, *, scan: bool = True) -> None:
        self.root = root
        # Read the included files on disk too (not for a file opened outside every
        # workspace folder: its folder may be a home directory).
        self.scan = scan
        self.store: FactsStore = store if store is not None else FactsCache()
        # Entries of list files being edited (see retell_lint.server.chunks).
        self.entries = EntryCache()
        self.lock = threading.RLock()
        # Set when a newer change makes the run under way stale.
        self.cancel = threading.Event()
        self.config: Config | None = None
        self.problem: ConfigProblem | None = None
        self.rules: dict[str, ActiveRule] = {}
        self.generation = 0
        self.open: dict[str, Snapshot] = {}
        # Included files found on disk (absolute paths), in discovery order.
        self.disk_files: list[str] = []
        self._disk: dict[str, FileFacts] = {}
        # The facts of each open buffer as last read (one version each: an editor's
        # every keystroke would otherwise fill the store).
        self._buffers: dict[str, tuple[str, FileFacts]] = {}
        # Whether a run has read every included file on disk since the last scan (the
        # first run reads them all, which takes a while in a large project).
        self.disk_read = False
        # Display names by path (they depend only on the project root).
        self._names: dict[str, str] = {}
        self.reload_config()

    # Configuration -----------------------------------------------------------------

    @property
    def config_path(self) -> str | None:
        if self.config is not None and self.config.path is not None:
            return str(self.config.path.resolve())
        return None

    def reload_config(self) -> ConfigProblem | None:
        """Read the configuration again (a broken one keeps the last good one in use)."""
        from retell_lint.config import Config, find_config, load_config
        from retell_lint.engine import active_rules

        with self.lock:
            found = find_config(self.root)
            try:
                config = load_config(str(found)) if found is not None else Config(self.root)
                rules = active_rules(config)
            except FatalError as exc:
                self.problem = config_problem(exc, found)
                if self.config is None:
                    self.config = Config(self.root)
                    self.rules = active_rules(self.config)
                    self.rescan()
                return self.problem
            self.problem = None
            self._names.clear()
            self.config = config
            self.rules = rules
            self.generation += 1
            self._disk.clear()
            self._buffers.clear()
            self.entries.clear()
            self.rescan()
            return None

    def is_config_file(self, path: str) -> bool:
        """A file whose change can change the configuration (or a policy file)."""
        name = os.path.basename(path)
        if name in CONFIG_FILE_NAMES:
            return True
        if self.config_path is not None and os.path.realpath(path) == self.config_path:
            return True
        return bool(self.config and self.config.policies and not self.includes(path))

    # Files -------------------------------------------------------------------------

    def relative(self, path: str) -> str | None:
        """``path`` relative to the project root, '/'-separated; None when outside it."""
        assert self.config is not None
        root = os.path.realpath(self.config.root)
        folder, name = os.path.split(os.path.abspath(path))
        relative = os.path.relpath(os.path.join(os.path.realpath(folder), name), root)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return None
        return relative.replace(os.sep, "/")

    def includes(self, path: str) -> bool:
        """Whether the configuration lints this file (its include and exclude globs)."""
        from retell_lint.pathmatch import matches

        assert self.config is not None
        relative = self.relative(path)
        if relative is None:
            return False
        return matches(relative, self.config.include) and not matches(relative, self.config.exclude)

    def display(self, path: str) -> str:
        """The name findings give a file: relative to the project root, as the CLI run
        from there shows it."""
        name = self._names.get(path)
        if name is None:
            relative = self.relative(path)
            name = relative if relative is not None else os.path.abspath(path)
            if len(self._names) > 100_000:
                self._names.clear()
            self._names[path] = name
        return name

    def rescan(self) -> None:
        """List the included files on disk again (a file created or deleted)."""
        from retell_lint.discover import find_files

        assert self.config is not None
        with self.lock:
            if not self.scan:
                self.disk_files = []
                return
            found = find_files((), self.config)
            for error in found.errors:
                log.warning("%s", error)
            paths = [os.path.abspath(name) for name in found.names]
            paths.sort(key=lambda path: walk_key(self.display(path)))
            self.disk_files = paths
            self.disk_read = False
            known = set(paths)
            for path in list(self._disk):
                if path not in known:
                    del self._disk[path]

    def forget(self, path: str) -> None:
        """A file changed on disk: read it again when next needed."""
        with self.lock:
            self._disk.pop(os.path.abspath(path), None)

    def set_open(self, path: str, text: str, version: int | None) -> None:
        with self.lock:
            self.open[os.path.abspath(path)] = Snapshot(text, version)

    def close(self, path: str) -> None:
        with self.lock:
            path = os.path.abspath(path)
            self.open.pop(path, None)
            self._disk.pop(path, None)
            self._buffers.pop(path, None)
            self.entries.forget(self.display(path))

    # Linting -----------------------------------------------------------------------

    def facts(
        self, path: str, open_texts: dict[str, Snapshot], stop: threading.Event | None = None
    ) -> FileFacts | None:
        """A file's facts: from its open buffer, else from disk (None when unreadable)."""
        snapshot = open_texts.get(path)
        name = self.display(path)
        if snapshot is not None:
            data = text_bytes(snapshot.text)
            key = facts_key(name, data, str(self.generation))
            last = self._buffers.get(path)
            if last is not None and last[0] == key:
                return last[1]
            facts = compute_facts(name, data, self.rules, self.entries, stop)
            self._buffers[path] = (key, facts)
            return facts
        cached = self._disk.get(path)
        if cached is not None:
            return cached
        on_disk = read_regular(path)
        if on_disk is None:
            return None
        facts = self._facts(name, on_disk)
        self._disk[path] = facts
        return facts

    def _facts(self, name: str, data: bytes) -> FileFacts:
        key = facts_key(name, data, str(self.generation))
        facts = self.store.get(key)
        if facts is None:
            facts = compute_facts(name, data, self.rules)
            self.store.put(key, facts)
        return facts

    def lint(
        self,
        targets: list[str],
        open_texts: dict[str, Snapshot] | None = None,
        *,
        disk: bool = True,
        stop: threading.Event | None = None,
    ) -> dict[str, list[Finding]]:
        """Findings of each target file, with every included file linted together.

        ``open_texts``: the open buffers to use (a snapshot taken when the run was
        asked for); the current ones by default. ``disk=False``: the open buffers
        only (a first answer while the files on disk are still to be read). ``stop``
        set: the run stops between files (and list entries) with :class:`Cancelled`.
        """
        with self.lock:
            assert self.config is not None
            texts = dict(self.open) if open_texts is None else open_texts
            paths = list(self.disk_files) if disk else []
            listed = set(paths)
            unlisted = {path for path in texts if path not in listed and self.includes(path)}
            unlisted.update(path for path in targets if path not in listed)
            if unlisted:  # new files, not yet on disk: in discovery's order among the rest
                paths = sorted([*paths, *unlisted], key=lambda p: walk_key(self.display(p)))
            all_facts: dict[str, FileFacts] = {}
            for path in paths:
                if stop is not None and stop.is_set():
                    raise Cancelled
                try:
                    facts = self.facts(path, texts, stop)
                except Cancelled:
                    raise
                except Exception:
                    log.exception("could not read %s", path)
                    continue
                if facts is not None:
                    all_facts[path] = facts
            if disk:
                self.disk_read = True
            extra = project_hits(list(all_facts.values()), self.rules)
            results: dict[str, list[Finding]] = {}
            for path in targets:
                facts = all_facts.get(path)
                if facts is None:
                    results[path] = []
                    continue
                results[path] = file_findings(
                    facts, extra.get(facts.source.name, ()), self.rules, self.config
                )
            return results
