"""Every command's JSON output: one envelope, described by the schema shipped with it.

The schemas live in retell_lint/schemas/; the drift/plan/apply/snapshot runs of
drift_support.Cli are validated against them in every test that uses it. Here: each
command's success and failure documents, and the check report in all its shapes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from drift_support import Cli, fake  # noqa: F401  (fixture)
from fake_retell import FakeRetell
from json_schemas import assert_valid

from retell_lint import schemas
from retell_lint.cli import main

GOOD = 'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: agent_a\n    weight: 1\n'
# RL201 (country alias, unsafe fix) and a read-only field (safe fix).
WORK = GOOD + "allowed_inbound_country_list: [UK]\nlast_modification_timestamp: 5\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "retell").mkdir()
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "RETELL_API_KEY", "RETELL_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def cli(
    fake: FakeRetell,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path, fake)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def test_every_schema_is_a_valid_draft_2020_12_schema() -> None:
    import jsonschema

    for command in schemas.COMMANDS:
        jsonschema.Draft202012Validator.check_schema(schemas.load(command))


@pytest.mark.parametrize(
    ("text", "args", "code"),
    [
        (GOOD, [], 0),
        (WORK, [], 1),
        (WORK, ["--statistics"], 1),
        (WORK, ["--fix"], 1),
        (WORK, ["--write-baseline", "base.json"], 0),
        ("phone_number: [unclosed\n", [], 1),
    ],
    ids=["clean", "findings", "statistics", "fix", "baseline", "parse-error"],
)
def test_check_reports_fit_the_schema(
    repo: Path, capsys: pytest.CaptureFixture[str], text: str, args: list[str], code: int
) -> None:
    (repo / "retell" / "a.yaml").write_text(text)
    got, out = run(capsys, "check", "--format", "json", *args)
    assert got == code
    report = assert_valid("check", out)
    assert report["tool"]["command"] == "check"
    assert report["errors"] == []


@pytest.mark.parametrize(
    ("setup", "args"),
    [
        ("bad-config", ["check", "--format", "json"]),
        ("empty", ["check", "--format", "json"]),
        ("unreadable", ["check", "--format", "json"]),
        ("none", ["check", "--format", "json", "--fail-level", "nope"]),
        ("none", ["check", "--format=json", "--no-such-option"]),
        ("none", ["drift", "--format", "json"]),
        ("none", ["plan", "--format", "json"]),
        ("none", ["apply", "--format", "json", "--yes"]),
        ("none", ["snapshot"]),
    ],
)
def test_a_run_that_fails_still_prints_one_json_document(
    repo: Path, capsys: pytest.CaptureFixture[str], setup: str, args: list[str]
) -> None:
    if setup == "bad-config":
        (repo / ".retell-lint.yaml").write_text("rules: [not, a, mapping]\n")
    if setup != "empty":
        (repo / "retell" / "a.yaml").write_text(GOOD)
    if setup == "unreadable":
        (repo / "retell" / "b.yaml").symlink_to("missing.yaml")
    got, out = run(capsys, *args)
    assert got == 2
    report = assert_valid(args[0], out)
    assert report["tool"]["command"] == args[0]
    assert len(report["errors"]) >= 1
    assert all(error["message"] for error in report["errors"])


def test_json_to_a_file_leaves_stdout_alone_on_failure(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    got, out = run(capsys, "drift", "--format", "json", "-o", "drift.json")
    assert got == 2
    assert out == ""
    assert not (repo / "drift.json").exists()


def test_drift_plan_apply_and_snapshot_fit_their_schemas(fake: FakeRetell, cli: Cli) -> None:  # noqa: F811
    fake.add_number("+14157774444", nickname="Old")
    fake.add_number("+14157770009", nickname="Nobody declares me")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: New\n')
    drift = cli("drift", "--format", "json")
    assert drift.code == 1
    assert drift.json()["environment"]["source"] == "api"
    plan = cli("plan", "--format", "json", "-o", "plan.json")
    assert plan.code == 1
    saved = assert_valid("plan", (cli.root / "plan.json").read_text())
    assert saved["environment"]["base_url"] == fake.base_url
    apply = cli("apply", "--format", "json", "--yes")
    assert apply.code == 0, apply.err
    assert apply.json()["result"]["applied"][0]["phone_number"] == "+14157774444"
    snapshot = cli("snapshot")
    assert snapshot.code == 0
    assert {n["phone_number"] for n in snapshot.json()["phone_numbers"]} == {
        "+14157774444",
        "+14157770009",
    }


def test_a_snapshot_still_reads_as_live_state(fake: FakeRetell, cli: Cli) -> None:  # noqa: F811
    fake.add_number("+14157774444", nickname="Front desk")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    assert cli("snapshot", "-o", "live.json").code == 0
    assert_valid("snapshot", (cli.root / "live.json").read_text())
    assert cli("drift", "--live-state", "live.json").code == 0


def test_a_failure_document_is_not_a_snapshot(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `snapshot > live.json` on a failed read leaves a failure document: drift refuses it.
    got, out = run(capsys, "snapshot")
    assert got == 2
    (repo / "live.json").write_text(out)
    assert main(["drift", "--live-state", "live.json"]) == 2
    assert "live.json" in capsys.readouterr().err
    data = json.loads(out)
    assert "phone_numbers" not in data


def test_rules_and_explain_fit_their_schemas(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".retell-lint.yaml").write_text(
        "policies:\n"
        "  - id: ACME001\n"
        "    name: nickname-everywhere\n"
        "    message: every number needs a nickname\n"
        "    field: nickname\n"
        "    require: {present: true}\n"
    )
    got, out = run(capsys, "rules", "--format", "json")
    rows = assert_valid("rules", out)["rules"]
    assert got == 0 and rows[-1]["id"] == "ACME001" and rows[0]["id"] == "RL001"
    got, out = run(capsys, "explain", "weights-sum", "--format", "json")
    rule = assert_valid("explain", out)["rule"]
    assert got == 0 and rule["id"] == "RL301" and rule["how_to_fix"]
    got, out = run(capsys, "explain", "ACME001", "--format", "json")
    assert assert_valid("explain", out)["rule"]["source"].endswith(".retell-lint.yaml:2")
    got, out = run(capsys, "explain", "RL999", "--format", "json")
    assert got == 2
    assert "unknown rule 'RL999'" in assert_valid("explain", out)["errors"][0]["message"]


def test_export_json_fits_its_schema(fake: FakeRetell, cli: Cli) -> None:  # noqa: F811
    fake.add_number("+14157774444", nickname="Front desk")
    fake.add_number("+14157775555", nickname="Declared")
    cli.write("retell/b.yaml", 'phone_number: "+14157775555"\n')
    result = cli("export", "-o", "retell", "--format", "json")
    assert result.code == 0
    report = result.json()  # validated by Cli against export.schema.json
    assert report["written"] == ["retell/14157774444.yaml"]
    assert report["skipped"] == [{"phone_number": "+14157775555", "declared_at": "retell/b.yaml:1"}]


@pytest.mark.parametrize("command", ["snapshot", "schema"])
def test_json_only_commands_accept_format_json(
    repo: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    from click.testing import CliRunner

    from retell_lint.cli import cli as group

    result = CliRunner().invoke(group, [command, "--format", "json", "--help"])
    assert result.exit_code == 0
    result = CliRunner().invoke(group, [command, "--format", "text"])
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.output


def test_every_reporting_command_takes_format_and_json() -> None:
    from retell_lint.cli import cli as group

    for name in ("check", "drift", "plan", "apply", "snapshot", "rules", "explain", "export"):
        (option,) = [p for p in group.commands[name].params if "--format" in p.opts]
        assert "json" in option.type.choices, name  # type: ignore[attr-defined]
        assert name in schemas.COMMANDS


@pytest.mark.parametrize("args", [["--diff"], ["--fix", "-"]], ids=["diff", "fixed-stdin"])
def test_no_failure_document_where_stdout_is_not_the_report(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    # stdout carries the diff or the fixed text: a failure leaves it empty.
    (repo / ".retell-lint.yaml").write_text("rules: [not, a, mapping]\n")
    got, out = run(capsys, "check", "--format", "json", *args)
    assert (got, out) == (2, "")


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["check", "--format", "json", "--bogus"], "check"),
        (["check", "--format=json", "--bogus"], "check"),
        (["check", "--format", "json", "-o", "r.json", "--bogus"], None),
        (["check", "--format", "json", "--diff", "--bogus"], None),
        (["plan", "-o", "p.json", "--format", "json", "--bogus"], "plan"),
        (["snapshot", "--bogus"], "snapshot"),
        (["snapshot", "-o", "s.json", "--bogus"], None),
        (["check", "--bogus"], None),
        (["init", "--format", "json"], None),
    ],
)
def test_usage_errors_print_json_only_where_json_was_asked_for(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], command: str | None
) -> None:
    got, out = run(capsys, *args)
    assert got == 2
    if command is None:
        assert out == ""
    else:
        assert assert_valid(command, out)["errors"][0]["message"]
