"""``check`` with environments: every environment by default, ``--env`` narrows, and
project rules (duplicate numbers) look at one account at a time. Also the
configuration's ``environments`` section and its errors."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from retell_lint.cli import main

STAGING_AND_PROD = """
environments:
  staging:
    paths: ["retell/staging/**"]
    api_key_env: RETELL_API_KEY_STAGING
  prod:
    paths: ["retell/prod/**"]
    api_key_env: RETELL_API_KEY_PROD
"""
# Two names for one account: the same variable and the same (default) URL.
ONE_ACCOUNT = """
environments:
  blue:
    paths: ["retell/staging/**"]
    api_key_env: RETELL_API_KEY
  green:
    paths: ["retell/prod/**"]
    api_key_env: RETELL_API_KEY
"""
SHARED = "+14157779999"


def number_file(number: str, nickname: str) -> str:
    return f'phone_numbers:\n  - phone_number: "{number}"\n    nickname: {nickname}\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    for env in ("staging", "prod"):
        folder = tmp_path / "retell" / env
        folder.mkdir(parents=True)
        (folder / "desk.yaml").write_text(number_file(SHARED, f"{env}-desk"), encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def configure(project: Path, text: str) -> None:
    (project / ".retell-lint.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def rules_found(out: str) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["file"]) for f in json.loads(out)["findings"])


def test_same_number_in_two_accounts_is_no_duplicate(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, STAGING_AND_PROD)
    code, out, err = run(capsys, "check", "--format", "json")
    assert code == 0, out + err
    assert [r for r, _ in rules_found(out) if r == "RL103"] == []
    assert json.loads(out)["summary"]["files"] == 2  # both environments were linted


def test_same_number_in_one_account_is_a_duplicate(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, ONE_ACCOUNT)
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 1
    duplicates = [f for f in json.loads(out)["findings"] if f["rule"] == "RL103"]
    assert duplicates, out
    (duplicate,) = duplicates
    # The finding names the other file, and both environments.
    assert duplicate["file"] == "retell/staging/desk.yaml"
    assert "first declared at retell/prod/desk.yaml:2" in duplicate["message"]
    assert "by environments 'blue' and 'green', which are one account" in duplicate["message"]


def test_without_environments_the_tree_is_one_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As before environments existed: one number in two files is a duplicate.
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 1
    assert "RL103" in [r for r, _ in rules_found(out)]
    assert "environment" not in json.loads(out)


def test_duplicate_within_one_environment_is_still_found(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, STAGING_AND_PROD)
    (project / "retell/prod/again.yaml").write_text(number_file(SHARED, "again"), "utf-8")
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 1
    duplicates = [f for f in json.loads(out)["findings"] if f["rule"] == "RL103"]
    assert [f["file"] for f in duplicates] == ["retell/prod/desk.yaml"]
    # Within one environment there is no other environment to name.
    assert "environments" not in duplicates[0]["message"]


def test_check_env_narrows_and_names_the_environment(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, STAGING_AND_PROD)
    (project / "retell/prod/broken.yaml").write_text("phone_numbers: [\n", "utf-8")
    code, out, err = run(capsys, "check", "--env", "staging", "--format", "json")
    assert code == 0, out + err
    document = json.loads(out)
    assert document["environment"] == {"name": "staging"}
    assert document["summary"]["files"] == 1
    code, out, _ = run(capsys, "check", "--env", "staging")
    assert code == 0
    assert out.splitlines()[0] == "Environment: staging"
    code, out, _ = run(capsys, "check", "--env", "staging", "--format", "sarif")
    assert json.loads(out)["runs"][0]["properties"] == {"environment": "staging"}
    # All environments: the broken prod file is linted too.
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 1
    assert "retell/prod/broken.yaml" in {f for _, f in rules_found(out)}


def test_check_env_refuses_files_of_another_environment(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, STAGING_AND_PROD)
    code, _, err = run(capsys, "check", "--env", "staging", "retell/prod/desk.yaml")
    assert code == 2
    assert "(it belongs to 'prod')" in err
    code, _, err = run(capsys, "check", "--env", "qa")
    assert code == 2 and "known: prod, staging" in err


def test_a_file_owned_by_two_environments_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overlapping = STAGING_AND_PROD.replace(
        '["retell/prod/**"]', '["retell/prod/**", "**/desk.yaml"]'
    )
    assert overlapping != STAGING_AND_PROD
    configure(project, overlapping)
    code, _, err = run(capsys, "check")
    assert code == 2
    assert "retell/staging/desk.yaml is owned by two environments, 'staging' and 'prod'" in err


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("environments: []\n", 1, "'environments' must map names"),
        ("environments:\n  prod: {paths: [a/**]}\n", 2, "needs 'api_key_env'"),
        (
            "environments:\n  prod:\n    paths: [a/**]\n    api_key_env: 'RETELL KEY'\n",
            4,
            "needs 'api_key_env'",
        ),
        ("environments:\n  prod:\n    api_key_env: K\n", 2, "needs 'paths'"),
        (
            "environments:\n  prod:\n    paths: [a]\n    api_key_env: K\n    region: eu\n",
            5,
            "unknown key 'environments.prod.region'",
        ),
        (
            "environments:\n  prod:\n    paths: [a]\n    api_key_env: K\n"
            "    base_url: http://api.example.com\n",
            5,
            "environment 'prod'",
        ),
        ("environments:\n  'pr od': {paths: [a], api_key_env: K}\n", 2, "environment name"),
    ],
)
def test_environment_config_errors_name_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str], body: str, line: int, message: str
) -> None:
    configure(project, body)
    code, _, err = run(capsys, "check")
    assert code == 2
    assert f".retell-lint.yaml:{line}" in err, err
    assert message in err, err
    assert "Traceback" not in err


def test_include_defaults_to_every_environment_files(project: Path) -> None:
    from retell_lint.config import load_config

    configure(project, STAGING_AND_PROD)
    config = load_config()
    assert config.include == ["retell/staging/**", "retell/prod/**"]
    assert sorted(config.environments) == ["prod", "staging"]
    assert config.environments["prod"].api_key_env == "RETELL_API_KEY_PROD"


def test_check_env_statistics_names_the_environment_and_quiet_does_not(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, STAGING_AND_PROD)
    (project / "retell/staging/bad.yaml").write_text(number_file("+1415", "bad"), "utf-8")
    code, out, _ = run(capsys, "check", "--env", "staging", "--statistics")
    assert code == 1
    assert out.splitlines()[0] == "Environment: staging"
    assert "RL102" in out  # the table follows
    # --quiet prints the findings and nothing else.
    code, out, _ = run(capsys, "check", "--env", "staging", "--quiet")
    assert code == 1
    assert "Environment:" not in out
    assert "retell/staging/bad.yaml" in out
