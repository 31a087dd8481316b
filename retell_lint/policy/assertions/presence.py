"""``present`` and ``type``: the two assertions that see a missing or null value."""

from __future__ import annotations

from typing import Any

from retell_lint.policy.assertions.base import CompilerBase, Evaluate, Failure, Outcome
from retell_lint.policy.assertions.values import A_TYPE, absent, is_type, show, type_name
from retell_lint.policy.paths import MISSING, TYPE_NAMES, plain


class Presence(CompilerBase):
    def _present(self, operand: Any, key: str) -> Evaluate:
        if not isinstance(operand, bool):
            raise self.fail(key, "'present' must be true or false")

        def evaluate(value: Any) -> Outcome:
            if operand:
                if value is MISSING:
                    return [Failure("it is missing")]
                if value is None:
                    return [Failure("it is null")]
                return []
            if absent(value):
                return []
            return [Failure(lambda: f"it is set ({show(plain(value))}); remove it", at_key=True)]

        return evaluate

    def _type(self, operand: Any, key: str) -> Evaluate:
        if operand not in TYPE_NAMES:
            raise self.fail(key, f"'type' must be one of {', '.join(TYPE_NAMES)}")
        possible = set(self.slot.types) | {"null"}
        if possible & {"integer", "number"}:
            possible |= {"integer", "number"}
        if operand not in possible:
            raise self.fail(
                key,
                f"type {operand} can never hold: {self.field} is {self.slot.describe()}",
            )

        wanted = A_TYPE[operand]

        def evaluate(value: Any) -> Outcome:
            if value is MISSING:
                return None
            current = plain(value)
            if is_type(current, operand):
                return []
            return [
                Failure(lambda: f"{show(current)} is {A_TYPE[type_name(current)]}, not {wanted}")
            ]

        return evaluate
