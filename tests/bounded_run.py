"""Running the real command in a child process with time and memory limits.

Hostile inputs can crash the interpreter (a C stack overflow is a signal, not an
exception), hang, or eat memory: only a child process with a timeout and an
address-space limit shows that safely. Tests import this as ``from bounded_run
import run_cli`` (tests/ is on sys.path).
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, NamedTuple

# Generous for a Python process with httpx and ruamel loaded; a leak goes far past it.
DEFAULT_MEMORY = 1024 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0


class Run(NamedTuple):
    code: int
    out: str
    err: str
    seconds: float
    max_rss_kb: int


def _limits(memory: int, extra: Callable[[], None] | None) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if extra is not None:
            extra()

    return apply


def run_cli(
    args: Sequence[str],
    cwd: Path | str,
    *,
    stdin: bytes | int | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory: int = DEFAULT_MEMORY,
    preexec: Callable[[], None] | None = None,
) -> Run:
    """``python -m retell_lint ARGS`` in ``cwd``; fails the test on a timeout."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("GITHUB_ACTIONS", "NO_COLOR") and not key.startswith("RETELL_")
    }
    environment.update(env or {})
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "retell_lint", *args],
        cwd=cwd,
        stdin=stdin if isinstance(stdin, int) else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        preexec_fn=_limits(memory, preexec),
    )
    outputs: dict[str, bytes] = {}

    def pump(name: str, stream: IO[bytes]) -> None:
        outputs[name] = stream.read()

    readers = [
        threading.Thread(target=pump, args=("out", process.stdout)),
        threading.Thread(target=pump, args=("err", process.stderr)),
    ]
    for reader in readers:
        reader.start()
    if process.stdin is not None:
        with contextlib.suppress(BrokenPipeError):
            process.stdin.write(stdin if isinstance(stdin, bytes) else b"")
        process.stdin.close()
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        # wait4, not wait: the child's own peak memory, not the largest of all children.
        _pid, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    seconds = time.monotonic() - started
    if seconds >= timeout:
        raise AssertionError(f"retell-lint {' '.join(args)[:200]} ran past {timeout}s")
    return Run(
        process.returncode,
        outputs.get("out", b"").decode("utf-8", "replace"),
        outputs.get("err", b"").decode("utf-8", "replace"),
        seconds,
        usage.ru_maxrss,
    )


def assert_ran(run: Run, *codes: int) -> None:
    """The process exited (no signal) with one of ``codes`` and no internal error."""
    assert run.code >= 0, f"killed by signal {-run.code}: {run.err[-500:]}"
    assert run.code in codes, f"exit {run.code}: {run.err[-500:]}"
    assert "internal error" not in run.err, run.err[-500:]
    assert "Traceback" not in run.err, run.err[-2000:]
