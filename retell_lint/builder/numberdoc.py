"""One phone number as built: the model plus the position of each of its parts."""

from __future__ import annotations

from typing import NamedTuple

from retell_lint.model import PhoneNumber
from retell_lint.source import Span


class Located(NamedTuple):
    key: Span | None
    value: Span


class NumberDoc:
    """One phone number as declared: the model plus where each part of it is."""

    __slots__ = (
        "config",
        "conflicts",
        "document",
        "file",
        "implicit",
        "invalid",
        "places",
        "prefix",
        "span",
        "unreadable_weights",
        "written",
    )

    def __init__(
        self, file: str, document: int, prefix: str, config: PhoneNumber, span: Span
    ) -> None:
        self.file = file
        self.document = document
        # "" for a single-number document, "phone_numbers[2]" in a list.
        self.prefix = prefix
        self.config = config
        self.span = span
        # YAML path inside the number ("inbound_agents[1].weight") -> position.
        self.places: dict[str, Located] = {}
        # Agent lists with an entry whose weight could not be read as a number.
        self.unreadable_weights: set[str] = set()
        # Paths whose unquoted value was already reported as read with the wrong type.
        self.implicit: set[str] = set()
        # Paths whose value was reported as being of the wrong type (left out or "").
        self.invalid: set[str] = set()
        # Canonical path -> the path as written, for values read from a flat API
        # parameter ("sip_outbound_trunk_config.transport" -> "transport").
        self.written: dict[str, str] = {}
        # Canonical path -> the flat parameter written beside it with another value.
        self.conflicts: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"NumberDoc({self.phone_number!r}, {self.file}:{self.span.line})"

    @property
    def declared(self) -> set[str]:
        return self.config.fields_set

    def full_path(self, path: str) -> str:
        """The YAML path of ``path`` as the file writes it, from the document's root."""
        for canonical, written in self.written.items():
            if path == canonical or path.startswith((canonical + "[", canonical + ".")):
                path = written + path[len(canonical) :]
                break
        if not self.prefix:
            return path
        return f"{self.prefix}.{path}" if path else self.prefix

    def key_span(self, path: str) -> Span:
        place = self.places.get(path)
        if place is None:
            return self.span
        return place.key or place.value

    def value_span(self, path: str) -> Span:
        place = self.places.get(path)
        return place.value if place is not None else self.span

    @property
    def phone_number(self) -> str | None:
        value = self.config.phone_number
        return value if isinstance(value, str) else None
