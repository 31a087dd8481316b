"""Output helpers, and what reaches a terminal or a CI log from hostile names and values."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bounded_run import assert_ran, run_cli

from retell_lint import output
from retell_lint.errors import FatalError
from retell_lint.findings import ToolError

GOOD = 'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: agent_a\n    weight: 1\n'
WORKFLOW_NAME = "a\n::stop-commands::tok\n::error file=x::pwned\x1b]0;title\x07.yaml"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, unicode é ✓", "plain text, unicode é ✓"),
        ("two\nlines\r", "two\\nlines\\r"),
        ("\x1b]0;title\x07\x1b[2J", "\\x1b]0;title\\x07\\x1b[2J"),
        ("tab\there", "tab\\there"),
        ("c1 \x9b csi, del \x7f", "c1 \\x9b csi, del \\x7f"),
        ("line\u2028sep", "line\\u2028sep"),
        ("bidi \u202e txt", "bidi \\u202e txt"),
        ("byte \udcff", "byte \\xff"),
    ],
)
def test_safe_text_escapes_control_characters(text: str, shown: str) -> None:
    assert output.safe_text(text) == shown


def test_display_name_keeps_controls_but_makes_valid_unicode() -> None:
    assert output.display_name("a\udcffb.yaml") == "a\\xffb.yaml"
    assert output.display_name("ok.yaml") == "ok.yaml"
    output.display_name("a\udcffb").encode("utf-8")  # no lone surrogate left


def test_fatal_and_tool_errors_are_one_line() -> None:
    error = FatalError("cannot read: x\ny", location="a\nb.yaml")
    assert "\n" not in str(error) and str(error) == "a\\nb.yaml: cannot read: x\\ny"
    assert str(ToolError("bad\x1b[2J", "f\n.yaml")) == "f\\n.yaml: bad\\x1b[2J"


def test_error_line_in_github_style_escapes_workflow_data() -> None:
    try:
        output.set_stderr_style("github")
        line = output.error_line("50% of ::set-output\n::x")
        assert line == "retell-lint: 50%25 of ::set-output\\n::x"
    finally:
        output.set_stderr_style("text")
    assert output.error_line("50%") == "retell-lint: 50%"


def _lines_are_ours(text: str) -> None:
    for line in text.splitlines():
        assert not line.startswith("::stop-commands"), line
        assert not line.startswith("::error file=x"), line
    assert "\x1b" not in text and "\x07" not in text


def test_github_actions_dangling_link_with_workflow_commands_in_its_name(tmp_path: Path) -> None:
    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / "ok.yaml").write_text(GOOD)
    os.symlink("missing-target", tmp_path / "retell" / WORKFLOW_NAME)
    run = run_cli(["check"], tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert_ran(run, 2)
    _lines_are_ours(run.out)
    _lines_are_ours(run.err)
    assert all(line.startswith("retell-lint: ") for line in run.err.splitlines()), run.err
    assert "::stop-commands::tok" in run.err  # shown, on the error's own line
    # The report's annotation carries the name escaped as workflow data.
    annotation = "::error file=retell/a%0A%3A%3Astop"
    assert any(line.startswith(annotation) for line in run.out.splitlines())


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "json", "sarif", "junit"])
def test_stderr_error_for_a_named_file_is_one_line(tmp_path: Path, fmt: str) -> None:
    name = "gone\n::error::x\x1b[2J.yaml"
    run = run_cli(["check", "--format", fmt, name], tmp_path)
    assert_ran(run, 2)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("retell-lint: error: no such file"), run.err
    assert "\x1b" not in run.err


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_keys_and_values_cannot_start_lines_or_send_escapes(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "n.yaml").write_text(
        GOOD + '"\\e]0;owned\\a\\e[2Jevil\\nINJECTED: line": 1\nnickname: "x\\ny"\n'
    )
    run = run_cli(["check", "--format", fmt, "n.yaml"], tmp_path)
    assert_ran(run, 1)
    assert "\x1b" not in run.out and "\x07" not in run.out
    assert not any(line.startswith("INJECTED") for line in run.out.splitlines())
    newline = "%0A" if fmt == "github" else "\\n"
    assert f"unknown field '\\x1b]0;owned\\x07\\x1b[2Jevil{newline}INJECTED: line'" in run.out


def test_snippets_show_invisible_characters_escaped(tmp_path: Path) -> None:
    # YAML allows bidirectional overrides in scalars; a snippet must not reorder the line.
    (tmp_path / "n.yaml").write_text('{phone_number: "+14157774444", "a\u202eb": 1}\n')
    run = run_cli(["check", "n.yaml"], tmp_path)
    assert_ran(run, 1)
    assert "\u202e" not in run.out
    assert '  1 | {phone_number: "+14157774444", "a\\u202eb": 1}' in run.out.splitlines()
