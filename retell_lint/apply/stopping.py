"""One apply's writes with everything around them: the adaptive limit, the journal,
progress, and SIGINT/SIGTERM (stop starting writes, let those in flight finish for a
moment, then give the exact account: applied, may have been applied, not attempted)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Mapping, Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from retell_lint.config import Config

    from .actions import Action
    from .applying import RunOptions
    from .outcome import Outcome
    from .writer import RetellWriter


def run_writes(
    writer: RetellWriter,
    to_run: Sequence[Action],
    skipped: Sequence[Action],
    values: Mapping[str, str],
    config: Config,
    run: RunOptions,
    *,
    text: bool,
) -> tuple[list[Outcome], str | None]:
    """The outcomes, and why the journal is incomplete (None: it is not)."""
    from retell_lint.output import echo_error

    from . import render
    from .journal import Journal, plan_id
    from .limiter import AdaptiveLimit
    from .progress import Progress
    from .resume import journal_path
    from .run import execute
    from .scheduler import Controls

    controls = Controls(concurrency=config.apply_concurrency)
    if to_run:
        writer.gate = AdaptiveLimit(config.apply_concurrency)
        if run.plan_id is None:
            run.plan_id = plan_id([a.key() for a in to_run], {})
        controls.journal = Journal(journal_path(run, config.root), run.plan_id)
    bar = Progress(run.progress, len(to_run))
    lock = threading.Lock()

    def report(outcome: Outcome) -> None:
        bar(outcome)
        if text and bar.mode != "bar":
            with lock:
                click.echo(render.progress_line(outcome))

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if controls.stop.is_set():
            return
        controls.stop.set()
        echo_error(
            f"apply: {signal.Signals(signum).name} received: no new writes are started; "
            f"waiting up to {controls.grace:g}s for those in flight"
        )

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, on_signal)
    try:
        outcomes = execute(writer, to_run, skipped, values, report, controls)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        bar.finish()
        writer.gate = None
        if controls.journal is not None:
            controls.journal.close()
    if controls.stop.is_set():
        counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("applied", "uncertain")}
        left = sum(1 for o in outcomes if o.status == "not_attempted")
        echo_error(
            f"apply was stopped: {counts['applied']} applied, {counts['uncertain']} may have "
            f"been applied, {left} not attempted"
        )
    problem = controls.journal.problem if controls.journal is not None else None
    return outcomes, problem
