"""``retell-lint server``: a language server over stdio (pygls, lsprotocol).

Nothing here is imported by the other commands: pygls is needed only to serve.
"""

from __future__ import annotations

from retell_lint.errors import FatalError


def run_server() -> int:
    """Serve the Language Server Protocol on stdin/stdout until the client exits."""
    import logging
    import sys

    try:
        from retell_lint.server.protocol import build_server
    except ImportError as exc:
        raise FatalError(
            f"the language server needs pygls and lsprotocol ({exc.name or exc} is missing); "
            "install them with: pip install 'retell-lint[server]'"
        ) from None
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="retell-lint server: %(message)s"
    )
    server = build_server()
    server.start_io()
    return 0
