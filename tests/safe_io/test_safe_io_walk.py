"""Every file the tool opens, writes, moves or removes goes through safe_io: this test
walks the code and fails on any other way (a new command reading a path with open()
would otherwise skip the FIFO, size, link and read-only rules)."""

from __future__ import annotations

import ast
from pathlib import Path

import retell_lint

PACKAGE = Path(retell_lint.__file__).parent

# Calls that open, write, move or remove a file or folder, as ``name`` (a plain call)
# or ``.attribute`` (a method or module function, whatever it is called on).
FORBIDDEN_CALLS = frozenset(
    {
        "open",
        ".open",
        ".fdopen",
        ".read_text",
        ".read_bytes",
        ".write_text",
        ".write_bytes",
        ".replace",
        ".rename",
        ".unlink",
        ".remove",
        ".rmdir",
        ".mkdir",
        ".makedirs",
        ".mkstemp",
        ".mkdtemp",
        ".NamedTemporaryFile",
        ".TemporaryFile",
        ".link",
        ".symlink",
        ".symlink_to",
        ".truncate",
        ".chmod",
        ".copy",
        ".copyfile",
        ".move",
        ".rmtree",
    }
)
FORBIDDEN_IMPORTS = frozenset({"tempfile", "shutil", "io"})

# The only exceptions, each a (module, function) and why.
ALLOWED = {
    # The package's own rule catalogue files, read at start-up from the installed
    # package (not user input; a one-file lint cannot afford more than open()).
    ("catalogue.py", "_rule_files"): {"open"},
    ("catalogue.py", "load"): {"open"},
    # The JSON Schemas of the commands' outputs, shipped in the package.
    ("schemas/__init__.py", "load"): {".read_text"},
    # pycountry's own database, read from the installed package.
    ("checks/countries.py", "alpha2_codes"): {"open"},
    # The result cache: its own tagged folder, entries opened with O_NOFOLLOW and
    # written atomically; any failure is a cache miss, never a fatal error (safe_io's
    # writes raise FatalError), and two runs at once must both go on.
    ("cache_folder.py", "open_folder"): {".makedirs", ".mkdir", ".open"},
    ("cache_folder.py", "read_file"): {".open"},
    ("cache_folder.py", "write_file"): {".open", ".fdopen", ".replace", ".unlink"},
    ("cache_folder.py", "_unlink"): {".unlink"},
    ("cache_folder.py", "clear"): {".rmdir"},
}

# ``.replace`` is also str.replace: only a call on one of these modules is taken for a
# file operation (Path.replace on a variable cannot be told from str.replace here;
# Path's other writes are caught by their own names).
FILE_MODULES = frozenset({"os", "shutil", "tempfile"})


def _called(node: ast.Call) -> tuple[str, str | None]:
    """('open', None) for open(...); ('.replace', 'os') for os.replace(...)."""
    func = node.func
    if isinstance(func, ast.Name):
        return func.id, None
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        return f".{func.attr}", owner
    return "", None


def _is_file_call(name: str, owner: str | None) -> bool:
    if name not in FORBIDDEN_CALLS:
        return False
    if name in (".replace", ".remove", ".copy", ".move", ".link", ".truncate"):
        # str.replace, list.remove, dict.copy...: only module-level file functions count.
        return owner in FILE_MODULES
    return True


def offences(source: str, module: str) -> list[str]:
    tree = ast.parse(source)
    found: list[str] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            if isinstance(child, ast.Call):
                name, owner = _called(child)
                allowed = ALLOWED.get((module, function), set())
                if _is_file_call(name, owner) and name not in allowed:
                    shown = f"{owner}{name}" if owner else name
                    found.append(f"{module}:{child.lineno}: {shown}() in {function}")
            if isinstance(child, ast.Import | ast.ImportFrom):
                names = (
                    [alias.name for alias in child.names]
                    if isinstance(child, ast.Import)
                    else [child.module or ""]
                )
                for imported in names:
                    if imported.split(".")[0] in FORBIDDEN_IMPORTS:
                        found.append(f"{module}:{child.lineno}: import {imported}")
            visit(child, inner)

    visit(tree, "<module>")
    return found


def test_only_safe_io_touches_files() -> None:
    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module.startswith("safe_io/"):
            continue
        found += offences(path.read_text(encoding="utf-8"), module)
    assert found == []


def test_the_walk_catches_each_way_of_touching_a_file() -> None:
    # The checker itself: each of these is a way around safe_io.
    samples = {
        "open('x')": "open",
        "Path('x').read_text()": ".read_text",
        "p.write_bytes(b'')": ".write_bytes",
        "with p.open() as f: pass": ".open",
        "os.open('x', 0)": "os.open",
        "os.replace('a', 'b')": "os.replace",
        "os.unlink('a')": "os.unlink",
        "import tempfile": "import tempfile",
        "from shutil import move": "import shutil",
        "os.fdopen(3)": "os.fdopen",
    }
    for code, needle in samples.items():
        assert any(needle in line for line in offences(code, "x.py")), code
    # ... and what is not a file operation.
    for code in ("'a'.replace('a', 'b')", "items.remove(1)", "d.copy()", "re.compile('x')"):
        assert offences(code, "x.py") == [], code


def test_the_exceptions_are_still_needed() -> None:
    # An exception no longer used is removed, so that the list stays narrow.
    for (module, function), names in ALLOWED.items():
        source = (PACKAGE / module).read_text(encoding="utf-8")
        tree = ast.parse(source)
        bodies = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name == function
        ]
        assert bodies, (module, function)
        calls = {
            _called(node)[0]
            for body in bodies
            for node in ast.walk(body)
            if isinstance(node, ast.Call)
        }
        assert names <= calls, (module, function)
