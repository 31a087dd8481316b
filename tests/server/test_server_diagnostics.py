"""``retell-lint server``: start-up, shutdown and diagnostics of one document (pytest-lsp
drives the real server process over stdio)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from server_helpers import (
    CONFIG,
    codes,
    count,
    diagnostics,
    open_doc,
    replace_all,
    settle,
    span,
    start,
    vscode_capabilities,
    write,
)

AGENT_HALF = "inbound_agents:\n  - agent_id: agent_frontdesk\n    weight: 0.5\n"
FRONT_DESK = (
    'phone_number: "+14157774444"\n'
    "nickname: Front desk\n"
    'phone_number_pretty: "+1 (415) 777-4444"\n'
    + AGENT_HALF
    + "allowed_inbound_country_list: [us, US]\n"
)
CLEAN = (
    'phone_number: "+14157774444"\n'
    "nickname: Front desk\n"
    "inbound_agents:\n  - agent_id: agent_frontdesk\n    weight: 1\n"
)


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    if not lsp_client.stopped:
        await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_initialize_announces_the_features_and_shutdown_ends_the_process(
    client: LanguageClient, tmp_path: Path
) -> None:
    result = await start(client, tmp_path)
    capabilities = result.capabilities
    assert result.server_info is not None and result.server_info.name == "retell-lint"
    sync = capabilities.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert capabilities.hover_provider
    actions = capabilities.code_action_provider
    assert isinstance(actions, types.CodeActionOptions)
    assert actions.code_action_kinds is not None
    assert "source.fixAll.retell-lint" in actions.code_action_kinds
    assert types.CodeActionKind.QuickFix in actions.code_action_kinds
    # The client offered dynamic registration: the server watches configs and numbers.
    await settle(client, 0.3)
    registered = client.registrations  # type: ignore[attr-defined]
    assert [r.method for r in registered] == ["workspace/didChangeWatchedFiles"]
    await client.shutdown_session()
    assert client._server is not None and client._server.returncode == 0


@pytest.mark.asyncio
async def test_open_publishes_each_finding_with_its_exact_range_code_and_link(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/front.yaml": FRONT_DESK})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/front.yaml")
    found = await diagnostics(client, uri, 1)
    by_code = {str(d.code): d for d in found}
    assert codes(found) == ["RL006", "RL201", "RL301"]
    # check --format json: RL006 3:1-3:20, RL301 4:1-4:15, RL201 7:32-7:34 (1-based,
    # end exclusive) → 0-based LSP ranges.
    assert span(by_code["RL006"]) == (2, 0, 2, 19)
    assert span(by_code["RL301"]) == (3, 0, 3, 14)
    assert span(by_code["RL201"]) == (6, 31, 6, 33)
    assert by_code["RL301"].severity == types.DiagnosticSeverity.Error
    assert by_code["RL006"].severity == types.DiagnosticSeverity.Information
    for diagnostic in found:
        assert diagnostic.source == "retell-lint"
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href.startswith(
            "https://github.com/retell-lint/retell-lint/blob/main/docs/rules.md#"
        )
    assert by_code["RL301"].code_description is not None
    assert by_code["RL301"].code_description.href.endswith("#rl301-weights-sum")
    assert list(by_code["RL006"].tags or ()) == [types.DiagnosticTag.Unnecessary]
    assert "add up to 0.5" in by_code["RL301"].message


@pytest.mark.asyncio
async def test_legacy_field_is_tagged_deprecated_and_warning(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = 'phone_number: "+14157774444"\ninbound_agent_id: agent_a\n'
    write(tmp_path, {"retell/old.yaml": text})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/old.yaml")
    found = await diagnostics(client, uri, 1)
    legacy = [d for d in found if d.code == "RL009"]
    assert len(legacy) == 1
    assert list(legacy[0].tags or ()) == [types.DiagnosticTag.Deprecated]
    assert legacy[0].severity == types.DiagnosticSeverity.Warning
    assert span(legacy[0])[0] == 1


@pytest.mark.asyncio
async def test_ranges_count_utf16_units_after_characters_outside_the_bmp(
    client: LanguageClient, tmp_path: Path
) -> None:
    # One line: the read-only field's key comes after a nickname with an emoji (two
    # UTF-16 units, one character).
    text = (
        '{phone_number: "+14157774444", nickname: "\U0001f4de desk", '
        "phone_number_pretty: x, inbound_agents: [{agent_id: a, weight: 1}]}\n"
    )
    write(tmp_path, {"retell/flow.yaml": text})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/flow.yaml")
    found = await diagnostics(client, uri, 1)
    assert codes(found) == ["RL006"]
    column = text.index("phone_number_pretty")  # in characters
    assert span(found[0]) == (0, column + 1, 0, column + 1 + len("phone_number_pretty"))


@pytest.mark.asyncio
async def test_change_publishes_the_new_version_and_fixing_clears(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/front.yaml": CLEAN})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/front.yaml")
    assert await diagnostics(client, uri, 1) == []
    # An incremental change, as an editor sends a keystroke: weight 1 → 0.7.
    line = CLEAN.split("\n").index("    weight: 1")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=12),
                        end=types.Position(line=line, character=13),
                    ),
                    text="0.7",
                )
            ],
        )
    )
    found = await diagnostics(client, uri, 2)
    assert codes(found) == ["RL301"]
    replace_all(client, uri, CLEAN, 3)
    assert await diagnostics(client, uri, 3) == []


@pytest.mark.asyncio
async def test_quick_changes_are_linted_once_at_the_last_version(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/front.yaml": CLEAN})
    await start(client, tmp_path, debounce_ms=300)
    uri = open_doc(client, tmp_path / "retell/front.yaml")
    await diagnostics(client, uri, 1)
    before = count(client)
    for version in range(2, 7):
        weight = "0.5" if version % 2 else "1"
        replace_all(client, uri, CLEAN.replace("weight: 1", f"weight: {weight}"), version)
    found = await diagnostics(client, uri, 6, after=before)
    await settle(client)
    versions = [p.version for p in client.published[before:] if p.uri == uri]  # type: ignore[attr-defined]
    # Debounced: the five changes in a row give one run, of the last version.
    assert versions == [6]
    assert found == []


@pytest.mark.asyncio
async def test_results_of_an_older_version_are_never_published(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/front.yaml": CLEAN})
    await start(client, tmp_path, debounce_ms=0)
    uri = open_doc(client, tmp_path / "retell/front.yaml")
    await diagnostics(client, uri, 1)
    # Changes arrive while runs are under way (no debounce): whatever the timing, the
    # versions published only go up and the last one is published.
    for version in range(2, 30):
        weight = "0.5" if version % 2 else "1"
        replace_all(client, uri, CLEAN.replace("weight: 1", f"weight: {weight}"), version)
        await asyncio.sleep(0.005)
    await diagnostics(client, uri, 29)
    await settle(client)
    versions = [p.version for p in client.published if p.uri == uri]  # type: ignore[attr-defined]
    assert versions == sorted(versions)
    assert versions[-1] == 29
    last = [p for p in client.published if p.uri == uri][-1]  # type: ignore[attr-defined]
    assert codes(list(last.diagnostics)) == ["RL301"]


@pytest.mark.asyncio
async def test_close_clears_the_documents_diagnostics(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/front.yaml": FRONT_DESK})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/front.yaml")
    assert len(await diagnostics(client, uri, 1)) == 3
    before = count(client)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert await diagnostics(client, uri, after=before) == []


@pytest.mark.asyncio
async def test_files_the_configuration_does_not_include_get_no_diagnostics(
    client: LanguageClient, tmp_path: Path
) -> None:
    # Default include: retell/**/*.yaml; a compose file elsewhere is not a number config.
    write(tmp_path, {"deploy/compose.yaml": "services: {web: {image: nginx}}\n"})
    write(tmp_path, {"retell/front.yaml": FRONT_DESK})
    await start(client, tmp_path)
    other = open_doc(client, tmp_path / "deploy/compose.yaml")
    uri = open_doc(client, tmp_path / "retell/front.yaml")
    await diagnostics(client, uri, 1)
    await settle(client)
    assert all(p.uri != other for p in client.published)  # type: ignore[attr-defined]


@pytest.mark.asyncio
@pytest.mark.parametrize(("encoding", "width"), [("utf-8", 4), ("utf-32", 1)])
async def test_ranges_use_the_position_encoding_the_client_asked_for(
    client: LanguageClient, tmp_path: Path, encoding: str, width: int
) -> None:
    text = (
        '{phone_number: "+14157774444", nickname: "\U0001f4de desk", '
        "phone_number_pretty: x, inbound_agents: [{agent_id: a, weight: 1}]}\n"
    )
    write(tmp_path, {"retell/flow.yaml": text})
    capabilities = vscode_capabilities()
    capabilities.general = types.GeneralClientCapabilities(position_encodings=[encoding])
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="project")],
        )
    )
    assert result.capabilities.position_encoding == encoding
    uri = open_doc(client, tmp_path / "retell/flow.yaml")
    found = await diagnostics(client, uri, 1)
    column = text.index("phone_number_pretty")  # in characters; the emoji is one
    assert span(found[0]) == (0, column - 1 + width, 0, column - 1 + width + 19)
