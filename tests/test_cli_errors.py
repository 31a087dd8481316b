"""Exit 2 always says why on stderr, one line per error, in every format and destination."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bounded_run import assert_ran, run_cli

GOOD = 'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: agent_a\n    weight: 1\n'
FORMATS = ["text", "json", "concise", "github", "sarif", "junit"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / "a.yaml").write_text(GOOD)
    (tmp_path / "retell" / "b.yaml").write_text(GOOD.replace("7774444", "5551234"))
    (tmp_path / "retell" / "c.yaml").symlink_to("missing.yaml")
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output-file"])
def test_tool_errors_are_on_stderr_in_every_format(project: Path, fmt: str, to_file: bool) -> None:
    args = ["check", "--format", fmt] + (["-o", "report.out"] if to_file else [])
    run = run_cli(args, project)
    assert_ran(run, 2)
    assert run.err.splitlines() == [
        "retell-lint: error: retell/c.yaml: cannot read: no such file or folder "
        "(a dangling symbolic link?)"
    ]
    report = (project / "report.out").read_text() if to_file else run.out
    assert "All checks passed" not in report
    if fmt == "json":
        assert json.loads(report)["errors"][0]["file"] == "retell/c.yaml"


def test_text_summary_never_says_all_checks_passed_beside_an_error(project: Path) -> None:
    run = run_cli(["check"], project)
    assert_ran(run, 2)
    assert run.out.splitlines()[-1] == "Not checked: 1 error (2 files, 2 numbers)."


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "--format", "xml"], "Invalid value for '--format'"),
        (["check", "--bogus"], "No such option '--bogus'"),
        (["explain"], "Missing argument 'RULE'"),
        (["nope"], "No such command 'nope'"),
    ],
)
def test_usage_errors_are_one_line(tmp_path: Path, args: list[str], needle: str) -> None:
    run = run_cli(args, tmp_path)
    assert_ran(run, 2)
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("retell-lint: error: ") and needle in lines[0]
    assert "--help" in lines[0]


def test_no_files_in_the_configured_tree_is_one_error_line_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    run = run_cli(["check"], tmp_path)
    assert_ran(run, 2)
    assert run.out == ""  # nothing claiming success
    assert run.err.splitlines() == [
        "retell-lint: error: no config files matched retell/**/*.yaml, retell/**/*.yml "
        f"under {tmp_path}; name files or folders, or set include in .retell-lint.yaml"
    ]


def test_named_folder_without_configs_exits_2(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "empty").mkdir()
    run = run_cli(["check", "empty"], tmp_path)
    assert_ran(run, 2)
    assert run.err.strip() == (
        "retell-lint: error: no config files to lint in empty "
        "(looked for retell/**/*.yaml, retell/**/*.yml)"
    )
