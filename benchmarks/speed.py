"""Every speed ratio of ``retell-lint check``, measured in one run.

Usage::

    python benchmarks/speed.py [--repeat 5] [--large-repeat 3] [--out benchmarks/out/speed]

With ``retell-lint`` and ``yamllint`` on PATH (install both in one virtual
environment, as pre-commit does), it writes generated configs under OUT and prints:

1. the 1,000-file corpus (every file carries three fixable legacy fields) against
   ``yamllint -d relaxed``, cache off — goal ≤ 0.20×;
2. one file against yamllint, cache off, with the pre-commit hook's command line
   (``check --force-exclude FILE``) — goal ≤ 1.0× — and, for comparison, with
   ``--format json``;
3. 10,000 unchanged files with a warm cache against the same run with ``--no-cache``,
   and again after every file's modification time changed (a fresh CI checkout) —
   goal ≤ 0.12×;
4. 10,000 files, cold, ``--jobs N`` (the usable cores) against ``--jobs 1`` — goal
   ≤ 0.65× on 2 cores;
5. a random sequence of edits (change, add, delete and rename files, change the
   configuration): after each, the cached report must equal the uncached one byte
   for byte.

Times are wall-clock medians of fresh subprocesses, interpreter start-up included;
the tools alternate so a change in the machine's load falls on both. The load
average is printed before and after: on a shared machine, ratios measured in one
run are what counts. Exit status: 0 when every run behaved (whatever the ratios),
1 when a run failed or a cached report differed, 2 when a tool is missing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from generate import write_configs
from run import machine_info

DEFAULT_OUT = Path(__file__).resolve().parent / "out" / "speed"
TOOL = "retell-lint"
YAMLLINT = "yamllint"


class Failed(RuntimeError):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def legacy_fields(text: str) -> str:
    """A clean config with three fixable legacy fields: the dashboard's pretty number
    (RL006), the old inbound country list name and the single inbound agent (RL009)."""
    text = re.sub(
        r"^(phone_number: .*\n)",
        r'\1phone_number_pretty: "as the dashboard shows it"\n',
        text,
        count=1,
        flags=re.M,
    )
    text = text.replace("allowed_inbound_country_list:", "inbound_allowed_countries:")
    return re.sub(
        r"^inbound_agents:\n  - agent_id: (\S+)\n    weight: \S+\n    agent_version: (\S+)\n"
        r"(?:  - agent_id: .*\n(?:    .*\n)*)*",
        r"inbound_agent_id: \1\ninbound_agent_version: \2\n",
        text,
        flags=re.M,
    )


def write_tree(root: Path, size: int, seed: int, transform: Callable[[str], str] | None) -> None:
    if root.exists():
        shutil.rmtree(root)
    paths = write_configs(size, root, seed=seed)
    if transform is not None:
        for path in paths:
            path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")


# Children write their bytecode as installed tools do (the one-file run would
# otherwise compile every module each time).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
# CPU seconds (user + system) of the last run: steadier than wall time on a busy machine.
LAST_CPU = [0.0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: Sequence[str], cwd: Path, expect: set[int], timeout: float) -> tuple[float, str]:
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, env=ENV
    )
    elapsed = time.perf_counter() - start
    LAST_CPU[0] = _children_cpu() - cpu
    if done.returncode not in expect:
        raise Failed(
            f"`{' '.join(command)}` in {cwd} exited {done.returncode}:\n"
            f"{done.stdout[-1500:]}{done.stderr[-1500:]}"
        )
    return elapsed, done.stdout


CPU_RATIOS: dict[str, float] = {}


def median_pair(
    first: Callable[[], float], second: Callable[[], float], repeat: int, name: str = ""
) -> tuple[float, float]:
    """Medians of two measurements taken alternately (wall clock; the CPU-time ratio
    of the medians is kept under ``name``)."""
    a: list[float] = []
    b: list[float] = []
    cpu_a: list[float] = []
    cpu_b: list[float] = []
    for _ in range(repeat):
        a.append(first())
        cpu_a.append(LAST_CPU[0])
        b.append(second())
        cpu_b.append(LAST_CPU[0])
    if name and statistics.median(cpu_b) > 0:
        CPU_RATIOS[name] = statistics.median(cpu_a) / statistics.median(cpu_b)
    return statistics.median(a), statistics.median(b)


def check(cwd: Path, *args: str, timeout: float, expect: set[int] = frozenset({0, 1})) -> float:
    return run([TOOL, "check", "--format", "json", *args], cwd, set(expect), timeout)[0]


def hook_check(cwd: Path, target: str, timeout: float) -> float:
    """The pre-commit hook's own command (.pre-commit-hooks.yaml: ``retell-lint check
    --force-exclude``, text report), with the cache off."""
    command = [TOOL, "check", "--force-exclude", "--no-cache", target]
    return run(command, cwd, {0, 1}, timeout)[0]


def yamllint(cwd: Path, target: str, timeout: float) -> float:
    return run([YAMLLINT, "-d", "relaxed", target], cwd, {0, 1}, timeout)[0]


def row(name: str, value: float, reference: float, goal: float, cpu: str = "") -> str:
    ratio = value / reference if reference > 0 else float("inf")
    verdict = "met" if ratio <= goal else "NOT met"
    cpu_ratio = f"{CPU_RATIOS[cpu]:.2f}×" if cpu in CPU_RATIOS else "—"
    return (
        f"| {name} | {value:.3f} s | {reference:.3f} s | {ratio:.2f}× | {cpu_ratio} "
        f"| ≤ {goal:.2f}× ({verdict}) |"
    )


def info_row(name: str, value: float, reference: float, cpu: str = "") -> str:
    """A row without a goal of its own."""
    ratio = value / reference if reference > 0 else float("inf")
    cpu_ratio = f"{CPU_RATIOS[cpu]:.2f}×" if cpu in CPU_RATIOS else "—"
    return f"| {name} | {value:.3f} s | {reference:.3f} s | {ratio:.2f}× | {cpu_ratio} | — |"


def edit_sequence(root: Path, rng: random.Random, steps: int, timeout: float) -> int:
    """Random edits; after each, cached and uncached JSON reports must be equal."""
    files = sorted(root.rglob("*.yaml"))
    compared = 0
    for step in range(steps):
        kind = rng.choice(("change", "add", "delete", "rename", "config"))
        if kind == "change" and files:
            path = rng.choice(files)
            text = path.read_text(encoding="utf-8")
            donor = rng.choice(files).read_text(encoding="utf-8")
            # Another file's number: a duplicate across files for the project rules.
            number = re.search(r"^phone_number: .*$", donor, flags=re.M)
            if number is not None:
                text = re.sub(r"^phone_number: .*$", number.group(0), text, count=1, flags=re.M)
            path.write_text(text + rng.choice(("", "nickname: Dup\n", "x: 1\n")))
        elif kind == "add" and files:
            path = root / "retell" / f"added-{step}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(rng.choice(files).read_text(encoding="utf-8"))
            files.append(path)
        elif kind == "delete" and len(files) > 1:
            path = files.pop(rng.randrange(len(files)))
            path.unlink()
        elif kind == "rename" and files:
            path = files.pop(rng.randrange(len(files)))
            target = path.with_name(f"renamed-{step}-{path.name}")
            path.rename(target)
            files.append(target)
        else:
            severity = rng.choice(("warning", "info", "error"))
            (root / ".retell-lint.yaml").write_text(f"rules:\n  RL103: {severity}\n")
        cached = run([TOOL, "check", "--format", "json"], root, {0, 1}, timeout)[1]
        uncached = run([TOOL, "check", "--format", "json", "--no-cache"], root, {0, 1}, timeout)[1]
        if cached != uncached:
            raise Failed(f"after edit {step + 1} ({kind}) the cached report differs")
        compared += 1
    return compared


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per small measurement")
    parser.add_argument("--large-repeat", type=int, default=3, help="runs per 10k measurement")
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=12, help="edits in the random sequence")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args(argv)
    missing = [tool for tool in (TOOL, YAMLLINT) if shutil.which(tool) is None]
    if missing:
        log(f"not on PATH: {', '.join(missing)} (pip install . yamllint)")
        return 2
    try:
        jobs = len(os.sched_getaffinity(0))
    except AttributeError:
        jobs = os.cpu_count() or 1
    out = args.out.resolve()
    small, one, large, edits = out / "small", out / "one", out / "large", out / "edits"
    for folder in (small, one, large, edits):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".git").mkdir(exist_ok=True)  # each is a project of its own
    log(f"writing {args.small} + {args.large} files under {out}")
    write_tree(small / "retell", args.small, args.seed, legacy_fields)
    write_tree(large / "retell", args.large, args.seed, None)
    write_tree(edits / "retell", 200, args.seed + 1, legacy_fields)
    shutil.rmtree(one / "retell", ignore_errors=True)
    (one / "retell").mkdir()
    first = next(iter(sorted((small / "retell").rglob("*.yaml"))))
    shutil.copy(first, one / "retell" / "number.yaml")
    for folder in (small, one, large, edits):
        shutil.rmtree(folder / ".retell-lint-cache", ignore_errors=True)
    t = args.timeout
    # Warm-up: bytecode written, files in the OS cache, for both tools alike.
    check(one, "--no-cache", "retell/number.yaml", timeout=t)
    yamllint(one, "retell/number.yaml", t)
    load_before = os.getloadavg()
    rows: list[str] = []
    try:
        log(f"{args.small:,} files against yamllint (cache off)")
        ours, theirs = median_pair(
            lambda: check(small, "--no-cache", "retell", timeout=t),
            lambda: yamllint(small, "retell", t),
            args.repeat,
            "small",
        )
        rows.append(
            row(f"{args.small:,} files vs yamllint, cache off", ours, theirs, 0.20, "small")
        )

        log("one file against yamllint (cache off): the pre-commit hook's command line")
        ours, theirs = median_pair(
            lambda: hook_check(one, "retell/number.yaml", timeout=t),
            lambda: yamllint(one, "retell/number.yaml", t),
            max(10, args.repeat * 3),
            "one",
        )
        rows.append(row("1 file vs yamllint, cache off (the hook)", ours, theirs, 1.0, "one"))
        log("one file against yamllint (cache off), --format json")
        ours, theirs = median_pair(
            lambda: check(one, "--no-cache", "retell/number.yaml", timeout=t),
            lambda: yamllint(one, "retell/number.yaml", t),
            max(10, args.repeat * 3),
            "one-json",
        )
        name = "1 file vs yamllint, cache off, --format json"
        rows.append(info_row(name, ours, theirs, "one-json"))

        log(f"{args.large:,} files, cold: --jobs {jobs} against --jobs 1")
        parallel, serial = median_pair(
            lambda: check(large, "--no-cache", "--jobs", str(jobs), timeout=t),
            lambda: check(large, "--no-cache", "--jobs", "1", timeout=t),
            args.large_repeat,
        )
        rows.append(
            row(f"{args.large:,} files cold, --jobs {jobs} vs --jobs 1", parallel, serial, 0.65)
        )

        log(f"{args.large:,} files, warm cache against --no-cache")
        check(large, timeout=t)  # fills the cache
        warm, uncached = median_pair(
            lambda: check(large, timeout=t),
            lambda: check(large, "--no-cache", timeout=t),
            args.large_repeat,
            "warm",
        )
        rows.append(row(f"{args.large:,} files warm vs --no-cache", warm, uncached, 0.12, "warm"))
        touched_runs = []
        for _ in range(max(3, args.large_repeat)):
            # A fresh checkout: every file's modification time new before each run.
            for path in (large / "retell").rglob("*.yaml"):
                os.utime(path)
            touched_runs.append(check(large, timeout=t))
        touched = statistics.median(touched_runs)
        rows.append(
            row(
                f"{args.large:,} files warm, every mtime new, vs --no-cache",
                touched,
                uncached,
                0.12,
            )
        )

        log(f"a random sequence of {args.edits} edits: cached against uncached reports")
        check(edits, timeout=t)
        compared = edit_sequence(edits, random.Random(args.seed), args.edits, t)
    except Failed as exc:
        log(f"FAILED: {exc}")
        return 1
    load_after = os.getloadavg()
    print(machine_info([TOOL, YAMLLINT]))
    print(
        f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in load_after)}"
    )
    print()
    print("| measurement | retell-lint | reference | ratio (wall) | ratio (CPU) | goal |")
    print("|---|---:|---:|---:|---:|---|")
    for line in rows:
        print(line)
    print()
    print(f"Cached == uncached after each of {compared} random edits: yes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
