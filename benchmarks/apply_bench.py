"""Time apply's writes one at a time against several at a time.

Usage::

    python benchmarks/apply_bench.py [--count 1000] [--latency 0.04] [--concurrency 8]
                                     [--throttle-above N]

The fake Retell API (``tests/fake_retell.py``, a real HTTP server on 127.0.0.1) holds
COUNT numbers and answers every request after LATENCY seconds. The same COUNT
updates (a new nickname for each number) are applied twice through apply's own
code (``apply.run.execute``: the writer, its adaptive limit, the scheduler): once
with ``apply.concurrency: 1`` and once with CONCURRENCY, each against a fresh
account. Printed: both wall-clock times, the ratio (concurrent / sequential; the
target is at most 0.2), the most requests the server saw in flight at once, and
that every number was written exactly once. With ``--throttle-above N`` the server
answers 429 (Retry-After 50 ms) to writes beyond N in flight, as a rate limit would;
the number of 429s and the lowest limit the adaptive limit fell to are printed.

The server runs in the same process as the client: on a loaded machine both share
its cores, which slows the concurrent run more than the sequential one.

Exit status: 0 when every write was applied once and the ratio is at most 0.2;
1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from fake_retell import FakeRetell  # noqa: E402

from retell_lint.apply.actions import Action  # noqa: E402
from retell_lint.apply.limiter import AdaptiveLimit  # noqa: E402
from retell_lint.apply.run import execute  # noqa: E402
from retell_lint.apply.scheduler import Controls  # noqa: E402
from retell_lint.apply.writer import RetellWriter  # noqa: E402

TARGET_RATIO = 0.2
START = 14_155_550_000


def run_once(
    count: int, latency: float, concurrency: int, throttle: int | None = None
) -> tuple[float, int, bool]:
    """Seconds for COUNT updates, the most requests in flight, and whether each
    number was written exactly once."""
    with FakeRetell() as fake:
        fake.add_numbers(count, start=START)
        fake.latency_seconds = latency
        fake.throttle_above = throttle
        writer = RetellWriter(fake.api_key, fake.base_url, timeout=30.0, max_retries=20)
        gate = writer.gate = AdaptiveLimit(concurrency)
        actions = [
            Action("update", f"+{START + i}", None, None, {"nickname": "Benchmarked"}, [])
            for i in range(count)
        ]
        try:
            started = time.perf_counter()
            outcomes = execute(writer, actions, [], {}, controls=Controls(concurrency))
            elapsed = time.perf_counter() - started
        finally:
            writer.close()
        if throttle is not None:
            print(f"  {fake.throttled} writes answered 429; the limit fell to {gate.lowest}")
        paths = [request.path for request in fake.writes()]
        once = (
            all(o.status == "applied" for o in outcomes)
            and len(paths) - fake.throttled == count
            and len(set(paths)) == count
            and all(n["nickname"] == "Benchmarked" for n in fake.numbers.values())
        )
        return elapsed, fake.max_in_flight, once


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.04)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--throttle-above", type=int, default=None)
    args = parser.parse_args(argv)
    print(f"{args.count} updates, {args.latency * 1000:g} ms API latency")
    sequential, _, once_seq = run_once(args.count, args.latency, 1)
    print(f"sequential (concurrency 1): {sequential:8.2f} s")
    concurrent, peak, once_con = run_once(
        args.count, args.latency, args.concurrency, args.throttle_above
    )
    print(
        f"concurrent (concurrency {args.concurrency}): {concurrent:8.2f} s  "
        f"(at most {peak} in flight)"
    )
    ratio = concurrent / sequential
    print(f"ratio concurrent/sequential: {ratio:.3f} (target <= {TARGET_RATIO})")
    print(f"each number written exactly once: {'yes' if once_seq and once_con else 'NO'}")
    return 0 if once_seq and once_con and ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
