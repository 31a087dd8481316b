"""RL106–RL107: the parameters of buying (create) and importing a number."""

from __future__ import annotations

from collections.abc import Iterator

from retell_lint.build import NumberDoc
from retell_lint.checks import RuleContext, number_check
from retell_lint.fields import NUMBER_FIELDS, RETELL_TYPES
from retell_lint.findings import Hit

# Fields that choose how Retell buys a number, and those of an import.
PURCHASE_FIELDS = ("number_provider", "country_code", "toll_free")
IMPORT_FIELDS = ("ignore_e164_validation",)


@number_check("invalid-create-option")
def invalid_create_option(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name in ("number_provider", "country_code"):
        value = getattr(number.config, name)
        choices = NUMBER_FIELDS[name].choices or ()
        if not isinstance(value, str) or value in choices:
            continue
        message = f"{name} '{value}' is not one of {', '.join(choices)}"
        guess = next((c for c in choices if c.lower() == value.strip().lower()), None)
        if guess:
            message += f"; write '{guess}'"
        yield ctx.at_value(number, name, message)


@number_check("field-not-for-number-type")
def field_not_for_number_type(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    config = number.config
    kind = config.phone_number_type
    declared = number.declared
    if kind == "custom":
        for name in PURCHASE_FIELDS:
            if name in declared:
                yield ctx.at_key(
                    number,
                    name,
                    f"{name} applies when Retell buys a number; this custom number is imported "
                    "from your SIP trunk, so it has no effect; remove it",
                )
    elif kind in RETELL_TYPES:
        for name in IMPORT_FIELDS:
            if name in declared:
                yield ctx.at_key(
                    number,
                    name,
                    f"{name} applies when a custom number is imported; this {kind} number "
                    "was bought through Retell, so it has no effect; remove it",
                )
        provider = config.number_provider
        if isinstance(provider, str) and provider in ("twilio", "telnyx"):
            expected = kind.removeprefix("retell-")
            if provider != expected:
                yield ctx.at_value(
                    number,
                    "number_provider",
                    f"number_provider {provider} disagrees with phone_number_type {kind}; "
                    f"a {kind} number comes from {expected}",
                )
