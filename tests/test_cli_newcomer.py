"""What a newcomer meets first: bare invocation, an empty tree, option mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from retell_lint.cli import cli, main

GOOD = 'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: agent_a\n    weight: 1\n'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def test_bare_command_prints_help_with_real_line_breaks(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith("Usage: retell-lint [OPTIONS] COMMAND [ARGS]...\n")
    assert "\\n" not in captured.out
    assert "\n  check " in captured.out


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_empty_tree_is_one_error_naming_the_globs(
    repo: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    assert main(["check", "--format", fmt]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert "no config files matched retell/**/*.yaml, retell/**/*.yml" in lines[0]
    assert "passed" not in captured.err


def test_empty_tree_in_json_is_a_document_with_the_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["files"] == 0
    assert report["errors"][0]["message"].startswith(
        "no config files matched retell/**/*.yaml, retell/**/*.yml"
    )


def test_files_excluded_by_force_exclude_still_exit_0(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # pre-commit passes a file the config excludes: nothing to lint is not an error.
    (repo / ".retell-lint.yaml").write_text("exclude: ['skip/**']\n")
    (repo / "skip").mkdir()
    (repo / "skip" / "a.yaml").write_text(GOOD)
    assert main(["check", "--force-exclude", "skip/a.yaml"]) == 0
    assert "excluded" in capsys.readouterr().err


def test_unsafe_fixes_alone_is_a_usage_error(repo: Path) -> None:
    (repo / "retell").mkdir()
    (repo / "retell" / "a.yaml").write_text(GOOD)
    result = CliRunner().invoke(cli, ["check", "--unsafe-fixes"])
    assert result.exit_code == 2
    assert "--unsafe-fixes only changes what --fix or --diff do" in result.output
    for flags in (["--fix"], ["--diff"]):
        assert CliRunner().invoke(cli, ["check", "--unsafe-fixes", *flags]).exit_code == 0
