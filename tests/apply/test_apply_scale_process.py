"""apply as a process: a stop on SIGINT/SIGTERM with the exact account, a run killed
with SIGKILL resumed from its journal, each write made once; writes outlast the read
deadline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from drift_support import Cli
from fake_retell import FakeRetell
from scale_support import MANY_CHANGES, declared_yaml, numbers, patches_by_number

from retell_lint import cache_folder

COUNT = 30


def start_apply(fake: FakeRetell, root: Path, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "RETELL_BASE_URL": fake.base_url,
        "RETELL_API_KEY": fake.api_key,
        "RETELL_LINT_TIMEOUT": "20",
    }
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.Popen(
        [sys.executable, "-m", "retell_lint", "apply", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_writes(fake: FakeRetell, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while len(fake.writes()) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "apply did not start writing"
        time.sleep(0.01)


def seed(fake: FakeRetell, cli: Cli, concurrency: int) -> None:
    fake.add_numbers(COUNT)
    cli.write(".retell-lint.yaml", MANY_CHANGES.format(n=concurrency))
    cli.write("retell/numbers.yaml", declared_yaml(COUNT))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_ends_with_the_exact_account(fake: FakeRetell, cli: Cli, signum: int) -> None:
    seed(fake, cli, concurrency=2)
    fake.latency_seconds = 0.15
    process = start_apply(fake, cli.root, "--yes", "--log", "audit.jsonl", "--format", "json")
    wait_for_writes(fake, 4, process)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2, err
    result = json.loads(out)["result"]
    applied = {item["phone_number"] for item in result["applied"]}
    unknown = {item["phone_number"] for item in result["may_have_been_applied"]}
    left = {item["phone_number"] for item in result["not_attempted"]}
    assert len(applied) + len(unknown) + len(left) == COUNT and left
    assert "no new writes are started" in err
    assert (
        f"apply was stopped: {len(applied)} applied, {len(unknown)} may have been applied, "
        f"{len(left)} not attempted"
    ) in err
    # What the account holds is what the report says: nothing not attempted was sent.
    sent = set(patches_by_number(fake))
    assert applied <= sent and not (left & sent)
    assert all(fake.numbers[n]["nickname"] == "New" for n in applied)
    # Every write sent was written down before it was sent.
    log = [json.loads(line) for line in (cli.root / "audit.jsonl").read_text().splitlines()]
    logged = {e["path"].rsplit("/", 1)[-1] for e in log if e["event"] == "sending"}
    assert sent <= logged


def test_killed_half_way_the_same_plan_resumes(fake: FakeRetell, cli: Cli) -> None:
    seed(fake, cli, concurrency=4)
    assert cli("plan", "-o", "plan.json").code == 1
    fake.latency_seconds = 0.1
    process = start_apply(fake, cli.root, "--plan", "plan.json")
    wait_for_writes(fake, 10, process)
    process.kill()
    process.communicate(timeout=30)
    first = patches_by_number(fake)
    assert 10 <= len(first) < COUNT
    # The journal is kept in the cache folder, as check's result cache finds it.
    folder = Path(os.environ["RETELL_LINT_CACHE_DIR"])
    journal = folder / "apply-journal.jsonl"
    assert (folder / "CACHEDIR.TAG").read_text() == cache_folder.CACHEDIR_TAG
    assert (folder / ".gitignore").read_text() == cache_folder.GITIGNORE
    entries = [json.loads(line) for line in journal.read_text().splitlines()]
    finished = {e["phone_number"] for e in entries if e["event"] == "outcome"}
    in_flight = {e["phone_number"] for e in entries if e["event"] == "sending"} - finished
    # The kill came while writes were in flight: the case a resume must settle.
    assert in_flight

    # Resumed at once: writes the killed run had sent may land after this run has
    # read the account; they are read back, not sent again.
    fake.latency_seconds = 0.0
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 0, result.err + result.out
    assert "applied by an earlier run of this plan (journal)" in result.out
    # Each number was written exactly once over the two runs (a request the kill cut
    # between its headers and its body reached the server as nothing it could apply).
    assert patches_by_number(fake) == {number: 1 for number in numbers(COUNT)}
    assert cli("drift").code == 0


def test_without_the_journal_a_half_applied_plan_is_refused(fake: FakeRetell, cli: Cli) -> None:
    seed(fake, cli, concurrency=4)
    assert cli("plan", "-o", "plan.json").code == 1
    fake.latency_seconds = 0.1
    process = start_apply(fake, cli.root, "--plan", "plan.json", "--journal", "other.jsonl")
    wait_for_writes(fake, 10, process)
    process.kill()
    process.communicate(timeout=30)
    sent = len(fake.writes())
    fake.latency_seconds = 0.0
    # Another journal knows nothing of that run: the changes are not its own.
    result = cli("apply", "--plan", "plan.json", "--journal", "empty.jsonl")
    assert result.code == 2
    assert "changed in the account since it was made" in result.err
    assert len(fake.writes()) == sent


def test_writes_are_not_bound_by_the_read_deadline(fake: FakeRetell, cli: Cli) -> None:
    seed(fake, cli, concurrency=1)
    fake.fault_path_prefix = "/update-phone-number/"
    fake.slow_seconds = 0.1
    # Reading the account takes well under 1.5 s; the 30 writes take about 3 s.
    cli.monkeypatch.setenv("RETELL_LINT_TIMEOUT", "1.5")
    result = cli("apply", "--yes")
    assert result.code == 0, result.err + result.out
    assert f"Applied {COUNT} of {COUNT} changes." in result.out
    assert "Verified: the account now matches" in result.out
    assert patches_by_number(fake) == {number: 1 for number in numbers(COUNT)}


def test_a_journal_that_is_a_link_is_refused_before_any_write(
    fake: FakeRetell, cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed(fake, cli, concurrency=2)
    target = tmp_path_factory.mktemp("elsewhere") / "target.jsonl"
    target.write_text("")
    (cli.root / "journal.jsonl").symlink_to(target)
    result = cli("apply", "--yes", "--journal", "journal.jsonl")
    assert result.code == 2
    assert "journal.jsonl: the journal is a symbolic link; not written through it" in result.err
    assert fake.writes() == [] and target.read_text() == ""


def test_a_cache_folder_that_is_a_link_is_refused(
    fake: FakeRetell, cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed(fake, cli, concurrency=2)
    # The project's own cache folder (the tests otherwise keep it elsewhere).
    cli.monkeypatch.delenv("RETELL_LINT_CACHE_DIR")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (cli.root / ".retell-lint-cache").symlink_to(elsewhere, target_is_directory=True)
    result = cli("apply", "--yes")
    assert result.code == 2
    assert "cannot keep the journal in the cache folder" in result.err
    assert ".retell-lint-cache is not a folder (a symbolic link is never followed)" in result.err
    assert fake.writes() == [] and list(elsewhere.iterdir()) == []
