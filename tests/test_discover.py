"""Which files are linted: paths, folders, include/exclude globs, stdin."""

from __future__ import annotations

from pathlib import Path

import pytest

from retell_lint.config import Config
from retell_lint.discover import discover, glob_regex, matches
from retell_lint.errors import FatalError


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
def test_glob_regex(pattern, path, expected):
    assert bool(glob_regex(pattern).match(path)) is expected


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
