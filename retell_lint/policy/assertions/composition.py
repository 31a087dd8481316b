"""``all``, ``any`` and ``not``: assertion mappings composed."""

from __future__ import annotations

from typing import Any

from retell_lint.policy.assertions.base import (
    CompilerBase,
    Evaluate,
    Failure,
    Outcome,
    all_of,
)
from retell_lint.policy.assertions.values import render_data, show
from retell_lint.policy.paths import plain


class Composition(CompilerBase):
    def _list_of_mappings(self, operand: Any, key: str, name: str) -> list[Evaluate]:
        if not isinstance(operand, list) or not operand:
            raise self.fail(key, f"'{name}' needs a non-empty list of assertion mappings")
        return [self.mapping(item, f"{key}[{index}]") for index, item in enumerate(operand)]

    def _all(self, operand: Any, key: str) -> Evaluate:
        return all_of(self._list_of_mappings(operand, key, "all"))

    def _any(self, operand: Any, key: str) -> Evaluate:
        parts = self._list_of_mappings(operand, key, "any")

        def evaluate(value: Any) -> Outcome:
            failures: list[Failure] = []
            applied = False
            for part in parts:
                outcome = part(value)
                if outcome is None:
                    continue
                if not outcome:
                    return []
                applied = True
                failures.extend(outcome)
            if not applied:
                return None
            return [Failure(lambda: _none_holds(failures))]

        return evaluate

    def _not(self, operand: Any, key: str) -> Evaluate:
        inner = self.mapping(operand, key)
        shown = render_data(operand)

        def evaluate(value: Any) -> Outcome:
            outcome = inner(value)
            if outcome is None:
                return None
            if outcome:
                return []
            return [Failure(lambda: f"{show(plain(value))} must not satisfy {shown}")]

        return evaluate


def _none_holds(failures: list[Failure]) -> str:
    details = "; ".join(dict.fromkeys(failure.detail for failure in failures))
    return f"none of the alternatives holds: {details}"
