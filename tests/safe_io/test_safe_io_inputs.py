"""Inputs are regular files only, with a size cap, read without blocking (H3, R2, W2,
C6, S4): each case runs the real command in a child process with a time bound."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bounded_run import assert_ran, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs and symbolic links")

NUMBER = 'phone_number: "+14157774444"\nnickname: Front desk\n'


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / "a.yaml").write_text(NUMBER, encoding="utf-8")
    os.mkfifo(tmp_path / "fifo")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "--baseline", "fifo"], "fifo: the baseline is a FIFO, not a regular file"),
        (["drift", "--live-state", "fifo"], "fifo: live state is a FIFO, not a regular file"),
        (["apply", "--plan", "fifo"], "fifo: the plan is a FIFO, not a regular file"),
        (["check", "--config", "fifo"], "fifo: the configuration is a FIFO, not a regular file"),
    ],
)
def test_a_fifo_given_as_an_input_is_an_error_not_a_hang(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    run = run_cli(args, _project(tmp_path), timeout=20)
    assert_ran(run, 2)
    assert run.err.strip() == f"retell-lint: error: {needle}"


def test_a_fifo_as_the_log_is_an_error_not_a_hang(tmp_path: Path) -> None:
    _project(tmp_path)
    code = (
        "from retell_lint.apply.writer import AuditLog\n"
        "from retell_lint.errors import FatalError\n"
        "try:\n    AuditLog('fifo')\nexcept FatalError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=20
    )
    assert done.stdout.strip() == "fifo: the log is a FIFO, not a regular file"


def test_a_config_that_is_a_link_to_dev_null_is_an_error(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / ".retell-lint.yaml").symlink_to(os.devnull)
    run = run_cli(["check"], tmp_path, timeout=20)
    assert_ran(run, 2)
    assert run.err.strip().endswith(
        ".retell-lint.yaml: the configuration is a character device, not a regular file"
    )


def test_a_dangling_config_link_is_an_error(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / ".retell-lint.yaml").symlink_to(tmp_path / "gone.yaml")
    run = run_cli(["check"], tmp_path, timeout=20)
    assert_ran(run, 2)
    assert "the configuration is a symbolic link to nothing" in run.err


def test_a_huge_baseline_is_refused_without_reading_it(tmp_path: Path) -> None:
    _project(tmp_path)
    with open(tmp_path / "baseline.json", "wb") as handle:  # sparse: no disk used
        handle.truncate(33 * 1024 * 1024)
    run = run_cli(["check", "--baseline", "baseline.json"], tmp_path, timeout=20)
    assert_ran(run, 2)
    # Refused from its size before any of it is read.
    assert run.err == "retell-lint: error: baseline.json: the baseline is larger than 32 MB\n"


@pytest.mark.parametrize("opener", ["[", "{a="])
def test_toml_nested_100000_deep_is_invalid_toml(tmp_path: Path, opener: str) -> None:
    _project(tmp_path)
    closer = "]" if opener == "[" else "}"
    (tmp_path / "pyproject.toml").write_text(
        "[tool.retell-lint]\ninclude = " + opener * 100_000 + closer * 100_000 + "\n",
        encoding="utf-8",
    )
    run = run_cli(["check"], tmp_path, timeout=30)
    assert_ran(run, 2)
    assert run.err.strip().endswith(
        "pyproject.toml: invalid TOML: arrays or tables nested too deep"
    )


def test_a_linted_link_leaving_the_tree_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "id_rsa").write_text("phone_number: PRIVATE-KEY-LINE\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    _project(project)
    (project / "retell" / "key.yaml").symlink_to(secret / "id_rsa")
    (project / "shared").mkdir()
    (project / "shared" / "b.yaml").write_text(NUMBER.replace("4444", "5555"), encoding="utf-8")
    (project / "retell" / "inside.yaml").symlink_to(project / "shared" / "b.yaml")
    for args in (["check"], ["check", "retell"], ["check", "retell/key.yaml", "retell/a.yaml"]):
        run = run_cli(args, project, timeout=20)
        assert_ran(run, 0)
        assert "PRIVATE-KEY-LINE" not in run.out + run.err
        assert (
            "skipped retell/key.yaml: a symbolic link leading outside the project, not followed"
            in run.err
        )
        # A link that stays inside the project is read as before (named files alone
        # get no findings of their own for it, though project rules still see it).
        assert "inside.yaml" not in run.err
        reported = any(line.startswith("retell/inside.yaml:") for line in run.out.splitlines())
        assert reported == (args != ["check", "retell/key.yaml", "retell/a.yaml"])


def test_a_folder_named_through_a_link_leaving_the_project_is_not_read(tmp_path: Path) -> None:
    # The folder's own files are plain files; the link is the folder above them.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "id.yaml").write_text("phone_number: PRIVATE-KEY-LINE\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    _project(project)
    (project / "retell" / "ext").symlink_to(outside)
    run = run_cli(["check", "retell/ext"], project, timeout=20)
    assert "PRIVATE-KEY-LINE" not in run.out + run.err
    assert (
        "skipped retell/ext/id.yaml: a symbolic link leading outside the project, not followed"
        in run.err
    )


def test_links_in_a_folder_named_outside_the_project_stay_in_that_folder(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("phone_number: PRIVATE-KEY-LINE\n", encoding="utf-8")
    (tmp_path / "work").mkdir()
    work = _project(tmp_path / "work")
    other = tmp_path / "other" / "retell"
    other.mkdir(parents=True)
    (other / "a.yaml").write_text(NUMBER, encoding="utf-8")
    (other / "key.yaml").symlink_to(tmp_path / "secret")
    run = run_cli(["check", "../other/retell"], work, timeout=20)
    assert_ran(run, 0)
    assert "PRIVATE-KEY-LINE" not in run.out + run.err
    assert (
        "skipped ../other/retell/key.yaml: a symbolic link leading outside the folder "
        "named, not followed" in run.err
    )
