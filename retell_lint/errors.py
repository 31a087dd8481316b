"""The one fatal error type: anything that stops a command from running.

Commands raise :class:`FatalError`; the CLI turns it into a one-line message on
stderr and exit code 2. Findings are never errors: they are data.
"""

from __future__ import annotations

from retell_lint.redact import safe_text


class FatalError(Exception):
    """The command could not run (usage, configuration, I/O, API failure)."""

    def __init__(self, message: str, *, location: str | None = None) -> None:
        # Messages quote names and values from files and servers: one line each,
        # without control characters, wherever they are shown.
        self.message = safe_text(message)
        self.location = safe_text(location) if location is not None else None
        super().__init__(f"{self.location}: {self.message}" if location else self.message)
