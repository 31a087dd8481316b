"""``retell-lint server``: hover explains a finding's rule and describes a field."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from server_helpers import CONFIG, diagnostics, open_doc, start, write

TEXT = (
    'phone_number: "+14157774444"\n'
    "inbound_agents:\n"
    "  - agent_id: agent_a\n"
    "    weight: 0.5\n"
    "sip_outbound_trunk_config:\n"
    "  transport: TLS\n"
    "custom_note: x\n"
)


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    if not lsp_client.stopped:
        await lsp_client.shutdown_session()


async def hover_at(client: LanguageClient, uri: str, line: int, character: int) -> str | None:
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )
    if result is None:
        return None
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.Markdown
    return result.contents.value


@pytest.mark.asyncio
async def test_hover_on_a_finding_explains_its_rule_and_on_fields_gives_their_description(
    client: LanguageClient, tmp_path: Path
) -> None:
    from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, SIP_FIELDS

    write(tmp_path, {"retell/a.yaml": TEXT})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "retell/a.yaml")
    await diagnostics(client, uri, 1)
    # inbound_agents: RL301's range, and a field of the number.
    text = await hover_at(client, uri, 1, 3)
    assert text is not None
    assert text.startswith("**RL301 weights-sum**: weights of inbound_agents add up to 0.5")
    assert "#rl301-weights-sum)" in text
    assert NUMBER_FIELDS["inbound_agents"].description in text
    # weight under an agent list: the agent entry's field, not a number's.
    text = await hover_at(client, uri, 3, 6)
    assert text is not None and AGENT_FIELDS["weight"].description in text
    # transport under sip_outbound_trunk_config.
    text = await hover_at(client, uri, 5, 4)
    assert text is not None and SIP_FIELDS["transport"].description in text
    # An unknown field: its RL003 finding is explained, there is no field description.
    text = await hover_at(client, uri, 6, 2)
    assert text is not None and text.startswith("**RL003 unknown-field**")
    # A value without finding, and past the end: nothing.
    assert await hover_at(client, uri, 2, 16) is None
    assert await hover_at(client, uri, 40, 0) is None
