"""RL103 and RL601: numbers and nicknames declared twice across everything linted."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, file_rows, lint_files, lint_text, rows


def entry(phone: str, nickname: str | None = None) -> str:
    """One phone_numbers entry: phone_number on its first line, nickname on its second."""
    text = f'  - phone_number: "{phone}"\n'
    if nickname is not None:
        text += f"    nickname: {nickname}\n"
    return text + "    inbound_agents:\n      - agent_id: a\n        weight: 1\n"


def single(phone: str, nickname: str | None = None) -> str:
    text = BASE.replace("+14157774444", phone)
    return text + (f"nickname: {nickname}\n" if nickname is not None else "")


# -- RL103 duplicate-phone-number --------------------------------------------------


def test_rl103_acceptance_case_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            nickname: front desk
          - phone_number: "+14155551234"
            nickname: sales
          - phone_number: "+14157774444"
            nickname: front desk again
        """,
        "numbers.yaml",
    )
    assert rows(findings, "RL103") == [("RL103", 6, 19, "error", "phone_numbers[2].phone_number")]
    (duplicate,) = (f for f in findings if f.rule == "RL103")
    assert duplicate.message == "+14157774444 is declared again; first declared at numbers.yaml:2"


def test_rl103_same_number_in_another_format_is_a_duplicate() -> None:
    findings = lint_text("phone_numbers:\n" + entry("+14157774444") + entry("+1 (415) 777-4444"))
    # Compared in E.164; the formatted one is also RL101.
    assert rows(findings) == [
        ("RL101", 6, 19, "error", "phone_numbers[1].phone_number"),
        ("RL103", 6, 19, "error", "phone_numbers[1].phone_number"),
    ]


def test_rl103_every_repeat_refers_to_the_first() -> None:
    findings = lint_text(
        "phone_numbers:\n" + entry("+14157774444") + entry("+14157774444") + entry("+14157774444")
    )
    assert rows(findings) == [
        ("RL103", 6, 19, "error", "phone_numbers[1].phone_number"),
        ("RL103", 10, 19, "error", "phone_numbers[2].phone_number"),
    ]
    assert all(f.message.endswith("first declared at n.yaml:2") for f in findings)


def test_rl103_across_documents_of_a_file() -> None:
    findings = lint_text(single("+14157774444") + "---\n" + single("+14157774444"))
    assert rows(findings) == [("RL103", 6, 15, "error", "phone_number")]
    assert findings[0].document == 1


def test_rl103_across_files_is_reported_in_the_later_file() -> None:
    findings = lint_files(
        {"a.yaml": single("+14157774444"), "b.yaml": "phone_numbers:\n" + entry("+14157774444")}
    )
    assert file_rows(findings) == [("b.yaml", "RL103", 2, 19)]
    assert findings[0].message.endswith("first declared at a.yaml:1")


@pytest.mark.parametrize(
    "phones",
    [
        ("+14157774444", "+14155551234"),
        ("+14157774444", "+14157774445"),
        ("+442079460958", "+14157774444"),
    ],
)
def test_rl103_near_misses_different_numbers(phones: tuple[str, str]) -> None:
    text = "phone_numbers:\n" + "".join(entry(phone) for phone in phones)
    assert rows(lint_text(text)) == []


# -- RL601 duplicate-nickname ------------------------------------------------------


def test_rl601_same_nickname_points_at_the_second_nickname() -> None:
    findings = lint_text(
        "phone_numbers:\n"
        + entry("+14157774444", "Front desk")
        + entry("+14155551234", "Front desk")
    )
    assert rows(findings) == [("RL601", 8, 15, "warning", "phone_numbers[1].nickname")]
    assert findings[0].message == (
        "nickname 'Front desk' is also used by +14157774444 (n.yaml:3); give each number its own"
    )


def test_rl601_ignores_case_and_surrounding_spaces() -> None:
    findings = lint_text(
        "phone_numbers:\n"
        + entry("+14157774444", "Front desk")
        + entry("+14155551234", "front DESK")
        + entry("+14155550123", '" Front desk "')
    )
    assert rows(findings) == [
        ("RL601", 8, 15, "warning", "phone_numbers[1].nickname"),
        ("RL601", 13, 15, "warning", "phone_numbers[2].nickname"),
    ]


def test_rl601_across_files() -> None:
    findings = lint_files(
        {
            "a.yaml": single("+14157774444", "Main line"),
            "b.yaml": single("+14155551234", "Main line"),
        }
    )
    assert file_rows(findings) == [("b.yaml", "RL601", 5, 11)]
    assert "(a.yaml:5)" in findings[0].message


@pytest.mark.parametrize(
    "nicknames",
    [
        ("Front desk", "Sales"),
        ("Front desk", "Front desk 2"),
        ("null", "null"),
        ('""', '""'),
        ("Front desk", None),
    ],
)
def test_rl601_near_misses(nicknames: tuple[str | None, str | None]) -> None:
    first, second = nicknames
    text = "phone_numbers:\n" + entry("+14157774444", first) + entry("+14155551234", second)
    assert rows(lint_text(text)) == []
