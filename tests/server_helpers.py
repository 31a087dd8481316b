"""A pytest-lsp client for ``retell-lint server`` and small helpers for its tests.

The server runs as a real subprocess (``python -m retell_lint server``) speaking
JSON-RPC on stdio; the client records every diagnostics notification so a test can
wait for those of one document at one version.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER = [sys.executable, "-m", "retell_lint", "server"]
TIMEOUT = 60.0


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    defaults = dict(DEFAULT_CLIENT_FEATURES)
    defaults.pop(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    register_lsp_features(client, defaults)
    client.published = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=make_client)


def vscode_capabilities() -> types.ClientCapabilities:
    capabilities = client_capabilities("visual-studio-code")
    return capabilities


async def start(client: LanguageClient, root: Path, debounce_ms: int = 0) -> types.InitializeResult:
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=vscode_capabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="project")],
            initialization_options={"debounceMs": debounce_ms},
        )
    )


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")


def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="yaml",
                version=version,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return uri


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(
    client: LanguageClient, uri: str, version: int | None = None, *, after: int = 0
) -> list[types.Diagnostic]:
    """The first diagnostics published for ``uri`` (at ``version``, when given) among
    the notifications from index ``after`` on."""
    published: list[types.PublishDiagnosticsParams] = client.published  # type: ignore[attr-defined]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while True:
        for params in published[after:]:
            if params.uri == uri and (version is None or params.version == version):
                return list(params.diagnostics)
        if loop.time() > deadline:
            raise AssertionError(f"no diagnostics for {uri} (version {version})")
        await asyncio.sleep(0.02)


async def settle(client: LanguageClient, seconds: float = 0.6) -> None:
    """Let the server finish what it is doing (debounce, runs) before a check that
    something was NOT published."""
    await asyncio.sleep(seconds)


def count(client: LanguageClient) -> int:
    return len(client.published)  # type: ignore[attr-defined]


def codes(found: list[types.Diagnostic]) -> list[str]:
    return sorted(str(diagnostic.code) for diagnostic in found)


def span(diagnostic: types.Diagnostic) -> tuple[int, int, int, int]:
    r = diagnostic.range
    return (r.start.line, r.start.character, r.end.line, r.end.character)


def cli_fix(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``retell-lint check --fix`` run from the project root."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "retell_lint", "check", "--fix", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions, lines split at \\n, \\r\\n and \\r) as an
    editor does: all positions refer to the original text."""
    from retell_lint.server.positions import LspLines

    lines = LspLines(text)
    spans = sorted(
        (
            lines.offset(edit.range.start.line, edit.range.start.character),
            lines.offset(edit.range.end.line, edit.range.end.character),
            edit.new_text,
        )
        for edit in edits
    )
    out: list[str] = []
    position = 0
    for start, end, new in spans:
        assert start >= position, "overlapping edits"
        out.append(text[position:start])
        out.append(new)
        position = end
    out.append(text[position:])
    return "".join(out)


def edits_for(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return list(action.edit.changes[uri])
