"""The typed model of a declared phone number, as the reader builds it.

Plain slotted classes, cheap to import and build (a one-file pre-commit run
cannot afford pydantic's or even dataclasses' import). A value the YAML did
not have, or had with the wrong type (already reported), is ``None``; the
names of the fields the YAML declared are in ``fields_set``, so an explicit
``null`` can be told from an omitted field. :mod:`retell_lint.api_model` holds
the same shape as validating pydantic models.
"""

from __future__ import annotations

from typing import Any


class _Record:
    """Attributes for every slot (None unless given) and the set of those given."""

    __slots__ = ("fields_set",)

    def __init__(self, fields_set: set[str] | None = None, **values: Any) -> None:
        for name in self.__slots__:
            setattr(self, name, None)
        for name, value in values.items():
            setattr(self, name, value)
        self.fields_set: set[str] = set(values) if fields_set is None else fields_set

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in sorted(self.fields_set))
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in (*self.__slots__, "fields_set"))

    __hash__ = None  # type: ignore[assignment]


class AgentEntry(_Record):
    __slots__ = ("agent_id", "agent_version", "weight")
    agent_id: str | None
    weight: float | None
    agent_version: int | str | None


class SipTrunk(_Record):
    __slots__ = ("auth_password", "auth_username", "codecs", "termination_uri", "transport")
    termination_uri: str | None
    auth_username: str | None
    auth_password: str | None
    transport: str | None
    codecs: list[str] | None


class PhoneNumber(_Record):
    __slots__ = (
        "allowed_inbound_country_list",
        "allowed_outbound_country_list",
        "area_code",
        "country_code",
        "fallback_number",
        "ignore_e164_validation",
        "inbound_agent_id",
        "inbound_agent_version",
        "inbound_agents",
        "inbound_allowed_countries",
        "inbound_sms_agent_id",
        "inbound_sms_agent_version",
        "inbound_sms_agents",
        "inbound_sms_webhook_url",
        "inbound_webhook_url",
        "last_modification_timestamp",
        "nickname",
        "number_provider",
        "outbound_agent_id",
        "outbound_agent_version",
        "outbound_agents",
        "outbound_allowed_countries",
        "outbound_sms_agent_id",
        "outbound_sms_agent_version",
        "outbound_sms_agents",
        "phone_number",
        "phone_number_pretty",
        "phone_number_type",
        "sip_outbound_trunk_config",
        "state",
        "toll_free",
    )
    phone_number: str | None
    phone_number_type: str | None
    nickname: str | None
    area_code: int | None
    inbound_agents: list[AgentEntry] | None
    outbound_agents: list[AgentEntry] | None
    inbound_sms_agents: list[AgentEntry] | None
    outbound_sms_agents: list[AgentEntry] | None
    allowed_inbound_country_list: list[str] | None
    allowed_outbound_country_list: list[str] | None
    inbound_webhook_url: str | None
    inbound_sms_webhook_url: str | None
    fallback_number: str | None
    sip_outbound_trunk_config: SipTrunk | None
    last_modification_timestamp: int | None
    phone_number_pretty: str | None
    inbound_agent_id: str | None
    outbound_agent_id: str | None
    inbound_agent_version: int | str | None
    outbound_agent_version: int | str | None
    inbound_sms_agent_id: str | None
    outbound_sms_agent_id: str | None
    inbound_sms_agent_version: int | str | None
    outbound_sms_agent_version: int | str | None
    inbound_allowed_countries: list[str] | None
    outbound_allowed_countries: list[str] | None
    number_provider: str | None
    country_code: str | None
    toll_free: bool | None
    ignore_e164_validation: bool | None
    state: str | None
