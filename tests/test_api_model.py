"""The validating pydantic model: it agrees with the JSON Schema generated from it."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from retell_lint.api_model import PhoneNumberConfig

NUMBER = "+14157774444"


def _agents(version: Any) -> dict[str, Any]:
    return {"inbound_agents": [{"agent_id": "a", "weight": 1, "agent_version": version}]}


@pytest.mark.parametrize(
    "fields",
    [
        _agents("prod-eu_2"),
        _agents("latest_published"),
        _agents(0),
        {"outbound_agent_version": "latest"},
        {"allowed_inbound_country_list": ["US", "JE"], "inbound_allowed_countries": ["AX"]},
        {"number_provider": "telnyx", "country_code": "CA", "toll_free": True},
        {"ignore_e164_validation": False},
        {"sip_trunk_auth_password": "${X}", "transport": "UDP", "codecs": ["PCMU"]},
    ],
)
def test_accepts(fields: dict[str, Any]) -> None:
    PhoneNumberConfig.model_validate({"phone_number": NUMBER, **fields})


@pytest.mark.parametrize(
    "fields",
    [
        _agents("v3"),
        _agents("Prod"),
        _agents("3"),
        _agents(-1),
        {"inbound_agent_version": "v12"},
        {"allowed_outbound_country_list": ["USA"]},
        {"outbound_allowed_countries": ["UK"]},
        {"ignore_e164_validation": "true"},
        {"toll_free": "yes"},
        {"number_provider": "vonage"},
        {"country_code": "GB"},
        {"transport": "tls"},
        {"nick_name": "x"},
    ],
)
def test_rejects(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PhoneNumberConfig.model_validate({"phone_number": NUMBER, **fields})
