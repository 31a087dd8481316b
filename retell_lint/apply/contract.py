"""The API's contract for write bodies, checked before anything is sent.

Independent of ``.retell-lint.yaml``: rules switched off, lowered or suppressed do not
change what the API accepts. A body that breaks the contract is never sent; apply lists
the number under "cannot make" with the reason.

Sources: the request params of retell-sdk 6.2.13 (``phone_number_{create,import,
update}_params``: names, types, nullability) and Retell's OpenAPI document
(``AgentWeight``: weight ``exclusiveMinimum: 0``, ``maximum: 1``;
``AgentVersionReference``: the tag pattern; E.164 numbers; the closed sets of
``country_code``, ``number_provider`` and ``transport``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from retell_lint.fields import (
    AGENT_VERSION_PATTERN,
    CREATE_COUNTRIES,
    NUMBER_PROVIDERS,
    RETELL_TYPES,
    SIP_TRANSPORTS,
    Request,
)

# E.164 with ASCII digits only: re's \d also matches other scripts' digits.
E164 = re.compile(r"\+[1-9][0-9]{1,14}", re.ASCII)
VERSION_TAG = re.compile(AGENT_VERSION_PATTERN, re.ASCII)
COUNTRY = re.compile(r"[A-Z]{2}", re.ASCII)
# The API's integers are 64-bit.
MAX_INT = 2**63 - 1
# Weights of one list add up to 1, within RL301's default tolerance (and its slack for
# binary floating point: 0.333333 x 3 passes).
WEIGHT_SUM_TOLERANCE = 1e-6 + 1e-12

AGENT_PARAMS = frozenset(
    {"inbound_agents", "outbound_agents", "inbound_sms_agents", "outbound_sms_agents"}
)
COUNTRY_PARAMS = frozenset({"allowed_inbound_country_list", "allowed_outbound_country_list"})
TEXT_PARAMS = frozenset(
    {
        "nickname",
        "inbound_webhook_url",
        "inbound_sms_webhook_url",
        "termination_uri",
        "auth_username",
        "sip_trunk_auth_username",
    }
)
SECRET_PARAMS = frozenset({"auth_password", "sip_trunk_auth_password"})
BOOL_PARAMS = frozenset({"toll_free", "ignore_e164_validation"})
CHOICES: dict[str, tuple[str, ...]] = {
    "country_code": CREATE_COUNTRIES,
    "number_provider": NUMBER_PROVIDERS,
    "transport": SIP_TRANSPORTS,
}
# The trunk parameters Retell-managed (bought) numbers do not take: Retell places
# their calls through its own carrier account.
CUSTOM_ONLY = frozenset(
    {
        "termination_uri",
        "auth_username",
        "auth_password",
        "codecs",
        "sip_trunk_auth_username",
        "sip_trunk_auth_password",
    }
)

_COMMON = frozenset(
    {
        "nickname",
        "inbound_agents",
        "outbound_agents",
        "inbound_webhook_url",
        "allowed_inbound_country_list",
        "allowed_outbound_country_list",
        "transport",
    }
)
PARAMETERS: dict[Request, frozenset[str]] = {
    "create": _COMMON
    | {"phone_number", "area_code", "country_code", "number_provider", "toll_free"}
    | {"fallback_number"},
    "import": _COMMON
    | {"phone_number", "termination_uri", "sip_trunk_auth_username"}
    | {"sip_trunk_auth_password", "codecs", "ignore_e164_validation"},
    "update": _COMMON
    | {"inbound_sms_agents", "outbound_sms_agents", "inbound_sms_webhook_url"}
    | {"fallback_number", "termination_uri", "auth_username", "auth_password", "codecs"},
}
REQUIRED: dict[Request, frozenset[str]] = {
    "create": frozenset(),
    "import": frozenset({"phone_number", "termination_uri"}),
    "update": frozenset(),
}
_NULLABLE = AGENT_PARAMS | COUNTRY_PARAMS | {"inbound_webhook_url", "inbound_sms_webhook_url"}
NULLABLE: dict[Request, frozenset[str]] = {
    "create": _NULLABLE | {"fallback_number", "transport"},
    "import": _NULLABLE | {"transport"},
    "update": _NULLABLE | {"fallback_number", "transport", "nickname"},
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and not isinstance(value, bool)


def shown(value: Any) -> str:
    """A short, one-line form of a value for a reason (escaped by the renderers)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def e164_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a phone number in E.164 form, not {type(value).__name__}"
    if not E164.fullmatch(value):
        return (
            f"{shown(value)} is not in E.164 form (+, country code, then only the digits "
            "0-9, 15 at most)"
        )
    return None


