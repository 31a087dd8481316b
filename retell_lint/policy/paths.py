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
    """One step of a path: a field by name, every item (position None), or one item."""

    field: str | None
    position: int | None = None


class Path(NamedTuple):
    text: str
    steps: tuple[Step, ...]
    slot: Slot
    wildcard: bool
    # For a path of the form list[*].field: the field (a faster walk).
    items_field: str | None = None


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
    shape = [(step.field is None, step.position) for step in steps]
    items_field = None
    if len(steps) == 3 and shape == [(False, None), (True, None), (False, None)]:
        items_field = steps[2].field
    return Path(text, tuple(steps), slot, wildcard, items_field)


# -- selecting values ------------------------------------------------------------------

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


class Node(NamedTuple):
    """A value a path selects: the steps to it (field names and list indexes), its
    value (MISSING when not written) and how many of those steps are written (for a
    missing value, the nearest written place that contains it; 0: the number itself).
    Paths are formatted only when a finding needs them."""

    trail: tuple[str | int, ...]
    value: Any
    written: int

    @property
    def path(self) -> str:
        return format_trail(self.trail)

    @property
    def anchor(self) -> str:
        return format_trail(self.trail[: self.written])


def format_trail(trail: tuple[str | int, ...]) -> str:
    """("inbound_agents", 1, "weight") → "inbound_agents[1].weight" (NumberDoc.places)."""
    parts: list[str] = []
    for step in trail:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(f".{step}" if parts else step)
    return "".join(parts)


def select(config: Any, path: Path, invalid: set[str]) -> list[Node]:
    """Every value ``path`` selects in a number's model.

    A field not written gives a MISSING node; ``[*]`` over a list that is not written
    gives nothing. Values already reported as being of the wrong type (``invalid``)
    are left out, so a policy never reports them a second time.
    """
    steps = path.steps
    if len(steps) == 1:  # the common case, a field of the number: no walk
        name = steps[0].field
        assert name is not None
        if name not in config.fields_set:
            return [Node((name,), MISSING, 0)]
        if invalid and name in invalid:
            return []
        return [Node((name,), getattr(config, name), 1)]
    if path.items_field is not None and not invalid:
        return _items_field(config, steps[0].field, path.items_field)
    found: list[Node] = []
    _walk(config, steps, 0, (), invalid, found)
    return found


def _items_field(config: Any, name: Any, field: str) -> list[Node]:
    """``list[*].field`` (the common wildcard), without the general walk."""
    if name not in config.fields_set:
        return []
    items = getattr(config, name)
    if not isinstance(items, list):
        return []
    found: list[Node] = []
    for index, item in enumerate(items):
        fields_set = getattr(item, "fields_set", None)
        if fields_set is None or field not in fields_set:
            found.append(Node((name, index, field), MISSING, 2))
        else:
            found.append(Node((name, index, field), getattr(item, field), 3))
    return found


def _walk(
    value: Any,
    steps: tuple[Step, ...],
    at: int,
    trail: tuple[str | int, ...],
    invalid: set[str],
    found: list[Node],
) -> None:
    if at == len(steps):
        found.append(Node(trail, value, len(trail)))
        return
    step = steps[at]
    if step.field is not None:
        fields_set = getattr(value, "fields_set", None)
        child: tuple[str | int, ...] = (*trail, step.field)
        if fields_set is None or step.field not in fields_set:
            following = steps[at + 1] if at + 1 < len(steps) else None
            # Every item of a list that is not written: there is none.
            if following is None or following.field is not None or following.position is not None:
                found.append(Node(child, MISSING, len(trail)))
        elif not invalid or format_trail(child) not in invalid:
            _walk(getattr(value, step.field), steps, at + 1, child, invalid, found)
        return
    if not isinstance(value, list):
        return
    indexes = range(len(value)) if step.position is None else (step.position,)
    for index in indexes:
        child = (*trail, index)
        if index >= len(value):
            found.append(Node(child, MISSING, len(trail)))
        elif not invalid or format_trail(child) not in invalid:
            _walk(value[index], steps, at + 1, child, invalid, found)


_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """A model value as plain data: records become dicts of the fields they set."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, list):
        return [plain(item) for item in value]
    fields_set = getattr(value, "fields_set", None)
    if fields_set is not None:
        return {name: plain(getattr(value, name)) for name in sorted(fields_set)}
    return value
