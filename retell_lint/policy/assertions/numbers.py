"""``min`` and ``max``: numbers against a finite bound."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from retell_lint.policy.assertions.base import CompilerBase, Evaluate, Failure, Outcome
from retell_lint.policy.assertions.values import show


class Numbers(CompilerBase):
    def _bound(self, operand: Any, key: str, name: str) -> float:
        if not self.slot.types & {"integer", "number"}:
            raise self.cannot(name, key, "numbers")
        if isinstance(operand, bool) or not isinstance(operand, int | float):
            raise self.fail(key, f"'{name}' must be a number")
        if operand != operand or operand in (float("inf"), float("-inf")):
            raise self.fail(key, f"'{name}' must be a finite number")
        return float(operand)

    def _min(self, operand: Any, key: str) -> Evaluate:
        bound = self._bound(operand, key, "min")
        return _compare(lambda number: number >= bound, f"less than {show(operand)}")

    def _max(self, operand: Any, key: str) -> Evaluate:
        bound = self._bound(operand, key, "max")
        return _compare(lambda number: number <= bound, f"more than {show(operand)}")


def _compare(test: Callable[[float], bool], wrong: str) -> Evaluate:
    def evaluate(value: Any) -> Outcome:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if test(float(value)):
            return []
        return [Failure(lambda: f"{show(value)} is {wrong}")]

    return evaluate
