"""RL101, RL102, RL104, RL105: the number itself, its area code and its type (RL103 is in
test_checks_project.py)."""

from __future__ import annotations

import pytest
from lint_helpers import lint_text, rows

AGENTS = """\
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 1
"""


def number(phone: str, *extra: str) -> str:
    """A number with ``phone_number: phone`` on line 1 and ``extra`` lines from line 2."""
    return f"phone_number: {phone}\n" + "".join(line + "\n" for line in extra) + AGENTS


# -- RL101 phone-number-format -----------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "advice"),
    [
        ('"+1 (415) 777-4444"', 'write "+14157774444"'),
        ('"+1-415-777-4444"', 'write "+14157774444"'),
        ('"+4402079460958"', 'write "+442079460958"'),  # trunk prefix 0 after +44
        ('"14157774444"', 'write "+14157774444" if this is a US number'),
        ('"+14157774444 "', 'write "+14157774444"'),
    ],
)
def test_rl101_not_e164(phone: str, advice: str) -> None:
    findings = lint_text(number(phone))
    assert rows(findings) == [("RL101", 1, 15, "error", "phone_number")]
    assert advice in findings[0].message


def test_rl101_unparseable_text_has_no_advice() -> None:
    findings = lint_text(number('"front desk"'))
    assert rows(findings) == [("RL101", 1, 15, "error", "phone_number")]
    assert "write" not in findings[0].message


def test_rl101_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
          - phone_number: "+1 415 555 1234"
            inbound_agents:
              - agent_id: agent_sales
                weight: 1
        """
    )
    assert rows(findings) == [("RL101", 6, 19, "error", "phone_numbers[1].phone_number")]


@pytest.mark.parametrize("phone", ['"+14157774444"', '"+442079460958"', "'+16135550123'"])
def test_rl101_near_miss_canonical_numbers(phone: str) -> None:
    assert rows(lint_text(number(phone))) == []


def test_rl101_not_reported_for_an_unquoted_number() -> None:
    # RL007 reports it (with the E.164 advice); RL101 stays out.
    assert [f.rule for f in lint_text(number("4157774444"))] == ["RL007"]


# -- RL102 phone-number-invalid ----------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        '"+14150000000"',  # NANP exchange codes cannot begin with 0
        '"+1415777444"',  # a digit short
        '"+4420794609581"',  # a digit too many for a London number
    ],
)
def test_rl102_e164_shape_but_not_a_number(phone: str) -> None:
    findings = lint_text(number(phone))
    assert rows(findings) == [("RL102", 1, 15, "error", "phone_number")]
    assert "not a valid phone number" in findings[0].message


def test_rl102_message_names_the_country_code() -> None:
    findings = lint_text(number('"+14150000000"'))
    assert findings[0].message.endswith("of country code +1")


def test_rl102_near_misses() -> None:
    # Valid numbers, and a malformed one, which is RL101's alone.
    assert rows(lint_text(number('"+14157774444"'))) == []
    assert [f.rule for f in lint_text(number('"+1 (415) 000-0000"'))] == ["RL101"]


# -- RL104 area-code-mismatch ------------------------------------------------------


def test_rl104_area_code_of_another_area() -> None:
    findings = lint_text(number('"+14157774444"', "area_code: 212"))
    assert rows(findings) == [("RL104", 2, 12, "error", "area_code")]
    assert "whose area code is 415" in findings[0].message


@pytest.mark.parametrize("code", ["99", "1415", "0"])
def test_rl104_not_a_three_digit_area_code(code: str) -> None:
    findings = lint_text(number('"+14157774444"', f"area_code: {code}"))
    assert rows(findings) == [("RL104", 2, 12, "error", "area_code")]
    assert "is not a 3-digit US area code" in findings[0].message


def test_rl104_non_us_number_is_a_warning() -> None:
    findings = lint_text(number('"+442079460958"', "area_code: 415"))
    assert rows(findings) == [("RL104", 2, 12, "warning", "area_code")]
    assert "not a US number" in findings[0].message


def test_rl104_canadian_number_with_its_own_area_code_is_a_warning() -> None:
    findings = lint_text(number('"+16135550123"', "area_code: 613"))
    assert rows(findings) == [("RL104", 2, 12, "warning", "area_code")]
    assert "is a CA number" in findings[0].message


def test_rl104_canadian_number_with_a_us_area_code_is_the_same_warning() -> None:
    # Area codes are bought in the US only: a Canadian number is not a mismatch.
    findings = lint_text(number('"+16135550123"', "area_code: 212"))
    assert rows(findings) == [("RL104", 2, 12, "warning", "area_code")]
    assert "is a CA number" in findings[0].message


def test_rl104_configured_severity_overrides_the_warning() -> None:
    findings = lint_text(number('"+442079460958"', "area_code: 415"), rules={"RL104": "info"})
    assert rows(findings) == [("RL104", 2, 12, "info", "area_code")]


def test_rl104_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            area_code: 415
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
          - phone_number: "+14155551234"
            area_code: 510
            inbound_agents:
              - agent_id: agent_sales
                weight: 1
        """
    )
    assert rows(findings) == [("RL104", 8, 16, "error", "phone_numbers[1].area_code")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (number('"+14157774444"', "area_code: 415"), []),
        (number('"+14157774444"'), []),  # no area_code
        (number('"+14157774444"', "area_code: null"), []),
        # Without a +, the number is only assumed to be a US number: RL101's alone.
        (number('"4157774444"', "area_code: 212"), ["RL101"]),
    ],
)
def test_rl104_near_misses(text: str, expected: list[str]) -> None:
    assert [f.rule for f in lint_text(text)] == expected


