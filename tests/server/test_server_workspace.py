"""``retell-lint server``: project-wide rules across the workspace (open files and files
on disk), configuration reloads and a broken configuration."""

from __future__ import annotations

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
    span,
    start,
    write,
)


def number(phone: str, nickname: str, fallback: str | None = None) -> str:
    text = (
        f'phone_number: "{phone}"\nnickname: {nickname}\n'
        "inbound_agents:\n  - agent_id: agent_a\n    weight: 1\n"
    )
    if fallback is not None:
        text += f'fallback_number: "{fallback}"\n'
    return text


A = number("+14157774444", "Front desk")
B = number("+14155551234", "Overflow")
B_SAME_AS_A = number("+14157774444", "Overflow")


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    if not lsp_client.stopped:
        await lsp_client.shutdown_session()


def watched(client: LanguageClient, *changes: tuple[Path, types.FileChangeType]) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=path.as_uri(), type=kind) for path, kind in changes]
        )
    )


@pytest.mark.asyncio
async def test_a_duplicate_in_a_file_on_disk_is_reported_and_clears_when_edited_away(
    client: LanguageClient, tmp_path: Path
) -> None:
    # a.yaml is only on disk; b.yaml, open, declares the same number. Discovery lists
    # a.yaml first, so the second declaration (b.yaml) is the one reported, as the
    # CLI reports it.
    write(tmp_path, {"retell/a.yaml": A, "retell/b.yaml": B_SAME_AS_A})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/b.yaml")
    found = await diagnostics(client, uri, 1)
    assert codes(found) == ["RL103"]
    assert span(found[0]) == (0, 14, 0, 28)
    assert "first declared at retell/a.yaml:1" in found[0].message
    replace_all(client, uri, B, 2)
    assert await diagnostics(client, uri, 2) == []


@pytest.mark.asyncio
async def test_a_duplicate_made_in_another_open_buffer_appears_and_closing_it_clears_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/a.yaml": number("+14155550000", "Spare"), "retell/b.yaml": B})
    await start(client, tmp_path)
    b = open_doc(client, tmp_path / "retell/b.yaml")
    a = open_doc(client, tmp_path / "retell/a.yaml")
    assert await diagnostics(client, b, 1) == []
    await diagnostics(client, a, 1)
    # Typing b's number into a (unsaved): b's declaration is now the second one.
    before = count(client)
    replace_all(client, a, number("+14155551234", "Spare"), 2)
    found = await diagnostics(client, b, 1, after=before)
    assert codes(found) == ["RL103"]
    assert "retell/a.yaml:1" in found[0].message
    # Closing a without saving: its text on disk has no duplicate, so b's finding goes.
    before = count(client)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=a))
    )
    assert await diagnostics(client, b, 1, after=before) == []


@pytest.mark.asyncio
async def test_a_fallback_to_a_number_with_its_own_fallback_in_an_unopened_file(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(
        tmp_path,
        {
            "retell/front.yaml": number("+14157774444", "Front desk", "+14155551234"),
            "retell/overflow/b.yaml": number("+14155551234", "Overflow", "+14155550123"),
        },
    )
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/front.yaml")
    found = await diagnostics(client, uri, 1)
    assert codes(found) == ["RL402"]
    assert span(found[0])[0] == 5  # the fallback_number line


@pytest.mark.asyncio
async def test_a_file_created_on_disk_is_seen_when_the_client_reports_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/b.yaml": B})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/b.yaml")
    assert await diagnostics(client, uri, 1) == []
    # A checkout brings a.yaml (listed before b.yaml) with the same number.
    write(tmp_path, {"retell/a.yaml": number("+14155551234", "Main")})
    before = count(client)
    watched(client, (tmp_path / "retell/a.yaml", types.FileChangeType.Created))
    assert codes(await diagnostics(client, uri, 1, after=before)) == ["RL103"]
    # ... and deleted again.
    (tmp_path / "retell/a.yaml").unlink()
    before = count(client)
    watched(client, (tmp_path / "retell/a.yaml", types.FileChangeType.Deleted))
    assert await diagnostics(client, uri, 1, after=before) == []


