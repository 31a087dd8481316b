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


# -- ruff's vocabulary on the command line ------------------------------------------

# RL201 (an alias, unsafe fix), RL006 (a read-only field, safe fix), RL201 again.
WORK = GOOD + "allowed_inbound_country_list: [UK, EN]\nlast_modification_timestamp: 5\n"


@pytest.fixture
def work(repo: Path) -> Path:
    (repo / "retell").mkdir()
    (repo / "retell" / "a.yaml").write_text(WORK)
    return repo


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_statistics_counts_findings_per_rule_most_first(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "--statistics")
    assert code == 1
    # RL201's fixes are unsafe: no [*] without --unsafe-fixes.
    assert out.splitlines() == [
        "2  RL201  invalid-country-code",
        "1  RL006  read-only-field       [*]",
    ]
    code, out, _ = run(capsys, "check", "--statistics", "--format", "json")
    assert json.loads(out)["summary"]["statistics"] == [
        {"rule": "RL201", "name": "invalid-country-code", "count": 2, "fixable": 0},
        {"rule": "RL006", "name": "read-only-field", "count": 1, "fixable": 1},
    ]


def test_statistics_has_no_sarif_form(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--statistics", "--format", "sarif")
    assert code == 2 and out == ""
    assert "--statistics prints text or json" in err


def test_quiet_prints_findings_only(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--quiet")
    assert code == 1
    assert out.count("RL201") == 2 and "RL006" in out
    assert "Found" not in out and "fixable with --fix" not in out
    assert err == ""
    code, out, _ = run(capsys, "check", "-q", "--ignore", "RL201,RL006")
    assert (code, out) == (0, "")


@pytest.mark.parametrize(
    ("args", "rules"),
    [
        (["--select", "RL201"], {"RL201"}),
        (["--select", "invalid-country-code"], {"RL201"}),
        (["--select", "RL2"], {"RL201"}),
        (["--select", "RL0", "--ignore", "RL006"], set()),
        (["--ignore", "RL006"], {"RL201"}),
        (["--ignore", "RL201", "--ignore", "read-only-field"], set()),
        (["--select", "RL006", "--extend-select", "RL201"], {"RL006", "RL201"}),
        # ALL includes the rules that are off by default (RL307: an unpinned agent).
        (["--select", "ALL", "--ignore", "RL2"], {"RL006", "RL307"}),
    ],
)
def test_select_ignore_and_extend_select(
    work: Path, capsys: pytest.CaptureFixture[str], args: list[str], rules: set[str]
) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", *args)
    found = {finding["rule"] for finding in json.loads(out)["findings"]}
    assert found == rules
    assert code == (1 if "RL201" in rules else 0)


def test_extend_select_turns_on_a_rule_that_is_off_by_default(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from retell_lint import catalogue

    off = next(rule for rule in catalogue.load().values() if not rule.enabled)
    _, out, _ = run(capsys, "check", "--show-settings", "--extend-select", off.id)
    assert f"  {off.id} {off.name}: {off.severity}  (--extend-select)" in out


def test_unknown_selector_says_what_exists(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--select", "RL2011")
    assert code == 2 and out == ""
    assert err.startswith("retell-lint: error: --select: unknown rule 'RL2011'")
    assert "RL201" in err


def test_isolated_ignores_the_configuration_file(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / ".retell-lint.yaml").write_text("rules:\n  RL201: off\n  RL006: off\n")
    assert run(capsys, "check")[0] == 0
    code, out, _ = run(capsys, "check", "--isolated", "--statistics")
    assert code == 1 and "RL201" in out
    code, _, err = run(capsys, "check", "--isolated", "--config", ".retell-lint.yaml")
    assert code == 2 and "--isolated ignores configuration files" in err


def test_show_settings_says_where_each_value_came_from(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / ".retell-lint.yaml").write_text("fail_level: warning\nrules:\n  RL201: warning\n")
    code, out, _ = run(capsys, "check", "--show-settings", "--ignore", "RL006")
    assert code == 0
    config = work / ".retell-lint.yaml"
    lines = out.splitlines()
    assert lines[0] == f"config file: {config}"
    assert "include: retell/**/*.yaml, retell/**/*.yml  (default)" in lines
    assert f"fail_level: warning  ({config}:1)" in lines
    assert f"  RL201 invalid-country-code: warning  ({config}:3)" in lines
    assert "  RL006 read-only-field: off  (--ignore)" in lines
    code, out, _ = run(capsys, "check", "--show-settings", "--fail-level", "info")
    assert "fail_level: info  (--fail-level)" in out.splitlines()


# -- what counts as a linted file ------------------------------------------------------

POLICIES = """\
- id: ACME001
  name: nickname-everywhere
  severity: warning
  message: every number needs a nickname
  field: nickname
  require: {present: true}
"""


def test_own_configuration_and_policy_files_are_not_linted(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An include that also matches the tool's own files.
    (repo / ".retell-lint.yaml").write_text(
        "include: ['**/*.yaml']\npolicy_files: [team/policies.yaml]\n"
    )
    (repo / "team").mkdir()
    (repo / "team" / "policies.yaml").write_text(POLICIES)
    (repo / "retell").mkdir()
    (repo / "retell" / "a.yaml").write_text(GOOD + "nickname: Front desk\n")
    for args in ([], ["."]):
        code, out, _ = run(capsys, "check", "--format", "json", *args)
        report = json.loads(out)
        assert (code, report["summary"]["files"], report["findings"]) == (0, 1, []), args
    code, out, err = run(capsys, "check", "team")
    assert code == 2 and "no config files to lint in team" in err
    # Named one by one (pre-commit): left out like an excluded file, not an error.
    code, out, err = run(capsys, "check", ".retell-lint.yaml", "team/policies.yaml")
    assert code == 0 and out == ""
    assert "one of its own files" in err


# -- RL308 only where inbound agents are managed ----------------------------------------


def test_files_export_wrote_have_no_rl308(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live = {
        "version": 1,
        "phone_numbers": [
            {"phone_number": "+14157774444", "outbound_agents": [{"agent_id": "a", "weight": 1}]},
            {"phone_number": "+14157774445", "inbound_agents": []},
            {"phone_number": "+14157774446", "inbound_agents": None},
        ],
    }
    (repo / "live.json").write_text(json.dumps(live))
    assert main(["export", "--live-state", "live.json"]) == 0
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "RL308")
    report = json.loads(out)
    assert (code, report["summary"]["files"], report["findings"]) == (0, 3, [])
    # Declaring the list empty is managing it: then the number rejects inbound calls.
    path = repo / "retell" / "14157774445.yaml"
    path.write_text(path.read_text() + "inbound_agents: []\n")
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "RL308")
    assert [(f["rule"], f["file"], f["path"]) for f in json.loads(out)["findings"]] == [
        ("RL308", "retell/14157774445.yaml", "inbound_agents")
    ]


# -- "fixable" and "fixed" agree -----------------------------------------------------

LEGACY = """\
phone_number: "+14155550188"
inbound_agents:
  - agent_id: agent_a
    weight: 1
inbound_allowed_countries: [US, ca]
transport: tls
"""


def test_fixed_count_agrees_with_fixable_and_names_what_a_fix_brought_out(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Renaming inbound_allowed_countries brings out RL201 for 'ca' (a country code is
    # checked under its new name only); the second pass fixes it: named, not counted.
    (repo / "n.yaml").write_text(LEGACY)
    _, out, _ = run(capsys, "check", "n.yaml")
    assert "[*] 3 findings fixable with --fix." in out
    _, _, err = run(capsys, "check", "--diff", "n.yaml")
    assert "Would fix 3 findings in 1 file (and 1 RL201 finding a fix brought out)." in err
    code, out, _ = run(capsys, "check", "--fix", "n.yaml")
    assert "Fixed 3 findings in 1 file (and 1 RL201 finding a fix brought out)." in out
    assert "allowed_inbound_country_list: [US, CA]" in (repo / "n.yaml").read_text()
    assert code == 0


# -- an anchor used twice is one place ------------------------------------------------


def test_a_merge_key_used_twice_gives_one_finding(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "n.yaml").write_text(
        "x-trunk: &trunk\n"
        "  termination_uri: x.example.com\n"
        "  transport: tcp\n"
        "phone_numbers:\n"
        '  - phone_number: "+14157774444"\n'
        "    phone_number_type: custom\n"
        "    inbound_agents: [{agent_id: a, weight: 1}]\n"
        "    sip_outbound_trunk_config:\n"
        "      <<: *trunk\n"
        '  - phone_number: "+14157774445"\n'
        "    phone_number_type: custom\n"
        "    inbound_agents: [{agent_id: a, weight: 1}]\n"
        "    sip_outbound_trunk_config:\n"
        "      <<: *trunk\n"
    )
    _, out, _ = run(capsys, "check", "--format", "concise", "--select", "RL505", "n.yaml")
    assert [line for line in out.splitlines() if "RL505" in line] == [
        "n.yaml:3:14: RL505 [error] transport 'tcp' is not one of TLS, TCP, UDP; write 'TCP'"
    ]


def test_an_aliased_list_is_reported_where_each_number_uses_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Different places (the alias of each number), so one finding each: not merged.
    (repo / "n.yaml").write_text(
        "phone_numbers:\n"
        '  - phone_number: "+14157774444"\n'
        "    inbound_agents: &agents [{agent_id: a, weight: 0.5}]\n"
        '  - phone_number: "+14157774445"\n'
        "    inbound_agents: *agents\n"
    )
    _, out, _ = run(capsys, "check", "--format", "concise", "--select", "RL301", "n.yaml")
    assert [line.split(" ")[0] for line in out.splitlines() if "RL301" in line] == [
        "n.yaml:3:5:",
        "n.yaml:5:5:",
    ]


# -- help --------------------------------------------------------------------------


def test_every_help_ends_with_an_example_and_a_docs_link() -> None:
    names = [[]] + [[name] for name in cli.commands]
    for words in names:
        result = CliRunner().invoke(cli, [*words, "--help"], terminal_width=100)
        assert result.exit_code == 0, words
        tail = result.output.rstrip().splitlines()
        assert tail[-1].strip().startswith("Docs: https://github.com/retell-lint/retell-lint"), (
            words
        )
        examples = result.output[result.output.index("Examples:") :]
        # Each example is a command line of its own, not re-flowed into one paragraph.
        assert "\n    retell-lint " in examples, words


@pytest.mark.parametrize(
    ("args", "fix"),
    [
        (["check", "--config", "nope.yaml"], "write one with 'retell-lint init'"),
        (["apply", "--plan", "nope.json"], "save one with 'retell-lint plan -o FILE'"),
        (["check", "--select", "RL2011"], "RL201"),
        (["check", "--unsafe-fixes"], "retell-lint check --fix --unsafe-fixes"),
        (["explain", "weights-summ"], "weights-sum"),
        (["drift"], "export your Retell API key as RETELL_API_KEY"),
    ],
)
def test_errors_suggest_the_fix(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], fix: str
) -> None:
    (repo / "retell").mkdir()
    (repo / "retell" / "a.yaml").write_text(GOOD)
    code, _, err = run(capsys, *args)
    assert code == 2
    assert len(err.splitlines()) == 1 and fix in err
