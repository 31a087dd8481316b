"""Snapshots: secrets never stored, hostile snapshot files refused with one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bounded_run import assert_ran, run_cli

from retell_lint.drift import snapshot
from retell_lint.drift.snapshot import LiveState, dump_snapshot, load_live_state, scrub
from retell_lint.errors import FatalError

NUMBER = {"phone_number": "+14157774444", "nickname": "Front desk"}


def _state(**extra: Any) -> LiveState:
    return LiveState([dict(NUMBER)], "api", "2026-11-26T00:00:00Z", "the Retell API", **extra)


def test_scrub_drops_every_secret_looking_key_at_any_depth() -> None:
    obj = {
        "agent_id": "agent_a",
        "api_key": "k1",
        "webhook_secret": "s1",
        "llm": {"access_token": "t1", "model": "x", "headers": [{"Authorization": "Bearer z"}]},
        "sip": {"auth_password": "p1", "auth_username": "retell"},
        "private_key": "pk",
        "client_credentials": {"id": "x"},
        "webhook_url": "https://user:pw@hooks.example.com/x",
        "voice_id": "11labs-Adrian",
        "max_tokens": 5,
    }
    cleaned = scrub(obj)
    text = json.dumps(cleaned)
    for secret in ("k1", "s1", "t1", "Bearer z", "p1", "pk", "user:pw"):
        assert secret not in text
    assert cleaned["sip"] == {"auth_username": "retell"}
    assert cleaned["webhook_url"] == "https://hooks.example.com/x"
    assert cleaned["voice_id"] == "11labs-Adrian" and cleaned["llm"]["model"] == "x"


def test_snapshot_scrubs_agents_and_versions_too() -> None:
    agents = [{"agent_id": "agent_a", "webhook_secret": "s3cr3t", "llm_api_key": "sk-1"}]
    versions = {"agent_a": [{"version": 1, "auth_token": "tok-1", "is_published": True}]}
    text = dump_snapshot(_state(agents=agents, agent_versions=versions))
    for secret in ("s3cr3t", "sk-1", "tok-1"):
        assert secret not in text
    data = json.loads(text)
    assert data["agents"] == [{"agent_id": "agent_a"}]
    assert data["agent_versions"] == {"agent_a": [{"version": 1, "is_published": True}]}


def test_loaded_snapshot_is_scrubbed(tmp_path: Path) -> None:
    data = {
        "version": 1,
        "phone_numbers": [NUMBER],
        "agents": [{"agent_id": "agent_a", "api_key": "leak"}],
        "agent_versions": {"agent_a": [{"version": 2, "secret": "leak"}]},
    }
    (tmp_path / "s.json").write_text(json.dumps(data))
    state = load_live_state(str(tmp_path / "s.json"))
    assert "leak" not in json.dumps([state.agents, state.agent_versions])


def test_scrub_of_deep_objects_does_not_recurse() -> None:
    deep: Any = {"a": 1}
    for _ in range(5000):
        deep = {"x": [deep]}
    assert scrub(deep)["x"][0]["x"][0] is not None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"version": true, "phone_numbers": []}', "unsupported live state version True"),
        ('{"version": 1.0, "phone_numbers": []}', "unsupported live state version 1.0"),
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deep"),
        ('{"version": 1, "phone_numbers": ' + "[" * 100_000 + "]" * 100_000 + "}", "too deep"),
    ],
    ids=["bool-version", "float-version", "deep-array", "deep-numbers"],
)
def test_bad_live_state_files(tmp_path: Path, content: str, reason: str) -> None:
    (tmp_path / "s.json").write_text(content)
    with pytest.raises(FatalError) as info:
        load_live_state(str(tmp_path / "s.json"))
    assert reason in str(info.value)
    (tmp_path / "n.yaml").write_text('phone_number: "+14157774444"\n')
    run = run_cli(["drift", "--live-state", "s.json", "n.yaml"], tmp_path)
    assert_ran(run, 2)
    assert run.err.count("\n") == 1 and reason in run.err


def test_live_state_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "MAX_SNAPSHOT_BYTES", 1000)
    (tmp_path / "s.json").write_text(json.dumps({"version": 1, "phone_numbers": [NUMBER] * 50}))
    with pytest.raises(FatalError, match="live state is larger than"):
        load_live_state(str(tmp_path / "s.json"))
