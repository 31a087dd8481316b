"""Time ``retell-lint check`` against ``yamllint -d relaxed`` on generated configs.

Usage::

    python benchmarks/run.py [--sizes 1,1000,10000] [--repeat 3] [--out benchmarks/out]

For every size N the clean configs from ``generate.py`` are written once into
``OUT/N/``; each tool is then run on that directory as a subprocess ``--repeat``
times and the wall-clock time is recorded. Before any directory run, each tool
is also run once on a single file (the pre-commit case, first process start of
that tool in this benchmark). Results are printed as a Markdown table on stdout;
progress goes to stderr.

Exit status: 0 on success, 1 if a tool failed on the clean configs, 2 if a tool
is missing from PATH (the remaining tool is still timed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generate import write_configs

DEFAULT_OUT = Path(__file__).resolve().parent / "out"
RETELL_LINT = "retell-lint"
YAMLLINT = "yamllint"
INSTALL_HINTS = {
    RETELL_LINT: "install the package first, e.g. `pip install -e .` from the repository root",
    YAMLLINT: "install it with `pip install yamllint`",
}


class BenchmarkError(RuntimeError):
    """A tool misbehaved on the clean benchmark configs."""


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)

    def value(self, stat: str) -> float:
        return min(self.samples) if stat == "best" else statistics.median(self.samples)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"invalid size list {text!r}: {exc}") from exc
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"sizes must be positive integers, got {text!r}")
    return sorted(set(sizes))


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def tool_command(tool: str, target: Path) -> list[str]:
    if tool == RETELL_LINT:
        return [RETELL_LINT, "check", "--format", "json", str(target)]
    return [YAMLLINT, "-d", "relaxed", str(target)]


def _excerpt(text: str, limit: int = 2000) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more chars)"


def run_once(tool: str, target: Path, timeout: float) -> float:
    """Run ``tool`` on ``target`` once; return wall-clock seconds or raise BenchmarkError."""
    cmd = tool_command(tool, target)
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"`{' '.join(cmd)}` timed out after {timeout:g} s") from exc
    elapsed = time.perf_counter() - start

    if proc.returncode != 0:
        raise BenchmarkError(
            f"`{' '.join(cmd)}` exited with status {proc.returncode} on clean configs.\n"
            f"--- stdout ---\n{_excerpt(proc.stdout)}\n--- stderr ---\n{_excerpt(proc.stderr)}"
        )
    if tool == RETELL_LINT and proc.stdout.strip():
        try:
            json.loads(proc.stdout)
        except json.JSONDecodeError:
            log(f"warning: `{' '.join(cmd)}` exited 0 but its stdout is not valid JSON")
    if tool == YAMLLINT and proc.stdout.strip():
        log(f"warning: yamllint reported problems on clean configs:\n{_excerpt(proc.stdout, 500)}")
    return elapsed


def prepare_dir(out: Path, size: int, seed: int) -> tuple[Path, list[Path]]:
    """(Re)generate ``size`` configs into ``out/size`` and return the dir and files."""
    target = out / str(size)
    if target.exists():
        entries = {entry.name for entry in target.iterdir()}
        if not entries <= {"retell"}:
            raise BenchmarkError(
                f"{target} contains files not written by this benchmark ({sorted(entries)}); "
                "refusing to delete it, choose another --out"
            )
        shutil.rmtree(target)
    start = time.perf_counter()
    files = write_configs(size, target, seed=seed)
    log(f"generated {size} files in {target} ({time.perf_counter() - start:.2f} s)")
    return target, files


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def tool_version(tool: str) -> str:
    try:
        proc = subprocess.run(
            [tool, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0] if proc.returncode == 0 and lines else "unknown"


def machine_info(tools: Sequence[str]) -> str:
    cores = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    core_text = f"{cores} cores" if usable == cores else f"{cores} cores ({usable} usable)"
    versions = "; ".join(f"{tool_version(tool)}" for tool in tools)
    return (
        f"Machine: {cpu_model()}, {core_text}, "
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}" + (f"; {versions}" if versions else "")
    )


def fmt_seconds(timing: Timing | None, stat: str) -> str:
    return "n/a" if timing is None else f"{timing.value(stat):.3f}"


def render_table(rows: Sequence[tuple[str, int, Timing | None, Timing | None]], stat: str) -> str:
    out = [
        "| files | retell-lint s | yamllint s | ratio | retell-lint per 1,000 files |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, files, retell, yaml in rows:
        if retell is not None and yaml is not None and yaml.value(stat) > 0:
            ratio = f"{retell.value(stat) / yaml.value(stat):.2f}x"
        else:
            ratio = "n/a"
        per_1000 = "n/a" if retell is None else f"{retell.value(stat) / files * 1000:.3f} s"
        out.append(
            f"| {label} | {fmt_seconds(retell, stat)} | {fmt_seconds(yaml, stat)} "
            f"| {ratio} | {per_1000} |"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark retell-lint against yamllint on generated clean configs.",
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[1, 1000, 10000],
        help="comma-separated file counts (default: 1,1000,10000)",
    )
    parser.add_argument(
        "--repeat", type=positive_int, default=3, help="runs per tool and size (default: 3)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="directory for generated configs (default: benchmarks/out)",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    parser.add_argument(
        "--stat",
        choices=("median", "best"),
        default="median",
        help="statistic reported for repeated runs (default: median)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="per-run timeout in seconds (default: 1800)",
    )
    args = parser.parse_args(argv)

    tools: list[str] = []
    missing: list[str] = []
    for tool in (RETELL_LINT, YAMLLINT):
        if shutil.which(tool) is None:
            missing.append(tool)
            log(f"error: `{tool}` not found on PATH; {INSTALL_HINTS[tool]}.")
        else:
            tools.append(tool)
    if not tools:
        return 2
    if missing:
        log(f"continuing with {', '.join(tools)} only; missing columns are shown as n/a")

    try:
        targets = [(size, *prepare_dir(args.out, size, args.seed)) for size in args.sizes]
        single_file = targets[0][2][0]

        cold: dict[str, Timing] = {}
        for tool in tools:
            log(f"{tool}: cold single-file run on {single_file}")
            cold[tool] = Timing([run_once(tool, single_file, args.timeout)])

        results: dict[tuple[str, int], Timing] = {}
        for size, target, _files in targets:
            for run in range(1, args.repeat + 1):
                # Interleave tools so slow drift on the machine affects both equally.
                for tool in tools:
                    log(f"{tool}: {size} files, run {run}/{args.repeat}")
                    timing = results.setdefault((tool, size), Timing())
                    timing.samples.append(run_once(tool, target, args.timeout))
    except BenchmarkError as exc:
        log(f"FAILED: {exc}")
        return 1

    rows: list[tuple[str, int, Timing | None, Timing | None]] = [
        ("1 (single file, cold)", 1, cold.get(RETELL_LINT), cold.get(YAMLLINT)),
    ]
    for size, _target, _files in targets:
        rows.append(
            (f"{size:,}", size, results.get((RETELL_LINT, size)), results.get((YAMLLINT, size)))
        )

    print(machine_info(tools))
    print()
    print(
        f"Wall-clock seconds, {args.stat} of {args.repeat} run(s) per size; "
        "the cold row is a single run on one file."
    )
    print()
    print(render_table(rows, args.stat))

    if missing:
        log(f"error: not timed because missing from PATH: {', '.join(missing)}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
