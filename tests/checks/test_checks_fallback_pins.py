"""RL401-RL403 pinned exactly: whole messages, edge values, and which number is read how.

Each test here fails on a plausible slip in checks/fallback.py (a flipped condition, a
dropped guard, a wrong line in a message) that the broader tests let through.
"""

from __future__ import annotations

import pytest
from lint_helpers import BASE, entry, lint_text, make_config, rows, single

from retell_lint import engine
from retell_lint.online import Account
from retell_lint.source import Source

A, B, C, D = "+14157774444", "+14155551234", "+14155550123", "+14155550188"
AGENTS = "inbound_agents:\n  - agent_id: a\n    weight: 1\n"
LONDON = "+442079460958"


def messages(text: str, *rule_ids: str) -> list[tuple[str, int, str]]:
    return [(f.rule, f.line, f.message) for f in lint_text(text) if f.rule in rule_ids]


# -- RL403: empty, blank and non-string values ---------------------------------------


@pytest.mark.parametrize("value", ['""', '"   "'])
def test_rl403_empty_fallback_is_one_finding_with_its_own_message(value: str) -> None:
    findings = lint_text(BASE + f"fallback_number: {value}\n")
    assert rows(findings) == [("RL403", 5, 18, "error", "fallback_number")]
    assert findings[0].message == "fallback_number is empty; write null to have none"


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("5", "RL007"),  # an unquoted integer: RL007 says quote it; nothing more
        ("[1]", "RL004"),
        ("{a: 1}", "RL004"),
        ("true", "RL007"),
    ],
)
def test_non_string_fallback_is_reported_once_and_never_compared(value: str, rule: str) -> None:
    # No RL401 or RL402 either: a value that is not a string is no number to compare.
    text = "phone_numbers:\n" + entry(A) + f"    fallback_number: {value}\n" + entry(B, B)
    assert [f.rule for f in lint_text(text) if f.path == "phone_numbers[0].fallback_number"] == [
        rule
    ]


def test_empty_fallback_is_no_self_fallback_nor_a_chain_link() -> None:
    # B falls back to A, whose fallback is "": A has no fallback, so B's is no chain.
    text = "phone_numbers:\n" + entry(A) + '    fallback_number: ""\n' + entry(B, A)
    assert [f.rule for f in lint_text(text)] == ["RL403"]


# -- RL403: the suggestion --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fallback", "message"),
    [
        # Another country's number with spaces: the suggestion has no US proviso.
        (
            "+44 20 7946 0958",
            f"fallback_number '+44 20 7946 0958' is not in E.164 form; write \"{LONDON}\"",
        ),
        # Parsed, but no such number range: no suggestion at all.
        ("(415) 123-4567", "fallback_number '(415) 123-4567' is not in E.164 form"),
        ("abc", "fallback_number 'abc' is not in E.164 form"),
        (
            "415 555 1234",
            f"fallback_number '415 555 1234' is not in E.164 form; write \"{B}\" if this is a "
            "US number",
        ),
        ("+14151234567", "fallback_number +14151234567 is not a valid phone number"),
    ],
)
def test_rl403_whole_message(fallback: str, message: str) -> None:
    assert messages(single(A, fallback), "RL403") == [("RL403", 5, message)]


# -- National-format fallbacks: read in the number's own region ---------------------


@pytest.mark.parametrize("fallback", ["207 946 0958", "020 7946 0958"])
def test_national_fallback_is_read_in_the_numbers_region_not_the_us(fallback: str) -> None:
    # "207 946 0958" is also a US number (+1 207, Maine); from a London number it is
    # that London number itself.
    text = BASE.replace(A, LONDON) + f'fallback_number: "{fallback}"\n'
    assert messages(text, "RL401") == [
        (
            "RL401",
            5,
            f"fallback_number {fallback} is this number itself; calls cannot fall back to "
            "the number that is full — name another number",
        )
    ]


def test_national_fallback_of_a_us_number_is_not_read_as_london() -> None:
    text = BASE + 'fallback_number: "207 946 0958"\n'
    assert messages(text, "RL401") == []


