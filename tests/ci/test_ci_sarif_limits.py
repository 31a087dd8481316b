"""The SARIF writer stays under GitHub code scanning's upload limits (25,000 results per
run, 10 MB per file), keeps the most severe results and says what it left out."""

from __future__ import annotations

import json
import time

import pytest
from report_helpers import assert_valid_sarif, finding, result_of

from retell_lint.ci.limits import SARIF_MAX_BYTES, SARIF_MAX_RESULTS
from retell_lint.render import sarif


def notes(report: dict[str, object]) -> list[str]:
    invocation = report["runs"][0]["invocations"][0]  # type: ignore[index]
    return [n["message"]["text"] for n in invocation.get("toolExecutionNotifications", [])]


def test_more_than_25000_results_keep_the_most_severe(capsys: pytest.CaptureFixture[str]) -> None:
    infos = [finding(severity="info", line=1, end_line=1) for _ in range(10)]
    errors = [finding(line=i + 2, end_line=i + 2) for i in range(SARIF_MAX_RESULTS)]
    text = sarif.render(result_of(infos + errors))
    assert len(text.encode("utf-8")) <= SARIF_MAX_BYTES
    report = json.loads(text)
    results = report["runs"][0]["results"]
    assert 0 < len(results) <= SARIF_MAX_RESULTS
    assert {r["level"] for r in results} == {"error"}
    # 25,000 results of this size are over 10 MB even without indentation: both caps.
    first, *more = notes(report)
    assert first.startswith("10 results left out: GitHub code scanning takes at most 25,000")
    assert all("10,000,000 bytes" in note for note in more)
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"retell-lint: SARIF report: {first}"
    assert len(err) == 1 + len(more)


def test_a_report_just_over_10_mb_is_written_compact_and_whole(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = [finding(line=i + 1, end_line=i + 1) for i in range(200)]
    indented = sarif.render(result_of(findings))
    monkeypatch.setattr(sarif, "SARIF_MAX_BYTES", len(indented.encode()) - 1)
    text = sarif.render(result_of(findings))
    assert len(text.encode()) < len(indented.encode()) * 0.8
    assert json.loads(text) == json.loads(indented)
    assert capsys.readouterr().err == ""


def test_a_capped_report_is_valid_sarif(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sarif, "SARIF_MAX_RESULTS", 3)
    findings = [
        finding(severity=s, line=i + 1, end_line=i + 1)
        for i, s in enumerate(["info", "warning", "error", "info", "error"])
    ]
    report = json.loads(sarif.render(result_of(findings)))
    assert_valid_sarif(report)
    # The most severe, in their own order.
    assert [r["level"] for r in report["runs"][0]["results"]] == ["warning", "error", "error"]
    assert notes(report)[0].startswith("2 results left out")
    assert report["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_under_the_limits_nothing_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    report = json.loads(sarif.render(result_of([finding()] * 3)))
    assert len(report["runs"][0]["results"]) == 3 and notes(report) == []
    assert capsys.readouterr().err == ""


def test_a_report_over_10_mb_is_cut_below_it(capsys: pytest.CaptureFixture[str]) -> None:
    long = "x" * 1_000
    warnings = [
        finding(severity="warning", message=f"{long} {i}", line=i + 1, end_line=i + 1)
        for i in range(9_000)
    ]
    errors = [
        finding(message=f"{long} e{i}", line=20_000 + i, end_line=20_000 + i) for i in range(3_000)
    ]
    start = time.monotonic()
    text = sarif.render(result_of(warnings + errors))
    seconds = time.monotonic() - start
    size = len(text.encode("utf-8"))
    assert size <= SARIF_MAX_BYTES
    report = json.loads(text)
    results = report["runs"][0]["results"]
    # Every error is kept; warnings fill the rest, and nearly all the room is used.
    assert sum(r["level"] == "error" for r in results) == 3_000
    assert 3_000 < len(results) < 12_000 and size > SARIF_MAX_BYTES * 0.9
    (note,) = notes(report)
    assert note.startswith(f"{12_000 - len(results):,} results left out: GitHub code scanning")
    assert "10,000,000 bytes" in note
    assert capsys.readouterr().err == f"retell-lint: SARIF report: {note}\n"
    print(f"SARIF of 12,000 results (about 14 MB) cut to {size:,} bytes in {seconds:.1f} s")
