"""The plain ``check`` fast path builds exactly the options the click command would.

pre-commit runs ``retell-lint check --force-exclude FILE...``; :mod:`retell_lint.entry`
parses such a command line itself so that click is never loaded. Whatever it accepts
must mean what it means to click, and whatever it does not know goes to click.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retell_lint import cli, commands, entry
from retell_lint.entry import FLAGS, plain_check

PATHS = ["retell/a.yaml", "-", "retell", "odd name.yaml", "x\ny.yaml", "check", "?"]


def options_from_click(args: list[str], monkeypatch: pytest.MonkeyPatch) -> object:
    seen: list[object] = []
    monkeypatch.setattr(commands, "run_check", lambda options: seen.append(options) or 0)
    assert cli.main(args) == 0
    assert len(seen) == 1
    return seen[0]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*FLAGS, *PATHS]), max_size=6))
def test_the_fast_path_and_click_agree_on_every_plain_command_line(words):
    args = ["check", *words]
    with pytest.MonkeyPatch.context() as monkeypatch:
        expected = options_from_click(args, monkeypatch)
    assert plain_check(args) == expected


VALUED_WORDS = ["--format", "-j", "--jobs", "json", "sarif", "text", "2", "1", "0", "07", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*FLAGS, *PATHS, *VALUED_WORDS]), max_size=7))
def test_what_the_fast_path_takes_with_values_click_takes_alike(words):
    # --format and --jobs: the fast path takes only values click takes as they are;
    # any other command line is click's (which reports what is wrong with it).
    args = ["check", *words]
    fast = plain_check(args)
    if fast is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert options_from_click(args, monkeypatch) == fast


def test_a_json_report_with_workers_starts_without_click():
    assert plain_check(["check", "--format", "json", "--jobs", "2", "retell"]) == plain_check(
        ["check", "retell"]
    )._replace(output_format="json", jobs=2)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["check", "--help"],
        ["check", "-h"],
        ["check", "--format", "xml", "retell"],
        ["check", "--format", "JSON", "retell"],
        ["check", "--format"],
        ["check", "--jobs", "0"],
        ["check", "-j", "+2"],
        ["check", "--jobs", "1_0"],
        ["check", "--format=json"],
        ["check", "--", "-odd.yaml"],
        ["check", "--fix", "--unsafe-fixes"],
        ["check", "--no-such-option"],
        ["check", "-qq"],
        ["--version"],
        ["drift"],
        ["rules", "check"],
    ],
)
def test_anything_else_is_left_to_click(args):
    assert plain_check(args) is None


def test_the_command_runs_the_fast_path_through_the_same_guard(tmp_path, monkeypatch, capsys):
    # A failure inside the fast path is one error line and exit 2, as through click.
    monkeypatch.chdir(tmp_path)

    def broken(options: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(commands, "run_check", broken)
    assert entry.main(["check", "--no-cache", "retell/a.yaml"]) == 2
    assert "internal error: RuntimeError: boom" in capsys.readouterr().err


def test_a_usage_error_raised_past_parsing_exits_2_on_the_fast_path(tmp_path, monkeypatch, capsys):
    import click

    monkeypatch.chdir(tmp_path)

    def refusing(options: object) -> int:
        raise click.UsageError("not like that")

    monkeypatch.setattr(commands, "run_check", refusing)
    assert entry.main(["check", "retell/a.yaml"]) == 2
    err = capsys.readouterr().err
    assert "error: not like that" in err and "internal error" not in err


def test_the_console_script_ends_a_plain_check_with_its_whole_report_and_exit_code(tmp_path):
    # A plain check ends the process without the interpreter's shutdown: what it wrote
    # must be flushed first, the exit code kept, and a cache written whole.
    import json

    from bounded_run import run_cli

    retell = tmp_path / "retell"
    retell.mkdir()
    (tmp_path / ".git").mkdir()
    for index in range(300):
        text = f'phone_number: "+1415555{index:04d}"\nphone_number_pretty: "x"\n'
        (retell / f"n{index:03d}.yaml").write_text(text, encoding="utf-8")
    (retell / "bad.yaml").write_text("phone_number: [\n", encoding="utf-8")
    for _cold_then_warm in range(2):
        run = run_cli(["check", "--format", "json"], tmp_path)
        assert run.code == 1, run.err
        report = json.loads(run.out)
        assert len(report["findings"]) > 300
    packs = list((tmp_path / ".retell-lint-cache").glob("*.json"))
    assert len(packs) == 1 and json.loads(packs[0].read_bytes())["tool"] == "retell-lint"
    text = run_cli(["check", "--no-cache", "retell/n000.yaml"], tmp_path)
    assert text.code == 0 and text.out.rstrip().endswith("(1 number).")


def test_a_failed_json_run_prints_its_json_document_through_the_fast_path_too(tmp_path):
    import json

    from bounded_run import run_cli

    (tmp_path / ".retell-lint.yaml").write_text("rules: [not, a, mapping]\n", encoding="utf-8")
    for args in (
        ["check", "--format", "json"],
        ["check", "--format", "json", "--fail-level", "info"],
    ):
        run = run_cli(args, tmp_path)
        assert run.code == 2
        assert json.loads(run.out)["errors"], run.out
