"""The saved plan file: what it records, and every way a file can be unusable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fake_retell import make_number

from retell_lint import __version__
from retell_lint.apply.saved_plan import files_fingerprint, live_fingerprint, load_plan
from retell_lint.errors import FatalError


def minimal(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": "retell-lint-plan",
        "version": 1,
        "tool": {"name": "retell-lint", "version": __version__},
        "base_url": "https://api.retellai.com",
        "paths": [],
        "config_file": None,
        "declared": {"files": [], "config": None, "sha256": "0" * 64},
        "options": {"rotate_secrets": False},
        "numbers": [{"phone_number": "+14157774444", "live": None}],
        "actions": [
            {"action": "update", "phone_number": "+14157774444", "body": {"nickname": "x"}}
        ],
    }
    document.update(changes)
    return document


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "plan.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_a_minimal_plan_loads(tmp_path: Path) -> None:
    saved = load_plan(write(tmp_path, minimal()))
    assert saved.numbers == {"+14157774444": None}
    assert saved.base_url == "https://api.retellai.com"
    assert len(saved.action_keys) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{", "not valid JSON"),
        ([], "not a retell-lint plan"),
        (minimal(format="terraform"), "not a retell-lint plan"),
        (minimal(version=2), "plan version 2"),
        (minimal(tool={"version": "0.0.1"}), "made by retell-lint '0.0.1'"),
        (minimal(base_url=None), "base_url is missing"),
        (minimal(paths="retell"), "paths must be a list"),
        # A NUL character in a file name: the system refuses it, so must the plan.
        (minimal(paths=["retell/\u0000.yaml"]), "paths must be a list of file names"),
        (minimal(config_file="\u0000"), "config_file must be a file name or null"),
        (minimal(declared={}), "declared.sha256"),
        (minimal(options={}), "options.rotate_secrets"),
        (minimal(actions=[{"action": "purge", "phone_number": "+1"}]), "each action needs"),
        (
            minimal(actions=[{"action": "delete", "phone_number": "+19999", "body": {}}]),
            "planned phone_number",
        ),
    ],
)
def test_unusable_plans(tmp_path: Path, data: Any, message: str) -> None:
    with pytest.raises(FatalError) as caught:
        load_plan(write(tmp_path, data))
    assert message in str(caught.value)


def test_missing_plan(tmp_path: Path) -> None:
    with pytest.raises(FatalError, match="cannot read the plan"):
        load_plan(str(tmp_path / "nope.json"))


def test_live_fingerprint_follows_content_and_ignores_secrets() -> None:
    number = make_number("+14157774444", nickname="a")
    first = live_fingerprint(number)
    assert first is not None and first["last_modification_timestamp"] == 1_760_000_000_000
    assert live_fingerprint(dict(number)) == first
    assert live_fingerprint({**number, "nickname": "b"}) != first
    with_secret = {**number, "sip_outbound_trunk_config": {"auth_password": "p"}}
    assert live_fingerprint(with_secret) == live_fingerprint(
        {**number, "sip_outbound_trunk_config": {}}
    )
    assert live_fingerprint(None) is None


def test_files_fingerprint_is_order_independent_and_content_sensitive() -> None:
    a = files_fingerprint([("a.yaml", "x"), ("b.yaml", "y")], None)
    assert a == files_fingerprint([("b.yaml", "y"), ("a.yaml", "x")], None)
    assert a["sha256"] != files_fingerprint([("a.yaml", "x"), ("b.yaml", "z")], None)["sha256"]
    assert a["sha256"] != files_fingerprint([("a.yaml", "x"), ("b.yaml", "y")], ("c", ""))["sha256"]
    assert [f["file"] for f in a["files"]] == ["a.yaml", "b.yaml"]


def test_plan_nested_too_deep_is_a_one_line_error(tmp_path: Path) -> None:
    # json recurses per level: a hostile plan file must not crash apply.
    path = tmp_path / "plan.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(FatalError, match="not valid JSON"):
        load_plan(str(path))
