"""The Action's `env` input with two environments: it reaches the command as --env, the
comment and summary name the environment, and the other account sees no request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_retell import FakeRetell
from test_ci_action import Runner, runner  # noqa: F401 - the fixture is used by name

from retell_lint.ci.comment import marker


@pytest.fixture
def other_account() -> Iterator[FakeRetell]:
    server = FakeRetell(api_key="key_OTHERACCOUNT_0123456789abcdef").start()
    try:
        yield server
    finally:
        server.stop()


def project(runner: Runner, other: FakeRetell) -> None:  # noqa: F811
    # staging is the Runner's fake account (its key is in RETELL_API_KEY).
    (runner.root / ".retell-lint.yaml").write_text(
        "environments:\n"
        f"  staging: {{paths: [retell/staging/**], api_key_env: RETELL_API_KEY,"
        f" base_url: '{runner.retell.base_url}'}}\n"
        f"  prod: {{paths: [retell/prod/**], api_key_env: RETELL_API_KEY_PROD,"
        f" base_url: '{other.base_url}'}}\n",
        encoding="utf-8",
    )
    for env in ("staging", "prod"):
        folder = runner.root / "retell" / env
        folder.mkdir(parents=True)
        (folder / "desk.yaml").write_text(
            f'phone_numbers:\n  - phone_number: "+14155550000"\n    nickname: {env}\n',
            encoding="utf-8",
        )
    runner.retell.add_number("+14155550000", nickname="old")


def test_env_input_plans_one_environment(
    runner: Runner,  # noqa: F811
    other_account: FakeRetell,
) -> None:
    project(runner, other_account)
    result = runner.run(command="plan", env="staging")
    assert result.code == 0, result.out + result.err
    assert result.outputs["exit-code"] == "1"
    (comment,) = runner.github.comments[7]
    assert comment["body"].startswith(
        marker("plan", "staging") + "\n### retell-lint plan (staging)"
    )
    assert result.summary.startswith("### retell-lint plan (staging)")
    assert other_account.request_log == []


def test_without_env_the_action_fails_listing_the_names(
    runner: Runner,  # noqa: F811
    other_account: FakeRetell,
) -> None:
    project(runner, other_account)
    result = runner.run(command="drift")
    assert result.outputs["exit-code"] == "2"
    assert result.code == 2
    assert "needs --env NAME" in result.out + result.err
    assert "(prod, staging)" in result.out + result.err
    assert other_account.request_log == [] and runner.retell.request_log == []
