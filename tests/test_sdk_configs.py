"""Configs built from the official SDK's types lint clean: no false alarms on real shapes.

Ground truth is retell-sdk (a test dependency only): a PhoneNumberResponse with every
field set, and request bodies with every parameter of the create, import and update
params types. Each key's value comes from one table of valid values, and the test
checks that the table covers every key the SDK knows, so a field added to the SDK
fails here until the linter knows it.
"""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest
from lint_helpers import lint_text

retell_types = pytest.importorskip("retell.types")

AGENTS = [
    {"agent_id": "oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD", "weight": 0.7, "agent_version": 3},
    {"agent_id": "agent_7c2b9e4d1f0a4b3c8e5d6f7a9b", "weight": 0.3, "agent_version": "prod"},
]
SMS_AGENTS = [{"agent_id": "agent_chat", "weight": 1, "agent_version": "latest_published"}]

# One valid value for every key of the response and of the three request bodies.
VALUES: dict[str, Any] = {
    "phone_number": "+14157774444",
    "phone_number_type": "custom",
    "phone_number_pretty": "+1 (415) 777-4444",
    "last_modification_timestamp": 1_764_000_000_000,
    "nickname": "Front desk SF",
    "area_code": 415,
    "country_code": "US",
    "number_provider": "twilio",
    "toll_free": False,
    "inbound_agents": AGENTS,
    "outbound_agents": AGENTS,
    "inbound_sms_agents": SMS_AGENTS,
    "outbound_sms_agents": SMS_AGENTS,
    "allowed_inbound_country_list": ["US", "CA"],
    "allowed_outbound_country_list": ["US", "CA"],
    "inbound_webhook_url": "https://hooks.example.com/retell/inbound",
    "inbound_sms_webhook_url": "https://hooks.example.com/retell/sms",
    "fallback_number": "+14155551234",
    "sip_outbound_trunk_config": {
        "termination_uri": "frontdesk.pstn.twilio.com",
        "auth_username": "frontdesk",
        "transport": "TLS",
        "codecs": ["PCMU", "PCMA"],
    },
    "termination_uri": "frontdesk.pstn.twilio.com",
    "auth_username": "frontdesk",
    "auth_password": "${SIP_TRUNK_PASSWORD}",
    "sip_trunk_auth_username": "frontdesk",
    "sip_trunk_auth_password": "$SIP_TRUNK_PASSWORD",
    "transport": "TLS",
    "codecs": ["PCMU", "PCMA"],
    "ignore_e164_validation": False,
}


def _keys(params_type: Any) -> list[str]:
    return list(typing.get_type_hints(params_type))


def _lint_body(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    # JSON is YAML 1.2: the body as an API client would send it.
    findings = lint_text(json.dumps(body, indent=2))
    return [(f.rule, f.severity, f.path) for f in findings if f.severity != "info"]


def test_response_with_every_field_set_lints_clean() -> None:
    response_type = retell_types.PhoneNumberResponse
    keys = list(response_type.model_fields)
    assert set(keys) <= set(VALUES), set(keys) - set(VALUES)
    response = response_type.model_validate({key: VALUES[key] for key in keys})
    dumped = response.model_dump(mode="json", exclude_unset=True)
    assert set(dumped) == set(keys)
    assert _lint_body(dumped) == []


@pytest.mark.parametrize("kind", ["retell-twilio", "retell-telnyx"])
def test_response_of_a_bought_number_lints_clean(kind: str) -> None:
    # A bought number has no SIP trunk of yours; everything else is set.
    keys = [
        k for k in retell_types.PhoneNumberResponse.model_fields if k != "sip_outbound_trunk_config"
    ]
    body = {key: VALUES[key] for key in keys} | {"phone_number_type": kind}
    assert _lint_body(body) == []


@pytest.mark.parametrize(
    ("module", "type_name"),
    [
        ("phone_number_create_params", "PhoneNumberCreateParams"),
        ("phone_number_import_params", "PhoneNumberImportParams"),
        ("phone_number_update_params", "PhoneNumberUpdateParams"),
    ],
)
def test_request_body_with_every_parameter_lints_clean(module: str, type_name: str) -> None:
    import importlib

    params_type = getattr(importlib.import_module(f"retell.types.{module}"), type_name)
    keys = _keys(params_type)
    assert set(keys) <= set(VALUES), set(keys) - set(VALUES)
    body = {key: VALUES[key] for key in keys}
    # The update body names its number in the path; a config names it in the file.
    body.setdefault("phone_number", VALUES["phone_number"])
    assert _lint_body(body) == []
    # The flat SIP parameter names are known (RL012, info), never unknown fields.
    findings = lint_text(json.dumps(body, indent=2))
    assert "RL003" not in {f.rule for f in findings}


def test_every_sdk_key_is_a_known_field() -> None:
    from retell_lint.fields import NUMBER_FIELDS

    for module, type_name in (
        ("phone_number_create_params", "PhoneNumberCreateParams"),
        ("phone_number_import_params", "PhoneNumberImportParams"),
        ("phone_number_update_params", "PhoneNumberUpdateParams"),
    ):
        import importlib

        params_type = getattr(importlib.import_module(f"retell.types.{module}"), type_name)
        assert set(_keys(params_type)) <= set(NUMBER_FIELDS), type_name
    assert set(retell_types.PhoneNumberResponse.model_fields) <= set(NUMBER_FIELDS)
