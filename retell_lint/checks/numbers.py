"""RL101–RL105: the number itself, its area code and its type."""

from __future__ import annotations

from collections.abc import Iterator

from retell_lint.build import NumberDoc
from retell_lint.checks import RuleContext, number_check
from retell_lint.fields import PHONE_NUMBER_TYPES
from retell_lint.findings import Hit
from retell_lint.phones import facts


def e164_skipped(number: NumberDoc) -> bool:
    """Whether the API skips E.164 validation of this number.

    The import request skips it unless ignore_e164_validation is false (the SDK's
    docstring: default true, "useful for internal pseudo numbers"), and only custom
    numbers are imported.
    """
    config = number.config
    return config.phone_number_type == "custom" and config.ignore_e164_validation is not False


@number_check("phone-number-format")
def phone_number_format(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    text = number.phone_number
    if text is None or "phone_number" in number.implicit:
        return
    found = facts(text)
    if found.canonical:
        return
    message = f"'{text}' is not in E.164 form (+, country code and digits, nothing else)"
    if any(char.isdigit() and not char.isascii() for char in text):
        message += "; it has digits other than 0-9, which make it another number"
    if found.e164 and found.valid:
        assumed = " if this is a US number" if found.assumed_us else ""
        message += f'; write "{found.e164}"{assumed}'
    if e164_skipped(number):
        message += (
            " (the import skips E.164 validation unless ignore_e164_validation: false, so "
            "Retell accepts it as written)"
        )
        yield ctx.at_value(number, "phone_number", message, severity="info")
        return
    yield ctx.at_value(number, "phone_number", message)


@number_check("phone-number-invalid")
def phone_number_invalid(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    text = number.phone_number
    if text is None or "phone_number" in number.implicit:
        return
    found = facts(text)
    if not found.canonical or found.valid:
        return
    message = f"{text} is not a valid phone number: no such number range in the numbering plan" + (
        f" of country code +{found.country_code}" if found.country_code else ""
    )
    if e164_skipped(number):
        # An internal pseudo number on a custom trunk: valid for the import.
        yield ctx.at_value(
            number,
            "phone_number",
            message + "; it cannot be dialled from the public network",
            severity="info",
        )
        return
    yield ctx.at_value(number, "phone_number", message)


@number_check("area-code-mismatch")
def area_code_mismatch(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    area_code = number.config.area_code
    if not isinstance(area_code, int) or isinstance(area_code, bool):
        return
    if not 200 <= area_code <= 999:
        yield ctx.at_value(
            number, "area_code", f"area_code {area_code} is not a 3-digit US area code"
        )
        return
    text = number.phone_number
    if text is None:
        return
    found = facts(text)
    if found.country_code is None or found.national_number is None or found.assumed_us:
        return
    if found.country_code != 1:
        yield ctx.at_value(
            number,
            "area_code",
            f"area_code is set, but {text} is not a US number; area codes apply only to US numbers",
            severity="warning",
        )
        return
    if found.region is not None and found.region != "US":
        # A NANP number outside the US (Canada, the Caribbean): Retell buys area
        # codes in the US only, whatever the digits say.
        yield ctx.at_value(
            number,
            "area_code",
            f"area_code is set, but {text} is a {found.region} number; area codes apply "
            "only to US numbers",
            severity="warning",
        )
        return
    actual = found.national_number[:3]
    if actual != str(area_code):
        yield ctx.at_value(
            number,
            "area_code",
            f"area_code {area_code} does not match {text}, whose area code is {actual}",
        )


@number_check("invalid-phone-number-type")
def invalid_phone_number_type(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    value = number.config.phone_number_type
    if not isinstance(value, str) or value in PHONE_NUMBER_TYPES:
        return
    message = f"phone_number_type '{value}' is not one of {', '.join(PHONE_NUMBER_TYPES)}"
    lowered = value.strip().lower()
    guess = next((t for t in PHONE_NUMBER_TYPES if lowered in (t, t.removeprefix("retell-"))), None)
    if guess:
        message += f"; did you mean '{guess}'?"
    yield ctx.at_value(number, "phone_number_type", message)
