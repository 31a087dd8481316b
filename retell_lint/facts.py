"""One file's lint outcome as plain JSON data, for the cache, and back.

What is kept of a file: the hits of the reader and of the number checks (before
suppressions, which are worked out again from the text on every run), and the
facts the project-wide rules read of each number — the fields they look at
(:func:`retell_lint.checks.project.fact_fields`), where those fields are, and
which fields the number declares. Project rules then run on every number of the
tree, read or remembered, exactly as on freshly built ones.

Decoding checks the shape of everything it reads: an entry that does not have
it raises :class:`BadEntry`, and the file is linted again.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from retell_lint.build import Located, NumberDoc
from retell_lint.findings import Hit
from retell_lint.model import AgentEntry, PhoneNumber, SipTrunk, _Record
from retell_lint.source import Span

if TYPE_CHECKING:
    from retell_lint.filestate import FileState

SEVERITIES = (None, "error", "warning", "info")
RECORDS: dict[str, type[_Record]] = {
    "AgentEntry": AgentEntry,
    "SipTrunk": SipTrunk,
    "PhoneNumber": PhoneNumber,
}


NO_KEY = (0, 0, 0, 0)
new_tuple = tuple.__new__
NO_KEY_ITEMS = list(NO_KEY)


class BadEntry(Exception):
    """A cached entry that is not what this version writes."""


# Paths seen, and the field each starts with: the same few dozen paths recur in
# every file, and a number has a place for each key and value it holds.
_TOPS: dict[str, str] = {}
MAX_TOPS = 10_000


def _top(path: str) -> str:
    """The number's field a YAML path starts with (``inbound_agents[1].weight``)."""
    top = _TOPS.get(path)
    if top is None:
        if len(_TOPS) >= MAX_TOPS:
            _TOPS.clear()
        top = _TOPS[path] = path.split(".", 1)[0].split("[", 1)[0]
    return top


# -- encoding -------------------------------------------------------------------------


def encode_hits(hits: list[Hit]) -> list[list[Any]]:
    return [
        [h.rule, h.message, *h.span, h.path, h.phone_number, h.document, h.severity] for h in hits
    ]


