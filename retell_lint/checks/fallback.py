"""RL401–RL403: the fallback number (RL402 looks across numbers)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from retell_lint.build import NumberDoc
from retell_lint.checks import RuleContext, number_check, project_check
from retell_lint.findings import Hit
from retell_lint.phones import facts, in_region, normalise


def fallback_of(number: NumberDoc) -> str | None:
    value = number.config.fallback_number
    return value if isinstance(value, str) and value else None


def fallback_key(number: NumberDoc) -> str | None:
    """The fallback's E.164 form; a national-format fallback is read in the number's
    own region, as a person dialling from that number would read it."""
    fallback = fallback_of(number)
    if fallback is None:
        return None
    found = facts(fallback)
    if found.e164 and not found.assumed_us:
        return found.e164
    own = number.phone_number
    region = facts(own).region if own is not None else None
    if region is not None:
        local = in_region(fallback, region)
        if local is not None:
            return local
    return normalise(fallback)


def own_key(number: NumberDoc) -> str | None:
    own = number.phone_number
    return normalise(own) if own is not None else None


def pseudo_numbers(numbers: Sequence[NumberDoc], ctx: RuleContext) -> frozenset[str]:
    """Custom numbers imported without E.164 validation (RL102 accepts them as they are):
    the declared ones, and with check --online the account's custom numbers."""
    from retell_lint.checks.numbers import e164_skipped

    found = {n.phone_number for n in numbers if n.phone_number and e164_skipped(n)}
    account = ctx.account
    if account is not None:
        found.update(
            key
            for key, live in account.numbers.items()
            if isinstance(live, dict) and live.get("phone_number_type") == "custom"
        )
    return frozenset(found)


@project_check("invalid-fallback-number")
def invalid_fallback_numbers(numbers: Sequence[NumberDoc], ctx: RuleContext) -> Iterator[Hit]:
    pseudo = pseudo_numbers(numbers, ctx)
    for number in numbers:
        yield from invalid_fallback_number(number, ctx, pseudo)


def invalid_fallback_number(
    number: NumberDoc, ctx: RuleContext, pseudo: frozenset[str] = frozenset()
) -> Iterator[Hit]:
    fallback = number.config.fallback_number
    if not isinstance(fallback, str) or "fallback_number" in number.implicit:
        return
    if not fallback.strip():
        yield ctx.at_value(
            number, "fallback_number", "fallback_number is empty; write null to have none"
        )
        return
    found = facts(fallback)
    if found.canonical and (found.valid or fallback in pseudo):
        return  # a valid number, or the pseudo number of a custom one
    if not found.canonical:
        message = f"fallback_number '{fallback}' is not in E.164 form"
        if any(char.isdigit() and not char.isascii() for char in fallback):
            message += " (it has digits other than 0-9)"
        if found.e164 and found.valid:
            assumed = " if this is a US number" if found.assumed_us else ""
            message += f'; write "{found.e164}"{assumed}'
    else:
        message = f"fallback_number {fallback} is not a valid phone number"
    yield ctx.at_value(number, "fallback_number", message)


@number_check("fallback-to-self")
def fallback_to_self(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    fallback, key, own = fallback_of(number), fallback_key(number), own_key(number)
    if fallback is None or own is None or key != own:
        return
    yield ctx.at_value(
        number,
        "fallback_number",
        f"fallback_number {fallback} is this number itself; calls cannot fall back to the "
        "number that is full — name another number",
    )


def _where(number: NumberDoc) -> str:
    return f"{number.file}:{number.value_span('phone_number').line}"


@project_check("nested-fallback")
def nested_fallback(numbers: Sequence[NumberDoc], ctx: RuleContext) -> Iterator[Hit]:
    with_fallback: dict[str, NumberDoc] = {}
    # Only numbers with a fallback matter, on either side of a chain: each one's own
    # key is worked out once.
    chained = [(n, own_key(n)) for n in numbers if fallback_of(n) is not None]
    for number, own in chained:
        if own is not None:
            with_fallback.setdefault(own, number)
    for number, own in chained:
        fallback, target_key = fallback_of(number), fallback_key(number)
        if fallback is None or own is None or target_key is None:
            continue
        if target_key == own:
            continue  # RL401's case
        target = with_fallback.get(target_key)
        if target is None:
            continue
        onward = fallback_of(target) or ""
        cycle = " (a cycle)" if fallback_key(target) == own else ""
        yield ctx.at_value(
            number,
            "fallback_number",
            f"fallback_number {fallback} has a fallback of its own ({onward}, {_where(target)})"
            f"{cycle}; Retell does not chain fallbacks — point at a number without one",
        )
    if ctx.account is not None:
        # check --online: also against the live account's numbers.
        from retell_lint.checks.online import live_nested_fallback

        yield from live_nested_fallback(numbers, ctx)
