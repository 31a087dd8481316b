"""What apply refuses to send, and why: each guard returns :class:`Refusal` items
(never touching the plan), so the builder in :mod:`retell_lint.apply.actions` stays
about building bodies.

- a number whose file gives one trunk setting two values (RL012's error);
- a number with a value the reader could not take as its field's type (RL004): the
  value is left out of the model, so a body without it would not say what the file says;
- a trunk setting other than ``transport`` on a Retell-managed number;
- a body that breaks the API's contract (:mod:`retell_lint.apply.contract`);
- a create whose number would not read back as declared: another provider than the
  type names, another area code than the number's, a country other than the number's
  (or outside the US and Canada, where Retell sells numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from retell_lint.build import NumberDoc
from retell_lint.fields import CREATE_COUNTRIES, NUMBER_FIELDS, RETELL_TYPES, Request

from . import contract

# Trunk settings a Retell-managed number takes (transport is a parameter of every write).
MANAGED_SIP = frozenset({"transport"})


class Refusal(NamedTuple):
    field: str
    declared: Any
    reason: str


def conflicts(doc: NumberDoc) -> list[Refusal]:
    """One trunk setting written flat and nested with different values (RL012)."""
    return [
        Refusal(
            canonical, None, f"{flat} and {canonical} are both set, to different values; keep one"
        )
        for canonical, flat in sorted(doc.conflicts.items())
    ]


def unreadable(doc: NumberDoc) -> list[Refusal]:
    """Values of the wrong type (RL004), left out of the model when read: sending the
    rest would quietly drop them (an agent_version too large for the API would make the
    entry follow the agent's latest version), so the number is refused instead."""
    refusals = []
    for path in sorted(doc.invalid):
        top = path.split(".", 1)[0].split("[", 1)[0]
        spec = NUMBER_FIELDS.get(top)
        if spec is not None and spec.kind == "computed":
            continue  # never sent
        refusals.append(
            Refusal(
                path,
                None,
                f"{path} could not be read as its field's type (RL004), so the API does "
                "not accept it as written; nothing is sent for this number",
            )
        )
    return refusals


def managed_sip(sub: str | None, kind: Any) -> str | None:
    """Why the trunk setting ``sub`` is never sent to a number of type ``kind``."""
    if sub is None or sub in MANAGED_SIP or kind not in RETELL_TYPES:
        return None
    return (
        f"a {kind} number's trunk is managed by Retell; {sub} is only for custom (imported) "
        "numbers, so apply never sends it"
    )


def contract_refusals(
    request: Request,
    body: Mapping[str, Any],
    follow_up: Mapping[str, Any],
    fields: Mapping[str | None, str],
    kind: Any,
) -> list[Refusal]:
    """The contract's problems with a body (and its follow-up PATCH), by config field
    (``fields`` maps a request parameter to the field it writes)."""
    number_type = kind if isinstance(kind, str) else None
    found = contract.problems(request, body, number_type=number_type)
    if follow_up:
        found += contract.problems("update", follow_up, number_type=number_type)
    return [
        Refusal(
            fields.get(parameter, parameter),
            body.get(parameter, follow_up.get(parameter)),
            f"the API does not accept it: {reason}; nothing is sent for this number",
        )
        for parameter, reason in found
    ]


def buy(key: str, kind: str, body: Mapping[str, Any]) -> tuple[list[Refusal], str | None]:
    """Whether a create reads back as declared: refusals, and the country_code to send
    when the body names none (the API assumes US)."""
    from retell_lint.phones import facts

    provider = body.get("number_provider")
    if provider != kind.removeprefix("retell-"):
        expected = kind.removeprefix("retell-")
        reason = (
            f"number_provider {contract.shown(provider)} does not buy a {kind} number; "
            f"write {expected} (or change phone_number_type)"
        )
        return [Refusal("number_provider", provider, reason)], None
    found = facts(key) if contract.E164.fullmatch(key) else None
    if found is None:
        return [], None  # the contract reports the number itself
    area = body.get("area_code")
    own = found.national_number[:3] if found.national_number else None
    if area is not None and found.country_code == 1 and str(area) != own:
        reason = f"{key} is in area code {own}, not {area}; the account would read back {own}"
        return [Refusal("area_code", area, reason)], None
    region, declared = found.region, body.get("country_code")
    # US is the API's default: a US number needs no country_code.
    if region is None or region == declared or (region == "US" and declared is None):
        return [], None
    if region not in CREATE_COUNTRIES:
        sold = " and ".join(CREATE_COUNTRIES)
        reason = f"{key} is a {region} number; Retell sells numbers in {sold} only"
        return [Refusal("phone_number", key, reason)], None
    if declared is not None:
        reason = f"{key} is a {region} number, not a {declared} one; write country_code: {region}"
        return [Refusal("country_code", declared, reason)], None
    return [], region
