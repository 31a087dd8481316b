"""Fuzzing the surfaces beyond the reader: team policies, saved plans, snapshots and
HTTP responses (issue 16). Each example runs the real command in a child forked from
tests/fork_runner.py; it must end with exit 0, 1 or 2 (no signal, no internal error)
within 5 seconds of CPU time and 500 MB, and 30 seconds of wall time (the machine
may be shared and loaded, but nothing may hang).

CI runs a few dozen examples of each. For a long run::

    RETELL_LINT_FUZZ_EXAMPLES=20000 python -m pytest -q tests/test_fuzz_surfaces.py -s
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import tempfile
import threading
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from fork_runner import ForkRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("RETELL_LINT_FUZZ_EXAMPLES", "30"))
MAX_SECONDS = 5.0
MAX_WALL_SECONDS = 30.0
MAX_RSS_KB = 500 * 1024
FIGURES: dict[str, list[float]] = {}
NUMBER = (
    'phone_number: "+14157774444"\nnickname: Front desk\n'
    "inbound_agents:\n  - agent_id: agent_a\n    weight: 1\n    agent_version: 3\n"
    "inbound_webhook_url: https://hooks.example.com/a\n"
)
KEY = "key_fuzz0123456789abcdef0123456789"
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks each example")

# -- shared -----------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from("\x00\x1b\n\u2028"),
    max_size=40,
)
JSON_LEAF = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | TEXT
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def runner() -> Iterator[ForkRunner]:
    started = ForkRunner()
    yield started
    started.close()
    for name, (count, slowest, rss) in FIGURES.items():
        print(
            f"\nfuzz {name}: {count:.0f} examples, most CPU {slowest:.2f}s, "
            f"peak {rss / 1024:.0f} MB"
        )


def _run(
    runner: ForkRunner,
    surface: str,
    files: dict[str, str | bytes],
    args: list[str],
    env: dict[str, str],
) -> str:
    root = tempfile.mkdtemp(prefix=f"retell-lint-fuzz-{surface}-")
    try:
        os.mkdir(os.path.join(root, ".git"))
        for name, content in files.items():
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(
                    content.encode("utf-8", "surrogatepass")
                    if isinstance(content, str)
                    else content
                )
        unset = ["GITHUB_ACTIONS", "RETELL_API_KEY", "RETELL_BASE_URL"]
        code, wall, rss, output = runner.run(root, args, env, [u for u in unset if u not in env])
        seconds = runner.last_cpu_seconds
    finally:
        shutil.rmtree(root, ignore_errors=True)
    count, slowest, peak = FIGURES.get(surface, [0, 0.0, 0])
    FIGURES[surface] = [count + 1, max(slowest, seconds), max(peak, rss)]
    _progress(surface, code, seconds, rss, output)
    assert code in (0, 1, 2), f"exit {code}: {output[-2000:]}"
    assert "internal error" not in output, output[-2000:]
    assert seconds < MAX_SECONDS, f"{seconds:.1f}s of CPU"
    assert wall < MAX_WALL_SECONDS, f"{wall:.1f}s"
    assert rss < MAX_RSS_KB, f"{rss} KB"
    assert "\x1b" not in output, output[-2000:]
    return output


def _progress(surface: str, code: int, seconds: float, rss: int, output: str) -> None:
    """With RETELL_LINT_FUZZ_PROGRESS=FILE, a long run notes its figures every 500
    examples and every bad run as it happens (a run cut short still says how far it got)."""
    path = os.environ.get("RETELL_LINT_FUZZ_PROGRESS")
    if not path:
        return
    count, slowest, peak = FIGURES[surface]
    bad = code not in (0, 1, 2) or "internal error" in output or seconds >= MAX_SECONDS
    if bad or rss >= MAX_RSS_KB or count % 500 == 0:
        with open(path, "a", encoding="utf-8") as handle:
            note = f" BAD exit {code} {seconds:.1f}s {output[-300:]!r}" if bad else ""
            handle.write(
                f"{surface}: {count:.0f} examples, most CPU {slowest:.2f}s, "
                f"peak {peak / 1024:.0f} MB{note}\n"
            )


# -- policies -----------------------------------------------------------------------------

REGEX = st.text(alphabet=st.sampled_from("a|()*+?{}[]^$\\.-,0123456789dwsSzZ=!<P>:"), max_size=30)
PATHS = st.sampled_from(
    [
        "nickname",
        "inbound_agents[*].agent_id",
        "inbound_agents[*].weight",
        "area_code",
        "inbound_webhook_url",
        "allowed_inbound_country_list",
        "inbound_agents",
        "x.y[",
        "**",
    ]
)
ASSERTION = st.fixed_dictionaries(
    {},
    optional={
        "pattern": REGEX,
        "not_pattern": REGEX,
        "present": st.booleans(),
        "min": JSON,
        "max_items": JSON,
        "one_of": JSON,
        "equals": JSON,
        "unique": JSON,
        "type": TEXT,
        "not": st.just({"pattern": "(a|aa)*$"}),
        "all": st.lists(st.just({"pattern": "x{2,}"})),
    },
)


@st.composite
def policies(draw: Any) -> str:
    entries = []
    for index in range(draw(st.integers(1, 3))):
        entry: dict[str, Any] = {
            "id": draw(st.sampled_from([f"ACME{index:03d}", "RL301", "x"])),
            "name": draw(st.sampled_from([f"team-rule-{index}", "Bad Name"])),
            "message": draw(st.sampled_from(["team rule", "", "a\nb"])),
            "field": draw(PATHS),
            "require": draw(ASSERTION),
        }
        if draw(st.booleans()):
            entry["where"] = {draw(PATHS): draw(ASSERTION)}
        if draw(st.booleans()):
            entry["scope"] = draw(st.sampled_from(["number", "project", "file"]))
        entries.append(entry)
    return json.dumps({"policies": entries}, ensure_ascii=False)  # JSON is YAML


@SETTINGS
@given(config=policies(), nickname=TEXT, fmt=st.sampled_from(["text", "json", "sarif", "junit"]))
def test_policies(runner: ForkRunner, config: str, nickname: str, fmt: str) -> None:
    number = NUMBER.replace("Front desk", json.dumps(nickname))
    files: dict[str, str | bytes] = {".retell-lint.yaml": config, "retell/n.yaml": number}
    _run(runner, "policies", files, ["check", "--format", fmt], {})


# -- saved plans ----------------------------------------------------------------------------

PLAN: dict[str, Any] = {
    "format": "retell-lint-plan",
    "version": 1,
    "tool": {"name": "retell-lint", "version": "0.1.0"},
    "base_url": "http://127.0.0.1:9",
    "paths": [],
    "config_file": None,
    "declared": {"files": [], "config": None, "sha256": "0" * 64},
    "options": {"rotate_secrets": False},
    "numbers": [{"phone_number": "+14157774444", "live": None}],
    "actions": [{"action": "update", "phone_number": "+14157774444", "body": {"nickname": "x"}}],
}


@st.composite
def mutated(draw: Any, base: dict[str, Any]) -> str:
    document = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.sampled_from(sorted(document)))
        document[key] = draw(JSON | st.just(base[key]))
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 5)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text


@SETTINGS
@given(plan=mutated(PLAN))
def test_saved_plans(runner: ForkRunner, plan: str) -> None:
    files: dict[str, str | bytes] = {"plan.json": plan, "retell/n.yaml": NUMBER}
    env = {
        "RETELL_API_KEY": KEY,
        "RETELL_BASE_URL": "http://127.0.0.1:9",
        "RETELL_LINT_TIMEOUT": "2",
        # Nothing listens there: retrying a refused connection only waits. The HTTP
        # surface below fuzzes what the client does with answers and retries.
        "RETELL_LINT_MAX_RETRIES": "0",
    }
    output = _run(runner, "plans", files, ["apply", "--plan", "plan.json"], env)
    assert KEY not in output


# -- snapshots ------------------------------------------------------------------------------

SNAPSHOT: dict[str, Any] = {
    "version": 1,
    "source": "api",
    "taken_at": "2026-01-01T00:00:00Z",
    "complete": True,
    "phone_numbers": [{"phone_number": "+14157774444", "nickname": "Desk"}],
    "agents": [{"agent_id": "agent_a", "tags": {}}],
    "agent_versions": {"agent_a": [{"version": 3}]},
}


@SETTINGS
@given(snapshot=mutated(SNAPSHOT), fmt=st.sampled_from(["text", "json", "markdown"]))
def test_snapshots(runner: ForkRunner, snapshot: str, fmt: str) -> None:
    files: dict[str, str | bytes] = {"live.json": snapshot, "retell/n.yaml": NUMBER}
    _run(runner, "snapshots", files, ["drift", "--live-state", "live.json", "--format", fmt], {})


# -- HTTP responses -------------------------------------------------------------------------


class _Responder:
    """Answers every request with the current example's raw response."""

    def __init__(self) -> None:
        self.response = b""
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                connection.sendall(self.response)
            except OSError:
                return

    def close(self) -> None:
        self._socket.close()


