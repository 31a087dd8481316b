"""``pattern`` and ``not_pattern``: strings (and integer versions) against an RE2 regex."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retell_lint.policy.assertions.base import (
    MAX_MATCH_INPUT,
    CompilerBase,
    Evaluate,
    Failure,
    Outcome,
)
from retell_lint.policy.assertions.values import show

if TYPE_CHECKING:
    from retell_lint.regex import UserRegex


class Patterns(CompilerBase):
    def _regex(self, operand: Any, key: str, name: str) -> UserRegex:
        if "string" not in self.slot.types:
            raise self.cannot(name, key, "strings")
        if not isinstance(operand, str) or not operand:
            raise self.fail(key, f"'{name}' must be a regular expression (a string)")
        from retell_lint.regex import RegexError, compile_user

        try:
            return compile_user(operand)
        except RegexError as exc:
            raise self.fail(key, f"'{name}' {exc}") from None

    def _pattern(self, operand: Any, key: str) -> Evaluate:
        return self._matching(operand, key, "pattern", wanted=True)

    def _not_pattern(self, operand: Any, key: str) -> Evaluate:
        return self._matching(operand, key, "not_pattern", wanted=False)

    def _matching(self, operand: Any, key: str, name: str, *, wanted: bool) -> Evaluate:
        """``pattern`` (the value must match) or ``not_pattern`` (it must not)."""
        regex = self._regex(operand, key, name)

        def evaluate(value: Any) -> Outcome:
            text = _text(value)
            if text is None:
                return None
            if len(text) > MAX_MATCH_INPUT:
                return [Failure(lambda: f"the value is longer than {MAX_MATCH_INPUT} characters")]
            if bool(regex.search(text)) == wanted:
                return []
            verb = "does not match" if wanted else "matches"
            return [Failure(lambda: f"{show(text)} {verb} {show(operand)}")]

        return evaluate


def _text(value: Any) -> str | None:
    """The text a pattern is matched against: strings, and integer versions as digits."""
    if type(value) is str:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None
