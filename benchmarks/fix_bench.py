"""Time ``retell-lint check --fix`` against a plain ``check``.

Usage::

    python benchmarks/fix_bench.py [--size 1000] [--repeat 3] [--out benchmarks/out]

Two sets of N files are written under ``OUT/fix-N/``: the clean configs of
``generate.py``, and the same configs with fixable defects injected into each (an
unquoted phone number, a pasted ``phone_number_pretty``, a lower-case country code, a
repeated country, a single-agent field instead of a list, a pretty-printed fallback,
flat SIP parameters and a lower-case transport on custom numbers). Each command runs
as a fresh subprocess ``--repeat`` times (the files needing fixes are copied afresh
before each ``--fix`` run, outside the timing); the table gives the median wall-clock
time. ``--fix`` on clean files must cost about what a plain check costs: the ratio
column shows by how much it differs.

Exit status: 0 on success; 1 if a run exits with an unexpected code, leaves a
finding the injected defects should not leave, or the ``--fix`` on clean files costs
more than ``--max-ratio`` (default 1.2) times a plain check; 2 if ``retell-lint`` is
not on PATH.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from generate import generate_configs

DEFAULT_OUT = Path(__file__).resolve().parent / "out"
TOOL = "retell-lint"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def inject(text: str) -> str:
    """The config with every applicable fixable defect."""
    text = re.sub(r'^phone_number: "(\+\d+)"$', r"phone_number: \1", text, flags=re.M)
    text = re.sub(
        r"^(phone_number: .*\n)",
        r'\1phone_number_pretty: "as the dashboard shows it"\n',
        text,
        count=1,
        flags=re.M,
    )
    text = re.sub(r"^(allowed_inbound_country_list: \[)US", r"\1us", text, flags=re.M)
    text = re.sub(r"^(allowed_outbound_country_list: \[.*)\]$", r"\1, US]", text, flags=re.M)
    text = re.sub(
        r"^inbound_agents:\n  - agent_id: (\S+)\n    weight: 1\.0\n    agent_version: (\S+)\n"
        r"(?!  - )",
        r"inbound_agent_id: \1\ninbound_agent_version: \2\n",
        text,
        flags=re.M,
    )
    text = re.sub(
        r'^fallback_number: "\+1(\d{3})(\d{3})(\d{4})"$',
        r'fallback_number: "+1 (\1) \2-\3"',
        text,
        flags=re.M,
    )
    text = re.sub(r"^  transport: TLS$", "  transport: tls", text, flags=re.M)
    match = re.search(r"^  termination_uri: (\S+)\n", text, flags=re.M)
    if match is not None:
        text = text[: match.start()] + text[match.end() :]
        text += f"termination_uri: {match.group(1)}\n"
    return text


def write(root: Path, size: int, seed: int, dirty: bool) -> None:
    if root.exists():
        shutil.rmtree(root)
    for name, text in generate_configs(size, seed):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(inject(text) if dirty else text, encoding="utf-8")


def run(args: list[str], expect: set[int], timeout: float) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in expect:
        output = done.stdout[-2000:] + done.stderr[-2000:]
        raise RuntimeError(f"{' '.join(args)} exited {done.returncode}:\n{output}")
    return elapsed, done.stdout


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--max-ratio", type=float, default=1.2)
    args = parser.parse_args(argv)
    if shutil.which(TOOL) is None:
        log(f"{TOOL} is not on PATH; install the package first (pip install -e .)")
        return 2
    base = args.out / f"fix-{args.size}"
    clean, dirty_source, dirty = base / "clean", base / "dirty-source", base / "dirty"
    log(f"writing {args.size} clean files and {args.size} files needing fixes under {base}")
    write(clean, args.size, args.seed, dirty=False)
    write(dirty_source, args.size, args.seed, dirty=True)

    times: dict[str, list[float]] = {key: [] for key in ("check", "fix", "dirty-check", "dirty")}
    fixed = 0
    for round_ in range(args.repeat):
        log(f"round {round_ + 1}/{args.repeat}")
        times["check"].append(run([TOOL, "check", str(clean)], {0}, args.timeout)[0])
        times["fix"].append(run([TOOL, "check", "--fix", str(clean)], {0}, args.timeout)[0])
        times["dirty-check"].append(run([TOOL, "check", str(dirty_source)], {1}, args.timeout)[0])
        if dirty.exists():
            shutil.rmtree(dirty)
        shutil.copytree(dirty_source, dirty)
        elapsed, out = run(
            [TOOL, "check", "--fix", "--format", "json", str(dirty)], {0}, args.timeout
        )
        times["dirty"].append(elapsed)
        report = json.loads(out)
        if report["findings"]:
            log(f"findings left after --fix: {report['findings'][:3]}")
            return 1
        fixed = report["summary"]["fixes"]["fixed"]
    median = {key: statistics.median(values) for key, values in times.items()}
    ratio = median["fix"] / median["check"]
    per_file = fixed / args.size
    print(f"| run ({args.size} files, median of {args.repeat}) | time | vs. plain check |")
    print("|---|---:|---:|")
    print(f"| `check`, clean files | {median['check']:.3f} s | 1.00× |")
    print(f"| `check --fix`, clean files | {median['fix']:.3f} s | {ratio:.2f}× |")
    print(
        f"| `check`, files needing fixes | {median['dirty-check']:.3f} s | "
        f"{median['dirty-check'] / median['check']:.2f}× |"
    )
    print(
        f"| `check --fix`, files needing fixes ({fixed} fixes, {per_file:.1f} per file) | "
        f"{median['dirty']:.3f} s | {median['dirty'] / median['check']:.2f}× |"
    )
    if ratio > args.max_ratio:
        log(f"--fix on clean files costs {ratio:.2f}× a plain check (limit {args.max_ratio}×)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
