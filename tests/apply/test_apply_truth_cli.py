"""Apply against the fake Retell API: the bodies are the files' values and valid for the
SDK's params types, nothing the contract forbids is sent whatever the configuration
switches off, and drift right after apply finds nothing for the numbers it wrote."""

from __future__ import annotations

from typing import Any

import pytest
from drift_support import Cli
from fake_retell import FakeRetell

try:
    from sdk_params import request_name, validate_params
except (ImportError, pytest.skip.Exception):  # retell-sdk not installed
    validate_params = None  # type: ignore[assignment]


def bodies(fake: FakeRetell) -> list[tuple[str, str, Any]]:
    """(method, path, body) of every write, each checked against the SDK's params."""
    found = []
    for request in fake.writes():
        body = request.json()
        if validate_params is not None:
            name = request_name(request.method, request.path)
            if name is not None:
                validate_params(name, body)
        found.append((request.method, request.path, body))
    return found


def api_defaults(obj: dict[str, Any]) -> None:
    """As the API does: a transport left unset or set to null reads back as TCP."""
    sip = dict(obj.get("sip_outbound_trunk_config") or {})
    if sip.get("transport") is None:
        sip["transport"] = "TCP"
        obj["sip_outbound_trunk_config"] = sip


@pytest.fixture
def strict(fake: FakeRetell) -> FakeRetell:
    fake.write_hook = api_defaults
    return fake


# -- no drift after apply: create-only and defaulted fields ---------------------------


@pytest.mark.parametrize(
    ("declared", "sent"),
    [
        # area_code and country_code: create-only; a Canadian number names its country.
        (
            'phone_number: "+16045550100"\nphone_number_type: retell-twilio\narea_code: 604\n',
            {"area_code": 604, "number_provider": "twilio", "country_code": "CA"},
        ),
        (
            'phone_number: "+16045550100"\nphone_number_type: retell-twilio\ncountry_code: CA\n',
            {"country_code": "CA", "number_provider": "twilio"},
        ),
        (
            'phone_number: "+18005550100"\nphone_number_type: retell-twilio\ntoll_free: true\n',
            {"toll_free": True, "number_provider": "twilio"},
        ),
        (
            'phone_number: "+14157770100"\nphone_number_type: retell-telnyx\n'
            "number_provider: telnyx\n",
            {"number_provider": "telnyx"},
        ),
        # transport: null reads back as the default, TCP.
        (
            'phone_number: "+14157770100"\nphone_number_type: retell-twilio\n'
            "sip_outbound_trunk_config:\n  transport: null\n",
            {"number_provider": "twilio"},
        ),
    ],
    ids=["area_code", "country_code", "toll_free", "number_provider", "transport-null"],
)
def test_drift_is_clean_right_after_create(
    strict: FakeRetell, cli: Cli, declared: str, sent: dict[str, Any]
) -> None:
    cli.write("retell/n.yaml", declared)
    result = cli("apply", "--yes", "--allow-create")
    assert result.code == 0, result.err + result.out
    ((method, path, body),) = bodies(strict)
    assert (method, path) == ("POST", "/create-phone-number")
    assert {k: v for k, v in body.items() if k != "phone_number"} == sent
    drift = cli("drift")
    assert drift.code == 0, drift.out


def test_drift_is_clean_after_unsetting_the_transport(strict: FakeRetell, cli: Cli) -> None:
    strict.add_number(
        "+14157770001",
        phone_number_type="custom",
        sip_outbound_trunk_config={"termination_uri": "t.example.com", "transport": "TLS"},
    )
    cli.write(
        "retell/n.yaml",
        'phone_number: "+14157770001"\nphone_number_type: custom\n'
        "sip_outbound_trunk_config:\n  transport: null\n",
    )
    result = cli("apply", "--yes")
    assert result.code == 0, result.err + result.out
    assert bodies(strict) == [("PATCH", "/update-phone-number/+14157770001", {"transport": None})]
    assert strict.numbers["+14157770001"]["sip_outbound_trunk_config"]["transport"] == "TCP"
    assert cli("drift").code == 0
    assert cli("plan").code == 0


# -- the contract holds whatever .retell-lint.yaml switches off -------------------------


