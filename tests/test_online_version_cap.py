"""RL902 names a few versions, not all of them: an agent with 200,000 versions and
300 configs pinning a missing one gives a short report in every format (R3)."""

from __future__ import annotations

from pathlib import Path

from bounded_run import run_cli
from drift_support import SECRET_KEY, fake  # noqa: F401  (fixture)
from fake_retell import FakeRetell

from retell_lint.checks.online import describe_tags, describe_versions


def test_description_is_a_range_a_short_list_or_the_nearest_versions():
    assert describe_versions([0, 1, 2, 3], 7) == "its versions: 0 to 3"
    assert describe_versions([1, 5, 9], 7) == "its versions: 1, 5, 9"
    evens = list(range(0, 400_000, 2))
    assert describe_versions(evens, 1001) == (
        "the nearest of its 200,000 versions: 992, 994, 996, 998, 1000, 1002, 1004, 1006, "
        "1008, 1010"
    )
    assert describe_versions(evens, 10**9).endswith("399996, 399998")
    assert describe_versions([], 1) == "it has no versions"
    tags = [f"t{n:06d}" for n in range(50_000)]
    assert describe_tags(tags) == (
        "its tags: t000000, t000001, t000002, t000003, t000004, t000005, t000006, t000007, "
        "t000008, t000009 and 49,990 more"
    )


def test_many_versions_and_many_configs_give_bounded_output(
    fake: FakeRetell,  # noqa: F811
    tmp_path: Path,
) -> None:
    # 20,000 versions (the fake server is slow to list more): every config's message
    # listed them all before, 300 x 120 KB.
    fake.add_agent("agent_big", versions=range(0, 40_000, 2))
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "retell"
    folder.mkdir()
    for n in range(300):
        (folder / f"n{n}.yaml").write_text(
            f'phone_number: "+1415555{n:04d}"\n'
            "inbound_agents:\n  - agent_id: agent_big\n    weight: 1\n    agent_version: 7\n",
            encoding="utf-8",
        )
    env = {"RETELL_API_KEY": SECRET_KEY, "RETELL_BASE_URL": fake.base_url}
    for fmt in ("text", "junit"):
        run = run_cli(
            ["check", "--online", "--format", fmt],
            tmp_path,
            env=env,
            timeout=120,
            memory=1024**3,
        )
        assert run.code == 1, run.err[-500:]
        assert run.out.count("RL902") >= 300
        assert "the nearest of its 20,000 versions: 0, 2, 4, 6, 8, 10" in run.out
        assert len(run.out) < 400_000
        assert run.seconds < 60
