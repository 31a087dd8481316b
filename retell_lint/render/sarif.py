"""SARIF 2.1.0 (plain JSON): rule descriptors for the whole catalogue, one result per
finding, tool errors as execution notifications."""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any
from urllib.parse import quote

from retell_lint import __version__, catalogue
from retell_lint.ci.limits import SARIF_MAX_BYTES, SARIF_MAX_RESULTS
from retell_lint.engine import LintResult
from retell_lint.findings import DOCS_BASE_URL, Finding, Severity, ToolError, rule_url

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = DOCS_BASE_URL.split("/blob/", 1)[0]
SRCROOT = "%SRCROOT%"
FINGERPRINT = "retellLint/v1"
LEVELS: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "note"}
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")
_BACKSLASH = re.compile(r"\\(?!x[0-9a-f]{2})")


def artifact_location(path: str) -> dict[str, str]:
    """A file path as given → a SARIF artifactLocation (relative paths use %SRCROOT%)."""
    # Backslashes separate folders, except in the \xNN a file name's undecodable
    # bytes are shown as (output.display_name) on systems that use '/'.
    windows = os.sep == "\\" or _WINDOWS_PATH.match(path) is not None
    posix = path.replace("\\", "/") if windows else _BACKSLASH.sub("/", path)
    if _WINDOWS_DRIVE.match(posix):
        return {"uri": "file:///" + quote(posix, safe="/:")}
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix, safe="/")}
    while posix.startswith("./"):
        posix = posix[2:]
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


def descriptor(rule: catalogue.Rule) -> dict[str, Any]:
    configuration: dict[str, Any] = {"level": LEVELS[rule.severity]}
    if not rule.enabled:
        configuration["enabled"] = False
    item: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.fix},
        "helpUri": rule_url(rule.id, rule.name),
        "defaultConfiguration": configuration,
    }
    if rule.policy:
        # A team policy: its description is the help; its own link, if it gives one.
        item["help"] = {"text": rule.rationale}
        del item["helpUri"]
        if rule.url:
            item["helpUri"] = rule.url
        item["properties"] = {"tags": ["policy"], "source": rule.source}
    if rule.online:
        item["properties"] = {"tags": ["online"]}
    return item


def region(finding: Finding) -> dict[str, int]:
    """1-based lines and character columns; the end is exclusive and never before the start."""
    line = max(1, finding.line)
    column = max(1, finding.column)
    end_line = max(line, finding.end_line)
    end_column = max(1, finding.end_column)
    if end_line == line:
        end_column = max(column, end_column)
    return {
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _fingerprint(finding: Finding, result: LintResult) -> str:
    # file + rule + YAML path, as the baseline keys findings, so it survives line
    # shifts; without a path the offending line's text stands in for it.
    anchor = finding.path
    if not anchor:
        source = result.sources.get(finding.file)
        anchor = "line:" + (source.line_text(finding.line).strip() if source else "")
    key = "\0".join((finding.file.replace("\\", "/"), finding.rule, str(finding.document), anchor))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def sarif_result(
    finding: Finding, result: LintResult, index: dict[str, int], fingerprint: str
) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": artifact_location(finding.file),
            "region": region(finding),
        }
    }
    if finding.path:
        location["logicalLocations"] = [
            {"fullyQualifiedName": finding.path, "name": finding.path.rsplit(".", 1)[-1]}
        ]
    item: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in index:
        item["ruleIndex"] = index[finding.rule]
    properties: dict[str, Any] = {"severity": finding.severity, "document": finding.document}
    if finding.path:
        properties["yamlPath"] = finding.path
    if finding.phone_number:
        properties["phoneNumber"] = finding.phone_number
    fixes = sarif_fixes(finding, result)
    if fixes:
        item["fixes"] = fixes
    item.update(
        {
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [location],
            "partialFingerprints": {FINGERPRINT: fingerprint},
            "properties": properties,
        }
    )
    return item


def sarif_fixes(finding: Finding, result: LintResult) -> list[dict[str, Any]]:
    """A finding's automatic fix as a SARIF fix: its edits as replacements of regions
    of the file's text (lines and code-point columns, 1-based)."""
    fix = finding.fix
    source = result.sources.get(finding.file)
    if fix is None or source is None:
        return []
    from retell_lint.fix.edits import Lines
    from retell_lint.redact import file_secrets, redact_values

    lines = Lines(source.text)
    replacements = []
    for edit in fix.edits:
        start_line, start_column = lines.position(edit.start)
        end_line, end_column = lines.position(edit.end)
        replacement: dict[str, Any] = {
            "deletedRegion": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            }
        }
        if edit.text:
            inserted = redact_values(edit.text, file_secrets(source.text).values)
            replacement["insertedContent"] = {"text": inserted}
        replacements.append(replacement)
    return [
        {
            "description": {"text": fix.description},
            "artifactChanges": [
                {
                    "artifactLocation": artifact_location(finding.file),
                    "replacements": replacements,
                }
            ],
            "properties": {"applicability": fix.applicability},
        }
    ]


