"""Which files are linted: paths, folders, include/exclude globs, stdin."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema
import pytest
from bounded_run import assert_ran, run_cli

from retell_lint.config import Config
from retell_lint.discover import discover
from retell_lint.errors import FatalError
from retell_lint.globs import glob_match
from retell_lint.pathmatch import matches


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("retell/**/*.yaml", "retell/a.yaml", True),
        ("retell/**/*.yaml", "retell/x/y/a.yaml", True),
        ("retell/**/*.yaml", "other/a.yaml", False),
        ("retell/**/*.yaml", "retell/a.yml", False),
        ("*.yaml", "a.yaml", True),
        ("a?.yaml", "ab.yaml", True),
        ("a?.yaml", "a/b.yaml", False),
    ],
)
def test_glob_match(pattern, path, expected):
    assert glob_match(pattern, path) is expected


def test_exclude_by_name_or_folder():
    assert matches("retell/legacy/a.yaml", ["legacy"])
    assert matches("retell/legacy/a.yaml", ["retell/legacy/"])
    assert matches("retell/a.draft.yaml", ["*.draft.yaml"])
    assert not matches("retell/a.yaml", ["legacy", "*.draft.yaml"])


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in (
        "retell/a.yaml",
        "retell/sub/b.yml",
        "retell/notes.txt",
        "other/c.yaml",
        "retell/legacy/old.yaml",
        ".hidden/retell/d.yaml",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("phone_number: '+14157774444'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_no_paths_uses_include_globs_from_the_root(tree):
    config = Config(root=tree)
    assert discover((), config) == ["retell/a.yaml", "retell/legacy/old.yaml", "retell/sub/b.yml"]


def test_exclude_applies_to_the_tree_and_to_folders(tree):
    config = Config(root=tree, exclude=["legacy"])
    assert discover((), config) == ["retell/a.yaml", "retell/sub/b.yml"]
    assert discover(("retell",), config) == ["retell/a.yaml", "retell/sub/b.yml"]


def test_folder_argument_takes_yaml_files_in_any_layout(tree):
    assert discover(("other",), Config(root=tree)) == ["other/c.yaml"]


def test_explicit_files_are_linted_whatever_their_name(tree):
    assert discover(("retell/notes.txt",), Config(root=tree)) == ["retell/notes.txt"]


def test_duplicates_are_dropped(tree):
    assert discover(("retell/a.yaml", "./retell/a.yaml"), Config(root=tree)) == ["retell/a.yaml"]


def test_missing_path_is_fatal(tree):
    with pytest.raises(FatalError, match="no such file"):
        discover(("nope.yaml",), Config(root=tree))


def test_stdin_marker(tree):
    assert discover(("-",), Config(root=tree)) == ["-"]


# -- named files, odd files and hostile trees -------------------------------------------

GOOD = 'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: agent_a\n    weight: 1\n'


def test_named_files_are_linted_even_when_excluded(tree):
    config = Config(root=tree, exclude=["legacy", "*.yaml"])
    assert discover(("retell/legacy/old.yaml",), config) == ["retell/legacy/old.yaml"]
    # --force-exclude: excludes apply to named files too (pre-commit passes every file).
    assert discover(("retell/legacy/old.yaml",), config, force_exclude=True) == []
    # A folder's files still follow the excludes.
    assert discover(("retell",), Config(root=tree, exclude=["legacy"])) == [
        "retell/a.yaml",
        "retell/sub/b.yml",
    ]


def test_force_exclude_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".retell-lint.yaml").write_text('exclude: ["retell/archive/"]\n')
    (tmp_path / "retell" / "archive").mkdir(parents=True)
    (tmp_path / "retell" / "archive" / "old.yaml").write_text("phone_number: 14157774444\n")
    named = run_cli(["check", "retell/archive/old.yaml"], tmp_path)
    assert_ran(named, 1)
    forced = run_cli(["check", "--force-exclude", "retell/archive/old.yaml"], tmp_path)
    assert_ran(forced, 0)
    assert "every file named is excluded" in forced.err


STARS = """
import time
from retell_lint.pathmatch import matches
pattern = "*a" * 30 + "*b"
started = time.monotonic()
assert not matches("a" * 200, [pattern])
assert not matches("retell/" + "a" * 200 + ".yaml", [pattern, "**/" + pattern])
assert matches("a" * 40 + "b", [pattern])
print(time.monotonic() - started)
"""


def test_many_stars_in_a_glob_do_not_backtrack():
    # In a child process: a backtracking matcher would never return.
    done = subprocess.run(
        [sys.executable, "-c", STARS], capture_output=True, text=True, timeout=20, check=False
    )
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 1.0


def test_many_stars_in_an_exclude_glob_end_quickly(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".retell-lint.yaml").write_text(f'exclude: ["{"*a" * 25}*b"]\n')
    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / ("a" * 120 + ".yaml")).write_text(GOOD)
    run = run_cli(["check"], tmp_path, timeout=15)
    assert_ran(run, 0)
    assert run.seconds < 10


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("**/x.yaml", "x.yaml", True),
        ("**/x.yaml", "a/b/x.yaml", True),
        ("**/x.yaml", "abx.yaml", False),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("a/**", "a/x/y", True),
        ("a/**", "a", False),
        ("a**b", "a/x/b", True),
        ("*.yaml", "x/y.yaml", False),
        ("?", "/", False),
        ("a*", "a", True),
        ("[x].yaml", "[x].yaml", True),
    ],
)
def test_glob_semantics(pattern, path, expected):
    assert glob_match(pattern, path) is expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_named_yaml_is_skipped_not_read(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / "ok.yaml").write_text(GOOD)
    os.mkfifo(tmp_path / "retell" / "pipe.yaml")
    run = run_cli(["check"], tmp_path, timeout=15)
    assert_ran(run, 0)
    assert "skipped retell/pipe.yaml: a FIFO, not a regular file" in run.err
    named = run_cli(["check", "retell/pipe.yaml", "retell/ok.yaml"], tmp_path, timeout=15)
    assert_ran(named, 0)
    assert "skipped retell/pipe.yaml: a FIFO" in named.err
    folder = run_cli(["check", "retell"], tmp_path, timeout=15)
    assert_ran(folder, 0)


def test_symlink_loops_under_the_root_are_errors_not_crashes(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    retell = tmp_path / "retell"
    (retell / "d").mkdir(parents=True)
    (retell / "ok.yaml").write_text(GOOD)
    os.symlink("loop.yaml", retell / "loop.yaml")
    os.symlink("..", retell / "d" / "up")  # a folder loop: never followed
    run = run_cli(["check", "--format", "json"], tmp_path, timeout=15)
    assert_ran(run, 2)
    report = json.loads(run.out)
    assert report["summary"]["numbers"] == 1  # ok.yaml was still linted
    assert report["errors"] == [
        {"file": "retell/loop.yaml", "message": "cannot read: symbolic link loop"}
    ]
    assert (
        run.err.strip() == "retell-lint: error: retell/loop.yaml: cannot read: symbolic link loop"
    )


def test_symlink_loop_named_on_the_command_line(tmp_path: Path) -> None:
    os.symlink("a.yaml", tmp_path / "b.yaml")
    os.symlink("b.yaml", tmp_path / "a.yaml")
    run = run_cli(["check", "a.yaml"], tmp_path)
    assert_ran(run, 2)
    assert run.err.strip() == (
        "retell-lint: error: symbolic link loop: a.yaml never reaches a file"
    )


def test_folders_1500_deep(tmp_path: Path) -> None:
    top = str(tmp_path / "retell")
    os.mkdir(top)
    folders = [top]
    for _ in range(1500):  # one level at a time: pathlib's mkdir(parents=True) recurses
        folders.append(os.path.join(folders[-1], "d"))
        os.mkdir(folders[-1])
    with open(os.path.join(folders[-1], "n.yaml"), "w") as handle:
        handle.write(GOOD)
    try:
        for args in (["check", "--format", "json"], ["check", "--format", "json", "retell"]):
            run = run_cli(args, tmp_path, timeout=30)
            assert_ran(run, 0)
            assert json.loads(run.out)["summary"]["numbers"] == 1
    finally:
        # Bottom up: shutil.rmtree (and pytest's clean-up of old runs) recurses per level.
        os.unlink(os.path.join(folders[-1], "n.yaml"))
        for folder in reversed(folders):
            os.rmdir(folder)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "junit"])
def test_non_utf8_file_name(tmp_path: Path, fmt: str) -> None:
    folder = os.fsencode(tmp_path / "retell")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9.yaml"), "wb") as handle:
        handle.write(b"phone_number: 14157774444\n")
    run = run_cli(["check", "--format", fmt], tmp_path)
    assert_ran(run, 1)
    if fmt == "json":
        assert json.loads(run.out)["findings"][0]["file"] == "retell/caf\\xe9.yaml"
    elif fmt == "sarif":
        assert "retell/caf%5Cxe9.yaml" in run.out
    else:
        assert "retell/caf\\xe9.yaml" in run.out


def test_non_utf8_file_name_output_is_valid_utf8(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path / "retell")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9.yaml"), "wb") as handle:
        handle.write(b"phone_number: 14157774444\n")
    done = subprocess.run(
        [sys.executable, "-m", "retell_lint", "check", "--format", "sarif"],
        cwd=tmp_path,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout.decode("utf-8"))  # strict: must be UTF-8
    schema_path = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator(schema, format_checker=validator.FORMAT_CHECKER).validate(report)
    uri = report["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"]["uri"] == "retell/caf%5Cxe9.yaml"


NOBODY = 65534
# Imports done as root, before dropping to 'nobody' (who cannot read the
# interpreter's own library under /root): one warm-up run loads every module.
AS_NOBODY = f"""
import contextlib, io, os, sys
from retell_lint.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    main(["check", "--format", "json", "warm.yaml"])
    main(["check", "--format", "text", "warm.yaml"])
    main(["drift", "--live-state", "live.json", "warm.yaml"])
