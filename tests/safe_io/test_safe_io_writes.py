"""Every file the tool writes goes through one safe path (S1, W1, D4, C4, C5, C7, D3):
never through a link, never into a linked folder leaving the project, read-only files
and folders refused in one line, the mode kept, no temporary file left on any exit."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bounded_run import assert_ran, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="modes, signals and links")

# An unquoted phone number: RL007's safe fix quotes it.
FIXABLE = "phone_number: +1415777{n:04d}\nnickname: A\n"
FIXED = 'phone_number: "+1415777{n:04d}"\nnickname: A\n'
SNAPSHOT = {
    "version": 1,
    "source": "api",
    "taken_at": "2026-01-01T00:00:00Z",
    "complete": True,
    "phone_numbers": [{"phone_number": "+14157775555", "nickname": "X"}],
    "agents": [],
    "agent_versions": {},
}


def _project(tmp_path: Path, files: int = 1) -> Path:
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "retell").mkdir()
    for n in range(files):
        (project / "retell" / f"n{n}.yaml").write_text(FIXABLE.format(n=n), encoding="utf-8")
    return project


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


@pytest.mark.parametrize(
    "args",
    [["check", "retell", "--output"], ["schema", "-o"], ["schema", "--policies", "-o"]],
)
@pytest.mark.parametrize("dangling", [True, False])
def test_reports_are_never_written_through_a_link(
    tmp_path: Path, args: list[str], dangling: bool
) -> None:
    project = _project(tmp_path)
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_text("keep\n", encoding="utf-8")
    (project / "report.txt").symlink_to(victim)
    run = run_cli([*args, "report.txt"], project, timeout=20)
    assert_ran(run, 2)
    assert run.err.strip() == (
        "retell-lint: error: report.txt: the output file is a symbolic link; not written through it"
    )
    assert victim.exists() is not dangling or victim.read_text() == "keep\n"
    assert not dangling or not victim.exists()
    assert (project / "report.txt").is_symlink()


def test_fix_refuses_a_read_only_file_and_keeps_it(tmp_path: Path) -> None:
    project = _project(tmp_path, files=2)
    locked = project / "retell" / "n0.yaml"
    locked.chmod(0o444)
    (project / "retell" / "n1.yaml").chmod(0o640)
    run = run_cli(["check", "--fix", "retell"], project, timeout=20)
    assert_ran(run, 2)
    assert "retell-lint: error: retell/n0.yaml: the fixed file is read-only; not written" in (
        run.err.splitlines()
    )
    assert locked.read_text() == FIXABLE.format(n=0)
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    # The writable file is fixed, and keeps its own mode.
    assert (project / "retell" / "n1.yaml").read_text() == FIXED.format(n=1)
    assert stat.S_IMODE((project / "retell" / "n1.yaml").stat().st_mode) == 0o640
    assert _leftovers(project) == []


def test_fix_in_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "retell").chmod(0o555)
    try:
        run = run_cli(["check", "--fix", "retell"], project, timeout=20)
    finally:
        (project / "retell").chmod(0o755)
    assert_ran(run, 2)
    assert (
        "retell-lint: error: retell/n0.yaml: cannot write the fixed file: its folder is read-only"
        in run.err.splitlines()
    )
    assert (project / "retell" / "n0.yaml").read_text() == FIXABLE.format(n=0)
    assert _leftovers(project) == []


def test_export_into_a_linked_parent_folder_leaving_the_project_is_refused(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path)
    (project / "state.json").write_text(json.dumps(SNAPSHOT), encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "linked").symlink_to(outside)
    run = run_cli(
        ["export", "--out", "linked/exported", "--live-state", "state.json"], project, timeout=20
    )
    assert_ran(run, 2)
    assert "leading outside" in run.err and len(run.err.splitlines()) == 1
    assert list(outside.iterdir()) == []


def test_a_full_stdout_is_one_line_and_exit_2(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with open(os.devnull if not os.path.exists("/dev/full") else "/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "retell_lint", "check", "retell"],
            cwd=project,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=30,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "retell-lint: error: cannot write to standard output: no space left on the device\n"
    )


def test_stdin_and_a_file_of_the_same_name_are_a_usage_error(tmp_path: Path) -> None:
    project = _project(tmp_path)
    piped = b'phone_number: "+14155550100"\nnickname: From the editor\n'
    for paths in (["-", "retell/n0.yaml"], ["-", "retell"]):
        run = run_cli(
            ["check", "--fix", "--stdin-filename", "retell/n0.yaml", *paths],
            project,
            stdin=piped,
            timeout=20,
        )
        assert_ran(run, 2)
        assert run.out == ""
        assert run.err.strip() == (
            "retell-lint: error: --stdin-filename retell/n0.yaml names a file this run also "
            "lints; lint stdin and that file in separate runs"
        )
        assert (project / "retell" / "n0.yaml").read_text() == FIXABLE.format(n=0)


# A child process stands in for a user pressing Ctrl-C (or CI cancelling a job) while
# the third of five fixed files is being written: the signal is sent from inside
# tempfile.mkstemp, once the temporary file exists.
INTERRUPT = textwrap.dedent(
    """
    import os, signal, sys, tempfile
    from retell_lint.cli import main

    real = tempfile.mkstemp
    calls = []

    def mkstemp(*args, **kwargs):
        made = real(*args, **kwargs)
        calls.append(made[1])
        if len(calls) == 3:
            os.kill(os.getpid(), getattr(signal, sys.argv[1]))
        return made

    tempfile.mkstemp = mkstemp
    sys.exit(main(["check", "--fix", "retell"]))
    """
)


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_an_interrupted_fix_leaves_no_temporary_file_and_says_what_it_wrote(
    tmp_path: Path, signal_name: str
) -> None:
    project = _project(tmp_path, files=5)
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPT, signal_name],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "retell-lint: error: interrupted: 2 of 5 files were fixed and written "
        "(retell/n0.yaml, retell/n1.yaml); the other 3 are unchanged"
    )
    assert _leftovers(project) == []
    texts = [(project / "retell" / f"n{n}.yaml").read_text() for n in range(5)]
    assert texts == [FIXED.format(n=0), FIXED.format(n=1)] + [
        FIXABLE.format(n=n) for n in range(2, 5)
    ]


def test_fix_never_writes_into_a_linked_folder_leaving_the_project(tmp_path: Path) -> None:
    project = _project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text(FIXABLE.format(n=9), encoding="utf-8")
    (project / "retell" / "ext").symlink_to(outside)
    for args in (["check", "--fix"], ["check", "--fix", "retell/ext/x.yaml"]):
        run = run_cli(args, project, timeout=20)
        assert_ran(run, 0, 1, 2)
        assert (outside / "x.yaml").read_text() == FIXABLE.format(n=9)
        assert _leftovers(outside) == []


def test_a_sigterm_during_export_leaves_no_temporary_file(tmp_path: Path) -> None:
    project = _project(tmp_path)
    snapshot = dict(SNAPSHOT)
    snapshot["phone_numbers"] = [
        {"phone_number": f"+1415888{n:04d}", "nickname": "X"} for n in range(5)
    ]
    (project / "state.json").write_text(json.dumps(snapshot), encoding="utf-8")
    script = INTERRUPT.replace(
        '["check", "--fix", "retell"]', '["export", "--out", "out", "--live-state", "state.json"]'
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "SIGTERM"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1] == (
        "retell-lint: error: interrupted: 2 of 5 files were written to out"
    )
    assert _leftovers(project) == []
    assert len(list((project / "out").iterdir())) == 2
