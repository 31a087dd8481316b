"""Time ``retell-lint server``: a change to a large file → its diagnostics.

Usage::

    python benchmarks/lsp_bench.py [--numbers 500] [--edits 200] [--soak 1000]

Drives the server over stdio with a plain JSON-RPC client (this file; no LSP
library): initialize, open one file of N phone numbers (the clean configs of
``generate.py`` in one ``phone_numbers`` list, under ``retell/`` of a temporary
project), then ``--edits`` times: change one number's nickname (an incremental
change, as an editor sends on a keystroke), and wait for the diagnostics of that
version. Every other edit makes a finding (a nickname used twice) and the next one
takes it away, so each change must produce new diagnostics. Reports the median, p95
and largest time from sending the change to receiving its diagnostics.

Then ``--line-edits`` changes that add and remove a comment line in the middle of
the file (every later number moves down or up a line), timed the same way.

Then ``--soak`` more edits in quick succession (not waited for one by one; the
server coalesces them), and the server's resident memory (``/proc/PID/status``
VmRSS) before and after, to show whether memory stays flat.

Exit status: 0 when the median and p95 are within ``--max-median`` and ``--max-p95``
milliseconds (60 and 150 by default); 1 when they are not; 2 when the server fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty, Queue
from typing import Any

from generate import generate_configs


def big_file(numbers: int, seed: int = 1) -> str:
    """N clean numbers in one ``phone_numbers`` list."""
    parts = ["phone_numbers:\n"]
    for _name, text in generate_configs(numbers, seed):
        lines = text.splitlines()
        rest = "".join(f"    {line}\n" if line else "\n" for line in lines[1:])
        parts.append(f"  - {lines[0]}\n{rest}")
    return "".join(parts)


class Client:
    """A minimal JSON-RPC 2.0 client over a subprocess's stdin/stdout."""

    def __init__(self, command: list[str], cwd: str) -> None:
        self.process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr
        )
        self.next_id = 0
        self.messages: Queue[dict[str, Any]] = Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        stream = self.process.stdin
        assert stream is not None
        stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stream.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self.send({"id": wanted, "method": method, "params": params})
        message = self.wait(lambda m: m.get("id") == wanted and "method" not in m, timeout)
        return message.get("result")

    def wait(self, match: Any, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from the server")
            try:
                message = self.messages.get(timeout=left)
            except Empty:
                continue
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
                continue
            if match(message):
                return message

    def diagnostics(self, uri: str, version: int, timeout: float = 60) -> list[Any]:
        message = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            ),
            timeout,
        )
        diagnostics: list[Any] = message["params"]["diagnostics"]
        return diagnostics


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def nickname_edit(text: str, which: int, value: str) -> tuple[dict[str, Any], str]:
    """The change replacing the ``which``-th nickname's value, and the new text."""
    lines = text.split("\n")
    seen = -1
    for index, line in enumerate(lines):
        if line.startswith("    nickname: "):
            seen += 1
            if seen == which:
                start = len("    nickname: ")
                change = {
                    "range": {
                        "start": {"line": index, "character": start},
                        "end": {"line": index, "character": len(line)},
                    },
                    "text": value,
                }
                lines[index] = line[:start] + value
                return change, "\n".join(lines)
    raise ValueError("no such nickname")


def nicknames(text: str) -> list[str]:
    return [
        line[len("    nickname: ") :]
        for line in text.split("\n")
        if line.startswith("    nickname: ")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--numbers", type=int, default=500)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--soak", type=int, default=1000)
    parser.add_argument("--line-edits", type=int, default=40)
    parser.add_argument("--max-median", type=float, default=60)
    parser.add_argument("--max-p95", type=float, default=150)
    parser.add_argument("--server", default=shutil.which("retell-lint") or "retell-lint")
    args = parser.parse_args(argv)

    project = Path(tempfile.mkdtemp(prefix="lsp-bench-"))
    try:
        return run(args, project)
    except (TimeoutError, OSError) as exc:
        print(f"the server failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(project, ignore_errors=True)


def run(args: argparse.Namespace, project: Path) -> int:
    (project / "retell").mkdir()
    path = project / "retell" / "numbers.yaml"
    text = big_file(args.numbers)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client = Client([args.server, "server"], str(project))
    try:
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": project.as_uri(),
                "capabilities": {},
                "workspaceFolders": [{"uri": project.as_uri(), "name": "bench"}],
            },
        )
        client.notify("initialized", {})
        start = time.perf_counter()
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        opened = client.diagnostics(uri, 1)
        open_ms = (time.perf_counter() - start) * 1000
        if opened:
            print(f"the generated file has findings: {opened[:2]}", file=sys.stderr)
            return 2
        names = nicknames(text)
        version = 1
        times: list[float] = []
        for edit in range(args.edits):
            which = (edit // 2 * 7) % len(names)
            # Odd edits take the previous number's nickname (RL601), even ones restore.
            value = names[which - 1] if edit % 2 == 0 else names[which]
            change, text = nickname_edit(text, which, value)
            version += 1
            start = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            diagnostics = client.diagnostics(uri, version)
            times.append((time.perf_counter() - start) * 1000)
            expected = 1 if edit % 2 == 0 else 0
            if len(diagnostics) != expected:
                print(f"edit {edit}: {len(diagnostics)} diagnostics, expected {expected}")
                return 2
        # Adding and removing a comment line in the middle moves every later number.
        middle = text.count("\n") // 2
        line_times: list[float] = []
        for edit in range(args.line_edits):
            if edit % 2 == 0:
                change = {
                    "range": {
                        "start": {"line": middle, "character": 0},
                        "end": {"line": middle, "character": 0},
                    },
                    "text": "    # a note\n",
                }
            else:
                change = {
                    "range": {
                        "start": {"line": middle, "character": 0},
                        "end": {"line": middle + 1, "character": 0},
                    },
                    "text": "",
                }
            version += 1
            start = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            if client.diagnostics(uri, version):
                print(f"line edit {edit}: unexpected diagnostics")
                return 2
            line_times.append((time.perf_counter() - start) * 1000)
        before = rss_kib(client.process.pid)
        for edit in range(args.soak):
            which = (edit * 13) % len(names)
            value = f"Soak {edit}" if edit % 2 == 0 else names[which]
            change, text = nickname_edit(text, which, value)
            version += 1
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            if edit % 50 == 49:  # as a typist pauses: wait for this version's diagnostics
                client.diagnostics(uri, version)
        client.diagnostics(uri, version) if args.soak % 50 else None
        after = rss_kib(client.process.pid)
        client.request("shutdown", None)
        client.notify("exit", None)
        client.process.wait(timeout=30)
    finally:
        if client.process.poll() is None:
            client.process.kill()
    times.sort()
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    print(f"file: {args.numbers} numbers, {len(text):,} characters, {text.count(chr(10)):,} lines")
    print(f"open → diagnostics: {open_ms:.0f} ms")
    print(
        f"change → diagnostics over {len(times)} edits: median {median:.1f} ms, "
        f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms"
    )
    if line_times:
        line_times.sort()
        print(
            f"line added/removed mid-file → diagnostics over {len(line_times)} edits: median "
            f"{statistics.median(line_times):.1f} ms, max {line_times[-1]:.1f} ms"
        )
    print(
        f"RSS before {args.soak} more edits: {before / 1024:.1f} MiB, after: {after / 1024:.1f} MiB"
    )
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    return 0 if median <= args.max_median and p95 <= args.max_p95 else 1


if __name__ == "__main__":
    sys.exit(main())
