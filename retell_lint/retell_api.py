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

import os
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from retell_lint import __version__
from retell_lint.api_base import (
    DEFAULT_BASE_URL,
    MAX_PAGES,
    PAGE_LIMIT,
    VERSION_FETCH_CONCURRENCY,
    RetellAPIError,
    _check_api_key,
    _validate_base_url,
)
from retell_lint.api_limits import (
    MAX_SECONDS,
    deadline_transport,
)
from retell_lint.api_paging import Paging
from retell_lint.errors import FatalError

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_PAGES",
    "PAGE_LIMIT",
    "VERSION_FETCH_CONCURRENCY",
    "RetellAPIError",
    "RetellClient",
]


class RetellClient(Paging):
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
