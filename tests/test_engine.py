"""The reader and engine on hostile and unusual input: a finding or a clear error,
fast, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from retell_lint.cli import main

CLEAN = """phone_number: "+14157774444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 1
"""


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["check", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def rules_at(report: dict) -> list[tuple[str, int, int]]:
    return [(f["rule"], f["line"], f["column"]) for f in report["findings"]]


def test_clean_file_has_no_findings(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_text(CLEAN)
    code, report = run_json(capsys, str(path))
    assert code == 0
    assert report["findings"] == []
    assert report["summary"] == {
        "files": 1,
        "files_with_findings": 0,
        "numbers": 1,
        "error": 0,
        "warning": 0,
        "info": 0,
        "baseline": None,
        "fixes": {"fixed": 0, "fixable": 0, "unsafe_fixable": 0},
    }


def test_invalid_utf8_is_a_syntax_finding_at_the_byte(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_bytes(b'phone_number: "+14157774444"\nnickname: caf\xe9 \xff\n')
    code, report = run_json(capsys, str(path))
    assert code == 1
    assert rules_at(report) == [("RL001", 2, 14)]
    assert "UTF-8" in report["findings"][0]["message"]


def test_binary_file_is_a_syntax_finding(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, report = run_json(capsys, str(path))
    assert code == 1
    assert [f["rule"] for f in report["findings"]] == ["RL001"]
    assert "binary" in report["findings"][0]["message"]


def test_byte_order_mark_is_dropped_and_positions_hold(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + CLEAN.replace("weight: 1", "weight: 0.5").encode())
    code, report = run_json(capsys, str(path))
    assert code == 1
    assert rules_at(report) == [("RL301", 2, 1)]


def test_crlf_line_ends_keep_positions_and_clean_snippets(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_bytes(CLEAN.replace("weight: 1", "weight: 2").replace("\n", "\r\n").encode())
    _code, report = run_json(capsys, str(path))
    assert ("RL302", 4, 13) in rules_at(report)
    main(["check", str(path)])
    out = capsys.readouterr().out
    assert "\r" not in out
    assert "  4 |     weight: 2" in out


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_files_are_not_configs(tmp_path, capsys, content):
    path = tmp_path / "n.yaml"
    path.write_text(content)
    code, report = run_json(capsys, str(path))
    assert [f["rule"] for f in report["findings"]] == ["RL008"]
    assert code == 0  # RL008 is a warning; the default fail level is error


def test_tab_indentation_is_reported_as_tabs(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_text('phone_number: "+14157774444"\ninbound_agents:\n\t- agent_id: a\n')
    code, report = run_json(capsys, str(path))
    assert code == 1
    (finding,) = report["findings"]
    assert finding["rule"] == "RL001"
    assert finding["line"] == 3
    assert "tab" in finding["message"]


def test_python_object_tag_is_never_constructed(tmp_path, capsys):
    marker = tmp_path / "pwned"
    path = tmp_path / "n.yaml"
    path.write_text(
        'phone_number: "+14157774444"\n'
        f'nickname: !!python/object/apply:os.system ["touch {marker}"]\n'
    )
    _code, report = run_json(capsys, str(path))
    assert not marker.exists()
    assert ("RL004", 2, 11) in rules_at(report)


def test_billion_laughs_is_bounded(tmp_path, capsys):
    lines = [CLEAN.rstrip(), 'x-a: &a ["lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for level in "bcdefghij":
        lines.append(f"x-{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = level
    lines.append(f"allowed_inbound_country_list: *{previous}")
    path = tmp_path / "n.yaml"
    path.write_text("\n".join(lines) + "\n")
    code, report = run_json(capsys, str(path))
    assert code == 1
    # Nine entries, each a list where a country code belongs: never expanded.
    assert [f["rule"] for f in report["findings"]] == ["RL004"] * 9


def test_alias_bomb_of_numbers_hits_the_node_budget(tmp_path, capsys):
    # 1,000 references to one number holding 10,000 agent entries: 30 million
    # nodes to visit from 40 kB of text.
    entries = ",".join(["*e"] * 10_000)
    numbers = ",".join(["*n"] * 1_000)
    path = tmp_path / "n.yaml"
    path.write_text(
        "x-e: &e {agent_id: a, weight: 0.0001}\n"
        f"x-l: &l [{entries}]\n"
        'x-n: &n {phone_number: "+14157774444", inbound_agents: *l}\n'
        f"phone_numbers: [{numbers}]\n"
    )
    code, report = run_json(capsys, str(path))
    assert code == 1
    assert rules_at(report) == [("RL001", 1, 1)]
    assert "aliases" in report["findings"][0]["message"]


def test_self_referencing_alias_does_not_loop(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_text(
        'phone_number: "+14157774444"\ninbound_agents: &loop [*loop]\nx-merge: &m {<<: *m}\n'
    )
    code, report = run_json(capsys, str(path))
    assert code == 1
    # Reported where the anchored node is.
    assert rules_at(report) == [("RL004", 2, 17)]


def test_merge_keys_apply_anchored_defaults(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_text(
        "x-defaults: &defaults\n"
        "  inbound_agents: [{agent_id: agent_a, weight: 0.4}]\n"
        "  nickname: shared\n"
        "phone_numbers:\n"
        '  - <<: *defaults\n    phone_number: "+14157774444"\n    nickname: one\n'
    )
    _code, report = run_json(capsys, str(path))
    # The merged list is checked where it was written (line 2), and the
    # explicit nickname overrides the merged one (no RL002).
    assert rules_at(report) == [("RL301", 2, 3)]


def _run_cli(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "retell_lint", "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "content",
    [
        "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "".join(" " * depth + "k:\n" for depth in range(3000)),
        "- " * 5000 + "x\n",
        "a: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n",
    ],
    ids=["flow-lists", "block-mappings", "block-sequences", "flow-mappings"],
)
def test_deep_nesting_is_a_finding_not_a_crash(tmp_path, content):
    # In a subprocess: a crash of the C composer would take pytest down with it.
    path = tmp_path / "deep.yaml"
    path.write_text(content)
    proc = _run_cli(path)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [f["rule"] for f in report["findings"]] == ["RL001"]
    assert "Traceback" not in proc.stderr


def test_ten_megabyte_file_is_read(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    filler = "# " + "x" * 98 + "\n"
    path.write_text(CLEAN + filler * (10 * 1024 * 1024 // len(filler)))
    assert path.stat().st_size >= 10 * 1024 * 1024
    code, report = run_json(capsys, str(path))
    assert code == 0
    assert report["summary"]["numbers"] == 1


def test_ten_megabyte_of_numbers(tmp_path, capsys):
    entry = '  - {phone_number: "+1415555%04d", nickname: "n%06d", inbound_agents: []}\n'
    count = 10 * 1024 * 1024 // len(entry % (0, 0))
    body = "".join(entry % (index % 10_000, index) for index in range(count))
    path = tmp_path / "big.yaml"
    path.write_text("phone_numbers:\n" + body)
    code, report = run_json(capsys, "--fail-level", "error", str(path))
    assert code == 1
    assert report["summary"]["numbers"] == count
    assert {f["rule"] for f in report["findings"]} <= {"RL102", "RL103", "RL308"}


def test_several_documents_each_count(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_text(CLEAN + "---\n" + CLEAN.replace("7774444", "5551234") + "---\nfoo: bar\n")
    _code, report = run_json(capsys, str(path))
    assert report["summary"]["numbers"] == 2
    assert rules_at(report) == [("RL008", 11, 1)]


def test_syntax_error_keeps_earlier_documents(tmp_path, capsys):
    path = tmp_path / "n.yaml"
    path.write_text(CLEAN.replace("weight: 1", "weight: 0.5") + "---\na: [\n")
    _code, report = run_json(capsys, str(path))
    rules = [f["rule"] for f in report["findings"]]
    assert rules == ["RL301", "RL001"]
