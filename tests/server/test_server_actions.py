"""``retell-lint server``: quick fixes, suppressions and fix-all give the bytes
``retell-lint check --fix`` gives (every case of the fix tests, LF and CRLF)."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from fix_cases import STRUCTURE_CASES, VALUE_CASES, Case
from lsprotocol import types
from pytest_lsp import LanguageClient
from server_helpers import (
    CONFIG,
    apply_text_edits,
    cli_fix,
    codes,
    diagnostics,
    edits_for,
    open_doc,
    replace_all,
    start,
    write,
)

CASES = [*VALUE_CASES, *STRUCTURE_CASES]
FIX_ALL = "source.fixAll.retell-lint"
WHOLE = types.Range(
    start=types.Position(line=0, character=0), end=types.Position(line=10**6, character=0)
)


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    if not lsp_client.stopped:
        await lsp_client.shutdown_session()


async def actions(
    client: LanguageClient, uri: str, only: list[str] | None, where: types.Range = WHOLE
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [action for action in result or [] if isinstance(action, types.CodeAction)]


def variants(case: Case) -> list[tuple[str, str, str]]:
    return [
        (f"{case.id}-lf", case.before, case.after),
        (f"{case.id}-crlf", case.before.replace("\n", "\r\n"), case.after.replace("\n", "\r\n")),
    ]


async def quick_fixes(client: LanguageClient, uri: str, rule: str) -> list[types.CodeAction]:
    listed = await actions(client, uri, [types.CodeActionKind.QuickFix])
    return [a for a in listed if a.title.startswith(f"Fix {rule}:")]


@pytest.mark.asyncio
async def test_the_quick_fixes_of_every_fix_case_give_the_fixed_text(
    client: LanguageClient, tmp_path: Path
) -> None:
    """Taking a case's quick fixes one at a time, as a user does (each edit is linted
    again), gives what --fix gives: the fix tests' expected text. Unsafe fixes are
    offered too, labelled and not preferred."""
    await start(client, tmp_path)
    path = tmp_path / "retell" / "case.yaml"
    write(tmp_path, {"retell/case.yaml": ""})
    uri = open_doc(client, path, "")
    version = 1
    wrong: list[str] = []
    for case in CASES:
        for name, before, after in variants(case):
            version += 1
            replace_all(client, uri, before, version)
            found = await diagnostics(client, uri, version)
            assert case.rule in codes(found), name
            quick = await quick_fixes(client, uri, case.rule)
            assert quick, f"{name}: no quick fix"
            if case.unsafe:
                assert any(a.title.endswith("(unsafe)") for a in quick), name
            text = before
            for _step in range(10):
                if not quick:
                    break
                action = quick[0]
                assert action.kind == types.CodeActionKind.QuickFix
                assert action.title.endswith("(unsafe)") == (not action.is_preferred)
                assert action.diagnostics and action.diagnostics[0].code == case.rule
                text = apply_text_edits(text, edits_for(action, uri))
                version += 1
                replace_all(client, uri, text, version)
                await diagnostics(client, uri, version)
                quick = await quick_fixes(client, uri, case.rule)
            if text != after:
                wrong.append(f"{name}: {text!r} != {after!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.asyncio
async def test_fix_all_gives_the_bytes_check_fix_writes(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path)
    path = tmp_path / "retell" / "case.yaml"
    write(tmp_path, {"retell/case.yaml": ""})
    uri = open_doc(client, path, "")
    version = 1
    wrong: list[str] = []
    for case in CASES:
        for name, before, _after in variants(case):
            version += 1
            replace_all(client, uri, before, version)
            await diagnostics(client, uri, version)
            fix_all = await actions(client, uri, [FIX_ALL])
            path.write_bytes(before.encode())
            run = cli_fix(tmp_path)
            assert run.returncode in (0, 1), run.stderr
            expected = path.read_bytes().decode()
            if expected == before:
                assert fix_all == [], name
                continue
            assert len(fix_all) == 1, name
            assert fix_all[0].kind == FIX_ALL
            fixed = apply_text_edits(before, edits_for(fix_all[0], uri))
            if fixed.encode() != expected.encode():
                wrong.append(f"{name}: {fixed!r} != {expected!r}")
    assert not wrong, "\n".join(wrong)


SUPPRESSIBLE = (
    'phone_number: "+14157774444"\n'
    "nickname: Front desk\n"
    "inbound_agents:  # two agents soon\n"
    "  - agent_id: agent_frontdesk\n"
    "    weight: 0.5\n"
    'phone_number_pretty: "+1 (415) 777-4444"  # retell-lint: ignore[RL301] old\n'
)


@pytest.mark.asyncio
async def test_suppress_adds_a_directive_with_a_reason_that_silences_the_finding(
    client: LanguageClient, tmp_path: Path
) -> None:
    write(tmp_path, {"retell/a.yaml": SUPPRESSIBLE})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    found = await diagnostics(client, uri, 1)
    # RL301 at inbound_agents (line 3), RL006 at phone_number_pretty, and RL010: the
    # RL301 directive on line 6 suppresses nothing there.
    assert codes(found) == ["RL006", "RL010", "RL301"]
    weights = next(d for d in found if d.code == "RL301")
    listed = await actions(client, uri, None, weights.range)
    suppress = [a for a in listed if a.title == "Suppress RL301 on this line"]
    assert len(suppress) == 1
    text = apply_text_edits(SUPPRESSIBLE, edits_for(suppress[0], uri))
    assert text.split("\n")[2] == (
        "inbound_agents:  # two agents soon  # retell-lint: ignore[RL301] <reason>"
    )
    replace_all(client, uri, text, 2)
    assert codes(await diagnostics(client, uri, 2)) == ["RL006", "RL010"]
    # On a line that already has a suppression, the rule joins its list.
    pretty = next(d for d in found if d.code == "RL006")
    listed = await actions(client, uri, [types.CodeActionKind.QuickFix], pretty.range)
    suppress = [a for a in listed if a.title == "Suppress RL006 on this line"]
    text = apply_text_edits(text, edits_for(suppress[0], uri))
    assert text.split("\n")[5].endswith("# retell-lint: ignore[RL301, RL006] old")
    replace_all(client, uri, text, 3)
    # RL006 is silenced; RL010 now says RL301 is unused there.
    assert codes(await diagnostics(client, uri, 3)) == ["RL010"]


@pytest.mark.asyncio
async def test_suppress_on_a_line_inside_an_open_quoted_value_goes_on_the_line_above(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = (
        'phone_number: "+14157774444"\n'
        "inbound_agents:\n"
        "  - agent_id: agent_a\n"
        "    weight: 1\n"
        'nickname: "Front\n'
        '  desk"\n'
        "inbound_agent_id: agent_a\n"
    )
    write(tmp_path, {"retell/a.yaml": text})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    found = await diagnostics(client, uri, 1)
    legacy = [d for d in found if d.code in ("RL009", "RL304")]
    assert legacy
    listed = await actions(client, uri, None, legacy[0].range)
    suppress = [a for a in listed if a.title.startswith("Suppress ")]
    fixed = apply_text_edits(text, edits_for(suppress[0], uri))
    replace_all(client, uri, fixed, 2)
    after = await diagnostics(client, uri, 2)
    assert str(legacy[0].code) not in codes(after)
    assert "RL001" not in codes(after)


@pytest.mark.asyncio
async def test_no_action_is_offered_where_nothing_is_found(
    client: LanguageClient, tmp_path: Path
) -> None:
    clean = 'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: a\n    weight: 1\n'
    write(tmp_path, {"retell/a.yaml": clean})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    assert await diagnostics(client, uri, 1) == []
    assert await actions(client, uri, None) == []


@pytest.mark.asyncio
async def test_fix_all_in_the_light_bulb_list_is_worked_out_when_chosen(
    client: LanguageClient, tmp_path: Path
) -> None:
    """Without ``only`` (the light bulb), fix-all comes without its edit, which
    codeAction/resolve adds: the same edit as asking for source.fixAll by name."""
    case = next(c for c in CASES if c.rule == "RL006")
    write(tmp_path, {"retell/a.yaml": case.before})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    await diagnostics(client, uri, 1)
    lazy = [a for a in await actions(client, uri, None) if a.kind == FIX_ALL]
    assert len(lazy) == 1 and lazy[0].edit is None
    resolved = await client.code_action_resolve_async(lazy[0])
    named = await actions(client, uri, [FIX_ALL])
    assert resolved.edit is not None
    assert edits_for(resolved, uri) == edits_for(named[0], uri)
    assert apply_text_edits(case.before, edits_for(resolved, uri)) == case.after
