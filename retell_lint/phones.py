"""Phone-number facts, from phonenumbers' metadata (imported on first use)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# Only ASCII digits: \d would also match other scripts' digits (+1415555١٢٣٤).
E164 = re.compile(r"^\+[1-9][0-9]{1,14}\Z")


class PhoneFacts(NamedTuple):
    text: str
    # Canonical E.164 text when the number can be parsed at all.
    e164: str | None
    canonical: bool
    valid: bool
    region: str | None
    country_code: int | None
    national_number: str | None
    # True when the number only parsed by assuming it is a US number.
    assumed_us: bool = False


@lru_cache(maxsize=65536)
def facts(text: str) -> PhoneFacts:
    import phonenumbers

    canonical = bool(E164.match(text))
    assumed_us = False
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        try:
            parsed = phonenumbers.parse(text, "US")
            assumed_us = True
        except phonenumbers.NumberParseException:
            return PhoneFacts(text, None, canonical, False, None, None, None)
    # E.164-shaped text that phonenumbers reads differently (a national prefix after
    # the country code, say) is not canonical.
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    valid = phonenumbers.is_valid_number(parsed)
    return PhoneFacts(
        text=text,
        e164=e164,
        canonical=canonical and e164 == text,
        valid=valid,
        region=phonenumbers.region_code_for_number(parsed) if valid else None,
        country_code=parsed.country_code,
        national_number=str(parsed.national_number),
        assumed_us=assumed_us,
    )


@lru_cache(maxsize=4096)
def regions_of(text: str) -> tuple[str, ...]:
    """Every region a valid number belongs to, its main region first.

    Numbering plans are shared: NANP toll-free numbers serve the US, Canada and the
    Caribbean, +47 4... serves Norway and Svalbard, UK freephone serves GB and GG.
    """
    import phonenumbers

    found = facts(text)
    if not found.valid or found.region is None or found.country_code is None:
        return ()
    parsed = phonenumbers.parse(text, None if not found.assumed_us else "US")
    others = (
        region
        for region in phonenumbers.region_codes_for_country_code(found.country_code)
        if region != found.region and phonenumbers.is_valid_number_for_region(parsed, region)
    )
    return (found.region, *others)


@lru_cache(maxsize=4096)
def in_region(text: str, region: str) -> str | None:
    """The E.164 form of ``text`` read as a number of ``region`` (national formats too)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def normalise(text: str) -> str:
    """The E.164 form of a number when it can be parsed, else the text itself."""
    found = facts(text)
    return found.e164 if found.e164 and not found.assumed_us else text
