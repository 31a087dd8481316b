"""Contract test: the fake server's answers are valid for retell-sdk's own models.

If the SDK's response types change (new required fields, renamed enums), this
fails and the fake (and whatever relies on its shapes) needs updating.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fake_retell import FakeRetell, make_number

retell = pytest.importorskip("retell")

from retell.types import (  # noqa: E402
    AgentListResponse,
    AgentListVersionsResponse,
    PhoneNumberListResponse,
    PhoneNumberResponse,
)

AGENT_WEIGHT = [{"agent_id": "agent_voice", "agent_version": 1, "weight": 1}]


def seed(fake: FakeRetell) -> None:
    fake.add_numbers(1203)
    fake.add_number(
        "+14155550001",
        nickname="support line",
        inbound_agents=[
            {"agent_id": "agent_voice", "agent_version": "prod", "weight": 0.5},
            {"agent_id": "agent_voice", "agent_version": 1, "weight": 0.5},
        ],
        outbound_agents=AGENT_WEIGHT,
        inbound_sms_agents=[{"agent_id": "agent_chat", "weight": 1}],
        outbound_sms_agents=None,
        inbound_webhook_url="https://example.com/inbound",
        inbound_sms_webhook_url=None,
        allowed_inbound_country_list=["US", "CA"],
        allowed_outbound_country_list=[],
        fallback_number="+14155550002",
    )
    fake.add_number(
        make_number(
            "+442071838750",
            phone_number_type="custom",
            sip_outbound_trunk_config={
                "termination_uri": "example.pstn.twilio.com",
                "auth_username": "trunk-user",
                "transport": "TLS",
                "codecs": ["PCMU", "opus"],
            },
        )
    )
    fake.add_number("+18005550100", phone_number_type="retell-telnyx")
    fake.add_agent("agent_voice", tags={"prod": 1, "staging": {"version": 2}}, versions=[0, 1, 2])
    fake.add_agent("agent_chat", channel="chat", versions=[0])
    fake.add_agent("agent_suspended", is_suspended=True, versions=[0, 1], is_transfer_agent=True)
    for i in range(1100):
        fake.add_agent(f"agent_bulk_{i:04d}")


@pytest.fixture
def sdk(fake_retell: FakeRetell) -> Iterator[Any]:
    seed(fake_retell)
    client = retell.Retell(
        api_key=fake_retell.api_key,
        base_url=fake_retell.base_url,
        max_retries=0,
        timeout=5.0,
        _strict_response_validation=True,
    )
    try:
        yield client
    finally:
        client.close()


def test_sdk_phone_number_list_paginates(sdk: Any, fake_retell: FakeRetell) -> None:
    seen: list[str] = []
    key: str | None = None
    pages = 0
    while True:
        if key is None:
            page = sdk.phone_number.list(limit=1000)
        else:
            page = sdk.phone_number.list(limit=1000, pagination_key=key)
        pages += 1
        assert isinstance(page, PhoneNumberListResponse)
        seen.extend(item.phone_number for item in page.items)
        if not page.has_more:
            assert page.pagination_key is None
            break
        assert page.pagination_key
        key = page.pagination_key
    assert pages == 2
    assert sorted(seen) == sorted(fake_retell.numbers)
    custom = next(n for n in fake_retell.numbers.values() if n["phone_number_type"] == "custom")
    assert custom["sip_outbound_trunk_config"]["transport"] == "TLS"


def test_sdk_phone_number_retrieve(sdk: Any) -> None:
    number = sdk.phone_number.retrieve("+14155550001")
    assert isinstance(number, PhoneNumberResponse)
    assert number.phone_number == "+14155550001"
    assert number.phone_number_pretty == "+1 (415) 555-0001"
    assert number.inbound_agents is not None
    assert number.inbound_agents[0].agent_version == "prod"
    assert number.inbound_agents[1].agent_version == 1
    assert number.inbound_sms_agents is not None
    assert number.inbound_sms_agents[0].weight == 1.0
    custom = sdk.phone_number.retrieve("+442071838750")
    assert custom.sip_outbound_trunk_config.codecs == ["PCMU", "opus"]


def test_sdk_errors_map_to_sdk_exceptions(sdk: Any, fake_retell: FakeRetell) -> None:
    with pytest.raises(retell.UnprocessableEntityError) as not_found:
        sdk.phone_number.retrieve("+19995550000")
    assert not_found.value.body["message"] == "Cannot find requested asset under given api key."
    with pytest.raises(retell.UnprocessableEntityError):
        sdk.agent.list_versions("agent_missing")

    fake_retell.fail_next(429, headers={"Retry-After": "1"})
    with pytest.raises(retell.RateLimitError):
        sdk.phone_number.list(limit=10)

    wrong = sdk.with_options(api_key="key_not_the_right_one")
    with pytest.raises(retell.AuthenticationError) as auth:
        wrong.phone_number.list()
    assert auth.value.status_code == 401
    assert auth.value.body == {"status": "error", "message": "API key is missing or invalid."}


def test_sdk_agent_list_and_versions(sdk: Any, fake_retell: FakeRetell) -> None:
    first = sdk.agent.list(limit=1000)
    assert isinstance(first, AgentListResponse)
    assert first.has_more is True and first.pagination_key
    second = sdk.agent.list(limit=1000, pagination_key=first.pagination_key)
    assert second.has_more is False
    agents = {a.agent_id: a for a in [*first.items, *second.items]}
    assert len(agents) == len(fake_retell.agents)
    voice = agents["agent_voice"]
    assert voice.channel == "voice"
    assert voice.tags["prod"].version == 1
    assert voice.tags["staging"].version == 2
    assert agents["agent_chat"].channel == "chat"
    assert agents["agent_suspended"].is_suspended is True
    assert agents["agent_suspended"].is_transfer_agent is True

    chat_only = sdk.agent.list(
        limit=1000, filter_criteria={"channel": {"op": "eq", "type": "string", "value": "chat"}}
    )
    assert [a.agent_id for a in chat_only.items] == ["agent_chat"]
    assert len(sdk.chat_agent.list(limit=1000).items) == 1000

    versions = sdk.agent.list_versions("agent_voice")
    assert isinstance(versions, AgentListVersionsResponse)
    assert [(v.version, v.is_published) for v in versions.items] == [
        (0, True),
        (1, True),
        (2, False),
    ]
    assert versions.has_more is False

    sdk_requests = fake_retell.requests_to("/v2/list-agents")
    assert {r.method for r in sdk_requests} == {"POST"}
    assert sdk_requests[0].query == {"limit": "1000"}


def _check_keys(obj: dict[str, Any], model: Any, where: str) -> None:
    unknown = set(obj) - set(model.model_fields)
    assert not unknown, f"{where}: fields unknown to retell-sdk: {sorted(unknown)}"


def test_raw_responses_validate_strictly(fake_retell: FakeRetell) -> None:
    """Pydantic strict mode over the raw JSON, and no fields the SDK doesn't know."""
    seed(fake_retell)
    headers = {"Authorization": f"Bearer {fake_retell.api_key}"}
    with httpx.Client(base_url=fake_retell.base_url, headers=headers, timeout=5.0) as http:
        numbers = http.get("/v2/list-phone-numbers", params={"limit": 1000}).json()
        agents = http.post("/v2/list-agents", params={"limit": 1000}, json={}).json()
        versions = http.get("/list-agent-versions/agent_voice").json()
        one = http.get("/get-phone-number/+442071838750").json()

    PhoneNumberListResponse.model_validate(numbers, strict=True)
    AgentListResponse.model_validate(agents, strict=True)
    AgentListVersionsResponse.model_validate(versions, strict=True)
    PhoneNumberResponse.model_validate(one, strict=True)

    from retell.types import agent_list_response, agent_list_versions_response
    from retell.types import phone_number_response as pnr

    for page, model in [
        (numbers, PhoneNumberListResponse),
        (agents, AgentListResponse),
        (versions, AgentListVersionsResponse),
    ]:
        _check_keys(page, model, "list page")
    for item in [*numbers["items"], one]:
        _check_keys(item, PhoneNumberResponse, item["phone_number"])
        for entry in item.get("inbound_agents") or []:
            _check_keys(entry, pnr.InboundAgent, "inbound_agents")
        if item.get("sip_outbound_trunk_config"):
            _check_keys(item["sip_outbound_trunk_config"], pnr.SipOutboundTrunkConfig, "sip")
    for item in agents["items"]:
        _check_keys(item, agent_list_response.Item, item["agent_id"])
        for tag in item["tags"].values():
            _check_keys(tag, agent_list_response.ItemTags, "tags")
    for item in versions["items"]:
        _check_keys(item, agent_list_versions_response.Item, "version")

    # Defaults from make_number alone are a valid PhoneNumberResponse.
    PhoneNumberResponse.model_validate(make_number("+14155550999"), strict=True)
    bad = make_number("+14155550999", phone_number_type="retell-plivo")
    with pytest.raises(ValueError):
        PhoneNumberResponse.model_validate(bad, strict=True)


