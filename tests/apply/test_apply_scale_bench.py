"""benchmarks/apply_bench.py prints both times and the ratio, and checks that every
number was written once (a small run: the full one takes minutes)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_the_benchmark_prints_the_concurrency_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import apply_bench
    finally:
        sys.path.remove(str(BENCHMARKS))
    args = ["--count", "24", "--latency", "0.02", "--concurrency", "4", "--throttle-above", "2"]
    apply_bench.main(args)
    out = capsys.readouterr().out
    assert re.search(r"sequential \(concurrency 1\): +\d+\.\d\d s", out)
    assert re.search(
        r"concurrent \(concurrency 4\): +\d+\.\d\d s  \(at most [1-4] in flight\)", out
    )
    assert re.search(r"ratio concurrent/sequential: \d\.\d{3} \(target <= 0\.2\)", out)
    assert re.search(r"\d+ writes answered 429; the limit fell to [12]\b", out)
    assert "each number written exactly once: yes" in out
