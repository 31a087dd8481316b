"""Broken policies are configuration errors: exit 2, one line, the file and line of the
offending key. Policies come from ``policies:`` and from ``policy_files``."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_helpers import dedent

from retell_lint.cli import main
from retell_lint.config import load_config
from retell_lint.errors import FatalError

GOOD = """\
  - id: ACME001
    name: nickname-required
    message: every number needs a nickname
    field: nickname
    require: {present: true}
"""


def load_error(tmp_path: Path, config: str, name: str = ".retell-lint.yaml") -> str:
    path = tmp_path / name
    path.write_text(dedent(config), encoding="utf-8")
    with pytest.raises(FatalError) as caught:
        load_config(str(path))
    return str(caught.value)


def broken(tmp_path: Path, entry: str) -> str:
    """The error of a config whose second policy is ``entry`` (YAML lines from line 7)."""
    text = "policies:\n" + GOOD + "\n".join("  " + line for line in dedent(entry).splitlines())
    return load_error(tmp_path, text + "\n")


def entry(**changes: str) -> str:
    """A valid second policy with some lines replaced (key → the rest of its line)."""
    lines = {
        "id": "ACME002",
        "name": "webhooks-https",
        "message": "webhooks use https",
        "field": "inbound_webhook_url",
        "require": "{pattern: '^https://'}",
    }
    lines.update(changes)
    first, *rest = [f"{key}: {value}" for key, value in lines.items() if value != "-"]
    return "\n".join([f"- {first}", *(f"  {line}" for line in rest)])


@pytest.mark.parametrize(
    ("changes", "line", "needle"),
    [
        ({"id": "acme2"}, 7, "policy id 'acme2' must be capital letters and digits"),
        ({"id": "RL301"}, 7, "RL ids are the built-in rules'"),
        ({"id": "ACME001"}, 7, "policy id ACME001 is already used at"),
        ({"name": "Webhooks"}, 8, "must be kebab-case"),
        ({"name": "nickname-required"}, 8, "policy name 'nickname-required' is already used"),
        ({"name": "weights-sum"}, 8, "is the built-in rule RL301's"),
        ({"message": "''"}, 9, "'message' must be a non-empty string"),
        ({"message": '"two\\nlines"'}, 9, "'message' must be one line"),
        ({"message": '"bell \\a"'}, 9, "printable characters"),
        ({"description": '"\\x1b[31m"'}, 12, "'description' holds control characters"),
        ({"field": "nickame"}, 10, "no field 'nickame'; did you mean 'nickname'?"),
        ({"field": "inbound_agents.weight"}, 10, "write inbound_agents[*].weight"),
        ({"field": "[]"}, 10, "'field' must name at least one path"),
        ({"require": "{patern: x}"}, 11, "unknown assertion 'patern'; did you mean 'pattern'?"),
        ({"require": "{pattern: '(['}"}, 11, "not a valid regular expression"),
        ({"require": "{pattern: 'a{4294967295}'}"}, 11, "largest repetition count is 1000"),
        ({"require": "{pattern: '(?=x)'}"}, 11, "look-ahead is not supported"),
        ({"require": "{min: 3}"}, 11, "'min' applies to numbers; inbound_webhook_url is a string"),
        ({"require": "{type: list}"}, 11, "type list can never hold"),
        ({"require": "[present]"}, 11, "assertions must be a mapping"),
        ({"require": "-"}, 7, "the policy lacks require"),
        ({"severity": "fatal"}, 12, "severity must be one of error, warning, info"),
        ({"scope": "file"}, 12, "scope must be one of number, project"),
        ({"scope": "project"}, 11, "with scope: project, 'require' must be {unique: true}"),
        ({"url": "docs/x.md"}, 12, "'url' must be an http:// or https:// address"),
        ({"enabled": "yes please"}, 12, "'enabled' must be true or false"),
        ({"where": "nickname"}, 12, "'where' must map paths to assertions"),
        ({"where": "{nick: {present: true}}"}, 12, "no field 'nick'; did you mean 'nickname'?"),
        ({"colour": "blue"}, 12, "unknown key 'colour' in a policy"),
        (
            {"descripton": "x"},
            12,
            "unknown key 'descripton' in a policy; did you mean 'description'?",
        ),
    ],
)
def test_each_error_names_the_line_of_the_offending_key(tmp_path, changes, line, needle):
    message = broken(tmp_path, entry(**changes))
    assert message.startswith(f"{tmp_path}/.retell-lint.yaml:{line}: invalid policy: "), message
    assert needle in message
    assert "\n" not in message


def test_errors_deep_in_an_assertion_name_their_own_line(tmp_path):
    text = (
        entry(require="-") + "\n  require:\n    any:\n      - {type: string}\n      - {one_of: [1]}"
    )
    message = broken(tmp_path, text)
    assert message.startswith(f"{tmp_path}/.retell-lint.yaml:14: invalid policy: ")
    assert "1 can never be a value of inbound_webhook_url" in message


def test_policies_must_be_a_list_of_mappings(tmp_path):
    message = load_error(tmp_path, "fail_level: error\npolicies: {id: ACME001}\n")
    assert message.startswith(f"{tmp_path}/.retell-lint.yaml:2: invalid policy: policies must")
    message = load_error(tmp_path, "policies:\n  - ACME001\n")
    assert ":2: invalid policy: each policy must be a mapping" in message


def test_config_rules_know_policy_ids_and_names(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "policies:\n" + GOOD + "rules:\n  ACME001: warning\n  RL204: off\n", encoding="utf-8"
    )
    config = load_config(str(tmp_path / "c.yaml"))
    assert config.rules == {"ACME001": "warning", "RL204": "off"}
    (tmp_path / "c.yaml").write_text(
        "policies:\n" + GOOD + "rules: {nickname-required: off}\n", encoding="utf-8"
    )
    assert load_config(str(tmp_path / "c.yaml")).rules == {"ACME001": "off"}
    message = load_error(tmp_path, "policies:\n" + GOOD + "rules:\n  ACME009: off\n")
    assert ":8:" in message
    assert "unknown rule 'ACME009' (RL011 unknown-rule); did you mean ACME001" in message


# -- policy files -------------------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text), encoding="utf-8")


def test_policy_files_are_globs_relative_to_the_config(tmp_path, monkeypatch):
    write(
        tmp_path / "policies" / "a.yaml", GOOD.replace("  - id", "- id").replace("\n    ", "\n  ")
    )
    write(
        tmp_path / "policies" / "b.yaml",
        entry(),
    )
    write(tmp_path / "proj" / ".retell-lint.yaml", "policy_files: ['../policies/*.yaml']\n")
    monkeypatch.chdir(tmp_path)
    config = load_config(str(tmp_path / "proj" / ".retell-lint.yaml"))
    assert [(p.id, p.source) for p in config.policies] == [
        ("ACME001", "policies/a.yaml:1"),
        ("ACME002", "policies/b.yaml:1"),
    ]


def test_errors_in_a_policy_file_name_that_file(tmp_path, monkeypatch):
    write(tmp_path / "team.yaml", "# team rules\n" + entry(field="nickame"))
    write(tmp_path / ".retell-lint.yaml", "policy_files: [team.yaml]\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FatalError) as caught:
        load_config(".retell-lint.yaml")
    assert str(caught.value).startswith("team.yaml:5: invalid policy: a phone number has no field")


def test_an_id_used_in_the_config_and_in_a_policy_file(tmp_path, monkeypatch):
    write(tmp_path / "team.yaml", entry(id="ACME001"))
    write(tmp_path / ".retell-lint.yaml", "policies:\n" + GOOD + "policy_files: [team.yaml]\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FatalError) as caught:
        load_config(".retell-lint.yaml")
    assert str(caught.value) == (
        "team.yaml:1: invalid policy: policy id ACME001 is already used at .retell-lint.yaml:2"
    )


@pytest.mark.parametrize(
    ("files", "line", "needle"),
    [
        ("[missing/*.yaml]", 2, "policy_files pattern 'missing/*.yaml' matches no file"),
        ("['/etc/*.yaml']", 2, "must be relative to the configuration file"),
        ("{a: 1}", 1, "'policy_files' must be a list of glob patterns"),
    ],
)
def test_bad_policy_files(tmp_path, files, line, needle):
    message = load_error(tmp_path, f"policy_files:\n  {files}\n".replace("\n  {", " {"))
    assert needle in message
    assert f".retell-lint.yaml:{line}: " in message


def test_a_policy_file_must_hold_a_list(tmp_path, monkeypatch):
    write(tmp_path / "team.yaml", "id: ACME001\n")
    write(tmp_path / ".retell-lint.yaml", "policy_files: [team.yaml]\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FatalError) as caught:
        load_config(".retell-lint.yaml")
    assert (
        str(caught.value) == "team.yaml:1: invalid policy: a policy file holds a list of policies"
    )


def test_a_policy_file_with_bad_yaml(tmp_path, monkeypatch):
    write(tmp_path / "team.yaml", "- id: [\n")
    write(tmp_path / ".retell-lint.yaml", "policy_files: [team.yaml]\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FatalError) as caught:
        load_config(".retell-lint.yaml")
    assert str(caught.value).startswith("team.yaml:2:1: invalid YAML")


# -- pyproject.toml -------------------------------------------------------------------------

PYPROJECT = """\
[project]
name = "x"

