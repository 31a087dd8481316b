"""The rule catalogue: one YAML entry per rule, shipped as ``retell_lint.rules``.

Each entry binds a rule id to a check implemented in :mod:`retell_lint.checks`
(by the entry's ``check`` name, with optional ``params``), the way kube-linter
binds its built-in checks to templates. The catalogue drives ``rules`` and
``explain``, the docs, config validation, SARIF rule descriptors and tests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

from retell_lint.errors import FatalError
from retell_lint.findings import SEVERITIES, Severity

RULE_ID = re.compile(r"^RL\d{3}$")
# Any rule id, team policies' included (ACME001).
ANY_ID = re.compile(r"^[A-Z][A-Z0-9]*\d{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
REQUIRED = ("id", "name", "severity", "check", "summary", "rationale", "fix", "examples")
ALLOWED = frozenset(
    (
        *REQUIRED,
        "enabled",
        "params",
        "suppressible",
        "online",
        "fix_applicability",
        "fix_description",
        "secret_value",
    )
)
APPLICABILITIES = ("safe", "unsafe")


class Rule(NamedTuple):
    id: str
    name: str
    severity: Severity
    enabled: bool
    check: str
    summary: str
    rationale: str
    fix: str
    bad: str
    good: str
    params: dict[str, Any]
    suppressible: bool = True
    # Needs the live account (``check --online``).
    online: bool = False
    source: str = ""
    # Team policies (retell_lint.policy): their own documentation link, or none.
    url: str | None = None
    policy: bool = False
    # Which automatic fixes ``check --fix`` has for it (safe; unsafe with
    # --unsafe-fixes), and what they do; () when it has none.
    fix_applicability: tuple[str, ...] = ()
    fix_description: str = ""
    # The finding's span holds a secret: reports show it masked.
    secret_value: bool = False


def parse_entry(data: Any, source: str) -> Rule:
    """Validate one catalogue entry (a mapping) and make a :class:`Rule` of it."""
    if not isinstance(data, dict):
        raise FatalError("a rule entry must be a mapping", location=source)
    unknown = sorted(set(data) - ALLOWED)
    if unknown:
        raise FatalError(f"unknown key(s) in rule entry: {', '.join(unknown)}", location=source)
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise FatalError(f"rule entry lacks: {', '.join(missing)}", location=source)
    rule_id, name, severity = data["id"], data["name"], data["severity"]
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise FatalError(f"rule id {rule_id!r} is not of the form RL123", location=source)
    if not isinstance(name, str) or not RULE_NAME.match(name):
        raise FatalError(f"rule name {name!r} must be lower-case-with-dashes", location=source)
    if severity not in SEVERITIES:
        raise FatalError(f"severity {severity!r} is not one of {SEVERITIES}", location=source)
    examples = data["examples"]
    if not isinstance(examples, dict) or not {"bad", "good"} <= set(examples):
        raise FatalError("examples must have 'bad' and 'good'", location=source)
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise FatalError("params must be a mapping", location=source)
    applicability = _applicability(data.get("fix_applicability"), source)
    if applicability and not str(data.get("fix_description") or "").strip():
        raise FatalError("fix_applicability needs a fix_description", location=source)
    return Rule(
        id=rule_id,
        name=name,
        severity=severity,
        enabled=bool(data.get("enabled", True)),
        check=str(data["check"]),
        summary=str(data["summary"]).strip(),
        rationale=str(data["rationale"]).strip(),
        fix=str(data["fix"]).strip(),
        bad=str(examples["bad"]),
        good=str(examples["good"]),
        params=dict(params),
        suppressible=bool(data.get("suppressible", True)),
        online=bool(data.get("online", False)),
        source=source,
        fix_applicability=applicability,
        fix_description=" ".join(str(data.get("fix_description") or "").split()),
        secret_value=bool(data.get("secret_value", False)),
    )


def _applicability(value: Any, source: str) -> tuple[str, ...]:
    """``fix_applicability``: a list of safe and unsafe (absent: the rule cannot fix)."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if (
        not isinstance(items, list)
        or not items
        or any(item not in APPLICABILITIES for item in items)
        or len(set(items)) != len(items)
    ):
        raise FatalError(
            f"fix_applicability must list {' and/or '.join(APPLICABILITIES)}", location=source
        )
    return tuple(item for item in APPLICABILITIES if item in items)


def fixable_rules() -> frozenset[str]:
    """Ids of the rules that have an automatic fix."""
    return frozenset(rule.id for rule in load().values() if rule.fix_applicability)


INDEX_NAME = "_index.json"


def _rules_folder() -> str:
    """Where the catalogue files are (``rules/`` mapped to ``retell_lint.rules``).

    Found through the package's ``__file__`` rather than importlib.resources,
    whose import costs more than a one-file lint; both installed and editable
    packages are plain folders.
    """
    from importlib.util import find_spec

    spec = find_spec("retell_lint.rules")
    if spec is None or not spec.submodule_search_locations:
        raise FatalError("the rule catalogue (retell_lint.rules) is not installed")
    return str(next(iter(spec.submodule_search_locations)))


