"""The envelope every JSON report shares, and the JSON document of a run that failed.

Every command's JSON output (check, drift, plan, apply, snapshot) is one object::

    {"tool": {"name", "version", "command"}, "environment"?: {...}, "errors": [...], ...}

``errors`` lists what stopped the run (empty when it ran); the rest is the command's
own report. Each command's document is described by a JSON Schema shipped in
``retell_lint/schemas/`` (see docs/json-output.md).

When a command that was asked for JSON fails before it has a report (a bad config, a
failed API read), :func:`write_failure` prints a document with just the envelope and
the error, so whatever reads stdout always gets JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from retell_lint import __version__

COMMANDS = ("check", "drift", "plan", "apply", "snapshot", "rules", "explain", "export")
# The command whose stdout must be JSON even when it fails (set once its options parse).
_json_command: str | None = None


def tool(command: str) -> dict[str, str]:
    return {"name": "retell-lint", "version": __version__, "command": command}


def error(message: str, file: str | None = None) -> dict[str, str | None]:
    return {"file": file, "message": message}


def wrap(
    command: str,
    report: Mapping[str, Any],
    *,
    errors: Iterable[Mapping[str, Any]] = (),
    environment: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``report`` inside the envelope (its own ``tool`` and ``errors`` are replaced)."""
    document: dict[str, Any] = {"tool": tool(command)}
    if environment is not None:
        document["environment"] = dict(environment)
    document["errors"] = [dict(item) for item in errors]
    for key, value in report.items():
        if key not in ("tool", "errors", "environment"):
            document[key] = value
    return document


def dumps(document: Mapping[str, Any]) -> str:
    import json

    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def expect_json(command: str | None) -> None:
    """Say that stdout is this command's JSON document (None: it is not JSON)."""
    global _json_command
    _json_command = command


def json_command() -> str | None:
    """The command whose stdout is JSON in this run, if any."""
    return _json_command


def wanted_from_args(args: Sequence[str]) -> str | None:
    """The command of a command line that asks for JSON on stdout, read before parsing
    (for usage errors, which happen before any option is known)."""
    words = [arg for arg in args if not arg.startswith("-")]
    command = words[0] if words else None
    if command not in COMMANDS:
        return None
    if command == "snapshot":
        return None if _has_output(args) else command
    if command == "check" and ("--diff" in args or ("--fix" in args and "-" in args)):
        return None  # stdout is the diff or the fixed text
    for index, arg in enumerate(args):
        if arg == "--format=json" or (
            arg == "--format" and index + 1 < len(args) and args[index + 1] == "json"
        ):
            return None if command != "plan" and _has_output(args) else command
    return None


def _has_output(args: Sequence[str]) -> bool:
    return any(arg in ("-o", "--output") or arg.startswith(("--output=", "-o")) for arg in args)


def write_failure(message: str, location: str | None = None, *, command: str | None = None) -> bool:
    """Print the failure document of the JSON command in progress; False if there is none."""
    command = command or _json_command
    if command is None:
        return False
    from retell_lint.output import echo

    document = wrap(command, {}, errors=[error(message, location)])
    try:
        echo(dumps(document), nl=False)
    except OSError:
        return False
    return True