@pytest.mark.asyncio
async def test_the_configuration_is_read_again_when_it_changes(
    client: LanguageClient, tmp_path: Path
) -> None:
    pretty = A + 'phone_number_pretty: "+1 (415) 777-4444"\n'
    write(tmp_path, {"retell/a.yaml": pretty})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    assert codes(await diagnostics(client, uri, 1)) == ["RL006"]
    # Turned off in a new .retell-lint.yaml (reported by the file watcher).
    config = tmp_path / ".retell-lint.yaml"
    config.write_text("rules:\n  RL006: off\n", encoding="utf-8")
    before = count(client)
    watched(client, (config, types.FileChangeType.Created))
    assert await diagnostics(client, uri, 1, after=before) == []
    # Back on, as an error, saved in the editor.
    config.write_text("rules:\n  RL006: error\n", encoding="utf-8")
    before = count(client)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=config.as_uri())
        )
    )
    found = await diagnostics(client, uri, 1, after=before)
    assert codes(found) == ["RL006"]
    assert found[0].severity == types.DiagnosticSeverity.Error


@pytest.mark.asyncio
async def test_pyproject_settings_and_include_globs_are_followed(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.retell-lint]\ninclude = ["numbers/*.yaml"]\n'
            'rules = { RL601 = "off" }\n',
            "numbers/a.yaml": A,
            "numbers/b.yaml": number("+14155551234", "Front desk"),
        },
    )
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "numbers/b.yaml")
    # The nickname is used twice, but RL601 is off.
    assert await diagnostics(client, uri, 1) == []


@pytest.mark.asyncio
async def test_a_broken_configuration_is_a_diagnostic_on_its_file_and_clears_when_fixed(
    client: LanguageClient, tmp_path: Path
) -> None:
    config = tmp_path / ".retell-lint.yaml"
    write(
        tmp_path,
        {
            ".retell-lint.yaml": "rules:\n  RL006: off\n",
            "retell/a.yaml": A + "phone_number_pretty: x\n",
        },
    )
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    assert await diagnostics(client, uri, 1) == []
    config.write_text("rules:\n  RL006: off\n  RL999: warning\n", encoding="utf-8")
    before = count(client)
    watched(client, (config, types.FileChangeType.Changed))
    problem = await diagnostics(client, config.as_uri(), after=before)
    assert len(problem) == 1
    assert problem[0].severity == types.DiagnosticSeverity.Error
    assert problem[0].range.start.line == 2  # the line of RL999
    assert "RL999" in problem[0].message
    # The server keeps serving with the last good configuration.
    replace_all(client, uri, A + "phone_number_pretty: z\n", 2)
    assert await diagnostics(client, uri, 2) == []
    config.write_text("rules:\n  RL006: off\n", encoding="utf-8")
    before = count(client)
    watched(client, (config, types.FileChangeType.Changed))
    assert await diagnostics(client, config.as_uri(), after=before) == []


