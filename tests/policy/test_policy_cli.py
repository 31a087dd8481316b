"""Team policies through the command line: every report format, --fail-level,
baselines, ``rules``, ``explain`` and ``schema --policies``."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from policy_helpers import NUMBER, dedent
from report_helpers import assert_valid_sarif

from retell_lint.cli import main
from retell_lint.policy.schema import render_schema

ROOT = Path(__file__).resolve().parents[2]
CONFIG = r"""
policies:
  - id: ACME001
    name: webhooks-on-our-domain
    message: inbound webhooks must go to hooks.acme.com
    description: Our gateway authenticates Retell; other hosts do not.
    url: https://wiki.acme.example/retell#webhooks
    field: inbound_webhook_url
    require: {pattern: '^https://hooks\.acme\.com/'}
  - id: ACME002
    name: nickname-required
    severity: warning
    message: every number needs a nickname
    field: nickname
    require: {present: true}
"""
BAD = NUMBER.replace("nickname: Front desk\n", "") + "inbound_webhook_url: https://x.example/\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".retell-lint.yaml").write_text(dedent(CONFIG), encoding="utf-8")
    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / "n.yaml").write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text(project, capsys):
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert (
        "retell/n.yaml:7:22: ACME001 [error] inbound webhooks must go to hooks.acme.com "
        "(inbound_webhook_url: 'https://x.example/' does not match "
        "'^https://hooks\\.acme\\.com/') (webhooks-on-our-domain)"
    ) in out
    assert "retell/n.yaml:1:1: ACME002 [warning] every number needs a nickname" in out
    assert "Found 1 error and 1 warning in 1 of 1 file" in out


def test_json_has_the_same_shape_with_the_policy_url(project, capsys):
    code, out, _ = run(capsys, "check", "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["rule"], f["name"], f["line"], f["path"], f["url"]) for f in findings] == [
        ("ACME002", "nickname-required", 1, "nickname", None),
        (
            "ACME001",
            "webhooks-on-our-domain",
            7,
            "inbound_webhook_url",
            "https://wiki.acme.example/retell#webhooks",
        ),
    ]
    assert set(findings[0]) == {
        "rule", "name", "severity", "message", "file", "line", "column",
        "end_line", "end_column", "path", "phone_number", "url", "fix",
    }  # fmt: skip


def test_sarif_describes_policies(project, capsys):
    _, out, _ = run(capsys, "check", "--format", "sarif")
    report = json.loads(out)
    assert_valid_sarif(report)
    run_ = report["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    assert [rule["id"] for rule in rules][-2:] == ["ACME001", "ACME002"]
    webhooks = by_id["ACME001"]
    assert webhooks["name"] == "webhooks-on-our-domain"
    assert webhooks["shortDescription"]["text"] == "inbound webhooks must go to hooks.acme.com"
    assert webhooks["help"]["text"] == "Our gateway authenticates Retell; other hosts do not."
    assert webhooks["helpUri"] == "https://wiki.acme.example/retell#webhooks"
    assert "helpUri" not in by_id["ACME002"]
    assert by_id["ACME002"]["defaultConfiguration"] == {"level": "warning"}
    results = {r["ruleId"]: r for r in run_["results"]}
    assert rules[results["ACME001"]["ruleIndex"]]["id"] == "ACME001"
    assert results["ACME001"]["properties"]["yamlPath"] == "inbound_webhook_url"


def test_github_concise_and_junit(project, capsys):
    _, out, _ = run(capsys, "check", "--format", "github")
    assert "::error file=retell/n.yaml,line=7,col=22" in out
    assert "title=ACME001" in out
    _, out, _ = run(capsys, "check", "--format", "concise")
    assert "retell/n.yaml:7:22: ACME001 [error] inbound webhooks" in out
    _, out, _ = run(capsys, "check", "--format", "junit")
    cases = ET.fromstring(out).iter("testcase")
    failures = [f.attrib.get("message", "") + (f.text or "") for c in cases for f in c]
    assert any("ACME001" in failure for failure in failures)


def test_fail_level(project, capsys):
    (project / "retell" / "n.yaml").write_text(
        BAD.replace("https://x.example/", "https://hooks.acme.com/in"), encoding="utf-8"
    )
    assert run(capsys, "check")[0] == 0  # only the ACME002 warning
    assert run(capsys, "check", "--fail-level", "warning")[0] == 1


def test_baseline_records_and_hides_policy_findings(project, capsys):
    code, _, err = run(capsys, "check", "--write-baseline", "base.json")
    assert code == 0 and "recorded 2 findings" in err
    entries = json.loads((project / "base.json").read_text())["entries"]
    assert {(e["rule"], e["path"]) for e in entries} == {
        ("ACME001", "inbound_webhook_url"),
        ("ACME002", "nickname"),
    }
    assert run(capsys, "check", "--baseline", "base.json")[0] == 0
    # A new finding of the same policy elsewhere is not hidden.
    (project / "retell" / "m.yaml").write_text(
        BAD.replace("4444", "4445").replace("x.example", "y.example"), encoding="utf-8"
    )
    code, out, _ = run(capsys, "check", "--baseline", "base.json", "--format", "concise")
    assert code == 1
    assert [line.split(" ")[1] for line in out.splitlines() if "retell/m.yaml" in line] == [
        "ACME002",
        "ACME001",
    ]


def test_rules_lists_policies_after_the_built_in_rules(project, capsys):
    code, out, _ = run(capsys, "rules")
    lines = out.splitlines()
    assert code == 0
    assert lines[-2].startswith("ACME001  webhooks-on-our-domain ")
    assert lines[-2].endswith("[policy: .retell-lint.yaml:2]")
    assert lines[-1].startswith("ACME002  nickname-required ")
    assert lines[0].startswith("ID ")
    assert all(line.startswith("RL") for line in lines[1:-2])
    rows = json.loads(run(capsys, "rules", "--format", "json")[1])["rules"]
    assert rows[-1] == {
        "id": "ACME002",
        "name": "nickname-required",
        "severity": "warning",
        "enabled": True,
        "online": False,
        "fix": [],
        "summary": "every number needs a nickname",
        "source": ".retell-lint.yaml:9",
    }


def test_explain_a_policy_by_id_and_by_name(project, capsys):
    code, out, _ = run(capsys, "explain", "ACME001")
    assert code == 0
    assert out.splitlines()[:4] == [
        "ACME001 webhooks-on-our-domain [error, on by default]",
        "Team policy, defined at .retell-lint.yaml:2",
        "",
        "inbound webhooks must go to hooks.acme.com",
    ]
    assert "Description:\n    Our gateway authenticates Retell; other hosts do not." in out
    assert "Field:\n    inbound_webhook_url" in out
    assert 'Require:\n    pattern: "^https://hooks\\\\.acme\\\\.com/"' in out
    assert "More: https://wiki.acme.example/retell#webhooks" in out
    assert run(capsys, "explain", "nickname-required")[1].startswith("ACME002 nickname-required")
    assert "Where" not in out
    code, _, err = run(capsys, "explain", "ACME003")
    assert code == 2
    assert "unknown rule 'ACME003'; did you mean ACME001 (webhooks-on-our-domain) or ACME002" in err
    code, _, err = run(capsys, "explain", "nickname-requird")
    assert code == 2 and "did you mean nickname-required (ACME002)?" in err


def test_explain_of_a_built_in_rule_is_unchanged(project, capsys):
    assert run(capsys, "explain", "RL301")[1].startswith("RL301 weights-sum")


def test_schema_for_policy_files_is_published(capsys):
    code, out, _ = run(capsys, "schema", "--policies")
    assert code == 0
    published = ROOT / "docs" / "retell-lint-policies.schema.json"
    assert out == published.read_text(encoding="utf-8"), (
        "stale: retell-lint schema --policies -o docs/retell-lint-policies.schema.json"
    )
    assert out == render_schema()


def test_example_policies_validate_against_the_schema():
    import jsonschema
    from ruamel.yaml import YAML

    schema = json.loads(render_schema())
    jsonschema.Draft202012Validator.check_schema(schema)
    data = YAML(typ="safe").load((ROOT / "examples" / "policies.yaml").read_text())
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors == []
    assert list(jsonschema.Draft202012Validator(schema).iter_errors([{"id": "RL001"}]))


def test_the_examples_are_checked_against_the_example_policies(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run(
        capsys, "check", "--config", "examples/.retell-lint.yaml", "--format", "json", "examples"
    )
    findings = json.loads(out)["findings"]
    policy = [(f["file"], f["rule"]) for f in findings if not f["rule"].startswith("RL")]
    assert code == 1
    # The clean examples follow every policy; the needs-work ones do not.
    assert {file for file, _rule in policy} == {
        "examples/needs-work/imported-from-dashboard.yaml",
        "examples/needs-work/legacy-sip-trunk.yaml",
    }
    assert {rule for _file, rule in policy} == {"ACME001", "ACME003"}
    # The README shows these findings as the text report prints them.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = readme.split("<!-- readme-lint: policy-output -->\n```text\n", 1)[1]
    sample = sample.split("```", 1)[0]
    _, text, _ = run(capsys, "check", "--config", "examples/.retell-lint.yaml", "examples")
    for line in sample.splitlines():
        assert line in text.splitlines()
