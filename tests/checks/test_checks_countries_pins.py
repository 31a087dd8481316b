"""RL201-RL204 pinned exactly: where the suggestion cap starts, where "(or N other
regions)" starts, every entry and both lists looked at, whole messages."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, lint_files, lint_text, rows

from retell_lint.checks.countries import MAX_SUGGESTIONS_PER_FILE

IN = "allowed_inbound_country_list"
OUT = "allowed_outbound_country_list"


def with_phone(phone: str, *lines: str) -> str:
    return BASE.replace("+14157774444", phone) + "".join(line + "\n" for line in lines)


# -- RL201: the suggestion cap, per file ---------------------------------------------


def bad_codes(count: int) -> str:
    """A number whose inbound list holds ``count`` entries "UK" (each one line, from line 6)."""
    return BASE + f"{IN}:\n" + "".join("  - UK\n" for _ in range(count))


def test_suggestions_stop_after_the_cap_and_every_code_is_still_reported() -> None:
    count = MAX_SUGGESTIONS_PER_FILE + 2
    findings = [f for f in lint_text(bad_codes(count)) if f.rule == "RL201"]
    # Every entry is reported, each on its own line, with or without a suggestion.
    assert [(f.line, f.path) for f in findings] == [
        (6 + index, f"{IN}[{index}]") for index in range(count)
    ]
    with_guess = "'UK' is not an ISO 3166-1 alpha-2 country code; did you mean 'GB'?"
    without = "'UK' is not an ISO 3166-1 alpha-2 country code"
    assert [f.message for f in findings] == [with_guess] * MAX_SUGGESTIONS_PER_FILE + [without] * 2


def test_the_cap_is_counted_per_file() -> None:
    findings = lint_files({"a.yaml": bad_codes(MAX_SUGGESTIONS_PER_FILE), "b.yaml": bad_codes(1)})
    assert all(f.message.endswith("did you mean 'GB'?") for f in findings if f.rule == "RL201")
    assert len([f for f in findings if f.rule == "RL201"]) == MAX_SUGGESTIONS_PER_FILE + 1


def test_rl201_whole_messages() -> None:
    findings = lint_text(BASE + f'{IN}: ["", ZZ, "  ", UK]\n')
    assert [(f.rule, f.column, f.message) for f in findings] == [
        ("RL201", 32, "an empty string is not a country code"),
        ("RL201", 36, "'ZZ' is not an ISO 3166-1 alpha-2 country code"),
        ("RL201", 40, "an empty string is not a country code"),
        ("RL201", 46, "'UK' is not an ISO 3166-1 alpha-2 country code; did you mean 'GB'?"),
    ]


# -- RL202: every entry is looked at ----------------------------------------------------


def test_rl202_repeat_after_a_misspelt_code_is_still_found() -> None:
    findings = lint_text(BASE + f"{IN}: [ZZ, US, US]\n")
    assert [(f.rule, f.path, f.message) for f in findings] == [
        ("RL201", f"{IN}[0]", "'ZZ' is not an ISO 3166-1 alpha-2 country code"),
        (
            "RL202",
            f"{IN}[2]",
            f"'US' is already in {IN} (entry 2); remove this one",
        ),
    ]


# -- RL203: both lists, and where "(or N other regions)" starts ----------------------


@pytest.mark.parametrize(
    ("inbound", "outbound"),
    [
        ("[US]", "[CA]"),  # the first list includes the country
        ("[CA]", "[CA]"),  # the first list includes another region of the number...
    ],
)
def test_rl203_second_list_is_checked_after_the_first_passes(inbound: str, outbound: str) -> None:
    phone = "+18005550100" if inbound == "[CA]" else "+14157774444"
    # ...so for the toll-free number, CA in both lists passes both; swap in FR to fail.
    text = with_phone(phone, f"{IN}: {inbound}", f"{OUT}: {outbound.replace('CA', 'FR')}")
    assert rows(lint_text(text)) == [("RL203", 6, 1, "warning", OUT)]


@pytest.mark.parametrize("inbound", ["[1]", "[ZZ]"])
def test_rl203_second_list_is_checked_after_the_first_is_left_to_other_rules(
    inbound: str,
) -> None:
    # The inbound list has an entry of the wrong type (RL004) or a bad code (RL201):
    # RL203 stays out of it, and still looks at the outbound list.
    findings = lint_text(with_phone("+14157774444", f"{IN}: {inbound}", f"{OUT}: [FR]"))
    assert [(f.rule, f.path) for f in findings if f.rule == "RL203"] == [("RL203", OUT)]


def test_rl203_stays_out_of_a_list_with_one_entry_of_the_wrong_type() -> None:
    findings = lint_text(with_phone("+14157774444", f"{IN}: [FR, 1]"))
    assert [f.rule for f in findings if f.rule == "RL203"] == []


@pytest.mark.parametrize(
    ("phone", "where"),
    [
        ("+14157774444", "US"),
        ("+212528812345", "MA (or EH)"),  # one other region
        ("+448007354567", "GB (or GG, JE)"),  # two
        ("+443301234567", "GB (or GG, IM, JE)"),  # three: still named
        ("+18002123456", "US (or 24 other regions of its numbering plan)"),
    ],
)
def test_rl203_whole_message_names_up_to_three_other_regions(phone: str, where: str) -> None:
    findings = lint_text(with_phone(phone, f"{IN}: [FR]"))
    assert [(f.rule, f.message) for f in findings] == [
        (
            "RL203",
            f"{IN} does not include {where}, the country of {phone}: calls from the number's "
            f"own country are blocked; add {where.split()[0]} if that is not intended",
        )
    ]


# -- RL204 -------------------------------------------------------------------------------


def test_rl204_whole_message() -> None:
    findings = lint_text(BASE + f"{OUT}: []\n")
    assert [(f.rule, f.message) for f in findings] == [
        (
            "RL204",
            f"an empty {OUT} allows every country; write null or leave the field out to say so",
        )
    ]
