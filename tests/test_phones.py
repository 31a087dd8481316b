"""What retell_lint.phones says of a number is what the phone-number library says."""

from __future__ import annotations

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from retell_lint.phones import _facts


def library_says(text: str) -> tuple[bool, str | None]:
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        parsed = phonenumbers.parse(text, "US")
    valid = phonenumbers.is_valid_number(parsed)
    return valid, phonenumbers.region_code_for_number(parsed) if valid else None


def test_every_region_s_example_numbers_are_valid_in_their_region():
    seen = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.TOLL_FREE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            text = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            found = _facts(text)
            assert (found.valid, found.region) == library_says(text), text
            seen += 1
    assert seen > 300


@settings(max_examples=800, deadline=None)
@given(
    # Calling codes shared by several regions, told apart by digits or by validation.
    st.sampled_from(
        ["+1", "+44", "+7", "+47", "+61", "+262", "+590", "+39", "+358", "+599", "+212", "+290"]
    ),
    st.text("0123456789", min_size=4, max_size=12),
)
def test_random_numbers_get_the_library_s_validity_and_region(code, digits):
    text = code + digits
    try:
        expected = library_says(text)
    except phonenumbers.NumberParseException:
        assert not _facts(text).valid
        return
    found = _facts(text)
    assert (found.valid, found.region) == expected
