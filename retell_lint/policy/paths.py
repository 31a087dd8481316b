"""The path language of policies: which value of a number a policy looks at.

A path names a field of the number (``nickname``), a field inside a mapping
(``sip_outbound_trunk_config.transport``), every item of a list (``inbound_agents[*]``,
``inbound_agents[*].agent_version``) or one item (``inbound_agents[0]``). Paths are
checked against the field table of :mod:`retell_lint.fields` when a policy is loaded,
so a misspelt field is a configuration error with a suggestion, never silence.

A path's :class:`Slot` says what its values can be, so assertions that cannot apply
(a pattern on a list, ``min`` on a string) are refused at load time too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, SIP_FIELDS, FieldSpec

# JSON-like names of the types a value can have, as the ``type`` assertion spells them.
TYPE_NAMES = ("string", "integer", "number", "boolean", "list", "mapping", "null")
SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[(?:\*|\d+)\])*)")
MAX_PATH = 200


class PathError(Exception):
    """A path that does not name a field (message with a suggestion where one helps)."""


class Slot:
    """What the values at a path can be: their types, list items, mapping fields."""

    __slots__ = ("fields", "items", "types")

    def __init__(
        self,
        types: frozenset[str],
        items: Slot | None = None,
        fields: dict[str, FieldSpec] | None = None,
    ) -> None:
        self.types = types
        self.items = items
        self.fields = fields

    def describe(self) -> str:
        if self.items is not None:
            return f"a list of {self.items.describe_plural()}"
        if self.fields is not None:
            return "a mapping"
        return " or ".join(_ARTICLE[t] for t in sorted(self.types))

    def describe_plural(self) -> str:
        if self.fields is not None:
            return "mappings"
        return " or ".join(f"{t}s" for t in sorted(self.types))


_ARTICLE = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "list": "a list",
    "mapping": "a mapping",
}


def slot_of(spec: FieldSpec) -> Slot:
    shape = spec.shape
    if shape in ("str", "phone"):
        return Slot(frozenset({"string"}))
    if shape == "int":
        return Slot(frozenset({"integer"}))
    if shape == "number":
        return Slot(frozenset({"number"}))
    if shape == "bool":
        return Slot(frozenset({"boolean"}))
    if shape == "version":
        return Slot(frozenset({"integer", "string"}))
    if shape == "agents":
        return Slot(frozenset({"list"}), items=Slot(frozenset({"mapping"}), fields=AGENT_FIELDS))
    if shape == "str_list":
        return Slot(frozenset({"list"}), items=Slot(frozenset({"string"})))
    return Slot(frozenset({"mapping"}), fields=SIP_FIELDS)


class Step(NamedTuple):
    """One step of a path: a field by name, every item (index None), or one item."""

    field: str | None
    index: int | None = None


class Path(NamedTuple):
    text: str
    steps: tuple[Step, ...]
    slot: Slot
    wildcard: bool


def _suggest(name: str, known: list[str]) -> str:
    from difflib import get_close_matches

    guess = get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean '{guess[0]}'?" if guess else ""


def _field(name: str, table: dict[str, FieldSpec], where: str) -> FieldSpec:
    spec = table.get(name)
    if spec is None:
        known = [n for n, s in table.items() if s.kind not in ("legacy", "api_alias")]
        raise PathError(f"{where} has no field '{name}'{_suggest(name, known)}")
    if spec.kind == "api_alias":
        raise PathError(
            f"'{name}' is the API's request parameter for {spec.replacement}; "
            f"write the path {spec.replacement}"
        )
    return spec


def parse_path(text: Any) -> Path:
    """Parse and check a path against the field table; PathError when it names nothing."""
    if not isinstance(text, str) or not text.strip():
        raise PathError("a path must be a non-empty string such as inbound_agents[*].weight")
    if len(text) > MAX_PATH:
        raise PathError(f"a path must be at most {MAX_PATH} characters")
    parts = text.split(".")
    steps: list[Step] = []
    slot: Slot | None = None
    table: dict[str, FieldSpec] | None = NUMBER_FIELDS
    where = "a phone number"
    wildcard = False
    for part in parts:
        match = SEGMENT.fullmatch(part)
        if match is None:
            raise PathError(
                f"'{text}' is not a path: write field names joined by '.', with [*] "
                "for every item of a list (inbound_agents[*].agent_id)"
            )
        name, brackets = match.group(1), match.group(2)
        if table is None:
            assert slot is not None
            shown = ".".join(parts[: parts.index(part)])
            if slot.items is not None and slot.items.fields is not None:
                raise PathError(
                    f"{shown} is a list; write {shown}[*].{name} for every item, "
                    f"or {shown}[0].{name} for the first"
                )
            raise PathError(f"{shown} is {slot.describe()}, which has no field '{name}'")
        spec = _field(name, table, where)
        steps.append(Step(name))
        slot = slot_of(spec)
        where = f"'{name}'"
        for index in re.findall(r"\[(\*|\d+)\]", brackets):
            if slot.items is None:
                raise PathError(f"'{name}' is {slot.describe()}, not a list: it has no items")
            steps.append(Step(None, None if index == "*" else int(index)))
            wildcard = wildcard or index == "*"
            slot = slot.items
        table = slot.fields
        if table is not None and slot.items is None:
            where = f"'{name}' ({'an agent entry' if table is AGENT_FIELDS else 'a SIP trunk'})"
    assert slot is not None
    return Path(text, tuple(steps), slot, wildcard)


# -- selecting values ------------------------------------------------------------------

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


class Node(NamedTuple):
    """A value a path selects: where it is (``path`` in NumberDoc.places terms),
    its value (MISSING when not written), and for a missing value the nearest
    written place that contains it (``anchor``; "" for the number itself)."""

    path: str
    value: Any
    anchor: str


def _join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


def select(config: Any, path: Path, invalid: set[str]) -> Iterator[Node]:
    """Every value ``path`` selects in a number's model.

    A field not written gives a MISSING node; ``[*]`` over a list that is not written
    gives nothing. Values already reported as being of the wrong type (``invalid``)
    are left out, so a policy never reports them a second time.
    """
    yield from _walk(config, path.steps, "", invalid)


def _walk(value: Any, steps: tuple[Step, ...], where: str, invalid: set[str]) -> Iterator[Node]:
    if not steps:
        yield Node(where, value, where)
        return
    step, rest = steps[0], steps[1:]
    if step.field is not None:
        fields_set = getattr(value, "fields_set", None)
        if fields_set is None or step.field not in fields_set:
            yield Node(_join(where, step.field), MISSING, where)
            return
        child = _join(where, step.field)
        if child in invalid:
            return
        yield from _walk(getattr(value, step.field), rest, child, invalid)
        return
    if not isinstance(value, list):
        return
    indexes = range(len(value)) if step.index is None else (step.index,)
    for index in indexes:
        child = f"{where}[{index}]"
        if index >= len(value):
            yield Node(child, MISSING, where)
        elif child not in invalid:
            yield from _walk(value[index], rest, child, invalid)


def plain(value: Any) -> Any:
    """A model value as plain data: records become dicts of the fields they set."""
    if isinstance(value, list):
        return [plain(item) for item in value]
    fields_set = getattr(value, "fields_set", None)
    if fields_set is not None:
        return {name: plain(getattr(value, name)) for name in sorted(fields_set)}
    return value
