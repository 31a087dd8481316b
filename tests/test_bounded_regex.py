"""Regexes from policies run on RE2 (linear time, one module): an unlucky pattern
cannot stall a run, and one RE2 cannot compile is a configuration error with its
file and line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bounded_run import run_cli
from policy_helpers import NUMBER, dedent, policy


def write(root: Path, config: str, number: str) -> None:
    (root / ".retell-lint.yaml").write_text(config, encoding="utf-8")
    (root / "retell").mkdir()
    (root / "retell" / "n.yaml").write_text(number, encoding="utf-8")


def test_catastrophic_pattern_and_where_are_fast(tmp_path: Path):
    config = policy(
        """
        field: nickname
        where: {nickname: {pattern: '(a|aa)*$'}}
        require: {not_pattern: '(a|aa)*$'}
        """
    )
    nickname = "a" * 101 + "!"
    write(tmp_path, config, NUMBER.replace("Front desk", nickname))
    run = run_cli(["check", "retell/n.yaml"], tmp_path, timeout=20)
    assert run.code == 1, run.err
    assert "ACME001" in run.out
    assert run.seconds < 10


def test_repetition_count_out_of_range_is_a_config_error_with_its_line(tmp_path: Path):
    config = policy("field: nickname\nrequire: {pattern: 'a{4294967295}'}")
    write(tmp_path, config, NUMBER)
    run = run_cli(["check", "retell/n.yaml"], tmp_path, timeout=20)
    assert run.code == 2
    assert "Traceback" not in run.err and "OverflowError" not in run.err
    assert ".retell-lint.yaml:6:" in run.err
    assert "largest repetition count is 1000" in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_pattern_re2_cannot_compile_is_a_config_error(tmp_path: Path):
    config = policy(
        "field: nickname\nwhere: {nickname: {pattern: '(?<=x)y'}}\nrequire: {present: true}"
    )
    write(tmp_path, config, NUMBER)
    run = run_cli(["check", "retell/n.yaml"], tmp_path, timeout=20)
    assert run.code == 2
    assert ".retell-lint.yaml:6:" in run.err
    assert "look-behind is not supported" in run.err


def test_plain_check_does_not_import_re2(tmp_path: Path):
    # RE2 is loaded only for configurations with a regex: not on the pre-commit path.
    (tmp_path / "n.yaml").write_text(dedent(NUMBER), encoding="utf-8")
    code = (
        "import sys\nfrom retell_lint.cli import main\n"
        "try:\n    main(['check', 'n.yaml'])\nexcept SystemExit:\n    pass\n"
        "print('re2' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    ).stdout
    assert out.strip().splitlines()[-1] == "False"
