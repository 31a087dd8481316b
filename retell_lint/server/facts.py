"""Per-file facts: what linting one file's text finds without looking at other files.

A file's facts are its source, its numbers (for the project-wide rules) and its
hits from the reader and the number checks. They depend only on the file's text
and the active rules, so they are kept by a digest of both: :class:`FactsCache` is
the one place that stores them, and a persistent, content-addressed cache can take
its place (anything with ``get`` and ``put``).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from retell_lint.findings import Hit
from retell_lint.source import DecodeProblem, Source, Span, decode

if TYPE_CHECKING:
    from retell_lint.build import NumberDoc
    from retell_lint.engine import ActiveRule
    from retell_lint.server.chunks import EntryCache


class FileFacts:
    """One file's source, numbers and the hits that need no other file."""

    __slots__ = ("hits", "numbers", "readable", "source")

    def __init__(self, source: Source, numbers: list[NumberDoc], hits: list[Hit]) -> None:
        self.source = source
        self.numbers = numbers
        # Reader hits and number-check hits; never changed once made.
        self.hits = hits
        # The checks ran: no syntax error stopped them (suppressions can be unused).
        self.readable = not any(hit.rule == "RL001" for hit in hits)


class FactsStore(Protocol):
    def get(self, key: str) -> FileFacts | None: ...

    def put(self, key: str, facts: FileFacts) -> None: ...


class FactsCache:
    """An in-memory store of recent facts, least recently used dropped first."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[str, FileFacts] = OrderedDict()

    def get(self, key: str) -> FileFacts | None:
        facts = self._items.get(key)
        if facts is not None:
            self._items.move_to_end(key)
        return facts

    def put(self, key: str, facts: FileFacts) -> None:
        self._items[key] = facts
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def facts_key(name: str, data: bytes, rules_key: str) -> str:
    """The digest facts are stored under: the file's name, its bytes and the rules."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(rules_key.encode())
    digest.update(b"\0")
    digest.update(name.encode("utf-8", "surrogateescape"))
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def text_bytes(text: str) -> bytes:
    """An editor buffer's text as the bytes a file would hold (lone surrogates kept as
    invalid UTF-8, so they are reported as the CLI reports such a file)."""
    return text.encode("utf-8", "surrogatepass")


def compute_facts(
    name: str,
    data: bytes,
    rules: dict[str, ActiveRule],
    entries: EntryCache | None = None,
    stop: threading.Event | None = None,
) -> FileFacts:
    """Read one file's bytes: decode, parse, build, and run the number checks.

    With ``entries``, a ``phone_numbers`` list file is read entry by entry, and an
    entry read before (same text and index) is not read again; ``stop`` set: the
    reading stops between entries (:class:`Cancelled`), keeping what was read.
    """
    from retell_lint.checks import RuleContext
    from retell_lint.filestate import read_numbers

    try:
        text = decode(data)
    except DecodeProblem as problem:
        span = Span(problem.line, problem.column, problem.line, problem.column + 1)
        source = Source(name, "", undecodable=True)
        return FileFacts(source, [], [Hit("RL001", problem.message, span, file=name)])
    source = Source(name, text)
    source.bom = data.startswith(b"\xef\xbb\xbf")
    if entries is not None:
        from retell_lint.server.chunks import read_entries, split

        listed = split(text)
        read = read_entries(source, listed, rules, entries, stop) if listed is not None else None
        if read is not None:
            return FileFacts(source, *read)
    state = read_numbers(source)
    hits = list(state.hits)
    checks = [
        (active.impl, RuleContext(active.rule, dict(active.rule.params), None))
        for active in rules.values()
        if active.impl is not None and active.impl.scope == "number"
    ]
    for number in state.numbers:  # the engine's order: number by number
        for impl, context in checks:
            hits.extend(impl.function(number, context))
    return FileFacts(source, state.numbers, hits)
