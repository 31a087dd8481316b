"""Environments end to end: staging and prod, each its own fake Retell account at once.

Every run must use only the chosen environment's files, key and URL: the other
account is checked to have seen no request at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from drift_support import Cli
from fake_retell import FakeRetell

STAGING_KEY = "key_STAGINGCANARY_0a1b2c3d4e5f60718293"
PROD_KEY = "key_PRODCANARY_9f8e7d6c5b4a39281706"
STAGING_NUMBER = "+14157770001"
PROD_NUMBER = "+14157770002"
# Declared in both environments' files: no duplicate, since they are two accounts.
SHARED_NUMBER = "+14157779999"


@pytest.fixture
def staging() -> Iterator[FakeRetell]:
    server = FakeRetell(api_key=STAGING_KEY).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def prod() -> Iterator[FakeRetell]:
    server = FakeRetell(api_key=PROD_KEY).start()
    try:
        yield server
    finally:
        server.stop()


def config_text(staging: FakeRetell, prod: FakeRetell) -> str:
    return f"""
        environments:
          staging:
            paths: ["retell/staging/**"]
            api_key_env: RETELL_API_KEY_STAGING
            base_url: {staging.base_url}
          prod:
            paths: ["retell/prod/**"]
            api_key_env: RETELL_API_KEY_PROD
            base_url: {prod.base_url}
        """


def number_file(number: str, nickname: str) -> str:
    return f"""
        phone_numbers:
          - phone_number: "{number}"
            nickname: {nickname}
        """


class EnvCli(Cli):
    """The CLI in a project with staging and prod; neither key may ever be shown."""

    staging_url = ""

    def __call__(self, *args: str):  # type: ignore[no-untyped-def]
        result = super().__call__(*args)
        for text in (result.out, result.err):
            assert STAGING_KEY not in text and PROD_KEY not in text
        return result


@pytest.fixture
def cli(
    staging: FakeRetell,
    prod: FakeRetell,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> EnvCli:
    runner = EnvCli(monkeypatch, capsys, tmp_path, None)
    runner.staging_url = staging.base_url
    monkeypatch.setenv("RETELL_API_KEY_STAGING", STAGING_KEY)
    monkeypatch.setenv("RETELL_API_KEY_PROD", PROD_KEY)
    runner.write(".retell-lint.yaml", config_text(staging, prod))
    runner.write("retell/staging/numbers.yaml", number_file(STAGING_NUMBER, "Staging desk"))
    runner.write("retell/staging/shared.yaml", number_file(SHARED_NUMBER, "Shared"))
    runner.write("retell/prod/numbers.yaml", number_file(PROD_NUMBER, "Prod desk"))
    runner.write("retell/prod/shared.yaml", number_file(SHARED_NUMBER, "Shared"))
    staging.add_number(STAGING_NUMBER, nickname="Old staging")
    staging.add_number(SHARED_NUMBER, nickname="Shared")
    prod.add_number(PROD_NUMBER, nickname="Old prod")
    prod.add_number(SHARED_NUMBER, nickname="Shared")
    return runner


# -- choosing an environment ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["drift"], ["plan"], ["apply", "--yes"], ["snapshot"], ["export"]],
)
def test_account_commands_require_env_and_list_the_names(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell, command: list[str]
) -> None:
    result = cli(*command)
    assert result.code == 2
    assert "needs --env NAME" in result.err and "(prod, staging)" in result.err
    unknown = cli(*command, "--env", "qa")
    assert unknown.code == 2
    assert "unknown environment 'qa' (known: prod, staging)" in unknown.err
    assert staging.request_log == [] and prod.request_log == []


def test_env_without_environments_is_a_usage_error(
    cli: EnvCli, staging: FakeRetell, tmp_path: Path
) -> None:
    (tmp_path / ".retell-lint.yaml").write_text("fail_level: error\n", encoding="utf-8")
    result = cli("drift", "--env", "staging")
    assert result.code == 2
    assert "defines no environments" in result.err
    assert staging.request_log == []


def test_one_environment_needs_no_env(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell, tmp_path: Path
) -> None:
    cli.write(
        ".retell-lint.yaml",
        f"""
        environments:
          staging:
            paths: ["retell/staging/**"]
            api_key_env: RETELL_API_KEY_STAGING
            base_url: {staging.base_url}
        """,
    )
    result = cli("drift")
    assert result.code == 1, result.err
    assert result.out.splitlines()[0] == "Environment: staging"
    assert prod.request_log == []


# -- drift: only the environment's files, key and URL ---------------------------------------


def test_drift_reads_only_its_files_and_its_account(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell
) -> None:
    # A broken prod file must not matter to a staging run: it is never read.
    cli.write("retell/prod/broken.yaml", "phone_numbers: [\n")
    result = cli("drift", "--env", "staging", "--format", "json")
    assert result.code == 1, result.err
    document = result.json()
    assert document["environment"]["name"] == "staging"
    statuses = {n["phone_number"]: n["status"] for n in document["numbers"]}
    assert statuses == {STAGING_NUMBER: "changed", SHARED_NUMBER: "in_sync"}
    assert all(n["file"].startswith("retell/staging/") for n in document["numbers"])
    assert staging.request_log and prod.request_log == []
    assert all(r.headers.get("authorization") == f"Bearer {STAGING_KEY}" for r in staging.requests)


def test_drift_reports_name_the_environment(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell
) -> None:
    text = cli("drift", "--env", "prod")
    assert text.code == 1
    assert text.out.splitlines()[0] == "Environment: prod"
    markdown = cli("drift", "--env", "prod", "--format", "markdown")
    assert markdown.out.splitlines()[0] == "### retell-lint drift (prod)"
    assert staging.request_log == []


def test_missing_key_names_the_variable(
    cli: EnvCli, staging: FakeRetell, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RETELL_API_KEY_STAGING")
    monkeypatch.setenv("RETELL_API_KEY", PROD_KEY)  # never used in its place
    result = cli("drift", "--env", "staging")
    assert result.code == 2
    assert "RETELL_API_KEY_STAGING, which is not set" in result.err
    assert staging.request_log == []


def test_a_file_of_another_environment_is_refused(cli: EnvCli, prod: FakeRetell) -> None:
    result = cli("drift", "--env", "staging", "retell/prod/numbers.yaml")
    assert result.code == 2
    assert "not one of environment 'staging''s files (it belongs to 'prod')" in result.err
    assert prod.request_log == []


# -- plan and apply ---------------------------------------------------------------------------


def test_plan_and_apply_write_only_to_their_account(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell
) -> None:
    plan = cli("plan", "--env", "prod")
    assert plan.code == 1
    assert plan.out.splitlines()[0] == "Environment: prod"
    markdown = cli("plan", "--env", "prod", "--format", "markdown")
    assert markdown.out.splitlines()[0] == "### retell-lint plan (prod)"
    applied = cli("apply", "--env", "prod", "--yes")
    assert applied.code == 0, applied.err
    assert applied.out.splitlines()[0] == "Environment: prod"
    assert [(r.method, r.path) for r in prod.writes()] == [
        ("PATCH", f"/update-phone-number/{PROD_NUMBER}")
    ]
    assert prod.numbers[PROD_NUMBER]["nickname"] == "Prod desk"
    assert staging.request_log == []
    assert staging.numbers[STAGING_NUMBER]["nickname"] == "Old staging"


def test_saved_plan_records_environment_and_account_not_the_key(
    cli: EnvCli, tmp_path: Path
) -> None:
    assert cli("plan", "--env", "staging", "-o", "plan.json").code == 1
    text = (tmp_path / "plan.json").read_text(encoding="utf-8")
    assert STAGING_KEY not in text and STAGING_KEY[4:20] not in text
    document = json.loads(text)
    assert document["environment"] == {"name": "staging", "base_url": cli.staging_url}
    assert isinstance(document["account"], str) and len(document["account"]) == 64
    # The JSON report is the same document.
    report = cli("plan", "--env", "staging", "--format", "json").json()
    assert report["environment"]["name"] == "staging"


def test_plan_applied_to_another_environment_is_refused(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell
) -> None:
    assert cli("plan", "--env", "staging", "-o", "plan.json").code == 1
    result = cli("apply", "--plan", "plan.json", "--env", "prod")
    assert result.code == 2
    assert "made for environment 'staging', not environment 'prod'" in result.err
    assert "nothing was written" in result.err
    assert prod.request_log == [] and staging.writes() == []


def test_plan_applied_with_another_key_is_refused(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("plan", "--env", "staging", "-o", "plan.json").code == 1
    before = len(staging.request_log)
    # The staging variable now holds prod's key: the same URL, another account.
    monkeypatch.setenv("RETELL_API_KEY_STAGING", PROD_KEY)
    result = cli("apply", "--plan", "plan.json", "--env", "staging")
    assert result.code == 2
    assert "made against another account" in result.err
    assert "RETELL_API_KEY_STAGING" in result.err
    assert len(staging.request_log) == before and staging.writes() == []
    assert prod.request_log == []


def test_plan_applied_at_another_url_is_refused(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Environments without base_url use RETELL_BASE_URL: the URL can change under a plan.
    cli.write(
        ".retell-lint.yaml",
        """
        environments:
          staging: {paths: ["retell/staging/**"], api_key_env: RETELL_API_KEY_STAGING}
          prod: {paths: ["retell/prod/**"], api_key_env: RETELL_API_KEY_PROD}
        """,
    )
    monkeypatch.setenv("RETELL_BASE_URL", staging.base_url)
    assert cli("plan", "--env", "staging", "-o", "plan.json").code == 1
    monkeypatch.setenv("RETELL_BASE_URL", prod.base_url)
    monkeypatch.setenv("RETELL_API_KEY_STAGING", PROD_KEY)
    result = cli("apply", "--plan", "plan.json", "--env", "staging")
    assert result.code == 2
    assert "made against another account" in result.err
    assert prod.request_log == [] and staging.writes() == []


def test_fingerprint_depends_on_key_and_url_and_hides_the_key() -> None:
    from retell_lint.accounts import fingerprint

    url, other = "https://api.retellai.com", "https://eu.example.com"
    assert fingerprint(STAGING_KEY, url) == fingerprint(STAGING_KEY, url + "/")
    assert fingerprint(STAGING_KEY, url) != fingerprint(PROD_KEY, url)
    assert fingerprint(STAGING_KEY, url) != fingerprint(STAGING_KEY, other)
    assert STAGING_KEY[4:20] not in fingerprint(STAGING_KEY, url)


def test_saved_plan_applies_to_its_environment(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell
) -> None:
    assert cli("plan", "--env", "staging", "-o", "plan.json").code == 1
    result = cli("apply", "--plan", "plan.json", "--env", "staging")
    assert result.code == 0, result.err
    assert staging.numbers[STAGING_NUMBER]["nickname"] == "Staging desk"
    assert prod.request_log == []
    # Without --env (two environments) the plan is not applied to a guessed one.
    again = cli("apply", "--plan", "plan.json")
    assert again.code == 2 and "needs --env NAME" in again.err


# -- snapshot and export -----------------------------------------------------------------


def test_snapshot_reads_only_its_account(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell
) -> None:
    result = cli("snapshot", "--env", "prod")
    assert result.code == 0, result.err
    numbers = {n["phone_number"] for n in result.json()["phone_numbers"]}
    assert numbers == {PROD_NUMBER, SHARED_NUMBER}
    assert result.json()["environment"]["name"] == "prod"
    assert staging.request_log == []


def test_export_writes_into_the_environment_folder(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell, tmp_path: Path
) -> None:
    staging.add_number("+14157770055", nickname="Undeclared")
    result = cli("export", "--env", "staging")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "Environment: staging"
    written = sorted(p.name for p in (tmp_path / "retell/staging").iterdir())
    assert len(written) == 3 and any("14157770055" in name for name in written)
    assert sorted(p.name for p in (tmp_path / "retell/prod").iterdir()) == [
        "numbers.yaml",
        "shared.yaml",
    ]
    again = cli("export", "--env", "staging", "--format", "json")
    assert again.code == 0, again.err
    assert again.json()["environment"]["name"] == "staging"
    assert again.json()["written"] == []
    assert prod.request_log == []


def test_export_into_another_environment_folder_is_refused(
    cli: EnvCli, staging: FakeRetell, tmp_path: Path
) -> None:
    staging.add_number("+14157770055", nickname="Undeclared")
    result = cli("export", "--env", "staging", "--out", "retell/prod")
    assert result.code == 2
    assert "not environment 'staging''s" in result.err
    assert len(list((tmp_path / "retell/prod").iterdir())) == 2
    assert staging.request_log == []


def test_check_online_reads_only_the_chosen_account(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell
) -> None:
    # Agents are looked up in one account: which one is never guessed.
    result = cli("check", "--online")
    assert result.code == 2
    assert "check --online needs --env NAME" in result.err
    assert staging.request_log == [] and prod.request_log == []
    online = cli("check", "--online", "--env", "prod")
    assert online.code == 0, online.out + online.err
    assert prod.request_log and staging.request_log == []
    assert all(r.headers.get("authorization") == f"Bearer {PROD_KEY}" for r in prod.requests)


def test_apply_question_names_the_environment(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from retell_lint.apply import applying

    monkeypatch.setattr(applying, "_interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    result = cli("apply", "--env", "prod")
    assert result.code == 2
    assert f"Apply 1 change to the 'prod' Retell account at {prod.base_url}?" in result.err
    assert prod.writes() == [] and staging.request_log == []


def test_snapshot_of_another_environment_is_refused_as_live_state(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell, tmp_path: Path
) -> None:
    assert cli("snapshot", "--env", "prod", "-o", "prod.json").code == 0
    result = cli("drift", "--env", "staging", "--live-state", "prod.json")
    assert result.code == 2
    assert "was saved for environment 'prod', not 'staging'" in result.err
    exported = cli("export", "--env", "staging", "--live-state", "prod.json")
    assert exported.code == 2 and "saved for environment 'prod'" in exported.err
    # Its own environment's snapshot is compared as usual, with no request at all.
    requests = len(prod.request_log)
    own = cli("drift", "--env", "prod", "--live-state", "prod.json")
    assert own.code == 1, own.err
    assert len(prod.request_log) == requests and staging.request_log == []


def test_hostile_env_name_is_one_escaped_line(cli: EnvCli, staging: FakeRetell) -> None:
    result = cli("drift", "--env", "qa\n::error::forged\x1b[31m")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "\n::error::" not in result.err and "\x1b" not in result.err
    assert staging.request_log == []


# -- JSON documents ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "command"),
    [
        ("check", ["check", "--format", "json"]),
        ("drift", ["drift", "--format", "json"]),
        ("plan", ["plan", "--format", "json"]),
        ("apply", ["apply", "--yes", "--format", "json"]),
        ("snapshot", ["snapshot"]),
        ("export", ["export", "--format", "json"]),
    ],
)
def test_json_documents_name_the_environment_within_their_schema(
    cli: EnvCli, staging: FakeRetell, prod: FakeRetell, schema: str, command: list[str]
) -> None:
    from json_schemas import assert_valid

    result = cli(*command, "--env", "staging")
    assert result.code in (0, 1), result.err
    document = assert_valid(schema, result.out)
    assert document["environment"]["name"] == "staging"
    assert prod.request_log == []
