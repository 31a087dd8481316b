"""A loaded policy → a catalogue :class:`~retell_lint.catalogue.Rule` and a check.

The check is a number check (``scope: number``, the default: each number that matches
``where`` must satisfy ``require`` at every value ``field`` selects) or a project check
(``scope: project``: the values ``field`` selects must differ across all numbers).
Findings point at the offending value (the offending item of a list), or, for a value
that is not written, at the nearest place that is: the number's ``phone_number`` key
for a field of the number, the mapping or list entry for a field inside one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from retell_lint.catalogue import Rule
from retell_lint.checks import CheckImpl, RuleContext
from retell_lint.findings import Hit, Severity
from retell_lint.policy.assertions import Evaluate, Failure, show
from retell_lint.policy.paths import MISSING, Node, Path, plain, select
from retell_lint.source import Span

if TYPE_CHECKING:
    from retell_lint.build import NumberDoc


class Policy(NamedTuple):
    """One policy as loaded: what it says, and the rule and check it compiles to."""

    id: str
    name: str
    severity: Severity
    enabled: bool
    message: str
    description: str
    url: str | None
    scope: str
    where: tuple[tuple[Path, Evaluate], ...]
    targets: tuple[tuple[Path, Evaluate], ...]
    # The policy's entry as written (for explain) and where it is (file:line).
    data: dict[str, Any]
    source: str

    @property
    def rule(self) -> Rule:
        return Rule(
            id=self.id,
            name=self.name,
            severity=self.severity,
            enabled=self.enabled,
            check=f"policy:{self.id}",
            summary=self.message,
            rationale=self.description or self.message,
            fix="",
            bad="",
            good="",
            params={},
            source=self.source,
            url=self.url,
            policy=True,
        )

    @property
    def impl(self) -> CheckImpl:
        if self.scope == "project":
            return CheckImpl(f"policy:{self.id}", "project", self._check_project)
        return CheckImpl(f"policy:{self.id}", "number", self._number_check())

    # -- evaluation ------------------------------------------------------------------
    def applies(self, number: NumberDoc) -> bool:
        """Whether ``number`` matches every condition of ``where``."""
        for path, evaluate in self.where:
            nodes = select(number.config, path, number.invalid)
            if not nodes:
                nodes = [Node((), MISSING, 0)]
            for node in nodes:
                if evaluate(node.value) != []:
                    return False
        return True

    def _number_check(self) -> Callable[[NumberDoc, RuleContext], Sequence[Hit]]:
        """The number check, as a closure: it runs once per number and policy."""
        where, applies, make_hit = self.where, self.applies, self._hit
        # A field of the number is read directly; other paths are walked.
        fields = [(p.text, e) for p, e in self.targets if len(p.steps) == 1]
        walked = [(p, e) for p, e in self.targets if len(p.steps) > 1]

        def check(number: NumberDoc, ctx: RuleContext) -> Sequence[Hit]:
            if where and not applies(number):
                return ()
            hits: list[Hit] = []  # usually stays empty
            config, invalid = number.config, number.invalid
            written = config.fields_set
            for name, evaluate in fields:
                if name not in written:
                    value = MISSING
                elif invalid and name in invalid:
                    continue
                else:
                    value = getattr(config, name)
                outcome = evaluate(value)
                if outcome:
                    node = Node((name,), value, 0 if value is MISSING else 1)
                    hits.extend(make_hit(number, node, failure) for failure in outcome)
            for path, evaluate in walked:
                for node in select(config, path, invalid):
                    outcome = evaluate(node.value)
                    if outcome:
                        hits.extend(make_hit(number, node, failure) for failure in outcome)
            return hits

        return check

    def _check_project(self, numbers: Sequence[NumberDoc], ctx: RuleContext) -> Iterator[Hit]:
        import json

        first: dict[str, tuple[NumberDoc, Node]] = {}
        for number in numbers:
            if not self.applies(number):
                continue
            for path, _evaluate in self.targets:
                for node in select(number.config, path, number.invalid):
                    if node.value is MISSING or node.value is None:
                        continue
                    value = plain(node.value)
                    key = json.dumps(value, sort_keys=True, ensure_ascii=False)
                    if key not in first:
                        first[key] = (number, node)
                        continue
                    other, where = first[key]
                    line = other.value_span(where.path).line
                    owner = other.phone_number or "another number"
                    detail = f"{show(value)} is also used by {owner} ({other.file}:{line})"
                    yield self._hit(number, node, Failure(detail))

    def _hit(self, number: NumberDoc, node: Node, failure: Failure) -> Hit:
        path = node.path
        if node.value is MISSING:
            span = _missing_span(number, node.anchor)
        elif failure.at_key:
            span = number.key_span(path)
        else:
            if failure.item is not None and f"{path}[{failure.item}]" in number.places:
                path = f"{path}[{failure.item}]"
            span = number.value_span(path)
        shown = number.full_path(path) if path else "the number"
        return Hit(
            self.id,
            f"{self.message} ({shown}: {failure.detail})",
            span,
            path=number.full_path(path),
            phone_number=number.phone_number,
            document=number.document,
            file=number.file,
        )


def _missing_span(number: NumberDoc, anchor: str) -> Span:
    if anchor:
        return number.key_span(anchor)
    if "phone_number" in number.places:
        return number.key_span("phone_number")
    return number.span
