"""Markdown reports cut by section to fit a pull-request comment (ci/fit.py), and the
drift and plan renderers that use it."""

from __future__ import annotations

import re

from retell_lint.apply.actions import Action, ActionPlan, Blocked, FieldChange
from retell_lint.apply.render import render_markdown as plan_markdown
from retell_lint.ci.fit import Item, Section, fit
from retell_lint.ci.limits import COMMENT_MAX_CHARS, MARKDOWN_MAX_CHARS
from retell_lint.drift.diff import Change
from retell_lint.drift.plan import Entry, Plan
from retell_lint.drift.render import render_markdown as drift_markdown

MORE = re.compile(r"^… ([\d,]+) more numbers? \(cut to fit a pull-request comment", re.M)


def numbers(count: int) -> list[str]:
    return [f"+1415{5550000 + index:07d}" for index in range(count)]


def sections_of(sizes: dict[str, int], width: int) -> list[Section]:
    return [
        Section(
            [f"#### {title}", ""], [Item(f"- {n} " + "x" * width, n) for n in numbers(size)], [""]
        )
        for title, size in sizes.items()
    ]


def test_a_report_that_fits_is_left_whole() -> None:
    sections = sections_of({"Changed": 3, "Missing": 2}, 10)
    text = fit(["# t", ""], sections, ["end"], "see JSON", limit=10_000)
    assert "more number" not in text
    assert text.count("- +1415") == 5
    assert text.endswith("end\n")


def test_a_long_report_keeps_every_heading_and_counts_what_it_cut() -> None:
    sections = sections_of({"Changed": 400, "Missing": 300, "Ignored": 5}, 60)
    text = fit(["# t", ""], sections, ["end"], "see JSON", limit=8_000)
    assert len(text) <= 8_000
    headings = re.findall(r"^#### (\w+)", text, re.M)
    assert headings == ["Changed", "Missing", "Ignored"]
    shown = {title: len(re.findall(r"^- ", part, re.M)) for title, part in split(text)}
    cut = [int(m.replace(",", "")) for m in MORE.findall(text)]
    # Earlier sections first; each cut section states exactly how many it left out.
    assert shown["Changed"] > 0
    assert cut[0] == 400 - shown["Changed"]
    assert sum(cut) + sum(shown.values()) == 705
    # The note is never part of the list above it (a blank line ends the list).
    assert "\n\n… " in text and not re.search(r"^- .*\n…", text, re.M)


def test_a_number_spread_over_several_items_is_counted_once() -> None:
    items = [Item(f"| {n} | {field} |", n) for n in numbers(50) for field in ("a", "b")]
    text = fit([], [Section(["| N | F |", "|---|---|"], items, [""])], [], "JSON", limit=600)
    rows = [line for line in text.splitlines() if line.startswith("| +")]
    (cut,) = MORE.findall(text)
    # A number whose second row was cut is still a number left out.
    assert 0 < len(rows) < 100 and int(cut) == 50 - len(rows) // 2


def split(text: str) -> list[tuple[str, str]]:
    parts = re.split(r"^#### (\w+)$", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def drift_plan(count: int) -> Plan:
    entries = [
        Entry(
            phone_number=number,
            status="changed",
            file="retell/numbers.yaml",
            line=index * 3 + 1,
            changes=[Change("nickname", f"Desk {index} new", f"Desk {index} old", index * 3 + 2)],
        )
        for index, number in enumerate(numbers(count))
    ]
    entries += [
        Entry(phone_number=n, status="missing", file="retell/m.yaml", line=1)
        for n in ["+14155559999"]
    ]
    return Plan(entries=entries, complete=True, source="api", origin="https://api.retellai.com")


def test_drift_markdown_of_5000_numbers_fits_a_comment() -> None:
    text = drift_markdown(drift_plan(5_000))
    assert len(text) <= MARKDOWN_MAX_CHARS < COMMENT_MAX_CHARS
    assert "**Drift in 5001 numbers**" in text
    shown = text.count("**~ `+1415")
    (cut,) = MORE.findall(text)
    assert shown > 100 and int(cut.replace(",", "")) == 5_000 - shown
    # The missing number still has its section after the cut one.
    assert "#### Missing (declared, not in the account)\n\n- `+14155559999`" in text


def test_small_drift_markdown_is_not_cut() -> None:
    text = drift_markdown(drift_plan(3))
    assert "more number" not in text and text.count("**~ `+1415") == 3


def action_plan(count: int) -> ActionPlan:
    actions = [
        Action(
            kind="update",
            phone_number=number,
            file="retell/numbers.yaml",
            line=index + 1,
            body={"nickname": f"Desk {index}"},
            changes=[FieldChange("nickname", "nickname", f"Old {index}", f"Desk {index}")],
        )
        for index, number in enumerate(numbers(count))
    ]
    blocked = [Blocked("+14155559999", "area_code", 415, 628, "cannot be changed by update")]
    return ActionPlan(
        actions=actions, blocked=blocked, unmanaged=[], managed=count, drift=drift_plan(0)
    )


def test_plan_markdown_of_5000_numbers_fits_a_comment() -> None:
    text = plan_markdown(action_plan(5_000))
    assert len(text) <= MARKDOWN_MAX_CHARS
    assert "**5000 changes** to the Retell account." in text
    rows = [line for line in text.splitlines() if line.startswith("| ~ |")]
    (cut,) = MORE.findall(text)
    # The blocked row is one more number left out.
    assert int(cut.replace(",", "")) == 5_001 - len(rows)
    assert text.rstrip("\n").endswith("`retell-lint plan --format json` lists them all)")


def test_small_plan_markdown_is_not_cut() -> None:
    text = plan_markdown(action_plan(2))
    assert "more number" not in text
    assert "| ! | `+14155559999` | cannot apply: cannot be changed by update |" in text


def test_a_number_with_several_fields_is_kept_or_cut_whole() -> None:
    plan = action_plan(300)
    for action in plan.actions:
        action.changes += [
            FieldChange("inbound_webhook_url", "inbound_webhook_url", None, "https://a.example/x"),
            FieldChange("fallback_number", "fallback_number", None, "+14155550100"),
        ]
    text = plan_markdown(plan)
    assert len(text) <= MARKDOWN_MAX_CHARS
    lines = text.splitlines()
    firsts = [i for i, line in enumerate(lines) if line.startswith("| ~ |")]
    # Every number shown has its three rows.
    for index in firsts:
        assert lines[index + 1].startswith("|  |  |  | `inbound_webhook_url` |")
        assert lines[index + 2].startswith("|  |  |  | `fallback_number` |")
    (cut,) = MORE.findall(text)
    assert int(cut.replace(",", "")) == 301 - len(firsts)