@pytest.mark.asyncio
async def test_a_configuration_broken_at_start_up_is_reported_and_defaults_are_used(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(
        tmp_path,
        {
            ".retell-lint.yaml": "rules: [not, a, mapping\n",
            "retell/a.yaml": A + "phone_number_pretty: x\n",
        },
    )
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    assert codes(await diagnostics(client, uri, 1)) == ["RL006"]
    problem = await diagnostics(client, (tmp_path / ".retell-lint.yaml").as_uri())
    assert len(problem) == 1 and problem[0].source == "retell-lint"
    assert "invalid YAML" in problem[0].message
    assert (problem[0].range.start.line, problem[0].range.start.character) == (1, 0)


@pytest.mark.asyncio
async def test_a_changed_policy_file_is_read_again(client: LanguageClient, tmp_path: Path) -> None:
    policy = (
        "- id: ACME004\n  name: nickname-on-every-number\n  message: every number needs a "
        "nickname\n  field: nickname\n  require: {present: true, pattern: '^%s'}\n"
    )
    write(
        tmp_path,
        {
            ".retell-lint.yaml": "policy_files: [policies.yaml]\n",
            "policies.yaml": policy % "Front",
            "retell/a.yaml": A,
        },
    )
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    assert await diagnostics(client, uri, 1) == []
    (tmp_path / "policies.yaml").write_text(policy % "Back", encoding="utf-8")
    before = count(client)
    watched(client, (tmp_path / "policies.yaml", types.FileChangeType.Changed))
    found = await diagnostics(client, uri, 1, after=before)
    assert codes(found) == ["ACME004"]
    assert found[0].code_description is None  # the policy gives no url


def test_a_file_whose_reading_fails_is_logged_and_the_others_are_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from retell_lint.server import workspace as module
    from retell_lint.server.workspace import Snapshot, Workspace

    write(tmp_path, {"retell/a.yaml": A, "retell/b.yaml": B_SAME_AS_A})
    real = module.compute_facts

    def failing(name: str, data: bytes, *args: object) -> object:
        if name == "retell/a.yaml":
            raise RuntimeError("a reader bug")
        return real(name, data, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "compute_facts", failing)
    workspace = Workspace(tmp_path)
    b = str(tmp_path / "retell/b.yaml")
    a = str(tmp_path / "retell/a.yaml")
    results = workspace.lint([a, b], {b: Snapshot(B_SAME_AS_A + "phone_number_pretty: x\n", 1)})
    assert results[a] == []
    # b.yaml is linted; a.yaml could not be read, so there is no duplicate to report.
    assert [finding.rule for finding in results[b]] == ["RL006"]
    assert "could not read" in caplog.text and "a reader bug" in caplog.text


@pytest.mark.asyncio
async def test_in_a_large_project_the_open_buffer_is_answered_before_every_file_is_read(
    client: LanguageClient, tmp_path: Path
) -> None:
    files = {f"retell/n{i:03d}.yaml": number(f"+1415555{i:04d}", f"Desk {i}") for i in range(210)}
    files["retell/n000.yaml"] = B  # +14155551234, also declared by the open file
    write(tmp_path, files)
    text = B + "phone_number_pretty: x\n"
    write(tmp_path, {"retell/z.yaml": text})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/z.yaml")
    first = await diagnostics(client, uri, 1)
    assert codes(first) == ["RL006"]  # its own finding at once
    # Then with every file read: the number is also declared in n000.yaml.
    published = client.published  # type: ignore[attr-defined]
    index = next(i for i, p in enumerate(published) if p.uri == uri)
    full = await diagnostics(client, uri, 1, after=index + 1)
    assert codes(full) == ["RL006", "RL103", "RL601"]


@pytest.mark.asyncio
async def test_an_open_broken_configuration_keeps_its_problem_while_files_are_linted(
    client: LanguageClient, tmp_path: Path
) -> None:
    config = tmp_path / ".retell-lint.yaml"
    # Every YAML file is included: the configuration file too (read as retell-lint's own).
    write(tmp_path, {".retell-lint.yaml": "include: ['**/*.yaml']\n", "retell/a.yaml": A})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    assert await diagnostics(client, uri, 1) == []
    config.write_text("include: ['**/*.yaml']\nrules: {RL999: off}\n", encoding="utf-8")
    before = count(client)
    watched(client, (config, types.FileChangeType.Changed))
    assert len(await diagnostics(client, config.as_uri(), after=before)) == 1
    after_problem = count(client)
    open_doc(client, config)
    replace_all(client, uri, A + "phone_number_pretty: z\n", 2)
    assert codes(await diagnostics(client, uri, 2)) == ["RL006"]
    published = client.published[after_problem:]  # type: ignore[attr-defined]
    assert all(p.uri != config.as_uri() for p in published)
