"""Tests of retell_lint.retell_api.RetellClient against the fake Retell server."""

from __future__ import annotations

import socket
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from fake_retell import FakeRetell

from retell_lint.errors import FatalError
from retell_lint.retell_api import PAGE_LIMIT, RetellAPIError, RetellClient


class SleepRecorder:
    """Stands in for time.sleep: records delays and advances a fake clock."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.now = 1000.0

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def client_for(
    fake: FakeRetell, *, sleep: Callable[[float], None] | None = None, **kwargs: Any
) -> RetellClient:
    api_key = kwargs.pop("api_key", fake.api_key)
    options: dict[str, Any] = {
        "timeout": 2.0,
        "max_retries": 3,
        "retry_budget": 30.0,
        "max_retry_delay": 8.0,
        "sleep": sleep if sleep is not None else (lambda _s: None),
    }
    if isinstance(sleep, SleepRecorder):
        options["clock"] = sleep.clock
    options.update(kwargs)
    return RetellClient(api_key, fake.base_url, **options)


def assert_one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text
    assert text.strip() == text and text
    return text


# -- pagination -----------------------------------------------------------------------


def test_numbers_pagination_uses_limit_1000_and_follows_keys(fake_retell: FakeRetell) -> None:
    created = fake_retell.add_numbers(2500)
    with client_for(fake_retell) as client:
        numbers = client.list_phone_numbers()
    assert len(numbers) == 2500
    assert {n["phone_number"] for n in numbers} == {n["phone_number"] for n in created}
    reqs = fake_retell.requests_to("/v2/list-phone-numbers")
    assert len(reqs) == 3
    assert fake_retell.request_log == [("GET", "/v2/list-phone-numbers")] * 3
    assert all(r.query["limit"] == str(PAGE_LIMIT) == "1000" for r in reqs)
    assert "pagination_key" not in reqs[0].query
    assert reqs[1].query["pagination_key"] and reqs[2].query["pagination_key"]
    assert reqs[1].query["pagination_key"] != reqs[2].query["pagination_key"]


def test_numbers_single_page_and_empty(fake_retell: FakeRetell) -> None:
    with client_for(fake_retell) as client:
        assert client.list_phone_numbers() == []
        fake_retell.add_number("+14155550100", nickname="front desk")
        numbers = client.list_phone_numbers()
    assert len(fake_retell.request_log) == 2
    assert numbers[0]["phone_number"] == "+14155550100"
    assert numbers[0]["nickname"] == "front desk"
    assert numbers[0]["phone_number_type"] == "retell-twilio"


def test_exactly_1000_numbers_is_one_request(fake_retell: FakeRetell) -> None:
    fake_retell.add_numbers(1000)
    with client_for(fake_retell) as client:
        assert len(client.list_phone_numbers()) == 1000
    assert len(fake_retell.request_log) == 1


def test_sends_bearer_key(fake_retell: FakeRetell) -> None:
    with client_for(fake_retell) as client:
        client.list_phone_numbers()
    assert fake_retell.requests[0].headers["authorization"] == f"Bearer {fake_retell.api_key}"


def test_agents_pagination_posts_empty_body(fake_retell: FakeRetell) -> None:
    for i in range(1500):
        fake_retell.add_agent(f"agent_{i:04d}", channel="chat" if i % 2 else "voice")
    fake_retell.add_agent("agent_tagged", tags={"prod": 3}, versions=range(5), is_suspended=True)
    with client_for(fake_retell) as client:
        agents = client.list_agents()
    assert len(agents) == 1501
    assert len({a["agent_id"] for a in agents}) == 1501
    reqs = fake_retell.requests_to("/v2/list-agents")
    assert [r.method for r in reqs] == ["POST", "POST"]
    assert all(r.query["limit"] == "1000" for r in reqs)
    assert all(r.json() == {} for r in reqs)
    assert "pagination_key" in reqs[1].query
    tagged = next(a for a in agents if a["agent_id"] == "agent_tagged")
    assert tagged["tags"] == {"prod": {"version": 3}}
    assert tagged["is_suspended"] is True


def test_agent_versions(fake_retell: FakeRetell) -> None:
    fake_retell.add_agent("agent_a", versions=[0, 1, 2])
    with client_for(fake_retell) as client:
        versions = client.list_agent_versions("agent_a")
    assert [v["version"] for v in versions] == [0, 1, 2]
    assert [v["is_published"] for v in versions] == [True, True, False]
    assert fake_retell.request_log == [("GET", "/list-agent-versions/agent_a")]


def test_agent_versions_unknown_agent_is_an_error(fake_retell: FakeRetell) -> None:
    with client_for(fake_retell) as client, pytest.raises(RetellAPIError) as info:
        client.list_agent_versions("agent_gone")
    assert info.value.status == 422
    assert assert_one_line(info.value) == (
        "GET /list-agent-versions/agent_gone failed: "
        "HTTP 422: Cannot find requested asset under given api key."
    )
    assert isinstance(info.value, FatalError)


def test_agent_versions_many_bounded_concurrency_and_deleted_agents(
    fake_retell: FakeRetell,
) -> None:
    ids = [f"agent_{i:02d}" for i in range(24)]
    for i, agent_id in enumerate(ids):
        fake_retell.add_agent(agent_id, versions=range(i % 3 + 1))
    fake_retell.slow_seconds = 0.05
    fake_retell.fault_path_prefix = "/list-agent-versions/"
    with client_for(fake_retell) as client:
        result = client.list_agent_versions_many([*ids, "agent_deleted", ids[0]])
    assert list(result) == [*ids, "agent_deleted"]
    assert result["agent_deleted"] == []
    assert [v["version"] for v in result["agent_05"]] == [0, 1, 2]
    assert 2 <= fake_retell.max_in_flight <= 8
    assert len(fake_retell.request_log) == 25


def test_agent_versions_many_propagates_other_errors(fake_retell: FakeRetell) -> None:
    fake_retell.add_agent("agent_ok")
    fake_retell.add_agent("agent_bad")
    fake_retell.fail_next(403, count=1, path_prefix="/list-agent-versions/agent_bad")
    with client_for(fake_retell) as client, pytest.raises(RetellAPIError) as info:
        client.list_agent_versions_many(["agent_ok", "agent_bad"])
    assert info.value.status == 403
    assert "/list-agent-versions/agent_bad failed: HTTP 403" in str(info.value)


def test_agent_versions_many_empty_input_makes_no_requests(fake_retell: FakeRetell) -> None:
    with client_for(fake_retell) as client:
        assert client.list_agent_versions_many([]) == {}
    assert fake_retell.request_log == []


def test_agent_id_is_path_quoted(fake_retell: FakeRetell) -> None:
    with client_for(fake_retell) as client, pytest.raises(RetellAPIError):
        client.list_agent_versions("a/b?c")
    assert fake_retell.requests[0].path == "/list-agent-versions/a/b?c"
    assert fake_retell.requests[0].query == {"limit": "1000"}


def test_get_phone_number(fake_retell: FakeRetell) -> None:
    fake_retell.add_number("+14155550123")
    with client_for(fake_retell) as client:
        number = client.get_phone_number("+14155550123")
        missing = client.get_phone_number("+14155550999")
    assert number is not None and number["phone_number"] == "+14155550123"
    assert missing is None


# -- retries --------------------------------------------------------------------------


def test_429_retry_after_seconds_is_honoured(fake_retell: FakeRetell) -> None:
    fake_retell.add_numbers(3)
    fake_retell.fail_next(429, headers={"Retry-After": "2"})
    sleeps = SleepRecorder()
    with client_for(fake_retell, sleep=sleeps) as client:
        assert len(client.list_phone_numbers()) == 3
    assert sleeps.delays == [2.0]
    assert len(fake_retell.request_log) == 2


def test_retry_after_ms_preferred(fake_retell: FakeRetell) -> None:
    fake_retell.fail_next(429, headers={"retry-after-ms": "150", "Retry-After": "5"})
    sleeps = SleepRecorder()
    with client_for(fake_retell, sleep=sleeps) as client:
        client.list_phone_numbers()
    assert sleeps.delays == [pytest.approx(0.15)]


def test_retry_after_http_date(fake_retell: FakeRetell) -> None:
    when = datetime.now(timezone.utc) + timedelta(seconds=4)
    fake_retell.fail_next(503, headers={"Retry-After": format_datetime(when, usegmt=True)})
    sleeps = SleepRecorder()
    with client_for(fake_retell, sleep=sleeps) as client:
        client.list_phone_numbers()
    assert len(sleeps.delays) == 1
    assert 2.0 <= sleeps.delays[0] <= 4.0


def test_retry_after_is_capped(fake_retell: FakeRetell) -> None:
    fake_retell.fail_next(429, headers={"Retry-After": "120"})
    sleeps = SleepRecorder()
    with client_for(fake_retell, sleep=sleeps, max_retry_delay=8.0) as client:
        client.list_phone_numbers()
    assert sleeps.delays == [8.0]


@pytest.mark.parametrize("status", [408, 409, 500, 502, 503, 504])
def test_retryable_statuses(fake_retell: FakeRetell, status: int) -> None:
    fake_retell.fail_next(status, count=2)
    with client_for(fake_retell) as client:
        client.list_phone_numbers()
    assert len(fake_retell.request_log) == 3


def test_500s_exhaust_retries(fake_retell: FakeRetell) -> None:
    fake_retell.fail_next(500, count=10)
    sleeps = SleepRecorder()
    client = client_for(fake_retell, sleep=sleeps, max_retries=3)
    with client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    text = assert_one_line(info.value)
    assert text == (
        "GET /v2/list-phone-numbers failed: HTTP 500: An unexpected server error occurred. "
        "(gave up after 4 attempts)"
    )
    assert info.value.status == 500
    assert len(fake_retell.request_log) == 4
    # exponential back-off with jitter in [0.75, 1.0] of 0.5 * 2**n
    assert len(sleeps.delays) == 3
    for n, delay in enumerate(sleeps.delays):
        assert 0.75 * 0.5 * 2**n <= delay <= 0.5 * 2**n


def test_backoff_is_capped_by_max_retry_delay(fake_retell: FakeRetell) -> None:
    fake_retell.fail_next(500, count=6)
    sleeps = SleepRecorder()
    with client_for(fake_retell, sleep=sleeps, max_retries=6, max_retry_delay=1.0) as client:
        client.list_phone_numbers()
    assert len(sleeps.delays) == 6
    assert max(sleeps.delays) <= 1.0
    assert sleeps.delays[-1] >= 0.75


def test_retry_budget_stops_early(fake_retell: FakeRetell) -> None:
    fake_retell.fail_next(503, count=10, headers={"Retry-After": "2"})
    sleeps = SleepRecorder()
    client = client_for(fake_retell, sleep=sleeps, max_retries=10, retry_budget=5.0)
    with client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    assert sleeps.delays == [2.0, 2.0]
    text = assert_one_line(info.value)
    assert "HTTP 503: Service unavailable." in text
    assert "retry budget" in text
    assert len(fake_retell.request_log) == 3


def test_client_errors_are_not_retried(fake_retell: FakeRetell) -> None:
    fake_retell.fail_next(400, body={"error_message": "Unknown query parameter 'is_published'"})
    with client_for(fake_retell) as client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    assert assert_one_line(info.value) == (
        "GET /v2/list-phone-numbers failed: HTTP 400: Unknown query parameter 'is_published'"
    )
    assert len(fake_retell.request_log) == 1


def test_x_should_retry_false_is_respected(fake_retell: FakeRetell) -> None:
    fake_retell.fail_next(500, headers={"x-should-retry": "false"})
    with client_for(fake_retell) as client, pytest.raises(RetellAPIError):
        client.list_phone_numbers()
    assert len(fake_retell.request_log) == 1


def test_non_json_error_body_falls_back_to_reason(fake_retell: FakeRetell) -> None:
    fake_retell.fail_next(502, count=10, body="<html>\n<b>bad gateway</b>\n</html>")
    with client_for(fake_retell, max_retries=1) as client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    assert assert_one_line(info.value) == (
        "GET /v2/list-phone-numbers failed: HTTP 502: Bad Gateway (gave up after 2 attempts)"
    )


def test_retry_then_success_mid_pagination(fake_retell: FakeRetell) -> None:
    fake_retell.add_numbers(2100)
    with client_for(fake_retell) as client:
        first = client.list_phone_numbers()
        fake_retell.fail_next(429, count=2)
        assert len(client.list_phone_numbers()) == len(first) == 2100


# -- wire faults ----------------------------------------------------------------------


def test_timeout(fake_retell: FakeRetell) -> None:
    fake_retell.slow_seconds = 0.6
    started = time.monotonic()
    client = client_for(fake_retell, timeout=0.15, max_retries=1)
    with client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    assert time.monotonic() - started < 2.0
    text = assert_one_line(info.value)
    assert text.startswith("GET /v2/list-phone-numbers failed: request timed out after 0.15s")
    assert "gave up after 2 attempts" in text
    assert info.value.status is None
    assert len(fake_retell.request_log) == 2


def test_truncated_body(fake_retell: FakeRetell) -> None:
    fake_retell.add_numbers(20)
    fake_retell.truncated_body = True
    with client_for(fake_retell, max_retries=1) as client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    text = assert_one_line(info.value)
    assert text.startswith("GET /v2/list-phone-numbers failed: connection error")
    assert len(fake_retell.request_log) == 2


def test_cut_json_with_matching_length(fake_retell: FakeRetell) -> None:
    fake_retell.fail_next(200, body='{"items": [{"phone_number": "+1415', count=1)
    with client_for(fake_retell) as client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    assert "response body is not valid JSON" in assert_one_line(info.value)


def test_non_json_body(fake_retell: FakeRetell) -> None:
    fake_retell.non_json_body = True
    with client_for(fake_retell) as client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    assert assert_one_line(info.value) == (
        "GET /v2/list-phone-numbers failed: HTTP 200: "
        "response body is not valid JSON (text/html, 50 bytes)"
    )
    assert info.value.status == 200


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([], "expected a JSON object, got an array"),
        ({"has_more": False}, "'items' is missing or null, not a list"),
        ({"items": {}, "has_more": False}, "'items' is an object, not a list"),
        ({"items": []}, "'has_more' is missing or null, not a boolean"),
        ({"items": [], "has_more": "no"}, "'has_more' is a string, not a boolean"),
        ({"items": [1], "has_more": False}, "items[0] is a number, not an object"),
        ({"items": [], "has_more": True}, "has_more is true but no pagination_key"),
        ({"items": [], "has_more": True, "pagination_key": 5}, "'pagination_key' is a number"),
    ],
)
def test_unexpected_shapes(fake_retell: FakeRetell, body: Any, expected: str) -> None:
    fake_retell.fail_next(200, body=body)
    with client_for(fake_retell) as client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    text = assert_one_line(info.value)
    assert text.startswith("GET /v2/list-phone-numbers failed: ")
    assert expected in text


def test_repeating_pagination_key(fake_retell: FakeRetell) -> None:
    fake_retell.add_numbers(5)
    fake_retell.repeat_pagination_key = True
    with client_for(fake_retell) as client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    assert "pagination_key repeated" in assert_one_line(info.value)
    assert len(fake_retell.request_log) == 2


def test_dropped_connection_is_retried(fake_retell: FakeRetell) -> None:
    fake_retell.add_numbers(3)
    fake_retell.drop_next(2)
    with client_for(fake_retell) as client:
        assert len(client.list_phone_numbers()) == 3
    assert len(fake_retell.request_log) == 3


def test_dropped_connection_forever(fake_retell: FakeRetell) -> None:
    fake_retell.drop_connection = True
    with client_for(fake_retell, max_retries=2) as client, pytest.raises(RetellAPIError) as info:
        client.list_agents()
    text = assert_one_line(info.value)
    assert text.startswith("POST /v2/list-agents failed: connection error (RemoteProtocolError")
    assert text.endswith("(gave up after 3 attempts)")
    assert len(fake_retell.request_log) == 3


def test_fault_scope_by_path_prefix(fake_retell: FakeRetell) -> None:
    fake_retell.add_agent("agent_a")
    fake_retell.drop_connection = True
    fake_retell.fault_path_prefix = "/list-agent-versions/"
    with client_for(fake_retell, max_retries=0) as client:
        assert len(client.list_agents()) == 1
        with pytest.raises(RetellAPIError):
            client.list_agent_versions("agent_a")


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = RetellClient(
        "key_x1234567", f"http://127.0.0.1:{port}", max_retries=1, sleep=lambda s: None
    )
    with client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    assert "connection error (ConnectError" in assert_one_line(info.value)


# -- auth and configuration -----------------------------------------------------------


def test_wrong_key_gives_401(fake_retell: FakeRetell) -> None:
    client = client_for(fake_retell, api_key="key_wrong")
    with client, pytest.raises(RetellAPIError) as info:
        client.list_phone_numbers()
    assert str(info.value) == (
        "GET /v2/list-phone-numbers failed: HTTP 401: API key is missing or invalid."
    )
    assert info.value.status == 401
    assert len(fake_retell.request_log) == 1


@pytest.mark.parametrize(
    "url",
    ["http://api.retellai.com", "http://10.0.0.1:8080", "http://localhost.example.com"],
)
def test_plain_http_refused_for_non_loopback(url: str) -> None:
    with pytest.raises(FatalError, match="http://"):
        RetellClient("key_abcdefgh", url)


@pytest.mark.parametrize("url", ["ftp://api.retellai.com", "api.retellai.com", "https://"])
def test_bad_base_urls_refused(url: str) -> None:
    with pytest.raises(FatalError):
        RetellClient("key_abcdefgh", url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://[::1]:9000/",
        "http://localhost:3000",
        "https://api.retellai.com",
        "https://proxy.example.com/retell/",
    ],
)
def test_allowed_base_urls(url: str) -> None:
    with RetellClient("key_abcdefgh", url) as client:
        assert not client.base_url.endswith("/")


def test_from_env() -> None:
    with pytest.raises(FatalError, match=r"^RETELL_API_KEY is not set; "):
        RetellClient.from_env({})
    with pytest.raises(FatalError, match=r"^RETELL_API_KEY is not set; "):
        RetellClient.from_env({"RETELL_API_KEY": "  "})
    with RetellClient.from_env({"RETELL_API_KEY": "key_abcdefgh"}) as client:
        assert client.base_url == "https://api.retellai.com"
    env = {"RETELL_API_KEY": "key_abcdefgh\n", "RETELL_BASE_URL": "http://127.0.0.1:1"}
    with RetellClient.from_env(env, max_retries=0) as client:
        assert client.base_url == "http://127.0.0.1:1"
        assert client.max_retries == 0


def test_from_env_reads_os_environ(
    monkeypatch: pytest.MonkeyPatch, fake_retell: FakeRetell
) -> None:
    monkeypatch.setenv("RETELL_API_KEY", fake_retell.api_key)
    monkeypatch.setenv("RETELL_BASE_URL", fake_retell.base_url)
    fake_retell.add_numbers(2)
    with RetellClient.from_env() as client:
        assert len(client.list_phone_numbers()) == 2
    monkeypatch.delenv("RETELL_API_KEY")
    with pytest.raises(FatalError, match="RETELL_API_KEY is not set"):
        RetellClient.from_env()


def test_key_with_header_breaking_characters_refused() -> None:
    with pytest.raises(FatalError) as info:
        RetellClient("key_abc\r\nX-Evil: 1", "https://api.retellai.com")
    assert "key_abc" not in str(info.value)


# -- the API key never leaks ----------------------------------------------------------


def _exception_texts(exc: BaseException) -> list[str]:
    return [
        str(exc),
        repr(exc),
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        repr(exc.args),
        repr(vars(exc)),
    ]


def test_api_key_never_in_errors_or_repr(fake_retell: FakeRetell) -> None:
    key = fake_retell.api_key
    errors: list[BaseException] = []

    def capture(action: Callable[[], object]) -> None:
        with pytest.raises(FatalError) as info:
            action()
        errors.append(info.value)

    with client_for(fake_retell, max_retries=1, timeout=0.3) as client:
        assert key not in repr(client) and key not in str(client)
        # the server echoes the key back in error messages
        fake_retell.fail_next(400, body={"message": f"key {key} is not allowed"})
        capture(client.list_phone_numbers)
        fake_retell.fail_next(500, count=2, body={"error_message": f"boom Bearer {key}"})
        capture(client.list_agents)
        fake_retell.fail_next(502, count=2, body=f"<p>{key}</p>")
        capture(client.list_phone_numbers)
        fake_retell.fail_next(200, body=f"not json {key}")
        capture(client.list_phone_numbers)
        fake_retell.fail_next(200, body={"items": key, "has_more": False})
        capture(client.list_phone_numbers)
        fake_retell.non_json_body = True
        capture(client.list_phone_numbers)
        fake_retell.non_json_body = False
        fake_retell.truncated_body = True
        capture(client.list_phone_numbers)
        fake_retell.truncated_body = False
        fake_retell.drop_connection = True
        capture(lambda: client.list_agent_versions_many(["agent_a"]))
        fake_retell.drop_connection = False
        fake_retell.slow_seconds = 0.5
        capture(client.list_phone_numbers)
        fake_retell.slow_seconds = 0
        capture(lambda: client.list_agent_versions(key))

    with client_for(fake_retell, api_key=key + "x") as wrong:
        capture(wrong.list_phone_numbers)

    assert len(errors) == 11
    for exc in errors:
        for text in _exception_texts(exc):
            assert key not in text, text
    assert "***" in str(errors[0])
    assert "***" in str(errors[1])


def test_missing_key_messages_do_not_echo_input() -> None:
    with pytest.raises(FatalError) as info:
        RetellClient.from_env({"RETELL_API_KEY": "", "RETELL_BASE_URL": "http://evil.example"})
    assert "RETELL_API_KEY is not set" in str(info.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("127.0.0.1:39789", "(got '127.0.0.1:39789')"),
        ("api.retellai.com", "(got 'api.retellai.com')"),
        ("ftp://api.retellai.com/v2", "(got 'ftp://api.retellai.com/v2')"),
        ("https://", "(got 'https://')"),
        ("http://[::1", "(got 'http://[::1')"),
        # Credentials are never echoed back.
        ("admin:s3cret@api.retellai.com", "(got '***@api.retellai.com')"),
        ("ftp://admin:s3cret@host/", "(got 'ftp://***@host/')"),
    ],
)
def test_bad_base_url_messages_quote_the_value(url: str, shown: str) -> None:
    with pytest.raises(FatalError) as info:
        RetellClient.from_env({"RETELL_API_KEY": "key_abcdefgh", "RETELL_BASE_URL": url})
    message = str(info.value)
    assert message.startswith("RETELL_BASE_URL ")
    assert message.endswith(shown)
    assert "s3cret" not in message
    if "[" not in url:
        assert "must be an https:// URL" in message
