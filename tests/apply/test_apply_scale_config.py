"""``apply.concurrency``: default 8, a whole number from 1 to 64."""

from __future__ import annotations

from pathlib import Path

import pytest

from retell_lint.config import load_config
from retell_lint.errors import FatalError


def test_concurrency_default_and_from_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config().apply_concurrency == 8
    (tmp_path / ".retell-lint.yaml").write_text("apply:\n  max_changes: 5\n  concurrency: 1\n")
    assert load_config().apply_concurrency == 1
    (tmp_path / ".retell-lint.yaml").write_text("apply:\n  concurrency: 64\n")
    assert load_config().apply_concurrency == 64


@pytest.mark.parametrize("value", ["0", "65", "2.5", "true", "'8'", "null"])
def test_a_bad_concurrency_is_a_config_error_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".retell-lint.yaml").write_text(
        f"apply:\n  max_changes: 5\n  concurrency: {value}\n"
    )
    with pytest.raises(FatalError) as caught:
        load_config()
    assert ".retell-lint.yaml:3" in str(caught.value)
    assert "apply.concurrency must be a whole number from 1 to 64" in str(caught.value)


def test_show_settings_gives_the_concurrency_and_where_it_was_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from retell_lint.cli import main

    monkeypatch.chdir(tmp_path)
    main(["check", "--show-settings"])
    assert "apply.concurrency: 8  (default)" in capsys.readouterr().out.splitlines()
    (tmp_path / ".retell-lint.yaml").write_text("apply:\n  max_changes: 5\n  concurrency: 3\n")
    main(["check", "--show-settings"])
    config = tmp_path / ".retell-lint.yaml"
    assert f"apply.concurrency: 3  ({config}:3)" in capsys.readouterr().out.splitlines()
