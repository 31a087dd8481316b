"""policy_files never leave the repository, never follow folder links, and are
capped (H2). Each run is a child process with a time bound: before, '**' followed a
link loop and '../../**' walked the file system."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bounded_run import assert_ran, run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links")


def policy(n: int) -> str:
    return (
        f"- id: ACME{n:03d}\n  name: rule-{n}\n  message: m\n  field: nickname\n"
        "  require: {present: true}\n"
    )


def _repository(tmp_path: Path, policy_files: str) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "policies").mkdir()
    (repo / "policies" / "a.yaml").write_text(policy(1), encoding="utf-8")
    (repo / ".retell-lint.yaml").write_text(f"policy_files: {policy_files}\n", encoding="utf-8")
    return repo


def _rules(repo: Path) -> list[str]:
    run = run_cli(["rules"], repo, timeout=30)
    assert_ran(run, 0, 2)
    return [line.split()[0] for line in run.out.splitlines() if line.startswith("ACME")] or [
        run.err.strip()
    ]


def test_a_link_loop_under_a_double_star_is_not_followed(tmp_path: Path) -> None:
    repo = _repository(tmp_path, "['policies/**/*.yaml']")
    # Two links back up: following them, the paths to walk double at each level.
    (repo / "policies" / "loop").symlink_to(repo / "policies")
    (repo / "policies" / "again").symlink_to(repo / "policies")
    (repo / "policies" / "sub").mkdir()
    (repo / "policies" / "sub" / "b.yaml").write_text(policy(2), encoding="utf-8")
    assert _rules(repo) == ["ACME001", "ACME002"]


def test_a_pattern_leaving_the_repository_is_an_error_not_a_walk(tmp_path: Path) -> None:
    repo = _repository(tmp_path, "['../../**']")
    assert _rules(repo) == [
        "retell-lint: error: .retell-lint.yaml:1: invalid policy: "
        f"policy_files pattern '../../**' leaves the repository {repo}"
    ]


def test_a_linked_policy_folder_leaving_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = _repository(tmp_path, "['shared/*.yaml']")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text(policy(9), encoding="utf-8")
    (repo / "shared").symlink_to(outside)
    assert "leaves the repository" in _rules(repo)[0]


def test_a_linked_policy_file_leaving_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = _repository(tmp_path, "['team.yaml']")
    outside = tmp_path / "outside.yaml"
    outside.write_text(policy(9), encoding="utf-8")
    (repo / "team.yaml").symlink_to(outside)
    assert _rules(repo) == [
        "retell-lint: error: .retell-lint.yaml:1: invalid policy: "
        f"policy_files pattern 'team.yaml' leaves the repository {repo}"
    ]


def test_the_number_of_policy_files_is_capped(tmp_path: Path) -> None:
    repo = _repository(tmp_path, "['policies/many/*.yaml']")
    (repo / "policies" / "many").mkdir()
    for n in range(101):
        (repo / "policies" / "many" / f"p{n:03d}.yaml").write_text(policy(n), encoding="utf-8")
    assert "matches more than 100 files" in _rules(repo)[0]


def test_a_pattern_that_looks_at_too_much_is_an_error(tmp_path: Path) -> None:
    repo = _repository(tmp_path, "['**/*.policy.yaml']")
    wide = repo / "wide"
    wide.mkdir()
    for n in range(20_001):
        (wide / f"f{n}").touch()
    assert "looks at more than 20000 files and folders" in _rules(repo)[0]
