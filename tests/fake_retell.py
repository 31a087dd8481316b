"""An in-memory fake of the parts of the Retell API that retell-lint reads.

A real HTTP server (stdlib ``ThreadingHTTPServer``) on ``127.0.0.1`` with a random
port, so clients are exercised over actual sockets, including faults that only
exist on the wire (slow answers, truncated bodies, dropped connections).

Tests use the ``fake_retell`` pytest fixture (in ``conftest.py``), which yields a
started :class:`FakeRetell`. This module does not import pytest, so the benchmarks
can run the same server in an environment without the test extras.
Response shapes follow retell-sdk 6.2.13 (``PhoneNumberResponse``,
``AgentListResponse``, ``AgentListVersionsResponse``); the contract test in
``test_fake_retell_contract.py`` checks them against the SDK's models.

The write endpoints (``PATCH /update-phone-number/{n}``, ``POST /create-phone-number``,
``POST /import-phone-number``, ``DELETE /delete-phone-number/{n}``) are strict about
request bodies, as the real API is: a key that is not a parameter of that request,
``null`` where the parameter is not nullable, or a value of the wrong type gets 400,
and nothing is changed. Parameter names and nullability follow the SDK's
``phone_number_{update,create,import}_params`` (checked by the contract test).
SIP passwords are write-only: kept in :attr:`FakeRetell.passwords`, never returned.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "DEFAULT_API_KEY",
    "FakeRetell",
    "RecordedRequest",
    "make_agent",
    "make_number",
]

DEFAULT_API_KEY = "key_fake0123456789abcdef0123456789"
BASE_TIMESTAMP = 1_760_000_000_000

_ERRORS: dict[int, str] = {
    400: "Invalid request format, please check API reference.",
    401: "API key is missing or invalid.",
    402: "Trial has ended, please add payment method.",
    403: "Forbidden.",
    404: "Not found.",
    408: "Request timeout.",
    409: "Resource update conflict.",
    422: "Cannot find requested asset under given api key.",
    429: "Account rate limited, please throttle your requests.",
    500: "An unexpected server error occurred.",
    502: "Bad gateway.",
    503: "Service unavailable.",
    504: "Gateway timeout.",
}

_LIST_QUERY_PARAMS = frozenset({"limit", "pagination_key", "sort_order"})

# Request parameters of each write (retell-sdk 6.2.13 params TypedDicts) ...
UPDATE_PARAMS = frozenset(
    {
        "allowed_inbound_country_list",
        "allowed_outbound_country_list",
        "auth_password",
        "auth_username",
        "codecs",
        "fallback_number",
        "inbound_agents",
        "inbound_sms_agents",
        "inbound_sms_webhook_url",
        "inbound_webhook_url",
        "nickname",
        "outbound_agents",
        "outbound_sms_agents",
        "termination_uri",
        "transport",
    }
)
CREATE_PARAMS = frozenset(
    {
        "allowed_inbound_country_list",
        "allowed_outbound_country_list",
        "area_code",
        "country_code",
        "fallback_number",
        "inbound_agents",
        "inbound_webhook_url",
        "nickname",
        "number_provider",
        "outbound_agents",
        "phone_number",
        "toll_free",
        "transport",
    }
)
IMPORT_PARAMS = frozenset(
    {
        "allowed_inbound_country_list",
        "allowed_outbound_country_list",
        "codecs",
        "ignore_e164_validation",
        "inbound_agents",
        "inbound_webhook_url",
        "nickname",
        "outbound_agents",
        "phone_number",
        "sip_trunk_auth_password",
        "sip_trunk_auth_username",
        "termination_uri",
        "transport",
    }
)
IMPORT_REQUIRED = frozenset({"phone_number", "termination_uri"})
# ... and those that accept null (Optional[...] in the SDK).
NULLABLE_PARAMS = frozenset(
    {
        "allowed_inbound_country_list",
        "allowed_outbound_country_list",
        "fallback_number",
        "inbound_agents",
        "inbound_sms_agents",
        "inbound_sms_webhook_url",
        "inbound_webhook_url",
        "outbound_agents",
        "outbound_sms_agents",
        "transport",
    }
)
# nickname is nullable in an update only.
UPDATE_NULLABLE = NULLABLE_PARAMS | {"nickname"}
_AGENT_PARAMS = frozenset(
    {"inbound_agents", "outbound_agents", "inbound_sms_agents", "outbound_sms_agents"}
)
_LIST_PARAMS = frozenset(
    {"allowed_inbound_country_list", "allowed_outbound_country_list", "codecs"}
)
_BOOL_PARAMS = frozenset({"toll_free", "ignore_e164_validation"})
_INT_PARAMS = frozenset({"area_code"})
_CHOICES = {"number_provider": ("twilio", "telnyx"), "country_code": ("US", "CA")}
# Flat request parameter -> key of sip_outbound_trunk_config in the response.
_SIP_RESPONSE_KEYS = {
    "termination_uri": "termination_uri",
    "auth_username": "auth_username",
    "sip_trunk_auth_username": "auth_username",
    "transport": "transport",
    "codecs": "codecs",
}
_SIP_PASSWORDS = frozenset({"auth_password", "sip_trunk_auth_password"})
WRITE_PATHS = (
    "/update-phone-number/",
    "/create-phone-number",
    "/import-phone-number",
    "/delete-phone-number/",
)


def _pretty(phone_number: str) -> str:
    digits = phone_number[1:] if phone_number.startswith("+") else phone_number
    if phone_number.startswith("+1") and len(digits) == 11 and digits.isdigit():
        return f"+1 ({digits[1:4]}) {digits[4:7]}-{digits[7:]}"
    return phone_number


def make_number(phone_number: str, **fields: Any) -> dict[str, Any]:
    """A phone-number object shaped like Retell's ``PhoneNumberResponse``.

    Required fields are filled in (``phone_number_type`` defaults to
    ``retell-twilio``, ``last_modification_timestamp`` to a fixed ms timestamp);
    ``phone_number_pretty`` and, for +1 numbers, ``area_code`` are derived.
    Anything in ``fields`` overrides or adds keys.
    """
    number: dict[str, Any] = {
        "phone_number": phone_number,
        "phone_number_type": "retell-twilio",
        "phone_number_pretty": _pretty(phone_number),
        "last_modification_timestamp": BASE_TIMESTAMP,
        "nickname": None,
        "inbound_agents": None,
        "outbound_agents": None,
        "inbound_webhook_url": None,
        "allowed_inbound_country_list": None,
        "allowed_outbound_country_list": None,
        "fallback_number": None,
    }
    if phone_number.startswith("+1") and len(phone_number) == 12 and phone_number[1:].isdigit():
        number["area_code"] = int(phone_number[2:5])
    number.update(fields)
    return number


def make_agent(
    agent_id: str,
    *,
    channel: str = "voice",
    is_suspended: bool = False,
    tags: Mapping[str, Any] | None = None,
    agent_name: str | None = None,
    user_modified_timestamp: int = BASE_TIMESTAMP,
    **extra: Any,
) -> dict[str, Any]:
    """An item of ``POST /v2/list-agents``; ``tags`` values may be ``int`` or dicts."""
    norm_tags: dict[str, dict[str, Any]] = {}
    for name, value in (tags or {}).items():
        if isinstance(value, int):
            norm_tags[name] = {"version": value}
        else:
            norm_tags[name] = dict(value)
    agent: dict[str, Any] = {
        "agent_id": agent_id,
        "agent_name": agent_name if agent_name is not None else f"Agent {agent_id}",
        "channel": channel,
        "is_suspended": is_suspended,
        "tags": norm_tags,
        "user_modified_timestamp": user_modified_timestamp,
    }
    agent.update(extra)
    return agent


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class _Failure:
    status: int
    headers: dict[str, str]
    body: Any
    path_prefix: str | None


@dataclass(repr=False)
class FakeRetell:
    """State and fault switches of the fake server.

    Seed with :meth:`add_number`, :meth:`add_numbers`, :meth:`add_agent`.
    Inspect :attr:`request_log` (``(method, path)`` pairs, path without query),
    :attr:`requests` (full :class:`RecordedRequest` records) and
    :attr:`max_in_flight` (highest number of requests handled at once).

    Faults (persistent until switched off; restricted to paths starting with
    :attr:`fault_path_prefix` when that is set):

    * ``slow_seconds``: sleep this long before answering.
    * ``truncated_body``: announce the full ``Content-Length`` but send only
      half of the body, then close the connection.
    * ``non_json_body``: answer 200 with an HTML page.
    * ``repeat_pagination_key``: list endpoints always answer ``has_more: true``
      with the same ``pagination_key``.
    * ``drop_connection``: close the socket without answering.
    * ``throttle_above``: answer 429 (with ``Retry-After: throttle_retry_after``)
      to a write that arrives while more than this many requests are in flight.

    Each request is answered after ``latency_seconds`` (the API's own latency).

    One-shot faults: :meth:`fail_next` (answer with an error status) and
    :meth:`drop_next` (drop the connection), each for ``count`` requests.
    """

    api_key: str = DEFAULT_API_KEY
    numbers: dict[str, dict[str, Any]] = field(default_factory=dict)
    agents: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    request_log: list[tuple[str, str]] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    fault_path_prefix: str | None = None
    slow_seconds: float = 0.0
    truncated_body: bool = False
    non_json_body: bool = False
    repeat_pagination_key: bool = False
    drop_connection: bool = False
    in_flight: int = 0
    max_in_flight: int = 0
    latency_seconds: float = 0.0
    throttle_above: int | None = None
    throttle_retry_after: str = "0.05"
    # How many writes throttle_above answered with 429.
    throttled: int = 0
    # Write-only SIP passwords, by number (never part of a response).
    passwords: dict[str, str] = field(default_factory=dict)
    # Called with each object a write produced, before it is stored: stands for the
    # API normalising a value (the test decides how).
    write_hook: Callable[[dict[str, Any]], None] | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: list[_Failure] = []
        self._drops: list[str | None] = []
        self._drops_after_store: list[str | None] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        url = self.base_url if self._server is not None else "not started"
        return (
            f"<FakeRetell {url}: {len(self.numbers)} numbers, {len(self.agents)} agents, "
            f"{len(self.request_log)} requests>"
        )

    # -- seeding -------------------------------------------------------------------

    def add_number(self, number: Mapping[str, Any] | str, **fields: Any) -> dict[str, Any]:
        """Store a phone number; missing required response fields are filled in."""
        if isinstance(number, str):
            obj = make_number(number, **fields)
        else:
            data = dict(number)
            data.update(fields)
            obj = make_number(str(data.pop("phone_number")), **data)
        with self._lock:
            self.numbers[obj["phone_number"]] = obj
        return obj

    def add_numbers(self, count: int, *, start: int = 14_155_550_000) -> list[dict[str, Any]]:
        """Store ``count`` numbers ``+<start>``, ``+<start+1>``, ... ."""
        return [
            self.add_number(f"+{start + i}", last_modification_timestamp=BASE_TIMESTAMP + i)
            for i in range(count)
        ]

    def add_agent(
        self,
        agent_id: str,
        channel: str = "voice",
        is_suspended: bool = False,
        tags: Mapping[str, Any] | None = None,
        versions: Iterable[int] = (0,),
        agent_name: str | None = None,
        *,
        published: Iterable[int] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Store an agent and its versions.

        ``published`` lists the published versions; by default every version but
        the highest is published (the highest is the editable draft).
        """
        agent = make_agent(
            agent_id,
            channel=channel,
            is_suspended=is_suspended,
            tags=tags,
            agent_name=agent_name,
            **extra,
        )
        version_list = sorted(set(versions))
        published_set = set(version_list[:-1]) if published is None else set(published)
        version_items = [
            {
                "version": v,
                "is_published": v in published_set,
                "last_modification_timestamp": BASE_TIMESTAMP + v,
            }
            for v in version_list
        ]
        for item in version_items:
            if item["version"] > 0:
                item["base_version"] = item["version"] - 1
        with self._lock:
            self.agents[agent_id] = agent
            self.versions[agent_id] = version_items
        return agent

    def remove_agent(self, agent_id: str) -> None:
        with self._lock:
            self.agents.pop(agent_id, None)
            self.versions.pop(agent_id, None)

    # -- faults --------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        count: int = 1,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        *,
        path_prefix: str | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests with ``status``.

        ``body`` defaults to Retell's ``{"status": "error", "message": ...}``;
        pass a ``str``/``bytes`` to send it verbatim, or any JSON value.
        """
        failure = _Failure(status, dict(headers or {}), body, path_prefix)
        with self._lock:
            self._failures.extend([failure] * count)

    def drop_next(self, count: int = 1, *, path_prefix: str | None = None) -> None:
        """Close the connection without answering for the next ``count`` requests."""
        with self._lock:
            self._drops.extend([path_prefix] * count)

    def drop_after_store_next(self, count: int = 1, *, path_prefix: str | None = None) -> None:
        """Make the write of the next ``count`` matching requests, then close the
        connection without answering (the client cannot know it was applied)."""
        with self._lock:
            self._drops_after_store.extend([path_prefix] * count)

    def clear_faults(self) -> None:
        with self._lock:
            self._failures.clear()
            self._drops.clear()
            self._drops_after_store.clear()
            self.throttle_above = None
            self.fault_path_prefix = None
            self.slow_seconds = 0.0
            self.truncated_body = False
            self.non_json_body = False
            self.repeat_pagination_key = False
            self.drop_connection = False

    def writes(self) -> list[RecordedRequest]:
        """Recorded requests to the write endpoints, in order."""
        with self._lock:
            return [r for r in self.requests if r.path.startswith(WRITE_PATHS)]

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Recorded requests whose path is exactly ``path``."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # -- server lifecycle ----------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeRetell is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeRetell:
        if self._server is not None:
            return self
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="fake-retell",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeRetell:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling (called from server threads) -----------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.request_log.append((request.method, request.path))
            self.requests.append(request)

    def _enter(self) -> int:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return self.in_flight

    def _throttles(self, path: str, in_flight: int) -> bool:
        with self._lock:
            limit = self.throttle_above
            if limit is None or in_flight <= limit or not path.startswith(WRITE_PATHS):
                return False
            self.throttled += 1
            return True

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _in_fault_scope(self, path: str, prefix: str | None = None) -> bool:
        scope = prefix if prefix is not None else self.fault_path_prefix
        return scope is None or path.startswith(scope)

    def _take_failure(self, path: str) -> _Failure | None:
        with self._lock:
            for i, failure in enumerate(self._failures):
                if failure.path_prefix is None or path.startswith(failure.path_prefix):
                    return self._failures.pop(i)
        return None

    def _take_drop(self, path: str, *, after_store: bool = False) -> bool:
        with self._lock:
            drops = self._drops_after_store if after_store else self._drops
            for i, prefix in enumerate(drops):
                if prefix is None or path.startswith(prefix):
                    del drops[i]
                    return True
        return False

    def _route(self, request: RecordedRequest) -> tuple[int, Any]:
        """Return ``(status, JSON body)`` for a request that passed auth."""
        method, path = request.method, request.path
        if method == "GET" and path == "/v2/list-phone-numbers":
            return self._list(request, self._snapshot_numbers())
        if method == "POST" and path == "/v2/list-agents":
            body = request.json() if request.body else {}
            if not isinstance(body, dict):
                return 400, _error_body(400)
            return self._list(request, self._filter_agents(body))
        if method == "GET" and path.startswith("/list-agent-versions/"):
            agent_id = path[len("/list-agent-versions/") :]
            with self._lock:
                versions = self.versions.get(agent_id)
                items = [dict(v) for v in versions] if versions is not None else None
            if items is None:
                return 422, _error_body(422)
            return self._list(request, items, default_order="ascending")
        if method == "GET" and path.startswith("/get-phone-number/"):
            number = path[len("/get-phone-number/") :]
            with self._lock:
                obj = self.numbers.get(number)
            if obj is None:
                return 422, _error_body(422)
            return 200, dict(obj)
        if method == "PATCH" and path.startswith("/update-phone-number/"):
            return self._update(path[len("/update-phone-number/") :], request)
        if method == "POST" and path == "/create-phone-number":
            return self._create(request)
        if method == "POST" and path == "/import-phone-number":
            return self._import(request)
        if method == "DELETE" and path.startswith("/delete-phone-number/"):
            number = path[len("/delete-phone-number/") :]
            with self._lock:
                if self.numbers.pop(number, None) is None:
                    return 422, _error_body(422)
                self.passwords.pop(number, None)
            return 204, b""
        return 404, _error_body(404)

    # -- writes ----------------------------------------------------------------------

    def _body(
        self, request: RecordedRequest, allowed: frozenset[str], nullable: frozenset[str]
    ) -> dict[str, Any] | str:
        """The request's JSON object, or why the real API would answer 400."""
        try:
            body = json.loads(request.body) if request.body else None
        except ValueError:
            return "request body is not JSON"
        if not isinstance(body, dict):
            return "request body must be a JSON object"
        for key, value in body.items():
            if key not in allowed:
                return f"Unknown parameter '{key}'"
            problem = _param_problem(key, value, key in nullable)
            if problem:
                return problem
        return body

    def _stamp(self) -> int:
        # Called with the lock held: a fresh, increasing modification time.
        latest = max(
            (n.get("last_modification_timestamp", 0) for n in self.numbers.values()),
            default=BASE_TIMESTAMP,
        )
        return max(latest, BASE_TIMESTAMP) + 1000

    def _store(self, obj: dict[str, Any], body: Mapping[str, Any]) -> dict[str, Any]:
        sip = dict(obj.get("sip_outbound_trunk_config") or {})
        for key, value in body.items():
            if key in _SIP_PASSWORDS:
                self.passwords[obj["phone_number"]] = value
            elif key in _SIP_RESPONSE_KEYS:
                sip[_SIP_RESPONSE_KEYS[key]] = value
            elif key not in (
                "number_provider",
                "country_code",
                "toll_free",
                "ignore_e164_validation",
            ):
                obj[key] = value
        if sip:
            obj["sip_outbound_trunk_config"] = sip
        obj["last_modification_timestamp"] = self._stamp()
        if self.write_hook is not None:
            self.write_hook(obj)
        self.numbers[obj["phone_number"]] = obj
        return dict(obj)

    def _update(self, number: str, request: RecordedRequest) -> tuple[int, Any]:
        body = self._body(request, UPDATE_PARAMS, UPDATE_NULLABLE)
        if isinstance(body, str):
            return 400, {"status": "error", "message": body}
        with self._lock:
            current = self.numbers.get(number)
            if current is None:
                return 422, _error_body(422)
            if "codecs" in body and current.get("phone_number_type") != "custom":
                return 400, {
                    "status": "error",
                    "message": "codecs is only supported for custom phone numbers",
                }
            return 200, self._store(dict(current), body)

    def _create(self, request: RecordedRequest) -> tuple[int, Any]:
        body = self._body(request, CREATE_PARAMS, NULLABLE_PARAMS)
        if isinstance(body, str):
            return 400, {"status": "error", "message": body}
        with self._lock:
            number = body.get("phone_number")
            if number is None:
                area = body.get("area_code", 415)
                number = f"+1{area}555{len(self.numbers) % 10000:04d}"
            if number in self.numbers:
                return 400, {"status": "error", "message": "Phone number is not available."}
            provider = body.get("number_provider", "twilio")
            obj = make_number(number, phone_number_type=f"retell-{provider}")
            if "area_code" in body:
                obj["area_code"] = body["area_code"]
            return 201, self._store(obj, {k: v for k, v in body.items() if k != "phone_number"})

    def _import(self, request: RecordedRequest) -> tuple[int, Any]:
        body = self._body(request, IMPORT_PARAMS, NULLABLE_PARAMS)
        if isinstance(body, str):
            return 400, {"status": "error", "message": body}
        missing = sorted(IMPORT_REQUIRED - set(body))
        if missing:
            return 400, {"status": "error", "message": f"Missing parameter '{missing[0]}'"}
        with self._lock:
            number = body["phone_number"]
            if number in self.numbers:
                return 400, {"status": "error", "message": "Phone number already exists."}
            obj = make_number(number, phone_number_type="custom")
            obj.pop("area_code", None)
            return 201, self._store(obj, {k: v for k, v in body.items() if k != "phone_number"})

    def _snapshot_numbers(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(n) for n in self.numbers.values()]

    def _filter_agents(self, body: Mapping[str, Any]) -> list[dict[str, Any]]:
        with self._lock:
            agents = [dict(a) for a in self.agents.values()]
        criteria = body.get("filter_criteria") or {}
        channel = criteria.get("channel") if isinstance(criteria, dict) else None
        if isinstance(channel, dict) and channel.get("op") in ("eq", "ne"):
            want = channel.get("value")
            eq = channel.get("op") == "eq"
            agents = [a for a in agents if (a["channel"] == want) == eq]
        query = criteria.get("query") if isinstance(criteria, dict) else None
        if isinstance(query, str) and query:
            q = query.lower()
            agents = [
                a for a in agents if q in a["agent_name"].lower() or q in a["agent_id"].lower()
            ]
        return agents

    def _list(
        self,
        request: RecordedRequest,
        items: list[dict[str, Any]],
        *,
        default_order: str = "descending",
    ) -> tuple[int, Any]:
        unknown = sorted(set(request.query) - _LIST_QUERY_PARAMS)
        if unknown:
            return 400, {"error_message": f"Unknown query parameter '{unknown[0]}'"}
        try:
            limit = int(request.query.get("limit", "50"))
        except ValueError:
            return 400, _error_body(400)
        if not 1 <= limit <= 1000:
            return 400, _error_body(400)
        order = request.query.get("sort_order", default_order)
        if order not in ("ascending", "descending"):
            return 400, _error_body(400)
        if order == "descending":
            items = list(reversed(items))
        if self.repeat_pagination_key and self._in_fault_scope(request.path):
            return 200, {"items": items[:limit], "has_more": True, "pagination_key": "pk_loop"}
        offset = 0
        key = request.query.get("pagination_key")
        if key is not None:
            if not key.startswith("pk_") or not key[3:].isdigit():
                return 400, _error_body(400)
            offset = int(key[3:])
        page = items[offset : offset + limit]
        has_more = offset + limit < len(items)
        body: dict[str, Any] = {"items": page, "has_more": has_more}
        if has_more:
            body["pagination_key"] = f"pk_{offset + limit}"
        return 200, body


def _param_problem(key: str, value: Any, nullable: bool) -> str | None:
    """Why one request parameter is invalid, or None."""
    if value is None:
        return None if nullable else f"'{key}' must not be null"
    if key in _AGENT_PARAMS:
        if not isinstance(value, list):
            return f"'{key}' must be a list"
        for entry in value:
            if not isinstance(entry, dict) or set(entry) - {"agent_id", "weight", "agent_version"}:
                return f"'{key}' entries must be {{agent_id, weight, agent_version}}"
            if not isinstance(entry.get("agent_id"), str) or not entry["agent_id"]:
                return f"'{key}' entries need an agent_id"
            weight = entry.get("weight")
            if isinstance(weight, bool) or not isinstance(weight, (int, float)):
                return f"'{key}' entries need a numeric weight"
            if not 0 < weight <= 1:
                return f"'{key}' weights must be more than 0 and at most 1"
            version = entry.get("agent_version")
            if version is not None and (
                isinstance(version, bool) or not isinstance(version, (int, str))
            ):
                return f"'{key}' agent_version must be an integer or a tag"
        return None
    if key in _LIST_PARAMS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"'{key}' must be a list of strings"
        return None
    if key in _BOOL_PARAMS:
        return None if isinstance(value, bool) else f"'{key}' must be a boolean"
    if key in _INT_PARAMS:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"'{key}' must be an integer"
    if not isinstance(value, str):
        return f"'{key}' must be a string"
    if key in _CHOICES and value not in _CHOICES[key]:
        return f"'{key}' must be one of {', '.join(_CHOICES[key])}"
    return None


def _error_body(status: int) -> dict[str, Any]:
    return {"status": "error", "message": _ERRORS.get(status, "Request failed.")}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeRetell

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-answer (timeouts) are expected in fault tests.
        return


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without this, the second waits for
    # the client's delayed ACK (about 40 ms a request on Linux), not the API's latency.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        fake = self.server.fake
        in_flight = fake._enter()
        self._counted = True
        try:
            self._respond(fake, in_flight)
        finally:
            self._uncount(fake)

    def _uncount(self, fake: FakeRetell) -> None:
        # Before the answer's last byte leaves: a client that sends its next request
        # on reading the answer must not find this one still counted in flight.
        if self._counted:
            self._counted = False
            fake._leave()

    def _respond(self, fake: FakeRetell, in_flight: int) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        request = RecordedRequest(
            method=self.command,
            path=path,
            query=query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        fake._record(request)

        in_scope = fake._in_fault_scope(path)
        if fake._take_drop(path) or (fake.drop_connection and in_scope):
            self._drop()
            return
        if fake.slow_seconds > 0 and in_scope:
            time.sleep(fake.slow_seconds)
        if fake.latency_seconds > 0:
            time.sleep(fake.latency_seconds)
        if fake._throttles(path, in_flight):
            self._send(429, _error_body(429), {"Retry-After": fake.throttle_retry_after})
            return
        failure = fake._take_failure(path)
        if failure is not None:
            payload = failure.body if failure.body is not None else _error_body(failure.status)
            self._send(failure.status, payload, failure.headers)
            return
        if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
            self._send(401, _error_body(401))
            return
        if fake.non_json_body and in_scope:
            html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            self._send(200, html, {"Content-Type": "text/html"})
            return
        status, payload = fake._route(request)
        if fake._take_drop(path, after_store=True):
            self._drop()
            return
        self._send(status, payload, truncate=fake.truncated_body and in_scope)

    def _drop(self) -> None:
        self._uncount(self.server.fake)
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(
        self,
        status: int,
        payload: Any,
        headers: Mapping[str, str] | None = None,
        *,
        truncate: bool = False,
    ) -> None:
        extra = dict(headers or {})
        if isinstance(payload, bytes):
            data = payload
        elif isinstance(payload, str):
            data = payload.encode()
        else:
            data = json.dumps(payload).encode()
            extra.setdefault("Content-Type", "application/json")
        extra.setdefault("Content-Type", "text/plain")
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        self._uncount(self.server.fake)
        if truncate:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self._drop()
            return
        self.wfile.write(data)
