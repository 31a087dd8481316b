"""Fixes that must not guess: suppression-like text inside values (D1) and keys
written twice (D2)."""

from __future__ import annotations

import json
from pathlib import Path

from bounded_run import run_cli

BLOCK = (
    'phone_number: "+14157774444"\n'
    "nickname: |\n  Desk\n  # retell-lint: ignore[RL101]\n"
    "inbound_webhook_url: >\n  https://x.example.com/a # retell-lint: ignore[RL302]\n"
    "area_code: 415  # retell-lint: ignore[RL101]\n"
)


def test_rl010_fix_leaves_suppression_text_inside_block_scalars(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    run = run_cli(["check", "--fix", "--unsafe-fixes", "n.yaml"], tmp_path)
    assert run.code == 1, run.err
    fixed = path.read_text(encoding="utf-8")
    # The values are as written; the real comment (an unknown rule) is the only edit.
    assert "  # retell-lint: ignore[RL101]\n" in fixed
    assert "  https://x.example.com/a # retell-lint: ignore[RL302]\n" in fixed
    assert fixed == BLOCK.replace("area_code: 415  # retell-lint: ignore[RL101]", "area_code: 415")


def test_rl010_fix_still_removes_real_comments(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    text = 'phone_number: "+14157774444"  # retell-lint: ignore[RL101]\nnickname: "a # b"\n'
    path.write_text(text, encoding="utf-8")
    run = run_cli(["check", "--fix", "n.yaml"], tmp_path)
    assert run.code in (0, 1), run.err
    assert path.read_text(encoding="utf-8") == 'phone_number: "+14157774444"\nnickname: "a # b"\n'


def test_fix_touching_a_duplicate_key_is_unsafe(tmp_path: Path) -> None:
    text = (
        'phone_number: "+14157774444"\nphone_number_type: custom\ntransport: TLS\ntransport: udp\n'
    )
    path = tmp_path / "n.yaml"
    path.write_text(text, encoding="utf-8")
    report = run_cli(["check", "--format", "json", "n.yaml"], tmp_path)
    fixes = {f["rule"]: f.get("fix") for f in json.loads(report.out)["findings"]}
    assert fixes["RL012"]["applicability"] == "unsafe"
    run = run_cli(["check", "--fix", "n.yaml"], tmp_path)
    assert run.code == 1  # the duplicate key is still an error
    assert path.read_text(encoding="utf-8") == text  # and no value was dropped


def test_fix_away_from_the_duplicate_key_stays_safe(tmp_path: Path) -> None:
    text = (
        'phone_number: "+14157774444"\nphone_number_type: custom\nnickname: A\nnickname: B\n'
        "transport: TLS\n"
    )
    path = tmp_path / "n.yaml"
    path.write_text(text, encoding="utf-8")
    report = run_cli(["check", "--format", "json", "n.yaml"], tmp_path)
    fixes = {f["rule"]: f.get("fix") for f in json.loads(report.out)["findings"]}
    assert fixes["RL012"]["applicability"] == "safe"


def test_suppression_text_inside_a_value_neither_suppresses_nor_is_reported(
    tmp_path: Path,
) -> None:
    # A value cannot hide the finding on the line after it.
    text = (
        'phone_number: "+14157774444"\nnickname: |\n  Desk\n  # retell-lint: ignore[RL403]\n'
        'fallback_number: "+1415"\n'
    )
    (tmp_path / "n.yaml").write_text(text, encoding="utf-8")
    run = run_cli(["check", "--format", "json", "n.yaml"], tmp_path)
    rules = [f["rule"] for f in json.loads(run.out)["findings"]]
    assert "RL010" not in rules
    assert any(rule in ("RL403", "RL101") for rule in rules), rules
    # The same text as a real comment suppresses as before.
    (tmp_path / "n.yaml").write_text(text.replace("|\n  Desk\n  #", "Desk\n#"), encoding="utf-8")
    real = run_cli(["check", "--format", "json", "n.yaml"], tmp_path)
    assert "RL403" not in [f["rule"] for f in json.loads(real.out)["findings"]]
