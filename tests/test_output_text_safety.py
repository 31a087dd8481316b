"""Text from the API or from files on its way out: lone surrogates, secrets and
forged lines, in every report that echoes it (issue 16: C2, S2–S5, S7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bounded_run import run_cli
from drift_support import SECRET_KEY, fake  # noqa: F401  (fixture)
from fake_retell import FakeRetell

DECLARED = 'phone_number: "+14157774444"\nnickname: Front desk\n'


def _env(server: FakeRetell) -> dict[str, str]:
    return {
        "RETELL_API_KEY": SECRET_KEY,
        "RETELL_BASE_URL": server.base_url,
        "RETELL_LINT_TIMEOUT": "10",
        "PYTHONIOENCODING": "utf-8",
    }


def _project(root: Path) -> None:
    (root / ".git").mkdir(exist_ok=True)
    (root / "retell").mkdir(exist_ok=True)
    (root / "retell" / "a.yaml").write_text(DECLARED, encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["drift"],
        ["drift", "--format", "json"],
        ["drift", "--format", "markdown"],
        ["snapshot"],
        ["plan"],
        ["plan", "--format", "json"],
    ],
)
def test_lone_surrogate_from_the_api_is_escaped_not_a_crash(
    fake: FakeRetell,  # noqa: F811
    tmp_path: Path,
    args: list[str],
) -> None:
    fake.add_number("+14157774444", nickname="desk \ud800 end")
    fake.add_number("+14157770001", nickname="other \udfff")
    _project(tmp_path)
    run = run_cli(args, tmp_path, env=_env(fake), timeout=30)
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err and "UnicodeEncodeError" not in run.err
    assert "\\ud800" in run.out
    if "json" in args or args == ["snapshot"]:
        import json

        # The escape is JSON's own: the report still parses, the value reads back.
        assert "desk \ud800 end" in json.dumps(json.loads(run.out), ensure_ascii=False)
