"""Project configuration: discovery, validation with file:line, effects."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from json_schemas import assert_valid

from retell_lint.cli import main
from retell_lint.config import find_config, load_config
from retell_lint.errors import FatalError

HALF_WEIGHT = """\
phone_number: "+14157774444"
nickname: yes
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 0.5
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / "front.yaml").write_text(HALF_WEIGHT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(["check", "--format", "json", *args])
    captured = capsys.readouterr()
    report = assert_valid("check", captured.out) if captured.out.strip() else {}
    return code, report, captured.err


def test_no_config_uses_defaults(project, capsys):
    code, report, _ = run(capsys)
    assert code == 1
    assert sorted(f["rule"] for f in report["findings"]) == ["RL013", "RL301"]


def test_yaml_config_turns_rules_off_and_changes_severity(project, capsys):
    write(project / ".retell-lint.yaml", "rules:\n  RL301: warning\n  RL013: off\n")
    code, report, _ = run(capsys)
    assert code == 0  # the only finding is now a warning
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("RL301", "warning")]


def test_fail_level_from_config_and_option(project, capsys):
    write(project / ".retell-lint.yaml", "fail_level: warning\nrules: {RL301: off}\n")
    assert run(capsys)[0] == 1  # RL013 warning fails at warning level
    assert run(capsys, "--fail-level", "error")[0] == 0


def test_rule_off_by_default_can_be_turned_on(project, capsys):
    write(project / ".retell-lint.yaml", "rules:\n  RL307: on\n")
    _, report, _ = run(capsys)
    assert "RL307" in {f["rule"] for f in report["findings"]}


def test_pyproject_section_is_found_walking_up(project, capsys, monkeypatch):
    write(project / "pyproject.toml", '[tool.retell-lint]\nrules = { RL013 = "off" }\n')
    monkeypatch.chdir(project / "retell")
    assert find_config(Path.cwd()) == project / "pyproject.toml"
    _, report, _ = run(capsys, "front.yaml")
    assert [f["rule"] for f in report["findings"]] == ["RL301"]


def test_pyproject_without_section_is_skipped(project):
    write(project / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(project) is None


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("include: [retell/**]\nexclud: [x]\n", 2, "unknown key 'exclud'"),
        ("rules:\n  RL301: off\n  RL999: off\n", 3, "unknown rule 'RL999'"),
        ("rules:\n  RL301: loud\n", 2, "setting must be one of"),
        ("fail_level: fatal\n", 1, "fail_level must be one of"),
        ("drift:\n  ignore:\n    - phone_number: '+14157774444'\n", 3, "need a reason"),
        ("rules: [RL301]\n", 1, "'rules' must map"),
    ],
)
def test_invalid_config_exits_2_naming_file_and_line(project, capsys, text, line, needle):
    write(project / ".retell-lint.yaml", text)
    code, report, err = run(capsys)
    assert code == 2
    # The JSON run still prints a document: the envelope and the one error.
    assert set(report) == {"tool", "errors"}
    assert needle in report["errors"][0]["message"]
    assert f".retell-lint.yaml:{line}" in err
    assert needle in err
    assert "Traceback" not in err


def test_invalid_pyproject_names_the_line(project, capsys):
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.retell-lint]\nbogus = 1\n')
    code, _, err = run(capsys)
    assert code == 2
    assert "pyproject.toml:5" in err


def test_yaml_syntax_error_in_config(project, capsys):
    write(project / ".retell-lint.yaml", "rules: [\n")
    code, _, err = run(capsys)
    assert code == 2
    assert "invalid YAML" in err


def test_explicit_config_option(project, capsys):
    write(project / "strict.yaml", "fail_level: info\n")
    assert run(capsys, "--config", "strict.yaml")[0] == 1
    code, _, err = run(capsys, "--config", "missing.yaml")
    assert code == 2
    assert "missing.yaml" in err


def test_drift_ignore_entries_are_read(project):
    write(
        project / ".retell-lint.yaml",
        """\
        drift:
          ignore:
            - phone_number: "+14157774444"
              field: nickname
              reason: edited by the front desk team
        """,
    )
    config = load_config()
    assert [(i.phone_number, i.field, i.reason) for i in config.drift_ignore] == [
        ("+14157774444", "nickname", "edited by the front desk team")
    ]


def test_config_errors_are_fatal_errors(project):
    write(project / ".retell-lint.yaml", "include: 3\n")
    with pytest.raises(FatalError, match="list of glob patterns"):
        load_config()


def test_rule_names_work_in_the_config(project, capsys):
    settings = "rules:\n  weights-sum: off\n  unpinned-agent-version: on\n"
    write(project / ".retell-lint.yaml", settings)
    config = load_config()
    assert config.rules == {"RL301": "off", "RL307": "on"}
    _, report, _ = run(capsys)
    rules = {f["rule"] for f in report["findings"]}
    assert "RL301" not in rules and "RL307" in rules


# -- hostile and odd configurations ----------------------------------------------------


