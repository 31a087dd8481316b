"""Running apply's writes: in dependency order, several at a time, stoppable.

Order (each phase finishes before the next starts):

1. creates/updates of numbers that another number names as its ``fallback_number``
   (the target exists, as declared, before anything points at it);
2. the other creates, imports and updates (among them the updates that stop
   pointing at a number about to be deleted);
3. deletes.

Within a phase up to ``concurrency`` workers take the next action; the writer's gate
bounds the requests actually in flight. The first failure, or a stop request
(SIGINT/SIGTERM), stops new actions from starting; the ones in flight are given
``grace`` seconds to finish, and any still running then is reported as "may have
been applied".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .actions import Action

if TYPE_CHECKING:
    from .journal import Journal
    from .outcome import Outcome
    from .writer import RetellWriter

# Seconds the writes in flight are given to finish after a stop request.
DEFAULT_GRACE = 10.0


@dataclass
class Controls:
    concurrency: int = 1
    journal: Journal | None = None
    on_outcome: Callable[[Outcome], None] = lambda outcome: None
    stop: threading.Event = field(default_factory=threading.Event)
    grace: float = DEFAULT_GRACE


def _named_numbers(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "fallback_number" and isinstance(item, str):
                yield item
            else:
                yield from _named_numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _named_numbers(item)


def phases(actions: Sequence[Action]) -> list[list[Action]]:
    """The actions in the order they may run, as phases (see the module doc)."""
    targets = {
        number
        for action in actions
        if action.kind != "delete"
        for part in (action.body, action.follow_up)
        for number in _named_numbers(part)
    }
    first = [a for a in actions if a.kind != "delete" and a.phone_number in targets]
    second = [a for a in actions if a.kind != "delete" and a.phone_number not in targets]
    last = [a for a in actions if a.kind == "delete"]
    return [phase for phase in (first, second, last) if phase]


class _Run:
    def __init__(
        self,
        writer: RetellWriter,
        values: Mapping[str, str],
        controls: Controls,
        perform: Callable[[RetellWriter, Action, Mapping[str, str]], Outcome],
    ) -> None:
        self.writer = writer
        self.values = values
        self.controls = controls
        self.perform = perform
        self.halted = threading.Event()
        self.lock = threading.Lock()
        self.outcomes: dict[int, Outcome] = {}
        self.started: set[int] = set()
        self.closed = False

    def halt(self) -> bool:
        return self.halted.is_set() or self.controls.stop.is_set()

    def worker(self, queue: list[tuple[int, Action]]) -> None:
        while True:
            with self.lock:
                if not queue or self.halt():
                    return
                index, action = queue.pop(0)
                self.started.add(index)
            journal = self.controls.journal
            if journal is not None:
                journal.sending(action)
            outcome = self.perform(self.writer, action, self.values)
            if journal is not None:
                journal.outcome(outcome)
            with self.lock:
                if self.closed:
                    return  # the run was reported without it: nothing more to show
                self.outcomes[index] = outcome
                if outcome.status != "applied":
                    self.halted.set()
            self.controls.on_outcome(outcome)

    def run_phase(self, phase: list[tuple[int, Action]]) -> None:
        queue = list(phase)
        count = max(1, min(self.controls.concurrency, len(queue)))
        threads = [
            threading.Thread(target=self.worker, args=(queue,), daemon=True, name=f"apply-{n}")
            for n in range(count)
        ]
        for thread in threads:
            thread.start()
        give_up_at: float | None = None
        for thread in threads:
            while thread.is_alive():
                # Short joins: the main thread stays free to take SIGINT/SIGTERM.
                thread.join(0.05)
                if self.controls.stop.is_set():
                    if give_up_at is None:
                        give_up_at = time.monotonic() + self.controls.grace
                    elif time.monotonic() > give_up_at:
                        return


def run_actions(
    writer: RetellWriter,
    actions: Sequence[Action],
    values: Mapping[str, str],
    controls: Controls,
    perform: Callable[[RetellWriter, Action, Mapping[str, str]], Outcome],
) -> list[Outcome]:
    """Each action's outcome, in the order of ``actions``."""
    from .outcome import Outcome

    run = _Run(writer, values, controls, perform)
    index = {id(action): n for n, action in enumerate(actions)}
    for phase in phases(actions):
        if run.halt():
            break
        run.run_phase([(index[id(a)], a) for a in phase])
    with run.lock:
        outcomes = dict(run.outcomes)
        started = set(run.started)
        # Anything still running from here on is reported as unknown, not counted later.
        run.halted.set()
        run.closed = True
    result: list[Outcome] = []
    for n, action in enumerate(actions):
        if n in outcomes:
            result.append(outcomes[n])
        elif n in started:
            result.append(
                Outcome(
                    action,
                    "uncertain",
                    "was in flight when apply stopped; check the account before applying again",
                )
            )
        else:
            result.append(Outcome(action, "not_attempted"))
    return result
