"""A plain apply (no saved plan) after a run that was killed with writes in flight:
the account is read only once those writes have landed or their time has passed, so
a write still landing is never planned and sent again."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import cast

from drift_support import Cli
from fake_retell import FakeRetell
from scale_support import MANY_CHANGES, declared_yaml, numbers, patches_by_number
from test_apply_scale_resume import send_in_background

from retell_lint.apply.actions import Action, ActionKind
from retell_lint.apply.applying import RunOptions
from retell_lint.apply.journal import Journal, default_path
from retell_lint.apply.resume import key_parts, wait_for_unsettled
from retell_lint.apply.saved_plan import load_plan

COUNT = 3
NEW = "+14157770100"
WAITING = "of an earlier run had no outcome; waiting"


def journal_file() -> Path:
    path = Path(default_path(Path.cwd(), create=True))
    assert path.parent == Path(os.environ["RETELL_LINT_CACHE_DIR"])
    return path


def killed_run_sent(number: str, *, outcome: str | None = None) -> dict[str, object]:
    """What an earlier plain apply left in the journal when it was killed after
    sending the write of ``number`` (``outcome``: it also recorded one). The body of
    that write is returned: the test sends it as the killed run did."""
    assert Path("plan.json").exists()
    saved = load_plan("plan.json")
    key = next(k for k in saved.action_keys if key_parts(k)[1] == number)
    kind, _, body, follow_up = key_parts(key)
    action = Action(cast(ActionKind, kind), number, None, None, body, [], follow_up)
    # Another plan than any this run makes: plain runs each plan afresh.
    journal = Journal(str(journal_file()), "an-earlier-plain-run")
    journal.sending(action)
    if outcome is not None:
        from retell_lint.apply.outcome import Outcome

        journal.outcome(Outcome(action, outcome, ""))
    journal.close()
    return body


def declare_a_new_number(fake: FakeRetell, cli: Cli) -> None:
    fake.add_numbers(COUNT)
    cli.write(".retell-lint.yaml", MANY_CHANGES.format(n=2))
    cli.write(
        "retell/numbers.yaml",
        declared_yaml(COUNT)
        + f'  - phone_number: "{NEW}"\n    phone_number_type: retell-twilio\n'
        + "    nickname: Backup\n",
    )
    # The plan is only read for the create's body; the runs below are plain applies.
    assert cli("plan", "-o", "plan.json").code == 1


def test_a_create_still_landing_from_a_killed_plain_run_is_not_sent_again(
    fake: FakeRetell, cli: Cli
) -> None:
    declare_a_new_number(fake, cli)
    cli.monkeypatch.setenv("RETELL_LINT_TIMEOUT", "4")
    body = killed_run_sent(NEW)
    fake.fault_path_prefix = "/create-phone-number"
    fake.slow_seconds = 1.5
    # The killed run's create: taken by the server now, the number made later.
    thread = send_in_background(fake, "POST", "/create-phone-number", body)
    started = time.monotonic()
    result = cli("apply", "--yes", "--allow-create")
    thread.join(10)
    assert result.code == 0, result.err + result.out
    assert f"1 write {WAITING}" in result.err
    # The account was read after the write's time: the number was there, in sync.
    assert time.monotonic() - started >= 2.0
    assert len(fake.requests_to("/create-phone-number")) == 1
    assert fake.numbers[NEW]["nickname"] == "Backup"
    assert patches_by_number(fake) == {number: 1 for number in numbers(COUNT)}
    assert cli("drift").code == 0


def test_writes_with_an_outcome_or_past_their_time_are_not_waited_for(
    fake: FakeRetell, cli: Cli
) -> None:
    declare_a_new_number(fake, cli)
    first = numbers(COUNT)[0]
    killed_run_sent(first, outcome="applied")
    killed_run_sent(numbers(COUNT)[1])
    # Backdate the last line (a write without an outcome) beyond any write's time.
    lines = journal_file().read_text().splitlines()
    entry = json.loads(lines[-1])
    entry["time"] = "2020-01-01T00:00:00.000+00:00"
    journal_file().write_text("\n".join([*lines[:-1], json.dumps(entry)]) + "\n")
    result = cli("apply", "--yes", "--allow-create")
    assert result.code == 0, result.err + result.out
    assert WAITING not in result.err
    assert len(fake.requests_to("/create-phone-number")) == 1


def test_the_wait_ends_when_the_last_write_in_flight_may_have_landed(tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    now = time.time()
    lines = []
    for number, age, event in (
        ("+14155550001", 1.0, "sending"),  # may land until now + 4
        ("+14155550002", 3.0, "sending"),  # until now + 2
        ("+14155550003", 100.0, "sending"),  # long past: not waited for
        ("+14155550004", 0.5, "outcome"),  # "applied": settled
    ):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now - age))
        fraction = f"{(now - age) % 1:.3f}"[1:]
        entry = {
            "time": f"{stamp}{fraction}+00:00",
            "plan": "p",
            "event": event,
            "action": number,
            "kind": "update",
            "phone_number": number,
        }
        if event == "outcome":
            entry.update(status="applied", live=None)
        lines.append(json.dumps(entry))
    journal.write_text("\n".join(lines) + "\n")
    clock = [now]
    slept: list[float] = []
    notes: list[str] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    run = RunOptions(journal=str(journal))
    wait_for_unsettled(run, tmp_path, 5.0, clock=lambda: clock[0], sleep=sleep, note=notes.append)
    assert notes == [f"apply: 2 writes {WAITING} 4.0s for them to land before reading the account"]
    assert abs(clock[0] - (now + 4.0)) < 0.01
    assert max(slept) <= 0.5
    # No journal, or nothing in flight: no wait at all.
    slept.clear()
    wait_for_unsettled(RunOptions(journal=str(tmp_path / "none.jsonl")), tmp_path, 5.0, sleep=sleep)
    assert slept == []


def test_a_line_dated_in_the_future_is_waited_for_one_window_at_most(tmp_path: Path) -> None:
    # A skewed clock or a hand-edited journal must not stall apply until that date.
    journal = tmp_path / "journal.jsonl"
    entry = {
        "time": "2099-01-01T00:00:00.000+00:00",
        "plan": "p",
        "event": "sending",
        "action": "a",
        "kind": "update",
        "phone_number": "+14155550001",
    }
    journal.write_text(json.dumps(entry) + "\n")
    now = time.time()
    clock = [now]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    wait_for_unsettled(
        RunOptions(journal=str(journal)), tmp_path, 5.0, clock=lambda: clock[0], sleep=sleep
    )
    assert now + 5.0 <= clock[0] < now + 5.01
