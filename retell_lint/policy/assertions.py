"""The assertions of policies: ``present``, ``equals``, ``pattern``, ``min_items`` ...

An assertion mapping (``{pattern: '^https://', not_pattern: 'staging'}``) holds when
every assertion in it holds; ``all``, ``any`` and ``not`` compose mappings. Each
assertion is checked when the policy is loaded: its operand (a valid regex, a list of
strings...) and whether it can apply to the values of the policy's path at all (a
pattern on a number never can). Errors carry the config key they are about, so the
loader can name the file and line.

Evaluating an assertion on one value gives one of three answers: it holds (``[]``),
it fails (a list of :class:`Failure`, each with what is wrong and, for a list, the
offending item), or it does not apply (``None``): only ``present`` and ``type`` say
anything about a value that is not written or is null.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from retell_lint.policy.paths import MISSING, TYPE_NAMES, Slot, plain

if TYPE_CHECKING:
    from retell_lint.regex import UserRegex

# Longest value a pattern is matched against: bounds the time of an unlucky regex.
MAX_MATCH_INPUT = 4096
# all/any/not inside one another: deeper than any policy needs.
MAX_NESTING = 16
_NESTED = re.compile(r"\.(?:all|any)\[\d+\]|\.not(?=\.|$)")
SHOWN = 60

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


# -- showing values ---------------------------------------------------------------------


def show(value: Any) -> str:
    """A value for a message: short, quoted when a string, control characters escaped."""
    if isinstance(value, str):
        text = value if len(value) <= SHOWN else value[: SHOWN - 1] + "…"
        # Quoted as written: only characters that cannot be shown are escaped.
        return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        inner = ", ".join(show(item) for item in value[:5])
        return f"[{inner}{', …' if len(value) > 5 else ''}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in list(value.items())[:4]) + "}"
    return str(value)


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "mapping"


_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": bool}
_A = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "list": "a list",
    "mapping": "a mapping",
    "null": "null",
}


def _is_type(value: Any, name: str) -> bool:
    if type(value) is _TYPES.get(name):  # the common case: exactly that type
        return True
    actual = type_name(value)
    if name == "number":
        return actual in ("integer", "number")
    if name == "integer":
        return actual == "integer" or (actual == "number" and float(value).is_integer())
    return actual == name


def same(left: Any, right: Any) -> bool:
    """Equality that does not take true for 1 (as Python's == does)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)


def _key(value: Any) -> Any:
    """A hashable stand-in for a value: equal exactly when :func:`same` says so."""
    if type(value) is str:  # the common case first
        return ("s", value)
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", float(value))
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, list):
        return ("l", tuple(_key(item) for item in value))
    if isinstance(value, dict):
        return ("m", tuple(sorted((str(k), _key(v)) for k, v in value.items())))
    return ("o", repr(value))


def _not_one_of_text(item: Any, allowed: list[Any]) -> Callable[[], str]:
    return lambda: f"{show(item)} is not one of {_list(allowed)}"


def _repeats_text(item: Any, first: int) -> Callable[[], str]:
    return lambda: f"{show(item)} repeats item {first + 1} of the list"


def _absent(value: Any) -> bool:
    return value is MISSING or value is None


# -- checking operands against the path's slot ---------------------------------------------


def _fits(literal: Any, slot: Slot) -> bool:
    """Whether ``literal`` could be a value at ``slot``."""
    if isinstance(literal, list):
        return slot.items is not None and all(_fits(item, slot.items) for item in literal)
    if isinstance(literal, dict) or literal is None or slot.fields is not None:
        return False
    kind = type_name(literal)
    if kind == "integer":
        return bool(slot.types & {"integer", "number"})
    if kind == "number":
        return "number" in slot.types
    return kind in slot.types


