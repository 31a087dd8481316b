"""``retell-lint server`` as a command: the check path never imports the server's
libraries, and a missing library is one clear line and exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from retell_lint.cli import main
code = main(["check", sys.argv[1]])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pygls", "lsprotocol", "cattrs"))
print(code, loaded, "retell_lint.server" in sys.modules)
"""


def test_check_does_not_import_the_language_server_libraries(tmp_path: Path) -> None:
    config = tmp_path / "a.yaml"
    config.write_text(
        'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: a\n    weight: 1\n',
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(config)], capture_output=True, text=True, timeout=60
    )
    assert run.stdout.strip().splitlines()[-1] == "0 [] False", run.stderr


def test_server_without_pygls_says_how_to_install_it_and_exits_2() -> None:
    probe = (
        "import sys; sys.modules['pygls'] = None; sys.modules['pygls.lsp'] = None\n"
        "from retell_lint.cli import main; sys.exit(main(['server']))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "pip install 'retell-lint[server]'" in lines[0]
    assert "Traceback" not in run.stderr


def test_server_help_names_the_extra() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "retell_lint", "server", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0
    assert "language server" in run.stdout


def serve(data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "retell_lint", "server"],
        input=data,
        capture_output=True,
        timeout=60,
    )


def test_a_malformed_message_is_one_line_and_the_session_goes_on() -> None:
    # Bad JSON, then the end of input: the server answers the next message's way and
    # stops when the client goes away.
    run = serve(b"Content-Length: 5\r\n\r\n{bad}")
    assert run.returncode == 0
    lines = run.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "Unable to handle message" in lines[0], run.stderr
    assert b"Traceback" not in run.stderr


def test_a_message_no_client_sends_ends_the_session_with_exit_2() -> None:
    for data in (
        b"Content-Length: 99999999999\r\n\r\n{",
        b"Content-Length: -4\r\n\r\n{",
        b"a" * 5000,
    ):
        run = serve(data)
        assert run.returncode == 2, data[:40]
        lines = run.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and "not a client; stopping" in lines[0], run.stderr