def _value(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return [_value(item) for item in value]
    if isinstance(value, _Record):
        return {
            "$": type(value).__name__,
            "set": sorted(value.fields_set),
            "v": {name: _value(getattr(value, name)) for name in sorted(value.fields_set)},
        }
    raise TypeError(f"cannot keep a {type(value).__name__} in the cache")


def encode_number(number: NumberDoc, fields: Collection[str]) -> dict[str, Any]:
    """The number's facts for project rules: ``fields`` of its config and their places."""
    config = number.config
    return {
        "document": number.document,
        "prefix": number.prefix,
        "span": list(number.span),
        "set": sorted(config.fields_set),
        "v": {
            name: _value(getattr(config, name))
            for name in sorted(config.fields_set)
            if name in fields
        },
        # path, key span (0s when the place has no key), value span
        "places": [
            [path, *(place.key or NO_KEY), *place.value]
            for path, place in number.places.items()
            if _top(path) in fields
        ],
        "unreadable": sorted(number.unreadable_weights),
        "implicit": sorted(number.implicit),
        "invalid": sorted(number.invalid),
        "written": [[key, value] for key, value in sorted(number.written.items())],
    }


def encode_entry(state: FileState, fields: Collection[str]) -> dict[str, Any]:
    """A file's cache entry: its hits, and its numbers' facts for project rules."""
    from retell_lint.phones import known

    phones = []
    for number in state.numbers:
        for text in (number.config.phone_number, number.config.fallback_number):
            found = known(text) if isinstance(text, str) else None
            if found is not None:
                phones.append(list(found))
    return {
        "hits": encode_hits(state.hits),
        "numbers": [encode_number(number, fields) for number in state.numbers],
        # What the phone-number library said of its numbers: project rules read it
        # again, and it costs more to work out than the rest of the entry.
        "phones": phones,
    }


def remember_phones(data: Any) -> None:
    from retell_lint.phones import PhoneFacts, remember

    if type(data) is not list:
        raise BadEntry("phones")
    for item in data:
        if type(item) is not list or len(item) != 8:
            raise BadEntry("phone")
        text, e164, canonical, valid, region, code, national, assumed = item
        if (
            type(text) is not str
            or not (e164 is None or type(e164) is str)
            or type(canonical) is not bool
            or type(valid) is not bool
            or not (region is None or type(region) is str)
            or not (code is None or type(code) is int)
            or not (national is None or type(national) is str)
            or type(assumed) is not bool
        ):
            raise BadEntry("phone")
        remember(PhoneFacts(text, e164, canonical, valid, region, code, national, assumed))


# -- decoding -------------------------------------------------------------------------


def _span(data: Any) -> Span:
    if type(data) is list and len(data) == 4:
        line, column, end_line, end_column = data
        if (
            type(line) is int
            and type(column) is int
            and type(end_line) is int
            and type(end_column) is int
        ):
            return new_tuple(Span, data)
    raise BadEntry("span")


def _strings(data: Any) -> set[str]:
    if type(data) is not list:
        raise BadEntry("strings")
    for item in data:
        if type(item) is not str:
            raise BadEntry("strings")
    return set(data)


def decode_hits(data: Any, file: str) -> list[Hit]:
    if not isinstance(data, list):
        raise BadEntry("hits")
    hits: list[Hit] = []
    for item in data:
        if not isinstance(item, list) or len(item) != 10:
            raise BadEntry("hit")
        rule, message, line, column, end_line, end_column, path, phone, document, severity = item
        if (
            not isinstance(rule, str)
            or not isinstance(message, str)
            or not isinstance(path, str)
            or not (phone is None or isinstance(phone, str))
            or type(document) is not int
            or severity not in SEVERITIES
        ):
            raise BadEntry("hit")
        span = _span([line, column, end_line, end_column])
        hits.append(Hit(rule, message, span, path, phone, document, severity, file))
    return hits


SLOTS = {name: frozenset(kind.__slots__) for name, kind in RECORDS.items()}


def _record(data: Any) -> _Record:
    if type(data) is not dict:
        raise BadEntry("record")
    name = data.get("$")
    values = data.get("v")
    if type(name) is not str or name not in RECORDS or type(values) is not dict:
        raise BadEntry("record")
    kind = RECORDS[name]
    fields_set = _strings(data.get("set"))
    if not values.keys() <= fields_set or not values.keys() <= SLOTS[name]:
        raise BadEntry("record")
    decoded = {
        key: value if type(value) is str else _decoded(value) for key, value in values.items()
    }
    return kind(fields_set, **decoded)


def _decoded(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    return _record(value)


def decode_number(data: Any, file: str) -> NumberDoc:
    if not isinstance(data, dict):
        raise BadEntry("number")
    document, prefix = data.get("document"), data.get("prefix")
    if type(document) is not int or not isinstance(prefix, str):
        raise BadEntry("number")
    config = _record({"$": "PhoneNumber", "set": data.get("set"), "v": data.get("v")})
    assert isinstance(config, PhoneNumber)
    number = NumberDoc(file, document, prefix, config, _span(data.get("span")))
    places = data.get("places")
    if not isinstance(places, list):
        raise BadEntry("places")
    for item in places:
        if type(item) is not list or len(item) != 9 or type(item[0]) is not str:
            raise BadEntry("place")
        for position in item[1:]:
            if type(position) is not int:
                raise BadEntry("place")
        # tuple.__new__: the named tuple's own __new__ is a Python call per span.
        key = None if item[1:5] == NO_KEY_ITEMS else new_tuple(Span, item[1:5])
        number.places[item[0]] = new_tuple(Located, (key, new_tuple(Span, item[5:])))
    number.unreadable_weights = _strings(data.get("unreadable"))
    number.implicit = _strings(data.get("implicit"))
    number.invalid = _strings(data.get("invalid"))
    written = data.get("written")
    if type(written) is not list:
        raise BadEntry("written")
    for pair in written:
        if type(pair) is not list or len(pair) != 2:
            raise BadEntry("written")
        number.written[_strings(pair[:1]).pop()] = _strings(pair[1:]).pop()
    return number