[tool.retell-lint]
fail_level = "error"

[[tool.retell-lint.policies]]
id = "ACME001"
name = "nickname-required"
message = "every number needs a nickname"
field = "nickname"
require = {present = true}

[[tool.retell-lint.policies]]
id = "ACME002"
name = "webhooks-https"
message = "webhooks use https"
field = "inbound_webhook_url"
require = {patern = "^https://"}
"""


def test_policies_in_pyproject_toml_with_lines(tmp_path):
    message = load_error(tmp_path, PYPROJECT, name="pyproject.toml")
    assert message.startswith(f"{tmp_path}/pyproject.toml:19: invalid policy: unknown assertion")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.replace("patern", "pattern"))
    config = load_config(str(tmp_path / "pyproject.toml"))
    assert [policy.id for policy in config.policies] == ["ACME001", "ACME002"]


def test_a_broken_policy_stops_check_with_exit_2_and_one_line(tmp_path, monkeypatch, capsys):
    write(tmp_path / ".retell-lint.yaml", "policies:\n" + GOOD.replace("nickname\n", "nick\n"))
    write(tmp_path / "retell" / "n.yaml", 'phone_number: "+14157774444"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "invalid policy: a phone number has no field 'nick'" in err
    assert ".retell-lint.yaml:5:" in err
