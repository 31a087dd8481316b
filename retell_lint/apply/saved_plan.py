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
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retell_lint import __version__, envelope
from retell_lint.errors import FatalError
from retell_lint.jsontext import parse_json

from .actions import Action, ActionPlan, Blocked, FieldChange

if TYPE_CHECKING:
    from retell_lint.config import Config

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
    environment: str | None = None,
    account: str | None = None,
) -> dict[str, Any]:
    """The plan as JSON data (what ``plan -o`` saves and ``--format json`` prints)."""
    numbers = sorted({a.phone_number for a in plan.actions})
    counts = plan.counts()
    document: dict[str, Any] = {
        "format": PLAN_FORMAT,
        "version": PLAN_VERSION,
        "tool": envelope.tool("plan"),
        "environment": {"base_url": base_url},
        "errors": [],
        "created_at": created_at,
        "base_url": base_url,
        # A fingerprint of the account (never the key itself), and below the
        # environment's name: apply refuses the plan with another environment's key or URL.
        "account": account,
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
    if environment is not None:
        document["environment"]["name"] = environment
    return document


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
    environment: str | None = None
    account: str | None = None


def _fail(path: str, message: str) -> FatalError:
    return FatalError(f"not a usable plan file: {message}", location=path)


def _key(item: Mapping[str, Any]) -> str:
    follow = item.get("follow_up")
    body = follow.get("body") if isinstance(follow, dict) else {}
    return json.dumps(
        [item.get("action"), item.get("phone_number"), item.get("body"), body or {}],
        sort_keys=True,
    )


def _refuse(saved: SavedPlan, why: str) -> FatalError:
    return FatalError(
        f"refusing the plan {saved.path}: {why}; make the plan in this project (nothing was "
        "written)"
    )


def project_paths(saved: SavedPlan, config: Config) -> tuple[str, ...]:
    """The plan's paths, once the project says they are its own.

    A plan names what it was made from, but it does not choose what it is checked
    against: its configuration file must be the one this project's run uses, and each
    of its paths must lie inside the project (a link leading out of it counts as
    outside). The declared files are then found and read by the project's discovery,
    and their hashes compared with the plan's.
    """
    from retell_lint.safe_io import under

    # A plan made without a configuration file, applied where there is one now, is
    # refused by the hashes (the configuration changed since it was made).
    ours = None if config.path is None else os.path.realpath(config.path)
    if saved.config_file is not None and os.path.realpath(saved.config_file) != ours:
        project = str(config.path) if config.path is not None else "none"
        raise _refuse(
            saved,
            f"it was made with {saved.config_file}, this project's configuration is {project}",
        )
    root = os.path.realpath(config.root)
    outside = [p for p in saved.paths if not under(os.path.realpath(p), root)]
    if outside:
        raise _refuse(saved, f"it names files outside the project {config.root}: {outside[0]}")
    return tuple(saved.paths)


def load_plan(path: str) -> SavedPlan:
    from retell_lint.safe_io import read_bytes

    # A regular file only: a FIFO named as the plan never blocks apply.
    if not os.path.lexists(path):
        raise FatalError(
            "cannot read the plan: no such file (save one with 'retell-lint plan -o FILE')",
            location=path,
        )
    raw = read_bytes(
        path,
        what="the plan",
        limit=MAX_PLAN_BYTES,
        too_large=f"not a usable plan file: larger than {MAX_PLAN_BYTES // (1024 * 1024)} MB",
    )
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
    # No file name holds a NUL character (the system refuses it outright).
    if not isinstance(paths, list) or not all(isinstance(p, str) and "\0" not in p for p in paths):
        raise _fail(path, "paths must be a list of file names")
    account = data.get("account")
    environment = data.get("environment")
    environment = environment.get("name") if isinstance(environment, dict) else None
    if environment is not None and not isinstance(environment, str):
        raise _fail(path, "environment.name must be a string")
    if account is not None and not isinstance(account, str):
        raise _fail(path, "account must be a fingerprint or null")
    if config_file is not None and (not isinstance(config_file, str) or "\0" in config_file):
        raise _fail(path, "config_file must be a file name or null")
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
        environment=environment,
        account=account,
    )
