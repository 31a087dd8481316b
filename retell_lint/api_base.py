"""The Retell API client's ground: its constants, its one error type, and the checks
every client makes before a request (base URL, API key) and of an answer (Retell's
error text, ``Retry-After``)."""

from __future__ import annotations

import email.utils
import ipaddress
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from retell_lint.errors import FatalError
from retell_lint.jsontext import parse_json

if TYPE_CHECKING:
    import httpx

DEFAULT_BASE_URL = "https://api.retellai.com"
PAGE_LIMIT = 1000
"""Page size requested from list endpoints (the API maximum)."""
MAX_PAGES = 10_000
"""Safety net: a list longer than this many pages is treated as a server fault."""
VERSION_FETCH_CONCURRENCY = 8

_RETRYABLE_STATUSES = frozenset({408, 409, 429})
_MAX_MESSAGE_CHARS = 300
_REDACTED = "***"


class RetellAPIError(FatalError):
    """A call to the Retell API failed.

    ``status`` is the HTTP status of the last response, or ``None`` when no usable
    response arrived (connection error, timeout, malformed body before parsing).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.method = method
        self.path = path


def _one_line(text: str, limit: int = _MAX_MESSAGE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return text


def _is_loopback_host(host: str) -> bool:
    # Only names that never leave the machine: 'localhost' itself and literal
    # loopback addresses. '*.localhost' goes to DNS (and proxies) on many systems.
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _shown_url(raw: str) -> str:
    """The value as a user wrote it, for messages: one line, clipped, credentials masked."""
    masked = re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)?[^/@]*@", r"\1***@", raw)
    return repr(_one_line(masked, 80))


def _validate_base_url(base_url: str) -> str:
    raw = base_url.strip()
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise FatalError(f"RETELL_BASE_URL is not a valid URL (got {_shown_url(raw)})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise FatalError(
            "RETELL_BASE_URL must be an https:// URL with a host, such as "
            f"{DEFAULT_BASE_URL} (got {_shown_url(raw)})"
        )
    if parts.username is not None or parts.password is not None:
        raise FatalError("RETELL_BASE_URL must not contain credentials")
    if parts.query or parts.fragment:
        raise FatalError("RETELL_BASE_URL must not contain a query string or fragment")
    if scheme == "http" and not _is_loopback_host(host):
        raise FatalError(
            f"refusing plain http:// RETELL_BASE_URL {_shown_url(raw)}: use https:// "
            "(http:// is only allowed for localhost and loopback addresses such as 127.0.0.1, ::1)"
        )
    return raw.rstrip("/")


def _check_api_key(api_key: str) -> str:
    key = api_key.strip()
    if not key:
        raise FatalError("RETELL_API_KEY is not set; export your Retell API key as RETELL_API_KEY")
    if not all(33 <= ord(ch) <= 126 for ch in key):
        raise FatalError(
            "RETELL_API_KEY contains whitespace or characters not allowed in an HTTP header"
        )
    return key


def _parse_retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds to wait according to ``retry-after-ms`` / ``Retry-After``, if given."""
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            value = float(ms) / 1000.0
        except ValueError:
            value = -1.0
        if value >= 0 and value == value:  # not NaN
            return value
    ra = headers.get("retry-after")
    if ra is None:
        return None
    ra = ra.strip()
    try:
        value = float(ra)
    except ValueError:
        pass
    else:
        return value if value >= 0 and value == value else None
    try:
        when = email.utils.parsedate_to_datetime(ra)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = datetime.now(timezone.utc).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


def _error_message_from_body(content: bytes) -> str | None:
    try:
        data = parse_json(content)
    except ValueError:
        return None
    if isinstance(data, dict):
        for key in ("message", "error_message", "error", "detail"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return value
    return None
