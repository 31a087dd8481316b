"""Globs compile once to a table-driven matcher: the same answers as the reference
translation, in time linear in the path, and hostile globs are configuration errors."""

from __future__ import annotations

import re
import time
from pathlib import Path

from bounded_run import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from retell_lint import globs
from retell_lint.globs import MAX_DOUBLE_STARS, Glob, compile_glob, problem
from retell_lint.pathmatch import matches

NUMBER = 'phone_number: "+14157774444"\nnickname: Desk\n'


def reference(pattern: str) -> re.Pattern[str]:
    """The glob language as a Python regex (fine for the short globs tested here)."""
    out, index = "", 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out, index = out + "(?:.*/)?", index + 3
        elif pattern.startswith("**", index):
            out, index = out + ".*", index + 2
        elif pattern[index] == "*":
            out, index = out + "[^/]*", index + 1
        elif pattern[index] == "?":
            out, index = out + "[^/]", index + 1
        else:
            out, index = out + re.escape(pattern[index]), index + 1
    return re.compile(out, re.DOTALL)


@settings(max_examples=400, deadline=None)
@given(st.text("ab/*?", max_size=10), st.text("ab/c", max_size=10))
def test_match_agrees_with_the_reference(pattern: str, path: str) -> None:
    expected = reference(pattern).fullmatch(path) is not None
    assert compile_glob(pattern).match(path) is expected


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["*", "*a", "*.b", "**.b", "***b", "*a*", "a*", "*?b"]),
    st.text("ab./", max_size=8),
)
def test_a_star_and_a_suffix_agree_with_the_reference(pattern: str, path: str) -> None:
    # '*.yaml', the include's name part, is answered by the name's suffix alone.
    expected = reference(pattern).fullmatch(path) is not None
    assert compile_glob(pattern).match(path) is expected


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(
        ["a/**/*.b", "**/*b", "a/b/**/?", "a/**/a**b", "**/a*", "/**/a", "a/**/*", "a*/**/b"]
    ),
    st.text("ab./", max_size=10),
)
def test_folders_then_a_name_glob_agree_with_the_reference(pattern: str, path: str) -> None:
    # 'retell/**/*.yaml', the include's form, is answered name by name past the folders.
    parts = path.split("/")
    prefixes = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    expected = any(reference(pattern).fullmatch(p) for p in prefixes)
    assert compile_glob(pattern).match_prefix(path) is expected


@settings(max_examples=400, deadline=None)
@given(st.text("ab/*?", max_size=10), st.text("ab/", max_size=10))
def test_prefix_match_is_any_folder_or_the_whole_path(pattern: str, path: str) -> None:
    parts = path.split("/")
    prefixes = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    expected = any(reference(pattern).fullmatch(p) for p in prefixes)
    assert compile_glob(pattern).match_prefix(path) is expected


def test_remembered_folders_and_names_agree_with_the_reference_across_resets(
    monkeypatch,
) -> None:
    # Tiny bounds: the table and the memories start afresh many times in one loop, and
    # a remembered answer must never outlive the state numbers it holds.
    monkeypatch.setattr(globs, "_MAX_TABLE", 5)
    monkeypatch.setattr(globs, "_MAX_MEMO", 3)
    import itertools

    paths = ["".join(p) for n in range(1, 6) for p in itertools.product("ab/", repeat=n)]
    for pattern in ("a/**/b*", "**/a", "a/*/b", "a*", "*/b/**", "?/?"):
        glob, regex = Glob(pattern), reference(pattern)
        for path in paths * 2:  # the second pass answers from the memories
            parts = path.split("/")
            prefixes = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
            assert glob.match_prefix(path) is any(regex.fullmatch(p) for p in prefixes), path
            assert glob.match_name(path) is (regex.fullmatch(path) is not None), path


def test_runs_of_double_star_folders_are_one_and_fast() -> None:
    pattern = "**/" * 250 + "zz/q"
    assert problem(pattern) is None
    paths = [f"retell/team{n}/sub/deeper/n{n}.yaml" for n in range(200)]
    started = time.monotonic()
    assert not any(matches(p, [pattern]) for p in paths)
    assert matches("a/b/zz/q/x.yaml", [pattern])
    assert time.monotonic() - started < 1


def test_many_separate_double_stars_stay_linear() -> None:
    pattern = "**/a" * MAX_DOUBLE_STARS + "/zz"
    path = "/".join(["a"] * 60 + ["b.yaml"])
    started = time.monotonic()
    for _ in range(200):
        assert not compile_glob(pattern).match_prefix(path)
    assert time.monotonic() - started < 2


def test_hostile_globs_are_refused() -> None:
    assert "at most 16" in (problem("**/a" * 17) or "")
    assert "longer than 1024" in (problem("a" * 6000) or "")


def test_hostile_exclude_is_a_config_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / ".retell-lint.yaml").write_text(
        "exclude:\n  - ok/*\n  - '" + "**/x" * 40 + "'\n", encoding="utf-8"
    )
    (tmp_path / "n.yaml").write_text(NUMBER, encoding="utf-8")
    run = run_cli(["check", "n.yaml"], tmp_path, timeout=20)
    assert run.code == 2
    assert ".retell-lint.yaml:" in run.err and "exclude pattern '**/x**/x" in run.err
    assert "at most 16" in run.err


def test_exclude_of_750_characters_over_200_files_is_fast(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    pattern = "**/" * 250 + "zz/q"
    (tmp_path / ".retell-lint.yaml").write_text(f"exclude: ['{pattern}']\n", encoding="utf-8")
    for n in range(200):
        folder = tmp_path / "retell" / f"team{n % 20}" / "sub"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"n{n}.yaml").write_text(NUMBER.replace("4444", f"{n:04d}"), encoding="utf-8")
    run = run_cli(["check"], tmp_path, timeout=60)
    assert run.code in (0, 1), run.err
    assert run.seconds < 10