def version_problem(value: Any) -> str | None:
    if _is_int(value):
        if value < 0 or value > MAX_INT:
            return f"agent_version {value} is not an integer from 0 to 2**63-1"
        return None
    if isinstance(value, str):
        if VERSION_TAG.fullmatch(value):
            return None
        hint = ""
        if value.isascii() and value.isdigit():
            hint = f"; write {int(value)} unquoted for that version number"
        return (
            f"agent_version {shown(value)} is not a version number, latest, latest_published "
            f"or a tag (a lower-case letter, then up to 19 of a-z, 0-9, _ and -, and not v "
            f"followed by digits){hint}"
        )
    return f"agent_version must be an integer or a tag, not {type(value).__name__}"


def agents_problem(value: Any) -> str | None:
    if not isinstance(value, list):
        return "must be a list of {agent_id, weight, agent_version} entries"
    weights: list[float] = []
    for index, entry in enumerate(value):
        where = f"entry {index + 1}"
        if not isinstance(entry, dict):
            return f"{where} must be a mapping"
        extra = sorted(set(entry) - {"agent_id", "weight", "agent_version"})
        if extra:
            return f"{where} has {extra[0]}, which the API does not take"
        agent_id = entry.get("agent_id")
        if not isinstance(agent_id, str) or not agent_id:
            return f"{where} needs a non-empty agent_id"
        weight: Any = entry.get("weight")
        if not _is_number(weight) or not math.isfinite(weight):
            return f"{where} needs a numeric weight"
        if not 0 < weight <= 1:
            return f"{where}: weight {weight!r} must be more than 0 and at most 1"
        weights.append(weight)
        if "agent_version" in entry and entry["agent_version"] is not None:
            problem = version_problem(entry["agent_version"])
            if problem:
                return f"{where}: {problem}"
    total = math.fsum(weights)
    if value and abs(total - 1.0) > WEIGHT_SUM_TOLERANCE:
        return f"the weights add up to {total:.9g}, not 1"
    return None


def countries_problem(value: Any) -> str | None:
    from retell_lint.checks.countries import accepted_regions

    if not isinstance(value, list):
        return "must be a list of ISO 3166-1 alpha-2 country codes"
    for code in value:
        if not isinstance(code, str) or not COUNTRY.fullmatch(code):
            return f"{shown(code)} is not an upper-case ISO 3166-1 alpha-2 country code"
        if code not in accepted_regions():
            return f"{shown(code)} is not a country code"
    return None


def _secret_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"from_env"}


def value_problem(request: Request, name: str, value: Any, skip_e164: bool) -> str | None:
    """Why one parameter's value breaks the contract, or None."""
    if value is None:
        return None if name in NULLABLE[request] else "must not be null"
    if name in AGENT_PARAMS:
        return agents_problem(value)
    if name in COUNTRY_PARAMS:
        return countries_problem(value)
    if name == "codecs":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of codec names"
        return None
    if name in BOOL_PARAMS:
        return None if isinstance(value, bool) else "must be true or false"
    if name == "area_code":
        if not _is_int(value) or not 200 <= value <= 999:
            return f"{shown(value)} is not a 3-digit US area code"
        return None
    if name in SECRET_PARAMS:
        return None if isinstance(value, str) or _secret_ref(value) else "must be text"
    if not isinstance(value, str):
        return f"must be text, not {type(value).__name__} {shown(value)}"
    if name in CHOICES and value not in CHOICES[name]:
        return f"{shown(value)} is not one of {', '.join(CHOICES[name])}"
    if name == "fallback_number" or (name == "phone_number" and not skip_e164):
        return e164_problem(value)
    if name == "phone_number":
        # A pseudo number (E.164 validation skipped): still only ASCII digits.
        if not value.strip():
            return "must not be empty"
        if any(char.isdigit() and not char.isascii() for char in value):
            return f"{shown(value)} has digits other than 0-9"
    return None


def problems(
    request: Request,
    body: Mapping[str, Any],
    *,
    number_type: str | None = None,
) -> list[tuple[str, str]]:
    """``(parameter, reason)`` for every way ``body`` breaks the ``request``'s contract.

    ``number_type`` is the number's ``phone_number_type`` (managed numbers take no
    trunk parameters).
    """
    found: list[tuple[str, str]] = []
    allowed = PARAMETERS[request]
    skip_e164 = request == "import" and body.get("ignore_e164_validation") is not False
    for name in sorted(REQUIRED[request] - set(body)):
        found.append((name, f"{request} needs {name}"))
    for name, value in body.items():
        if name not in allowed:
            found.append((name, f"{request} does not take {name}"))
            continue
        if number_type in RETELL_TYPES and name in CUSTOM_ONLY:
            found.append(
                (
                    name,
                    f"a {number_type} number's trunk is managed by Retell; {name} is only "
                    "for custom (imported) numbers",
                )
            )
            continue
        problem = value_problem(request, name, value, skip_e164)
        if problem:
            found.append((name, problem))
    return found
