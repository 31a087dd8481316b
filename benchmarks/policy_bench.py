"""Time what team policies add to ``retell-lint check``.

Usage::

    python benchmarks/policy_bench.py [--size 1000] [--repeat 5] [--out benchmarks/out]

Generates ``--size`` clean configs (``generate.py``), then runs
``retell-lint check --format json`` on them as a subprocess with two configurations,
alternating: one without policies and one listing the 20 policies of
``benchmarks/policies.yaml`` (realistic rules that all hold on the generated configs,
so every policy is evaluated on every number and the reports are the same size).
Prints the median wall-clock and CPU times and the overhead as a Markdown table. Exit
status: 0 when the CPU-time overhead is within ``--budget`` percent (default 15), 1 when
it is not or a run fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from generate import write_configs

HERE = Path(__file__).resolve().parent
POLICIES = HERE / "policies.yaml"
# Installed packages have their bytecode; so do the runs measured here.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(config: Path, target: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run."""
    command = ["retell-lint", "check", "--config", str(config), "--format", "json", str(target)]
    cpu = _cpu()
    start = time.perf_counter()
    proc = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, env=ENV
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` exited {proc.returncode}:\n{proc.stderr[:2000]}")
    return elapsed, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=15.0, help="allowed overhead, percent")
    args = parser.parse_args()
    if shutil.which("retell-lint") is None:
        print("retell-lint is not on PATH; install it first (pip install -e .)", file=sys.stderr)
        return 2
    root = args.out / f"policies-{args.size}"
    if root.exists():
        shutil.rmtree(root)
    target = root / "retell"
    target.mkdir(parents=True)
    write_configs(args.size, target, seed=args.seed)
    shutil.copy(POLICIES, root / "policies.yaml")
    without = root / "without.yaml"
    without.write_text("fail_level: error\n", encoding="utf-8")
    with_policies = root / "with.yaml"
    with_policies.write_text("policy_files: [policies.yaml]\n", encoding="utf-8")
    count = sum(1 for line in POLICIES.read_text(encoding="utf-8").splitlines() if "- id:" in line)
    plain: list[tuple[float, float]] = []
    policed: list[tuple[float, float]] = []
    run_once(without, target)  # warm the file cache
    for _ in range(args.repeat):
        plain.append(run_once(without, target))
        policed.append(run_once(with_policies, target))
    wall = [statistics.median(run[0] for run in runs) for runs in (plain, policed)]
    cpu = [statistics.median(run[1] for run in runs) for runs in (plain, policed)]
    wall_extra, cpu_extra = (wall[1] / wall[0] - 1) * 100, (cpu[1] / cpu[0] - 1) * 100
    print(f"| {args.size} files, median of {args.repeat} | wall clock | CPU (user + system) |")
    print("|---|---:|---:|")
    print(f"| `check`, no policies | {wall[0]:.3f} s | {cpu[0]:.3f} s |")
    print(
        f"| `check`, {count} policies | {wall[1]:.3f} s ({wall_extra:+.1f} %) "
        f"| {cpu[1]:.3f} s ({cpu_extra:+.1f} %) |"
    )
    # CPU time decides: wall-clock time on a shared machine measures the neighbours too.
    return 0 if cpu_extra <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
