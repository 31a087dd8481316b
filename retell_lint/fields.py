"""Every field a phone-number config may hold: its shape, its kind and its meaning.

This table is the single source for the reader (which keys are known and what
type each must have), the pydantic model's descriptions, the JSON Schema, and
the drift diff (which fields are compared and how).

Kinds, as drift tools name them:

- ``managed``: compared with the live account.
- ``computed``: set by the API (read-only); never compared.
- ``create_only``: compared when declared, but an update cannot change it.
- ``secret``: write-only; never compared and never printed.
- ``legacy``: removed from the API in 2026; recognised so rules can report it.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Shape = Literal["str", "phone", "int", "number", "version", "agents", "str_list", "sip"]
Kind = Literal["managed", "computed", "create_only", "secret", "legacy"]


class FieldSpec(NamedTuple):
    name: str
    shape: Shape
    kind: Kind
    description: str
    nullable: bool = True
    # For legacy fields: what to write instead.
    replacement: str | None = None


def _table(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in specs}


AGENT_LISTS = ("inbound_agents", "outbound_agents", "inbound_sms_agents", "outbound_sms_agents")
COUNTRY_LISTS = ("allowed_inbound_country_list", "allowed_outbound_country_list")
WEBHOOK_FIELDS = ("inbound_webhook_url", "inbound_sms_webhook_url")
PHONE_NUMBER_TYPES = ("retell-twilio", "retell-telnyx", "custom")
SIP_TRANSPORTS = ("TLS", "TCP", "UDP")

_AGENT_LIST_TEXT = (
    "Agents bound to the number for {what}, with weights. One agent is picked at random "
    "for each {unit}, with probability proportional to its weight; the weights must add "
    "up to 1. Null or empty: no agent{consequence}."
)

NUMBER_FIELDS: dict[str, FieldSpec] = _table(
    FieldSpec(
        "phone_number",
        "phone",
        "managed",
        "E.164 form of the number (+country code, then digits, no spaces); the number's "
        "identifier in the Retell API.",
        nullable=False,
    ),
    FieldSpec(
        "phone_number_type",
        "str",
        "create_only",
        "Type of the number: retell-twilio or retell-telnyx (bought through Retell) or "
        "custom (imported over a SIP trunk).",
        nullable=False,
    ),
    FieldSpec("nickname", "str", "managed", "Nickname of the number, for your reference only."),
    FieldSpec(
        "area_code",
        "int",
        "create_only",
        "Area code the number was bought in: a 3-digit US area code. Set when the number is "
        "created; an update cannot change it.",
    ),
    FieldSpec(
        "inbound_agents",
        "agents",
        "managed",
        _AGENT_LIST_TEXT.format(
            what="inbound calls", unit="inbound call", consequence=": inbound calls are rejected"
        ),
    ),
    FieldSpec(
        "outbound_agents",
        "agents",
        "managed",
        _AGENT_LIST_TEXT.format(
            what="outbound calls",
            unit="outbound call",
            consequence=": outbound calls need an agent override",
        ),
    ),
    FieldSpec(
        "inbound_sms_agents",
        "agents",
        "managed",
        _AGENT_LIST_TEXT.format(what="inbound SMS", unit="inbound SMS", consequence=""),
    ),
    FieldSpec(
        "outbound_sms_agents",
        "agents",
        "managed",
        _AGENT_LIST_TEXT.format(what="outbound SMS", unit="outbound SMS", consequence=""),
    ),
    FieldSpec(
        "allowed_inbound_country_list",
        "str_list",
        "managed",
        "ISO 3166-1 alpha-2 codes of the countries inbound calls may come from. Null or "
        "empty: every country is allowed.",
    ),
    FieldSpec(
        "allowed_outbound_country_list",
        "str_list",
        "managed",
        "ISO 3166-1 alpha-2 codes of the countries outbound calls may go to. Null or empty: "
        "every country is allowed.",
    ),
    FieldSpec(
        "inbound_webhook_url",
        "str",
        "managed",
        "URL Retell calls on each inbound call, to override the agent, set dynamic variables "
        "or reject the call.",
    ),
    FieldSpec(
        "inbound_sms_webhook_url",
        "str",
        "managed",
        "URL Retell calls on each inbound SMS, to override the agent or set dynamic variables.",
    ),
    FieldSpec(
        "fallback_number",
        "phone",
        "managed",
        "E.164 number inbound calls go to when no call slot frees up. Cannot be this number, "
        "nor a number that has a fallback of its own.",
    ),
    FieldSpec(
        "sip_outbound_trunk_config",
        "sip",
        "managed",
        "SIP trunk for outbound calls of a custom (imported) number.",
    ),
    FieldSpec(
        "last_modification_timestamp",
        "int",
        "computed",
        "Read-only: time of the last change, in milliseconds since the epoch. Ignored.",
    ),
    FieldSpec(
        "phone_number_pretty",
        "str",
        "computed",
        "Read-only: the number formatted for people. Ignored.",
    ),
    FieldSpec(
        "inbound_agent_id",
        "str",
        "legacy",
        "Removed in 2026: use inbound_agents.",
        replacement="inbound_agents: [{agent_id: ..., weight: 1}]",
    ),
    FieldSpec(
        "outbound_agent_id",
        "str",
        "legacy",
        "Removed in 2026: use outbound_agents.",
        replacement="outbound_agents: [{agent_id: ..., weight: 1}]",
    ),
    FieldSpec(
        "inbound_agent_version",
        "version",
        "legacy",
        "Removed in 2026: use agent_version in inbound_agents.",
        replacement="agent_version in the inbound_agents entry",
    ),
    FieldSpec(
        "outbound_agent_version",
        "version",
        "legacy",
        "Removed in 2026: use agent_version in outbound_agents.",
        replacement="agent_version in the outbound_agents entry",
    ),
    FieldSpec(
        "inbound_sms_agent_id",
        "str",
        "legacy",
        "Removed in 2026: use inbound_sms_agents.",
        replacement="inbound_sms_agents: [{agent_id: ..., weight: 1}]",
    ),
    FieldSpec(
        "outbound_sms_agent_id",
        "str",
        "legacy",
        "Removed in 2026: use outbound_sms_agents.",
        replacement="outbound_sms_agents: [{agent_id: ..., weight: 1}]",
    ),
    FieldSpec(
        "inbound_sms_agent_version",
        "version",
        "legacy",
        "Removed in 2026: use agent_version in inbound_sms_agents.",
        replacement="agent_version in the inbound_sms_agents entry",
    ),
    FieldSpec(
        "outbound_sms_agent_version",
        "version",
        "legacy",
        "Removed in 2026: use agent_version in outbound_sms_agents.",
        replacement="agent_version in the outbound_sms_agents entry",
    ),
    FieldSpec(
        "inbound_allowed_countries",
        "str_list",
        "legacy",
        "Renamed in 2026: use allowed_inbound_country_list.",
        replacement="allowed_inbound_country_list",
    ),
    FieldSpec(
        "outbound_allowed_countries",
        "str_list",
        "legacy",
        "Renamed in 2026: use allowed_outbound_country_list.",
        replacement="allowed_outbound_country_list",
    ),
)

AGENT_FIELDS: dict[str, FieldSpec] = _table(
    FieldSpec("agent_id", "str", "managed", "Id of the agent (non-empty).", nullable=False),
    FieldSpec(
        "weight",
        "number",
        "managed",
        "Share of calls or messages for this agent: more than 0, at most 1; the weights of "
        "one list add up to 1.",
        nullable=False,
    ),
    FieldSpec(
        "agent_version",
        "version",
        "managed",
        "Agent version: an integer >= 0, or a tag of 1-20 characters of a-z, 0-9, _ and - "
        "(latest and latest_published are special). Omitted: the latest version.",
    ),
)

SIP_FIELDS: dict[str, FieldSpec] = _table(
    FieldSpec("termination_uri", "str", "managed", "SIP trunk termination URI."),
    FieldSpec("auth_username", "str", "managed", "SIP trunk user name."),
    FieldSpec(
        "auth_password",
        "str",
        "secret",
        "SIP trunk password: write an environment reference such as ${SIP_PASSWORD}, never "
        "the password itself. Write-only: never compared with the account.",
    ),
    FieldSpec("transport", "str", "managed", "SIP transport: TLS, TCP or UDP (default TCP)."),
    FieldSpec(
        "codecs",
        "str_list",
        "managed",
        "Codecs offered on the trunk (custom numbers only); empty: the gateway's defaults.",
    ),
)

# Single-agent legacy fields by direction: (list field, id field, version field).
LEGACY_AGENT_DIRECTIONS: tuple[tuple[str, str, str], ...] = (
    ("inbound_agents", "inbound_agent_id", "inbound_agent_version"),
    ("outbound_agents", "outbound_agent_id", "outbound_agent_version"),
    ("inbound_sms_agents", "inbound_sms_agent_id", "inbound_sms_agent_version"),
    ("outbound_sms_agents", "outbound_sms_agent_id", "outbound_sms_agent_version"),
)
LEGACY_COUNTRY_LISTS = {
    "inbound_allowed_countries": "allowed_inbound_country_list",
    "outbound_allowed_countries": "allowed_outbound_country_list",
}
