"""What the server remembers of each open document and each workspace between runs."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retell_lint.findings import Finding
    from retell_lint.server.actions import FileActions
    from retell_lint.server.workspace import Workspace


class Published:
    """The findings last published for a document, with the text they are about."""

    __slots__ = ("_actions", "findings", "key", "name", "text", "version")

    def __init__(
        self, version: int | None, text: str, name: str, findings: list[Finding], key: Any
    ) -> None:
        self.version = version
        self.text = text
        self.name = name
        self.findings = findings
        # What was sent (to publish again only when something changed).
        self.key = key
        self._actions: FileActions | None = None

    def actions(self, uri: str, encoding: str, unsuppressible: frozenset[str]) -> FileActions:
        """The document's code actions at this version (its fixes worked out once)."""
        from retell_lint.server.actions import FileActions

        if self._actions is None or self._actions.positions.lsp.encoding != encoding:
            self._actions = FileActions(
                uri, self.name, self.text, self.findings, encoding, unsuppressible
            )
        return self._actions


class RunState:
    """A workspace's lint runs: one at a time; changes during a run ask for one more;
    changes in quick succession wait for the debounce delay and start one run."""

    __slots__ = ("dirty", "running", "task", "timer", "workspace")

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.running = False
        self.dirty = False
        self.timer: asyncio.TimerHandle | None = None
        # The run under way (kept so it is not collected while it runs).
        self.task: asyncio.Future[None] | None = None
