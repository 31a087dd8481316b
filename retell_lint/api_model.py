"""The validating model of a phone-number config (pydantic v2).

It generates the JSON Schema for editors (``retell-lint schema``) and can
validate a config or an API object as a whole. Linting does not import it: the
reader checks each value's type itself, where it knows the position, and builds
the light :mod:`retell_lint.model` (pydantic's import alone would double the
start-up time of a one-file pre-commit run).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, SIP_FIELDS

AGENT_VERSION_TAG_PATTERN = r"^[a-z0-9_-]{1,20}$"

AgentVersion = (
    Annotated[int, Field(ge=0)]
    | Annotated[str, Field(pattern=AGENT_VERSION_TAG_PATTERN, min_length=1, max_length=20)]
)


class AgentWeight(BaseModel):
    """One weighted agent of an agent list."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    agent_id: str = Field(min_length=1, description=AGENT_FIELDS["agent_id"].description)
    weight: float = Field(gt=0, le=1, description=AGENT_FIELDS["weight"].description)
    agent_version: AgentVersion | None = Field(
        default=None, description=AGENT_FIELDS["agent_version"].description
    )


class SipOutboundTrunkConfig(BaseModel):
    """SIP trunk settings of a custom number."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    termination_uri: str | None = Field(
        default=None, description=SIP_FIELDS["termination_uri"].description
    )
    auth_username: str | None = Field(
        default=None, description=SIP_FIELDS["auth_username"].description
    )
    auth_password: str | None = Field(
        default=None, description=SIP_FIELDS["auth_password"].description
    )
    transport: Literal["TLS", "TCP", "UDP"] | None = Field(
        default=None, description=SIP_FIELDS["transport"].description
    )
    codecs: list[str] | None = Field(default=None, description=SIP_FIELDS["codecs"].description)


AgentList = list[AgentWeight] | None
CountryList = list[str] | None


class PhoneNumberConfig(BaseModel):
    """One Retell phone number, keyed by the Retell API's field names."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    phone_number: str = Field(
        pattern=r"^\+[1-9]\d{1,14}$", description=NUMBER_FIELDS["phone_number"].description
    )
    phone_number_type: Literal["retell-twilio", "retell-telnyx", "custom"] | None = Field(
        default=None, description=NUMBER_FIELDS["phone_number_type"].description
    )
    nickname: str | None = Field(default=None, description=NUMBER_FIELDS["nickname"].description)
    area_code: int | None = Field(
        default=None, ge=200, le=999, description=NUMBER_FIELDS["area_code"].description
    )
    inbound_agents: AgentList = Field(
        default=None, description=NUMBER_FIELDS["inbound_agents"].description
    )
    outbound_agents: AgentList = Field(
        default=None, description=NUMBER_FIELDS["outbound_agents"].description
    )
    inbound_sms_agents: AgentList = Field(
        default=None, description=NUMBER_FIELDS["inbound_sms_agents"].description
    )
    outbound_sms_agents: AgentList = Field(
        default=None, description=NUMBER_FIELDS["outbound_sms_agents"].description
    )
    allowed_inbound_country_list: CountryList = Field(
        default=None, description=NUMBER_FIELDS["allowed_inbound_country_list"].description
    )
    allowed_outbound_country_list: CountryList = Field(
        default=None, description=NUMBER_FIELDS["allowed_outbound_country_list"].description
    )
    inbound_webhook_url: str | None = Field(
        default=None, description=NUMBER_FIELDS["inbound_webhook_url"].description
    )
    inbound_sms_webhook_url: str | None = Field(
        default=None, description=NUMBER_FIELDS["inbound_sms_webhook_url"].description
    )
    fallback_number: str | None = Field(
        default=None, description=NUMBER_FIELDS["fallback_number"].description
    )
    sip_outbound_trunk_config: SipOutboundTrunkConfig | None = Field(
        default=None, description=NUMBER_FIELDS["sip_outbound_trunk_config"].description
    )
    # Computed by the API: recognised, reported, never compared.
    last_modification_timestamp: int | None = Field(
        default=None, description=NUMBER_FIELDS["last_modification_timestamp"].description
    )
    phone_number_pretty: str | None = Field(
        default=None, description=NUMBER_FIELDS["phone_number_pretty"].description
    )
    # Removed from the API in 2026: recognised so rules can say what to write instead.
    inbound_agent_id: str | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["inbound_agent_id"].description,
    )
    outbound_agent_id: str | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["outbound_agent_id"].description,
    )
    inbound_agent_version: AgentVersion | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["inbound_agent_version"].description,
    )
    outbound_agent_version: AgentVersion | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["outbound_agent_version"].description,
    )
    inbound_sms_agent_id: str | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["inbound_sms_agent_id"].description,
    )
    outbound_sms_agent_id: str | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["outbound_sms_agent_id"].description,
    )
    inbound_sms_agent_version: AgentVersion | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["inbound_sms_agent_version"].description,
    )
    outbound_sms_agent_version: AgentVersion | None = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["outbound_sms_agent_version"].description,
    )
    inbound_allowed_countries: CountryList = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["inbound_allowed_countries"].description,
    )
    outbound_allowed_countries: CountryList = Field(
        default=None,
        json_schema_extra={"deprecated": True},
        description=NUMBER_FIELDS["outbound_allowed_countries"].description,
    )


class PhoneNumberList(BaseModel):
    """A file (or document) holding several numbers."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    phone_numbers: list[PhoneNumberConfig]
