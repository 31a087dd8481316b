"""RL101-RL105 pinned exactly: the area-code range at both ends, whole messages, and the
severity and place of the findings for custom numbers that skip E.164 validation."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, lint_text

A = "+14157774444"
CUSTOM = (
    "phone_number_type: custom\nsip_outbound_trunk_config:\n  termination_uri: sip.example.com\n"
)


def findings_of(text: str) -> list[tuple[str, int, int, str, str, str]]:
    return [(f.rule, f.line, f.column, f.severity, f.path, f.message) for f in lint_text(text)]


# -- RL104: the 3-digit range, 200 to 999 inclusive ---------------------------------


@pytest.mark.parametrize(
    ("area_code", "message"),
    [
        (199, "area_code 199 is not a 3-digit US area code"),
        (200, f"area_code 200 does not match {A}, whose area code is 415"),
        (999, f"area_code 999 does not match {A}, whose area code is 415"),
        (1000, "area_code 1000 is not a 3-digit US area code"),
    ],
)
def test_rl104_range_boundaries(area_code: int, message: str) -> None:
    assert findings_of(BASE + f"area_code: {area_code}\n") == [
        ("RL104", 5, 12, "error", "area_code", message)
    ]


@pytest.mark.parametrize(
    ("phone", "what"),
    [("+16135550123", "is a CA number"), ("+442079460958", "is not a US number")],
)
def test_rl104_outside_the_us_whole_message(phone: str, what: str) -> None:
    assert findings_of(BASE.replace(A, phone) + "area_code: 613\n") == [
        (
            "RL104",
            5,
            12,
            "warning",
            "area_code",
            f"area_code is set, but {phone} {what}; area codes apply only to US numbers",
        )
    ]


# -- RL105 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "suffix"), [("Twilio", "; did you mean 'retell-twilio'?"), ("sip", "")]
)
def test_rl105_whole_message(value: str, suffix: str) -> None:
    assert [m for *_, m in findings_of(BASE + f"phone_number_type: {value}\n")] == [
        f"phone_number_type '{value}' is not one of retell-twilio, retell-telnyx, custom{suffix}"
    ]


# -- RL101 -----------------------------------------------------------------------------

FORM = "is not in E.164 form (+, country code and digits, nothing else)"


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        # Parsed, but no such range: no suggestion.
        ("+1 415 123 4567", f"'+1 415 123 4567' {FORM}"),
        # Another country's number: a suggestion without the US proviso.
        ("+44 20 7946 0958", f"'+44 20 7946 0958' {FORM}; write \"+442079460958\""),
        ("415 777 4444", f"'415 777 4444' {FORM}; write \"{A}\" if this is a US number"),
    ],
)
def test_rl101_whole_message(phone: str, message: str) -> None:
    assert findings_of(BASE.replace(A, phone)) == [
        ("RL101", 1, 15, "error", "phone_number", message)
    ]


def test_rl101_custom_number_is_info_with_the_imports_reason() -> None:
    assert findings_of(BASE.replace(A, "415 777 4444") + CUSTOM) == [
        (
            "RL101",
            1,
            15,
            "info",
            "phone_number",
            f"'415 777 4444' {FORM}; write \"{A}\" if this is a US number (the import skips "
            "E.164 validation unless ignore_e164_validation: false, so Retell accepts it as "
            "written)",
        )
    ]


# -- RL102 -----------------------------------------------------------------------------


def test_rl102_custom_number_is_info_that_says_why() -> None:
    assert findings_of(BASE.replace(A, "+14150000000") + CUSTOM) == [
        (
            "RL102",
            1,
            15,
            "info",
            "phone_number",
            "+14150000000 is not a valid phone number: no such number range in the numbering "
            "plan of country code +1; it cannot be dialled from the public network",
        )
    ]


def test_rl102_stays_out_of_an_unquoted_number() -> None:
    # RL007 says to quote it; the number itself is judged once it is a string.
    assert [f.rule for f in lint_text(BASE.replace(f'"{A}"', "+14150000000"))] == ["RL007"]
