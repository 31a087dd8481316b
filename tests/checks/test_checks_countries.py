"""RL201-RL204: the allowed country lists."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, lint_text, rows

IN = "allowed_inbound_country_list"
OUT = "allowed_outbound_country_list"


def with_lines(*lines: str, base: str = BASE) -> str:
    """BASE (lines 1-4) followed by ``lines`` from line 5."""
    return base + "".join(line + "\n" for line in lines)


GB_BASE = BASE.replace("+14157774444", "+442079460958")

# -- RL201 invalid-country-code ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "column", "guess"),
    [
        ("UK", 36, "GB"),
        ("us", 36, "US"),
        ("USA", 36, "US"),
        ('"United States"', 36, "US"),
        ("EU", 36, None),
    ],
)
def test_rl201_not_an_alpha2_code(value: str, column: int, guess: str | None) -> None:
    findings = lint_text(with_lines(f"{IN}: [US, {value}]"))
    assert rows(findings) == [("RL201", 5, column, "error", f"{IN}[1]")]
    if guess is None:
        assert "did you mean" not in findings[0].message
    else:
        assert findings[0].message.endswith(f"did you mean '{guess}'?")


def test_rl201_empty_string() -> None:
    findings = lint_text(with_lines(f'{OUT}: [US, ""]'))
    assert rows(findings) == [("RL201", 5, 37, "error", f"{OUT}[1]")]
    assert findings[0].message == "an empty string is not a country code"


def test_rl201_acceptance_case_block_list() -> None:
    findings = lint_text(
        """
        phone_number: "+442079460958"
        allowed_inbound_country_list:
          - GB
          - UK
          - us
        """
    )
    assert rows(findings, "RL201") == [
        ("RL201", 4, 5, "error", f"{IN}[1]"),
        ("RL201", 5, 5, "error", f"{IN}[2]"),
    ]


def test_rl201_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
            allowed_outbound_country_list: [US, CAN]
        """
    )
    assert rows(findings) == [("RL201", 6, 41, "error", f"phone_numbers[0].{OUT}[1]")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"{IN}: [US, GB, CA]", []),
        (f'{IN}: [US, "NO"]', []),
        # Entries of the wrong type are the reader's (RL004, RL007), not RL201's.
        (f"{IN}: [US, null]", ["RL004"]),
        (f"{IN}: [US, 44]", ["RL007"]),
    ],
)
def test_rl201_near_misses(line: str, expected: list[str]) -> None:
    assert [f.rule for f in lint_text(with_lines(line))] == expected


# -- RL202 duplicate-country-code --------------------------------------------------


def test_rl202_repeated_code_points_at_the_repeat() -> None:
    findings = lint_text(with_lines(f"{OUT}: [US, CA, US]"))
    assert rows(findings) == [("RL202", 5, 41, "warning", f"{OUT}[2]")]
    assert findings[0].message == f"'US' is already in {OUT} (entry 1); remove this one"


def test_rl202_block_list_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
            allowed_inbound_country_list:
              - US
              - CA
              - CA
        """
    )
    assert rows(findings) == [("RL202", 9, 9, "warning", f"phone_numbers[0].{IN}[2]")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"{IN}: [US, CA]", []),
        # 'us' beside 'US' is a misspelt code (RL201), not a second US.
        (f"{IN}: [US, us]", ["RL201"]),
    ],
)
def test_rl202_near_misses(line: str, expected: list[str]) -> None:
    assert [f.rule for f in lint_text(with_lines(line))] == expected


def test_rl202_same_code_in_the_two_lists_is_not_a_repeat() -> None:
    assert rows(lint_text(with_lines(f"{IN}: [US, CA]", f"{OUT}: [US, CA]"))) == []


# -- RL203 own-country-not-allowed -------------------------------------------------


def test_rl203_inbound_list_without_the_own_country_points_at_the_key() -> None:
    findings = lint_text(with_lines(f"{IN}: [CA]"))
    assert rows(findings) == [("RL203", 5, 1, "warning", IN)]
    assert "does not include US" in findings[0].message
    assert "calls from the number's own country" in findings[0].message


def test_rl203_outbound_list_of_a_uk_number() -> None:
    findings = lint_text(with_lines(f"{OUT}:", "  - US", "  - IE", base=GB_BASE))
    assert rows(findings) == [("RL203", 5, 1, "warning", OUT)]
    assert "does not include GB" in findings[0].message
    assert "calls to the number's own country" in findings[0].message


def test_rl203_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
            allowed_inbound_country_list: [US]
          - phone_number: "+16135550123"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
            allowed_inbound_country_list: [US]
        """
    )
    assert rows(findings) == [("RL203", 11, 5, "warning", f"phone_numbers[1].{IN}")]
    assert "does not include CA" in findings[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (with_lines(f"{IN}: [US, CA]"), []),
        (with_lines(f"{IN}: [CA, US]", f"{OUT}: [US]"), []),
        (with_lines(f"{IN}: null"), []),
        (with_lines(f"{IN}: []"), ["RL204"]),  # empty allows every country
        (with_lines(f"{IN}: [GB, FR]", base=GB_BASE), []),
        # UK is a misspelling of GB (RL201), but it names the number's country.
        (with_lines(f"{IN}: [UK]", base=GB_BASE), ["RL201"]),
        # An invalid number has no country to compare with.
        (with_lines(f"{IN}: [CA]", base=BASE.replace("+14157774444", "+14150000000")), ["RL102"]),
    ],
)
def test_rl203_near_misses(text: str, expected: list[str]) -> None:
    assert [f.rule for f in lint_text(text)] == expected