os.setgroups([])
os.setgid({NOBODY})
os.setuid({NOBODY})
sys.exit(main(sys.argv[1:]))
"""


def _as_nobody(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", AS_NOBODY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _unreadable_project() -> Path:
    """A project 'nobody' can enter, with one folder and one file it cannot read."""
    root = Path(tempfile.mkdtemp(prefix="retell-lint-perm-"))
    root.chmod(0o755)
    (root / ".git").mkdir()
    (root / "retell" / "locked").mkdir(parents=True)
    for path in (
        root / "warm.yaml",
        root / "retell" / "ok.yaml",
        root / "retell" / "locked" / "x.yaml",
    ):
        path.write_text(GOOD)
    (root / "live.json").write_text('{"version": 1, "phone_numbers": []}')
    for path in (
        root / "retell",
        root / "warm.yaml",
        root / "retell" / "ok.yaml",
        root / "live.json",
    ):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (root / "retell" / "locked").chmod(0o000)
    return root


@pytest.mark.skipif(os.geteuid() != 0, reason="drops to 'nobody' from root; see the next test")
def test_unreadable_folder_is_an_error_as_an_ordinary_user() -> None:
    # Root reads mode-000 folders; the run drops to 'nobody' to see what users see.
    root = _unreadable_project()
    try:
        check = _as_nobody(root, "check")
        assert check.returncode == 2, check.stdout + check.stderr
        assert "retell/locked: cannot read folder: Permission denied" in check.stderr
        assert "All checks passed" not in check.stdout
        drift = _as_nobody(root, "drift", "--live-state", "live.json")
        assert drift.returncode == 2, drift.stdout + drift.stderr
        assert "retell/locked" in drift.stderr and "Permission denied" in drift.stderr
        (root / "retell" / "locked").chmod(0o755)
        (root / "retell" / "locked" / "x.yaml").chmod(0o000)
        named = _as_nobody(root, "check", "retell/locked/x.yaml")
        assert named.returncode == 2
        assert "retell/locked/x.yaml' is not readable" in named.stderr
    finally:
        (root / "retell" / "locked").chmod(0o755)
        shutil.rmtree(root)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads mode-000 folders; the test above runs")
def test_unreadable_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "retell" / "locked").mkdir(parents=True)
    (tmp_path / "retell" / "ok.yaml").write_text(GOOD)
    (tmp_path / "retell" / "locked").chmod(0o000)
    try:
        run = run_cli(["check"], tmp_path)
        assert_ran(run, 2)
        assert "cannot read folder" in run.err
    finally:
        (tmp_path / "retell" / "locked").chmod(0o755)


def test_the_walk_names_plain_files_regular_and_links_not(tree: Path) -> None:
    # Their reader skips its own look before opening only for files the listing vouched
    # for: a link (followed or not) is looked at again.
    from retell_lint.discover import find_files

    os.symlink(tree / "retell" / "a.yaml", tree / "retell" / "link.yaml")
    found = find_files((), Config(root=tree))
    names = ["retell/a.yaml", "retell/legacy/old.yaml", "retell/link.yaml", "retell/sub/b.yml"]
    assert sorted(found.names) == names
    assert sorted(found.regular) == [name for name in names if name != "retell/link.yaml"]
    # Files named on the command line are looked at by their reader as before.
    assert find_files(("retell/a.yaml",), Config(root=tree)).regular == frozenset()
