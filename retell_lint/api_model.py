"""The validating model of a phone-number config (pydantic v2).

It generates the JSON Schema for editors (``retell-lint schema``) and can
validate a config or an API object as a whole. Linting does not import it: the
reader checks each value's type itself, where it knows the position, and builds
the light :mod:`retell_lint.model` (pydantic's import alone would double the
start-up time of a one-file pre-commit run).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from retell_lint.fields import AGENT_FIELDS, AGENT_VERSION_PATTERN, NUMBER_FIELDS, SIP_FIELDS

# The spec's pattern has a negative lookahead, which pydantic's default (Rust) regex
# engine does not support; Python's re does, as do the ECMA-262 engines of JSON Schema
# consumers.
_CONFIG = ConfigDict(extra="forbid", defer_build=True, regex_engine="python-re")

# Strict integers: "3" is not version 3 (the spec's pattern rejects it as a tag).
AgentVersion = (
    Annotated[int, Field(ge=0, strict=True)] | Annotated[str, Field(pattern=AGENT_VERSION_PATTERN)]
)


def _country_codes() -> tuple[str, ...]:
    import pycountry

    return tuple(sorted(str(country.alpha_2) for country in pycountry.countries))


COUNTRY_CODES = _country_codes()
# The schema of one code; the JSON Schema puts it in one definition that every country
# list refers to, rather than the 249 codes spelt out at each of them.
COUNTRY_CODE_SCHEMA: dict[str, Any] = {
    "type": "string",
    "enum": list(COUNTRY_CODES),
    "description": "ISO 3166-1 alpha-2 country code, in capitals: US, GB, DE, ...",
}


def _known_country(code: str) -> str:
    if code not in COUNTRY_CODES:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


CountryCode = Annotated[
    str,
    AfterValidator(_known_country),
    WithJsonSchema(COUNTRY_CODE_SCHEMA),
]
Transport = Literal["TLS", "TCP", "UDP"]


class AgentWeight(BaseModel):
    """One weighted agent of an agent list."""

    model_config = _CONFIG

    agent_id: str = Field(min_length=1, description=AGENT_FIELDS["agent_id"].description)
    weight: float = Field(gt=0, le=1, description=AGENT_FIELDS["weight"].description)
    agent_version: AgentVersion | None = Field(
        default=None, description=AGENT_FIELDS["agent_version"].description
    )


class SipOutboundTrunkConfig(BaseModel):
    """SIP trunk settings of a custom number."""

    model_config = _CONFIG

    termination_uri: str | None = Field(
        default=None, description=SIP_FIELDS["termination_uri"].description
    )
    auth_username: str | None = Field(
        default=None, description=SIP_FIELDS["auth_username"].description
    )
    auth_password: str | None = Field(
        default=None, description=SIP_FIELDS["auth_password"].description
    )
    transport: Transport | None = Field(
        default=None, description=SIP_FIELDS["transport"].description
    )
    codecs: list[str] | None = Field(default=None, description=SIP_FIELDS["codecs"].description)


AgentList = list[AgentWeight] | None
CountryList = list[CountryCode] | None


class PhoneNumberConfig(BaseModel):
    """One Retell phone number, keyed by the Retell API's field names."""

    model_config = _CONFIG

    phone_number: str = Field(
        pattern=r"^\+[1-9][0-9]{1,14}$", description=NUMBER_FIELDS["phone_number"].description
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
    # Parameters of buying (create) or importing a number; the API never returns them.
    number_provider: Literal["twilio", "telnyx"] | None = Field(
        default=None, description=NUMBER_FIELDS["number_provider"].description
    )
    country_code: Literal["US", "CA"] | None = Field(
        default=None, description=NUMBER_FIELDS["country_code"].description
    )
    toll_free: bool | None = Field(
        default=None, strict=True, description=NUMBER_FIELDS["toll_free"].description
    )
    ignore_e164_validation: bool | None = Field(
        default=None, strict=True, description=NUMBER_FIELDS["ignore_e164_validation"].description
    )
    # The API's flat request parameters for the SIP trunk: read into
    # sip_outbound_trunk_config, with RL012 saying to write them there.
    termination_uri: str | None = Field(
        default=None, description=NUMBER_FIELDS["termination_uri"].description
    )
    auth_username: str | None = Field(
        default=None, description=NUMBER_FIELDS["auth_username"].description
    )
    auth_password: str | None = Field(
        default=None, description=NUMBER_FIELDS["auth_password"].description
    )
    transport: Transport | None = Field(
        default=None, description=NUMBER_FIELDS["transport"].description
    )
    codecs: list[str] | None = Field(default=None, description=NUMBER_FIELDS["codecs"].description)
    sip_trunk_auth_username: str | None = Field(
        default=None, description=NUMBER_FIELDS["sip_trunk_auth_username"].description
    )
    sip_trunk_auth_password: str | None = Field(
        default=None, description=NUMBER_FIELDS["sip_trunk_auth_password"].description
    )
    # A directive to retell-lint (apply): never sent to the API.
    state: Literal["present", "absent"] = Field(
        default="present", description=NUMBER_FIELDS["state"].description
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

    model_config = _CONFIG

    phone_numbers: list[PhoneNumberConfig]