# -- write endpoints ------------------------------------------------------------------

from fake_retell import IMPORT_REQUIRED  # noqa: E402
from sdk_params import SDK_PARAMS, validate_params  # noqa: E402


def _annotation(typed_dict: Any, key: str) -> str:
    value = typed_dict.__annotations__[key]
    return str(getattr(value, "__forward_arg__", value))


@pytest.mark.parametrize("request_name", sorted(SDK_PARAMS))
def test_fake_write_parameters_are_the_sdks(request_name: str) -> None:
    typed_dict, accepted, nullable = SDK_PARAMS[request_name]
    assert set(accepted) == set(typed_dict.__annotations__)
    sdk_nullable = {
        key for key in typed_dict.__annotations__ if "Optional[" in _annotation(typed_dict, key)
    }
    assert sdk_nullable == set(nullable) & set(accepted)
    if request_name == "import":
        required = {
            key for key in typed_dict.__annotations__ if "Required[" in _annotation(typed_dict, key)
        }
        assert required == set(IMPORT_REQUIRED)


def test_sdk_writes_against_the_fake(sdk: Any, fake_retell: FakeRetell) -> None:
    updated = sdk.phone_number.update(
        "+442071838750",
        nickname=None,
        inbound_agents=[{"agent_id": "agent_voice", "weight": 1, "agent_version": "prod"}],
        termination_uri="new.pstn.twilio.com",
        auth_username="user2",
        auth_password="s3cret-value",
        codecs=["opus"],
        transport="TCP",
    )
    assert isinstance(updated, PhoneNumberResponse)
    assert updated.nickname is None
    assert updated.sip_outbound_trunk_config.termination_uri == "new.pstn.twilio.com"
    assert "s3cret-value" not in updated.to_json()
    assert fake_retell.passwords["+442071838750"] == "s3cret-value"
    assert updated.last_modification_timestamp > 1_760_000_000_000

    created = sdk.phone_number.create(
        phone_number="+16505550777", number_provider="telnyx", nickname="new", transport="TLS"
    )
    assert created.phone_number_type == "retell-telnyx"
    imported = sdk.phone_number.import_(
        phone_number="+442071838751",
        termination_uri="trunk.pstn.twilio.com",
        sip_trunk_auth_username="u",
        sip_trunk_auth_password="p",
        codecs=[],
    )
    assert imported.phone_number_type == "custom"
    assert imported.sip_outbound_trunk_config.auth_username == "u"
    assert sdk.phone_number.delete("+16505550777") is None
    assert "+16505550777" not in fake_retell.numbers
    statuses = [(r.method, r.path) for r in fake_retell.writes()]
    assert statuses[-2:] == [
        ("POST", "/import-phone-number"),
        ("DELETE", "/delete-phone-number/+16505550777"),
    ]
    for request in fake_retell.writes():
        if request.method == "PATCH":
            validate_params("update", request.json())
        elif request.path == "/create-phone-number":
            validate_params("create", request.json())
        elif request.path == "/import-phone-number":
            validate_params("import", request.json())


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PATCH", "/update-phone-number/+14155550001", {"area_code": 415}, "area_code"),
        ("PATCH", "/update-phone-number/+14155550001", {"sip_outbound_trunk_config": {}}, "sip"),
        ("PATCH", "/update-phone-number/+14155550001", {"termination_uri": None}, "null"),
        ("PATCH", "/update-phone-number/+14155550001", {"codecs": ["opus"]}, "custom"),
        (
            "PATCH",
            "/update-phone-number/+14155550001",
            {"inbound_agents": [{"agent_id": "a"}]},
            "weight",
        ),
        ("POST", "/create-phone-number", {"inbound_sms_agents": None}, "inbound_sms_agents"),
        ("POST", "/create-phone-number", {"number_provider": "plivo"}, "number_provider"),
        ("POST", "/create-phone-number", {"nickname": None}, "null"),
        ("POST", "/import-phone-number", {"phone_number": "+14155550999"}, "termination_uri"),
        (
            "POST",
            "/import-phone-number",
            {"phone_number": "+1", "termination_uri": "t", "auth_password": "x"},
            "auth_password",
        ),
    ],
)
def test_fake_rejects_what_is_not_a_parameter(
    fake_retell: FakeRetell, method: str, path: str, body: dict[str, Any], message: str
) -> None:
    fake_retell.add_number("+14155550001", nickname="before")
    before = {k: dict(v) for k, v in fake_retell.numbers.items()}
    headers = {"Authorization": f"Bearer {fake_retell.api_key}"}
    with httpx.Client(base_url=fake_retell.base_url, headers=headers, timeout=5.0) as http:
        response = http.request(method, path, json=body)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert fake_retell.numbers == before
    assert fake_retell.passwords == {}
