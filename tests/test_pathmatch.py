"""Patterns answered a folder at a time give, for every file of the folder, the answer
that matching its whole path gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from retell_lint.pathmatch import Patterns, matches

# Globs of each kind the folder answer takes apart: a name glob anywhere ('*.b', 'a'),
# folders then a name glob ('a/**/*.b'), a suffix after '**/' at the top, and
# anything else ('a*/b', '**/a/*').
PATTERNS = [
    "*.b",
    "a",
    "a*",
    "?",
    "a/**/*.b",
    "a/**/*.yml",
    "**/*.b",
    "a/b/**/?",
    "a*/b",
    "**/a/*",
    "a/b",
    "a/",
    "b/**",
]
NAMES = st.text("ab.", min_size=1, max_size=5)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(PATTERNS), max_size=4),
    st.lists(NAMES, max_size=3),
    st.lists(NAMES, min_size=1, max_size=6),
)
def test_a_folder_answer_is_each_file_path_answer(
    patterns: list[str], folders: list[str], names: list[str]
) -> None:
    folder = "/".join(folders)
    test = Patterns(patterns).in_folder(folder)
    for name in names:
        path = f"{folder}/{name}" if folder else name
        assert test(name) is matches(path, patterns), (patterns, path)


def test_the_usual_include_is_a_suffix_test_under_its_folder() -> None:
    include = Patterns(["retell/**/*.yaml", "retell/**/*.yml"])
    inside = include.in_folder("retell/sales")
    assert inside("a.yaml") and inside("b.yml") and not inside("c.json")
    # Beside the folder the globs name, nothing matches.
    assert not include.in_folder("other")("a.yaml")
    assert not include.in_folder("")("a.yaml")


def test_a_matching_folder_matches_every_file_in_it() -> None:
    exclude = Patterns(["legacy", "retell/drafts/"])
    assert exclude.in_folder("retell/legacy/old")("anything.txt")
    assert exclude.in_folder("retell/drafts")("a.yaml")
    assert not exclude.in_folder("retell/current")("a.yaml")
