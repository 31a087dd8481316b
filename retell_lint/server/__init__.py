"""``retell-lint server``: a language server over stdio (pygls, lsprotocol).

Nothing here is imported by the other commands: pygls is needed only to serve.
"""

from __future__ import annotations

import logging
from typing import BinaryIO

from retell_lint.errors import FatalError

# The largest message a client may send (a 50 MB file, JSON-escaped, fits).
MAX_MESSAGE_BYTES = 160 * 1024 * 1024
MAX_HEADER_LINE = 1024

log = logging.getLogger("retell_lint.server")


class BoundedInput:
    """The client's stream, refusing what no client sends: a header line longer than
    :data:`MAX_HEADER_LINE` or a message longer than :data:`MAX_MESSAGE_BYTES` ends the
    session (one line on stderr) instead of exhausting memory."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        # The session ended because of what the client sent (exit status 2).
        self.refused = False

    def readline(self) -> bytes:
        line = self.stream.readline(MAX_HEADER_LINE + 1)
        if len(line) > MAX_HEADER_LINE:
            log.error("a header line longer than %d bytes: not a client; stopping", MAX_HEADER_LINE)
            self.refused = True
            return b""
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                size = int(value.strip())
            except ValueError:
                size = -1
            if not 0 <= size <= MAX_MESSAGE_BYTES:
                log.error(
                    "a message of %s bytes (at most %d): not a client; stopping",
                    value.strip().decode("ascii", "replace")[:20],
                    MAX_MESSAGE_BYTES,
                )
                self.refused = True
                return b""
        return line

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)


class _OneLine(logging.Formatter):
    """Log records as one line each: no traceback unless asked for (--debug)."""

    def __init__(self, debug: bool) -> None:
        super().__init__("retell-lint server: %(message)s")
        self.debug = debug

    def format(self, record: logging.LogRecord) -> str:
        if not self.debug:
            if record.exc_info and record.exc_info[1] is not None:
                error = record.exc_info[1]
                record.msg = f"{record.getMessage()}: {type(error).__name__}: {error}"
                record.args = None
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        from retell_lint.output import safe_text

        return safe_text(super().format(record))


def run_server(debug: bool = False) -> int:
    """Serve the Language Server Protocol on stdin/stdout until the client exits."""
    import sys

    try:
        from retell_lint.server.features import build_server
    except ImportError as exc:
        raise FatalError(
            f"the language server needs pygls and lsprotocol ({exc.name or exc} is missing); "
            "install them with: pip install 'retell-lint[server]'"
        ) from None
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine(debug))
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, handlers=[handler])
    server = build_server()
    stdin = BoundedInput(sys.stdin.buffer)
    server.start_io(stdin=stdin)  # type: ignore[arg-type]
    return 2 if stdin.refused else 0
