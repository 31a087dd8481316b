"""The pre-commit hooks: the manifest is valid, and the hooks really run.

The integration tests run the real ``pre-commit try-repo``, which builds a
virtualenv and installs this package into it (from PyPI for the
dependencies), once per test session. ``try-repo`` only picks up committed and
tracked-but-modified files, so the tests first copy the working tree (tracked
and untracked, minus ignored files) into a throw-away git repository and point
``try-repo`` at that: the hooks run exactly the code being tested.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
TIMEOUT = 600
SKIP_DIRS = {".git", "__pycache__", "build", "dist", ".venv", "venv", ".tox", ".nox"}

BAD = """\
phone_number: "+14157774444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 0.5
  - agent_id: agent_overflow
    weight: 0.3
"""
GOOD = """\
phone_number: "+14157774444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 0.5
  - agent_id: agent_overflow
    weight: 0.5
"""


def _git_env() -> dict[str, str]:
    """The environment without any GIT_* variable a surrounding hook may have set,
    and without the user's git configuration (hooks paths, signing, templates)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="retell-lint tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="retell-lint tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
        GIT_TERMINAL_PROMPT="0",
    )
    return env


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=_git_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


def _project_files() -> list[str]:
    """The working tree's files: tracked and untracked, without ignored ones."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            env={k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            capture_output=True,
            timeout=120,
            check=True,
        ).stdout.decode("utf-8")
        return [name for name in listed.split("\0") if name]
    except (OSError, subprocess.SubprocessError):
        pass
    # Not a git checkout (an sdist, say): every file outside caches and hidden folders.
    names = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [
            d
            for d in dirs
            if d not in SKIP_DIRS and not d.startswith(".") and not d.endswith(".egg-info")
        ]
        for name in files:
            names.append(Path(folder, name).relative_to(ROOT).as_posix())
    return names


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding a copy of this project's working tree, committed."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    copied = 0
    for name in _project_files():
        source = ROOT / name
        if not source.is_file() or source.is_symlink():
            continue
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    assert (snapshot / ".pre-commit-hooks.yaml").is_file(), "the manifest was not copied"
    assert copied > 10
    _git(snapshot, "init", "--quiet")
    _git(snapshot, "add", "--all")
    _git(snapshot, "commit", "--quiet", "--no-verify", "--message", "snapshot for tests")
    return snapshot


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache per session: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """An empty git repository to commit configs in."""
    work = tmp_path / "project"
    work.mkdir()
    _git(work, "init", "--quiet")
    _git(work, "config", "user.name", "retell-lint tests")
    _git(work, "config", "user.email", "tests@example.invalid")
    (work / "retell").mkdir()
    yield work


def _try_repo(
    project: Path, hook_repo: Path, home: Path, hook: str, *args: str
) -> subprocess.CompletedProcess[str]:
    env = _git_env()
    env["PRE_COMMIT_HOME"] = str(home)
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            hook,
            "--color",
            "never",
            *args,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _output(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit code {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"


def test_manifest_is_valid() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, _output(done)


def test_manifest_declares_both_hooks() -> None:
    from ruamel.yaml import YAML

    hooks = {hook["id"]: hook for hook in YAML(typ="safe").load(MANIFEST.read_text("utf-8"))}
    assert set(hooks) == {"retell-lint", "retell-lint-all", "retell-lint-fix"}
    fix = hooks.pop("retell-lint-fix")
    # Files pre-commit names are linted even when excluded, unless --force-exclude.
    assert hooks["retell-lint"]["entry"] == "retell-lint check --force-exclude"
    assert hooks["retell-lint-all"]["entry"] == "retell-lint check"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["require_serial"] is True
    assert hooks["retell-lint"]["types"] == ["yaml"]
    assert hooks["retell-lint-all"]["pass_filenames"] is False
    assert hooks["retell-lint-all"]["always_run"] is True
    # The fix hook selects the files the lint hook selects, and fixes them in one run.
    # It keeps the configured excludes for the files pre-commit names, as the lint hook does.
    assert fix["entry"] == "retell-lint check --fix --force-exclude"
    assert (fix["language"], fix["require_serial"]) == ("python", True)
    assert (fix["types"], fix["files"]) == (
        hooks["retell-lint"]["types"],
        hooks["retell-lint"]["files"],
    )


@pytest.mark.parametrize(
    ("name", "selected"),
    [
        ("retell/a.yaml", True),
        ("retell/a.yml", True),
        ("retell/sales/west/a.yaml", True),
        ("infra/retell/a.yaml", True),
        ("retell/a.json", False),
        ("a.yaml", False),
        ("notretell/a.yaml", False),
        ("config/retell.yaml", False),
    ],
)
def test_files_pattern_matches_default_include_globs(name: str, selected: bool) -> None:
    import re

    from ruamel.yaml import YAML

    from retell_lint.config import DEFAULT_INCLUDE
    from retell_lint.pathmatch import matches

    hooks = {hook["id"]: hook for hook in YAML(typ="safe").load(MANIFEST.read_text("utf-8"))}
    pattern = re.compile(hooks["retell-lint"]["files"])
    assert bool(pattern.search(name)) is selected
    if not name.startswith("infra/"):  # the hook also accepts nested projects
        assert matches(name, list(DEFAULT_INCLUDE)) is selected


def test_hook_fails_on_bad_config_and_passes_on_good(
    project: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    config = project / "retell" / "bad.yaml"
    config.write_text(BAD, encoding="utf-8")
    failed = _try_repo(
        project, hook_repo, pre_commit_home, "retell-lint", "--files", "retell/bad.yaml"
    )
    assert failed.returncode != 0, _output(failed)
    assert "RL301" in failed.stdout + failed.stderr, _output(failed)
    assert "Failed" in failed.stdout, _output(failed)

    config.write_text(GOOD, encoding="utf-8")
    passed = _try_repo(
        project, hook_repo, pre_commit_home, "retell-lint", "--files", "retell/bad.yaml"
    )
    assert passed.returncode == 0, _output(passed)
    assert "Passed" in passed.stdout, _output(passed)
    assert "RL301" not in passed.stdout + passed.stderr


def _run_hooks(project: Path, hook_repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit run --all-files`` with both hooks pinned to the snapshot's commit,
    the way a project uses them (the environment is built once per session)."""
    rev = _git(hook_repo, "rev-parse", "HEAD").strip()
    config = project / ".pre-commit-config.yaml"
    config.write_text(
        f"repos:\n"
        f"  - repo: {json.dumps(str(hook_repo))}\n"
        f"    rev: {rev}\n"
        f"    hooks:\n"
        f"      - id: retell-lint\n"
        f"      - id: retell-lint-all\n",
        encoding="utf-8",
    )
    _git(project, "add", "--all")
    env = _git_env()
    env["PRE_COMMIT_HOME"] = str(home)
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_hooks_from_a_pinned_revision(
    project: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    (project / "retell" / "good.yaml").write_text(GOOD, encoding="utf-8")
    # Outside retell/: neither hook lints it.
    (project / "deploy.yaml").write_text(BAD, encoding="utf-8")
    passed = _run_hooks(project, hook_repo, pre_commit_home)
    assert passed.returncode == 0, _output(passed)
    assert passed.stdout.count("Passed") == 2, _output(passed)

    nested = project / "retell" / "sales"
    nested.mkdir()
    (nested / "bad.yml").write_text(BAD.replace("4444", "5555"), encoding="utf-8")
    failed = _run_hooks(project, hook_repo, pre_commit_home)
    assert failed.returncode != 0, _output(failed)
    # Both hooks report the nested file: one was given it, the other found it.
    assert failed.stdout.count("Failed") == 2, _output(failed)
    assert failed.stdout.count("retell/sales/bad.yml:") == 2, _output(failed)
    assert "RL301" in failed.stdout, _output(failed)
    assert "deploy.yaml" not in failed.stdout, _output(failed)


FIXABLE = """\
# front desk
phone_number: +14157774444
phone_number_pretty: "+1 (415) 777-4444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 0.5
"""
FIXED = """\
# front desk
phone_number: "+14157774444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 1
"""


def test_fix_hook_fixes_the_file_and_stops_the_commit_once(
    project: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    config = project / "retell" / "n.yaml"
    config.write_text(FIXABLE, encoding="utf-8")
    _git(project, "add", "--all")
    fixed = _try_repo(
        project, hook_repo, pre_commit_home, "retell-lint-fix", "--files", "retell/n.yaml"
    )
    # pre-commit fails a hook that changed files, so the fixes can be reviewed.
    assert fixed.returncode != 0, _output(fixed)
    assert "files were modified by this hook" in fixed.stdout, _output(fixed)
    assert "Fixed 3 findings in 1 file." in fixed.stdout, _output(fixed)
    assert config.read_text(encoding="utf-8") == FIXED

    _git(project, "add", "--all")
    again = _try_repo(
        project, hook_repo, pre_commit_home, "retell-lint-fix", "--files", "retell/n.yaml"
    )
    assert again.returncode == 0, _output(again)
    assert config.read_text(encoding="utf-8") == FIXED