@pytest.mark.parametrize(
    ("rules", "declared", "field"),
    [
        (
            "RL101: off",
            'phone_number: "+1415555\u0661\u0662\u0663\u0664"\nphone_number_type: retell-twilio\n',
            "phone_number",
        ),
        (
            "RL306: off",
            'phone_number: "+14157770100"\nphone_number_type: retell-twilio\ninbound_agents:\n'
            "  - {agent_id: a, weight: 1, agent_version: v3}\n",
            "inbound_agents",
        ),
        (
            "RL201: off",
            'phone_number: "+14157770100"\nphone_number_type: retell-twilio\n'
            "allowed_inbound_country_list: [us]\n",
            "allowed_inbound_country_list",
        ),
        (
            "RL302: off",
            'phone_number: "+14157770100"\nphone_number_type: retell-twilio\ninbound_agents:\n'
            "  - {agent_id: a, weight: 0}\n  - {agent_id: b, weight: 1}\n",
            "inbound_agents",
        ),
    ],
    ids=["unicode-digits", "v3", "lower-case-country", "zero-weight"],
)
def test_nothing_the_api_refuses_is_sent(
    fake: FakeRetell, cli: Cli, rules: str, declared: str, field: str
) -> None:
    cli.write(".retell-lint.yaml", f"rules:\n  {rules}\n")
    cli.write("retell/n.yaml", declared)
    assert cli("check", "retell").code == 0, "the rule is off: check finds nothing"
    result = cli("apply", "--yes", "--allow-create")
    assert result.code == 1, result.err + result.out
    assert fake.writes() == []
    assert f" {field}: " in result.out
    assert "the API does not accept it" in result.out
    assert "difference apply cannot make" in result.out


def test_a_suppressed_error_is_not_sent_either(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157770100")
    cli.write(
        "retell/n.yaml",
        'phone_number: "+14157770100"\ninbound_agents:\n'
        "  - {agent_id: a, weight: 1, agent_version: v3}  # retell-lint: ignore[RL306]\n",
    )
    assert cli("check", "retell").code == 0
    result = cli("apply", "--yes")
    assert result.code == 1 and fake.writes() == []


def test_trunk_settings_of_a_managed_number_are_shown_and_never_sent(
    fake: FakeRetell, cli: Cli
) -> None:
    fake.add_number("+14157770100", phone_number_type="retell-twilio")
    cli.write(
        "retell/n.yaml",
        'phone_number: "+14157770100"\nphone_number_type: retell-twilio\n'
        "sip_outbound_trunk_config:\n  termination_uri: x.pstn.twilio.com\n  transport: TLS\n",
    )
    plan = cli("plan")
    assert plan.code == 1
    assert "sip_outbound_trunk_config.termination_uri" in plan.out
    assert "managed by Retell" in plan.out
    result = cli("apply", "--yes")
    assert bodies(fake) == [("PATCH", "/update-phone-number/+14157770100", {"transport": "TLS"})]
    assert result.code == 1  # the termination_uri difference stays


def test_weights_reach_the_api_as_written(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157770100")
    third = 0.3333333333333333
    cli.write(
        "retell/n.yaml",
        'phone_number: "+14157770100"\ninbound_agents:\n'
        + "".join(f"  - {{agent_id: {a}, weight: {third!r}}}\n" for a in "abc"),
    )
    result = cli("apply", "--yes")
    assert result.code == 0, result.err + result.out
    ((_method, _path, body),) = bodies(fake)
    assert [e["weight"] for e in body["inbound_agents"]] == [third] * 3
    assert cli("drift").code == 0


@pytest.mark.parametrize(
    ("declared", "sent"),
    [
        ("sip_outbound_trunk_config:\n  codecs: null\n", {"codecs": []}),
        ("sip_outbound_trunk_config:\n  codecs: []\n", {"codecs": []}),
        ("nickname: null\n", {"nickname": None}),
        ("allowed_inbound_country_list: []\n", {"allowed_inbound_country_list": []}),
        ("inbound_agents: null\n", {"inbound_agents": None}),
    ],
    ids=["codecs-null", "codecs-empty", "nickname-null", "countries-empty", "agents-null"],
)
def test_drift_is_clean_after_clearing_a_field(
    strict: FakeRetell, cli: Cli, declared: str, sent: dict[str, Any]
) -> None:
    strict.add_number(
        "+14157770001",
        phone_number_type="custom",
        nickname="Old",
        allowed_inbound_country_list=["US"],
        inbound_agents=[{"agent_id": "a", "weight": 1.0}],
        sip_outbound_trunk_config={"termination_uri": "t.example.com", "codecs": ["PCMU"]},
    )
    cli.write(
        "retell/n.yaml", 'phone_number: "+14157770001"\nphone_number_type: custom\n' + declared
    )
    result = cli("apply", "--yes")
    assert result.code == 0, result.err + result.out
    assert bodies(strict) == [("PATCH", "/update-phone-number/+14157770001", sent)]
    assert cli("drift").code == 0


def test_drift_is_clean_right_after_import(strict: FakeRetell, cli: Cli) -> None:
    cli.write(
        "retell/n.yaml",
        'phone_number: "+15550000001"\nphone_number_type: custom\n'
        "ignore_e164_validation: true\n"
        "sip_outbound_trunk_config:\n  termination_uri: t.example.com\n"
        "  transport: null\n  codecs: []\n",
    )
    result = cli("apply", "--yes", "--allow-create")
    assert result.code == 0, result.err + result.out
    assert bodies(strict) == [
        (
            "POST",
            "/import-phone-number",
            {
                "phone_number": "+15550000001",
                "termination_uri": "t.example.com",
                "ignore_e164_validation": True,
            },
        )
    ]
    assert cli("drift").code == 0