class Compiler:
    """Builds evaluators from assertion mappings for one path (``slot``, ``field``)."""

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
        return _all(parts)

    def one(self, name: str, operand: Any, key: str) -> Evaluate:
        method = getattr(self, f"_{name}", None) if name in NAMES else None
        if method is None:
            from difflib import get_close_matches

            guess = get_close_matches(str(name), NAMES, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            raise self.fail(key, f"unknown assertion '{name}'; {hint}(known: {', '.join(NAMES)})")
        evaluate: Evaluate = method(operand, key)
        return evaluate

    # -- composition -----------------------------------------------------------------
    def _list_of_mappings(self, operand: Any, key: str, name: str) -> list[Evaluate]:
        if not isinstance(operand, list) or not operand:
            raise self.fail(key, f"'{name}' needs a non-empty list of assertion mappings")
        return [self.mapping(item, f"{key}[{index}]") for index, item in enumerate(operand)]

    def _all(self, operand: Any, key: str) -> Evaluate:
        return _all(self._list_of_mappings(operand, key, "all"))

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

    # -- presence and type -----------------------------------------------------------
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
            if _absent(value):
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

        wanted = _A[operand]

        def evaluate(value: Any) -> Outcome:
            if value is MISSING:
                return None
            current = plain(value)
            if _is_type(current, operand):
                return []
            return [Failure(lambda: f"{show(current)} is {_A[type_name(current)]}, not {wanted}")]

        return evaluate

    # -- values ----------------------------------------------------------------------
    def _literal(self, operand: Any, key: str, name: str) -> None:
        if self.slot.fields is not None:
            raise self.cannot(name, key, "strings, numbers, booleans and lists of them")
        if operand is None:
            raise self.fail(key, f"'{name}' cannot compare with null; write present: false")
        if not _fits(operand, self.slot):
            raise self.fail(
                key,
                f"{show(operand)} can never be a value of {self.field}, which is "
                f"{self.slot.describe()}",
            )

    def _equals(self, operand: Any, key: str) -> Evaluate:
        self._literal(operand, key, "equals")

        def evaluate(value: Any) -> Outcome:
            if _absent(value):
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
        listed = {_key(choice) for choice in choices}

        def evaluate(value: Any) -> Outcome:
            if _absent(value):
                return None
            current = plain(value)
            if (_key(current) in listed) == wanted:
                return []
            if wanted:
                return [Failure(lambda: f"{show(current)} is not one of {_list(choices)}")]
            return [Failure(lambda: f"{show(current)} is not allowed here")]

        return evaluate

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

    # -- lists -----------------------------------------------------------------------
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
            if not _fits(item, items):
                raise self.fail(
                    f"{key}[{index}]",
                    f"{show(item)} can never be an item of {self.field}, a list of "
                    f"{items.describe_plural()}",
                )
        allowed = {_key(item) for item in operand}

        def evaluate(value: Any) -> Outcome:
            if not isinstance(value, list):
                return None
            return [
                Failure(_not_one_of_text(item, operand), index)
                for index, item in enumerate(value)
                if _key(item) not in allowed
            ]

        return evaluate

    def _contains(self, operand: Any, key: str) -> Evaluate:
        items = self._scalar_items(operand, key, "contains")
        if not _fits(operand, items):
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
                first = seen.setdefault(_key(current), index)
                if first != index:
                    failures.append(Failure(_repeats_text(current, first), index))
            return failures

        return evaluate


def _none_holds(failures: list[Failure]) -> str:
    details = "; ".join(dict.fromkeys(failure.detail for failure in failures))
    return f"none of the alternatives holds: {details}"


def _all(parts: list[Evaluate]) -> Evaluate:
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


def _compare(test: Callable[[float], bool], wrong: str) -> Evaluate:
    def evaluate(value: Any) -> Outcome:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if test(float(value)):
            return []
        return [Failure(lambda: f"{show(value)} is {wrong}")]

    return evaluate


def _text(value: Any) -> str | None:
    """The text a pattern is matched against: strings, and integer versions as digits."""
    if type(value) is str:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'}"


def _list(values: list[Any]) -> str:
    return ", ".join(show(v) for v in values[:10]) + (", …" if len(values) > 10 else "")


def render_data(data: Any) -> str:
    """Assertion data in YAML flow style, for messages and ``explain``."""
    if isinstance(data, dict):
        return "{" + ", ".join(f"{k}: {render_data(v)}" for k, v in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(render_data(v) for v in data) + "]"
    if isinstance(data, str):
        import json

        return json.dumps(data, ensure_ascii=False) if _needs_quotes(data) else data
    return show(data)


def _needs_quotes(text: str) -> bool:
    return not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.+/@\[\]*-]*", text) or text.lower() in (
        "true",
        "false",
        "null",
        "yes",
        "no",
        "on",
        "off",
    )
