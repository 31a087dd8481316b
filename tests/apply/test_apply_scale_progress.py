"""Progress on stderr: a bar on a terminal, JSON lines in CI, nothing when piped;
the account read of drift shows its count on a terminal."""

from __future__ import annotations

import io
import json

from drift_support import Cli
from fake_retell import FakeRetell
from scale_support import MANY_CHANGES, declared_yaml, update

from retell_lint.apply.outcome import Outcome
from retell_lint.apply.progress import Progress, bar_text, read_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_done_total_rate_and_eta() -> None:
    assert bar_text(10, 40, 5.0) == f"[{'#' * 6}{'-' * 18}] 10/40  2.0/s  ETA 15s"
    assert bar_text(0, 40, 0.0).endswith("0/40  0.0/s  ETA ?")
    assert bar_text(30, 40, 90.0).endswith("ETA 30s")
    assert bar_text(10, 1000, 60.0).endswith("ETA 99m00s")


def test_auto_draws_on_a_terminal_and_stays_silent_when_piped() -> None:
    clock = iter([0.0, 2.0, 4.0]).__next__
    terminal = Terminal()
    bar = Progress("auto", 2, terminal, clock)
    for number in ("+14157770001", "+14157770002"):
        bar(Outcome(update(number), "applied"))
    bar.finish()
    assert terminal.getvalue() == (
        f"\r[{'#' * 12}{'-' * 12}] 1/2  0.5/s  ETA 2s\r[{'#' * 24}] 2/2  0.5/s  ETA 0s\n"
    )
    piped = io.StringIO()
    quiet = Progress("auto", 1, piped)
    quiet(Outcome(update("+14157770001"), "applied"))
    quiet.finish()
    assert piped.getvalue() == ""


def test_json_progress_is_one_line_per_write(fake: FakeRetell, cli: Cli) -> None:
    fake.add_numbers(5)
    cli.write(".retell-lint.yaml", MANY_CHANGES.format(n=2))
    cli.write("retell/numbers.yaml", declared_yaml(5))
    result = cli("apply", "--yes", "--progress", "json", "--format", "json")
    assert result.code == 0, result.err
    lines = [json.loads(line) for line in result.err.splitlines() if line.startswith("{")]
    assert [line["done"] for line in lines] == [1, 2, 3, 4, 5]
    assert {line["total"] for line in lines} == {5}
    assert {(line["event"], line["action"], line["status"]) for line in lines} == {
        ("write", "update", "applied")
    }
    # stdout stays one JSON document.
    assert json.loads(result.out)["result"]["exit_code"] == 0


def test_the_account_read_shows_its_count_on_a_terminal_only() -> None:
    clock = iter([0.0, 1.0, 2.0]).__next__
    terminal = Terminal()
    show = read_progress(terminal, clock)
    assert show is not None
    show("/v2/list-phone-numbers", 1000, False)
    show("/v2/list-phone-numbers", 1500, True)
    assert terminal.getvalue() == (
        "\rreading the account: 1000 phone numbers  1000/s"
        "\rreading the account: 1500 phone numbers  750/s\n"
    )
    assert read_progress(io.StringIO()) is None


def test_the_client_reports_each_page(fake: FakeRetell) -> None:
    from retell_lint.retell_api import RetellClient

    fake.add_numbers(2500)
    pages: list[tuple[str, int, bool]] = []
    with RetellClient(fake.api_key, fake.base_url) as client:
        client.on_page = lambda path, count, last: pages.append((path, count, last))
        client.list_phone_numbers()
    assert pages == [
        ("/v2/list-phone-numbers", 1000, False),
        ("/v2/list-phone-numbers", 2000, False),
        ("/v2/list-phone-numbers", 2500, True),
    ]
