"""What a user installs: every package and data file of the tree is in the wheel.

The editable install used by the rest of the suite finds modules straight from the
source tree, so a package missing from pyproject's list goes unnoticed there; these
tests read the list itself and, once per session, a built wheel.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parent.parent


def _declared_packages() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages: list[str] = data["tool"]["setuptools"]["packages"]
    return packages


def _source_packages() -> set[str]:
    found = {"retell_lint.rules"}  # rules/ ships as retell_lint.rules (package-dir)
    for init in (ROOT / "retell_lint").rglob("__init__.py"):
        if "__pycache__" in init.parts:
            continue
        rel = init.parent.relative_to(ROOT)
        found.add(".".join(rel.parts))
    return found


def test_every_package_folder_is_listed_in_pyproject() -> None:
    assert set(_declared_packages()) == _source_packages()


def test_every_module_folder_is_a_package() -> None:
    # A folder of modules without __init__.py would be left out of the wheel silently.
    for module in (ROOT / "retell_lint").rglob("*.py"):
        if "__pycache__" in module.parts:
            continue
        assert (module.parent / "__init__.py").is_file(), module


@pytest.fixture(scope="session")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"pip wheel failed: {proc.stderr[-2000:]}")
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def test_wheel_holds_every_module_and_data_file(wheel_names: set[str]) -> None:
    missing = []
    for path in (ROOT / "retell_lint").rglob("*"):
        if (
            path.is_file()
            and "__pycache__" not in path.parts
            and path.suffix in {".py", ".json", ".yaml", ".typed"}
        ):
            name = path.relative_to(ROOT).as_posix()
            if name not in wheel_names:
                missing.append(name)
    for rule_file in (ROOT / "rules").iterdir():
        if rule_file.suffix in {".yaml", ".json"}:
            name = f"retell_lint/rules/{rule_file.name}"
            if name not in wheel_names:
                missing.append(name)
    assert missing == []
