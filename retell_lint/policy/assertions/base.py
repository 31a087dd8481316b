"""What every assertion shares: failures, errors, the names, and an assertion mapping."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from retell_lint.policy.paths import Slot

# Longest value a pattern is matched against: bounds the time of an unlucky regex.
MAX_MATCH_INPUT = 4096
# all/any/not inside one another: deeper than any policy needs.
MAX_NESTING = 16
_NESTED = re.compile(r"\.(?:all|any)\[\d+\]|\.not(?=\.|$)")

Outcome = list["Failure"] | None


class Failure:
    """Why an assertion fails. The text is made only when a finding needs it: inside
    ``any`` or ``not`` most failures are never shown."""

    __slots__ = ("_text", "at_key", "item")

    def __init__(
        self, text: str | Callable[[], str], item: int | None = None, at_key: bool = False
    ) -> None:
        self._text = text
        # Index of the offending item when the value is a list, so the finding points there.
        self.item = item
        # The whole field is wrong (present: false): the finding points at its key.
        self.at_key = at_key

    @property
    def detail(self) -> str:
        if not isinstance(self._text, str):
            self._text = self._text()
        return self._text


class PolicyError(Exception):
    """A policy that cannot be used, about the config key ``key`` (a dotted data path)."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.message = message
        self.key = key


Evaluate = Callable[[Any], Outcome]
SCALAR_ASSERTIONS = (
    "present",
    "equals",
    "one_of",
    "not_one_of",
    "pattern",
    "not_pattern",
    "type",
    "min",
    "max",
    "min_items",
    "max_items",
    "subset_of",
    "contains",
    "unique",
)
COMPOSITIONS = ("all", "any", "not")
NAMES = (*SCALAR_ASSERTIONS, *COMPOSITIONS)


class CompilerBase:
    """One path (``slot``, ``field``) to compile assertions for; the families add the
    assertions as methods named ``_<assertion>``."""

    def __init__(self, slot: Slot, field: str) -> None:
        self.slot = slot
        self.field = field

    def fail(self, key: str, message: str) -> PolicyError:
        return PolicyError(message, key)

    def cannot(self, name: str, key: str, needs: str) -> PolicyError:
        return PolicyError(
            f"'{name}' applies to {needs}; {self.field} is {self.slot.describe()}", key
        )

    def mapping(self, data: Any, key: str) -> Evaluate:
        """An assertion mapping: every assertion in it must hold."""
        if not isinstance(data, dict) or not data:
            raise self.fail(
                key, "assertions must be a mapping such as {pattern: '^https://'}, not empty"
            )
        if len(_NESTED.findall(key)) > MAX_NESTING:
            raise self.fail(key, f"assertions nest more than {MAX_NESTING} levels deep")
        parts = [self.one(name, operand, f"{key}.{name}") for name, operand in data.items()]
        if len(parts) == 1:
            return parts[0]
        return all_of(parts)

    def one(self, name: str, operand: Any, key: str) -> Evaluate:
        method = getattr(self, f"_{name}", None) if name in NAMES else None
        if method is None:
            from difflib import get_close_matches

            guess = get_close_matches(str(name), NAMES, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            raise self.fail(key, f"unknown assertion '{name}'; {hint}(known: {', '.join(NAMES)})")
        evaluate: Evaluate = method(operand, key)
        return evaluate


def all_of(parts: list[Evaluate]) -> Evaluate:
    """Every part must hold; applies when at least one part applies."""
    if len(parts) == 2:  # the common case, unrolled
        first, second = parts

        def both(value: Any) -> Outcome:
            one, two = first(value), second(value)
            if one is None:
                return two
            if two is None or not two:
                return one
            return one + two

        return both

    def evaluate(value: Any) -> Outcome:
        failures: list[Failure] = []
        applied = False
        for part in parts:
            outcome = part(value)
            if outcome is None:
                continue
            applied = True
            failures.extend(outcome)
        return failures if applied else None

    return evaluate
