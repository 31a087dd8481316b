"""drift and plan as a newcomer meets them: PATHS narrow the run, one cap for the
unmanaged numbers, no no-op printed as a change."""

from __future__ import annotations

from pathlib import Path

import pytest
from drift_support import Cli, fake  # noqa: F401  (fixture)
from fake_retell import FakeRetell


@pytest.fixture
def cli(
    fake: FakeRetell,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path, fake)


def two_files(fake: FakeRetell, cli: Cli) -> None:  # noqa: F811
    fake.add_number("+14157774444", nickname="Front desk")
    fake.add_number("+14157775555", nickname="Old")
    fake.add_number("+14157779999", nickname="Nobody declares me")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    cli.write("retell/b.yaml", 'phone_number: "+14157775555"\nnickname: New\n')


@pytest.mark.parametrize("command", ["drift", "plan"])
def test_paths_narrow_the_run_to_their_numbers(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,
    command: str,
) -> None:
    two_files(fake, cli)
    whole = cli(command)
    assert whole.code == 1  # b.yaml differs
    assert "+14157779999" in whole.out and "Partial" not in whole.out
    narrowed = cli(command, "retell/a.yaml")
    assert narrowed.code == 0, narrowed.out + narrowed.err
    # The other declared number is not "unmanaged", nor is any other live number listed.
    assert "+14157775555" not in narrowed.out and "+14157779999" not in narrowed.out
    assert "unmanaged number" not in narrowed.out
    assert narrowed.out.rstrip().endswith(
        "Partial: only the numbers declared in the named paths; other numbers of the "
        "account were not looked at."
    )
    report = cli(command, "--format", "json", "retell/a.yaml").json()
    assert report["partial"] is True
    assert cli(command, "--format", "json").json()["partial"] is False
    if command == "drift":
        assert [n["phone_number"] for n in report["numbers"]] == ["+14157774444"]
    else:
        assert report["unmanaged"] == [] and report["actions"] == []


def test_plan_on_named_paths_changes_only_their_numbers(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,
) -> None:
    two_files(fake, cli)
    plan = cli("plan", "--format", "json", "retell/b.yaml").json()
    assert [a["phone_number"] for a in plan["actions"]] == ["+14157775555"]
    assert cli("apply", "--yes", "retell/b.yaml").code == 0
    assert [r.path for r in fake.writes()] == ["/update-phone-number/+14157775555"]


@pytest.mark.parametrize("command", ["drift", "plan"])
def test_one_cap_for_unmanaged_numbers(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,
    command: str,
) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    for index in range(55):
        fake.add_number(f"+1415777{index:04d}")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    out = cli(command).out
    lines = [line for line in out.splitlines() if "unmanaged number" in line and "?" in line]
    assert len(lines) == 1, out
    assert lines[0].startswith("? 55 unmanaged numbers (in the account, not declared): ")
    assert ", +14157770019 and 35 more (--format json lists them all)" in lines[0]
    assert "+14157770020" not in out
    if command == "plan":
        markdown = cli(command, "--format", "markdown").out
        assert markdown.count("unmanaged: left alone") == 21
        assert "| ? | and 35 more | unmanaged: left alone |" in markdown


def test_a_no_op_is_never_printed_as_a_change(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,
) -> None:
    # A missing number without a type: apply cannot create it, and says why, without
    # a "phone_number_type: null → null" that changes nothing.
    cli.write("retell/new.yaml", 'phone_number: "+14157770100"\nnickname: x\n')
    for fmt in ("text", "markdown"):
        out = cli("plan", "--format", fmt).out
        assert "null → null" not in out and "`null` | `null`" not in out
        assert "declare phone_number_type" in out
    text = cli("plan").out
    assert (
        "! +14157770100 phone_number_type: declare phone_number_type (retell-twilio or "
        "retell-telnyx to buy the number, custom to import it) so apply knows how to create it"
    ) in text.splitlines()


@pytest.mark.parametrize("command", ["drift", "plan"])
def test_colour_on_request_and_never_with_no_color(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    two_files(fake, cli)
    plain = cli(command).out  # not a terminal: no colour
    assert "\x1b" not in plain
    coloured = cli(command, "--color", "always").out
    # The changed number's line in yellow, the summary in bold; the text is the same.
    head = "~ update +14157775555" if command == "plan" else "~ +14157775555"
    assert f"\x1b[33m{head}" in coloured
    assert "\x1b[1mSummary:" in coloured or "\x1b[1mPlan:" in coloured
    assert (
        coloured.replace("\x1b[33m", "")
        .replace("\x1b[1m", "")
        .replace("\x1b[2m", "")
        .replace("\x1b[0m", "")
        == plain
    )
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in cli(command).out
    assert "\x1b" not in cli(command, "--format", "json", "--color", "always").out


@pytest.mark.parametrize("option", ["-o", "--output", "--out"])
def test_plan_saves_with_output_and_the_old_out(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,
    option: str,
) -> None:
    two_files(fake, cli)
    assert cli("plan", option, "saved.json").code == 1
    assert (cli.root / "saved.json").is_file()
    assert cli("apply", "--plan", "saved.json").code == 0


def test_output_is_the_option_of_every_command_and_out_is_hidden() -> None:
    from retell_lint.cli import cli as group

    for name, command in group.commands.items():
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        if name in ("check", "drift", "plan", "snapshot", "export", "schema"):
            assert {"-o", "--output"} <= options, name
        shown = [p for p in command.params if "--out" in getattr(p, "opts", [])]
        assert all(getattr(p, "hidden", False) for p in shown), name


@pytest.mark.parametrize("option", ["-o", "--output", "--out"])
def test_export_writes_into_the_output_folder(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,
    option: str,
) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    assert cli("export", option, "numbers").code == 0
    assert (cli.root / "numbers" / "14157774444.yaml").is_file()


@pytest.mark.parametrize("command", ["drift", "plan"])
def test_isolated_ignores_the_configuration_file(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,
    command: str,
) -> None:
    two_files(fake, cli)
    # The configuration ignores the changed number: drift and plan are clean with it.
    cli.write(
        ".retell-lint.yaml",
        """
        drift:
          ignore:
            - phone_number: "+14157775555"
              reason: renamed in the dashboard
        """,
    )
    assert cli(command).code == 0
    assert cli(command, "--isolated").code == 1
    result = cli(command, "--isolated", "--config", ".retell-lint.yaml")
    assert result.code == 2 and "--isolated ignores configuration files" in result.err


def test_isolated_is_chosen_when_the_plan_is_made(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,
) -> None:
    two_files(fake, cli)
    cli.write(".retell-lint.yaml", "apply:\n  max_changes: 0\n")  # refuses any change
    assert cli("apply", "--yes").code == 2 and fake.writes() == []
    assert cli("plan", "--isolated", "-o", "p.json").code == 1
    result = cli("apply", "--plan", "p.json", "--isolated")
    assert result.code == 2 and "--isolated is chosen when the plan is made" in result.err
    # A plan does not choose what it is checked against: made without the project's
    # configuration, it would skip the project's limits (max_changes: 0), so it is refused.
    refused = cli("apply", "--plan", "p.json")
    assert refused.code == 2 and "it was made with --isolated" in refused.err
    assert fake.writes() == []
    # Where the project has no configuration file, the isolated plan applies.
    (cli.root / ".retell-lint.yaml").unlink()
    assert cli("plan", "--isolated", "-o", "p.json").code == 1
    assert cli("apply", "--plan", "p.json").code == 0
    assert [r.path for r in fake.writes()] == ["/update-phone-number/+14157775555"]
