"""Check implementations, bound by name to catalogue entries.

A check is a generator of :class:`~retell_lint.findings.Hit`. Number checks see
one number at a time; project checks see every number linted together (across
files). Some rules are reported while reading (see :data:`READER_CHECKS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from retell_lint.findings import Hit, Severity

if TYPE_CHECKING:
    from retell_lint.build import NumberDoc
    from retell_lint.catalogue import Rule

# Reported by the reader, the builder or the suppression pass, not by a check function.
READER_CHECKS = frozenset(
    {
        "yaml-syntax",
        "duplicate-key",
        "unknown-field",
        "invalid-type",
        "missing-required-field",
        "implicit-type",
        "yaml11-ambiguous-value",
        "api-parameter-name",
        "not-a-phone-number-config",
        "unused-suppression",
        "unknown-rule",
    }
)


class RuleContext:
    """What a check knows of the rule it runs for."""

    __slots__ = ("account", "params", "rule")

    def __init__(
        self, rule: Rule, params: dict[str, Any] | None = None, account: Any = None
    ) -> None:
        self.rule = rule
        self.params: dict[str, Any] = {} if params is None else params
        # Facts about the live account, for online checks (None offline).
        self.account = account

    @property
    def id(self) -> str:
        return self.rule.id

    def at_value(
        self, number: NumberDoc, path: str, message: str, severity: Severity | None = None
    ) -> Hit:
        """A hit on the value at ``path`` (the most specific node)."""
        return self._hit(number, path, message, number.value_span(path), severity)

    def at_key(
        self, number: NumberDoc, path: str, message: str, severity: Severity | None = None
    ) -> Hit:
        """A hit on the key of ``path`` (rules about a key or a whole list)."""
        return self._hit(number, path, message, number.key_span(path), severity)

    def _hit(
        self, number: NumberDoc, path: str, message: str, span: Any, severity: Severity | None
    ) -> Hit:
        return Hit(
            self.rule.id,
            message,
            span,
            path=number.full_path(path),
            phone_number=number.phone_number,
            document=number.document,
            severity=severity,
            file=number.file,
        )


NumberCheck = Callable[["NumberDoc", RuleContext], Iterable[Hit]]
ProjectCheck = Callable[[Sequence["NumberDoc"], RuleContext], Iterable[Hit]]


class CheckImpl(NamedTuple):
    name: str
    scope: Literal["number", "project"]
    function: Callable[..., Iterable[Hit]]


REGISTRY: dict[str, CheckImpl] = {}


def number_check(name: str) -> Callable[[NumberCheck], NumberCheck]:
    def register(function: NumberCheck) -> NumberCheck:
        REGISTRY[name] = CheckImpl(name, "number", function)
        return function

    return register


def project_check(name: str) -> Callable[[ProjectCheck], ProjectCheck]:
    def register(function: ProjectCheck) -> ProjectCheck:
        REGISTRY[name] = CheckImpl(name, "project", function)
        return function

    return register


def load_all(online: bool = True) -> dict[str, CheckImpl]:
    """Import the check modules (registering their checks) and return the registry.

    The online checks are imported only when asked for: offline runs never need
    them.
    """
    from retell_lint.checks import (  # noqa: F401
        agents,
        countries,
        fallback,
        fields,
        numbers,
        project,
        provisioning,
        telephony,
    )

    if online:
        from retell_lint.checks import online as _online  # noqa: F401

    return REGISTRY


def known_check_names() -> set[str]:
    return set(load_all()) | READER_CHECKS
