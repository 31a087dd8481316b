"""Reading a ``phone_numbers`` list file one entry at a time, so that a keystroke in
one number reads only that number again.

A file qualifies when its shape leaves no doubt where each entry starts and ends:
comments and blank lines, then ``phone_numbers:`` at the first column, then block
list entries (``- ``) at one indentation, every other line indented deeper (or a
comment); no document markers or directives, no anchors or aliases (an entry could
then depend on another), only ``\\n`` or ``\\r\\n`` line breaks. Each entry is parsed
on its own, preceded by as many empty lines as come before it, so every line and
column is the one the whole file's parse gives; the builder reads it as entry *k* of
``phone_numbers``. An entry that does not read cleanly (a syntax error, a non-mapping
entry, deep nesting) sends the whole file back to the ordinary reader, which reports
it exactly as ``check`` does. tests/server/test_server_chunks.py compares both readings.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from retell_lint.findings import Hit
from retell_lint.source import Span

if TYPE_CHECKING:
    from retell_lint.build import NumberDoc
    from retell_lint.engine import ActiveRule
    from retell_lint.source import Source

# Comment and blank lines, then the list's key line, then comment and blank lines.
HEADER = re.compile(
    r"(?:[ ]*(?:#[^\n]*)?\r?\n)*phone_numbers:[ ]*(?:#[^\n]*)?\r?\n(?:[ ]*(?:#[^\n]*)?\r?\n)*"
)
ITEM_START = re.compile(r"( *)-(?:[ \r\n]|$)")
# An anchor or alias (or something a plain scalar holds that looks like one).
ANCHOR = re.compile(r"[\s\[{,][&*][^\s\[\]{},]")
# The reader's nesting limit, with room for the levels above an entry.
MAX_ENTRY_INDICATORS = 150
MIN_ENTRIES = 8


class Cancelled(Exception):
    """A run stopped because a newer change made its result stale."""


class Entry:
    """One list entry: its text, first line (1-based) and index."""

    __slots__ = ("index", "line", "text")

    def __init__(self, index: int, line: int, text: str) -> None:
        self.index = index
        self.line = line
        self.text = text


def split(text: str) -> list[Entry] | None:
    """The entries of a list file, or None when the file does not qualify.

    Whole-text regular expressions do the work (a keystroke splits the file again):
    the lines that start at or left of the entries' indentation must all be entry
    starts (or comments).
    """
    if "\x85" in text or "\u2028" in text or "\u2029" in text or "\t" in text:
        return None
    if text.count("\r") != text.count("\r\n"):
        return None
    header = HEADER.match(text)
    if header is None:
        return None
    body = header.end()
    first = ITEM_START.match(text, body)
    if first is None:
        return None
    indent = len(first.group(1))
    if ("&" in text or "*" in text) and ANCHOR.search(text, body - 1) is not None:
        return None
    outdented = re.compile(rf"^ {{0,{indent}}}[^ \r\n#]", re.M)
    entry = re.compile(rf" {{{indent}}}-(?:[ \r\n]|$)")
    starts: list[int] = []
    for match in outdented.finditer(text, body):
        line_start = match.start()
        if entry.match(text, line_start) is None:
            return None  # a key after the list, a marker, or another indentation
        starts.append(line_start)
    if len(starts) < MIN_ENTRIES:
        return None  # a short file reads as fast as a whole
    entries = []
    line = text.count("\n", 0, starts[0]) + 1
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        entries.append(Entry(index, line, text[start:end]))
        line += text.count("\n", start, end)
    return entries


class EntryFacts:
    """What one entry gives: its numbers, reader hits and number-check hits."""

    __slots__ = ("checks", "numbers", "reader")

    def __init__(self, numbers: list[NumberDoc], reader: list[Hit], checks: list[Hit]) -> None:
        self.numbers = numbers
        self.reader = reader
        self.checks = checks


class EntryCache:
    """The entries of each list file as last read, by text and index, with the line
    each was read at. Only the current entries are kept (memory stays flat however
    long a file is edited)."""

    def __init__(self) -> None:
        self.files: dict[str, dict[tuple[str, int], tuple[int, EntryFacts]]] = {}

    def clear(self) -> None:
        self.files.clear()

    def forget(self, name: str) -> None:
        self.files.pop(name, None)


def read_entry(
    source: Source, entry: Entry, checks: list[tuple[Any, Any]], budget: int
) -> EntryFacts | None:
    """Parse and build one entry; None when it does not read cleanly on its own."""
    from retell_lint.build import Builder
    from retell_lint.yamlread import MAP_TAG, SEQ_TAG, parse, tag_of

    if sum(entry.text.count(mark) for mark in "[{-?:") > MAX_ENTRY_INDICATORS:
        return None
    parsed = parse("\n" * (entry.line - 1) + entry.text)
    if parsed.problem is not None or len(parsed.documents) != 1:
        return None
    root = parsed.documents[0]
    if root is None or tag_of(root) != SEQ_TAG or len(root.value) != 1:
        return None
    item = root.value[0]
    if tag_of(item) != MAP_TAG:
        return None
    hits: list[Hit] = []
    builder = Builder(source.name, hits, budget=budget)
    builder.document = 0
    prefix = f"phone_numbers[{entry.index}]"
    number = builder._number(item, builder._pairs(item, prefix), prefix=prefix)
    numbers = [number] if number is not None else []
    found: list[Hit] = []
    for one in numbers:
        for impl, context in checks:
            found.extend(impl.function(one, context))
    return EntryFacts(numbers, hits, found)


def read_entries(
    source: Source,
    entries: list[Entry],
    rules: dict[str, ActiveRule],
    cache: EntryCache,
    stop: threading.Event | None = None,
) -> tuple[list[NumberDoc], list[Hit]] | None:
    """Every entry's facts (from the cache where the entry is unchanged), in the order
    the whole file's reading gives them; None when an entry needs the whole file."""
    from retell_lint.checks import RuleContext
    from retell_lint.filestate import NODE_FLOOR, NODES_PER_CHAR

    checks = [
        (active.impl, RuleContext(active.rule, dict(active.rule.params), None))
        for active in rules.values()
        if active.impl is not None and active.impl.scope == "number"
    ]
    budget = NODE_FLOOR + NODES_PER_CHAR * len(source.text)
    numbers: list[NumberDoc] = []
    reader: list[Hit] = []
    checked: list[Hit] = []
    known = cache.files.get(source.name, {})
    current: dict[tuple[str, int], tuple[int, EntryFacts]] = {}
    for entry in entries:
        if stop is not None and stop.is_set():
            # A newer text is waiting: keep what was read (the next run reuses it).
            cache.files[source.name] = {**known, **current}
            raise Cancelled
        key = (entry.text, entry.index)
        facts: EntryFacts | None = None
        cached = known.get(key)
        if cached is not None:
            # A line added or removed above moves the entry: the same facts, moved.
            facts = moved(cached[1], entry.line - cached[0])
        if facts is None:
            facts = read_entry(source, entry, checks, budget)
            if facts is None:
                cache.forget(source.name)
                return None
        current[key] = (entry.line, facts)
        numbers.extend(facts.numbers)
        reader.extend(facts.reader)
        checked.extend(facts.checks)
    cache.files[source.name] = current
    return numbers, reader + checked


