"""``min_items``, ``max_items``, ``subset_of``, ``contains`` and ``unique``: lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from retell_lint.policy.assertions.base import CompilerBase, Evaluate, Failure, Outcome
from retell_lint.policy.assertions.values import fits, key_of, list_text, same, show
from retell_lint.policy.paths import Slot, plain


class Lists(CompilerBase):
    def _count(self, operand: Any, key: str, name: str) -> int:
        if self.slot.items is None:
            raise self.cannot(name, key, "lists")
        if isinstance(operand, bool) or not isinstance(operand, int) or operand < 0:
            raise self.fail(key, f"'{name}' must be a whole number, 0 or more")
        return operand

    def _min_items(self, operand: Any, key: str) -> Evaluate:
        least = self._count(operand, key, "min_items")

        def evaluate(value: Any) -> Outcome:
            if not isinstance(value, list):
                return None
            if len(value) >= least:
                return []
            return [Failure(lambda: f"{_items(len(value))}; at least {least} needed")]

        return evaluate

    def _max_items(self, operand: Any, key: str) -> Evaluate:
        most = self._count(operand, key, "max_items")

        def evaluate(value: Any) -> Outcome:
            if not isinstance(value, list):
                return None
            if len(value) <= most:
                return []
            return [Failure(lambda: f"{_items(len(value))}; at most {most} allowed", most)]

        return evaluate

    def _scalar_items(self, operand: Any, key: str, name: str) -> Slot:
        items = self.slot.items
        if items is None or items.fields is not None:
            raise self.cannot(name, key, "lists of strings or numbers")
        return items

    def _subset_of(self, operand: Any, key: str) -> Evaluate:
        items = self._scalar_items(operand, key, "subset_of")
        if not isinstance(operand, list) or not operand:
            raise self.fail(key, "'subset_of' needs a non-empty list of values")
        for index, item in enumerate(operand):
            if not fits(item, items):
                raise self.fail(
                    f"{key}[{index}]",
                    f"{show(item)} can never be an item of {self.field}, a list of "
                    f"{items.describe_plural()}",
                )
        allowed = {key_of(item) for item in operand}

        def evaluate(value: Any) -> Outcome:
            if not isinstance(value, list):
                return None
            return [
                Failure(_not_one_of_text(item, operand), index)
                for index, item in enumerate(value)
                if key_of(item) not in allowed
            ]

        return evaluate

    def _contains(self, operand: Any, key: str) -> Evaluate:
        items = self._scalar_items(operand, key, "contains")
        if not fits(operand, items):
            raise self.fail(
                key,
                f"{show(operand)} can never be an item of {self.field}, a list of "
                f"{items.describe_plural()}",
            )

        def evaluate(value: Any) -> Outcome:
            if not isinstance(value, list):
                return None
            if any(same(item, operand) for item in value):
                return []
            return [Failure(lambda: f"{show(operand)} is not in the list")]

        return evaluate

    def _unique(self, operand: Any, key: str) -> Evaluate:
        if self.slot.items is None:
            raise self.cannot("unique", key, "lists (or, with scope: project, any field)")
        if operand is not True:
            raise self.fail(key, "'unique' must be true")

        def evaluate(value: Any) -> Outcome:
            if not isinstance(value, list):
                return None
            seen: dict[Any, int] = {}
            failures = []
            for index, item in enumerate(value):
                current = plain(item)
                first = seen.setdefault(key_of(current), index)
                if first != index:
                    failures.append(Failure(_repeats_text(current, first), index))
            return failures

        return evaluate


def _not_one_of_text(item: Any, allowed: list[Any]) -> Callable[[], str]:
    return lambda: f"{show(item)} is not one of {list_text(allowed)}"


def _repeats_text(item: Any, first: int) -> Callable[[], str]:
    return lambda: f"{show(item)} repeats item {first + 1} of the list"


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'}"