def test_rl104_quoted_area_code_is_rl004_only() -> None:
    assert [f.rule for f in lint_text(number('"+14157774444"', 'area_code: "212"'))] == ["RL004"]


# -- RL105 invalid-phone-number-type -----------------------------------------------


@pytest.mark.parametrize(
    ("value", "guess"),
    [
        ("twilio", "retell-twilio"),
        ("Custom", "custom"),
        ("Retell-Telnyx", "retell-telnyx"),
        ("sip", None),
    ],
)
def test_rl105_unknown_type(value: str, guess: str | None) -> None:
    findings = lint_text(number('"+14157774444"', f"phone_number_type: {value}"))
    assert rows(findings) == [("RL105", 2, 20, "error", "phone_number_type")]
    if guess is None:
        assert "did you mean" not in findings[0].message
    else:
        assert findings[0].message.endswith(f"did you mean '{guess}'?")


@pytest.mark.parametrize("value", ["retell-twilio", "retell-telnyx", "custom"])
def test_rl105_near_misses_known_types(value: str) -> None:
    assert rows(lint_text(number('"+14157774444"', f"phone_number_type: {value}"))) == []


# -- Custom numbers: the import skips E.164 validation unless told not to -----------


@pytest.mark.parametrize("phone", ['"+10000000001"', '"+1000"', '"4000"'])
def test_custom_pseudo_number_is_not_an_error(phone: str) -> None:
    findings = lint_text(number(phone, "phone_number_type: custom"))
    assert [f for f in findings if f.rule in ("RL101", "RL102") and f.severity != "info"] == []
    assert {f.rule for f in findings} <= {"RL101", "RL102"}


def test_custom_number_with_e164_validation_on_is_checked() -> None:
    findings = lint_text(
        number('"+10000000001"', "phone_number_type: custom", "ignore_e164_validation: false")
    )
    assert rows(findings) == [("RL102", 1, 15, "error", "phone_number")]


@pytest.mark.parametrize("kind", ["retell-twilio", "retell-telnyx"])
def test_bought_pseudo_number_is_still_an_error(kind: str) -> None:
    findings = lint_text(number('"+10000000001"', f"phone_number_type: {kind}"))
    assert rows(findings) == [("RL102", 1, 15, "error", "phone_number")]


# -- RL106 invalid-create-option, RL107 field-not-for-number-type -------------------


@pytest.mark.parametrize(
    ("line", "column", "hint"),
    [
        ("number_provider: vonage", 18, None),
        ("number_provider: Twilio", 18, "write 'twilio'"),
        ("country_code: GB", 15, None),
        ("country_code: us", 15, "write 'US'"),
    ],
)
def test_rl106_values_the_create_request_rejects(line: str, column: int, hint: str | None) -> None:
    findings = lint_text(number('"+14157774444"', line))
    field = line.split(":")[0]
    assert rows(findings) == [("RL106", 2, column, "error", field)]
    if hint:
        assert hint in findings[0].message


@pytest.mark.parametrize(
    "lines",
    [
        ("number_provider: telnyx", "country_code: CA", "toll_free: true"),
        ("ignore_e164_validation: true", "phone_number_type: custom"),
    ],
)
def test_rl106_rl107_near_misses(lines: tuple[str, ...]) -> None:
    assert rows(lint_text(number('"+14157774444"', *lines))) == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('toll_free: "yes"', "'toll_free' must be a boolean (true or false), not a string"),
        ('ignore_e164_validation: "true"', "not a string ('true'); remove the quotes"),
        ("toll_free: 1", "'toll_free' must be a boolean (true or false), not an integer"),
    ],
)
def test_boolean_create_fields_are_rl004(line: str, message: str) -> None:
    findings = lint_text(number('"+14157774444"', line))
    assert [(f.rule, f.line) for f in findings] == [("RL004", 2)]
    assert message in findings[0].message


@pytest.mark.parametrize(
    "field", ["number_provider: twilio", "country_code: US", "toll_free: true"]
)
def test_rl107_purchase_fields_on_a_custom_number(field: str) -> None:
    findings = lint_text(number('"+14157774444"', "phone_number_type: custom", field))
    assert rows(findings) == [("RL107", 3, 1, "warning", field.split(":")[0])]


def test_rl107_import_field_on_a_bought_number() -> None:
    findings = lint_text(
        number(
            '"+14157774444"', "phone_number_type: retell-twilio", "ignore_e164_validation: false"
        )
    )
    assert rows(findings) == [("RL107", 3, 1, "warning", "ignore_e164_validation")]


def test_rl107_provider_disagrees_with_type() -> None:
    findings = lint_text(
        number('"+14157774444"', "phone_number_type: retell-twilio", "number_provider: telnyx")
    )
    assert rows(findings) == [("RL107", 3, 18, "warning", "number_provider")]
