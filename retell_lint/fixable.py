"""Whether a finding can be fixed, told from its rule and the finding alone.

A plain ``check`` marks fixable findings (``[*]`` in text, ``fix`` in JSON) and
counts them. Working out the edits would parse every file a second time and run
every fixer; the marker needs neither: the rule says whether it has a fix and of
which kind, and the finding (its path, message and the text at its span) says what
the fix would do. The edits themselves are worked out only by ``--fix``, ``--diff``
and the formats that carry them (SARIF), by :mod:`retell_lint.fix.registry`.

A marker can be optimistic where the fixer, which sees the YAML nodes, skips a
finding (a value reached through an anchor or a merge key): ``--fix`` then says why
the finding was not fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from retell_lint import catalogue

if TYPE_CHECKING:
    from retell_lint.engine import LintResult
    from retell_lint.findings import Finding
    from retell_lint.source import Source

SIP = "sip_outbound_trunk_config"


class Fixable:
    """What a fix would do, without its edits (read as a ``Fix`` is by the reports)."""

    __slots__ = ("applicability", "description")

    def __init__(self, description: str, applicability: str = "safe") -> None:
        self.description = description
        self.applicability = applicability

    def __repr__(self) -> str:
        return f"Fixable({self.applicability}, {self.description!r})"

    def to_dict(self) -> dict[str, Any]:
        return {"applicability": self.applicability, "description": self.description}


Marker = Callable[["Finding", str], "Fixable | None"]


def _field(finding: Finding) -> str:
    """The last key of the finding's path (the list's name for a list entry)."""
    path = finding.path
    while path.endswith("]"):
        path = path[: path.rfind("[")]
    return path.rsplit(".", 1)[-1]


def _plain(raw: str) -> str:
    """A scalar's value from its text: quotes taken off (no escapes in codes)."""
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    return raw


def _remove(finding: Finding, raw: str) -> Fixable:
    return Fixable(f"remove {_field(finding)}")


def _quote(finding: Finding, raw: str) -> Fixable | None:
    if not raw or raw[0] in "\"'&*!|>":
        return None
    return Fixable(f'quote {raw}: "{raw}"')


def _legacy(finding: Finding, raw: str) -> Fixable | None:
    from retell_lint.fields import LEGACY_AGENT_DIRECTIONS, LEGACY_COUNTRY_LISTS

    name = _field(finding)
    if name in LEGACY_COUNTRY_LISTS:
        return Fixable(f"rename {name} to {LEGACY_COUNTRY_LISTS[name]}")
    for list_name, id_field, version_field in LEGACY_AGENT_DIRECTIONS:
        if name in (id_field, version_field):
            return Fixable(f"move {name} into {list_name} with weight 1")
    return None


def _unused(finding: Finding, raw: str) -> Fixable:
    return Fixable("remove the unused suppression")


def _move_flat(finding: Finding, raw: str) -> Fixable:
    return Fixable(f"move {_field(finding)} into {SIP}")


def _e164(finding: Finding, raw: str) -> Fixable | None:
    from retell_lint.phones import facts, in_region

    text = _plain(raw)
    found = facts(text)
    target = None
    if found.e164 and found.valid and not found.assumed_us:
        target = found.e164
    elif _field(finding) == "fallback_number" and finding.phone_number:
        own = facts(finding.phone_number)
        local = in_region(text, own.region) if own.valid and own.region else None
        if local is not None and facts(local).valid:
            target = local
    if target is None or target == text:
        return None
    return Fixable(f"write {target}")


def _country(finding: Finding, raw: str) -> Fixable | None:
    from retell_lint.fix.values import country_target

    code = _plain(raw)
    found = country_target(code)
    if found is None:
        return None
    target, applicability = found
    return Fixable(f"write {target} for '{code}'", applicability)


def _repeat(finding: Finding, raw: str) -> Fixable:
    return Fixable(f"remove the repeated '{_plain(raw)}'")


def _weights(finding: Finding, raw: str) -> Fixable:
    if finding.message.endswith("a single agent takes weight 1"):
        return Fixable("set the single agent's weight to 1")
    return Fixable("scale the weights so they add up to 1", "unsafe")


def _transport(finding: Finding, raw: str) -> Fixable | None:
    target = _plain(raw).upper()
    return None if target == _plain(raw) else Fixable(f"write {target}")


MARKERS: dict[str, Marker] = {
    "RL006": _remove,
    "RL007": _quote,
    "RL009": _legacy,
    "RL010": _unused,
    "RL012": _move_flat,
    "RL013": _quote,
    "RL101": _e164,
    "RL201": _country,
    "RL202": _repeat,
    "RL301": _weights,
    "RL304": _remove,
    "RL403": _e164,
    "RL505": _transport,
}


def _raw(source: Source, finding: Finding) -> str:
    """The text at a finding's span when it is on one line ("" otherwise)."""
    if finding.line != finding.end_line:
        return ""
    lines = source.lines
    if not 0 < finding.line <= len(lines):
        return ""
    return lines[finding.line - 1][finding.column - 1 : finding.end_column - 1]


def related_paths(path: str, key: str) -> bool:
    """Whether one YAML path is the other or lies under it."""
    if path == key:
        return True
    shorter, longer = sorted((path, key), key=len)
    return bool(shorter) and longer.startswith(shorter) and longer[len(shorter)] in ".["


def _duplicates_make_unsafe(findings: list[Finding]) -> None:
    """As the fixes themselves do (``fix.registry``): a fix touching a key written
    twice (RL002) is unsafe, since which of the two values was meant is unknown."""
    duplicated: dict[str, list[str]] = {}
    for finding in findings:
        if finding.rule == "RL002" and finding.path:
            duplicated.setdefault(finding.file, []).append(finding.path)
    if not duplicated:
        return
    for finding in findings:
        keys = duplicated.get(finding.file)
        if finding.fix is None or not keys:
            continue
        if any(related_paths(finding.path or "", key) for key in keys):
            finding.fix = Fixable(
                f"{finding.fix.description} (unsafe: a key it changes is written twice)",
                "unsafe",
            )


def mark(result: LintResult) -> None:
    """Set ``Finding.fix`` to a :class:`Fixable` wherever the finding's rule can fix it.

    A file with a syntax error is never fixed, so none of its findings is marked.
    """
    fixable = catalogue.fixable_rules()
    broken = {finding.file for finding in result.findings if finding.rule == "RL001"}
    for finding in result.findings:
        marker = MARKERS.get(finding.rule)
        if marker is None or finding.rule not in fixable or finding.file in broken:
            continue
        source = result.sources.get(finding.file)
        if source is None or source.undecodable:
            continue
        try:
            finding.fix = marker(finding, _raw(source, finding))
        except Exception:
            # A value the marker did not foresee: not marked rather than wrongly.
            finding.fix = None
    _duplicates_make_unsafe(result.findings)
