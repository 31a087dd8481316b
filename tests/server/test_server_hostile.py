"""``retell-lint server`` survives hostile input and keeps answering: control
characters, binary text, deep nesting, alias bombs, a huge buffer, FIFOs and link
loops on disk; and the reader fuzz corpus through the server's own code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_lsp
from hypothesis import HealthCheck, given, settings
from lsprotocol import types
from pytest_lsp import LanguageClient
from server_helpers import CONFIG, codes, diagnostics, open_doc, replace_all, start, write
from test_fuzz_reader import documents

CLEAN = 'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: a\n    weight: 1\n'
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
HOSTILE = {
    "control characters in keys and values": (
        'phone_number: "+14157774444"\n'
        '"nick\\x1b[31mname\\x07": "::error file=x::owned\\r\\n"\n'
        'nickname: "\x1b]0;title\x07 \u202e desk"\n'
        'inbound_agents:\n  - agent_id: "a\\u0000b"\n    weight: 1\n'
    ),
    "a NUL byte (binary)": "phone_number: x\x00y\n",
    "a lone surrogate": "phone_number: '\ud800'\n",
    "nesting far past the reader's limit": "[" * 100_000 + "x\n",
    "nested keys": "? " * 5_000 + "x\n",
    "an alias bomb": BOMB,
    "many documents": "---\n" * 20_000,
    "a tab-indented mess": "\tphone_number:\n\t- [}{\n",
    "NEL, LS and PS line breaks": 'phone_number: "+14157774444"\x85nickname: a\u2028b\u2029\n',
    "CR line breaks": 'phone_number: "+14157774444"\rphone_number_pretty: x\r',
}


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    if not lsp_client.stopped:
        await lsp_client.shutdown_session()


async def still_answers(client: LanguageClient, uri: str) -> None:
    """Hover and code actions anywhere in the document answer (with or without
    content), never with an error."""
    for line, character in ((0, 0), (0, 3), (1, 0), (5_000, 7)):
        position = types.Position(line=line, character=character)
        await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=position
            )
        )
        await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(start=types.Position(line=0, character=0), end=position),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )


@pytest.mark.asyncio
async def test_hostile_buffers_get_diagnostics_and_the_server_keeps_serving(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/a.yaml": CLEAN})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    assert await diagnostics(client, uri, 1) == []
    version = 1
    for name, text in HOSTILE.items():
        version += 1
        replace_all(client, uri, text, version)
        found = await diagnostics(client, uri, version)
        assert found, name
        for diagnostic in found:
            assert "\x1b" not in diagnostic.message and "\x07" not in diagnostic.message, name
            assert "\n" not in diagnostic.message, name
        await still_answers(client, uri)
    binary = await diagnostics(client, uri, 3)  # the NUL byte
    assert codes(binary) == ["RL001"], binary
    version += 1
    replace_all(client, uri, CLEAN, version)
    assert await diagnostics(client, uri, version) == []
    errors = [m for m in client.log_messages if m.type == types.MessageType.Error]
    assert errors == []


@pytest.mark.asyncio
async def test_a_huge_buffer_is_linted_and_the_server_stays_responsive(
    client: LanguageClient, tmp_path: Path
) -> None:
    number = 'phone_number: "+1415555{:04d}"\n'
    items = "".join(
        f"  - {number.format(i)}    inbound_agents: [{{agent_id: a, weight: 1}}]\n"
        for i in range(10_000)
    )
    text = "phone_numbers:\n" + items + "  - phone_number: 123\n"  # ~0.9 MB
    write(tmp_path, {"retell/a.yaml": CLEAN})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml", text)
    found = await diagnostics(client, uri, 1)
    assert "RL007" in codes(found)  # the unquoted number at the end
    await still_answers(client, uri)


@pytest.mark.asyncio
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
async def test_fifos_and_link_loops_on_disk_never_block_the_server(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/a.yaml": CLEAN})
    os.mkfifo(tmp_path / "retell" / "pipe.yaml")
    os.symlink("loop.yaml", tmp_path / "retell" / "loop.yaml")
    os.symlink(tmp_path / "retell", tmp_path / "retell" / "again")
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    assert await diagnostics(client, uri, 1) == []
    await still_answers(client, uri)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=documents())
def test_the_fuzz_corpus_through_diagnostics_actions_and_hover(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The reader fuzz corpus through the server's own code (in-process): facts,
    project lint, ranges, quick fixes, suppressions, fix-all and hover keys."""
    from retell_lint.server.actions import FileActions
    from retell_lint.server.diagnostics import to_diagnostics
    from retell_lint.server.hover import field_spec, key_at
    from retell_lint.server.positions import LSP_BREAK
    from retell_lint.server.workspace import Snapshot, Workspace

    root = tmp_path_factory.mktemp("fuzz")
    (root / "retell").mkdir()
    path = str(root / "retell" / "a.yaml")
    workspace = Workspace(root)
    assert workspace.config is not None
    results = workspace.lint([path], {path: Snapshot(text, 1)})
    findings = results[path]
    for encoding in ("utf-16", "utf-8", "utf-32"):
        for diagnostic in to_diagnostics(findings, text, encoding):
            r = diagnostic.range
            assert (r.start.line, r.start.character) <= (r.end.line, r.end.character)
    actions = FileActions("file:///a.yaml", "retell/a.yaml", text, findings, "utf-16", frozenset())
    everything = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=10**6, character=0)
    )
    indexes = actions.in_range(everything)
    assert len(indexes) == len(findings)
    actions.quick_fixes(indexes)
    actions.suppressions(indexes)
    actions.fix_all(workspace.config)
    lines = LSP_BREAK.split(text)
    for number in range(min(len(lines), 50)):
        found = key_at(lines, number, 2)
        if found is not None:
            field_spec(*found)