def notification(error: ToolError) -> dict[str, Any]:
    item: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    if error.file:
        item["locations"] = [
            {"physicalLocation": {"artifactLocation": artifact_location(error.file)}}
        ]
    return item


def report(result: LintResult) -> dict[str, Any]:
    rules = [*catalogue.load().values(), *result.policy_rules]
    index = {rule.id: position for position, rule in enumerate(rules)}
    results = []
    seen: dict[str, int] = {}
    for finding in result.findings:
        base = _fingerprint(finding, result)
        # Identical keys in one run are told apart by occurrence, as GitHub does.
        seen[base] = seen.get(base, 0) + 1
        results.append(sarif_result(finding, result, index, f"{base}:{seen[base]}"))
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if result.errors:
        invocation["toolExecutionNotifications"] = [notification(e) for e in result.errors]
    results = _within_count(results, invocation)
    run = {
        "tool": {
            "driver": {
                "name": "retell-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [descriptor(rule) for rule in rules],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if result.environment is not None:
        run["properties"] = {"environment": result.environment}
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render(result: LintResult) -> str:
    document = report(result)
    text = _dump(document)
    if _size(text) > SARIF_MAX_BYTES:
        # Without indentation first (less than half the size), then fewer results.
        text = _dump(document, compact=True)
        if _size(text) > SARIF_MAX_BYTES:
            text = _within_size(document)
    return text


def _dump(document: dict[str, Any], compact: bool = False) -> str:
    if compact:
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


# GitHub code scanning takes at most 25,000 results per run and 10 MB per file
# (ci/limits.py); past either it rejects the whole upload. The most severe results are
# kept, in their order, and the run says how many were left out (a notification, and
# one stderr line).
_RANK = {"error": 0, "warning": 1, "note": 2}


def _keep_most_severe(results: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    order = sorted(range(len(results)), key=lambda i: _RANK.get(results[i]["level"], 3))
    kept = sorted(order[:count])
    return [results[i] for i in kept]


def _note_cut(invocation: dict[str, Any], left_out: int, why: str) -> str:
    """Adds the notification; returns its text for the stderr line."""
    text = (
        f"{left_out:,} results left out: {why}; the most severe are kept "
        "(--format json or text reports every finding)"
    )
    notes = invocation.setdefault("toolExecutionNotifications", [])
    notes.append({"level": "warning", "message": {"text": text}})
    return text


def _say(text: str) -> None:
    from retell_lint.output import echo_error

    echo_error(f"SARIF report: {text}")


def _within_count(
    results: list[dict[str, Any]], invocation: dict[str, Any]
) -> list[dict[str, Any]]:
    if len(results) <= SARIF_MAX_RESULTS:
        return results
    kept = _keep_most_severe(results, SARIF_MAX_RESULTS)
    why = f"GitHub code scanning takes at most {SARIF_MAX_RESULTS:,} results per run"
    _say(_note_cut(invocation, len(results) - len(kept), why))
    return kept


def _within_size(document: dict[str, Any]) -> str:
    """The report with as many of the most severe results as fit in SARIF_MAX_BYTES."""
    run = document["runs"][0]
    results: list[dict[str, Any]] = run["results"]
    invocation: dict[str, Any] = run["invocations"][0]
    # Size of each result as written compactly (and its comma), and of the rest.
    sizes = [
        _size(json.dumps(item, separators=(",", ":"), ensure_ascii=False)) + 1 for item in results
    ]
    run["results"] = []
    room = SARIF_MAX_BYTES - _size(_dump(document, compact=True)) - 1_000
    order = sorted(range(len(results)), key=lambda i: _RANK.get(results[i]["level"], 3))
    count = 0
    for index in order:
        if sizes[index] > room:
            break
        room -= sizes[index]
        count += 1
    while True:
        run["results"] = _keep_most_severe(results, count)
        notes = list(invocation.get("toolExecutionNotifications", []))
        why = f"GitHub code scanning takes SARIF files of at most {SARIF_MAX_BYTES:,} bytes"
        said = _note_cut(invocation, len(results) - count, why)
        text = _dump(document, compact=True)
        if _size(text) <= SARIF_MAX_BYTES or count == 0:
            _say(said)
            return text
        # The estimate was short: take a tenth fewer and say it once more.
        invocation["toolExecutionNotifications"] = notes
        count = count * 9 // 10
