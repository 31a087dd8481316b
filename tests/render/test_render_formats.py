"""The sarif, github, junit and concise formats of ``check``, through the real CLI."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from junitparser import Failure, JUnitXml
from report_helpers import assert_valid_sarif, finding, result_of

from retell_lint import __version__, catalogue
from retell_lint.cli import main
from retell_lint.findings import ToolError, rule_url
from retell_lint.render import concise, github, junit, sarif

ACCEPTANCE = Path(__file__).resolve().parents[2].parent / "shared" / "acceptance"

MULTI = {
    "main.yaml": """\
phone_number: "+14157774444"
nickname: front desk
inbound_agents:
  - agent_id: agent_7c2b9e4d1f0a4b3c8e5d6f7a9b
    weight: 0.6
  - agent_id: agent_1c2b9e4d1f0a4b3c8e5d6f7a9b
    weight: 0.3
allowed_inbound_country_list:
  - GB
  - UK
fallback_number: "+14157774444"
colour: blue
""",
    "other.yaml": "phone_number: 4155550123\n",
    "clean.yaml": """\
phone_number: "+14155550199"
inbound_agents:
  - agent_id: agent_7c2b9e4d1f0a4b3c8e5d6f7a9b
    weight: 1
""",
}
CONCISE_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (RL\d{3}) \[(error|warning|info)\] \S"
)
GITHUB_LINE = re.compile(
    r"^::(?P<command>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_multi(directory: Path) -> list[str]:
    for name, text in MULTI.items():
        (directory / name).write_text(text, encoding="utf-8")
    return sorted(MULTI)


def unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_github(output: str) -> list[tuple[str, dict[str, str], str]]:
    commands = []
    for line in output.splitlines():
        if not line.startswith("::"):
            continue
        match = GITHUB_LINE.match(line)
        assert match, line
        props: dict[str, str] = {}
        for pair in (match["props"] or "").split(",") if match["props"] else []:
            key, _, value = pair.partition("=")
            props[key] = unescape(value)
        commands.append((match["command"], props, unescape(match["data"])))
    return commands


# --- SARIF -------------------------------------------------------------------


def acceptance_cases() -> list[Path]:
    if not ACCEPTANCE.is_dir():
        return []
    return sorted(case for case in ACCEPTANCE.iterdir() if (case / "expect.yaml").is_file())


@pytest.mark.skipif(not ACCEPTANCE.is_dir(), reason="shared/acceptance is not beside the repo")
@pytest.mark.parametrize("case", acceptance_cases(), ids=lambda case: case.name)
def test_sarif_of_acceptance_case_is_valid(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case)
    files = sorted(
        p.name for p in case.iterdir() if p.suffix in (".yaml", ".yml") and p.name != "expect.yaml"
    )
    code, out, _ = run(capsys, "--format", "sarif", *files)
    report = json.loads(out)
    assert_valid_sarif(report)
    json_code, json_out, _ = run(capsys, "--format", "json", *files)
    assert code == json_code
    findings = json.loads(json_out)["findings"]
    results = report["runs"][0]["results"]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
    ] == [(f["rule"], f["line"]) for f in findings]
    assert report["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_driver_describes_every_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = write_multi(tmp_path)
    _, out, _ = run(capsys, "--format", "sarif", *files)
    report = json.loads(out)
    assert report["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert report["version"] == "2.1.0"
    assert len(report["runs"]) == 1
    driver = report["runs"][0]["tool"]["driver"]
    assert driver["name"] == "retell-lint"
    assert driver["version"] == __version__
    assert driver["informationUri"] == "https://github.com/retell-lint/retell-lint"
    rules = catalogue.load()
    assert [d["id"] for d in driver["rules"]] == list(rules)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor in driver["rules"]:
        rule = rules[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.rationale
        assert descriptor["help"]["text"] == rule.fix
        assert descriptor["helpUri"] == rule_url(rule.id, rule.name)
        config = descriptor["defaultConfiguration"]
        assert config["level"] == levels[rule.severity]
        assert config.get("enabled", True) is rule.enabled
    results = report["runs"][0]["results"]
    assert results
    for item in results:
        assert driver["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"] in MULTI
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (
            region["startLine"],
            region["startColumn"],
        )
        assert item["partialFingerprints"]
    fingerprints = [tuple(r["partialFingerprints"].items()) for r in results]
    assert len(set(fingerprints)) == len(fingerprints)
    assert_valid_sarif(report)


def test_sarif_with_tool_errors_is_valid() -> None:
    errors = [
        ToolError("cannot read: Permission denied", "sub dir/x.yaml"),
        ToolError("is a folder, not a file", "/abs/folder.yaml"),
        ToolError("something went wrong"),
    ]
    report = json.loads(sarif.render(result_of([finding()], errors)))
    assert_valid_sarif(report)
    invocation = report["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [e.message for e in errors]
    assert all(n["level"] == "error" for n in notes)
    first = notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert first == {"uri": "sub%20dir/x.yaml", "uriBaseId": "%SRCROOT%"}
    second = notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert second == {"uri": "file:///abs/folder.yaml"}
    assert "locations" not in notes[2]


def test_sarif_regions_never_end_before_they_start() -> None:
    odd = [
        finding(line=0, column=0, end_line=0, end_column=0),
        finding(line=5, column=7, end_line=5, end_column=3),
        finding(line=5, column=7, end_line=4, end_column=1),
        finding(line=3, column=4, end_line=6, end_column=1, file=".\\dir\\n.yaml", path=""),
    ]
    report = json.loads(sarif.render(result_of(odd)))
    assert_valid_sarif(report)
    regions = [
        r["locations"][0]["physicalLocation"]["region"] for r in report["runs"][0]["results"]
    ]
    for region in regions:
        assert region["startLine"] >= 1 and region["startColumn"] >= 1 and region["endColumn"] >= 1
        if region["endLine"] == region["startLine"]:
            assert region["endColumn"] >= region["startColumn"]
        assert region["endLine"] >= region["startLine"]
    assert regions[3] == {"startLine": 3, "startColumn": 4, "endLine": 6, "endColumn": 1}
    uri = report["runs"][0]["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "dir/n.yaml", "uriBaseId": "%SRCROOT%"}


def test_sarif_carries_yaml_path_and_phone_number() -> None:
    report = json.loads(sarif.render(result_of([finding(severity="info")])))
    item = report["runs"][0]["results"][0]
    assert item["level"] == "note"
    assert item["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "inbound_agents"
    assert item["properties"]["yamlPath"] == "inbound_agents"
    assert item["properties"]["phoneNumber"] == "+14157774444"


def test_sarif_fingerprint_survives_line_shifts() -> None:
    before = json.loads(sarif.render(result_of([finding(line=2, end_line=2)])))
    after = json.loads(sarif.render(result_of([finding(line=7, end_line=7)])))
    other = json.loads(sarif.render(result_of([finding(path="fallback_number")])))

    def prints(report: dict[str, Any]) -> dict[str, str]:
        fingerprints: dict[str, str] = report["runs"][0]["results"][0]["partialFingerprints"]
        return fingerprints

    assert prints(before) == prints(after)
    assert prints(before) != prints(other)


# --- agreement between formats -------------------------------------------------


def test_github_junit_and_sarif_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = write_multi(tmp_path)

    _, json_out, _ = run(capsys, "--format", "json", *files)
    expected = sorted(
        (f["file"], f["rule"], f["line"], f["column"]) for f in json.loads(json_out)["findings"]
    )
    assert len(expected) >= 5
    assert len({rule for _, rule, _, _ in expected}) >= 4

    _, gh_out, _ = run(capsys, "--format", "github", *files)
    from_github = sorted(
        (props["file"], props["title"].split()[0], int(props["line"]), int(props["col"]))
        for _, props, _ in parse_github(gh_out)
    )

    _, junit_out, _ = run(capsys, "--format", "junit", *files, "--fail-level", "info")
    root = ET.fromstring(junit_out.encode("utf-8"))
    from_junit = []
    for case in root.iter("testcase"):
        for failure in case.findall("failure"):
            for line in (failure.text or "").splitlines():
                file, line_no, column, rest = line.split(":", 3)
                assert file == case.get("name")
                from_junit.append((file, rest.split()[0], int(line_no), int(column)))
    from_junit.sort()

    _, sarif_out, _ = run(capsys, "--format", "sarif", *files)
    from_sarif = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in json.loads(sarif_out)["runs"][0]["results"]
    )

    _, concise_out, _ = run(capsys, "--format", "concise", *files)
    from_concise = sorted(
        (m["file"], m[4], int(m["line"]), int(m["col"]))
        for m in map(CONCISE_LINE.match, concise_out.splitlines())
        if m
    )

    assert from_github == from_junit == from_sarif == from_concise == expected


# --- github ---------------------------------------------------------------------


def test_github_escaping() -> None:
    assert github.escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    tricky = finding(
        file="dir,x/a:b%.yaml",
        message="weights 100%\nraise one: a, b\r",
        severity="warning",
    )
    line = github.annotation(tricky)
    assert "\n" not in line and "\r" not in line
    ((command, props, data),) = parse_github(line)
    assert command == "warning"
    assert props == {
        "file": "dir,x/a:b%.yaml",
        "line": "2",
        "col": "3",
        "endLine": "2",
        "endColumn": "9",
        "title": "RL301 weights-sum",
    }
    assert data == tricky.message
    assert line.startswith("::warning file=dir%2Cx/a%3Ab%25.yaml,line=2,col=3,")


def test_github_levels_multiline_spans_and_tool_errors() -> None:
    findings = [
        finding(severity="info"),
        finding(severity="error", line=3, end_line=5, end_column=2),
    ]
    errors = [ToolError("cannot read: boom", "x.yaml"), ToolError("no: config, here")]
    out = github.render(result_of(findings, errors))
    commands = parse_github(out)
    # Most severe first: tool errors, then findings by severity.
    assert [c for c, _, _ in commands] == ["error", "error", "error", "notice"]
    assert commands[0][1] == {"file": "x.yaml"} and commands[0][2] == "cannot read: boom"
    assert out.splitlines()[1] == "::error::no: config, here"
    # The runner drops columns when a range spans lines: keep the start position.
    assert commands[2][1] == {
        "file": "n.yaml",
        "line": "3",
        "col": "3",
        "title": "RL301 weights-sum",
    }
    assert not out.splitlines()[-1].startswith("::")


def test_github_actions_env_selects_github_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = write_multi(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run(capsys, *files)
    assert code == 1
    lines = out.splitlines()
    assert lines[:-1] and all(GITHUB_LINE.match(line) for line in lines[:-1])
    assert lines[-1].startswith("Found ")
    monkeypatch.delenv("GITHUB_ACTIONS")
    _, text_out, _ = run(capsys, *files)
    assert not any(line.startswith("::") for line in text_out.splitlines())


# --- junit ----------------------------------------------------------------------


def junit_suite(out: str) -> JUnitXml:
    """The report as the junitparser package (what CI test-report tools use) reads it."""
    xml = JUnitXml.fromstring(out)
    suites = list(xml)
    assert len(suites) == 1
    suite: JUnitXml = suites[0]
    return suite


def test_junit_counts_and_cases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = write_multi(tmp_path)
    code, out, _ = run(capsys, "--format", "junit", *files)
    assert code == 1
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    suite = junit_suite(out)
    assert suite.name == "retell-lint"
    cases = {case.name: case for case in suite}
    assert list(cases) == sorted(MULTI)
    assert all(case.classname == "retell-lint" for case in cases.values())
    _, json_out, _ = run(capsys, "--format", "json", *files)
    report = json.loads(json_out)
    by_file: dict[str, list[dict[str, Any]]] = {}
    for item in report["findings"]:
        by_file.setdefault(item["file"], []).append(item)
    # main.yaml and other.yaml have errors: they fail; clean.yaml passes.
    assert (suite.tests, suite.failures, suite.errors) == (3, 2, 0)
    assert suite.failures <= suite.tests
    assert cases["clean.yaml"].is_passed
    for name in ("main.yaml", "other.yaml"):
        (failure,) = cases[name].result
        assert isinstance(failure, Failure)
        # Every finding of the file, one per line, whatever its severity.
        assert failure.text.splitlines() == [
            f"{f['file']}:{f['line']}:{f['column']}: {f['rule']} [{f['severity']}] "
            f"{f['message']} ({f['name']})"
            for f in by_file[name]
        ]
        first = next(f for f in by_file[name] if f["severity"] == "error")
        assert failure.type == "error"
        assert f"{first['rule']} {first['name']}: {first['message']}" in failure.message


def test_junit_passing_run_has_no_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Warnings and info only: the run passes at the default fail level (error), so no
    # test case may fail; the findings go to each file's system-out.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(
        MULTI["clean.yaml"] + "allowed_inbound_country_list: [US, US]\n"
    )
    (tmp_path / "b.yaml").write_text(
        MULTI["clean.yaml"].replace("0199", "0198") + "allowed_inbound_country_list: []\n"
    )
    (tmp_path / "c.yaml").write_text(MULTI["clean.yaml"].replace("0199", "0197"))
    code, out, _ = run(capsys, "--format", "junit", "a.yaml", "b.yaml", "c.yaml")
    assert code == 0
    suite = junit_suite(out)
    assert (suite.tests, suite.failures, suite.errors) == (3, 0, 0)
    cases = {case.name: case for case in suite}
    assert all(case.is_passed for case in cases.values())
    assert "RL202 [warning]" in (cases["a.yaml"].system_out or "")
    assert "RL204 [info]" in (cases["b.yaml"].system_out or "")
    assert cases["c.yaml"].system_out is None
    # The same findings fail the files at a lower fail level.
    code, out, _ = run(capsys, "--format", "junit", "--fail-level", "info", "a.yaml", "b.yaml")
    assert code == 1
    suite = junit_suite(out)
    assert (suite.tests, suite.failures) == (2, 2)
    for case in suite:
        (failure,) = case.result
        assert isinstance(failure, Failure)
        assert case.system_out is None


def test_junit_tool_errors_and_unsafe_characters() -> None:
    findings = [finding(message="bad \x00 byte \x1b[31m and \ud800")]
    errors = [
        ToolError("cannot read: boom", "b.yaml"),
        ToolError("cannot read: gone", "n.yaml"),
        ToolError("no file here"),
    ]
    out = junit.render(result_of(findings, errors))
    root = ET.fromstring(out.encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None
    assert [c.get("name") for c in suite.findall("testcase")] == ["b.yaml", "n.yaml", "retell-lint"]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "3")
    assert [e.get("message") for e in suite.findall("testcase[@name='b.yaml']/error")] == [
        "cannot read: boom"
    ]
    assert len(suite.findall("testcase[@name='n.yaml']/error")) == 1
    assert len(suite.findall("testcase[@name='n.yaml']/failure")) == 1
    message = suite.findall("testcase/failure")[0].get("message", "")
    assert "\x00" not in message and "\ufffd" in message


# --- concise --------------------------------------------------------------------


def test_concise_line_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = write_multi(tmp_path)
    code, out, _ = run(capsys, "--format", "concise", *files)
    assert code == 1
    lines = out.splitlines()
    _, json_out, _ = run(capsys, "--format", "json", *files)
    findings = json.loads(json_out)["findings"]
    assert lines[:-1] == [
        f"{f['file']}:{f['line']}:{f['column']}: {f['rule']} [{f['severity']}] {f['message']}"
        for f in findings
    ]
    assert all(CONCISE_LINE.match(line) for line in lines[:-1])
    assert re.match(r"^Found \d+ errors?( .*)? in 2 of 3 files \(3 numbers\)\.$", lines[-1])


def test_concise_tool_errors_and_clean_run() -> None:
    out = concise.render(result_of([], [ToolError("cannot read: boom", "x.yaml")]))
    assert out.splitlines() == [
        "error: x.yaml: cannot read: boom",
        "Not checked: 1 error (0 files, 0 numbers).",  # never "All checks passed" beside an error
    ]
