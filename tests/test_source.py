"""Reading a file's bytes: encodings and sizes, for files and stdin."""

from __future__ import annotations

from pathlib import Path

import pytest
from bounded_run import assert_ran, run_cli

from retell_lint.source import MAX_FILE_BYTES, DecodeProblem, decode

TEXT = 'phone_number: "+14157774444"\n'


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-16"),  # with a byte-order mark
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        "\ufeff".encode("utf-16-be") + TEXT.encode("utf-16-be"),
    ],
    ids=["bom", "le", "be", "be-bom"],
)
def test_utf16_is_named_and_utf8_is_asked_for(data: bytes) -> None:
    with pytest.raises(DecodeProblem) as info:
        decode(data)
    assert info.value.message == "UTF-16 text; retell-lint reads UTF-8 only: save the file as UTF-8"
    assert (info.value.line, info.value.column) == (1, 1)


def test_binary_with_nul_bytes_is_still_binary() -> None:
    with pytest.raises(DecodeProblem, match="binary file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert decode(b"\xef\xbb\xbf" + TEXT.encode()) == TEXT


def test_utf16_file_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "n.yaml").write_bytes(TEXT.encode("utf-16"))
    run = run_cli(["check", "--format", "concise", "n.yaml"], tmp_path)
    assert_ran(run, 1)
    assert "RL001 [error] UTF-16 text; retell-lint reads UTF-8 only" in run.out


def test_stdin_larger_than_the_file_limit_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    # /dev/zero never ends: without a cap, reading it fills memory.
    with open("/dev/zero", "rb") as zero:
        run = run_cli(
            ["check", "--stdin-filename", "retell/n.yaml", "-"],
            tmp_path,
            stdin=zero.fileno(),
            timeout=30,
            memory=600 * 1024 * 1024,
        )
    assert_ran(run, 2)
    limit = MAX_FILE_BYTES // (1024 * 1024)
    assert run.err.strip() == (
        f"retell-lint: error: retell/n.yaml: stdin is larger than {limit} MB; not a config file"
    )


def test_stdin_within_the_limit_is_read(tmp_path: Path) -> None:
    run = run_cli(["check", "--format", "concise", "-"], tmp_path, stdin=TEXT.encode())
    assert_ran(run, 0, 1)
    assert "1 number" in run.out
