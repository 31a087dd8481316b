"""Time ``retell-lint drift`` against ``retell-lint check`` on the same generated configs.

Usage::

    python benchmarks/drift_bench.py [--size 10000] [--repeat 3] [--seed 0] [--out DIR]

``generate.py`` writes SIZE clean configs into ``OUT/drift-SIZE/``; the fake Retell
API (``tests/fake_retell.py``, a real HTTP server on 127.0.0.1) is loaded with the
same SIZE numbers as live objects, so ``drift`` finds every number in sync. Then
``retell-lint drift --format json DIR`` and ``retell-lint check --format json DIR``
each run as fresh subprocesses, alternating, REPEAT times; the median wall-clock
time of each and their ratio (drift / check) are printed. The target is a ratio of
at most 2.

Exit status: 0 when both commands succeed (drift exits 0: everything in sync);
1 when either fails or the ratio is above 2.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from fake_retell import FakeRetell  # noqa: E402
from generate import write_configs  # noqa: E402

TARGET_RATIO = 2.0
SECRET_KEYS = ("auth_password",)


def live_objects(paths: list[Path]) -> list[dict[str, Any]]:
    """The live API objects matching the generated configs (what the account would hold)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    objects = []
    for path in paths:
        data = yaml.load(path.read_text(encoding="utf-8"))
        for name in (
            "inbound_agents",
            "outbound_agents",
            "inbound_sms_agents",
            "outbound_sms_agents",
        ):
            for entry in data.get(name) or ():
                entry["weight"] = float(entry["weight"])
        sip = data.get("sip_outbound_trunk_config")
        if isinstance(sip, dict):
            for key in SECRET_KEYS:
                sip.pop(key, None)
        objects.append(data)
    return objects


def command() -> list[str]:
    found = shutil.which("retell-lint")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from retell_lint.cli import main; sys.exit(main())"]


def timed(args: list[str], env: dict[str, str], timeout: float) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        args, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    elapsed = time.perf_counter() - start
    return elapsed, proc.returncode, proc.stderr[-2000:] + proc.stdout[-500:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="where configs are written")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)

    out_root = args.out or Path(tempfile.mkdtemp(prefix="retell-drift-bench-"))
    folder = out_root / f"drift-{args.size}"
    if folder.exists():
        shutil.rmtree(folder)
    print(f"generating {args.size} configs in {folder} ...", file=sys.stderr)
    paths = write_configs(args.size, folder, seed=args.seed)
    target = str(folder / "retell")

    fake = FakeRetell(api_key="key_benchmark_0123456789abcdef").start()
    try:
        for obj in live_objects(paths):
            fake.add_number(obj)
        print(f"fake API at {fake.base_url} holds {len(fake.numbers)} numbers", file=sys.stderr)
        env = dict(os.environ)
        env.update(RETELL_BASE_URL=fake.base_url, RETELL_API_KEY=fake.api_key)
        base = command()
        runs: dict[str, list[float]] = {"check": [], "drift": []}
        for index in range(args.repeat):
            for name in ("drift", "check"):
                elapsed, code, output = timed(
                    [*base, name, "--format", "json", target], env, args.timeout
                )
                print(f"  run {index + 1}: {name} {elapsed:.2f} s (exit {code})", file=sys.stderr)
                if code != 0:
                    print(f"{name} exited {code}:\n{output}", file=sys.stderr)
                    return 1
                runs[name].append(elapsed)
    finally:
        fake.stop()

    check_s = statistics.median(runs["check"])
    drift_s = statistics.median(runs["drift"])
    ratio = drift_s / check_s
    print(f"files: {args.size}; live numbers: {args.size}; runs: {args.repeat} (median)")
    print(f"check: {check_s:.2f} s")
    print(f"drift: {drift_s:.2f} s")
    print(f"ratio drift/check: {ratio:.2f} (target <= {TARGET_RATIO:g})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
