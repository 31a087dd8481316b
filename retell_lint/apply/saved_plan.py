"""The saved plan (``plan -o PLAN.json``): versioned JSON, and what makes it stale.

It records the actions, and what they were planned against: for each number the
``last_modification_timestamp`` and a SHA-256 of the live object (secrets removed),
a SHA-256 of every declared file and of the configuration, the tool version and
the base URL. Never the API key and never a secret: a password is only
``{"from_env": "NAME"}``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from retell_lint import __version__, envelope
from retell_lint.errors import FatalError
from retell_lint.jsontext import parse_json

from .actions import Action, ActionPlan, Blocked, FieldChange

PLAN_FORMAT = "retell-lint-plan"
PLAN_VERSION = 1
MAX_PLAN_BYTES = 64 * 1024 * 1024


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def live_fingerprint(obj: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What a number looked like when planned; None when it did not exist."""
    if obj is None:
        return None
    from retell_lint.drift.snapshot import scrub

    return {
        "last_modification_timestamp": obj.get("last_modification_timestamp"),
        "sha256": sha256(canonical(scrub(dict(obj)))),
    }


def files_fingerprint(
    files: Iterable[tuple[str, str]], config: tuple[str, str] | None
) -> dict[str, Any]:
    """Hashes of the declared files (name, text) and of the configuration file."""
    listed = sorted({name: sha256(text) for name, text in files}.items())
    document: dict[str, Any] = {
        "files": [{"file": name, "sha256": digest} for name, digest in listed],
        "config": None if config is None else {"file": config[0], "sha256": sha256(config[1])},
    }
    document["sha256"] = sha256(canonical(document))
    return document


def _change_json(change: FieldChange) -> dict[str, Any]:
    return {
        "field": change.field,
        "parameter": change.parameter,
        "live": change.live,
        "declared": change.declared,
        "line": change.line,
    }


def action_json(action: Action) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": action.kind,
        "phone_number": action.phone_number,
        "file": action.file,
        "line": action.line,
        "method": action.method,
        "path": action.path,
        "body": action.body,
        "needs": action.gate,
        "changes": [_change_json(c) for c in action.changes],
    }
    if action.follow_up:
        data["follow_up"] = {
            "method": "PATCH",
            "path": f"/update-phone-number/{action.phone_number}",
            "body": action.follow_up,
        }
    return data


def blocked_json(item: Blocked) -> dict[str, Any]:
    return {
        "phone_number": item.phone_number,
        "field": item.field,
        "live": item.live,
        "declared": item.declared,
        "reason": item.reason,
        "file": item.file,
        "line": item.line,
    }


def plan_document(
    plan: ActionPlan,
    *,
    live: Mapping[str, Mapping[str, Any]],
    base_url: str,
    paths: Iterable[str],
    config_file: str | None,
    declared: Mapping[str, Any],
    created_at: str,
    isolated: bool = False,
) -> dict[str, Any]:
    """The plan as JSON data (what ``plan -o`` saves and ``--format json`` prints)."""
    numbers = sorted({a.phone_number for a in plan.actions})
    counts = plan.counts()
    return {
        "format": PLAN_FORMAT,
        "version": PLAN_VERSION,
        "tool": envelope.tool("plan"),
        "environment": {"base_url": base_url},
        "errors": [],
        "created_at": created_at,
        "base_url": base_url,
        "paths": list(paths),
        "partial": plan.drift.partial,
        "config_file": config_file,
        "declared": dict(declared),
        "options": {"rotate_secrets": plan.rotate_secrets, "isolated": isolated},
        "numbers": [{"phone_number": n, "live": live_fingerprint(live.get(n))} for n in numbers],
        "actions": [action_json(a) for a in plan.actions],
        "blocked": [blocked_json(b) for b in plan.blocked],
        "unmanaged": list(plan.unmanaged),
        "summary": {**counts, "managed": plan.managed},
    }


