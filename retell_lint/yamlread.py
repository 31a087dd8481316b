"""Parsing YAML text into position-keeping nodes, safely.

ruamel.yaml's C-accelerated composer builds the node graph (no Python object
is ever constructed from a tag). The C composer recurses once per nesting
level, so a deep enough file would overflow the C stack: unless a count of
indicator characters already bounds the depth, the parser's events are scanned
first (the parser does not recurse) and a file nesting deeper than
MAX_NESTING, or holding more than MAX_DOCUMENTS documents, is a syntax problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from retell_lint.source import Span

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

# Real configs nest a handful of levels; anything past this is hostile input.
MAX_NESTING = 200
# A file of many numbers is a handful of documents; a million empty ones is an attack.
MAX_DOCUMENTS = 10_000


class SyntaxProblem(NamedTuple):
    message: str
    line: int
    column: int


class Parsed(NamedTuple):
    documents: list[Node | None]
    problem: SyntaxProblem | None


def span_of(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _nesting_bound(text: str) -> int:
    """An upper bound of the nesting depth, from indicator counts alone.

    Every collection holds at least one character of its own among ``[ { - ? :``
    (a flow bracket, a block sequence's dash, a block mapping's key or value
    indicator), so their count bounds how deep collections can nest.
    """
    return sum(text.count(mark) for mark in "[{-?:")


def _structure_problem(text: str) -> SyntaxProblem | None:
    """Find where nesting exceeds MAX_NESTING or documents exceed MAX_DOCUMENTS, exactly.

    Runs the parser alone (libyaml's parser keeps an explicit stack; only the
    composer recurses), so every nesting construct is counted as YAML reads
    it: explicit keys, block sequences, flow brackets; never brackets inside
    comments or quoted scalars. A syntax error stops the scan: the composer
    reports it, and nothing before it nests too deep.
    """
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import (
        CollectionEndEvent,
        CollectionStartEvent,
        DocumentStartEvent,
    )

    parser = CParser(text)
    depth = 0
    documents = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return _problem_at(
                        f"nesting deeper than {MAX_NESTING} levels; not a phone-number config",
                        event,
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            elif isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > MAX_DOCUMENTS:
                    return _problem_at(
                        f"more than {MAX_DOCUMENTS} YAML documents; not a phone-number config",
                        event,
                    )
    except (YAMLError, RecursionError):
        return None
    finally:
        parser.dispose()
    return None


def _problem_at(message: str, event: Any) -> SyntaxProblem:
    mark = event.start_mark
    return SyntaxProblem(message, mark.line + 1, mark.column + 1)


def _make_loader() -> Any:
    """A loader class: ruamel.yaml's C parser and composer with a YAML 1.2 resolver.

    ruamel's own resolver re-derives the YAML version and rebuilds its tables on
    every scalar, which costs more than parsing; this one resolves each distinct
    plain scalar once, with ruamel's YAML 1.2 rules, and hands out shared tags.
    """
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    from ruamel.yaml.nodes import ScalarNode, SequenceNode
    from ruamel.yaml.resolver import BaseResolver, implicit_resolvers
    from ruamel.yaml.tag import Tag

    rules = [
        (tag, regexp) for versions, tag, regexp, _first in implicit_resolvers if (1, 2) in versions
    ]
    shared: dict[str, Tag] = {}

    def tag(name: str) -> Tag:
        if name not in shared:
            shared[name] = Tag(suffix=name)
            _TAG_NAMES[id(shared[name])] = name
        return shared[name]

    scalar, sequence, mapping = tag(STR_TAG), tag(SEQ_TAG), tag(MAP_TAG)
    cache: dict[str, Tag] = {}

    def resolve_plain(value: str) -> Tag:
        found = cache.get(value)
        if found is None:
            found = next((tag(name) for name, regexp in rules if regexp.match(value)), scalar)
            if len(cache) < 100_000:
                cache[value] = found
        return found

    class Loader(CParser, BaseResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            BaseResolver.__init__(self)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Tag:
            if kind is ScalarNode:
                return resolve_plain(value) if implicit[0] else scalar
            return sequence if kind is SequenceNode else mapping

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    return Loader


STR_TAG, SEQ_TAG, MAP_TAG = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))
# Names of the shared tags the loader hands out, by identity: reading a tag's
# name through ruamel's Tag.__str__ is slow, and the builder asks for every node.
_TAG_NAMES: dict[int, str] = {}
_LOADER: Any = None


def tag_of(node: Node) -> str:
    ctag = node.ctag
    name = _TAG_NAMES.get(id(ctag))
    if name is not None:
        return name
    # An explicit tag can contradict the node (!!seq "x", !!map [a]): readers
    # iterate what is tagged as a collection, so such a node gets a tag of its own.
    name = str(ctag)
    kind: str = getattr(node, "id", "")  # 'scalar', 'sequence' or 'mapping'
    if (name == SEQ_TAG and kind != "sequence") or (name == MAP_TAG and kind != "mapping"):
        return f"!!{name.rsplit(':', 1)[-1]} on a {kind}"
    return name


def parse(text: str) -> Parsed:
    """Compose every document of ``text``; stop at the first syntax error.

    Documents before the error are kept, so nothing already read is lost.
    """
    global _LOADER
    if _nesting_bound(text) > MAX_NESTING:
        problem = _structure_problem(text)
        if problem is not None:
            return Parsed([], problem)
    if _LOADER is None:
        _LOADER = _make_loader()
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    documents: list[Node | None] = []
    loader = _LOADER(text)
    try:
        while loader.check_node():
            if len(documents) >= MAX_DOCUMENTS:
                mark = loader.peek_event().start_mark
                problem = SyntaxProblem(
                    f"more than {MAX_DOCUMENTS} YAML documents; not a phone-number config",
                    mark.line + 1,
                    mark.column + 1,
                )
                return Parsed(documents, problem)
            documents.append(loader.get_node())
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        if "\t" in message or (mark is not None and _tab_at(text, mark.line)):
            message += " (tabs are not allowed for indentation; use spaces)"
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        return Parsed(documents, SyntaxProblem(message, line, column))
    except YAMLError as exc:
        return Parsed(documents, SyntaxProblem(str(exc).splitlines()[0], 1, 1))
    except RecursionError:
        return Parsed(documents, SyntaxProblem("nesting too deep", 1, 1))
    finally:
        loader.dispose()
    return Parsed(documents, None)


def _tab_at(text: str, line0: int) -> bool:
    lines = text.split("\n", line0 + 1)
    if line0 >= len(lines):
        return False
    line = lines[line0]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]
