"""10,000 realistic clean configs (the benchmark's generator) give no finding."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from retell_lint.cli import main

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


def load_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("retell_lint_benchmark_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_ten_thousand_generated_configs_are_clean(tmp_path, capsys, monkeypatch):
    generator = load_generator()
    files = generator.write_configs(10_000, tmp_path, seed=7)
    assert len(files) == 10_000
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--format", "json", "."])
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == []
    assert report["errors"] == []
    assert report["summary"]["files"] == 10_000
    assert report["summary"]["numbers"] == 10_000
    assert code == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_configs_turn_dirty_when_a_weight_is_broken(tmp_path, capsys, seed):
    # The corpus test above can only fail if the generator's files are checked
    # for real: break one weight and the check must notice.
    generator = load_generator()
    (path,) = generator.write_configs(1, tmp_path, seed=seed)
    text = path.read_text()
    assert "weight: " in text
    path.write_text(re.sub(r"weight: [0-9.]+", "weight: 0.123", text, count=1))
    assert main(["check", "--format", "json", str(path)]) == 1
    capsys.readouterr()
