"""The API client against servers that trickle, never end, or send too much."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bounded_run import assert_ran, run_cli
from hostile_server import HostileServer

from retell_lint import api_limits, online
from retell_lint.errors import FatalError
from retell_lint.retell_api import RetellAPIError, RetellClient

KEY = "key_hostile0123456789abcdef012345"


def _env(server: HostileServer, timeout: str = "2") -> dict[str, str]:
    return {
        "RETELL_API_KEY": KEY,
        "RETELL_BASE_URL": server.base_url,
        "RETELL_LINT_TIMEOUT": timeout,
        "RETELL_LINT_MAX_RETRIES": "1",
        "RETELL_LINT_MAX_RETRY_DELAY": "0.01",
    }


def _drift(tmp_path: Path, server: HostileServer, timeout: str = "2", limit: float = 30) -> Any:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "retell").mkdir(exist_ok=True)
    (tmp_path / "retell" / "a.yaml").write_text('phone_number: "+14157774444"\n')
    return run_cli(
        ["drift"], tmp_path, env=_env(server, timeout), timeout=limit, memory=800 * 1024**2
    )


def _one_line(run: Any) -> str:
    assert_ran(run, 2)
    assert run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert KEY not in run.err
    return str(lines[0])


@pytest.mark.parametrize("behaviour", ["trickle-body", "trickle-headers"])
def test_trickling_server_hits_the_deadline(tmp_path: Path, behaviour: str) -> None:
    # A byte every 0.2 s: no single read ever waits 2 s, the whole read must still end.
    with HostileServer(behaviour, pause=0.2) as server:
        run = _drift(tmp_path, server)
    line = _one_line(run)
    assert "the account was not read within 2s (RETELL_LINT_TIMEOUT)" in line
    assert run.seconds < 10


def test_endless_pages_hit_the_item_cap(tmp_path: Path) -> None:
    with HostileServer("endless-pages") as server:
        run = _drift(tmp_path, server, timeout="60", limit=60)
        pages = server.pages
    line = _one_line(run)
    assert f"more than {api_limits.MAX_ITEMS} items; giving up" in line
    assert pages == api_limits.MAX_ITEMS // 1000 + 1


def test_endless_empty_pages_hit_the_deadline(tmp_path: Path) -> None:
    with HostileServer("endless-empty-pages") as server:
        run = _drift(tmp_path, server, timeout="2")
    assert "not read within 2s" in _one_line(run)
    assert run.seconds < 10


@pytest.mark.parametrize("behaviour", ["huge-declared", "huge-streamed"])
def test_huge_bodies_are_refused_in_bounded_memory(tmp_path: Path, behaviour: str) -> None:
    with HostileServer(behaviour) as server:
        run = _drift(tmp_path, server, timeout="30")
    line = _one_line(run)
    assert "response body larger than 32 MB; giving up" in line
    assert run.max_rss_kb < 400 * 1024


def test_deeply_nested_json_response(tmp_path: Path) -> None:
    with HostileServer("deep-json") as server:
        run = _drift(tmp_path, server)
    assert "response body is JSON nested too deep" in _one_line(run)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e309", "100000"])
def test_unusable_timeouts_are_one_line_errors(tmp_path: Path, value: str) -> None:
    with HostileServer("record") as server:
        run = _drift(tmp_path, server, timeout=value)
        assert server.requests == []
    assert "RETELL_LINT_TIMEOUT must" in _one_line(run)


def test_timeout_variable_sets_the_deadline_and_caps_each_request() -> None:
    options = online.client_options({"RETELL_LINT_TIMEOUT": "5"})
    assert options == {"timeout": 5.0, "deadline": 5.0}
    defaults = online.client_options({})
    assert defaults == {"timeout": 10.0, "deadline": 60.0}
    with pytest.raises(FatalError, match="RETELL_LINT_TIMEOUT must be at most 86400"):
        online.client_options({"RETELL_LINT_TIMEOUT": "inf"})


@pytest.mark.parametrize(
    "url",
    ["http://api.localhost", "http://x.localhost:8080", "http://localhost.localdomain"],
)
def test_plain_http_only_for_localhost_and_loopback_literals(url: str) -> None:
    with pytest.raises(FatalError) as info:
        RetellClient(KEY, url)
    assert f"refusing plain http:// RETELL_BASE_URL '{url}'" in str(info.value)


@pytest.mark.parametrize("url", ["http://localhost:9", "http://127.0.0.2:9", "http://[::1]:9"])
def test_plain_http_loopback_is_allowed(url: str) -> None:
    RetellClient(KEY, url).close()


def test_plain_http_never_goes_through_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    with HostileServer("record") as proxy, HostileServer("record") as api:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.base_url)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        client = RetellClient(KEY, api.base_url, max_retries=0)
        with client, pytest.raises(RetellAPIError):
            client.list_phone_numbers()  # '{}' is not a page: the request still went out
        assert proxy.requests == []
        assert len(api.requests) == 1


def test_stacked_gzip_is_capped_while_decoding(tmp_path: Path) -> None:
    # 4 KB of "gzip, gzip" decode to 1.5 GB: the cap applies to what decoding yields,
    # step by step, not to the whole of each network chunk after httpx decoded it.
    with HostileServer("gzip-bomb") as server:
        run = _drift(tmp_path, server, timeout="30")
    line = _one_line(run)
    assert "response body larger than 32 MB; giving up" in line
    assert run.max_rss_kb < 400 * 1024
    assert run.seconds < 20


def test_gzip_and_deflate_bodies_are_decoded_once(tmp_path: Path) -> None:
    import gzip
    import json
    import zlib

    import httpx

    page = json.dumps({"items": [{"phone_number": "+14157774444"}], "has_more": False}).encode()
    bodies = {
        "gzip": gzip.compress(page),
        "deflate": zlib.compress(page),
        "gzip, deflate": zlib.compress(gzip.compress(page)),
    }

    for coding, body in bodies.items():
        stream = httpx.ByteStream(body)
        response = httpx.Response(200, headers={"Content-Encoding": coding}, stream=stream)
        assert b"".join(api_limits.decoded_chunks(response)) == page, coding
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = raw_deflate.compress(page) + raw_deflate.flush()
    response = httpx.Response(
        200, headers={"Content-Encoding": "deflate"}, stream=httpx.ByteStream(body)
    )
    assert b"".join(api_limits.decoded_chunks(response)) == page
    with pytest.raises(api_limits.UnsupportedEncoding):
        bad = httpx.Response(200, headers={"Content-Encoding": "br"}, stream=httpx.ByteStream(b"x"))
        list(api_limits.decoded_chunks(bad))
    with pytest.raises(api_limits.UnsupportedEncoding):
        many = httpx.Response(
            200, headers={"Content-Encoding": ", ".join(["gzip"] * 5)}, stream=httpx.ByteStream(b"")
        )
        list(api_limits.decoded_chunks(many))
    with pytest.raises(api_limits.BodyUndecodable):
        broken = httpx.Response(
            200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip")
        )
        list(api_limits.decoded_chunks(broken))
