"""Runs the CLI many times quickly, each run in its own forked child with limits.

A small server process (``python tests/fork_runner.py``) imports retell-lint once
and warms it up; for each job it reads from stdin (a JSON line: folder,
arguments, environment) it forks a child that runs the command there, and
answers with the child's exit status (negative: the signal that killed it),
its run time and its own peak memory (``wait4``). Forking from this small
process, not from the test process, keeps the measured peak memory the
command's own. Used by the fuzz test.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from typing import Any

KILL_AFTER = 20  # seconds: a hung child is killed (and reported by its signal)


def _child(job: dict[str, Any]) -> None:
    from retell_lint.cli import main

    try:
        os.chdir(job["root"])
        limit = int(job.get("memory", 2 * 1024**3))
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.alarm(KILL_AFTER)
        sink = os.open(job["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(sink, 1)
        os.dup2(sink, 2)
        # The child ends with os._exit: these stay open for the whole run.
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        os.environ.update(job.get("env", {}))
        for name in job.get("unset", []):
            os.environ.pop(name, None)
        code = main(job["args"])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    except BaseException:
        os._exit(99)


def serve() -> None:
    import contextlib
    import io
    import tempfile

    from retell_lint.cli import main

    # Warm up: every module a check imports lazily is loaded before the first fork.
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "n.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write('phone_number: "+14157774444"\nallowed_inbound_country_list: [XX]\n')
        for fmt in ("text", "json", "concise", "github", "sarif", "junit"):
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                main(["check", "--format", fmt, path])
    # And what drift, plan, apply and snapshot import (the HTTP client), for their fuzzing.
    import retell_lint.apply.applying
    import retell_lint.drift.commands
    import retell_lint.retell_api  # noqa: F401

    for line in sys.stdin:
        job = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(job)
        _pid, status, usage = os.wait4(pid, 0)
        answer = {
            "code": os.waitstatus_to_exitcode(status),
            "seconds": time.monotonic() - started,
            "rss_kb": usage.ru_maxrss,
            # CPU time: a bound that holds on a loaded machine, where wall time does not.
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
        }
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


class ForkRunner:
    """The test side: starts the server, sends jobs, reads answers."""

    def __init__(self) -> None:
        self.last_cpu_seconds = 0.0
        self._process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(
        self, root: str, args: list[str], env: dict[str, str], unset: list[str]
    ) -> tuple[int, float, int, str]:
        output = os.path.join(root, ".output")
        job = {"root": root, "args": args, "env": env, "unset": unset, "output": output}
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(job) + "\n")
        self._process.stdin.flush()
        answer = json.loads(self._process.stdout.readline())
        self.last_cpu_seconds = float(answer.get("cpu_seconds", 0.0))
        with open(output, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
        return answer["code"], answer["seconds"], answer["rss_kb"], text

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)


if __name__ == "__main__":
    serve()