# -- RL204 empty-country-list ------------------------------------------------------


def test_rl204_empty_list_points_at_the_key() -> None:
    findings = lint_text(with_lines(f"{OUT}: []"))
    assert rows(findings) == [("RL204", 5, 1, "info", OUT)]
    assert "allows every country" in findings[0].message


def test_rl204_both_lists() -> None:
    findings = lint_text(with_lines(f"{IN}: []", f"{OUT}: []"))
    assert rows(findings) == [("RL204", 5, 1, "info", IN), ("RL204", 6, 1, "info", OUT)]


@pytest.mark.parametrize("line", [f"{OUT}: null", f"{OUT}:", f"{OUT}: [US]", "nickname: x"])
def test_rl204_near_misses(line: str) -> None:
    assert rows(lint_text(with_lines(line))) == []


# -- RL203 and shared numbering plans ----------------------------------------------


def _example_numbers() -> list[tuple[str, str, str]]:
    """libphonenumber's own example number of every region and number type."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    types = [
        value
        for name, value in vars(PhoneNumberType).items()
        if name.isupper() and name not in ("UNKNOWN", "FIXED_LINE_OR_MOBILE")
    ]
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in types:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None or not phonenumbers.is_valid_number(example):
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            found.append((region, str(kind), e164))
    return found


def test_rl203_no_false_alarm_for_any_example_number_in_its_own_region() -> None:
    from retell_lint.checks.countries import alpha2_codes

    false_alarms = []
    checked = 0
    for region, kind, e164 in _example_numbers():
        if region not in alpha2_codes():
            continue  # 001 and other non-country regions cannot be listed
        text = BASE.replace("+14157774444", e164) + f'{IN}: ["{region}"]\n'
        checked += 1
        if rows(lint_text(text), "RL203"):
            false_alarms.append((region, kind, e164))
    assert checked > 1000
    assert false_alarms == []


@pytest.mark.parametrize(
    ("phone", "region"),
    [
        ("+18005550100", "CA"),  # NANP toll-free: Retell sells Canadian toll-free numbers
        ("+18005550100", "JM"),
        ("+448001234567", "GG"),  # UK freephone serves the Crown Dependencies too
        ("+447797712345", "JE"),  # a Jersey mobile, though +44 is GB's country code
        ("+4741234567", "SJ"),  # Norway's +47 4... serves Svalbard
        ("+61412345678", "CX"),
        ("+358401234567", "AX"),
        ("+590690001234", "MF"),
    ],
)
def test_rl203_shared_numbering_plan(phone: str, region: str) -> None:
    text = BASE.replace("+14157774444", phone) + f'{IN}: ["{region}"]\n'
    assert rows(lint_text(text), "RL203") == []


def test_rl203_still_warns_outside_the_shared_plan() -> None:
    text = BASE.replace("+14157774444", "+448001234567") + f'{IN}: ["FR"]\n'
    findings = lint_text(text)
    assert rows(findings) == [("RL203", 5, 1, "warning", IN)]
    assert "does not include GB (or GG)" in findings[0].message
    toll_free = BASE.replace("+14157774444", "+18005550100") + f'{IN}: ["FR"]\n'
    message = lint_text(toll_free)[0].message
    assert "does not include US (or 24 other regions of its numbering plan)" in message


@pytest.mark.parametrize("codes", ['["USA"]', '["us"]', '["UK", "CA"]', '["", "CA"]'])
def test_no_cascade_an_invalid_code_is_rl201_only(codes: str) -> None:
    findings = lint_text(BASE + f"{IN}: {codes}\n")
    assert {f.rule for f in findings} == {"RL201"}
