"""retell_lint's modules import each other without cycles: the layers stay layers.

The graph is read from the source with ``ast``. The strict check uses module-level
imports only (what Python runs when a module is imported). A second check also
counts imports inside functions: a deferred import keeps start-up cheap but still
ties two modules together, so a cycle through one is allowed only where it is by
design (the check run delegating to its workers).
``if TYPE_CHECKING:`` blocks never run and count in neither check.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "retell_lint"

# Cycles through deferred imports that are by design: ``engine.lint`` hands a run to
# ``lintrun``, which uses the engine's steps; its ``outcomes`` lint cold files with the
# engine, or hand them to ``pool``'s workers, which lint with the engine.
DEFERRED_CYCLE_GROUPS = (
    frozenset(
        {"retell_lint.engine", "retell_lint.lintrun", "retell_lint.outcomes", "retell_lint.pool"}
    ),
)


def module_names(package: Path) -> dict[str, Path]:
    names: dict[str, Path] = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(statements: Iterable[ast.stmt], deferred: bool) -> Iterable[ast.stmt]:
    """The import statements run when the module is imported (or, with ``deferred``,
    also those inside functions and classes)."""
    for statement in statements:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield statement
        elif isinstance(statement, ast.If):
            # Never run: type-only imports are left out of both graphs.
            if not _type_checking(statement.test):
                yield from _imported(statement.body, deferred)
            yield from _imported(statement.orelse, deferred)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody):
                yield from _imported(block, deferred)
            for handler in statement.handlers:
                yield from _imported(handler.body, deferred)
        elif isinstance(statement, (ast.With, ast.For, ast.While)):
            yield from _imported(statement.body, deferred)
            if not isinstance(statement, ast.With):
                yield from _imported(statement.orelse, deferred)
        elif isinstance(statement, ast.ClassDef) or (
            deferred and isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        ):
            yield from _imported(statement.body, deferred)


def import_graph(package: Path, deferred: bool = False) -> dict[str, set[str]]:
    """Each module of ``package`` → the modules of it that importing it imports.

    Importing ``a.b.c`` also runs ``a`` and ``a.b``; those of the importer's own
    packages are already running and are left out.
    """
    modules = module_names(package)
    top = package.name
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for statement in _imported(tree.body, deferred):
            if isinstance(statement, ast.Import):
                targets.update(alias.name for alias in statement.names)
                continue
            if statement.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (statement.level - 1)]
                source = ".".join([*base, *([statement.module] if statement.module else [])])
            else:
                source = statement.module or ""
            targets.add(source)
            # ``from a import b`` imports the submodule a.b when there is one.
            targets.update(
                f"{source}.{alias.name}"
                for alias in statement.names
                if f"{source}.{alias.name}" in modules
            )
        edges: set[str] = set()
        for target in targets:
            if target != top and not target.startswith(top + "."):
                continue
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                prefix = ".".join(parts[:end])
                if prefix in modules and prefix != name and not name.startswith(prefix + "."):
                    edges.add(prefix)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (first module repeated at the end) per strongly connected group of
    more than one module."""
    return [_one_cycle(graph, group) for group in strong_groups(graph)]


def strong_groups(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(start: str) -> None:
        # Iterative: a deep graph must not hit the recursion limit.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _one_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest cycle through the group's first module, to print."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & group):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(f"no cycle in {sorted(group)}")  # pragma: no cover


def _allowed(group: set[str]) -> bool:
    # The whole group, not one cycle through it: a module joining a known cycle
    # must be named here too.
    return any(group <= allowed for allowed in DEFERRED_CYCLE_GROUPS)


def test_no_module_level_import_cycle() -> None:
    found = cycles(import_graph(PACKAGE))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_deferred_imports_close_no_cycle_but_the_known_ones() -> None:
    graph = import_graph(PACKAGE, deferred=True)
    found = [_one_cycle(graph, group) for group in strong_groups(graph) if not _allowed(group)]
    assert not found, "import cycles through deferred imports:\n" + "\n".join(
        " -> ".join(c) for c in found
    )


@pytest.mark.parametrize(
    ("low", "high"),
    [
        # The pairs that once imported each other: the lower one stays below.
        ("retell_lint.errors", "retell_lint.output"),
        ("retell_lint.configfile", "retell_lint.config"),
        ("retell_lint.configfile", "retell_lint.policy.load"),
        ("retell_lint.policy.files", "retell_lint.discover"),
        ("retell_lint.safe_io.read", "retell_lint.output"),
        ("retell_lint.server.chunks", "retell_lint.server.facts"),
        ("retell_lint.server.protocol", "retell_lint.server.features"),
    ],
)
def test_lower_layer_never_imports_the_upper_one(low: str, high: str) -> None:
    graph = import_graph(PACKAGE, deferred=True)
    reached, queue = {low}, [low]
    while queue:
        for child in graph[queue.pop()] - reached:
            reached.add(child)
            queue.append(child)
    assert high not in reached


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_graph_finds_a_module_level_cycle_and_prints_it(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import thing\n",
            "pkg/b.py": "from . import c\n",
            "pkg/c.py": "import pkg.a\n",
            "pkg/d.py": "from pkg import a\n",  # imports into the cycle, not part of it
        },
    )
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]


def test_type_checking_and_function_imports_are_not_module_level(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from pkg.b import B\n",
            "pkg/b.py": "def f():\n    from pkg.a import A\n",
            "pkg/c.py": "import pkg.a\n",
        },
    )
    assert cycles(import_graph(package)) == []
    assert cycles(import_graph(package, deferred=True)) == []
    # Once a's import runs, b's function-level import closes a cycle through deferred
    # imports only.
    (package / "a.py").write_text("import pkg.b\n", encoding="utf-8")
    assert cycles(import_graph(package)) == []
    assert cycles(import_graph(package, deferred=True)) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_a_package_init_importing_its_submodule_is_not_a_cycle(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.sub.leaf import x\n",
            "pkg/sub/__init__.py": "from .leaf import x\n",
            "pkg/sub/leaf.py": "from pkg.other import y\n",
            "pkg/other.py": "",
        },
    )
    assert cycles(import_graph(package)) == []
    # A submodule importing a sibling package whose __init__ imports it back is one.
    (package / "other.py").write_text("import pkg.sub\n", encoding="utf-8")
    assert cycles(import_graph(package)) == [["pkg.other", "pkg.sub", "pkg.sub.leaf", "pkg.other"]]
