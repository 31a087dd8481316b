"""RL901–RL904 and the live part of RL402: checks that need the live account.

They run only under ``check --online``, where ``ctx.account`` is a
:class:`retell_lint.online.Account`. Legacy single-agent fields
(``inbound_agent_id`` ...) are checked like one-entry lists.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from retell_lint.build import NumberDoc
from retell_lint.checks import RuleContext, number_check, project_check
from retell_lint.fields import LEGACY_AGENT_DIRECTIONS
from retell_lint.findings import Hit
from retell_lint.online import Account, phone_key

SPECIAL_VERSIONS = frozenset({"latest", "latest_published"})
CALL_LISTS = frozenset({"inbound_agents", "outbound_agents"})
SMS_LISTS = frozenset({"inbound_sms_agents", "outbound_sms_agents"})


@dataclass(frozen=True)
class AgentRef:
    """One agent a number names: where (YAML path of agent_id), in which list, which version."""

    list_name: str
    path: str
    version_path: str
    agent_id: str
    version: int | str | None
    version_declared: bool


def agent_refs(number: NumberDoc) -> Iterator[AgentRef]:
    config = number.config
    for list_name, id_field, version_field in LEGACY_AGENT_DIRECTIONS:
        entries = getattr(config, list_name, None)
        if isinstance(entries, list):
            for index, entry in enumerate(entries):
                if isinstance(entry.agent_id, str) and entry.agent_id:
                    base = f"{list_name}[{index}]"
                    yield AgentRef(
                        list_name,
                        f"{base}.agent_id",
                        f"{base}.agent_version",
                        entry.agent_id,
                        entry.agent_version,
                        "agent_version" in entry.fields_set,
                    )
        legacy_id = getattr(config, id_field, None)
        if isinstance(legacy_id, str) and legacy_id:
            yield AgentRef(
                list_name,
                id_field,
                version_field,
                legacy_id,
                getattr(config, version_field, None),
                version_field in config.fields_set,
            )


def _account(ctx: RuleContext) -> Account | None:
    account = ctx.account
    return account if isinstance(account, Account) else None


@number_check("unknown-agent")
def unknown_agent(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    account = _account(ctx)
    if account is None:
        return
    for ref in agent_refs(number):
        if account.agent(ref.agent_id) is None:
            yield ctx.at_value(
                number,
                ref.path,
                f"agent {ref.agent_id} does not exist in the account; correct the agent_id "
                "or remove the entry",
            )


@project_check("unknown-agent-version")
def unknown_agent_version(numbers: Sequence[NumberDoc], ctx: RuleContext) -> Iterator[Hit]:
    account = _account(ctx)
    if account is None:
        return
    refs = [(number, ref) for number in numbers for ref in agent_refs(number)]
    # One batch, and only for agents referenced with a version number.
    account.ensure_versions(
        ref.agent_id
        for _number, ref in refs
        if isinstance(ref.version, int) and not isinstance(ref.version, bool)
    )
    # Sorted once per agent: an agent may have 200,000 versions and 300 configs.
    sorted_versions: dict[str, list[int]] = {}
    sorted_tags: dict[str, list[str]] = {}
    for number, ref in refs:
        if account.agent(ref.agent_id) is None or ref.version is None:
            continue  # RL901's case, or no version named
        version = ref.version
        if isinstance(version, int) and not isinstance(version, bool):
            known = account.versions_of(ref.agent_id)
            if known is None or version in known:
                continue
            if ref.agent_id not in sorted_versions:
                sorted_versions[ref.agent_id] = sorted(known)
            have = describe_versions(sorted_versions[ref.agent_id], version)
            yield ctx.at_value(
                number,
                ref.version_path,
                f"agent {ref.agent_id} has no version {version} ({have}); use one of its "
                "versions or a tag",
            )
        elif isinstance(version, str) and version not in SPECIAL_VERSIONS:
            tags = account.tags_of(ref.agent_id)
            if version in tags:
                continue
            if ref.agent_id not in sorted_tags:
                sorted_tags[ref.agent_id] = sorted(tags)
            have = describe_tags(sorted_tags[ref.agent_id])
            yield ctx.at_value(
                number,
                ref.version_path,
                f"agent {ref.agent_id} has no tag '{version}' ({have}); use one of its tags "
                "or a version number, or create the tag first",
            )


# Versions or tags named in one message: the nearest ones, then a count.
SHOWN = 10


def describe_versions(ordered: list[int], wanted: int) -> str:
    """``ordered`` (sorted, distinct) in a few words: a range, or the versions nearest
    ``wanted`` and how many more, so the message stays short whatever the account holds."""
    if not ordered:
        return "it has no versions"
    if len(ordered) > 2 and ordered[-1] - ordered[0] + 1 == len(ordered):
        return f"its versions: {ordered[0]} to {ordered[-1]}"
    if len(ordered) <= SHOWN:
        return "its versions: " + ", ".join(str(v) for v in ordered)
    import bisect

    at = bisect.bisect_left(ordered, wanted)
    low, high = at, at  # the window ordered[low:high] grows toward the nearer side
    while high - low < SHOWN:
        below = wanted - ordered[low - 1] if low > 0 else None
        above = ordered[high] - wanted if high < len(ordered) else None
        if above is None or (below is not None and below <= above):
            low -= 1
        else:
            high += 1
    nearest = ", ".join(str(v) for v in ordered[low:high])
    return f"the nearest of its {len(ordered):,} versions: {nearest}"


def describe_tags(ordered: list[str]) -> str:
    if not ordered:
        return "it has no tags"
    shown = ", ".join(ordered[:SHOWN])
    more = len(ordered) - SHOWN
    return f"its tags: {shown}" + (f" and {more:,} more" if more > 0 else "")


@number_check("agent-channel-mismatch")
def agent_channel_mismatch(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    account = _account(ctx)
    if account is None:
        return
    for ref in agent_refs(number):
        agent = account.agent(ref.agent_id)
        channel = agent.get("channel") if agent is not None else None
        if ref.list_name in CALL_LISTS and channel == "chat":
            yield ctx.at_value(
                number,
                ref.path,
                f"agent {ref.agent_id} is a chat agent, but {ref.list_name} takes calls; use a "
                "voice agent here or move it to an SMS list",
            )
        elif ref.list_name in SMS_LISTS and channel == "voice":
            yield ctx.at_value(
                number,
                ref.path,
                f"agent {ref.agent_id} is a voice agent, but {ref.list_name} takes SMS; use a "
                "chat agent here or move it to a call list",
            )


@number_check("suspended-agent")
def suspended_agent(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    account = _account(ctx)
    if account is None:
        return
    for ref in agent_refs(number):
        agent = account.agent(ref.agent_id)
        if agent is not None and agent.get("is_suspended") is True:
            yield ctx.at_value(
                number,
                ref.path,
                f"agent {ref.agent_id} is suspended; replace it with an agent in service or "
                "lift the suspension",
            )


def _fallback(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def live_nested_fallback(numbers: Sequence[NumberDoc], ctx: RuleContext) -> Iterator[Hit]:
    """RL402 against the live account, for numbers not linted in this run.

    - A declared fallback_number that points at a live number that is not declared here
      and has a fallback of its own in the account.
    - A live number that is not declared here and falls back to a declared number that
      declares a fallback of its own (the chain starts in the account).

    Declared numbers win over their live state: chains among declared numbers are
    RL402's offline part.
    """
    account = _account(ctx)
    if account is None:
        return
    declared: dict[str, NumberDoc] = {}
    for number in numbers:
        own = number.phone_number
        if own is not None:
            declared.setdefault(phone_key(own), number)
    for number in numbers:
        own, fallback = number.phone_number, _fallback(number.config.fallback_number)
        if own is None or fallback is None:
            continue
        target_key = phone_key(fallback)
        if target_key == phone_key(own) or target_key in declared:
            continue
        target = account.numbers.get(target_key)
        onward = _fallback(target.get("fallback_number")) if target is not None else None
        if onward is None:
            continue
        cycle = " (a cycle)" if phone_key(onward) == phone_key(own) else ""
        yield ctx.at_value(
            number,
            "fallback_number",
            f"fallback_number {fallback} has a fallback of its own in the live account "
            f"({onward}){cycle}; Retell does not chain fallbacks — point at a number without one",
        )
    for live_key, live in sorted(account.numbers.items()):
        if live_key in declared:
            continue
        live_fallback = _fallback(live.get("fallback_number"))
        if live_fallback is None:
            continue
        target_doc = declared.get(phone_key(live_fallback))
        if target_doc is None or target_doc.phone_number is None:
            continue
        own_fallback = _fallback(target_doc.config.fallback_number)
        if own_fallback is None or phone_key(own_fallback) in (
            phone_key(target_doc.phone_number),  # RL401's case
            live_key,  # a cycle, reported above at this very fallback
        ):
            continue
        yield ctx.at_value(
            target_doc,
            "fallback_number",
            f"live number {live_key} (not declared here) falls back to this number, so it "
            f"cannot have a fallback of its own ({own_fallback}); Retell does not chain "
            "fallbacks — remove this fallback or repoint the fallback of that number",
        )
