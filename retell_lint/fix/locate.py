"""Finding the YAML nodes a finding's path names, and the text around them.

The file is parsed again with the reader's composer (node marks give each node's
place in the text); a finding's ``path`` (``phone_numbers[1].inbound_agents[0].weight``,
as written in the file) is followed from its document's root through explicit keys
only. A path that reaches a value through a merge key (``<<``), an anchored node
(``&name``, which aliases elsewhere share) or an explicit tag is not edited: an edit
there would change more than the finding's own value, or would not reach it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from retell_lint.fix.edits import Edit, Lines, Skipped
from retell_lint.yamlread import parse, tag_of

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

MERGE = "tag:yaml.org,2002:merge"
PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
# A plain scalar that reads back as the same string in YAML 1.2 and 1.1.
SAFE_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*\Z")
# YAML 1.1 booleans and null.
YAML_WORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null"))
SEQ_UNDER_KEY = re.compile(r"^( *)[^\s#-][^\r\n]*:[ \t]*(?:#[^\r\n]*)?\r?\n( *)- ", re.MULTILINE)
MAP_UNDER_KEY = re.compile(
    r"^( *)[^\s#-][^\r\n:]*:[ \t]*(?:#[^\r\n]*)?\r?\n( *)[^\s#-][^\r\n]*:", re.MULTILINE
)
COMMENT_IN_GAP = re.compile(r"(?:^|\s)#")


class Pairs:
    """The entries of a collection as (first node, last node): key and value in a
    mapping, the item twice in a list (a view: nothing is copied)."""

    __slots__ = ("mapping", "nodes")

    def __init__(self, nodes: list[Any], mapping: bool) -> None:
        self.nodes = nodes
        self.mapping = mapping

    def __len__(self) -> int:
        return len(self.nodes)

    def __getitem__(self, index: int) -> tuple[Node, Node]:
        node = self.nodes[index]
        return (node[0], node[1]) if self.mapping else (node, node)


class Step(NamedTuple):
    """One step of a path: the container, the key (None in a list), the child."""

    container: Node
    position: int
    key: Node | None
    node: Node


def split_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for match in PATH_PART.finditer(path):
        parts.append(int(match.group(1)) if match.group(1) is not None else match.group(2))
    return parts


def is_mapping(node: Node) -> bool:
    return tag_of(node) == "tag:yaml.org,2002:map" and isinstance(node.value, list)


def is_sequence(node: Node) -> bool:
    return tag_of(node) == "tag:yaml.org,2002:seq" and isinstance(node.value, list)


def is_flow(node: Node) -> bool:
    return bool(getattr(node, "flow_style", False))


class Tree:
    """A file's text, its lines and its parsed documents."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = Lines(text)
        parsed = parse(text)
        self.documents: list[Node | None] = parsed.documents
        self.broken = parsed.problem is not None
        self._newline: str | None = None

    @property
    def newline(self) -> str:
        if self._newline is None:
            self._newline = self.lines.newline
        return self._newline

    # -- positions ----------------------------------------------------------------
    def start(self, node: Node) -> int:
        mark = node.start_mark
        return self.lines.offset(mark.line + 1, mark.column + 1)

    def end(self, node: Node) -> int:
        mark = node.end_mark
        return self.lines.offset(mark.line + 1, mark.column + 1)

    def raw(self, node: Node) -> str:
        return self.text[self.start(node) : self.end(node)]

    def decorated(self, node: Node) -> bool:
        """Whether a node carries an anchor or a tag (its text starts with & or !)."""
        return self.text[self.start(node) : self.start(node) + 1] in ("&", "!", "*")

    # -- following a path -----------------------------------------------------------
    def follow(self, document: int, path: str) -> list[Step] | Skipped:
        """The steps from a document's root to the node at ``path``."""
        if not 0 <= document < len(self.documents):
            return Skipped("the document was not found")
        node = self.documents[document]
        if node is None:
            return Skipped("the document is empty")
        steps: list[Step] = []
        for part in split_path(path):
            if self.decorated(node):
                return Skipped("it is inside a node with a YAML anchor or tag, shared or typed")
            if isinstance(part, int):
                if not is_sequence(node) or part >= len(node.value):
                    return Skipped("the list entry was not found")
                child = node.value[part]
                steps.append(Step(node, part, None, child))
                node = child
                continue
            if not is_mapping(node):
                return Skipped(f"'{part}' is not in a mapping")
            found = None
            merged = False
            for index, (key, value) in enumerate(node.value):
                if tag_of(key) == MERGE:
                    merged = True
                    continue
                if not isinstance(key.value, list) and str(key.value) == part:
                    found = Step(node, index, key, value)
                    break
            if found is None:
                if merged:
                    return Skipped(f"'{part}' comes from a merge key (<<)")
                return Skipped(f"'{part}' was not found")
            steps.append(found)
            node = found.node
        if steps and self.decorated(steps[-1].node):
            return Skipped("the value has a YAML anchor or tag (other places may share it)")
        return steps

    # -- text around nodes ----------------------------------------------------------
    def last_content_line(self, first: Node, last: Node) -> int:
        """The 0-based index of the last line from ``first`` to ``last``'s end that holds
        more than blank space or a comment (a block collection's end mark is often at
        the start of the next key's line, after trailing comments)."""
        lines = self.lines
        top = lines.line_of(self.start(first))
        end = max(self.end(first), self.end(last))
        line = lines.line_of(end)
        if end == lines.starts[line] and line > top:
            line -= 1
        while line > top:
            start = lines.starts[line]
            content = self.text[start : lines.content_end(start)].strip()
            if content and not content.startswith("#"):
                break
            line -= 1
        return line

    def whole_lines(self, first: Node, last: Node, lead: str) -> Edit | Skipped:
        """Delete the lines from ``first`` (alone on its line after ``lead``) to ``last``."""
        lines = self.lines
        begin = self.start(first)
        line_start = lines.line_start(begin)
        if not re.fullmatch(lead, self.text[line_start:begin]):
            return Skipped("it shares its line with other content")
        last_line = self.last_content_line(first, last)
        end = lines.starts[last_line + 1] if last_line + 1 < len(lines.starts) else len(self.text)
        return Edit(line_start, end, "")

    def flow_remove(self, items: Pairs, index: int) -> Edit | Skipped:
        """Delete item ``index`` of a flow collection with the comma beside it."""
        if len(items) < 2:
            return Skipped("it is the only entry")
        first = items[index][0]
        if index > 0:
            begin = self._item_end(items[index - 1])
            end = self._item_end(items[index])
            gap = self.text[begin : self.start(first)]
        else:
            begin = self.start(first)
            end = self.start(items[1][0])
            gap = self.text[self._item_end(items[0]) : end]
        if COMMENT_IN_GAP.search(gap):
            return Skipped("a comment sits between the entries of the flow collection")
        return Edit(begin, end, "")

    def _item_end(self, item: tuple[Node, Node]) -> int:
        return max(self.end(item[0]), self.end(item[1]))

    def remove_entry(self, mapping: Node, index: int) -> Edit | Skipped:
        """Delete the ``index``-th key and its value from a mapping."""
        pairs = Pairs(mapping.value, mapping=True)
        # Extension keys (x-...) and merge keys do not make a number: count the fields.
        fields = sum(
            1
            for key, _value in mapping.value
            if tag_of(key) != MERGE and not str(key.value).startswith("x-")
        )
        if len(pairs) < 2 or fields < 2:
            return Skipped("it is the only field of its mapping")
        name = mapping.value[index][0].value
        if sum(1 for key, _value in mapping.value if key.value == name) > 1:
            # The reader uses the first; removing it would bring the repeat into use.
            return Skipped("the key is written twice (RL002); remove the repeat first")
        if name in merged_names(mapping):
            return Skipped(f"a merge key (<<) also sets {name}, which would then be used")
        if is_flow(mapping):
            return self._removal(mapping, fields, self.flow_remove(pairs, index))
        key, value = pairs[index]
        return self._removal(mapping, fields, self.whole_lines(key, value, r"[ \t]*"))

    def _removal(self, collection: Node, size: int, edit: Edit | Skipped) -> Edit | Skipped:
        if isinstance(edit, Skipped):
            return edit
        return edit._replace(removes=f"{self.start(collection)}/{size}")

    def remove_item(self, sequence: Node, index: int) -> Edit | Skipped:
        """Delete the ``index``-th item of a list."""
        items = Pairs(sequence.value, mapping=False)
        if len(items) < 2:
            return Skipped("it is the only entry of its list")
        if is_flow(sequence):
            return self._removal(sequence, len(items), self.flow_remove(items, index))
        item = sequence.value[index]
        return self._removal(sequence, len(items), self.whole_lines(item, item, r"[ \t]*-[ \t]+"))

    def replace_scalar(self, node: Node, value: str) -> Edit | Skipped:
        """Write ``value`` in place of a one-line scalar, in the scalar's quoting style
        (a plain scalar is quoted when YAML would not read the value back as a string)."""
        raw = self.raw(node)
        if isinstance(node.value, list):
            return Skipped("the value is not a single value")
        if "\n" in raw or "\r" in raw:
            return Skipped("the value is written over several lines")
        if raw[:1] in ("&", "!", "*"):
            return Skipped("the value has a YAML anchor or tag")
        return Edit(self.start(node), self.end(node), scalar_text(value, raw[:1]))

    def after_value(self, node: Node) -> str:
        """What follows a one-line value on its line (a trailing comment, with its gap)."""
        end = self.end(node)
        return self.text[end : self.lines.content_end(end)]

    # -- the file's style -------------------------------------------------------------
    def sequence_indent(self) -> int:
        """How far a block list's dash is indented under its key (0: indentless)."""
        match = SEQ_UNDER_KEY.search(self.text)
        if match is not None:
            return max(0, len(match.group(2)) - len(match.group(1)))
        return 2

    def mapping_indent(self) -> int:
        """How far a nested block mapping's keys are indented under their key."""
        match = MAP_UNDER_KEY.search(self.text)
        if match is not None and len(match.group(2)) > len(match.group(1)):
            return len(match.group(2)) - len(match.group(1))
        return 2


def merged_names(mapping: Node) -> set[str]:
    """The keys a mapping's merge keys (<<) bring in, through nested merges too."""
    names: set[str] = set()
    seen: set[int] = set()
    todo = [value for key, value in mapping.value if tag_of(key) == MERGE]
    while todo:
        node = todo.pop()
        if id(node) in seen or len(seen) > 10_000:
            continue
        seen.add(id(node))
        if is_sequence(node):
            todo.extend(node.value)
        elif is_mapping(node):
            for key, value in node.value:
                if tag_of(key) == MERGE:
                    todo.append(value)
                elif not isinstance(key.value, list):
                    names.add(str(key.value))
    return names


def scalar_text(value: str, style: str) -> str:
    """``value`` written as a scalar: in ``style``'s quotes, or plain when that is safe."""
    if style in ("'", '"'):
        escaped = value.replace("'", "''") if style == "'" else json_escape(value)
        return f"{style}{escaped}{style}"
    if SAFE_PLAIN.match(value) and value.lower() not in YAML_WORDS:
        return value
    return f'"{json_escape(value)}"'


def json_escape(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)[1:-1]


def plain_value(node: Node) -> Any:
    """The scalar's text, or None for a collection."""
    return None if isinstance(node.value, list) else str(node.value)
