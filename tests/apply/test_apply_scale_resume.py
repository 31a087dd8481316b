"""Resuming a saved plan whose earlier run stopped with a write in flight (sent, no
outcome in the journal): the number is read back, never written twice; and where the
journal is kept (the cache folder, through safe_io)."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import cast

import httpx
import pytest
from drift_support import Cli
from fake_retell import FakeRetell
from scale_support import MANY_CHANGES, declared_yaml, numbers, patches_by_number

from retell_lint import cache_folder
from retell_lint.apply.actions import Action, ActionKind
from retell_lint.apply.journal import Journal, default_path, plan_id
from retell_lint.apply.resume import key_parts
from retell_lint.apply.saved_plan import load_plan

COUNT = 3
FIRST = numbers(COUNT)[0]


def seed_and_plan(fake: FakeRetell, cli: Cli) -> None:
    fake.add_numbers(COUNT)
    cli.write(".retell-lint.yaml", MANY_CHANGES.format(n=2))
    cli.write("retell/numbers.yaml", declared_yaml(COUNT))
    assert cli("plan", "-o", "plan.json").code == 1


def journal_file() -> Path:
    """The default journal, its folder made as apply makes it."""
    path = Path(default_path(Path.cwd(), create=True))
    assert path.parent == Path(os.environ["RETELL_LINT_CACHE_DIR"])
    return path


def record_sending(number: str) -> None:
    """What a run killed right after sending the write of ``number`` leaves behind."""
    saved = load_plan("plan.json")
    key = next(k for k in saved.action_keys if key_parts(k)[1] == number)
    kind, _, body, follow_up = key_parts(key)
    action = Action(cast(ActionKind, kind), number, None, None, body, [], follow_up)
    assert action.key() == key
    journal = Journal(str(journal_file()), plan_id(saved.action_keys, saved.numbers))
    journal.sending(action)
    journal.close()


def send_patch_in_background(fake: FakeRetell, number: str, nickname: str) -> threading.Thread:
    """The write the killed run had sent: the server takes it now, stores it later."""
    return send_in_background(
        fake, "PATCH", f"/update-phone-number/{number}", {"nickname": nickname}
    )


def send_in_background(
    fake: FakeRetell, method: str, path: str, body: dict[str, object]
) -> threading.Thread:
    def send() -> None:
        httpx.request(
            method,
            f"{fake.base_url}{path}",
            json=body,
            headers={"Authorization": f"Bearer {fake.api_key}"},
            timeout=30,
        )

    thread = threading.Thread(target=send, daemon=True)
    before = len(fake.writes())
    thread.start()
    deadline = time.monotonic() + 10
    while len(fake.writes()) == before:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    return thread


def test_a_write_that_lands_after_the_account_was_read_is_not_sent_again(
    fake: FakeRetell, cli: Cli
) -> None:
    seed_and_plan(fake, cli)
    # A write may land up to the per-request timeout after it was sent.
    cli.monkeypatch.setenv("RETELL_LINT_TIMEOUT", "6")
    record_sending(FIRST)
    fake.fault_path_prefix = f"/update-phone-number/{FIRST}"
    fake.slow_seconds = 2.5
    thread = send_patch_in_background(fake, FIRST, "New")
    # The resumed run reads the account before that write lands.
    result = cli("apply", "--plan", "plan.json")
    thread.join(10)
    assert result.code == 0, result.err + result.out
    assert "1 write of an earlier run of this plan had no outcome" in result.err
    assert f"update {FIRST}: applied by an earlier run of this plan (journal)" in result.out
    assert patches_by_number(fake) == {number: 1 for number in numbers(COUNT)}
    assert cli("drift").code == 0


def test_a_write_that_never_reached_the_account_is_made_once_its_time_has_passed(
    fake: FakeRetell, cli: Cli
) -> None:
    seed_and_plan(fake, cli)
    cli.monkeypatch.setenv("RETELL_LINT_TIMEOUT", "1")
    # Killed after the journal line, before the request left: nothing reached the server.
    record_sending(FIRST)
    started = time.monotonic()
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 0, result.err + result.out
    # It was read back until the write's time had passed, then made.
    assert "reading the numbers back until they land" in result.err
    assert time.monotonic() - started >= 0.5
    assert len(fake.requests_to(f"/get-phone-number/{FIRST}")) >= 2
    assert patches_by_number(fake) == {number: 1 for number in numbers(COUNT)}
    assert fake.numbers[FIRST]["nickname"] == "New"


def test_a_create_in_flight_that_lands_late_is_not_sent_again(fake: FakeRetell, cli: Cli) -> None:
    new = "+14157770100"
    fake.add_numbers(COUNT)
    cli.write(".retell-lint.yaml", MANY_CHANGES.format(n=2))
    cli.write(
        "retell/numbers.yaml",
        declared_yaml(COUNT)
        + f'  - phone_number: "{new}"\n    phone_number_type: retell-twilio\n'
        + "    nickname: Backup\n",
    )
    assert cli("plan", "-o", "plan.json").code == 1
    cli.monkeypatch.setenv("RETELL_LINT_TIMEOUT", "6")
    record_sending(new)
    saved = load_plan("plan.json")
    body = next(key_parts(k)[2] for k in saved.action_keys if key_parts(k)[1] == new)
    fake.fault_path_prefix = "/create-phone-number"
    fake.slow_seconds = 2.5
    # The killed run's create: taken by the server now, the number made later.
    thread = send_in_background(fake, "POST", "/create-phone-number", body)
    result = cli("apply", "--plan", "plan.json", "--allow-create")
    thread.join(10)
    assert result.code == 0, result.err + result.out
    assert f"create {new}: applied by an earlier run of this plan (journal)" in result.out
    # One number bought, not two attempts.
    assert len(fake.requests_to("/create-phone-number")) == 1
    assert fake.numbers[new]["nickname"] == "Backup"
    assert patches_by_number(fake) == {number: 1 for number in numbers(COUNT)}


def test_an_old_write_without_an_outcome_is_settled_by_the_account_read_alone(
    fake: FakeRetell, cli: Cli
) -> None:
    seed_and_plan(fake, cli)
    record_sending(FIRST)
    # Backdate the line beyond any write's time: the account as read is the answer.
    lines = journal_file().read_text().splitlines()
    entry = json.loads(lines[-1])
    entry["time"] = "2020-01-01T00:00:00.000+00:00"
    journal_file().write_text(json.dumps(entry) + "\n")
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 0, result.err + result.out
    assert "had no outcome" not in result.err
    assert fake.requests_to(f"/get-phone-number/{FIRST}") == []
    assert patches_by_number(fake) == {number: 1 for number in numbers(COUNT)}


def test_a_write_in_flight_that_lands_as_something_else_is_refused(
    fake: FakeRetell, cli: Cli
) -> None:
    seed_and_plan(fake, cli)
    cli.monkeypatch.setenv("RETELL_LINT_TIMEOUT", "6")
    record_sending(FIRST)
    fake.fault_path_prefix = f"/update-phone-number/{FIRST}"
    fake.slow_seconds = 2.5
    # Not what the plan sends: someone else's change lands on that number meanwhile.
    thread = send_patch_in_background(fake, FIRST, "Someone else")
    result = cli("apply", "--plan", "plan.json")
    thread.join(10)
    assert result.code == 2
    assert f"{FIRST} changed in the account since it was made" in result.err
    assert patches_by_number(fake) == {FIRST: 1}
    assert fake.numbers[FIRST]["nickname"] == "Someone else"


def test_the_journal_goes_to_the_project_cache_folder_that_clean_removes(
    fake: FakeRetell, cli: Cli
) -> None:
    cli.monkeypatch.delenv("RETELL_LINT_CACHE_DIR")
    fake.add_numbers(COUNT)
    cli.write(".retell-lint.yaml", MANY_CHANGES.format(n=2))
    cli.write("retell/numbers.yaml", declared_yaml(COUNT))
    assert cli("apply", "--yes").code == 0
    folder = cli.root / ".retell-lint-cache"
    assert (folder / "CACHEDIR.TAG").read_text() == cache_folder.CACHEDIR_TAG
    assert (folder / ".gitignore").read_text() == cache_folder.GITIGNORE
    events = [json.loads(line)["event"] for line in (folder / "apply-journal.jsonl").open()]
    assert events.count("sending") == COUNT and events.count("outcome") == COUNT
    # The folder is the cache's: clean removes it, journal and all.
    result = cli("clean")
    assert result.code == 0, result.err
    assert not folder.exists()


def test_a_cache_folder_of_other_files_is_not_taken_for_the_journal(
    fake: FakeRetell, cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    fake.add_numbers(COUNT)
    cli.write(".retell-lint.yaml", MANY_CHANGES.format(n=2))
    cli.write("retell/numbers.yaml", declared_yaml(COUNT))
    elsewhere = tmp_path_factory.mktemp("notes")
    (elsewhere / "notes.txt").write_text("mine\n")
    cli.monkeypatch.setenv("RETELL_LINT_CACHE_DIR", str(elsewhere))
    result = cli("apply", "--yes")
    assert result.code == 2
    assert "cannot keep the journal in the cache folder" in result.err
    assert "--journal" in result.err
    assert fake.writes() == []
    assert sorted(p.name for p in elsewhere.iterdir()) == ["notes.txt"]


def test_a_journal_that_is_a_fifo_is_refused_without_blocking(fake: FakeRetell, cli: Cli) -> None:
    seed_and_plan(fake, cli)
    os.mkfifo(cli.root / "journal.fifo")
    result = cli("apply", "--plan", "plan.json", "--journal", "journal.fifo")
    assert result.code == 2
    assert "the journal is a FIFO" in result.err and "journal.fifo" in result.err
    assert fake.writes() == []


def test_journal_lines_that_are_not_the_journals_own_are_passed_over(
    fake: FakeRetell, cli: Cli
) -> None:
    seed_and_plan(fake, cli)
    journal_file().write_text("[" * 100_000 + "\n" + "not json\n" + '{"plan": 3}\n')
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 0, result.err + result.out
    assert patches_by_number(fake) == {number: 1 for number in numbers(COUNT)}


def test_a_journal_grown_past_its_size_is_trimmed_to_its_newest_lines(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retell_lint.apply import journal

    monkeypatch.setattr(journal, "TRIM_BYTES", 20_000)
    monkeypatch.setattr(journal, "KEEP_BYTES", 5_000)
    fake.add_numbers(COUNT)
    cli.write(".retell-lint.yaml", MANY_CHANGES.format(n=2))
    cli.write("retell/numbers.yaml", declared_yaml(COUNT))
    # Many earlier runs: 200 lines of about 150 bytes, the newest last.
    old = [
        json.dumps({"plan": "earlier", "event": "outcome", "run": i, "pad": "x" * 100})
        for i in range(200)
    ]
    journal_file().write_text("\n".join(old) + "\n")
    assert cli("apply", "--yes").code == 0
    lines = journal_file().read_text().splitlines()
    entries = [json.loads(line) for line in lines]  # whole lines only
    earlier = [e["run"] for e in entries if e["plan"] == "earlier"]
    # The newest of the earlier lines are kept, in order, then this run's.
    assert earlier and earlier == list(range(200 - len(earlier), 200))
    assert len("\n".join(old[-len(earlier) :])) <= 5_000
    assert [e["event"] for e in entries[len(earlier) :]].count("outcome") == COUNT


def test_a_journal_under_its_size_is_kept_whole(fake: FakeRetell, cli: Cli) -> None:
    seed_and_plan(fake, cli)
    journal_file().write_text('{"plan": "earlier"}\n')
    assert cli("apply", "--plan", "plan.json").code == 0
    assert journal_file().read_text().startswith('{"plan": "earlier"}\n')
