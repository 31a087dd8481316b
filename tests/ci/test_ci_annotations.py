"""``--format github``: the most severe annotations first, no more of each kind than
GitHub shows per step, the rest as plain log lines and one notice that counts them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_helpers import finding, result_of

from retell_lint.cli import main
from retell_lint.findings import ToolError
from retell_lint.render import github

STOP = re.compile(r"^::stop-commands::(\S+)$")


def as_the_runner_reads(out: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(kind, message) of each command the runner acts on, and the lines it does not."""
    commands: list[tuple[str, str]] = []
    plain: list[str] = []
    resume: str | None = None
    for line in out.splitlines():
        if resume is not None:
            if line == resume:
                resume = None
            else:
                plain.append(line)
            continue
        stop = STOP.match(line)
        if stop:
            resume = f"::{stop.group(1)}::"
            continue
        match = re.match(r"^::(error|warning|notice)[ :]", line)
        if match:
            commands.append((match.group(1), line.rsplit("::", 1)[-1]))
        else:
            plain.append(line)
    assert resume is None, "commands never resumed"
    return commands, plain


def mixed(errors: int, warnings: int, infos: int) -> str:
    # Interleaved, least severe first, so the order comes from the renderer.
    findings = [finding(severity="info", line=i + 1, end_line=i + 1) for i in range(infos)]
    findings += [
        finding(severity="warning", line=100 + i, end_line=100 + i) for i in range(warnings)
    ]
    findings += [finding(severity="error", line=200 + i, end_line=200 + i) for i in range(errors)]
    return github.render(result_of(findings))


def test_most_severe_first_ten_of_each_and_one_notice_for_the_rest() -> None:
    out = mixed(errors=15, warnings=12, infos=3)
    commands, plain = as_the_runner_reads(out)
    kinds = [kind for kind, _ in commands]
    assert kinds == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 4
    last = commands[-1][1]
    assert last.startswith("7 more findings (5 errors, 2 warnings) are not shown as annotations")
    assert "listed in this step's log above this notice" in last
    listed = [line for line in plain if re.match(r"^n\.yaml:\d+:3: RL301 ", line)]
    assert len(listed) == 7
    assert sum("[error]" in line for line in listed) == 5
    assert plain[-1].startswith("Found ")


def test_no_notice_when_everything_is_shown() -> None:
    commands, plain = as_the_runner_reads(mixed(errors=10, warnings=10, infos=10))
    assert len(commands) == 30
    assert not any("more findings" in message for _, message in commands)
    assert "::stop-commands::" not in mixed(errors=10, warnings=10, infos=10)
    assert len(plain) == 1


def test_the_notice_takes_a_notice_place() -> None:
    commands, _ = as_the_runner_reads(mixed(errors=0, warnings=0, infos=12))
    assert [kind for kind, _ in commands] == ["notice"] * 10
    assert commands[-1][1].startswith("3 more findings (3 notices)")


def test_tool_errors_come_first_and_count_as_errors() -> None:
    errors = [ToolError(f"cannot read: boom {i}", f"x{i}.yaml") for i in range(3)]
    findings = [finding(line=i + 1, end_line=i + 1) for i in range(9)]
    commands, plain = as_the_runner_reads(github.render(result_of(findings, errors)))
    assert [m for _, m in commands[:3]] == [f"cannot read: boom {i}" for i in range(3)]
    assert commands[-1][1].startswith("2 more findings (2 errors)")
    assert sum(line.startswith("n.yaml:") for line in plain) == 2


def test_hostile_text_in_the_plain_lines_cannot_become_a_command() -> None:
    bad = [
        finding(file="::warning::x.yaml", message="a\n::error::forged", line=i + 1, end_line=i + 1)
        for i in range(12)
    ]
    out = github.render(result_of(bad))
    commands, plain = as_the_runner_reads(out)
    assert [kind for kind, _ in commands] == ["error"] * 10 + ["notice"]
    assert not any("forged" in message and kind == "error" for kind, message in commands[10:])
    assert sum("a\\n::error::forged" in line for line in plain) == 2


def test_check_cli_caps_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    documents = [
        f'phone_number: "+1415555{i:04d}"\ninbound_agents: [{{agent_id: a, weight: 0.5}}]\n'
        for i in range(12)
    ]
    Path("many.yaml").write_text("---\n".join(documents), encoding="utf-8")
    code = main(["check", "--format", "github", "many.yaml"])
    out = capsys.readouterr().out
    assert code == 1
    commands, plain = as_the_runner_reads(out)
    errors = [m for kind, m in commands if kind == "error"]
    assert len(errors) == 10
    assert commands[-1][0] == "notice" and commands[-1][1].startswith("2 more findings (2 errors")
    assert sum(line.startswith("many.yaml:") for line in plain) >= 2
