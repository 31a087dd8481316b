"""The command line: report shapes, exit codes, options, failures."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from retell_lint import __version__, engine, source
from retell_lint.cli import main

BAD = """\
phone_number: "+14157774444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 0.6
  - agent_id: agent_backup
    weight: 0.3
"""
GOOD = BAD.replace("0.6", "0.7").replace("7774444", "5551234")


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "bad.yaml").write_text(BAD)
    (tmp_path / "good.yaml").write_text(GOOD)
    return tmp_path


def test_version(capsys):
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_text_report_shows_location_source_line_caret_and_summary(files, capsys):
    assert main(["check", "bad.yaml", "good.yaml"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == (
        "bad.yaml:2:1: RL301 [error] weights of inbound_agents add up to 0.9; they must add "
        "up to 1 — raise one weight by 0.1 (weights-sum)"
    )
    assert lines[1] == "  2 | inbound_agents:"
    assert lines[2] == "    | ^^^^^^^^^^^^^^"
    assert lines[-1] == "Found 1 error in 1 of 2 files (2 numbers)."
    assert "\x1b[" not in out  # not a terminal: no colour


def test_clean_run_says_so_and_exits_0(files, capsys):
    assert main(["check", "good.yaml"]) == 0
    assert capsys.readouterr().out.strip() == "All checks passed (1 file, 1 number)."


def test_json_report_shape(files, capsys):
    assert main(["check", "--format", "json", "bad.yaml"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == 1
    assert report["tool"] == {"name": "retell-lint", "version": __version__, "command": "check"}
    assert report["errors"] == []
    fixes = report["summary"].pop("fixes")
    assert report["summary"] == {
        "files": 1,
        "files_with_findings": 1,
        "numbers": 1,
        "error": 1,
        "warning": 0,
        "info": 0,
        "baseline": None,
    }
    # Two weights that do not add up to 1: only the unsafe fix can scale them.
    assert fixes == {"fixed": 0, "fixable": 0, "unsafe_fixable": 1}
    (finding,) = report["findings"]
    assert finding == {
        "rule": "RL301",
        "name": "weights-sum",
        "severity": "error",
        "message": finding["message"],
        "file": "bad.yaml",
        "line": 2,
        "column": 1,
        "end_line": 2,
        "end_column": 15,
        "path": "inbound_agents",
        "phone_number": "+14157774444",
        "url": "https://github.com/retell-lint/retell-lint/blob/main/docs/rules.md#rl301-weights-sum",
        "fix": {
            "applicability": "unsafe",
            # What the fix does, told without working out its edits (--diff shows them).
            "description": "scale the weights so they add up to 1",
        },
    }


def test_output_file(files, capsys):
    assert main(["check", "--format", "json", "--output", "report.json", "bad.yaml"]) == 1
    assert capsys.readouterr().out == ""
    assert json.loads((files / "report.json").read_text())["summary"]["error"] == 1


def test_exit_zero_and_fail_level(files, capsys):
    assert main(["check", "--exit-zero", "bad.yaml"]) == 0
    (files / "warn.yaml").write_text(GOOD + "nickname: yes\n")
    assert main(["check", "warn.yaml"]) == 0
    assert main(["check", "--fail-level", "warning", "warn.yaml"]) == 1
    assert main(["check", "--fail-level", "warning", "--exit-zero", "warn.yaml"]) == 0


def test_stdin_with_a_name(files, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code = main(["check", "--format", "json", "--stdin-filename", "retell/x.yaml", "-"])
    assert code == 1
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["file"] == "retell/x.yaml"


def test_stdin_filename_without_dash_is_a_usage_error(files, capsys, monkeypatch):
    # Without '-' the text on stdin would be ignored and the tree linted instead.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    assert main(["check", "--stdin-filename", "retell/x.yaml"]) == 2
    assert main(["check", "--stdin-filename", "retell/x.yaml", "good.yaml"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "pass '-' as the path" in captured.err
    assert "All checks passed" not in captured.err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "missing.yaml"], "no such file or folder: missing.yaml"),
        (["check", "--format", "xml", "bad.yaml"], "Invalid value for '--format'"),
        (["check", "--no-such-option"], "No such option"),
        (["explain", "RL999"], "unknown rule 'RL999'"),
        (["nonsense"], "No such command"),
    ],
)
def test_cannot_run_exits_2_with_one_line(files, capsys, args, needle):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert "Traceback" not in err


def test_internal_error_exits_2_and_debug_shows_traceback(files, capsys, monkeypatch):
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    from retell_lint import lintrun

    monkeypatch.setattr(lintrun, "finish", explode)
    assert main(["check", "bad.yaml"]) == 2
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err
    assert "Traceback" not in err
    assert main(["check", "--debug", "bad.yaml"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_colour_always_and_no_color(files, capsys, monkeypatch):
    main(["check", "--color", "always", "bad.yaml"])
    assert "\x1b[31m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(["check", "bad.yaml"])
    assert "\x1b[" not in capsys.readouterr().out


def test_unreadable_file_is_a_tool_error_exit_2(files, capsys):
    # A sparse file past the size limit: unreadable as a config, even for root.
    with open(files / "huge.yaml", "wb") as handle:
        handle.truncate(source.MAX_FILE_BYTES + 1)
    assert main(["check", "--format", "json", "huge.yaml", "bad.yaml"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == [
        {"file": "huge.yaml", "message": "larger than 50 MB; not a config file"}
    ]
    assert report["summary"]["error"] == 1  # bad.yaml was still linted


def test_help_documents_exit_codes(capsys):
    assert main(["check", "--help"]) == 0
    assert "Exit codes: 0" in capsys.readouterr().out


def test_console_script_runs(files):
    proc = subprocess.run(
        [sys.executable, "-m", "retell_lint", "check", "bad.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "RL301" in proc.stdout


def _result_with(severities: list[tuple[str, str]], files: int, numbers: int):
    from retell_lint.findings import Finding

    findings = [
        Finding("RL301", "weights-sum", severity, "m", name, 1, 1, 1, 2)  # type: ignore[arg-type]
        for name, severity in severities
    ]
    return engine.LintResult(findings, [], files, [object()] * numbers)  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("severities", "files", "numbers", "expected"),
    [
        (
            [("a", "error")] * 5 + [("a", "warning")] * 6 + [("b", "warning"), ("b", "info")],
            4,
            6,
            "Found 5 errors, 7 warnings and 1 info in 2 of 4 files (6 numbers).",
        ),
        ([("a", "info")] * 3, 1, 1, "Found 3 info in 1 of 1 file (1 number)."),
        (
            [("a", "warning"), ("a", "info")],
            2,
            2,
            "Found 1 warning and 1 info in 1 of 2 files (2 numbers).",
        ),
        ([], 3, 0, "All checks passed (3 files, 0 numbers)."),
    ],
)
def test_summary_line_says_what_it_counts(severities, files, numbers, expected):
    from retell_lint.render import concise, text

    result = _result_with(severities, files, numbers)
    assert text.summary_line(result) == expected
    assert concise.render(result).splitlines()[-1] == expected


def test_stderr_style_of_one_run_does_not_leak_into_the_next(tmp_path, monkeypatch, capsys):
    # A github-format run escapes stderr as workflow-command data; a later plain run
    # in the same process must not.
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "github", "missing-100%.yaml"]) == 2
    assert "%25" in capsys.readouterr().err
    assert main(["check", "missing-100%.yaml"]) == 2
    err = capsys.readouterr().err
    assert "missing-100%.yaml" in err and "%25" not in err
