"""The builder's bookkeeping: the node budget, hits, and a mapping's keys.

A mapping's keys are read with merge keys (``<<``) applied and duplicates reported
(RL002, the first value is used); an unknown key is RL003 with a suggestion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retell_lint.builder.nodes import MAP, MAX_MERGE_DEPTH, MERGE, SEQ, join, scalar_text, type_name
from retell_lint.findings import Hit
from retell_lint.source import Span
from retell_lint.yamlread import span_of, tag_of

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node


class BudgetExceeded(Exception):
    pass


class BuilderBase:
    """The builder's bookkeeping and mappings: a node budget, hits, keys."""

    def __init__(self, file: str, hits: list[Hit], budget: int) -> None:
        self.file = file
        self.hits = hits
        # Nodes left to visit: bounds alias expansion.
        self.budget = budget
        self.document = 0

    # -- bookkeeping -----------------------------------------------------------------
    def _spend(self, count: int = 1) -> None:
        self.budget -= count
        if self.budget < 0:
            raise BudgetExceeded

    def _hit(
        self,
        rule: str,
        message: str,
        span: Span,
        path: str = "",
        number: str | None = None,
        severity: Any = None,
    ) -> None:
        self.hits.append(
            Hit(
                rule,
                message,
                span,
                path=path,
                phone_number=number,
                document=self.document,
                severity=severity,
                file=self.file,
            )
        )

    # -- mappings -------------------------------------------------------------------
    def _pairs(self, mapping: Node, path: str) -> list[tuple[str, Node, Node]]:
        """Keys of a mapping with merges applied and duplicates reported (first wins)."""
        explicit: list[tuple[str, Node, Node]] = []
        merged: list[tuple[str, Node, Node]] = []
        seen: dict[str, Node] = {}
        for key, value in mapping.value:
            self._spend()
            if tag_of(key) == MERGE:
                merged.extend(self._merge_pairs(value, path, {id(mapping)}))
                continue
            if isinstance(key.value, list):
                self._hit(
                    "RL004",
                    f"a key must be a plain string, not {type_name(key)}",
                    span_of(key),
                    path,
                )
                continue
            name = scalar_text(key)
            if name in seen:
                first = seen[name].start_mark.line + 1
                self._hit(
                    "RL002",
                    f"duplicate key '{name}' (first defined on line {first}); "
                    "the first value is used",
                    span_of(key),
                    join(path, name),
                )
                continue
            seen[name] = key
            explicit.append((name, key, value))
        for name, key, value in merged:
            if name not in seen:
                seen[name] = key
                explicit.append((name, key, value))
        return explicit

    def _merge_pairs(
        self, value: Node, path: str, active: set[int]
    ) -> list[tuple[str, Node, Node]]:
        sources = value.value if tag_of(value) == SEQ else [value]
        pairs: list[tuple[str, Node, Node]] = []
        for source in sources:
            self._spend()
            if tag_of(source) != MAP:
                self._hit(
                    "RL004",
                    f"a merge key (<<) needs a mapping, not {type_name(source)}",
                    span_of(source),
                    path,
                )
                continue
            if id(source) in active:
                continue
            if len(active) > MAX_MERGE_DEPTH:
                self._hit(
                    "RL004",
                    f"merge keys (<<) chained more than {MAX_MERGE_DEPTH} deep; flatten the chain",
                    span_of(source),
                    path,
                )
                continue
            for key, item in source.value:
                self._spend()
                if tag_of(key) == MERGE:
                    pairs.extend(self._merge_pairs(item, path, active | {id(source)}))
                elif not isinstance(key.value, list):
                    pairs.append((scalar_text(key), key, item))
        return pairs

    def _unknown(
        self, name: str, key: Node, known: Any, path: str, phone: str | None = None
    ) -> None:
        from difflib import get_close_matches

        message = f"unknown field '{name}'"
        guess = get_close_matches(name, list(known), n=1, cutoff=0.6)
        if guess:
            message += f"; did you mean '{guess[0]}'?"
        self._hit("RL003", message, span_of(key), join(path, name), phone)
