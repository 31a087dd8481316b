"""apply's writes run several at a time under an adaptive limit: never more in flight
than the limit, halved on 429/5xx (honouring Retry-After) and grown back."""

from __future__ import annotations

import threading
import time

from drift_support import Cli
from fake_retell import FakeRetell
from scale_support import (
    MANY_CHANGES,
    declared_yaml,
    numbers,
    patches_by_number,
    update,
    writer_for,
)

from retell_lint.apply.limiter import AdaptiveLimit
from retell_lint.apply.run import execute
from retell_lint.apply.scheduler import Controls


def test_the_limit_halves_on_429_and_5xx_and_grows_back() -> None:
    now = [0.0]
    limit = AdaptiveLimit(8, clock=lambda: now[0])
    limit.acquire()
    limit.release(429, 2.0)
    assert limit.limit == 4
    now[0] = 3.0  # past the Retry-After
    limit.acquire()
    limit.release(503, None)
    assert (limit.limit, limit.lowest) == (2, 2)
    # Errors other than 429/5xx say nothing about load.
    now[0] = 10.0
    limit.acquire()
    limit.release(400)
    assert limit.limit == 2
    for _ in range(2 + 3 + 4 + 5 + 6 + 7):
        limit.acquire()
        limit.release(200)
    assert limit.limit == 8
    limit.acquire()
    limit.release(200)
    assert limit.limit == 8  # never above the configured maximum


def test_requests_refused_by_one_overload_halve_the_limit_once() -> None:
    now = [0.0]
    limit = AdaptiveLimit(8, clock=lambda: now[0])
    # Eight sent at once, all refused: one overload, one fall (not 8 -> 1).
    tickets = [limit.acquire() for _ in range(8)]
    for ticket in tickets:
        limit.release(429, 0.1, ticket)
    assert (limit.limit, limit.lowest) == (4, 4)
    # A request sent after that fall and refused again means the lower limit is
    # still too high.
    now[0] = 1.0
    limit.release(429, 0.1, limit.acquire())
    assert limit.limit == 2


def test_a_429_holds_every_new_request_for_its_retry_after() -> None:
    limit = AdaptiveLimit(4)
    limit.acquire()
    limit.release(429, 0.3)
    started = time.monotonic()
    limit.acquire()
    assert time.monotonic() - started >= 0.25
    limit.release(200)


def test_never_more_in_flight_than_the_limit() -> None:
    limit = AdaptiveLimit(3)
    seen: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(20):
            limit.acquire()
            with lock:
                seen.append(limit.in_flight)
            time.sleep(0.001)
            limit.release(200)

    threads = [threading.Thread(target=work) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert max(seen) == 3 and limit.peak == 3


def test_updates_run_concurrently_within_the_configured_limit(fake: FakeRetell, cli: Cli) -> None:
    fake.add_numbers(60)
    fake.latency_seconds = 0.02
    cli.write(".retell-lint.yaml", MANY_CHANGES.format(n=4))
    cli.write("retell/numbers.yaml", declared_yaml(60))
    result = cli("apply", "--yes")
    assert result.code == 0, result.err
    assert "Applied 60 of 60 changes." in result.out
    # Several at once (the writes overlapped), never more than apply.concurrency.
    assert 2 <= fake.max_in_flight <= 4
    assert patches_by_number(fake) == {number: 1 for number in numbers(60)}
    assert cli("drift").code == 0


def test_with_429s_nothing_is_lost_and_nothing_duplicated(fake: FakeRetell) -> None:
    fake.add_numbers(40)
    fake.latency_seconds = 0.01
    # The stand-in refuses writes beyond 2 at once, as a rate limit would.
    fake.throttle_above = 2
    fake.throttle_retry_after = "0.02"
    writer = writer_for(fake, concurrency=8)
    try:
        actions = [update(number, nickname="Throttled") for number in numbers(40)]
        outcomes = execute(writer, actions, [], {}, controls=Controls(concurrency=8))
        gate = writer.gate
    finally:
        writer.close()
    assert fake.throttled > 0
    assert gate is not None and gate.lowest < 8
    assert [o.status for o in outcomes] == ["applied"] * 40
    assert all(fake.numbers[n]["nickname"] == "Throttled" for n in numbers(40))
    # Every number was written once with success: the 429s were refused, not applied.
    successes = len(fake.writes()) - fake.throttled
    assert successes == 40


def test_creates_refused_with_429_are_sent_again_and_made_once(fake: FakeRetell) -> None:
    from retell_lint.apply.actions import Action

    fake.fail_next(429, count=3, headers={"Retry-After": "0"}, path_prefix="/create-phone-number")
    wanted = [f"+1415777{i:04d}" for i in range(6)]
    actions = [
        Action("create", n, None, None, {"phone_number": n, "number_provider": "twilio"}, [])
        for n in wanted
    ]
    writer = writer_for(fake, concurrency=4)
    try:
        outcomes = execute(writer, actions, [], {}, controls=Controls(concurrency=4))
    finally:
        writer.close()
    assert [o.status for o in outcomes] == ["applied"] * 6
    posts = [r for r in fake.writes() if r.path == "/create-phone-number"]
    assert len(posts) == 9 and set(wanted) <= set(fake.numbers)
