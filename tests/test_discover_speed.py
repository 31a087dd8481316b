"""Discovery's shortcuts answer as the plain definitions do."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from retell_lint.globs import glob_match
from retell_lint.pathmatch import matches

PIECES = ("retell", "a", "b.yaml", "x.yml", "**", "*", "?", "*.yaml", "", ".")
pattern = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("/".join)
path = st.lists(
    st.sampled_from(("retell", "a", "b.yaml", "x.yml", "", "ab", ".hidden")), min_size=1, max_size=5
).map("/".join)


def matches_by_definition(relative: str, patterns: list[str]) -> bool:
    # The definition: a pattern with '/' matches the path cut before any '/', or the
    # whole path; one without matches any name in it.
    parts = relative.split("/")
    for item in patterns:
        stripped = item.rstrip("/")
        if "/" in stripped:
            prefixes = ("/".join(parts[:end]) for end in range(1, len(parts) + 1))
            if any(glob_match(stripped, prefix) for prefix in prefixes):
                return True
        elif any(glob_match(stripped, part) for part in parts):
            return True
    return False


@settings(max_examples=1500, deadline=None)
@given(st.lists(pattern, min_size=1, max_size=3), st.lists(path, min_size=1, max_size=6))
def test_matches_answers_as_the_definition(patterns, paths):
    for relative in paths:  # several paths: the per-folder memory is used across them
        assert matches(relative, patterns) == matches_by_definition(relative, patterns)
