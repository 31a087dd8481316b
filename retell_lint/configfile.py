"""Reading a configuration file into plain data, with the line of every key.

``.retell-lint.yaml``, ``[tool.retell-lint]`` in pyproject.toml and policy files are
read here: bounded in size, alias expansion and depth, every error one line naming
the file and line. What the data means is checked by ``config`` and ``policy.load``,
both above this module.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from retell_lint.errors import FatalError

# Alias expansion budget of a config file (as for config files being linted), and
# the deepest nesting a configuration can need.
NODES_PER_CHAR = 4
NODE_FLOOR = 10_000
MAX_CONFIG_DEPTH = 20
# pyproject.toml files hold other tools' settings too; none is near this.
MAX_CONFIG_BYTES = 8 * 1024 * 1024


class Located:
    """Finds the line of a key in a config file, for error messages."""

    def __init__(self, path: Path, text: str, lines: dict[str, int] | None = None) -> None:
        self.path = path
        self.text = text
        self.lines = lines or {}

    def where(self, key: str) -> str:
        line = self.lines.get(key)
        if line is None:
            leaf = key.rsplit(".", 1)[-1].split("[", 1)[0]
            match = re.search(rf"^\s*[\"']?{re.escape(leaf)}[\"']?\s*[:=]", self.text, re.M)
            line = self.text.count("\n", 0, match.start()) + 1 if match else 1
        return f"{self.path}:{line}"

    def fail(self, key: str, message: str) -> FatalError:
        return FatalError(f"invalid configuration: {message}", location=self.where(key))


def read_config(path: Path) -> str:
    """A configuration file's text: a regular file of at most MAX_CONFIG_BYTES, UTF-8."""
    from retell_lint.safe_io import read_bytes

    data = read_bytes(str(path), what="the configuration", limit=MAX_CONFIG_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FatalError(
            f"cannot read configuration: not UTF-8 text ({exc.reason} at byte {exc.start})",
            location=str(path),
        ) from None


def read_pyproject(path: Path, text: str) -> tuple[Any, Located]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FatalError(f"invalid TOML: {exc}", location=str(path)) from None
    except RecursionError:
        # tomllib recurses once per nested array or inline table.
        raise FatalError(
            "invalid TOML: arrays or tables nested too deep", location=str(path)
        ) from None
    tool = document.get("tool", {})
    data = tool.get("retell-lint", {}) if isinstance(tool, dict) else {}
    located = Located(path, text)
    if isinstance(data, list):
        match = re.search(r"^\[\[\s*tool\.retell-lint", text, re.M)
        line = text.count("\n", 0, match.start()) + 1 if match else 1
        raise FatalError(
            "invalid configuration: [[tool.retell-lint]] is an array of tables; "
            "write [tool.retell-lint] (one table)",
            location=f"{path}:{line}",
        )
    return data, located


def read_yaml(path: Path, text: str) -> tuple[Any, Located]:
    from retell_lint.yamlread import parse

    parsed = parse(text)
    if parsed.problem is not None:
        problem = parsed.problem
        raise FatalError(
            f"invalid YAML: {problem.message}", location=f"{path}:{problem.line}:{problem.column}"
        )
    if len(parsed.documents) > 1:
        raise FatalError("the configuration must be a single YAML document", location=str(path))
    lines: dict[str, int] = {}
    root = parsed.documents[0] if parsed.documents else None
    budget = [NODE_FLOOR + NODES_PER_CHAR * len(text)]
    data = _to_python(root, "", lines, path, budget, text) if root is not None else {}
    return data, Located(path, text, lines)


def _to_python(
    node: Any,
    path: str,
    lines: dict[str, int],
    file: Path,
    budget: list[int],
    source: str,
    depth: int = 0,
) -> Any:
    """Plain Python data from a config node, remembering the line of every key.

    ``budget`` (nodes left to visit) bounds alias expansion, and ``depth`` a
    self-referencing alias: a config is small and shallow.
    """
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_CONFIG_DEPTH:
        why = "expands to too many values through aliases" if budget[0] < 0 else "nests too deep"
        raise FatalError(
            f"invalid configuration: the file {why}",
            location=f"{file}:{node.start_mark.line + 1}",
        )
    # The node's kind, not its tag, says what it holds (!!seq "x" is a scalar).
    tag = node.id[:3]
    if node.id == "scalar":
        tag = node.tag.rsplit(":", 1)[-1]
        tag = "str" if tag in ("map", "seq") else tag
    if tag == "map":
        result: dict[str, Any] = {}
        for key, value in node.value:
            if isinstance(key.value, list):
                shown = source[key.start_mark.index : key.end_mark.index]
                shown = " ".join(shown.split())
                shown = shown if len(shown) <= 40 else shown[:37] + "..."
                where = f"in '{path}' " if path else ""
                raise FatalError(
                    f"invalid configuration: keys {where}must be plain names, not {shown}",
                    location=f"{file}:{key.start_mark.line + 1}",
                )
            name = str(key.value)
            child = f"{path}.{name}" if path else name
            lines.setdefault(child, key.start_mark.line + 1)
            result[name] = _to_python(value, child, lines, file, budget, source, depth + 1)
        return result
    if tag == "seq":
        items = []
        for index, item in enumerate(node.value):
            child = f"{path}[{index}]"
            lines.setdefault(child, item.start_mark.line + 1)
            items.append(_to_python(item, child, lines, file, budget, source, depth + 1))
        return items
    text = node.value
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() == "true"
    if tag == "int":
        try:
            return (
                int(text.replace("_", ""), 0)
                if text.lower().startswith(("0x", "0o"))
                else int(text.replace("_", ""))
            )
        except ValueError:  # more digits than Python converts: no setting is such a number
            return text
    if tag == "float":
        lowered = text.lower().replace("_", "")
        if lowered.lstrip("+-") == ".inf":
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered == ".nan":
            return float("nan")
        try:
            return float(lowered)
        except ValueError:  # an explicit !!float on something else
            return text
    return text
