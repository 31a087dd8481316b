"""check --fix, --diff and --unsafe-fixes on files: what is written and how, the
reports, exit codes, and what must never be touched."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from retell_lint.cli import main
from retell_lint.fix import registry
from retell_lint.fix.edits import Edit, Fix

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
FIXABLE = """\
# front desk
phone_number: +14155550123
phone_number_pretty: "+1 (415) 555-0123"   # pasted
inbound_agents:
  - agent_id: agent_a
    weight: 0.5
allowed_inbound_country_list: [us, CA, UK]
"""
FIXED = """\
# front desk
phone_number: "+14155550123"
inbound_agents:
  - agent_id: agent_a
    weight: 1
allowed_inbound_country_list: [US, CA, UK]
"""
CLEAN = FIXED.replace("UK", "GB")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "n.yaml").write_text(FIXABLE, encoding="utf-8")
    return tmp_path


def test_fix_writes_the_safe_fixes_and_reports_what_remains(work, capsys):
    assert main(["check", "--fix", "n.yaml"]) == 1  # UK is left: an unsafe fix
    assert (work / "n.yaml").read_text(encoding="utf-8") == FIXED
    out = capsys.readouterr().out
    assert "Fixed 4 findings in 1 file." in out
    assert "1 unsafe fix available with --unsafe-fixes." in out
    assert "RL201 [error] 'UK' is not" in out
    assert out.splitlines()[-1].startswith("Found 1 error")


def test_unsafe_fixes_apply_the_rest(work, capsys):
    assert main(["check", "--fix", "--unsafe-fixes", "n.yaml"]) == 0
    assert (work / "n.yaml").read_text(encoding="utf-8") == CLEAN
    out = capsys.readouterr().out
    assert "Fixed 5 findings in 1 file." in out
    assert out.splitlines()[-1] == "All checks passed (1 file, 1 number)."


def test_fix_twice_gives_the_same_bytes(work, capsys):
    main(["check", "--fix", "--unsafe-fixes", "n.yaml"])
    first = (work / "n.yaml").read_bytes()
    assert main(["check", "--fix", "--unsafe-fixes", "n.yaml"]) == 0
    assert (work / "n.yaml").read_bytes() == first
    assert "Nothing was fixed." in capsys.readouterr().out


def test_fix_summary_counts_files(work, capsys):
    (work / "m.yaml").write_text(FIXABLE.replace("0123", "0124"), encoding="utf-8")
    (work / "clean.yaml").write_text(CLEAN.replace("0123", "0125"), encoding="utf-8")
    main(["check", "--fix", "n.yaml", "m.yaml", "clean.yaml"])
    assert "Fixed 8 findings in 2 files." in capsys.readouterr().out
    assert (work / "clean.yaml").read_text(encoding="utf-8") == CLEAN.replace("0123", "0125")


def test_bom_and_crlf_survive(work, capsys):
    data = b"\xef\xbb\xbf" + FIXABLE.replace("\n", "\r\n").encode()
    (work / "n.yaml").write_bytes(data)
    main(["check", "--fix", "n.yaml"])
    assert (work / "n.yaml").read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_mode_is_kept_and_no_temporary_file_is_left(work, capsys):
    os.chmod(work / "n.yaml", 0o640)
    main(["check", "--fix", "n.yaml"])
    assert stat.S_IMODE(os.stat(work / "n.yaml").st_mode) == 0o640
    assert sorted(path.name for path in work.iterdir()) == ["n.yaml"]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_symbolic_link_is_never_written_through(work, capsys):
    (work / "link.yaml").symlink_to(work / "n.yaml")
    assert main(["check", "--fix", "link.yaml"]) == 2
    assert (work / "n.yaml").read_text(encoding="utf-8") == FIXABLE
    assert (work / "link.yaml").is_symlink()
    assert "is a symbolic link; not fixed" in capsys.readouterr().out


def test_a_file_with_a_syntax_error_is_never_touched(work, capsys):
    broken = FIXABLE + "nickname: [unclosed\n"
    (work / "n.yaml").write_text(broken, encoding="utf-8")
    assert main(["check", "--fix", "--unsafe-fixes", "n.yaml"]) == 1
    assert (work / "n.yaml").read_text(encoding="utf-8") == broken
    assert "RL001" in capsys.readouterr().out


def test_a_fix_that_introduces_a_finding_is_reported_as_a_bug(work, capsys, monkeypatch):
    # A broken RL006 fixer that writes a duplicate key instead of removing the field.
    def duplicate(context, finding):
        tree = context.tree
        at = tree.lines.offset(finding.line, finding.column)
        return Fix("broken", [Edit(at, at, "phone_number: x\n")])

    monkeypatch.setitem(registry.FIXERS, "RL006", duplicate)
    assert main(["check", "--fix", "n.yaml"]) == 2
    assert (work / "n.yaml").read_text(encoding="utf-8") == FIXABLE
    out = capsys.readouterr().out
    assert "introduced RL002" in out
    assert "this is a bug of the fix, the file was left unchanged" in out


def test_diff_changes_nothing_and_exits_1(work, capsys):
    assert main(["check", "--diff", "n.yaml"]) == 1
    assert (work / "n.yaml").read_text(encoding="utf-8") == FIXABLE
    captured = capsys.readouterr()
    assert captured.out.startswith("--- a/n.yaml\n+++ b/n.yaml\n")
    assert "\n-phone_number: +14155550123\n" in captured.out
    assert '\n+phone_number: "+14155550123"\n' in captured.out
    assert "Would fix 4 findings in 1 file." in captured.err
    assert "1 unsafe fix available with --unsafe-fixes." in captured.err


def test_diff_on_a_clean_file_exits_0(work, capsys):
    (work / "n.yaml").write_text(CLEAN, encoding="utf-8")
    assert main(["check", "--diff", "n.yaml"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No fixes available." in captured.err


def test_fix_from_stdin_writes_the_fixed_text_to_stdout(work, capsys, monkeypatch):
    data = b"\xef\xbb\xbf" + FIXABLE.encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["check", "--fix", "--stdin-filename", "retell/n.yaml", "-"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "\ufeff" + FIXED
    assert "Fixed 4 findings in 1 file." in captured.err
    assert "retell/n.yaml:6:" in captured.err  # the UK left, reported under its name


def test_json_findings_carry_their_fix(work, capsys):
    main(["check", "--format", "json", "n.yaml"])
    report = json.loads(capsys.readouterr().out)
    fixes = {f["rule"]: f["fix"] for f in report["findings"]}
    assert fixes["RL006"] == {"applicability": "safe", "description": "remove phone_number_pretty"}
    assert fixes["RL007"]["applicability"] == "safe"
    assert report["summary"]["fixes"] == {"fixed": 0, "fixable": 4, "unsafe_fixable": 1}
    unsafe = [f["fix"] for f in report["findings"] if f["message"].startswith("'UK'")]
    assert unsafe == [{"applicability": "unsafe", "description": "write GB for 'UK'"}]


def test_json_fix_is_null_for_findings_without_one(work, capsys):
    (work / "n.yaml").write_text(CLEAN + "inbound_webhook_url: http://example.com/x\n")
    main(["check", "--format", "json", "n.yaml"])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["rule"] == "RL502" and finding["fix"] is None


def test_text_marks_fixable_findings(work, capsys):
    main(["check", "n.yaml"])
    out = capsys.readouterr().out
    assert "RL006 [info] [*] phone_number_pretty" in out
    assert "RL201 [error] 'UK'" in out  # unsafe: not marked without --unsafe-fixes
    assert "[*] 4 findings fixable with --fix." in out


def test_sarif_fixes_are_valid_and_replay_to_the_fixed_text(work, capsys):
    from retell_lint.fix.edits import Lines

    main(["check", "--format", "sarif", "n.yaml"])
    report = json.loads(capsys.readouterr().out)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class(schema).validate(report)
    results = report["runs"][0]["results"]
    with_fixes = [r for r in results if "fixes" in r]
    assert {r["ruleId"] for r in with_fixes} == {"RL006", "RL007", "RL201", "RL301"}
    # Apply the safe fixes' replacements to the text: the result is what --fix writes.
    lines = Lines(FIXABLE)
    edits = []
    for item in with_fixes:
        (change,) = item["fixes"][0]["artifactChanges"]
        assert change["artifactLocation"] == {"uri": "n.yaml", "uriBaseId": "%SRCROOT%"}
        if item["fixes"][0]["properties"]["applicability"] != "safe":
            continue
        for replacement in change["replacements"]:
            region = replacement["deletedRegion"]
            start = lines.offset(region["startLine"], region["startColumn"])
            end = lines.offset(region["endLine"], region["endColumn"])
            edits.append((start, end, replacement.get("insertedContent", {}).get("text", "")))
    text = FIXABLE
    for start, end, inserted in sorted(edits, reverse=True):
        text = text[:start] + inserted + text[end:]
    assert text == FIXED


def test_plain_check_of_clean_files_imports_no_fix_module(work):
    (work / "n.yaml").write_text(CLEAN, encoding="utf-8")
    code = (
        "import sys\n"
        "from retell_lint.cli import main\n"
        "code = main(['check', 'n.yaml'])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('retell_lint.fix')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=work, check=False
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_needs_work_examples_are_fixed_down_to_what_needs_a_person(tmp_path, capsys):
    import shutil

    examples = Path(__file__).resolve().parents[2] / "examples" / "needs-work"
    target = tmp_path / "needs-work"
    shutil.copytree(examples, target)
    assert main(["check", "--fix", "--format", "json", str(target)]) == 1
    report = json.loads(capsys.readouterr().out)
    left = sorted({finding["rule"] for finding in report["findings"]})
    # Insecure and unreachable webhooks, a trunk on a managed number, a plaintext
    # password, TCP: a person decides; the alias UK waits for --unsafe-fixes.
    assert left == ["RL201", "RL502", "RL503", "RL504", "RL506", "RL507"]
    # 15: what check called fixable; the RL201 a rename brought out is named, not counted.
    assert report["summary"]["fixes"] == {"fixed": 15, "fixable": 0, "unsafe_fixable": 1}
    assert all(f["fix"] is None for f in report["findings"] if f["rule"] != "RL201")
    fixed = {path.name: path.read_bytes() for path in target.iterdir()}
    assert main(["check", "--fix", str(target)]) == 1
    assert {path.name: path.read_bytes() for path in target.iterdir()} == fixed


def test_fix_of_clean_files_imports_no_fix_module(work):
    (work / "n.yaml").write_text(CLEAN, encoding="utf-8")
    code = (
        "import sys\n"
        "from retell_lint.cli import main\n"
        "code = main(['check', '--fix', 'n.yaml'])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('retell_lint.fix')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=work, check=False
    )
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "0 []"
    assert "Nothing was fixed." in lines


def _all_cases():  # type: ignore[no-untyped-def]
    from fix_cases import STRUCTURE_CASES, VALUE_CASES

    return [*VALUE_CASES, *STRUCTURE_CASES]


@pytest.mark.parametrize("case", _all_cases(), ids=lambda case: case.id)
def test_every_fix_keeps_a_byte_order_mark_and_crlf(work, capsys, case):
    before = b"\xef\xbb\xbf" + case.before.replace("\n", "\r\n").encode()
    (work / "n.yaml").write_bytes(before)
    args = ["check", "--fix", *(["--unsafe-fixes"] if case.unsafe else []), "n.yaml"]
    main(args)
    after = b"\xef\xbb\xbf" + case.after.replace("\n", "\r\n").encode()
    assert (work / "n.yaml").read_bytes() == after


def test_a_skipped_fix_says_why_after_fix(work, capsys):
    (work / "n.yaml").write_text(
        'x-base: &base\n  phone_number_pretty: x\nphone_number: "+14155550123"\n<<: *base\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n",
        encoding="utf-8",
    )
    main(["check", "--fix", "--format", "json", "n.yaml"])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["rule"] == "RL006"
    assert finding["message"].endswith(
        "(not fixed automatically: 'phone_number_pretty' comes from a merge key (<<))"
    )
    assert finding["fix"] is None


def _readme_block(kind: str) -> str:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- readme-lint: {kind} -->\n```\w*\n(.*?)^```$", readme, re.M | re.S)
    assert match is not None, kind
    return match.group(1)


def test_readme_shows_the_real_diff_and_summary_of_the_examples(tmp_path, capsys, monkeypatch):
    import shutil

    examples = Path(__file__).resolve().parents[2] / "examples" / "needs-work"
    shutil.copytree(examples, tmp_path / "examples" / "needs-work")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--diff", "examples/needs-work/legacy-sip-trunk.yaml"]) == 1
    diff = capsys.readouterr().out
    body = diff.split("\n", 3)[3]  # without the ---, +++ and @@ lines
    assert _readme_block("fix-diff") == body
    main(["check", "--fix", "examples/needs-work/"])
    out = capsys.readouterr().out.splitlines()
    for line in _readme_block("fix-summary").splitlines():
        assert line in out


def test_fix_with_another_format_says_what_it_did_on_stderr(work, capsys):
    assert main(["check", "--fix", "--format", "github", "n.yaml"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("::error file=n.yaml,line=6,")
    assert "Fixed 4 findings in 1 file." in captured.err.splitlines()


def test_fixing_is_linear_in_the_number_of_findings(work, capsys):
    import time

    # 20,000 fixable entries: the work per fix must not grow with the file (a quadratic
    # step would take minutes here).
    codes = ", ".join(["us", "ca", "gb", "de", "fr"] * 4000)
    (work / "n.yaml").write_text(
        'phone_number: "+14155550123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
        f"allowed_inbound_country_list: [{codes}]\n",
        encoding="utf-8",
    )
    start = time.perf_counter()
    assert main(["check", "--fix", "--format", "json", "n.yaml"]) == 0
    assert time.perf_counter() - start < 30
    assert (
        (work / "n.yaml")
        .read_text(encoding="utf-8")
        .endswith("allowed_inbound_country_list: [US, CA, GB, DE, FR]\n")
    )
    assert json.loads(capsys.readouterr().out)["summary"]["fixes"]["fixed"] == 20000


def test_diff_with_unsafe_fixes_shows_them_too(work, capsys):
    assert main(["check", "--diff", "--unsafe-fixes", "n.yaml"]) == 1
    captured = capsys.readouterr()
    assert "\n+allowed_inbound_country_list: [US, CA, GB]\n" in captured.out
    assert "Would fix 5 findings in 1 file." in captured.err
    assert (work / "n.yaml").read_text(encoding="utf-8") == FIXABLE


def test_diff_of_stdin_names_it(work, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(FIXABLE.encode())))
    assert main(["check", "--diff", "--stdin-filename", "retell/n.yaml", "-"]) == 1
    assert capsys.readouterr().out.startswith("--- a/retell/n.yaml\n+++ b/retell/n.yaml\n")


def test_fix_then_baseline_records_what_remains(work, capsys):
    assert main(["check", "--fix", "--write-baseline", "base.json", "n.yaml"]) == 0
    entries = json.loads((work / "base.json").read_text(encoding="utf-8"))["entries"]
    assert [(e["rule"], e["path"]) for e in entries] == [
        ("RL201", "allowed_inbound_country_list[2]")
    ]
