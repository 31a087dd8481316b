"""Baselines: record today's findings, then report only new ones.

``check --write-baseline FILE`` records every finding of the run (after inline
suppressions) and hides them; ``check --baseline FILE`` hides findings the file
records. The file is JSON::

    {
      "version": 1,
      "entries": [
        {"file": "retell/sales.yaml", "rule": "RL301",
         "path": "phone_numbers[1].inbound_agents", "count": 1,
         "message": "weights of inbound_agents add up to 0.9; ..."}
      ]
    }

A finding is keyed by its file (as reported, with '/' separators), its rule and
its YAML path (``Finding.path``; in the second and later YAML documents of a file,
prefixed with ``#<document>/``, e.g. ``#1/inbound_agents``). Line numbers are not
part of the key, so editing other parts of a file keeps its findings matched.
``count`` findings per key are hidden; more findings under the same key show.
``message`` is for readers only and is not compared.

Entries that match fewer findings than they count (fixed problems) are
reported on stderr so the file can be pruned with ``--write-baseline``; they do
not change the exit code.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections import Counter
from typing import TYPE_CHECKING, Any

from retell_lint.errors import FatalError
from retell_lint.findings import Finding
from retell_lint.output import echo_error

if TYPE_CHECKING:
    from retell_lint.engine import LintResult

VERSION = 1
# Far above any real baseline (about 200 bytes an entry).
MAX_BASELINE_BYTES = 32 * 1024 * 1024
ENTRY_KEYS = frozenset(("file", "rule", "path", "count", "message"))
Key = tuple[str, str, str]


def normalise_file(name: str) -> str:
    """A file name as the baseline keys it: '/' separators, no './' or '..' detours."""
    if name in ("", "-"):
        return name
    return posixpath.normpath(name.replace("\\", "/"))


def finding_path(finding: Finding) -> str:
    """The YAML path part of a finding's key, with its document when not the first."""
    if finding.document > 0:
        return f"#{finding.document}/{finding.path}"
    return finding.path


def key_of(finding: Finding) -> Key:
    return (normalise_file(finding.file), finding.rule, finding_path(finding))


def _invalid(path: str, reason: str) -> FatalError:
    return FatalError(f"invalid baseline: {reason}", location=path)


def read_baseline(path: str) -> Counter[Key]:
    """The counts a baseline file records, by key; FatalError when unreadable or invalid."""
    import errno

    from retell_lint.safe_io import read_text

    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and not os.path.lexists(path):
            raise FatalError(
                "baseline file not found; create it with --write-baseline", location=path
            ) from None
    # Regular files only (a FIFO never blocks the run), at most MAX_BASELINE_BYTES.
    text = read_text(path, what="the baseline", limit=MAX_BASELINE_BYTES)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _invalid(path, f"not JSON ({exc})") from None
    except RecursionError:
        raise _invalid(path, "JSON nested too deep") from None
    if not isinstance(data, dict):
        raise _invalid(path, "expected a JSON object with 'version' and 'entries'")
    if type(data.get("version")) is not int or data.get("version") != VERSION:
        raise _invalid(path, f"unsupported version {data.get('version')!r} (expected {VERSION})")
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise _invalid(path, "'entries' must be a list")
    counts: Counter[Key] = Counter()
    for index, entry in enumerate(entries):
        where = f"entries[{index}]"
        if not isinstance(entry, dict):
            raise _invalid(path, f"{where} must be an object")
        unknown = sorted(set(entry) - ENTRY_KEYS)
        if unknown:
            raise _invalid(path, f"{where} has unknown key(s): {', '.join(unknown)}")
        for name in ("file", "rule", "path"):
            if not isinstance(entry.get(name), str):
                raise _invalid(path, f"{where}.{name} must be a string")
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise _invalid(path, f"{where}.count must be a whole number of at least 1")
        if "message" in entry and not isinstance(entry["message"], str):
            raise _invalid(path, f"{where}.message must be a string")
        counts[(normalise_file(entry["file"]), entry["rule"], entry["path"])] += count
    return counts


def render_baseline(findings: list[Finding]) -> str:
    """The baseline file recording ``findings``, in a stable order."""
    counts: Counter[Key] = Counter()
    messages: dict[Key, str] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        key = key_of(finding)
        counts[key] += 1
        messages.setdefault(key, finding.message)
    entries: list[dict[str, Any]] = [
        {"file": key[0], "rule": key[1], "path": key[2], "count": count, "message": messages[key]}
        for key, count in sorted(counts.items())
    ]
    return json.dumps({"version": VERSION, "entries": entries}, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str, findings: list[Finding]) -> None:
    """Write the baseline file atomically (a reader never sees half a file)."""
    from retell_lint.safe_io import write_text

    write_text(path, render_baseline(findings), what="the baseline")


def filter_findings(
    findings: list[Finding], recorded: Counter[Key]
) -> tuple[list[Finding], int, Counter[Key]]:
    """Findings the baseline does not cover, how many it hid, and its unused counts.

    Under each key, the first ``count`` findings in report order are hidden; the
    findings kept stay in their original order.
    """
    left = Counter(recorded)
    hidden: set[int] = set()
    for finding in sorted(findings, key=Finding.sort_key):
        key = key_of(finding)
        if left[key] > 0:
            left[key] -= 1
            hidden.add(id(finding))
    kept = [finding for finding in findings if id(finding) not in hidden]
    stale = +left  # keeps only the keys whose count was not used up
    return kept, len(hidden), stale


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def apply_baseline(result: LintResult, *, baseline: str | None, write: str | None) -> None:
    """Hide baselined findings from ``result``, in place.

    With ``write``, every finding of this run is recorded in that file (replacing
    it, so entries that no longer match are dropped) and hidden; ``baseline`` is
    then not read. With ``baseline`` alone, the findings it records are hidden and
    its stale entries are reported on stderr. Neither changes tool errors.
    """
    if write is not None:
        findings = list(result.findings)
        write_baseline(write, findings)
        result.findings[:] = []
        result.baseline = {
            "file": write,
            "written": True,
            "hidden": len(findings),
            "stale_entries": 0,
            "stale_findings": 0,
        }
        echo_error(f"baseline {write}: recorded {_count(len(findings), 'finding', 'findings')}")
        return
    if baseline is None:
        return
    recorded = read_baseline(baseline)
    kept, hidden, stale = filter_findings(result.findings, recorded)
    result.findings[:] = kept
    result.baseline = {
        "file": baseline,
        "written": False,
        "hidden": hidden,
        "stale_entries": len(stale),
        "stale_findings": sum(stale.values()),
    }
    notes = []
    if hidden:
        notes.append(f"{_count(hidden, 'finding', 'findings')} hidden")
    if stale:
        entries = _count(len(stale), "entry no longer matches", "entries no longer match")
        gone = _count(sum(stale.values()), "finding", "findings")
        notes.append(f"{entries} ({gone} fixed); run with --write-baseline {baseline} to prune")
    if notes:
        echo_error(f"baseline {baseline}: {'; '.join(notes)}")
