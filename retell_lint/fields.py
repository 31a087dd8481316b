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
- ``api_alias``: a request parameter's flat name for a field whose canonical place
  is elsewhere (``transport`` → ``sip_outbound_trunk_config.transport``); read into
  the canonical place and reported by RL012 with where to write it.
- ``directive``: an instruction to retell-lint itself (``state: absent``); never sent
  to the API and never compared.

``requests`` says which request bodies accept a field (``create``: POST
/create-phone-number, ``import``: POST /import-phone-number, ``update``: PATCH
/update-phone-number); ``in_response`` whether the API returns it (a field it never
returns cannot drift). ``choices`` lists the values the API accepts, where it has
a closed set.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Shape = Literal["str", "phone", "int", "number", "bool", "version", "agents", "str_list", "sip"]
Kind = Literal["managed", "computed", "create_only", "secret", "legacy", "api_alias", "directive"]
Request = Literal["create", "import", "update"]
ALL_REQUESTS: tuple[Request, ...] = ("create", "import", "update")


class FieldSpec(NamedTuple):
    name: str
    shape: Shape
    kind: Kind
    description: str
    nullable: bool = True
    # For legacy and api_alias fields: what to write instead.
    replacement: str | None = None
    requests: tuple[Request, ...] = ()
    in_response: bool = True
    choices: tuple[str, ...] | None = None


def _table(*specs: FieldSpec) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in specs}


AGENT_LISTS = ("inbound_agents", "outbound_agents", "inbound_sms_agents", "outbound_sms_agents")
COUNTRY_LISTS = ("allowed_inbound_country_list", "allowed_outbound_country_list")
WEBHOOK_FIELDS = ("inbound_webhook_url", "inbound_sms_webhook_url")
PHONE_NUMBER_TYPES = ("retell-twilio", "retell-telnyx", "custom")
SIP_TRANSPORTS = ("TLS", "TCP", "UDP")
NUMBER_PROVIDERS = ("twilio", "telnyx")
CREATE_COUNTRIES = ("US", "CA")
RETELL_TYPES = ("retell-twilio", "retell-telnyx")
NUMBER_STATES = ("present", "absent")
# Flat request parameter -> field of sip_outbound_trunk_config it writes. The update
# body uses the first five names, the import body the sip_trunk_* ones for the
# credentials (and termination_uri, transport, codecs).
FLAT_SIP_PARAMETERS = {
    "termination_uri": "termination_uri",
    "auth_username": "auth_username",
    "auth_password": "auth_password",
    "transport": "transport",
    "codecs": "codecs",
    "sip_trunk_auth_username": "auth_username",
    "sip_trunk_auth_password": "auth_password",
}
# The request body name of each sip_outbound_trunk_config field, per request.
SIP_REQUEST_NAMES: dict[str, dict[str, str]] = {
    "create": {"transport": "transport"},
    "import": {
        "termination_uri": "termination_uri",
        "auth_username": "sip_trunk_auth_username",
        "auth_password": "sip_trunk_auth_password",
        "transport": "transport",
        "codecs": "codecs",
    },
    "update": {
        "termination_uri": "termination_uri",
        "auth_username": "auth_username",
        "auth_password": "auth_password",
        "transport": "transport",
        "codecs": "codecs",
    },
}
# RL012's words for one SIP setting written both flat and nested, with different values
# (not fixable: which value is meant is the author's call).
SIP_CONFLICT = "is also set, to another value"
SIP_SHAPES: dict[str, Shape] = {
    "termination_uri": "str",
    "auth_username": "str",
    "auth_password": "str",
    "transport": "str",
    "codecs": "str_list",
}

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
    # Parameters of buying (create) and importing a number: the API never returns them.
    FieldSpec(
        "number_provider",
        "str",
        "create_only",
        "Telephony provider to buy the number from: twilio or telnyx (default twilio). "
        "Used when the number is created; never compared with the account.",
        in_response=False,
        choices=NUMBER_PROVIDERS,
    ),
    FieldSpec(
        "country_code",
        "str",
        "create_only",
        "Country to buy the number in: US or CA (default US). Used when the number is "
        "created; never compared with the account.",
        in_response=False,
        choices=CREATE_COUNTRIES,
    ),
    FieldSpec(
        "toll_free",
        "bool",
        "create_only",
        "Buy a toll-free number (costs more). Used when the number is created; never "
        "compared with the account.",
        in_response=False,
    ),
    FieldSpec(
        "ignore_e164_validation",
        "bool",
        "create_only",
        "Import a number that is not a valid E.164 number (an internal pseudo number); "
        "the API assumes true when omitted. A boolean, not a string. Used when the number "
        "is imported; never compared with the account.",
        in_response=False,
    ),
    FieldSpec(
        "state",
        "str",
        "directive",
        "Whether the number should exist: present (the default) or absent. A number "
        "declared absent is released by 'retell-lint apply --allow-delete' (irreversible); "
        "never sent to the API.",
        nullable=False,
        in_response=False,
        choices=NUMBER_STATES,
    ),
    # The API's flat request parameters for the SIP trunk (update and import names).
    *(
        FieldSpec(
            flat,
            SIP_SHAPES[canonical],
            "api_alias",
            f"The API's request parameter for sip_outbound_trunk_config.{canonical}; "
            "write it there instead.",
            replacement=f"sip_outbound_trunk_config.{canonical}",
            in_response=False,
        )
        for flat, canonical in FLAT_SIP_PARAMETERS.items()
    ),
)

# Which request bodies accept each number field (SDK 6.2.13 params types). The SIP
# trunk's fields are written through flat parameters: see SIP_REQUEST_NAMES.
_REQUESTS: dict[str, tuple[Request, ...]] = {
    "phone_number": ("create", "import"),
    "nickname": ALL_REQUESTS,
    "area_code": ("create",),
    "inbound_agents": ALL_REQUESTS,
    "outbound_agents": ALL_REQUESTS,
    "inbound_sms_agents": ("update",),
    "outbound_sms_agents": ("update",),
    "allowed_inbound_country_list": ALL_REQUESTS,
    "allowed_outbound_country_list": ALL_REQUESTS,
    "inbound_webhook_url": ALL_REQUESTS,
    "inbound_sms_webhook_url": ("update",),
    "fallback_number": ("create", "update"),
    "sip_outbound_trunk_config": ALL_REQUESTS,
    "number_provider": ("create",),
    "country_code": ("create",),
    "toll_free": ("create",),
    "ignore_e164_validation": ("import",),
}
NUMBER_FIELDS = {
    name: spec._replace(requests=_REQUESTS.get(name, ())) for name, spec in NUMBER_FIELDS.items()
}

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
        "Agent version: an integer >= 0; latest or latest_published; or a tag: a lower-case "
        "letter, then up to 19 of a-z, 0-9, _ and -, and not v followed by digits. "
        "Omitted: the latest version.",
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
# The spec's pattern for a string agent_version (OpenAPI 2026-08-01, AgentVersionReference).
AGENT_VERSION_PATTERN = (
    r"^(latest|latest_published|(?!(?:latest|latest_published|v\d+)$)[a-z][a-z0-9_-]{0,19})$"
)
LEGACY_COUNTRY_LISTS = {
    "inbound_allowed_countries": "allowed_inbound_country_list",
    "outbound_allowed_countries": "allowed_outbound_country_list",
}
