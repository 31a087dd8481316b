"""Parsing YAML text into position-keeping nodes, safely.

ruamel.yaml's C-accelerated composer builds the node graph (no Python object
is ever constructed from a tag). Before handing text to it, a cheap scan bounds
the nesting depth, because the C composer recurses once per level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retell_lint.source import Span

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

# Real configs nest a handful of levels; anything past this is hostile input.
MAX_NESTING = 200


@dataclass
class SyntaxProblem:
    message: str
    line: int
    column: int


@dataclass
class Parsed:
    documents: list[Node | None]
    problem: SyntaxProblem | None


def span_of(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _nesting_problem(text: str) -> SyntaxProblem | None:
    """Find a line whose nesting would exceed MAX_NESTING (an upper bound, cheap)."""
    if text.count("[") + text.count("{") + text.count("- ") < MAX_NESTING and len(text) < 20_000:
        return None
    flow = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        opened = line.count("[") + line.count("{")
        flow = max(0, flow + opened - line.count("]") - line.count("}"))
        depth = indent + flow + opened + stripped.count("- ")
        if depth > MAX_NESTING:
            return SyntaxProblem(
                f"nesting deeper than {MAX_NESTING} levels; not a phone-number config",
                number,
                1,
            )
    return None


def _make_yaml() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False)


_YAML: Any = None


def parse(text: str) -> Parsed:
    """Compose every document of ``text``; stop at the first syntax error.

    Documents before the error are kept, so nothing already read is lost.
    """
    global _YAML
    problem = _nesting_problem(text)
    if problem is not None:
        return Parsed([], problem)
    if _YAML is None:
        _YAML = _make_yaml()
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    documents: list[Node | None] = []
    try:
        for document in _YAML.compose_all(text):
            documents.append(document)
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
    return Parsed(documents, None)


def _tab_at(text: str, line0: int) -> bool:
    lines = text.split("\n", line0 + 1)
    if line0 >= len(lines):
        return False
    line = lines[line0]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]
