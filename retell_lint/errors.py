"""The one fatal error type: anything that stops a command from running.

Commands raise :class:`FatalError`; the CLI turns it into a one-line message on
stderr and exit code 2. Findings are never errors: they are data.
"""

from __future__ import annotations


class FatalError(Exception):
    """The command could not run (usage, configuration, I/O, API failure)."""

    def __init__(self, message: str, *, location: str | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)
