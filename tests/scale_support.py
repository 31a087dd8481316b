"""Helpers for the apply-at-scale tests: many declared numbers, writers with a gate."""

from __future__ import annotations

from typing import Any

from fake_retell import FakeRetell, RecordedRequest

from retell_lint.apply.actions import Action
from retell_lint.apply.limiter import AdaptiveLimit
from retell_lint.apply.writer import RetellWriter

START = 14_155_550_000
# Room for many changes at once (the blast-radius limits are tested elsewhere).
MANY_CHANGES = "apply:\n  max_changes: 5000\n  max_percent: 100\n  concurrency: {n}\n"


def numbers(count: int) -> list[str]:
    return [f"+{START + i}" for i in range(count)]


def declared_yaml(count: int, nickname: str = "New") -> str:
    lines = ["phone_numbers:"]
    for number in numbers(count):
        lines.append(f'  - phone_number: "{number}"\n    nickname: {nickname}')
    return "\n".join(lines) + "\n"


def update(number: str, **body: Any) -> Action:
    return Action("update", number, None, None, dict(body), [])


def writer_for(fake: FakeRetell, concurrency: int = 8, **options: Any) -> RetellWriter:
    settings: dict[str, Any] = {"timeout": 5.0, "max_retries": 6, "max_retry_delay": 0.05}
    settings.update(options)
    writer = RetellWriter(fake.api_key, fake.base_url, **settings)
    writer.gate = AdaptiveLimit(concurrency)
    return writer


def arrived_whole(request: RecordedRequest) -> bool:
    """Whether the whole body came: a client killed between a request's headers and
    its body leaves the server a request it cannot act on (it answers 400)."""
    length = request.headers.get("content-length")
    return length is None or len(request.body) == int(length)


def patches_by_number(fake: FakeRetell) -> dict[str, int]:
    """PATCH requests by number, counting those that reached the server whole."""
    counts: dict[str, int] = {}
    for request in fake.writes():
        if request.method == "PATCH" and arrived_whole(request):
            number = request.path.rsplit("/", 1)[-1]
            counts[number] = counts.get(number, 0) + 1
    return counts
