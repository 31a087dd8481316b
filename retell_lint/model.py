"""The typed model of a declared phone number, as the reader builds it.

Plain slotted dataclasses, cheap to import and build. A value the YAML did not
have, or had with the wrong type (already reported), is ``None``; the names of
the fields the YAML declared are in ``fields_set`` (so an explicit ``null`` can
be told from an omitted field). :mod:`retell_lint.api_model` holds the same
shape as validating pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class AgentEntry:
    agent_id: str | None = None
    weight: float | None = None
    agent_version: int | str | None = None
    fields_set: set[str] = field(default_factory=set)


@dataclass(slots=True)
class SipTrunk:
    termination_uri: str | None = None
    auth_username: str | None = None
    auth_password: str | None = None
    transport: str | None = None
    codecs: list[str] | None = None
    fields_set: set[str] = field(default_factory=set)


@dataclass(slots=True)
class PhoneNumber:
    phone_number: str | None = None
    phone_number_type: str | None = None
    nickname: str | None = None
    area_code: int | None = None
    inbound_agents: list[AgentEntry] | None = None
    outbound_agents: list[AgentEntry] | None = None
    inbound_sms_agents: list[AgentEntry] | None = None
    outbound_sms_agents: list[AgentEntry] | None = None
    allowed_inbound_country_list: list[str] | None = None
    allowed_outbound_country_list: list[str] | None = None
    inbound_webhook_url: str | None = None
    inbound_sms_webhook_url: str | None = None
    fallback_number: str | None = None
    sip_outbound_trunk_config: SipTrunk | None = None
    last_modification_timestamp: int | None = None
    phone_number_pretty: str | None = None
    inbound_agent_id: str | None = None
    outbound_agent_id: str | None = None
    inbound_agent_version: int | str | None = None
    outbound_agent_version: int | str | None = None
    inbound_sms_agent_id: str | None = None
    outbound_sms_agent_id: str | None = None
    inbound_sms_agent_version: int | str | None = None
    outbound_sms_agent_version: int | str | None = None
    inbound_allowed_countries: list[str] | None = None
    outbound_allowed_countries: list[str] | None = None
    fields_set: set[str] = field(default_factory=set)
