"""RL501–RL508: webhook URLs and the SIP trunk."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urlsplit

from retell_lint.build import NumberDoc
from retell_lint.checks import RuleContext, number_check
from retell_lint.fields import RETELL_TYPES, SIP_TRANSPORTS, WEBHOOK_FIELDS
from retell_lint.findings import Hit

# RFC 6598 shared address space: not is_private, yet not reachable from outside.
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
WHITESPACE = re.compile(r"\s")
# ${NAME} or $NAME: a reference to an environment variable, resolved when applied.
ENV_REFERENCE = re.compile(r"^\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$")
PRIVATE_SUFFIXES = (".local", ".internal", ".localhost", ".localdomain", ".lan", ".home.arpa")


def _webhooks(number: NumberDoc) -> Iterator[tuple[str, str]]:
    for name in WEBHOOK_FIELDS:
        value = getattr(number.config, name, None)
        if isinstance(value, str):
            yield name, value


# Numbers of a tree share a few webhook URLs: each is read once per run.
@lru_cache(maxsize=4096)
def _parse(url: str) -> tuple[str, str] | None:
    """(scheme, host) of an absolute http(s) URL with a host, else None."""
    if not url or WHITESPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return parts.scheme.lower(), host


@number_check("invalid-webhook-url")
def invalid_webhook_url(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, url in _webhooks(number):
        if _parse(url) is None:
            yield ctx.at_value(
                number,
                name,
                f"{name} '{url}' is not an absolute http(s) URL with a host; write it like "
                "https://hooks.example.com/retell",
            )


@number_check("insecure-webhook-url")
def insecure_webhook_url(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, url in _webhooks(number):
        parsed = _parse(url)
        if parsed is not None and parsed[0] == "http":
            yield ctx.at_value(
                number,
                name,
                f"{name} uses http://: call details travel unencrypted; use https://",
            )


def _inet_aton(host: str) -> ipaddress.IPv4Address | None:
    """An IPv4 address written any way inet_aton reads it: 127.1, 2130706433,
    0x7f000001, 0177.0.0.1 (octal). Browsers, curl and HTTP libraries resolve such
    hosts as addresses, so a webhook written that way reaches that address."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        if not part or len(part) > 12:
            return None
        try:
            if part[:2] in ("0x", "0X"):
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part[0] == "0":
                numbers.append(int(part, 8))
            elif part.isdigit():
                numbers.append(int(part))
            else:
                return None
        except ValueError:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = last
    for position, n in enumerate(head):
        value |= n << (8 * (3 - position))
    return ipaddress.IPv4Address(value)


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return _inet_aton(host)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=4096)
def unreachable_reason(host: str) -> str | None:
    lowered = host.lower().rstrip(".")
    if lowered == "localhost" or lowered.endswith(PRIVATE_SUFFIXES):
        return f"{host} is a local name"
    address = _address(lowered)
    if address is None:
        return None
    # Most specific first: link-local and unspecified addresses are also is_private.
    for attribute, what in (
        ("is_loopback", "a loopback"),
        ("is_link_local", "a link-local"),
        ("is_unspecified", "an unspecified"),
        ("is_multicast", "a multicast"),
        ("is_reserved", "a reserved"),
        ("is_private", "a private"),
    ):
        if getattr(address, attribute):
            return f"{host} is {what} address"
    if address.version == 4 and address in SHARED_ADDRESS_SPACE:
        return f"{host} is a carrier-grade NAT address"
    return None


@number_check("webhook-credentials")
def webhook_credentials(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, url in _webhooks(number):
        if _parse(url) is None:
            continue
        parts = urlsplit(url)
        if parts.username is None and parts.password is None:
            continue
        what = "a user name and password" if parts.password is not None else "a user name"
        yield ctx.at_value(
            number,
            name,
            f"{name} holds {what} (before the @): the credentials are committed with the file; "
            "remove them, verify Retell's x-retell-signature instead, and rotate the password",
        )


@number_check("unreachable-webhook-url")
def unreachable_webhook_url(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, url in _webhooks(number):
        parsed = _parse(url)
        reason = unreachable_reason(parsed[1]) if parsed is not None else None
        if reason:
            yield ctx.at_value(
                number,
                name,
                f"{name} cannot be reached from Retell's servers: {reason}; use a public host",
            )


# Trunk settings every number takes: transport is a parameter of create (which buys
# Retell-managed numbers), import and update alike.
ANY_NUMBER_SIP = frozenset({"transport"})


@number_check("sip-config-on-managed-number")
def sip_config_on_managed_number(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    kind = number.config.phone_number_type
    sip = number.config.sip_outbound_trunk_config
    if sip is None or kind not in RETELL_TYPES:
        return
    container = "sip_outbound_trunk_config"
    flat = {canonical.split(".", 1)[1] for canonical in number.written}
    # An empty mapping still declares a trunk; transport alone does not.
    nested = sip.fields_set - flat - ANY_NUMBER_SIP if sip.fields_set else {""}
    message = (
        f"a SIP trunk is set on a {kind} number; Retell manages its trunk, so this applies "
        "only to custom (imported) numbers (apply never sends it)"
    )
    if container in number.places and nested:
        yield ctx.at_key(number, container, message)
    # Settings written with the API's flat parameter names, each where it is written.
    for canonical in number.written:
        field = canonical.split(".", 1)[1]
        if canonical.startswith(container + ".") and field not in ANY_NUMBER_SIP:
            yield ctx.at_key(number, canonical, message)


def _transport(number: NumberDoc) -> str | None:
    sip = number.config.sip_outbound_trunk_config
    value = getattr(sip, "transport", None) if sip is not None else None
    return value if isinstance(value, str) else None


@number_check("invalid-sip-transport")
def invalid_sip_transport(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    transport = _transport(number)
    if transport is None or transport in SIP_TRANSPORTS:
        return
    message = f"transport '{transport}' is not one of TLS, TCP, UDP"
    if transport.strip().upper() in SIP_TRANSPORTS:
        message += f"; write '{transport.strip().upper()}'"
    yield ctx.at_value(number, "sip_outbound_trunk_config.transport", message)


@number_check("plaintext-secret")
def plaintext_secret(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    sip = number.config.sip_outbound_trunk_config
    password = getattr(sip, "auth_password", None) if sip is not None else None
    if not isinstance(password, str) or not password or ENV_REFERENCE.match(password):
        return
    yield ctx.at_value(
        number,
        "sip_outbound_trunk_config.auth_password",
        "auth_password is written in the file; commit an environment reference such as "
        "${SIP_TRUNK_PASSWORD} instead, and rotate this password",
    )


@number_check("unencrypted-sip-transport")
def unencrypted_sip_transport(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    transport = _transport(number)
    if transport in ("TCP", "UDP"):
        yield ctx.at_value(
            number,
            "sip_outbound_trunk_config.transport",
            f"transport {transport} sends SIP signalling unencrypted; use TLS if the trunk "
            "supports it",
        )
