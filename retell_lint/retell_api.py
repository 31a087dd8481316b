"""A small, read-only client for the Retell AI HTTP API.

Only the calls the drift commands need are implemented: listing phone numbers,
agents and agent versions. All of them are idempotent reads, so they are retried
on transient failures (connection problems, timeouts, HTTP 408/409/429/5xx).

Every failure is raised as :class:`RetellAPIError` (a :class:`FatalError`) with a
one-line message such as::

    GET /v2/list-phone-numbers failed: HTTP 401: API key is missing or invalid.

The API key never appears in an exception message, ``repr`` or log record: it is
only ever placed in the ``Authorization`` header, and any response text quoted in
an error is scrubbed of it.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import logging
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from retell_lint import __version__
from retell_lint.api_limits import (
    MAX_BODY_BYTES,
    MAX_ITEMS,
    MAX_SECONDS,
    BodyTooLarge,
    BodyUndecodable,
    DeadlineExceeded,
    UnsupportedEncoding,
    deadline_transport,
    read_body,
)
from retell_lint.errors import FatalError
from retell_lint.jsontext import parse_json

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_PAGES",
    "PAGE_LIMIT",
    "VERSION_FETCH_CONCURRENCY",
    "RetellAPIError",
    "RetellClient",
]

DEFAULT_BASE_URL = "https://api.retellai.com"
PAGE_LIMIT = 1000
"""Page size requested from list endpoints (the API maximum)."""
MAX_PAGES = 10_000
"""Safety net: a list longer than this many pages is treated as a server fault."""
VERSION_FETCH_CONCURRENCY = 8

_RETRYABLE_STATUSES = frozenset({408, 409, 429})
_MAX_MESSAGE_CHARS = 300
_REDACTED = "***"

_log = logging.getLogger(__name__)


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


class RetellClient:
    """Read-only Retell API client.

    Parameters
    ----------
    api_key:
        The Retell API key (sent as ``Authorization: Bearer <key>``).
    base_url:
        API root. Must be ``https://`` unless the host is loopback.
    timeout:
        Per-request timeout in seconds (connect, read, write and pool).
    max_retries:
        Retries after the first attempt for transient failures.
    retry_budget:
        Total seconds (measured from the first attempt of a request) after which
        no further retry is started.
    max_retry_delay:
        Cap for a single back-off delay, including server-requested delays.
    sleep, clock:
        Injectable for tests.
    transport:
        Optional custom httpx transport (tests).
    """

    # Called after each page of a list: (path, items so far, last page?).
    on_page: Callable[[str, int, bool], None] | None = None

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 10.0,
        max_retries: int = 4,
        retry_budget: float = 30.0,
        max_retry_delay: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
        deadline: float | None = None,
    ) -> None:
        self._api_key = _check_api_key(api_key)
        self.base_url = _validate_base_url(base_url)
        for name, seconds in (("timeout", timeout), ("deadline", deadline)):
            if seconds is not None and not 0 < seconds <= MAX_SECONDS:
                raise FatalError(f"{name} must be more than 0 and at most {MAX_SECONDS:g} seconds")
        if max_retries < 0 or retry_budget < 0 or max_retry_delay < 0:
            raise FatalError("max_retries, retry_budget and max_retry_delay must be >= 0")
        self.timeout = float(timeout)
        self.max_retries = int(max_retries)
        self.retry_budget = float(retry_budget)
        self.max_retry_delay = float(max_retry_delay)
        self._sleep = sleep
        self._clock = clock
        # One deadline for everything this client reads, from its first request.
        self.deadline = float(deadline) if deadline is not None else None
        self._deadline_at: float | None = None
        limits = httpx.Limits(
            max_connections=VERSION_FETCH_CONCURRENCY * 2,
            max_keepalive_connections=VERSION_FETCH_CONCURRENCY,
        )
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            transport=transport or deadline_transport(self._remaining, limits),
            limits=limits,
            # Plain http is for loopback only, and never through a proxy: the key
            # would cross the network unencrypted.
            trust_env=not self.base_url.lower().startswith("http:"),
            headers={
                "Authorization": f"Bearer {self._api_key}",
                "Accept": "application/json",
                # Only the codings api_limits.decoded_chunks decodes within its cap.
                "Accept-Encoding": "gzip, deflate",
                "User-Agent": f"retell-lint/{__version__}",
            },
        )

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> RetellClient:
        """Build a client from ``RETELL_API_KEY`` and ``RETELL_BASE_URL``."""
        env = os.environ if environ is None else environ
        api_key = env.get("RETELL_API_KEY", "").strip()
        if not api_key:
            raise FatalError(
                "RETELL_API_KEY is not set; export your Retell API key as RETELL_API_KEY "
                "to use commands that talk to the Retell API"
            )
        base_url = env.get("RETELL_BASE_URL", "").strip() or DEFAULT_BASE_URL
        return cls(api_key, base_url, **kwargs)

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RetellClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RetellClient(base_url={self.base_url!r})"

    __str__ = __repr__

    # -- public API ----------------------------------------------------------------

    def list_phone_numbers(self) -> list[dict[str, Any]]:
        """All phone numbers of the account (``GET /v2/list-phone-numbers``)."""
        return self._paginate("GET", "/v2/list-phone-numbers")

    def get_phone_number(self, phone_number: str) -> dict[str, Any] | None:
        """One phone number (``GET /get-phone-number/{n}``); ``None`` if unknown (422/404)."""
        if not phone_number:
            raise RetellAPIError("phone number must not be empty")
        path = "/get-phone-number/" + quote(phone_number, safe="+")
        try:
            data = self._request("GET", path)
        except RetellAPIError as exc:
            if exc.status in (404, 422):
                return None
            raise
        if not isinstance(data, dict):
            raise self._error("GET", path, "response is not a JSON object", status=200)
        return data

    def list_agents(self) -> list[dict[str, Any]]:
        """All voice and chat agents (``POST /v2/list-agents``, body ``{}``)."""
        return self._paginate("POST", "/v2/list-agents", json_body={})

    def list_agent_versions(self, agent_id: str) -> list[dict[str, Any]]:
        """All versions of one agent (``GET /list-agent-versions/{agent_id}``).

        An unknown agent is an error (Retell answers 422 or 404), raised as
        :class:`RetellAPIError` with ``status`` set.
        """
        if not agent_id:
            raise RetellAPIError("agent id must not be empty")
        return self._paginate("GET", "/list-agent-versions/" + quote(agent_id, safe=""))

    def list_agent_versions_many(self, agent_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """Versions of several agents, fetched with at most 8 requests in flight.

        Unlike :meth:`list_agent_versions`, an agent that Retell reports as not
        found (HTTP 422 or 404) maps to an empty list: it was listed moments ago,
        so it has most likely been deleted in the meantime, and "no versions"
        is what the caller's checks should see. Any other failure is raised (the
        first failing agent in input order wins). Duplicate ids are fetched once.
        """
        ids = list(dict.fromkeys(agent_ids))
        result: dict[str, list[dict[str, Any]]] = {}
        if not ids:
            return result

        def fetch(agent_id: str) -> list[dict[str, Any]]:
            try:
                return self.list_agent_versions(agent_id)
            except RetellAPIError as exc:
                if exc.status in (404, 422):
                    return []
                raise

        workers = min(VERSION_FETCH_CONCURRENCY, len(ids))
        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="retell-versions")
        try:
            futures: list[tuple[str, Future[list[dict[str, Any]]]]] = [
                (agent_id, executor.submit(fetch, agent_id)) for agent_id in ids
            ]
            for agent_id, future in futures:
                result[agent_id] = future.result()
        except BaseException:
            executor.shutdown(wait=True, cancel_futures=True)
            raise
        executor.shutdown(wait=True)
        return result

    # -- internals -----------------------------------------------------------------

    def _remaining(self) -> float | None:
        """Seconds left before the deadline (None: no deadline)."""
        if self._deadline_at is None:
            return None
        return self._deadline_at - self._clock()

    def _deadline_error(self, method: str, path: str) -> RetellAPIError:
        return self._error(
            method,
            path,
            f"the account was not read within {self.deadline:g}s (RETELL_LINT_TIMEOUT); "
            "the server is too slow or never finishes its answer",
        )

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, _REDACTED) if self._api_key else text

    def _error(
        self, method: str, path: str, reason: str, *, status: int | None = None
    ) -> RetellAPIError:
        what = f"{method} {path} failed: "
        detail = f"HTTP {status}: {reason}" if status is not None else reason
        message = _one_line(self._redact(what + detail), 2 * _MAX_MESSAGE_CHARS)
        return RetellAPIError(message, status=status, method=method, path=self._redact(path))

    def _status_error(
        self, method: str, path: str, response: httpx.Response, suffix: str = ""
    ) -> RetellAPIError:
        message = _error_message_from_body(response.content)
        if message is None:
            message = response.reason_phrase or "no error message"
        reason = _one_line(self._redact(message)) + suffix
        return self._error(method, path, reason, status=response.status_code)

    def _retry_delay(self, retry_index: int, response: httpx.Response | None) -> float:
        if response is not None:
            requested = _parse_retry_after(response.headers)
            if requested is not None:
                return min(requested, self.max_retry_delay)
        base: float = min(0.5 * 2**retry_index, self.max_retry_delay)
        return base * (1.0 - 0.25 * random.random())

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
    ) -> Any:
        """Send one logical request with retries; return the parsed JSON body."""
        start = self._clock()
        if self.deadline is not None and self._deadline_at is None:
            self._deadline_at = start + self.deadline
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            failure: str
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                raise self._deadline_error(method, path)
            timeout = self.timeout if remaining is None else min(self.timeout, remaining)
            try:
                response = self._send(method, path, params, json_body, timeout)
            except DeadlineExceeded:
                raise self._deadline_error(method, path) from None
            except BodyTooLarge:
                raise self._error(
                    method,
                    path,
                    f"response body larger than {MAX_BODY_BYTES // (1024 * 1024)} MB; giving up",
                ) from None
            except UnsupportedEncoding as exc:
                raise self._error(method, path, f"response has {exc}; giving up") from None
            except BodyUndecodable:
                raise self._error(
                    method, path, "response body is not valid for its Content-Encoding"
                ) from None
            except httpx.TimeoutException as exc:
                left = self._remaining()
                if left is not None and left <= 0:
                    raise self._deadline_error(method, path) from None
                failure = f"request timed out after {self.timeout:g}s ({type(exc).__name__})"
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                failure = f"connection error ({type(exc).__name__}: {_one_line(str(exc), 120)})"
            except httpx.HTTPError as exc:
                raise self._error(
                    method, path, f"{type(exc).__name__}: {_one_line(str(exc), 120)}"
                ) from None

            if response is not None:
                status = response.status_code
                if 200 <= status < 300:
                    return self._parse_json(method, path, response)
                retryable = status in _RETRYABLE_STATUSES or status >= 500
                should_retry = response.headers.get("x-should-retry", "").strip().lower()
                if should_retry == "false":
                    retryable = False
                elif should_retry == "true":
                    retryable = True
                if not retryable:
                    suffix = f" (after {attempt} attempts)" if attempt > 1 else ""
                    raise self._status_error(method, path, response, suffix) from None
                failure = f"HTTP {status}"

            retries_done = attempt - 1
            if retries_done >= self.max_retries:
                raise self._give_up(method, path, response, failure, attempt)
            delay = self._retry_delay(retries_done, response)
            left = self._remaining()
            if left is not None and delay >= left:
                raise self._deadline_error(method, path)
            if self._clock() - start + delay > self.retry_budget:
                raise self._give_up(method, path, response, failure, attempt, budget=True)
            _log.debug(
                "%s %s: %s; retrying in %.2fs (retry %d of %d)",
                method,
                self._redact(path),
                failure,
                delay,
                retries_done + 1,
                self.max_retries,
            )
            self._sleep(delay)

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, str | int] | None,
        json_body: Any,
        timeout: float,
    ) -> httpx.Response:
        """One HTTP exchange, its body read within the size cap and the deadline."""
        with self._http.stream(
            method,
            path,
            params=dict(params) if params else None,
            json=json_body,
            timeout=httpx.Timeout(timeout),
        ) as streamed:
            body = read_body(streamed, self._remaining)
            # The body is decoded already: httpx must not decode it again.
            headers = [
                (name, value)
                for name, value in streamed.headers.multi_items()
                if name.lower() not in ("content-encoding", "content-length")
            ]
            return httpx.Response(
                streamed.status_code,
                headers=headers,
                content=body,
                request=streamed.request,
                extensions={"reason_phrase": streamed.reason_phrase.encode("latin-1", "replace")},
            )

    def _give_up(
        self,
        method: str,
        path: str,
        response: httpx.Response | None,
        failure: str,
        attempts: int,
        *,
        budget: bool = False,
    ) -> RetellAPIError:
        if budget:
            suffix = (
                f" (gave up after {attempts} attempts; "
                f"retry budget of {self.retry_budget:g}s used up)"
            )
        elif attempts > 1:
            suffix = f" (gave up after {attempts} attempts)"
        else:
            suffix = ""
        if response is not None:
            return self._status_error(method, path, response, suffix)
        return self._error(method, path, failure + suffix)

    def _parse_json(self, method: str, path: str, response: httpx.Response) -> Any:
        try:
            return json.loads(response.content)
        except RecursionError:
            raise self._error(
                method, path, "response body is JSON nested too deep", status=response.status_code
            ) from None
        except ValueError:
            ctype = response.headers.get("content-type", "unknown content type")
            ctype = _one_line(ctype.split(";")[0], 60) or "unknown content type"
            size = len(response.content)
            raise self._error(
                method,
                path,
                f"response body is not valid JSON ({ctype}, {size} bytes)",
                status=response.status_code,
            ) from None

    def _paginate(self, method: str, path: str, *, json_body: Any = None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        seen_keys: set[str] = set()
        key: str | None = None
        for _page in range(MAX_PAGES):
            params: dict[str, str | int] = {"limit": PAGE_LIMIT}
            if key is not None:
                params["pagination_key"] = key
            data = self._request(method, path, params=params, json_body=json_body)
            page_items, has_more, next_key = self._page_parts(method, path, data)
            items.extend(page_items)
            if self.on_page is not None:
                self.on_page(path, len(items), not has_more)
            if len(items) > MAX_ITEMS:
                raise self._error(method, path, f"more than {MAX_ITEMS} items; giving up")
            if not has_more:
                return items
            if next_key is None:
                raise self._error(
                    method, path, "has_more is true but no pagination_key was returned"
                )
            if next_key in seen_keys or next_key == key:
                raise self._error(
                    method,
                    path,
                    f"pagination_key repeated after {len(seen_keys) + 1} pages "
                    "(the server is looping; giving up)",
                )
            seen_keys.add(next_key)
            key = next_key
        raise self._error(method, path, f"more than {MAX_PAGES} pages; giving up")

    def _page_parts(
        self, method: str, path: str, data: Any
    ) -> tuple[list[dict[str, Any]], bool, str | None]:
        if not isinstance(data, dict):
            raise self._error(
                method, path, f"unexpected response: expected a JSON object, got {_kind(data)}"
            )
        raw_items = data.get("items")
        if not isinstance(raw_items, list):
            raise self._error(
                method, path, f"unexpected response: 'items' is {_kind(raw_items)}, not a list"
            )
        has_more = data.get("has_more")
        if not isinstance(has_more, bool):
            raise self._error(
                method,
                path,
                f"unexpected response: 'has_more' is {_kind(has_more)}, not a boolean",
            )
        for index, item in enumerate(raw_items):
            if not isinstance(item, dict):
                raise self._error(
                    method,
                    path,
                    f"unexpected response: items[{index}] is {_kind(item)}, not an object",
                )
        next_key = data.get("pagination_key")
        if next_key is not None and not isinstance(next_key, str):
            raise self._error(
                method,
                path,
                f"unexpected response: 'pagination_key' is {_kind(next_key)}, not a string",
            )
        return raw_items, has_more, (next_key or None)


_KIND_NAMES: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "missing or null",
}


def _kind(value: object) -> str:
    return _KIND_NAMES.get(type(value), type(value).__name__)
