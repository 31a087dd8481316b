"""RL401-RL403: the fallback number (RL402 looks across numbers and files)."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, entry, file_rows, lint_files, lint_text, rows, single

A, B, C = "+14157774444", "+14155551234", "+14155550123"


# -- RL401 fallback-to-self --------------------------------------------------------


def test_rl401_fallback_is_the_number_itself() -> None:
    findings = lint_text(single(A, A))
    assert rows(findings) == [("RL401", 5, 18, "error", "fallback_number")]
    assert findings[0].message.startswith(f"fallback_number {A} is this number itself")


def test_rl401_compares_in_e164() -> None:
    # The same number in another format is still this number (and RL403's format finding).
    findings = lint_text(single(A, "+1 (415) 777-4444"))
    assert rows(findings) == [
        ("RL401", 5, 18, "error", "fallback_number"),
        ("RL403", 5, 18, "error", "fallback_number"),
    ]


def test_rl401_in_a_list_file() -> None:
    findings = lint_text("phone_numbers:\n" + entry(A, C) + entry(B, B))
    assert rows(findings) == [("RL401", 11, 22, "error", "phone_numbers[1].fallback_number")]


@pytest.mark.parametrize(
    "text",
    [
        single(A, B),
        single(A),
        BASE + "fallback_number: null\n",
    ],
)
def test_rl401_near_misses(text: str) -> None:
    assert rows(lint_text(text)) == []


# -- RL402 nested-fallback ---------------------------------------------------------


def test_rl402_chain_in_a_list_file_flags_only_the_first_link() -> None:
    # A -> B -> C: A points at B, which has a fallback; B points at C, which has none.
    findings = lint_text("phone_numbers:\n" + entry(A, B) + entry(B, C) + entry(C))
    assert rows(findings) == [("RL402", 6, 22, "error", "phone_numbers[0].fallback_number")]
    assert findings[0].message.startswith(f"fallback_number {B} has a fallback of its own ({C}, ")
    assert "(a cycle)" not in findings[0].message


def test_rl402_cycle_flags_both_numbers() -> None:
    findings = lint_text("phone_numbers:\n" + entry(A, B) + entry(B, A))
    assert rows(findings) == [
        ("RL402", 6, 22, "error", "phone_numbers[0].fallback_number"),
        ("RL402", 11, 22, "error", "phone_numbers[1].fallback_number"),
    ]
    assert all("(a cycle)" in f.message for f in findings)
    # The target, A, is declared on line 2; its own fallback is B.
    assert f"({B}, n.yaml:2) (a cycle)" in findings[1].message


def test_rl402_across_files() -> None:
    # The shared acceptance case: a.yaml's fallback is b.yaml's number, which has one.
    findings = lint_files(
        {
            "a.yaml": f'phone_number: "{A}"\nnickname: main\nfallback_number: "{B}"\n',
            "b.yaml": f'phone_number: "{B}"\nnickname: overflow\nfallback_number: "{C}"\n',
        }
    )
    assert file_rows(findings, "RL402") == [("a.yaml", "RL402", 3, 18)]
    (nested,) = (f for f in findings if f.rule == "RL402")
    assert f"has a fallback of its own ({C}, b.yaml:1);" in nested.message


def test_rl402_target_in_another_format_still_counts() -> None:
    findings = lint_files({"a.yaml": single(A, B), "b.yaml": single("+1 415-555-1234", C)})
    assert file_rows(findings, "RL402") == [("a.yaml", "RL402", 5, 18)]


def test_rl402_target_not_linted_is_not_seen() -> None:
    assert rows(lint_files({"a.yaml": single(A, B)})) == []


def test_rl402_near_miss_target_without_fallback() -> None:
    assert rows(lint_text("phone_numbers:\n" + entry(A, C) + entry(B, C) + entry(C))) == []


def test_rl401_and_rl402_are_independent() -> None:
    # A -> A is RL401 only; B -> A: A has a fallback (itself), so B's is RL402.
    self_only = lint_text(single(A, A))
    assert [f.rule for f in self_only] == ["RL401"]
    findings = lint_text("phone_numbers:\n" + entry(A, A) + entry(B, A))
    assert rows(findings) == [
        ("RL401", 6, 22, "error", "phone_numbers[0].fallback_number"),
        ("RL402", 11, 22, "error", "phone_numbers[1].fallback_number"),
    ]


# -- RL403 invalid-fallback-number -------------------------------------------------


@pytest.mark.parametrize(
    ("fallback", "message"),
    [
        ("+1555", "fallback_number +1555 is not a valid phone number"),
        ("+14150000000", "fallback_number +14150000000 is not a valid phone number"),
        (
            "+1 415 555 1234",
            f"fallback_number '+1 415 555 1234' is not in E.164 form; write \"{B}\"",
        ),
        ("4155551234", f'is not in E.164 form; write "{B}" if this is a US number'),
        ("call the office", "fallback_number 'call the office' is not in E.164 form"),
    ],
)
def test_rl403_invalid_fallback(fallback: str, message: str) -> None:
    findings = lint_text(single(A, fallback))
    assert rows(findings) == [("RL403", 5, 18, "error", "fallback_number")]
    assert message in findings[0].message


def test_rl403_in_a_list_file() -> None:
    findings = lint_text("phone_numbers:\n" + entry(A, "+1555"))
    assert rows(findings) == [("RL403", 6, 22, "error", "phone_numbers[0].fallback_number")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (single(A, B), []),
        (single(A, "+442079460958"), []),
        (single(A), []),
        # Unquoted: RL007 reports it; RL403 stays out.
        (BASE + "fallback_number: +14155551234\n", ["RL007"]),
    ],
)
def test_rl403_near_misses(text: str, expected: list[str]) -> None:
    assert [f.rule for f in lint_text(text)] == expected


# -- National-format fallbacks are read in the number's own region ------------------


@pytest.mark.parametrize("fallback", ["(415) 777-4444", "415-777-4444", "4157774444"])
def test_rl401_national_format_self_fallback(fallback: str) -> None:
    findings = lint_text(single(A, fallback))
    assert rows(findings) == [
        ("RL401", 5, 18, "error", "fallback_number"),
        ("RL403", 5, 18, "error", "fallback_number"),
    ]


def test_rl401_national_format_of_another_number_is_not_self() -> None:
    assert rows(lint_text(single(A, "(415) 555-1234")), "RL401") == []


def test_rl402_across_files_with_a_national_format_side() -> None:
    findings = lint_files({"a.yaml": single(A, "(415) 555-1234"), "b.yaml": single(B, A)})
    assert file_rows(findings, "RL402") == [
        ("a.yaml", "RL402", 5, 18),
        ("b.yaml", "RL402", 5, 18),
    ]
