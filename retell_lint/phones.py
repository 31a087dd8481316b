"""Phone-number facts, from phonenumbers' metadata (imported on first use)."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Any, NamedTuple

# Only ASCII digits: \d would also match other scripts' digits (+1415555١٢٣٤).
E164 = re.compile(r"^\+[1-9][0-9]{1,14}\Z")


def _library() -> Any:
    """phonenumbers' parsing, formatting and validation (``phonenumberutil``).

    Importing the ``phonenumbers`` package also imports its as-you-type formatter,
    number matcher and short-number data, which a lint never uses and which cost
    about a third of the library's import time. Unless the package is imported
    already, it is put in place unexecuted (its folder known, so its modules can
    be imported), and runs in full the first time anything asks it for a name.
    """
    loaded = sys.modules.get("phonenumbers.phonenumberutil")
    if loaded is not None:
        return loaded
    if "phonenumbers" not in sys.modules:
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec("phonenumbers")
        if spec is not None and spec.loader is not None and spec.submodule_search_locations:
            sys.modules["phonenumbers"] = _deferred_package(spec)
    import phonenumbers.phonenumberutil

    return phonenumbers.phonenumberutil


def _deferred_package(spec: Any) -> Any:
    import types

    package = types.ModuleType(spec.name)
    package.__spec__ = spec
    package.__file__ = spec.origin
    package.__path__ = list(spec.submodule_search_locations)
    package.__package__ = spec.name
    package.__loader__ = spec.loader

    def complete(name: str) -> Any:
        # Someone wants the whole package: run its __init__ now (it finds the
        # modules already imported), then answer from it.
        del package.__dict__["__getattr__"]
        spec.loader.exec_module(package)
        return getattr(package, name)

    package.__dict__["__getattr__"] = complete
    return package


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


# Facts already worked out (by this run, or remembered with a cached file).
_KNOWN: dict[str, PhoneFacts] = {}
MAX_KNOWN = 65536


def facts(text: str) -> PhoneFacts:
    found = _KNOWN.get(text)
    if found is None:
        if len(_KNOWN) >= MAX_KNOWN:
            _KNOWN.clear()
        found = _KNOWN[text] = _facts(text)
    return found


def known(text: str) -> PhoneFacts | None:
    """The facts of ``text`` if they were worked out already."""
    return _KNOWN.get(text)


def remember(found: PhoneFacts) -> None:
    """Take facts worked out before (the cache keeps them with a file's numbers)."""
    if len(_KNOWN) < MAX_KNOWN:
        _KNOWN.setdefault(found.text, found)


def _facts(text: str) -> PhoneFacts:
    phonenumbers = _library()

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
    region, valid = _region_and_validity(phonenumbers, parsed)
    return PhoneFacts(
        text=text,
        e164=e164,
        canonical=canonical and e164 == text,
        valid=valid,
        region=region if valid else None,
        country_code=parsed.country_code,
        national_number=str(parsed.national_number),
        assumed_us=assumed_us,
    )


def _region_and_validity(phonenumbers: Any, parsed: Any) -> tuple[str | None, bool]:
    """``region_code_for_number`` and ``is_valid_number`` (which is validity for that
    region), without working out the number's type twice.

    Where a calling code serves several regions without telling them apart by leading
    digits (NANP's +1), the library finds the region by validating the number against
    each region in turn; the region it stops at is one the number is valid for.
    """
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(parsed.country_code)
    if not regions:
        return None, False
    if len(regions) == 1:
        return regions[0], phonenumbers.is_valid_number_for_region(parsed, regions[0])
    national = phonenumbers.national_significant_number(parsed)
    unknown = phonenumbers.PhoneNumberType.UNKNOWN
    for region in regions:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is None:
            continue
        if metadata.leading_digits is not None:
            if phonenumbers.re_compile(metadata.leading_digits).match(national):
                return region, phonenumbers.is_valid_number_for_region(parsed, region)
        elif phonenumbers._number_type_helper(national, metadata) != unknown:
            return region, True
    return None, False


@lru_cache(maxsize=4096)
def regions_of(text: str) -> tuple[str, ...]:
    """Every region a valid number belongs to, its main region first.

    Numbering plans are shared: NANP toll-free numbers serve the US, Canada and the
    Caribbean, +47 4... serves Norway and Svalbard, UK freephone serves GB and GG.
    """
    phonenumbers = _library()
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
    phonenumbers = _library()

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