# A message that names a line (a duplicate key's first line): read such an entry
# again rather than move it.
NAMES_A_LINE = re.compile(r"\bline \d")


def moved(facts: EntryFacts, delta: int) -> EntryFacts | None:
    """An entry's facts ``delta`` lines further down (None: read it again)."""
    if delta == 0:
        return facts
    if any(NAMES_A_LINE.search(hit.message) for hit in (*facts.reader, *facts.checks)):
        return None
    return EntryFacts(
        [_moved_number(number, delta) for number in facts.numbers],
        [_moved_hit(hit, delta) for hit in facts.reader],
        [_moved_hit(hit, delta) for hit in facts.checks],
    )


def _span(span: Span, delta: int) -> Span:
    return Span(span.line + delta, span.column, span.end_line + delta, span.end_column)


def _moved_hit(hit: Hit, delta: int) -> Hit:
    return Hit(
        hit.rule,
        hit.message,
        _span(hit.span, delta),
        path=hit.path,
        phone_number=hit.phone_number,
        document=hit.document,
        severity=hit.severity,
        file=hit.file,
    )


def _moved_number(number: NumberDoc, delta: int) -> NumberDoc:
    from retell_lint.build import Located, NumberDoc

    copy = NumberDoc.__new__(NumberDoc)
    for name in NumberDoc.__slots__:
        setattr(copy, name, getattr(number, name))
    copy.span = _span(number.span, delta)
    copy.places = {
        path: Located(
            _span(place.key, delta) if place.key is not None else None, _span(place.value, delta)
        )
        for path, place in number.places.items()
    }
    return copy
