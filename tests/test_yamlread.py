"""The YAML reader under hostile nesting: an exact depth bound, never a crashed process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bounded_run import assert_ran, run_cli

from retell_lint import yamlread
from retell_lint.yamlread import MAX_NESTING, parse

# Inputs that nest far past what the C composer's stack survives, one per construct.
DEEP = {
    "explicit-keys": "? " * 60_000 + "x\n",
    "brackets-closed-in-comments": "[[[[[[[[[[ # ]]]]]]]]]]\n" * 3000 + "]" * 30_000 + "\n",
    "block-sequences": "- " * 60_000 + "x\n",
    "flow-sequences": "[" * 60_000 + "\n",
    "flow-mappings": "{a: " * 30_000 + "\n",
    "explicit-values": "? a\n: " * 1 + "? " * 60_000 + "x\n",
    "mixed": "- ? [{a: " * 15_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_is_rl001_in_a_child_process(tmp_path: Path, name: str) -> None:
    (tmp_path / "deep.yaml").write_text(DEEP[name])
    run = run_cli(["check", "--format", "concise", "deep.yaml"], tmp_path, timeout=20)
    assert_ran(run, 1)
    assert "RL001" in run.out
    assert "nesting deeper than 200 levels" in run.out or "RL001 [error]" in run.out


@pytest.mark.parametrize("name", ["explicit-keys", "brackets-closed-in-comments"])
def test_deep_config_file_is_one_line_error(tmp_path: Path, name: str) -> None:
    (tmp_path / ".retell-lint.yaml").write_text(DEEP[name])
    (tmp_path / "n.yaml").write_text('phone_number: "+14157774444"\n')
    run = run_cli(["check", "n.yaml"], tmp_path, timeout=20)
    assert_ran(run, 2)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "invalid YAML: nesting deeper than" in lines[0]


@pytest.mark.parametrize("name", ["explicit-keys", "brackets-closed-in-comments"])
def test_deep_declared_file_stops_drift_with_one_line(tmp_path: Path, name: str) -> None:
    (tmp_path / "deep.yaml").write_text(DEEP[name])
    state = {"version": 1, "phone_numbers": []}
    (tmp_path / "live.json").write_text(json.dumps(state))
    run = run_cli(["drift", "--live-state", "live.json", "deep.yaml"], tmp_path, timeout=20)
    assert_ran(run, 2)
    assert "declared files do not parse" in run.err and "RL001" in run.err


NESTED = {
    "explicit-key": lambda n: "? " * n + "x",
    "block-sequence": lambda n: "- " * n + "x",
    "flow-sequence": lambda n: "[" * n + "]" * n,
    "flow-mapping": lambda n: "{a: " * n + "x" + "}" * n,
    "indented-mapping": lambda n: "".join(f"{'  ' * i}k:\n" for i in range(n)) + "  " * n + "x",
}


@pytest.mark.parametrize("construct", sorted(NESTED))
def test_depth_bound_is_exact_for_every_construct(construct: str) -> None:
    build = NESTED[construct]
    assert parse(build(MAX_NESTING) + "\n").problem is None
    problem = parse(build(MAX_NESTING + 1) + "\n").problem
    assert problem is not None and f"nesting deeper than {MAX_NESTING}" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        # Brackets inside quoted scalars and comments are not nesting.
        "a: '" + "[" * 500 + "'\n",
        'a: "' + "{" * 500 + '"\n',
        "a: 1  # " + "[" * 500 + "\n",
        "# " + "- " * 500 + "\n" + "a: 1\n",
        "a: |\n  " + "? " * 500 + "\n",
        # Long files of flat keys: many indicators, no depth.
        "".join(f"k{i}: [a, b]\n" for i in range(2000)),
    ],
    ids=["single-quoted", "double-quoted", "comment", "comment-line", "block-scalar", "flat"],
)
def test_indicators_that_do_not_nest_are_not_counted(text: str) -> None:
    parsed = parse(text)
    assert parsed.problem is None
    assert len(parsed.documents) == 1


def test_problem_points_at_the_first_level_too_deep() -> None:
    text = "a:\n  b: " + "[" * (MAX_NESTING + 5) + "\n"
    problem = parse(text).problem
    assert problem is not None
    # 'a' and 'b' are two mappings; the bracket that makes level 201 is on line 2.
    assert (problem.line, problem.column) == (2, 6 + MAX_NESTING - 2)


def test_document_count_is_bounded() -> None:
    MAX_DOCUMENTS = yamlread.MAX_DOCUMENTS
    fits = parse("---\na: 1\n" * MAX_DOCUMENTS)
    assert fits.problem is None and len(fits.documents) == MAX_DOCUMENTS
    parsed = parse("---\n" * (MAX_DOCUMENTS + 5))
    assert parsed.problem is not None and f"more than {MAX_DOCUMENTS}" in parsed.problem.message
    assert parsed.documents == []


def test_a_million_empty_documents_stay_small_and_fast(tmp_path: Path) -> None:
    (tmp_path / "many.yaml").write_text("---\n" * 1_000_000)
    run = run_cli(
        ["check", "--format", "concise", "many.yaml"],
        tmp_path,
        timeout=20,
        memory=500 * 1024 * 1024,
    )
    assert_ran(run, 1)
    assert "more than 10000 YAML documents" in run.out
    assert run.seconds < 10
