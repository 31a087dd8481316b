"""Baselines through the CLI: ``check --write-baseline`` and ``check --baseline``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from json_schemas import assert_valid

from retell_lint.cli import main

BAD_WEIGHTS = """\
phone_number: "+14157774444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 0.5
"""
GOOD_WEIGHTS = """\
phone_number: "+14157774444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 1
"""


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    @property
    def findings(self) -> list[dict[str, Any]]:
        findings: list[dict[str, Any]] = json.loads(self.out)["findings"]
        return findings

    @property
    def keys(self) -> list[tuple[str, str, int]]:
        return [(f["rule"], f["path"], f["line"]) for f in self.findings]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / ".retell-lint.yaml").write_text("fail_level: error\n", encoding="utf-8")
    (tmp_path / "retell").mkdir()
    return tmp_path


@pytest.fixture
def check(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main(["check", "--format", "json", *args])
        captured = capsys.readouterr()
        if captured.out:
            assert_valid("check", captured.out)  # every report fits the shipped schema
        return Run(code, captured.out, captured.err)

    return run


def assert_failed_json(out: str) -> None:
    """A run that could not use its baseline prints the envelope with the error only."""
    report = json.loads(out)
    assert set(report) == {"tool", "errors"} and report["errors"]


def write(path: str, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")


def entries(path: str) -> list[dict[str, Any]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    assert data["version"] == 1
    found: list[dict[str, Any]] = data["entries"]
    return found


def test_write_baseline_records_and_hides(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    before = check("retell/a.yaml")
    assert before.code == 1
    assert before.keys == [("RL301", "inbound_agents", 2)]

    written = check("retell/a.yaml", "--write-baseline", "baseline.json")
    assert written.code == 0
    assert written.findings == []
    assert json.loads(written.out)["summary"]["error"] == 0
    assert "baseline.json" in written.err
    assert entries("baseline.json") == [
        {
            "file": "retell/a.yaml",
            "rule": "RL301",
            "path": "inbound_agents",
            "count": 1,
            "message": before.findings[0]["message"],
        }
    ]

    after = check("retell/a.yaml", "--baseline", "baseline.json")
    assert after.code == 0
    assert after.findings == []
    assert "no longer match" not in after.err


def test_written_baseline_is_stable(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    write("retell/b.yaml", BAD_WEIGHTS.replace("4444", "5555"))
    check("--write-baseline", "one.json")
    check("--write-baseline", "two.json")
    assert Path("one.json").read_bytes() == Path("two.json").read_bytes()
    assert [e["file"] for e in entries("one.json")] == ["retell/a.yaml", "retell/b.yaml"]


def test_moving_a_finding_keeps_it_hidden(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    check("retell/a.yaml", "--write-baseline", "baseline.json")
    write("retell/a.yaml", "# Front desk\n\n\n" + BAD_WEIGHTS.replace("\n", "\n\n", 1))
    moved = check("retell/a.yaml")
    assert moved.keys == [("RL301", "inbound_agents", 6)]
    assert check("retell/a.yaml", "--baseline", "baseline.json").findings == []


def test_changed_message_keeps_it_hidden(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    check("retell/a.yaml", "--write-baseline", "baseline.json")
    write("retell/a.yaml", BAD_WEIGHTS.replace("0.5", "0.6"))
    assert check("retell/a.yaml", "--baseline", "baseline.json").findings == []


def test_new_finding_of_the_same_rule_elsewhere_shows(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    check("retell/a.yaml", "--write-baseline", "baseline.json")
    write(
        "retell/a.yaml",
        BAD_WEIGHTS + "outbound_agents:\n  - agent_id: agent_sales\n    weight: 0.2\n",
    )
    run = check("retell/a.yaml", "--baseline", "baseline.json")
    assert run.code == 1
    assert run.keys == [("RL301", "outbound_agents", 5)]


def test_same_finding_in_another_file_shows(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    check("retell/a.yaml", "--write-baseline", "baseline.json")
    write("retell/b.yaml", BAD_WEIGHTS.replace("4444", "5555"))
    run = check("retell/a.yaml", "retell/b.yaml", "--baseline", "baseline.json")
    assert run.code == 1
    assert [(f["file"], f["rule"]) for f in run.findings] == [("retell/b.yaml", "RL301")]


def test_findings_beyond_the_count_show(project: Path, check: Any) -> None:
    # Each repeated key is one RL002 finding at the same path ("nickname").
    write("retell/a.yaml", GOOD_WEIGHTS + "nickname: one\nnickname: two\n")
    check("retell/a.yaml", "--write-baseline", "baseline.json")
    assert [(e["rule"], e["path"], e["count"]) for e in entries("baseline.json")] == [
        ("RL002", "nickname", 1)
    ]
    write("retell/a.yaml", GOOD_WEIGHTS + "nickname: one\nnickname: two\nnickname: three\n")
    run = check("retell/a.yaml", "--baseline", "baseline.json")
    assert run.code == 1
    # One of the two is hidden, the other shows.
    assert run.keys == [("RL002", "nickname", 7)]


def test_counts_per_key(project: Path, check: Any) -> None:
    write("retell/a.yaml", GOOD_WEIGHTS + "nickname: one\nnickname: two\nnickname: three\n")
    check("retell/a.yaml", "--write-baseline", "baseline.json")
    assert [(e["rule"], e["path"], e["count"]) for e in entries("baseline.json")] == [
        ("RL002", "nickname", 2)
    ]
    assert check("retell/a.yaml", "--baseline", "baseline.json").code == 0


def test_documents_are_part_of_the_key(project: Path, check: Any) -> None:
    write("retell/a.yaml", GOOD_WEIGHTS + "---\n" + BAD_WEIGHTS.replace("4444", "5555"))
    check("retell/a.yaml", "--write-baseline", "baseline.json")
    assert [(e["rule"], e["path"]) for e in entries("baseline.json")] == [
        ("RL301", "#1/inbound_agents")
    ]
    assert check("retell/a.yaml", "--baseline", "baseline.json").code == 0
    # The same finding in the first document is a new one.
    write(
        "retell/a.yaml",
        BAD_WEIGHTS + "---\n" + BAD_WEIGHTS.replace("4444", "5555"),
    )
    run = check("retell/a.yaml", "--baseline", "baseline.json")
    assert run.code == 1
    assert run.keys == [("RL301", "inbound_agents", 2)]


def test_file_names_are_normalised(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    check("./retell/../retell/a.yaml", "--write-baseline", "baseline.json")
    assert entries("baseline.json")[0]["file"] == "retell/a.yaml"
    assert check("retell/a.yaml", "--baseline", "baseline.json").code == 0
    assert check("./retell/a.yaml", "--baseline", "baseline.json").code == 0
    # Discovered files are reported relative to the working directory too.
    assert check("--baseline", "baseline.json").code == 0


def test_stale_entries_are_reported(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    write("retell/b.yaml", BAD_WEIGHTS.replace("4444", "5555"))
    check("--write-baseline", "baseline.json")
    assert len(entries("baseline.json")) == 2
    write("retell/a.yaml", GOOD_WEIGHTS)
    run = check("--baseline", "baseline.json")
    assert run.code == 0
    assert run.findings == []
    assert "1 entry no longer matches" in run.err
    assert "--write-baseline baseline.json" in run.err
    # Reporting stale entries does not change the exit code of a failing run.
    write("retell/c.yaml", BAD_WEIGHTS.replace("4444", "6666"))
    failing = check("--baseline", "baseline.json")
    assert failing.code == 1
    assert "no longer match" in failing.err


def test_rewriting_drops_stale_entries(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    write("retell/b.yaml", BAD_WEIGHTS.replace("4444", "5555"))
    check("--write-baseline", "baseline.json")
    write("retell/a.yaml", GOOD_WEIGHTS)
    rewritten = check("--baseline", "baseline.json", "--write-baseline", "baseline.json")
    assert rewritten.code == 0
    assert [e["file"] for e in entries("baseline.json")] == ["retell/b.yaml"]
    again = check("--baseline", "baseline.json")
    assert again.code == 0
    assert "no longer match" not in again.err


def test_write_baseline_of_a_clean_run(project: Path, check: Any) -> None:
    write("retell/a.yaml", GOOD_WEIGHTS)
    assert check("--write-baseline", "baseline.json").code == 0
    assert entries("baseline.json") == []
    assert check("--baseline", "baseline.json").code == 0


def test_baseline_respects_suppressions(project: Path, check: Any) -> None:
    write(
        "retell/a.yaml",
        BAD_WEIGHTS.replace("inbound_agents:", "inbound_agents:  # retell-lint: ignore[RL301]"),
    )
    check("--write-baseline", "baseline.json")
    assert entries("baseline.json") == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "not found"),
        ("{", "not JSON"),
        ("[]", "expected a JSON object"),
        ('{"version": 2, "entries": []}', "unsupported version"),
        ('{"version": true, "entries": []}', "unsupported version True"),
        ('{"version": 1.0, "entries": []}', "unsupported version 1.0"),
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deep"),
        ('{"version": 1}', "'entries' must be a list"),
        ('{"version": 1, "entries": [1]}', "entries[0] must be an object"),
        ('{"version": 1, "entries": [{"rule": "RL301", "path": ""}]}', "entries[0].file"),
        (
            '{"version": 1, "entries": [{"file": "a", "rule": "RL301", "path": "", "count": 0}]}',
            "entries[0].count",
        ),
        (
            '{"version": 1, "entries": [{"file": "a", "rule": "RL301", "path": "", "line": 3}]}',
            "unknown key(s): line",
        ),
    ],
)
def test_bad_baseline_file(project: Path, check: Any, content: str | None, reason: str) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    if content is not None:
        write("baseline.json", content)
    run = check("--baseline", "baseline.json")
    assert run.code == 2
    assert_failed_json(run.out)
    assert "baseline.json" in run.err
    assert reason in run.err


def test_baseline_that_is_a_folder(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    Path("baseline.json").mkdir()
    run = check("--baseline", "baseline.json")
    assert run.code == 2
    assert "baseline.json" in run.err
    run = check("--write-baseline", "missing/baseline.json")
    assert run.code == 2
    assert "missing/baseline.json" in run.err


def test_hand_written_entry_without_message_or_count(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    write(
        "baseline.json",
        json.dumps(
            {
                "version": 1,
                "entries": [{"file": "retell\\a.yaml", "rule": "RL301", "path": "inbound_agents"}],
            }
        ),
    )
    assert check("--baseline", "baseline.json").code == 0


def test_baseline_counts_are_in_the_json_summary(project: Path, check: Any) -> None:
    write("retell/a.yaml", BAD_WEIGHTS)
    write("retell/b.yaml", BAD_WEIGHTS.replace("4444", "5555"))
    plain = check()
    assert json.loads(plain.out)["summary"]["baseline"] is None
    written = check("--write-baseline", "baseline.json")
    assert json.loads(written.out)["summary"]["baseline"] == {
        "file": "baseline.json",
        "written": True,
        "hidden": 2,
        "stale_entries": 0,
        "stale_findings": 0,
    }
    write("retell/a.yaml", GOOD_WEIGHTS)
    write("retell/c.yaml", BAD_WEIGHTS.replace("4444", "6666"))
    run = check("--baseline", "baseline.json")
    assert run.code == 1
    summary = json.loads(run.out)["summary"]
    assert summary["baseline"] == {
        "file": "baseline.json",
        "written": False,
        "hidden": 1,
        "stale_entries": 1,
        "stale_findings": 1,
    }
    assert (summary["error"], summary["files_with_findings"], summary["files"]) == (1, 1, 3)
