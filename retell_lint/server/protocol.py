"""The language server: protocol wiring (pygls) around the workspace lint.

Runs are per workspace folder: a change waits ``debounce`` seconds (changes in
quick succession start one run), one run at a time; a change during a run asks for
another run when it ends, and a result is published only while the document is still
at the version that was linted. Linting happens on one worker thread, so the server
keeps answering meanwhile.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from retell_lint import __version__, catalogue
from retell_lint.findings import Finding
from retell_lint.server.chunks import Cancelled
from retell_lint.server.diagnostics import problem_diagnostic, to_diagnostics
from retell_lint.server.state import Published, RunState
from retell_lint.server.workspace import Snapshot, Workspace

log = logging.getLogger(__name__)
DEFAULT_DEBOUNCE = 0.015
# Projects with more files than this get a first answer from the open buffers alone.
FIRST_ANSWER_FILES = 200
WATCHED = ("**/*.yaml", "**/*.yml", "**/pyproject.toml")


class RetellLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "retell-lint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.debounce = DEFAULT_DEBOUNCE
        self.workspaces: dict[str, Workspace] = {}
        self.runs: dict[str, RunState] = {}
        self.published: dict[str, Published] = {}
        self.problem_uris: dict[str, str] = {}
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="retell-lint")

    # Where things are --------------------------------------------------------------

    @property
    def encoding(self) -> str:
        chosen = self.workspace.position_encoding
        # An enum member's str() is its name, not "utf-8": take its value.
        value = getattr(chosen, "value", chosen)
        return str(value) if value else "utf-16"

    def roots(self) -> list[str]:
        roots = []
        for folder in self.workspace.folders.values():
            path = to_fs_path(folder.uri)
            if path:
                roots.append(os.path.abspath(path))
        if not roots and self.workspace.root_path:
            roots.append(os.path.abspath(self.workspace.root_path))
        return roots or [os.getcwd()]

    def workspace_for(self, path: str) -> Workspace:
        """The workspace folder holding ``path`` (the innermost one), else its folder's."""
        inside = [root for root in self.roots() if path.startswith(root.rstrip(os.sep) + os.sep)]
        root = max(inside, key=len) if inside else os.path.dirname(path)
        workspace = self.workspaces.get(root)
        if workspace is None:
            workspace = Workspace(Path(root), scan=bool(inside))
            self.workspaces[root] = workspace
            self.runs[root] = RunState(workspace)
            self.show_problem(workspace)
        return workspace

    @staticmethod
    def path_of(uri: str) -> str | None:
        path = to_fs_path(uri)
        return os.path.abspath(path) if path and uri.startswith("file:") else None

    # Runs --------------------------------------------------------------------------

    def schedule(self, workspace: Workspace) -> None:
        state = self.runs[str(workspace.root)]
        if state.timer is not None:
            state.timer.cancel()
        loop = asyncio.get_running_loop()
        state.timer = loop.call_later(self.debounce, self._start, state)

    def _start(self, state: RunState) -> None:
        state.timer = None
        if state.running:
            state.dirty = True
            state.workspace.cancel.set()  # the run under way is stale: stop it
            return
        state.running = True
        state.task = asyncio.ensure_future(self._run(state))

    async def _run(self, state: RunState) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                state.dirty = False
                workspace = state.workspace
                workspace.cancel.clear()
                texts = dict(workspace.open)
                targets = [p for p in texts if workspace.includes(p)]
                stop = workspace.cancel
                try:
                    if not workspace.disk_read and len(workspace.disk_files) > FIRST_ANSWER_FILES:
                        # A large project's files are read once: answer for the open
                        # buffers first, then with every file.
                        quick = await loop.run_in_executor(
                            self.executor,
                            functools.partial(
                                workspace.lint, targets, texts, disk=False, stop=stop
                            ),
                        )
                        self.publish(workspace, texts, quick)
                    results = await loop.run_in_executor(
                        self.executor, functools.partial(workspace.lint, targets, texts, stop=stop)
                    )
                except Cancelled:
                    state.dirty = True
                    continue
                except Exception:
                    log.exception("linting %s failed", workspace.root)
                    results = {}
                self.publish(workspace, texts, results)
                if not state.dirty:
                    break
        finally:
            state.running = False

    def publish(
        self, workspace: Workspace, texts: dict[str, Snapshot], results: dict[str, list[Finding]]
    ) -> None:
        for path, snapshot in texts.items():
            current = workspace.open.get(path)
            if current is None or current.version != snapshot.version:
                continue  # closed or changed since: a newer run publishes it
            uri = from_fs_path(path) or path
            if uri in self.problem_uris.values():
                continue  # a broken configuration file: its problem stays shown
            if path not in results:
                # Not (or no longer) included: clear what was shown, else say nothing.
                if self.published.pop(uri, None) is not None:
                    self.text_document_publish_diagnostics(
                        types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
                    )
                continue
            findings = results[path]
            old = self.published.get(uri)
            if old is not None and old.version == snapshot.version and old.findings == findings:
                continue  # another file changed; nothing here did
            name = workspace.display(path)
            try:
                diagnostics = to_diagnostics(findings, snapshot.text, self.encoding)
            except Exception:
                log.exception("diagnostics of %s failed", path)
                diagnostics = []
            key = [(d.code, d.message, d.range.start, d.range.end) for d in diagnostics]
            self.published[uri] = Published(snapshot.version, snapshot.text, name, findings, key)
            if old is not None and old.version == snapshot.version and old.key == key:
                continue
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri, diagnostics=diagnostics, version=snapshot.version
                )
            )

    def show_problem(self, workspace: Workspace) -> None:
        """A broken configuration as a diagnostic on its file (cleared once fixed)."""
        root = str(workspace.root)
        problem = workspace.problem
        old = self.problem_uris.pop(root, None)
        uri = from_fs_path(problem.path) if problem is not None and problem.path else None
        if old is not None and old != uri:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=old, diagnostics=[])
            )
        if problem is not None and uri:
            self.problem_uris[root] = uri
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri,
                    diagnostics=[problem_diagnostic(problem.line, problem.column, problem.message)],
                )
            )

    def reload(self, workspace: Workspace) -> None:
        workspace.reload_config()
        self.show_problem(workspace)
        self.schedule(workspace)

    async def current(self, uri: str) -> Published | None:
        """The findings of the document as it is now (linted again when stale)."""
        path = self.path_of(uri)
        if path is None:
            return None
        workspace = self.workspace_for(path)
        snapshot = workspace.open.get(path)
        if snapshot is None or not workspace.includes(path):
            return None
        published = self.published.get(uri)
        if published is not None and published.version == snapshot.version:
            return published
        texts = dict(workspace.open)
        loop = asyncio.get_running_loop()
        results = await loop.run_in_executor(self.executor, workspace.lint, [path], texts)
        return Published(
            snapshot.version, snapshot.text, workspace.display(path), results.get(path, []), None
        )


def unsuppressible() -> frozenset[str]:
    return frozenset(rule.id for rule in catalogue.load().values() if not rule.suppressible)
