"""``equals``, ``one_of`` and ``not_one_of``: a value against literals of its slot."""

from __future__ import annotations

from typing import Any

from retell_lint.policy.assertions.base import CompilerBase, Evaluate, Failure, Outcome
from retell_lint.policy.assertions.values import absent, fits, key_of, list_text, same, show
from retell_lint.policy.paths import plain


class Equality(CompilerBase):
    def _literal(self, operand: Any, key: str, name: str) -> None:
        if self.slot.fields is not None:
            raise self.cannot(name, key, "strings, numbers, booleans and lists of them")
        if operand is None:
            raise self.fail(key, f"'{name}' cannot compare with null; write present: false")
        if not fits(operand, self.slot):
            raise self.fail(
                key,
                f"{show(operand)} can never be a value of {self.field}, which is "
                f"{self.slot.describe()}",
            )

    def _equals(self, operand: Any, key: str) -> Evaluate:
        self._literal(operand, key, "equals")

        def evaluate(value: Any) -> Outcome:
            if absent(value):
                return None
            current = plain(value)
            if same(current, operand):
                return []
            return [Failure(lambda: f"{show(current)} is not {show(operand)}")]

        return evaluate

    def _choices(self, operand: Any, key: str, name: str) -> list[Any]:
        if not isinstance(operand, list) or not operand:
            raise self.fail(key, f"'{name}' needs a non-empty list of values")
        for index, item in enumerate(operand):
            self._literal(item, f"{key}[{index}]", name)
        return operand

    def _one_of(self, operand: Any, key: str) -> Evaluate:
        return self._membership(operand, key, "one_of", wanted=True)

    def _not_one_of(self, operand: Any, key: str) -> Evaluate:
        return self._membership(operand, key, "not_one_of", wanted=False)

    def _membership(self, operand: Any, key: str, name: str, *, wanted: bool) -> Evaluate:
        """``one_of`` (the value must be listed) or ``not_one_of`` (it must not be)."""
        choices = self._choices(operand, key, name)
        listed = {key_of(choice) for choice in choices}

        def evaluate(value: Any) -> Outcome:
            if absent(value):
                return None
            current = plain(value)
            if (key_of(current) in listed) == wanted:
                return []
            if wanted:
                return [Failure(lambda: f"{show(current)} is not one of {list_text(choices)}")]
            return [Failure(lambda: f"{show(current)} is not allowed here")]

        return evaluate
