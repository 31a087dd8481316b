"""One file's text → YAML nodes → its phone numbers, with the reader's findings
(syntax, empty files, the builder's shape findings): the first step of every lint,
before the number checks (:func:`retell_lint.engine.lint_file`).
"""

from __future__ import annotations

from typing import Any

from retell_lint.build import Builder, NumberDoc
from retell_lint.config import TOP_KEYS
from retell_lint.findings import Hit
from retell_lint.source import Source, Span
from retell_lint.yamlread import MAP_TAG, SEQ_TAG, parse, tag_of

# Alias expansion budget: nodes visited per character of input, plus a floor.
NODES_PER_CHAR = 4
NODE_FLOOR = 100_000
CONFIG_KEYS = frozenset(TOP_KEYS)


class FileState:
    """One file while it is linted: its source, reader hits and numbers."""

    __slots__ = ("hits", "numbers", "source")

    def __init__(self, source: Source) -> None:
        self.source = source
        self.hits: list[Hit] = []
        self.numbers: list[NumberDoc] = []


def read_numbers(source: Source) -> FileState:
    """Parse one file and build its numbers (reader findings in ``hits``)."""
    state = FileState(source)
    if source.undecodable:
        return state
    if not source.text.strip():
        state.hits.append(
            Hit("RL008", "empty file: no phone number here", Span(1, 1, 1, 1), file=source.name)
        )
        return state
    parsed = parse(source.text)
    if own_file(parsed):
        return state
    builder = Builder(
        source.name, state.hits, budget=NODE_FLOOR + NODES_PER_CHAR * len(source.text)
    )
    for index, document in enumerate(parsed.documents):
        state.numbers.extend(builder.build_document(document, index))
    if parsed.problem is not None:
        problem = parsed.problem
        span = Span(problem.line, problem.column, problem.line, problem.column + 1)
        state.hits.append(
            Hit("RL001", problem.message, span, file=source.name, document=len(parsed.documents))
        )
    elif not parsed.documents:
        state.hits.append(
            Hit(
                "RL008",
                "no YAML document: no phone number here",
                Span(1, 1, 1, 1),
                file=source.name,
            )
        )
    return state


def own_file(parsed: Any) -> bool:
    """Whether a parsed file is retell-lint's own: a configuration (only configuration
    keys) or a policy file (a list of policies), found in a linted folder. Neither can
    be a phone-number config, so neither is reported as one."""
    documents = parsed.documents
    if len(documents) != 1 or parsed.problem is not None:
        return False
    root = documents[0]
    kind = tag_of(root)
    if kind == MAP_TAG:
        # A phone number's first key (phone_number, nickname...) settles it at once.
        for key, _value in root.value:
            name = key.value
            if not isinstance(name, str) or name not in CONFIG_KEYS:
                return False
        return bool(root.value)
    if kind != SEQ_TAG or not root.value:
        return False
    for item in root.value:
        if tag_of(item) != MAP_TAG:
            return False
        if not {"id", "require"} <= {str(key.value) for key, _value in item.value}:
            return False
    return True
