"""RL201–RL204: the allowed country lists."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache

from retell_lint.build import NumberDoc
from retell_lint.checks import RuleContext, number_check
from retell_lint.fields import COUNTRY_LISTS
from retell_lint.findings import Hit
from retell_lint.phones import facts, regions_of

# Codes people write that ISO 3166-1 spells otherwise.
COMMON_MISTAKES = {"UK": "GB", "EN": "GB", "EL": "GR"}
# A fuzzy search of country names takes ~10 ms: suggestions stop after this many
# per file (a file of thousands of bad codes must not take minutes).
MAX_SUGGESTIONS_PER_FILE = 50
# Regions libphonenumber numbers belong to that ISO 3166-1 does not assign (Kosovo,
# Ascension Island, Tristan da Cunha): a number of theirs has one of these as its
# country, so the lists must be able to name them.
PHONE_ONLY_REGIONS = frozenset({"XK", "AC", "TA"})
# libphonenumber's region for non-geographic numbers (+800, +808, +870, +881-883, +979).
NON_GEOGRAPHIC = "001"


@cache
def alpha2_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes from pycountry's database.

    The database file is read directly: importing pycountry costs more than a
    whole one-file lint; it is imported only to suggest a code for a bad one.
    """
    import json
    from importlib.util import find_spec

    spec = find_spec("pycountry")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        try:
            with open(f"{folder}/databases/iso3166-1.json", encoding="utf-8") as handle:
                entries = json.load(handle)["3166-1"]
            return frozenset(entry["alpha_2"] for entry in entries)
        except (OSError, KeyError, ValueError):
            continue
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def accepted_regions() -> frozenset[str]:
    """The country codes the lists accept: ISO 3166-1 alpha-2 and libphonenumber's
    regions."""
    return alpha2_codes() | PHONE_ONLY_REGIONS


@lru_cache(maxsize=4096)
def suggest_code(value: str) -> str | None:
    """The alpha-2 code someone most likely meant by ``value``."""
    cleaned = value.strip()
    upper = cleaned.upper()
    if upper in COMMON_MISTAKES:
        return COMMON_MISTAKES[upper]
    if upper in accepted_regions():
        return upper
    import pycountry

    try:
        country = pycountry.countries.lookup(cleaned)
    except LookupError:
        matches = []
        try:
            matches = pycountry.countries.search_fuzzy(cleaned)
        except LookupError:
            return None
        return str(matches[0].alpha_2) if len(matches) == 1 else None
    return str(country.alpha_2)


def _lists(number: NumberDoc) -> Iterator[tuple[str, list[str]]]:
    for name in COUNTRY_LISTS:
        value = getattr(number.config, name, None)
        if isinstance(value, list):
            yield name, value


@number_check("invalid-country-code")
def invalid_country_code(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, codes in _lists(number):
        for index, code in enumerate(codes):
            path = f"{name}[{index}]"
            # Entries of the wrong type were reported while reading.
            if path in number.invalid or path in number.implicit or code in accepted_regions():
                continue
            if not code.strip():
                yield ctx.at_value(number, path, "an empty string is not a country code")
                continue
            message = f"'{code}' is not an ISO 3166-1 alpha-2 country code"
            spent: dict[str, int] = ctx.params.setdefault("_suggestions_by_file", {})
            spent[number.file] = spent.get(number.file, 0) + 1
            if spent[number.file] > MAX_SUGGESTIONS_PER_FILE:
                yield ctx.at_value(number, path, message)
                continue
            guess = suggest_code(code)
            if guess:
                message += f"; did you mean '{guess}'?"
            yield ctx.at_value(number, path, message)


@number_check("duplicate-country-code")
def duplicate_country_code(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, codes in _lists(number):
        seen: dict[str, int] = {}
        for index, code in enumerate(codes):
            # Only real codes: a misspelt one is RL201's, and 'us' beside 'US' too.
            key = code
            if key not in accepted_regions():
                continue
            if key in seen:
                yield ctx.at_value(
                    number,
                    f"{name}[{index}]",
                    f"'{code}' is already in {name} (entry {seen[key] + 1}); remove this one",
                )
            else:
                seen[key] = index


@number_check("own-country-not-allowed")
def own_country_not_allowed(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    text = number.phone_number
    if text is None:
        return
    found = facts(text)
    if found.region is None:
        return
    for name, codes in _lists(number):
        if not codes or found.region in codes:
            continue
        # The number belongs to every region libphonenumber validates it for.
        regions = set(regions_of(text))
        if regions & set(codes):
            continue
        paths = [f"{name}[{index}]" for index in range(len(codes))]
        if any(path in number.invalid or path in number.implicit for path in paths):
            continue  # an entry of the wrong type may have been meant as the country
        if any(code not in accepted_regions() for code in codes):
            continue  # RL201 reports the bad code; one mistake, one finding
        direction = "from" if "inbound" in name else "to"
        if found.region == NON_GEOGRAPHIC:
            # No country to add: "001" is libphonenumber's, not an ISO 3166 code.
            yield ctx.at_key(
                number,
                name,
                f"{text} is a non-geographic number (+{found.country_code}), which belongs "
                f"to no country: {name} allows calls {direction} the countries it lists "
                "only, so list every country the number must serve, or write null to allow "
                "every country",
            )
            continue
        own = found.region
        others = sorted(regions - {own})
        where = own
        if len(others) > 3:
            where += f" (or {len(others)} other regions of its numbering plan)"
        elif others:
            where += f" (or {', '.join(others)})"
        yield ctx.at_key(
            number,
            name,
            f"{name} does not include {where}, the country of {text}: calls {direction} "
            f"the number's own country are blocked; add {own} if that is not intended",
        )


@number_check("empty-country-list")
def empty_country_list(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, codes in _lists(number):
        if not codes:
            yield ctx.at_key(
                number,
                name,
                f"an empty {name} allows every country; write null or leave the field out "
                "to say so",
            )
