"""retell-lint init: configuration, pre-commit hooks and a CI workflow, never overwriting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from retell_lint.cli import main

NUMBER = 'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: a\n    weight: 1\n'
SOURCE = "https://git.example.org/team/retell-lint"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def init(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["init", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_sets_up_a_repository_whose_configs_live_elsewhere(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "numbers" / "sales").mkdir(parents=True)
    (repo / "numbers" / "sales" / "a.yaml").write_text(NUMBER)
    (repo / "docs.yaml").write_text("title: not a number\n")
    code, out, _ = init(capsys, "--source", SOURCE + ".git", "--rev", "v9")
    assert code == 0
    assert "  wrote .retell-lint.yaml" in out.splitlines()
    config = (repo / ".retell-lint.yaml").read_text()
    assert '  - "numbers/**/*.yaml"' in config
    # The configuration finds the numbers where they are.
    assert main(["check", "--format", "json"]) == 0
    hooks = YAML(typ="safe").load((repo / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["repo"] == SOURCE and hooks["repos"][0]["rev"] == "v9"
    assert hooks["repos"][0]["hooks"] == [{"id": "retell-lint", "files": r"^(numbers)/.*\.ya?ml$"}]
    workflow = YAML(typ="safe").load((repo / ".github/workflows/retell-lint.yaml").read_text())
    steps = [step.get("run") for step in workflow["jobs"]["check"]["steps"]]
    assert f'pip install "git+{SOURCE}.git@v9"' in steps and "retell-lint check" in steps


def test_pre_commit_accepts_the_written_config(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "retell").mkdir()
    (repo / "retell" / "a.yaml").write_text(NUMBER)
    assert init(capsys)[0] == 0
    hooks = YAML(typ="safe").load((repo / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["hooks"] == [{"id": "retell-lint"}]  # default files: retell/
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_init_never_overwrites_and_says_what_it_kept(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "pyproject.toml").write_text('[tool.retell-lint]\ninclude = ["cfg/*.yaml"]\n')
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n")
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text("steps: [run: retell-lint check]\n")
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    code, out, _ = init(capsys)
    assert code == 0
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before
    assert "  kept pyproject.toml: a configuration exists" in out
    # The lines to add, with the files pattern of the configuration's include globs.
    assert "  kept .pre-commit-config.yaml: add these lines under its 'repos:' key:" in out
    assert "        files: '^(cfg)/.*\\.ya?ml$'" in out
    assert "Nothing to write" in out


def test_init_never_writes_through_a_link(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (repo / ".retell-lint.yaml").symlink_to(elsewhere / "config.yaml")  # dangling
    (repo / ".pre-commit-config.yaml").symlink_to(elsewhere / "hooks.yaml")
    (repo / ".github").symlink_to(elsewhere)
    code, out, err = init(capsys)
    assert code == 2
    assert "refusing to write under" in err and ".github" in err
    assert list(elsewhere.iterdir()) == []
    assert "kept .retell-lint.yaml" in out and "kept .pre-commit-config.yaml" in out


def test_dry_run_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = init(capsys, "--dry-run")
    assert code == 0
    assert "  would write .retell-lint.yaml:" in out
    assert "  would write .github/workflows/retell-lint.yaml:" in out
    assert sorted(p.name for p in repo.iterdir()) == [".git"]


def test_init_from_a_subfolder_writes_at_the_repository_root(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "retell" / "deep").mkdir(parents=True)
    monkeypatch.chdir(repo / "retell" / "deep")
    assert init(capsys)[0] == 0
    assert (repo / ".retell-lint.yaml").is_file()
    assert not (repo / "retell" / "deep" / ".retell-lint.yaml").exists()


def test_a_refused_folder_stops_init_before_it_writes_anything(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (repo / ".github").symlink_to(elsewhere)
    code, _, err = init(capsys)
    assert code == 2 and "symbolic link" in err
    assert sorted(p.name for p in repo.iterdir()) == [".git", ".github"]


def test_a_pre_commit_config_that_is_not_a_file_is_kept(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    (repo / ".pre-commit-config.yaml").mkdir()
    os.mkfifo(repo / ".retell-lint.yml")  # would block a reader: never opened
    code, out, _ = init(capsys)
    assert code == 0
    assert "  kept .pre-commit-config.yaml: not a regular file" in out
    assert "  kept .retell-lint.yaml: something is there already" in out
    assert (repo / ".github/workflows/retell-lint.yaml").is_file()
