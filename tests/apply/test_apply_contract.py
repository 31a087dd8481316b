"""The API's contract for write bodies (apply/contract.py), against the SDK's params
types and Retell's OpenAPI constraints."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from retell_lint.apply.contract import (
    NULLABLE,
    PARAMETERS,
    REQUIRED,
    agents_problem,
    e164_problem,
    problems,
    version_problem,
)
from retell_lint.fields import Request


def sdk_params(request: Request) -> Any:
    pytest.importorskip("retell")
    from retell.types import (
        phone_number_create_params,
        phone_number_import_params,
        phone_number_update_params,
    )

    return {
        "create": phone_number_create_params.PhoneNumberCreateParams,
        "import": phone_number_import_params.PhoneNumberImportParams,
        "update": phone_number_update_params.PhoneNumberUpdateParams,
    }[request]


@pytest.mark.parametrize("request_name", ["create", "import", "update"])
def test_parameters_and_nullability_are_the_sdks(request_name: Request) -> None:
    typed = sdk_params(request_name)
    hints = typing.get_type_hints(typed, include_extras=True)
    assert PARAMETERS[request_name] == set(hints)
    nullable = {name for name, hint in hints.items() if type(None) in _args(hint)}
    assert NULLABLE[request_name] & set(hints) == nullable
    required = {n for n, hint in hints.items() if typing.get_origin(hint) is typing.Required}
    assert REQUIRED[request_name] == required


def _args(hint: Any) -> tuple[Any, ...]:
    # Required[X] / NotRequired[X] wrap the type itself.
    while typing.get_origin(hint) in (typing.Required, typing.NotRequired):
        (hint,) = typing.get_args(hint)
    return typing.get_args(hint)


ONE = [{"agent_id": "a", "weight": 1}]


@pytest.mark.parametrize(
    ("weight", "ok"),
    [
        (1, True),
        (1.0, True),
        (1e-10, False),  # alone it does not add up to 1; see the pair below
        (0, False),  # exclusiveMinimum: 0
        (0.0, False),
        (-0.5, False),
        (1.0000001, False),  # maximum: 1
        (float("nan"), False),
        (float("inf"), False),
        (True, False),
        ("1", False),
    ],
)
def test_weight_range(weight: Any, ok: bool) -> None:
    assert (agents_problem([{"agent_id": "a", "weight": weight}]) is None) is ok


def test_a_tiny_weight_is_valid() -> None:
    assert (
        agents_problem([{"agent_id": "a", "weight": 1e-10}, {"agent_id": "b", "weight": 1 - 1e-10}])
        is None
    )


@pytest.mark.parametrize(
    ("weights", "ok"),
    [
        ([0.333333, 0.333333, 0.333334], True),
        ([0.333333] * 3, True),  # 0.999999: RL301's tolerance
        ([0.3333333333333333] * 3, True),
        ([0.5, 0.49999], False),
        ([0.5, 0.5, 0.1], False),
    ],
)
def test_weights_add_up_to_one(weights: list[float], ok: bool) -> None:
    entries = [{"agent_id": f"a{i}", "weight": w} for i, w in enumerate(weights)]
    assert (agents_problem(entries) is None) is ok


@pytest.mark.parametrize(
    ("entries", "words"),
    [
        ([{"weight": 1}], "needs a non-empty agent_id"),
        ([{"agent_id": "", "weight": 1}], "needs a non-empty agent_id"),
        ([{"agent_id": 5, "weight": 1}], "needs a non-empty agent_id"),
        ([{"agent_id": "a"}], "needs a numeric weight"),
        ([{"agent_id": "a", "weight": 1, "priority": 2}], "has priority"),
        (["a"], "must be a mapping"),
        ("a", "must be a list"),
    ],
)
def test_agent_entry_shape(entries: Any, words: str) -> None:
    problem = agents_problem(entries)
    assert problem is not None and words in problem


@pytest.mark.parametrize(
    ("version", "ok"),
    [
        (0, True),
        (17, True),
        (2**63 - 1, True),
        (2**63, False),
        (-1, False),
        (True, False),
        (1.0, False),
        ("latest", True),
        ("latest_published", True),
        ("prod", True),
        ("prod-eu_2", True),
        ("a" * 20, True),
        ("a" * 21, False),
        ("v3", False),
        ("v", True),
        ("v3a", True),
        ("3", False),
        ("2026-q4", False),
        ("_beta", False),
        ("Prod", False),
        ("pr\u00f6d", False),
        ("v\u0663", False),
        ("prod\n", False),
        ("", False),
    ],
)
def test_agent_version_pattern(version: Any, ok: bool) -> None:
    assert (version_problem(version) is None) is ok


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("+14155551234", True),
        ("+442071838750", True),
        ("+1415555\u0661\u0662\u0663\u0664", False),
        ("+1415555\uff11\uff12\uff13\uff14", False),
        ("+14155551234\n", False),
        ("14155551234", False),
        ("+1 415 555 1234", False),
        ("+04155551234", False),
        ("+1234567890123456", False),
        (14155551234, False),
    ],
)
def test_e164(number: Any, ok: bool) -> None:
    assert (e164_problem(number) is None) is ok


def reasons(request: Request, body: dict[str, Any], kind: str | None = None) -> list[str]:
    return [name for name, _reason in problems(request, body, number_type=kind)]


def test_request_parameters() -> None:
    assert reasons("update", {"area_code": 415}) == ["area_code"]
    assert reasons("create", {"inbound_sms_agents": ONE}) == ["inbound_sms_agents"]
    assert reasons("import", {"phone_number": "+14155551234"}) == ["termination_uri"]
    assert reasons("update", {"nickname": None}) == []
    assert reasons("create", {"nickname": None}) == ["nickname"]
    assert reasons("update", {"termination_uri": None}) == ["termination_uri"]
    assert reasons("update", {"transport": None}) == []


@pytest.mark.parametrize(
    ("request_name", "body"),
    [
        ("create", {"country_code": "GB"}),
        ("create", {"country_code": "us"}),
        ("create", {"number_provider": "Twilio"}),
        ("update", {"transport": "tls"}),
        ("create", {"toll_free": "true"}),
        ("import", {"phone_number": "+1", "termination_uri": "t", "ignore_e164_validation": 1}),
        ("create", {"area_code": 41}),
        ("create", {"area_code": "415"}),
        ("create", {"area_code": True}),
        ("update", {"allowed_inbound_country_list": ["us"]}),
        ("update", {"allowed_inbound_country_list": ["USA"]}),
        ("update", {"allowed_inbound_country_list": ["ZZ"]}),
        ("update", {"allowed_inbound_country_list": "US"}),
        ("update", {"codecs": ["PCMU", 7]}),
        ("update", {"nickname": 5}),
        ("update", {"fallback_number": "(415) 555-1234"}),
        ("update", {"inbound_webhook_url": ["https://x"]}),
    ],
)
def test_values_the_api_refuses(request_name: Request, body: dict[str, Any]) -> None:
    # The value under test is the body's last parameter.
    assert reasons(request_name, body) == [list(body)[-1]]


def test_pseudo_numbers_are_taken_only_when_the_import_skips_validation() -> None:
    pseudo = {"phone_number": "internal-7", "termination_uri": "t.example.com"}
    assert reasons("import", pseudo) == []
    assert reasons("import", {**pseudo, "ignore_e164_validation": False}) == ["phone_number"]
    other_digits = {**pseudo, "phone_number": "internal-\u0667"}
    assert reasons("import", other_digits) == ["phone_number"]
    assert reasons("create", {"phone_number": "internal-7"}) == ["phone_number"]


@pytest.mark.parametrize("kind", ["retell-twilio", "retell-telnyx"])
def test_managed_numbers_take_no_trunk_parameters(kind: str) -> None:
    body = {
        "termination_uri": "t",
        "auth_username": "u",
        "auth_password": {"from_env": "PW"},
        "codecs": ["PCMU"],
        "transport": "TLS",
    }
    assert reasons("update", body, kind) == [
        "termination_uri",
        "auth_username",
        "auth_password",
        "codecs",
    ]
    assert reasons("update", body, "custom") == []
    assert reasons("update", body, None) == []
