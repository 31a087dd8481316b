"""Shared helpers for the drift, export and online tests (no tests of its own).

Every CLI run goes through :class:`Cli`, which records stdout and stderr and
asserts that the API key appears in neither.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_retell import FakeRetell
from json_schemas import assert_valid

from retell_lint import envelope
from retell_lint.cli import main

# A distinctive key, so that a leak cannot hide among other text.
SECRET_KEY = "key_LEAKCANARY_5e1f0c9a7b3d42e8a6c4b2d0f9e7a5c3"
# Every stdout and stderr seen by any CLI run in these tests.
OUTPUTS: list[str] = []


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def by_number(self) -> dict[str, dict[str, Any]]:
        return {n["phone_number"]: n for n in self.json()["numbers"]}


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert SECRET_KEY not in text
        # Nor any long piece of it.
        assert SECRET_KEY[4:24] not in text


class Cli:
    """Runs ``retell-lint`` in-process in ``tmp_path`` against a fake account."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        fake: FakeRetell | None,
    ) -> None:
        self.capsys = capsys
        self.root = tmp_path
        self.monkeypatch = monkeypatch
        monkeypatch.chdir(tmp_path)
        for name in ("GITHUB_ACTIONS", "NO_COLOR", "RETELL_BASE_URL", "RETELL_API_KEY"):
            monkeypatch.delenv(name, raising=False)
        if fake is not None:
            monkeypatch.setenv("RETELL_BASE_URL", fake.base_url)
            monkeypatch.setenv("RETELL_API_KEY", fake.api_key)
        # Fast failure in fault tests: short timeout, two quick retries.
        monkeypatch.setenv("RETELL_LINT_TIMEOUT", "2")
        monkeypatch.setenv("RETELL_LINT_MAX_RETRIES", "2")
        monkeypatch.setenv("RETELL_LINT_MAX_RETRY_DELAY", "0.01")
        monkeypatch.setenv("RETELL_LINT_RETRY_BUDGET", "10")

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def __call__(self, *args: str) -> Result:
        self.capsys.readouterr()
        code = main(list(args))
        out, err = self.capsys.readouterr()
        OUTPUTS.append(out)
        OUTPUTS.append(err)
        assert_no_key(out, err)
        command = envelope.json_command()
        if command is not None:
            # Whatever happened, stdout is one document that fits the command's schema.
            assert_valid(command, out)
        return Result(code, out, err)


def start_fake() -> FakeRetell:
    return FakeRetell(api_key=SECRET_KEY).start()


@pytest.fixture
def fake() -> Iterator[FakeRetell]:
    """A fake Retell account with the drift tests' key, stopped after the test."""
    server = start_fake()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def cli(
    fake: FakeRetell,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> Cli:
    """Runs the CLI in-process against ``fake``, in a fresh project folder."""
    return Cli(monkeypatch, capsys, tmp_path, fake)