def _rule_files() -> list[tuple[str, bytes]]:
    import os

    folder = _rules_folder()
    files = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".yaml"):
            with open(os.path.join(folder, name), "rb") as handle:
                files.append((name, handle.read()))
    return files


def _digest(sources: list[tuple[str, bytes]]) -> str:
    import zlib

    # Detects an index left stale by an edit; not a security measure.
    checksum = 1
    for name, data in sources:
        checksum = zlib.adler32(name.encode() + b"\0" + data + b"\0", checksum)
    return f"{len(sources)}-{checksum:08x}"


def parse_sources(sources: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    """Parse catalogue YAML files into plain entries (slow path; see build_index)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    entries = []
    for name, data in sources:
        entry = yaml.load(data.decode("utf-8"))
        parse_entry(entry, name)  # validate
        entries.append({"source": name, "entry": entry})
    return entries


def build_index() -> str:
    """The JSON index of the catalogue: every entry, keyed by the YAML files' digest.

    Loading 40 YAML files costs more than linting a file, so ``load`` reads this
    index when it is current and falls back to the YAML when it is not.
    """
    import json

    sources = _rule_files()
    data = {"digest": _digest(sources), "rules": parse_sources(sources)}
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@cache
def load() -> dict[str, Rule]:
    """Every rule of the built-in catalogue, by id, in id order."""
    import json
    import os

    sources = _rule_files()
    entries: list[dict[str, Any]] | None = None
    try:
        with open(os.path.join(_rules_folder(), INDEX_NAME), encoding="utf-8") as handle:
            index = json.load(handle)
        if index.get("digest") == _digest(sources):
            entries = index["rules"]
    except (OSError, ValueError, KeyError):
        entries = None
    if entries is None:
        entries = parse_sources(sources)
    rules: dict[str, Rule] = {}
    for item in entries:
        rule = parse_entry(item["entry"], item["source"])
        if rule.id in rules:
            raise FatalError(f"rule {rule.id} is defined twice", location=item["source"])
        rules[rule.id] = rule
    return dict(sorted(rules.items()))


def write_index() -> None:
    """Regenerate rules/_index.json (run after editing a rule file)."""
    import os

    from retell_lint.safe_io import write_text

    write_text(os.path.join(_rules_folder(), INDEX_NAME), build_index(), what="the rule index")


@cache
def aliases() -> dict[str, str]:
    """Every way to name a rule (its id and its name) → its id."""
    names: dict[str, str] = {}
    for rule in load().values():
        names[rule.id] = rule.id
        names[rule.name] = rule.id
    return names


def resolve(key: str, names: Mapping[str, str] | None = None) -> str | None:
    """The id of the rule ``key`` names (an id in any case, or a rule name); None if none.

    ``names`` maps accepted names to ids (default: the built-in catalogue's ids and names).
    """
    names = aliases() if names is None else names
    text = key.strip()
    for candidate in (text, text.upper(), text.lower()):
        if candidate in names:
            return names[candidate]
    return None


def _one_edit(a: str, b: str) -> int:
    """0 when ``b`` is ``a`` with two neighbours swapped, 1 one inserted or deleted,
    2 one replaced; 3 when further apart."""
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return 2
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1
        if swapped and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return 0
        return 3
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) - len(short) != 1:
        return 3
    return 1 if any(long[:i] + long[i + 1 :] == short for i in range(len(long))) else 3


def did_you_mean(key: str, names: Mapping[str, str] | None = None) -> str:
    """A hint for an unknown rule id or name: the closest ids or names, or where the list is."""
    import difflib

    names = aliases() if names is None else names
    text = key.strip()
    if re.match(r"^[A-Za-z]+\d+$", text):
        # Ids are a few digits apart from many others: one edit away, the closest kind first.
        probe = text.upper()
        ranked = sorted(
            (rank, n) for n in names if ANY_ID.match(n) and (rank := _one_edit(probe, n)) < 3
        )
        close = [n for rank, n in ranked if rank == ranked[0][0]][:3] if ranked else []
    else:
        pool = [n for n in names if not ANY_ID.match(n)]
        close = difflib.get_close_matches(text.lower(), pool, n=1, cutoff=0.6)
    if not close:
        return "run 'retell-lint rules' for the list"
    shown = []
    for name in close:
        rule_id = names[name]
        other = next((n for n, i in names.items() if i == rule_id and n != name), None)
        shown.append(f"{name} ({other})" if other else name)
    return f"did you mean {' or '.join(shown)}? ('retell-lint rules' lists every rule)"


def get(rule_id: str) -> Rule:
    rules = load()
    if rule_id not in rules:
        raise FatalError(f"unknown rule {rule_id}; run 'retell-lint rules' for the list")
    return rules[rule_id]


if __name__ == "__main__":
    write_index()