@pytest.mark.parametrize("fallback", ["415 777 4444", "abc", "+14157774444"])
def test_a_file_without_phone_number_has_no_self_fallback(fallback: str) -> None:
    # The fallback is read without a region (there is none) and compared with nothing.
    findings = lint_text(AGENTS + f'fallback_number: "{fallback}"\n')
    assert [f.rule for f in findings if f.rule in ("RL401", "RL402")] == []
    assert "RL005" in [f.rule for f in findings]


def test_a_number_without_phone_number_is_no_chain_link() -> None:
    # The second entry has no phone_number: its fallback A (which has one) is not
    # reported as a chain, and A is not reported either.
    text = (
        "phone_numbers:\n"
        + entry(A, B)
        + '  - nickname: spare\n    fallback_number: "'
        + A
        + '"\n'
        + entry(B)
    )
    assert [f.rule for f in lint_text(text) if f.rule in ("RL401", "RL402")] == []


# -- RL401 without RL402 -----------------------------------------------------------------


def test_self_fallback_is_not_also_a_cycle() -> None:
    findings = lint_text("phone_numbers:\n" + entry(A, A) + entry(B, C) + entry(C))
    assert rows(findings) == [("RL401", 6, 22, "error", "phone_numbers[0].fallback_number")]


# -- RL402: every number is looked at ------------------------------------------------


def test_rl402_after_a_self_fallback_is_still_found() -> None:
    # The self-fallback (RL401's) comes first; the chain after it is still RL402.
    text = "phone_numbers:\n" + entry(A, A) + entry(B, C) + entry(C, D)
    assert [f.rule for f in lint_text(text)] == ["RL401", "RL402"]


def test_rl402_after_a_fallback_to_an_undeclared_number_is_still_found() -> None:
    text = "phone_numbers:\n" + entry(A, D) + entry(B, C) + entry(C, D)
    assert rows(lint_text(text)) == [("RL402", 11, 22, "error", "phone_numbers[1].fallback_number")]


def test_rl402_whole_message_names_the_targets_line() -> None:
    # The target's phone_number is on line 7 of the file, not line 1.
    text = "phone_numbers:\n" + entry(A, C) + entry(B) + entry(C, D)
    assert messages(text, "RL402") == [
        (
            "RL402",
            6,
            f"fallback_number {C} has a fallback of its own ({D}, n.yaml:11); Retell does not "
            "chain fallbacks — point at a number without one",
        )
    ]


# -- RL402 against the live account (check --online) ----------------------------------


def test_rl402_online_adds_the_live_accounts_chains() -> None:
    account = Account.build(
        numbers=[{"phone_number": D, "fallback_number": C}],
        agents=[],
    )
    result = engine.lint_sources(
        [Source("n.yaml", BASE + f'fallback_number: "{D}"\n')], make_config(), account=account
    )
    assert [(f.rule, f.line, f.message) for f in result.findings if f.rule == "RL402"] == [
        (
            "RL402",
            5,
            f"fallback_number {D} has a fallback of its own in the live account ({C}); "
            "Retell does not chain fallbacks — point at a number without one",
        )
    ]


def test_rl402_after_a_number_without_fallback_is_still_found() -> None:
    text = "phone_numbers:\n" + entry(D) + entry(A, B) + entry(B, C)
    assert rows(lint_text(text)) == [("RL402", 10, 22, "error", "phone_numbers[1].fallback_number")]


def test_rl402_names_the_line_of_the_targets_phone_number_not_of_its_entry() -> None:
    # The target entry starts with its nickname: its phone_number is on line 8.
    text = (
        "phone_numbers:\n"
        + entry(A, B)
        + "  - nickname: overflow\n"
        + entry(B, C).replace("  - phone_number", "    phone_number", 1)
    )
    (nested,) = (f for f in lint_text(text) if f.rule == "RL402")
    assert f"({C}, n.yaml:8);" in nested.message