def dump_plan(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@dataclass
class SavedPlan:
    """A plan file, checked for shape (its content is checked against the account later)."""

    path: str
    base_url: str
    paths: list[str]
    config_file: str | None
    declared_sha256: str
    declared_files: list[dict[str, Any]]
    # Made with --isolated: applied without reading a configuration file either.
    isolated: bool
    rotate_secrets: bool
    numbers: dict[str, dict[str, Any] | None]
    action_keys: list[str]


def _fail(path: str, message: str) -> FatalError:
    return FatalError(f"not a usable plan file: {message}", location=path)


def _key(item: Mapping[str, Any]) -> str:
    follow = item.get("follow_up")
    body = follow.get("body") if isinstance(follow, dict) else {}
    return json.dumps(
        [item.get("action"), item.get("phone_number"), item.get("body"), body or {}],
        sort_keys=True,
    )


def load_plan(path: str) -> SavedPlan:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_PLAN_BYTES + 1)
    except OSError as exc:
        raise FatalError(
            f"cannot read the plan: {exc.strerror or exc} (save one with "
            "'retell-lint plan -o FILE')",
            location=path,
        ) from None
    if len(raw) > MAX_PLAN_BYTES:
        raise _fail(path, f"larger than {MAX_PLAN_BYTES // (1024 * 1024)} MB")
    try:
        data = parse_json(raw)
    except (ValueError, UnicodeDecodeError):
        raise _fail(path, "not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise _fail(path, "not a retell-lint plan (make one with 'retell-lint plan -o FILE')")
    if data.get("version") != PLAN_VERSION:
        raise _fail(path, f"plan version {data.get('version')!r}; this retell-lint reads 1")
    tool = data.get("tool")
    version = tool.get("version") if isinstance(tool, dict) else None
    if version != __version__:
        raise FatalError(
            f"the plan was made by retell-lint {version!r}, this is {__version__}; "
            "make a new plan with this version",
            location=path,
        )
    base_url, paths, config_file = data.get("base_url"), data.get("paths"), data.get("config_file")
    declared, options = data.get("declared"), data.get("options")
    numbers, actions = data.get("numbers"), data.get("actions")
    if not isinstance(base_url, str):
        raise _fail(path, "base_url is missing")
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise _fail(path, "paths must be a list of strings")
    if config_file is not None and not isinstance(config_file, str):
        raise _fail(path, "config_file must be a string or null")
    if not isinstance(declared, dict) or not isinstance(declared.get("sha256"), str):
        raise _fail(path, "declared.sha256 is missing")
    files = declared.get("files")
    if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
        raise _fail(path, "declared.files must be a list")
    if not isinstance(options, dict) or not isinstance(options.get("rotate_secrets"), bool):
        raise _fail(path, "options.rotate_secrets is missing")
    if not isinstance(numbers, list) or not isinstance(actions, list):
        raise _fail(path, "numbers and actions must be lists")
    seen: dict[str, dict[str, Any] | None] = {}
    for item in numbers:
        number = item.get("phone_number") if isinstance(item, dict) else None
        fingerprint = item.get("live") if isinstance(item, dict) else None
        if not isinstance(number, str) or not (
            fingerprint is None or isinstance(fingerprint, dict)
        ):
            raise _fail(path, "each numbers entry needs phone_number and live")
        seen[number] = fingerprint
    keys: list[str] = []
    for item in actions:
        if not isinstance(item, dict) or item.get("action") not in (
            "update",
            "create",
            "import",
            "delete",
        ):
            raise _fail(path, "each action needs an action: update, create, import or delete")
        if item.get("phone_number") not in seen or not isinstance(item.get("body"), dict):
            raise _fail(path, "each action needs a planned phone_number and a body")
        keys.append(_key(item))
    return SavedPlan(
        path=path,
        base_url=base_url,
        paths=list(paths),
        config_file=config_file,
        declared_sha256=declared["sha256"],
        declared_files=files,
        rotate_secrets=options["rotate_secrets"],
        isolated=options.get("isolated") is True,
        numbers=seen,
        action_keys=keys,
    )