@pytest.fixture(scope="module")
def responder() -> Iterator[_Responder]:
    server = _Responder()
    yield server
    server.close()


@st.composite
def responses(draw: Any) -> bytes:
    page = {"items": draw(st.lists(JSON, max_size=3)), "has_more": draw(JSON)}
    numbers = [{"phone_number": "+14157774444", "nickname": draw(TEXT)}]
    body = json.dumps(draw(st.sampled_from([numbers, page, draw(JSON)])), ensure_ascii=False)
    raw = body.encode("utf-8", "surrogatepass")
    encoding = draw(st.sampled_from(["", "gzip", "deflate", "gzip, gzip", "br", "gzip, deflate"]))
    if encoding == "gzip":
        raw = gzip.compress(raw)
    elif encoding == "deflate":
        raw = zlib.compress(raw)
    elif encoding == "gzip, gzip":
        raw = gzip.compress(gzip.compress(raw))
    if draw(st.integers(0, 5)) == 0:
        raw = raw[: draw(st.integers(0, len(raw)))]
    status = draw(st.sampled_from([200, 200, 200, 400, 404, 429, 500]))
    length = draw(st.sampled_from([len(raw), len(raw), len(raw) + 5, 0]))
    headers = [
        f"HTTP/1.1 {status} X",
        "Content-Type: application/json",
        f"Content-Length: {length}",
    ]
    if encoding:
        headers.append(f"Content-Encoding: {encoding}")
    if draw(st.booleans()):
        headers.append(f"Retry-After: {draw(st.sampled_from(['0', '1e9', 'x', '-1']))}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + raw


@SETTINGS
@given(response=responses(), command=st.sampled_from(["drift", "snapshot", "plan"]))
def test_http_responses(
    runner: ForkRunner, responder: _Responder, response: bytes, command: str
) -> None:
    responder.response = response
    env = {
        "RETELL_API_KEY": KEY,
        "RETELL_BASE_URL": f"http://127.0.0.1:{responder.port}",
        "RETELL_LINT_TIMEOUT": "3",
        "RETELL_LINT_MAX_RETRIES": "0",
    }
    output = _run(runner, "http", {"retell/n.yaml": NUMBER}, [command], env)
    assert KEY not in output
