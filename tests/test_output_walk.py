"""A walk over the code (``ast``) that keeps the four safety modules the only way to
do their jobs: a user regex is compiled only by retell_lint/regex.py (RE2), user data
in a report line goes through an escaper of retell_lint/redact.py, diff headers name
files through ``redact.diff_name``, and no renderer grows its own escaping.

Each rule lists its justified exceptions; a new one must be added here, with why.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "retell_lint"
RE_FUNCTIONS = {
    "compile",
    "match",
    "search",
    "fullmatch",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
}

# (file, enclosing function or "<module>") → why a non-literal pattern is fine there.
REGEX_EXCEPTIONS = {
    ("checks/agents.py", "<module>"): "AGENT_VERSION_PATTERN is the tool's own constant",
    ("apply/contract.py", "<module>"): "AGENT_VERSION_PATTERN is the tool's own constant",
    ("fix/locate.py", "whole_lines"): "lead is one of the fixers' constant patterns",
    ("redact.py", "_spaced"): "built only from re.escape of each character",
    ("redact.py", "_get"): "_Lazy compiles the module's own literal patterns on first use",
    ("server/chunks.py", "split"): "built from an integer indent the code measured",
}

# Report renderers that build text lines; JSON, SARIF and JUnit are structural
# (json.dumps / ElementTree escape everything) and are walked by other rules only.
LINE_RENDERERS = (
    "render/text.py",
    "render/concise.py",
    "render/github.py",
    "drift/render.py",
    "apply/render.py",
    "ci/annotations.py",
    "ci/summary.py",
)
# Attributes that hold text from files, names or the API.
USER_DATA = {"file", "message", "phone_number", "reason", "origin", "detail", "agent_id", "note"}
# Functions that escape (and redact) for a report line; each is redact's or wraps it.
ESCAPERS = {
    "safe_text",
    "shown",
    "_safe",
    "safe",
    "escape_data",
    "escape_property",
    "workflow_data",
    "workflow_property",
    "display_name",
    "diff_name",
    "_cell",
    "_code",
    "_value",
    "show",
    # Structural: a JSON report's error entry (json.dumps escapes it).
    "error",
}
# Escaping that is about a medium's structure, not about what a terminal or log shows.
OWN_ESCAPING_EXCEPTIONS = {"render/junit.py": "XML 1.0 forbids these characters outright"}


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(PACKAGE)), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _functions(tree: ast.AST) -> dict[ast.AST, str]:
    """Each node → the name of the function it is in ("<module>" outside any)."""
    owner: dict[ast.AST, str] = {}

    def visit(node: ast.AST, name: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = (
                child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else name
            )
            owner[child] = inner
            visit(child, inner)

    visit(tree, "<module>")
    return owner


def _literal(node: ast.AST) -> bool:
    """A pattern the code wrote itself: a string literal, or an f-string whose only
    interpolations are ``re.escape(...)``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(
            isinstance(part, ast.Constant)
            or (
                isinstance(part, ast.FormattedValue)
                and isinstance(part.value, ast.Call)
                and ast.unparse(part.value.func) == "re.escape"
            )
            for part in node.values
        )
    return False


def regex_violations() -> list[str]:
    found = []
    for name, tree in _modules():
        owner = _functions(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = (
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                )
                if "re2" in modules and name != "regex.py":
                    found.append(f"{name}:{node.lineno}: imports re2 outside regex.py")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_Lazy"
                and not (node.args and _literal(node.args[0]))
            ):
                found.append(f"{name}:{node.lineno}: _Lazy on a pattern the code did not write")
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            func = node.func
            if not (isinstance(func.value, ast.Name) and func.value.id == "re"):
                continue
            if func.attr not in RE_FUNCTIONS or not node.args or _literal(node.args[0]):
                continue
            if (name, owner.get(node, "<module>")) in REGEX_EXCEPTIONS:
                continue
            found.append(
                f"{name}:{node.lineno}: re.{func.attr} on a pattern the code did not write"
            )
    return found


def _escaped(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` is an escaper's call or lies inside the arguments of one."""
    if isinstance(node, ast.FormattedValue):
        node = node.value
        if _is_escaper(node):
            return True
    while node in parents:
        node = parents[node]
        if _is_escaper(node):
            return True
    return False


def _is_escaper(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return called in ESCAPERS


def renderer_violations() -> list[str]:
    found = []
    for name, tree in _modules():
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if name in LINE_RENDERERS and isinstance(node, ast.FormattedValue):
                reads = {n.attr for n in ast.walk(node.value) if isinstance(n, ast.Attribute)}
                if reads & USER_DATA and not _escaped(node, parents):
                    found.append(
                        f"{name}:{node.lineno}: {ast.unparse(node.value)} in a report line "
                        "without an escaper"
                    )
            if (name.startswith("render/") or name in LINE_RENDERERS) and isinstance(
                node, ast.Call
            ):
                called = ast.unparse(node.func)
                if called in ("print", "click.echo", "sys.stdout.write"):
                    found.append(
                        f"{name}:{node.lineno}: a renderer writes instead of returning text"
                    )
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "\x00-\x1f" in node.value
                and name not in ("redact.py", *OWN_ESCAPING_EXCEPTIONS)
            ):
                found.append(f"{name}:{node.lineno}: its own control-character escaping")
            header = isinstance(node, ast.keyword) and node.arg in ("fromfile", "tofile")
            if header and "diff_name(" not in ast.unparse(node.value):  # type: ignore[attr-defined]
                found.append(f"{name}:{node.lineno}: a diff header without redact.diff_name")
    return found


def test_user_regexes_compile_only_in_the_bounded_module():
    assert regex_violations() == []


def test_report_lines_escape_user_data_through_redact():
    assert renderer_violations() == []


def test_the_walk_finds_what_it_forbids(tmp_path, monkeypatch):
    # The rules are not vacuous: code breaking each is reported.
    bad = tmp_path / "retell_lint"
    (bad / "render").mkdir(parents=True)
    (bad / "policy.py").write_text(
        "import re\nimport re2\ndef f(p):\n    return re.compile(p)\n"
        "def g(p):\n    return _Lazy(p)\n"
    )
    (bad / "render" / "text.py").write_text(
        "import difflib\n"
        "def r(finding):\n"
        "    print(finding.file)\n"
        "    difflib.unified_diff([], [], fromfile=finding.file)\n"
        "    return f'{finding.message}'\n"
        "X = '[\\x00-\\x1f]'\n"
    )
    monkeypatch.setattr(__import__(__name__), "PACKAGE", bad)
    assert len(regex_violations()) == 3
    assert len(renderer_violations()) == 4