def test_discovery_stops_at_the_repository_root(tmp_path, monkeypatch, capsys):
    # A config above the repository (a shared /tmp, a home folder) is not the project's.
    write(tmp_path / ".retell-lint.yaml", 'exclude: ["**"]\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "retell" / "bad.yaml", HALF_WEIGHT)
    monkeypatch.chdir(repo / "retell")
    assert find_config(Path.cwd()) is None
    code, report, _ = run(capsys, "bad.yaml")
    assert code == 1 and report["summary"]["files"] == 1
    # Inside the repository, the nearest config still wins.
    write(repo / ".retell-lint.yaml", "rules: {RL301: off, RL006: off}\n")
    assert find_config(Path.cwd()) == repo / ".retell-lint.yaml"
    assert run(capsys, "bad.yaml")[0] == 0


def test_git_file_of_a_worktree_also_marks_the_root(tmp_path, monkeypatch):
    write(tmp_path / ".retell-lint.yaml", "fail_level: info\n")
    write(tmp_path / "wt" / ".git", "gitdir: /elsewhere\n")
    monkeypatch.chdir(tmp_path / "wt")
    assert find_config(Path.cwd()) is None


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("rules:\n  weight-sum: off\n", 2, "did you mean weights-sum (RL301)?"),
        ("rules:\n  RL031: off\n", 2, "RL301 (weights-sum)"),
        ("rules:\n  RL301: off\n  weights-sum: error\n", 3, "both set rule RL301"),
    ],
)
def test_unknown_or_repeated_rule_in_config(project, capsys, text, line, needle):
    write(project / ".retell-lint.yaml", text)
    code, _, err = run(capsys)
    assert code == 2
    assert f".retell-lint.yaml:{line}" in err
    assert needle in err


def test_apply_limits_default_and_from_config(project):
    config = load_config()
    assert (config.apply_max_changes, config.apply_max_percent) == (10, 30.0)
    write(project / ".retell-lint.yaml", "apply:\n  max_changes: 25\n  max_percent: 12.5\n")
    config = load_config()
    assert (config.apply_max_changes, config.apply_max_percent) == (25, 12.5)
    write(project / ".retell-lint.yaml", "apply:\n  max_changes: 0\n  max_percent: 100\n")
    assert load_config().apply_max_percent == 100.0


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("apply: 10\n", 1, "'apply' must be a mapping"),
        ("apply:\n  max_change: 3\n", 2, "unknown key 'apply.max_change'"),
        ("apply:\n  max_changes: -1\n", 2, "max_changes must be a whole number >= 0"),
        ("apply:\n  max_changes: 2.5\n", 2, "max_changes must be a whole number"),
        ("apply:\n  max_changes: true\n", 2, "max_changes must be a whole number"),
        ("apply:\n  max_percent: 101\n", 2, "max_percent must be a number from 0 to 100"),
        ("apply:\n  max_percent: .nan\n", 2, "max_percent must be a number from 0 to 100"),
        ("apply:\n  max_percent: '30%'\n", 2, "max_percent must be a number"),
    ],
)
def test_invalid_apply_limits(project, text, line, needle):
    write(project / ".retell-lint.yaml", text)
    with pytest.raises(FatalError) as caught:
        load_config()
    assert f".retell-lint.yaml:{line}" in str(caught.value)
    assert needle in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("fail_level: .inf\n", 1, "fail_level must be one of error, warning, info, not inf"),
        ("fail_level: -.INF\n", 1, "not -inf"),
        ("fail_level: .nan\n", 1, "not nan"),
        ("fail_level: " + "9" * 5000 + "\n", 1, "fail_level must be one of"),
        ("rules:\n  ? [RL301]\n  : off\n", 2, "keys in 'rules' must be plain names, not [RL301]"),
        ("rules:\n  {a: b}: off\n", 2, "keys in 'rules' must be plain names, not {a: b}"),
        # Explicit tags that contradict the node (found by the fuzz test).
        ('include: !!seq "x"\nfail_level: nope\n', 2, "fail_level must be one of"),
        ("include: !!map [a]\nfail_level: nope\n", 2, "fail_level must be one of"),
        ("fail_level: !!float abc\n", 1, "not 'abc'"),
    ],
)
def test_odd_values_are_one_line_errors(project, capsys, text, line, needle):
    write(project / ".retell-lint.yaml", text)
    code, _, err = run(capsys)
    assert code == 2, err
    assert err.count("\n") == 1 and f".retell-lint.yaml:{line}" in err and needle in err
    assert "ScalarNode" not in err and "internal error" not in err


def test_alias_expansion_in_a_config_is_bounded(project):
    # 1 KB that expands to 10**30 values: the budget stops it.
    text = "x0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 30)
    )
    write(project / ".retell-lint.yaml", text)
    from bounded_run import assert_ran, run_cli

    done = run_cli(["check", "--format", "json"], project, timeout=20, memory=500 * 1024**2)
    assert_ran(done, 2)
    assert "expands to too many values through aliases" in done.err
    assert done.err.count("\n") == 1


def test_self_referencing_alias_in_a_config(project, capsys):
    write(project / ".retell-lint.yaml", "include: &a [*a]\n")
    code, _, err = run(capsys)
    assert code == 2 and err.count("\n") == 1
    assert "internal error" not in err


def test_array_of_tables_is_an_error(project, capsys):
    write(
        project / "pyproject.toml",
        '[project]\nname = "x"\n\n[[tool.retell-lint]]\nfail_level = "info"\n',
    )
    assert find_config(project) == project / "pyproject.toml"
    code, _, err = run(capsys)
    assert code == 2
    assert "pyproject.toml:4" in err and "[[tool.retell-lint]] is an array of tables" in err
